"""checkov (in its own .venv-infra, see the Makefile) finds no failed check in infra/, and every check
the Bicep skips is named in a `// checkov:skip=ID:reason` comment on the resource it concerns.

Offline, checkov has no severities (they come from its vendor's service, which `--skip-download`
keeps it from calling), so no failed check is allowed at all, which covers every HIGH one.
"""

from __future__ import annotations

import json
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

from tests.deploy import bicep

CHECKOV = bicep.ROOT / ".venv-infra" / "bin" / "checkov"


@cache
def checkov_report() -> dict[str, Any]:
    assert CHECKOV.exists(), "checkov is missing: `make test` (or `make infra-check`) installs it into .venv-infra"
    completed = subprocess.run(
        [str(CHECKOV), "--directory", str(bicep.INFRA), "--framework", "bicep", "--output", "json", "--compact", "--skip-download"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode in (0, 1), completed.stderr[-2000:]
    report = json.loads(completed.stdout)
    return report[0] if isinstance(report, list) else report


def _in_block(comment: bicep.SkipComment, check: dict[str, Any]) -> bool:
    first, last = check["file_line_range"]
    return comment.file == Path(bicep.INFRA, check["file_path"].lstrip("/")) and first <= comment.line <= last


def _commented(check: dict[str, Any]) -> bool:
    return any(comment.check_id == check["check_id"] and _in_block(comment, check) for comment in bicep.skip_comments())


def test_checkov_scanned_every_resource_without_parse_errors() -> None:
    summary = checkov_report()["summary"]
    assert summary["parsing_errors"] == 0
    assert summary["passed"] >= 20
    assert summary["resource_count"] >= sum(1 for resource in bicep.resources() if not resource.existing)


def test_no_check_fails_unless_its_resource_skips_it_with_a_reason() -> None:
    # checkov 3.3 honours skip comments for its Python checks only; for its graph checks (SQL auditing,
    # threat detection) the same comment is read here, from the resource's own lines.
    failed = [check for check in checkov_report()["results"]["failed_checks"] if not _commented(check)]
    assert failed == [], "\n".join(f"{check['check_id']} {check['resource']} ({check['file_path']}): {check['check_name']}" for check in failed)


def test_every_skip_names_its_reason_and_concerns_a_check_that_fires() -> None:
    results = checkov_report()["results"]
    fired = results["skipped_checks"] + results["failed_checks"]
    for comment in bicep.skip_comments():
        assert len(comment.reason) >= 20, f"{comment.file.name}:{comment.line} skips {comment.check_id} without a reason"
        assert any(check["check_id"] == comment.check_id and _in_block(comment, check) for check in fired), (
            f"{comment.file.name}:{comment.line} skips {comment.check_id}, which no longer fires there: remove the comment"
        )
