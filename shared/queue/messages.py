"""What a job message says: `{"job_id": "..."}`, and nothing the database does not also know."""

from __future__ import annotations

import json
import re

_JOB_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")


class BadMessage(ValueError):
    """A message that names no job; it can never succeed, so the host retries it into the poison queue."""


def encode(job_id: str) -> str:
    return json.dumps({"job_id": job_id}, separators=(",", ":"))


def decode(body: str) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        raise BadMessage(f"not JSON: {body[:80]!r}") from None
    job_id = data.get("job_id") if isinstance(data, dict) else None
    if not isinstance(job_id, str) or not _JOB_ID.match(job_id):
        raise BadMessage(f"no valid job_id in {body[:80]!r}")
    return job_id
