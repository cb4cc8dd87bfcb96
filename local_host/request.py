"""One HTTP request as the host sees it, after the target is checked and the body is read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # percent-decoded once, checked by `safe_path.check_path`
    query: str  # raw, as sent
    headers: tuple[tuple[str, str], ...]
    body: bytes
    client_ip: str
    base_url: str  # scheme and authority, e.g. http://127.0.0.1:7071

    def header(self, name: str) -> str | None:
        return next(iter(self.header_values(name)), None)

    def header_values(self, name: str) -> list[str]:
        lowered = name.lower()
        return [value for key, value in self.headers if key.lower() == lowered]

    @property
    def url(self) -> str:
        return f"{self.base_url}{self.path}" + (f"?{self.query}" if self.query else "")
