"""Database faults seen from outside a running local host: 503 with a clear reason, never a 500, never a
second database, nothing changed, one log line per outage, and the host recovers when the fault ends.

The disk-full case mounts a small tmpfs (these machines run tests as root); where
mounting is not allowed they skip and say so.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.host import Host, run_host_until_exit, start_host

LIST = "/api/admin/jobs?limit=5"
ENQUEUE = {"action": "enqueue_job", "scope_type": "network", "scope_key": "NET-FAULT", "iso_week": "2026-W44"}


def jobs_in(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT COUNT(*) FROM exec_report_jobs").fetchone()[0]


def assert_unavailable(host: Host, reason_fragment: str) -> None:
    for method, path, body in (("GET", LIST, None), ("GET", "/api/admin/jobs?job_id=abc", None), ("POST", "/api/admin/jobs", ENQUEUE)):
        reply = host.request(method, path, body)
        assert reply.status == 503, (method, path, reply.status, reply.body)
        assert reply.json()["code"] == "database_unavailable" and reason_fragment in reply.json()["error"]
        assert "Traceback" not in reply.body.decode() and reply.headers.get("retry-after")


@pytest.fixture
def host(tmp_path: Path) -> Iterator[Host]:
    running = start_host(tmp_path, {"AUTH_MODE": "local"})
    yield running
    running.stop()


def test_a_deleted_database_file_is_503_and_no_new_database_appears(host: Host) -> None:
    assert host.request("GET", LIST).status == 200
    saved = host.db_path.with_suffix(".saved")
    with sqlite3.connect(host.db_path) as conn:  # a consistent copy to put back later
        conn.execute(f"VACUUM INTO '{saved}'")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{host.db_path}{suffix}").unlink(missing_ok=True)

    assert_unavailable(host, "the database file is missing")
    assert not host.db_path.exists()  # the running host never makes an empty one in its place

    shutil.copyfile(saved, host.db_path)  # restored: the same host serves it again, without a restart
    reply = host.request("GET", LIST)
    assert reply.status == 200 and reply.json()["stats"]["total"] == 300
    lines = [line for line in host.log_lines if "database unavailable" in line or "available again" in line]
    assert len(lines) == 2 and "database unavailable" in lines[0] and "available again" in lines[1], lines  # one line each way
    assert "Traceback" not in host.log()


def test_a_file_replaced_by_one_without_tables_is_503_and_is_not_migrated_while_running(host: Host) -> None:
    assert host.request("GET", LIST).status == 200
    replacement = host.db_path.with_suffix(".new")
    sqlite3.connect(replacement).close()
    replacement.replace(host.db_path)

    assert_unavailable(host, "lost its tables")
    with sqlite3.connect(host.db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0  # left as it was found


def test_starting_on_a_file_that_is_not_sqlite_fails_in_one_line_and_leaves_it_byte_identical(tmp_path: Path) -> None:
    target = tmp_path / "jobs.sqlite3"
    content = b"name,value\nnot,a database\n" * 50
    target.write_bytes(content)

    code, output = run_host_until_exit(tmp_path, {"AUTH_MODE": "local"})

    assert code == 2
    [line] = [line for line in output.splitlines() if "cannot start" in line]
    assert str(target) in line and "not a valid SQLite database" in line
    assert "Traceback" not in output
    assert target.read_bytes() == content
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith("jobs")) == ["jobs.sqlite3"]  # no -wal, -shm


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here to fill ({done.stderr.strip()})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_is_503_for_writes_changes_nothing_and_reads_go_on(tmp_path: Path, small_disk: Path) -> None:
    db_path = small_disk / "jobs.sqlite3"
    host = start_host(tmp_path, {"AUTH_MODE": "local", "SQLITE_PATH": str(db_path)})
    try:
        before = jobs_in(db_path)
        filler = small_disk / "filler"
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True, check=False)  # until the disk is full

        big = dict(ENQUEUE, scope_key="NET-" + "X" * 100)
        replies = [host.request("POST", "/api/admin/jobs", dict(big, iso_week=f"2026-W{week:02d}")) for week in range(1, 40)]
        assert {reply.status for reply in replies} <= {200, 201, 503} and 503 in {reply.status for reply in replies}
        refused = next(reply for reply in replies if reply.status == 503)
        assert "the disk is full" in refused.json()["error"]
        accepted = sum(reply.status in (200, 201) for reply in replies)
        assert host.request("GET", LIST).status == 200  # reading needs no space

        filler.unlink()
        assert jobs_in(db_path) == before + accepted  # a refused write left nothing half-done
        reply = host.request("POST", "/api/admin/jobs", dict(ENQUEUE, scope_key="NET-AFTER"))
        assert reply.status in (200, 201)
    finally:
        host.stop()


def test_demo_data_goes_only_into_a_database_made_on_this_start(tmp_path: Path) -> None:
    existing = tmp_path / "existing.sqlite3"
    sqlite3.connect(existing).close()  # someone's (empty) database
    for env, seeded in (
        ({"SQLITE_PATH": None}, 300),  # the default path, created now: the demo
        ({"SQLITE_PATH": str(existing)}, 0),  # there before: never filled, whatever DEMO_DATA says
        ({"SQLITE_PATH": str(tmp_path / "new.sqlite3"), "DEMO_DATA": "false"}, 0),
        ({"SQLITE_PATH": str(tmp_path / "other.sqlite3"), "DEMO_DATA": None}, 0),  # auto: only the default path
    ):
        host = start_host(tmp_path, {"AUTH_MODE": "local", **env})
        try:
            assert host.request("GET", LIST).json()["stats"]["total"] == seeded, env
        finally:
            host.stop()
