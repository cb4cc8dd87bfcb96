"""Everything an admin does to a schedule is in the audit log, written in the change's transaction:
create, edit, pause, resume, run now and delete, each with who, when and which rule."""

from __future__ import annotations

from datetime import date

import pytest

from shared.db import Database
from shared.jobs.audit import AuditLog
from shared.schedules.service import NameTaken, SchedulesService
from tests.schedules.conftest import WEEKLY, add_source_rows


def entries(db: Database) -> list[tuple[str, str, str]]:
    return [(entry.actor, entry.action, entry.detail or "") for entry in reversed(AuditLog(db).page(50).entries)]


def test_each_schedule_change_writes_one_audit_entry(service: SchedulesService, db: Database) -> None:
    add_source_rows(db, "network", ["NET-1"], date(2026, 3, 2))
    rule = service.create(WEEKLY, "ada@contoso.com")
    service.update(rule.schedule_id, {"cron": "30 7 * * 1"}, "bob@contoso.com")
    service.set_paused(rule.schedule_id, True, "ada@contoso.com")
    service.set_paused(rule.schedule_id, False, "ada@contoso.com")
    service.run_now(rule.schedule_id, "bob@contoso.com")
    service.run_now(rule.schedule_id, "bob@contoso.com")
    service.delete(rule.schedule_id, "ada@contoso.com")

    log = entries(db)
    assert [(actor, action) for actor, action, _ in log] == [
        ("ada@contoso.com", "schedule_create"),
        ("bob@contoso.com", "schedule_update"),
        ("ada@contoso.com", "schedule_pause"),
        ("ada@contoso.com", "schedule_resume"),
        ("bob@contoso.com", "schedule_run_now"),
        ("bob@contoso.com", "schedule_run_now"),
        ("ada@contoso.com", "schedule_delete"),
    ]
    assert all(f'schedule "{WEEKLY.name}"' in detail and rule.schedule_id[:8] in detail for _, _, detail in log)
    assert "cron '0 6 * * 1' → '30 7 * * 1'" in log[1][2]
    assert log[4][2].endswith("queued its jobs") and log[5][2].endswith("already queued, nothing new")


def test_a_refused_change_writes_no_entry(service: SchedulesService, db: Database) -> None:
    service.create(WEEKLY, "ada@contoso.com")
    with pytest.raises(NameTaken):
        service.create(WEEKLY, "bob@contoso.com")
    assert [action for _, action, _ in entries(db)] == ["schedule_create"]
