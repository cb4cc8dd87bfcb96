"""Request targets checked once, and static files resolved so that nothing outside the site is served.

The path is percent-decoded exactly once. Anything that could climb out or be decoded again later is
refused outright rather than normalised: `.`/`..` segments, backslashes, NUL and other control
characters, invalid UTF-8, and a second layer of percent-encoding (`%252e` decodes to `%2e`).
Runs of slashes become one, so route rules, API routes and files all see one spelling of a path:
`/admin//ops.html` and `/admin/%6fps.html` are `/admin/ops.html` to the role rules as to the file
system. Resolution then checks the real path (symlinks included) is still inside the site's folder.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

CONFIG_FILE = "staticwebapp.config.json"
_STILL_ENCODED = re.compile(r"%[0-9A-Fa-f]{2}")
_SLASHES = re.compile(r"//+")


class BadTarget(ValueError):
    """The request target cannot be served safely; the message says why."""


def split_target(target: str) -> tuple[str, str]:
    """The decoded path and the raw query of a request target (origin-form or absolute-form)."""
    if target.startswith(("http://", "https://")):
        parts = urlsplit(target)
        raw_path, query = parts.path or "/", parts.query
    elif target.startswith("/"):
        raw_path, _, query = target.partition("?")
        raw_path = raw_path.split("#", 1)[0]
    else:
        raise BadTarget("the request target must be a path starting with /")
    try:
        path = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        raise BadTarget("the path is not valid UTF-8") from None
    check_path(path)
    return _SLASHES.sub("/", path), query


def check_path(path: str) -> None:
    if any(ord(char) < 0x20 or char == "\x7f" for char in path):
        raise BadTarget("the path contains control characters")
    if "\\" in path:
        raise BadTarget("the path contains a backslash")
    if _STILL_ENCODED.search(path):
        raise BadTarget("the path is percent-encoded twice")
    if any(segment in {".", ".."} for segment in path.split("/")):
        raise BadTarget("the path contains . or .. segments")


def resolve_file(root: Path, path: str) -> Path | None:
    """The file under `root` that serves `path` (a folder serves its index.html), or None."""
    segments = [segment for segment in path.split("/") if segment]
    # Hidden files (.git, .env) are never part of a site; the config file is read by the host, not served.
    if any(segment.startswith(".") for segment in segments) or segments == [CONFIG_FILE]:
        return None
    try:
        real_root = root.resolve(strict=True)
        candidate = real_root.joinpath(*segments).resolve()
        if candidate.is_dir():
            candidate = (candidate / "index.html").resolve()
    except (OSError, RuntimeError, ValueError):  # a loop of symlinks, a name too long
        return None
    if not candidate.is_relative_to(real_root) or not candidate.is_file():
        return None
    return candidate
