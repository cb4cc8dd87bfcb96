"""CSV export of the jobs matching the list's filter, and of the audit log."""

from __future__ import annotations

import csv
import io

import pytest

from shared.api import export as export_api
from shared.jobs.export import safe_cell
from shared.jobs.repository import JobsRepository
from tests.api import ops_data as make
from tests.api.conftest import jobs
from tests.api.ops_data import get_raw


def rows_of(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode()), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_export_is_an_attachment_with_quoting_utf8_and_no_formulas(repo: JobsRepository) -> None:
    make.failed(repo, 'Zürich, "HQ"', reason='=HYPERLINK("http://evil")', created_by="+cmd|' /C calc'!A0")
    make.queued(repo, "-2+3", created_by="@SUM(A1)")
    reply = get_raw("admin_jobs_export", "admin/jobs/export")
    assert reply.status_code == 200 and reply.mimetype == "text/csv"
    assert reply.headers["Content-Disposition"].startswith('attachment; filename="jobs-')
    assert reply.headers["X-Export-Rows"] == "2" and reply.headers["X-Export-Capped"] == "false"
    header, *rows = rows_of(reply.get_body())
    assert header[:3] == ["job_id", "scope_type", "scope_key"]
    by_key = {row[2]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_key) == {'Zürich, "HQ"', "'-2+3"}
    assert by_key['Zürich, "HQ"']["reason"] == '\'=HYPERLINK("http://evil")'
    assert by_key['Zürich, "HQ"']["created_by"] == "'+cmd|' /C calc'!A0"
    assert by_key["'-2+3"]["created_by"] == "'@SUM(A1)" and by_key["'-2+3"]["status"] == "queued"


def test_export_follows_the_filter(repo: JobsRepository) -> None:
    make.failed(repo, "NET-1")
    make.queued(repo, "NET-2")
    _, *rows = rows_of(get_raw("admin_jobs_export", "admin/jobs/export", params={"status": "failed", "q": "NET"}).get_body())
    assert [row[2] for row in rows] == ["NET-1"]
    bad = get_raw("admin_jobs_export", "admin/jobs/export", params={"from": "soon"})
    assert bad.status_code == 400 and b"invalid_parameter" in bad.get_body()


def test_export_stops_at_its_cap_and_says_so(repo: JobsRepository, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_api, "EXPORT_CAP", 2)
    for i in range(3):
        make.queued(repo, f"NET-{i}")
    reply = get_raw("admin_jobs_export", "admin/jobs/export")
    assert reply.headers["X-Export-Rows"] == "2" and reply.headers["X-Export-Capped"] == "true"
    assert len(rows_of(reply.get_body())) == 1 + 2


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (3, "3"),
    ],
)
def test_cells_that_would_run_as_formulas_are_neutralised(value: object, cell: str) -> None:
    assert safe_cell(value) == cell


def test_audit_log_export(repo: JobsRepository) -> None:
    job = make.queued(repo, "NET-1")
    jobs("POST", body={"action": "cancel_job", "job_id": job.job_id})
    reply = get_raw("admin_audit_export", "admin/audit/export")
    assert reply.headers["Content-Disposition"].startswith('attachment; filename="audit-log-')
    header, *rows = rows_of(reply.get_body())
    assert header == ["audit_id", "at", "actor", "action", "job_id", "detail"]
    assert [(row[2], row[3], row[4]) for row in rows] == [("api-token", "cancel_job", job.job_id)]
