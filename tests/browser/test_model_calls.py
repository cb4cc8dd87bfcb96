"""Details' Model Calls section in real Chromium, with the host's worker calling the stub through the
real openai SDK: the prompt and raw answer shown are exactly what the stub received and sent, as text;
an invalid answer and its repair both show; re-run with another model, then compare."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from shared.db import Database
from tests.browser.conftest import screenshot, start_page_host
from tests.browser.data import CREATED, SAMPLE
from tests.browser.pages import open_jobs, row
from tests.conftest import sqlite_database
from tests.support.host import Host
from tests.support.jobs import add_job
from tests.support.llm_stub import SAMPLE_REPORT, LlmStub, ok, text

API_KEY = "sk-browser-Zx9q2Lw8Vb7Nc6Mk5Jh4"
LARGE = "openai:stub-model-large"
BROKEN = json.dumps({**SAMPLE_REPORT, "summary": "<img src=x onerror=alert(1)><b>bold</b>", "kpis": "none"})
REPAIRED = {**SAMPLE_REPORT, "headline": "Revenue up 4.2% after a strong Thursday", "kpis": [{**SAMPLE_REPORT["kpis"][0], "value": 900000.0}]}


@pytest.fixture
def stub() -> Iterator[LlmStub]:
    with LlmStub() as server:
        yield server


def add_rows(db: Database, scope_key: str, first: date, days: int) -> None:
    rows = [
        {"scope_type": "network", "scope_key": scope_key, "metric_date": (first + timedelta(days=d)).isoformat(), "metric": metric, "value": value}
        for d in range(days)
        for metric, value in (("revenue_eur", 1000.0 + d), ("orders", 40.0))
    ]
    db.run(lambda tx: tx.execute_many("insert_source_row", rows))


@pytest.fixture
def model_host(tmp_path: Path, stub: LlmStub) -> Iterator[tuple[Host, str]]:
    path = tmp_path / "jobs.sqlite3"
    db = sqlite_database(path)
    add_rows(db, "NET-LLM", date(2024, 12, 23), 14)  # 2025-W01 and the week before
    job = add_job(db, scope_key="NET-LLM", created_at=CREATED, **SAMPLE)
    db.close()
    host = start_page_host(
        tmp_path,
        db_path=path,
        REPORT_GENERATOR="openai",
        OPENAI_BASE_URL=stub.base_url,
        OPENAI_API_KEY=API_KEY,
        OPENAI_MODEL="stub-model",
        MODEL_CHOICES=f"openai:stub-model,{LARGE}",
    )
    yield host, job.job_id
    host.stop()


def open_details(page: Page, job_id: str) -> None:
    row(page, job_id).get_by_role("button", name=re.compile("^Details")).click()
    expect(page.locator("#details-body .model-call").first).to_be_visible()


def test_model_calls_show_what_the_model_was_sent_and_answered_then_rerun_and_compare(model_host, stub: LlmStub, new_page) -> None:
    host, job_id = model_host
    stub.script(text(BROKEN), ok())
    host.run_worker()
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    open_jobs(page, host.base_url)
    open_details(page, job_id)

    section = page.locator("#details-body [data-section='model-calls']")
    calls = section.locator(".model-call")
    expect(calls).to_have_count(2)
    first, repair = calls.nth(0), calls.nth(1)
    expect(first.get_by_role("heading", level=4)).to_have_text("Attempt 1 · request Broke the report schema")
    expect(first.locator(".model-call__problem")).to_have_text("Validation error: $.kpis: expected array, got string")
    expect(repair.get_by_role("heading", level=4)).to_have_text("Attempt 1 · repair request Valid answer")
    expect(first.locator(".model-call__answer")).to_have_text(BROKEN)  # open: the answer that failed
    assert section.locator("img, b").count() == 0, "the answer is text, never HTML"

    for call, request in zip((first, repair), stub.requests, strict=True):
        prompt = call.locator(".model-call__part").first
        prompt.locator("summary").click()
        shown = prompt.locator("pre")
        expect(shown.first).to_be_visible()
        assert [shown.nth(i).text_content() for i in range(shown.count())] == [message["content"] for message in request.body["messages"]]
    expect(repair.locator(".model-call__text pre").nth(3)).to_have_text(re.compile(r"^That answer does not match the report schema: \$\.kpis"))
    first.get_by_role("button", name="Copy answer").click()
    assert page.evaluate("navigator.clipboard.readText()") == BROKEN
    screenshot(page, "model-calls")

    section.get_by_label("Model for the re-run").select_option(LARGE)
    stub.route("stub-model-large", ok(REPAIRED))
    section.get_by_role("button", name="Re-run with this model").click()
    expect(section.locator(".model-calls__message--rerun")).to_contain_text(re.compile(f"^Queued job \\w{{8}} with {re.escape(LARGE)}\\.$"))
    rerun = section.locator(".model-calls__message--rerun").get_attribute("data-job-id")
    host.run_worker()
    assert stub.requests[-1].body["model"] == "stub-model-large"
    page.keyboard.press("Escape")
    open_details(page, job_id)

    section = page.locator("#details-body [data-section='model-calls']")
    expect(section.get_by_label("Report to compare with")).to_contain_text(f"{rerun[:8]} · stub-model-2024")
    section.get_by_role("button", name="Compare", exact=True).click()
    comparison = section.locator(".comparison")
    revenue = comparison.locator(".comparison__kpis tr", has_text="revenue_eur")
    expect(revenue.locator("td")).to_have_text(["revenue_eur", "881,234.5 EUR", "900,000 EUR", "+18,765.5"])
    headline = comparison.locator("[data-section='headline'] .diff")
    expect(headline.locator("del")).to_have_text(["on"])
    expect(headline.locator("ins")).to_have_text(["after"])
    expect(comparison.locator(".comparison__sides tr", has_text="Model chosen").locator("td")).to_have_text(["—", LARGE])
    screenshot(page, "model-calls-compare")

    section.get_by_label("Note (optional)").fill("Reads well")
    section.get_by_role("button", name="Good report").click()
    expect(section.locator(".model-calls__rating")).to_have_text("Rated good by local-admin: Reads well")
    assert API_KEY not in page.content()

    page.goto(f"{host.base_url}/admin/ops")
    table = page.locator("#model-review-table")
    default = table.locator("tbody tr[data-model='stub-model']")
    expect(default.locator("th")).to_have_text("openai · stub-model")
    expect(default.locator("td")).to_have_text(
        [re.compile(r"^exec-report@\w{12} \(current\)$"), "1", "100%", re.compile(r"ms"), "642 in · 246 out", "no price set", "100% of 1"]
    )
    expect(table.locator("tbody tr[data-model='stub-model-large'] td").last).to_have_text("not rated")


def test_a_viewer_reads_model_calls_but_gets_no_rerun_or_rating_controls(own_sample_host, new_page) -> None:
    sample = own_sample_host(AUTH_MODE="platform")
    principal = {"identityProvider": "aad", "userId": "v1", "userDetails": "vera@contoso.com", "userRoles": ["anonymous", "authenticated", "viewer"]}
    page = new_page(extra_http_headers={"x-ms-client-principal": base64.b64encode(json.dumps(principal).encode()).decode()})
    open_jobs(page, sample.base_url)
    expect(page.locator("html")).to_have_attribute("data-can-write", "false")
    row(page, sample.jobs["succeeded"].job_id).get_by_role("button", name=re.compile("^Details")).click()

    section = page.locator("#details-body [data-section='model-calls']")
    expect(section).to_contain_text("No model calls were recorded for this job")
    expect(section.locator(".model-calls__rating")).to_have_text("Not rated yet.")
    for name in ("Good report", "Bad report", "Re-run with this model"):
        expect(section.get_by_role("button", name=name)).to_be_hidden()
