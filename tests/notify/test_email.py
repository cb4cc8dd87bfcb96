"""Failure emails through a real SMTP server on 127.0.0.1 (aiosmtpd, STARTTLS with a throwaway
certificate, login), sent after real worker passes fail real jobs in a real SQLite file.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest

from shared import notify
from shared.clock import utc_now
from shared.jobs.models import Status
from tests.notify.helpers import ADMIN, RECIPIENTS, context_with, email_env, run_failing, settle
from tests.notify.servers import SMTP_PASSWORD, SMTP_USER, HoldingServer, SmtpServer, free_port

XSS = '<img src=x onerror="alert(1)">'


def test_a_failed_job_emails_every_recipient_with_text_and_html_parts(tmp_path: Path, smtp: SmtpServer) -> None:
    with context_with(tmp_path, email_env(smtp.port)) as context:
        _, (job,) = run_failing(context, "NET-EMEA")
        settle()

    (mail,) = smtp.mails
    assert mail.tls and mail.login == SMTP_USER  # STARTTLS with a verified certificate, then the login
    assert mail.mail_from == "jobs-monitor@example.com" and sorted(mail.rcpt_tos) == sorted(RECIPIENTS)
    assert mail.subject == "[AI Jobs Monitor] Report job failed: network NET-EMEA 2026-W07"
    assert mail.message["Auto-Submitted"] == "auto-generated"
    link = f"{ADMIN}/admin/jobs?job={job.job_id}"
    text, html = mail.part("plain"), mail.part("html")
    for expected in (job.job_id, "network NET-EMEA", "2026-W07", job.reason, "1 of 3", link):
        assert expected in text, expected
        assert expected in html, expected
    assert f'<a href="{link}">' in html


def test_job_text_in_the_html_part_is_escaped(tmp_path: Path, smtp: SmtpServer) -> None:
    with context_with(tmp_path, email_env(smtp.port)) as context:
        run_failing(context, XSS)
        settle()

    (mail,) = smtp.mails
    html = mail.part("html")
    assert "<img" not in html and 'onerror="' not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert XSS in mail.part("plain")  # plain text shows it as written
    assert XSS in mail.subject


def test_a_scope_with_a_line_break_cannot_add_mail_headers(tmp_path: Path, smtp: SmtpServer) -> None:
    with context_with(tmp_path, email_env(smtp.port)) as context:
        run_failing(context, "NET\r\nBcc: attacker@example.com")
        settle()

    (mail,) = smtp.mails
    assert mail.message["Bcc"] is None and "attacker@example.com" not in mail.rcpt_tos
    assert mail.subject == "[AI Jobs Monitor] Report job failed: network NET Bcc: attacker@example.com 2026-W07"


def test_digest_mode_sends_one_email_per_interval_listing_the_failures(tmp_path: Path, smtp: SmtpServer) -> None:
    with context_with(tmp_path, email_env(smtp.port, EMAIL_DIGEST_MINUTES="30")) as context:
        _, first = run_failing(context, "NET-A", "NET-B", "NET-C")
        settle()
        assert len(smtp.mails) == 1
        digest = smtp.mails[0]
        assert digest.subject == "[AI Jobs Monitor] 3 report jobs failed"
        assert all(job.job_id in digest.part("plain") and job.job_id in digest.part("html") for job in first)

        # More failures inside the interval wait for the next digest.
        _, second = run_failing(context, "NET-D", "NET-E")
        settle()
        assert len(smtp.mails) == 1

        notify.run_notify_pass(context, clock=lambda: utc_now() + timedelta(minutes=31))

    assert len(smtp.mails) == 2
    later = smtp.mails[1]
    assert later.subject == "[AI Jobs Monitor] 2 report jobs failed"
    text = later.part("plain")
    assert all(job.job_id in text for job in second) and not any(job.job_id in text for job in first)


def test_each_failure_is_emailed_once_however_many_passes_run(tmp_path: Path, smtp: SmtpServer) -> None:
    with context_with(tmp_path, email_env(smtp.port)) as context:
        run_failing(context, "NET-EMEA")
        settle()
        run_failing(context)
        settle()
        notify.run_notify_pass(context)

    assert [mail.subject for mail in smtp.mails] == ["[AI Jobs Monitor] Report job failed: network NET-EMEA 2026-W07"]


def test_mail_server_down_the_worker_finishes_and_the_failure_is_recorded(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    with context_with(tmp_path, email_env(free_port())) as context:
        summary, jobs = run_failing(context, "NET-A", "NET-B")
        settle()
        failures = notify.recent_delivery_failures(context.db, 10)

    assert summary.failed == 2 and summary.error is None
    assert all(job.status == Status.FAILED for job in jobs)
    assert failures and failures[0].channel == "email" and not failures[0].given_up
    assert failures[0].error == "email: could not reach the mail server: Connection refused"
    assert failures[0].to_dict()["next_attempt_at"] is not None
    assert "not delivered" in caplog.text
    assert SMTP_PASSWORD not in caplog.text


def test_a_stalled_mail_server_does_not_hold_up_the_worker(tmp_path: Path) -> None:
    with HoldingServer() as stalled, context_with(tmp_path, email_env(stalled.port, SMTP_STARTTLS="false", SMTP_USERNAME="")) as context:
        summary, (job,) = run_failing(context, "NET-EMEA")
        # The pass is over, its job committed as failed, while the mail server still has not said hello.
        assert summary.failed == 1 and job.status == Status.FAILED
        assert stalled.accepted.wait(10)
        assert not notify.wait_idle(0), "the email was sent before the pass returned"
        stalled.release.set()
        settle()
        (failure,) = notify.recent_delivery_failures(context.db, 10)

    assert failure.job_id == job.job_id and failure.error.startswith("email: could not reach the mail server")


def test_no_starttls_on_offer_means_nothing_is_sent_in_clear_text(tmp_path: Path) -> None:
    with SmtpServer() as plain, context_with(tmp_path, email_env(plain.port)) as context:
        run_failing(context, "NET-EMEA")
        settle()
        (failure,) = notify.recent_delivery_failures(context.db, 10)

    assert plain.mails == []
    assert failure.error == "email: the mail server does not offer STARTTLS (or login); nothing was sent"


def test_an_untrusted_certificate_is_refused(tmp_path: Path, cert: tuple[Path, Path]) -> None:
    # No SSL_CERT_FILE here: the throwaway certificate is trusted by nobody.
    with SmtpServer(cert=cert) as server, context_with(tmp_path, email_env(server.port)) as context:
        run_failing(context, "NET-EMEA")
        settle()
        (failure,) = notify.recent_delivery_failures(context.db, 10)

    assert server.mails == []
    assert failure.error == "email: TLS with the mail server failed: CERTIFICATE_VERIFY_FAILED"


def test_a_wrong_password_is_reported_without_the_password(tmp_path: Path, smtp: SmtpServer, caplog: pytest.LogCaptureFixture) -> None:
    with context_with(tmp_path, email_env(smtp.port, SMTP_PASSWORD="not-the-Right-one-42")) as context:
        run_failing(context, "NET-EMEA")
        settle()
        (failure,) = notify.recent_delivery_failures(context.db, 10)

    assert smtp.mails == []
    assert failure.error == "email: the mail server refused the login (535)"
    assert "not-the-Right-one-42" not in caplog.text
