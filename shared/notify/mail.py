"""Failure emails: one per failed job, or a digest listing several; plain text and HTML, sent over
SMTP with STARTTLS using only the standard library (smtplib, ssl, email.message).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from html import escape

from shared.config import Settings
from shared.notify.errors import DeliveryError, network_reason
from shared.notify.notices import FailedJob, job_link, jobs_link

SUBJECT_PREFIX = "[AI Jobs Monitor]"
MAX_SUBJECT_CHARS = 180


def _one_line(text: str) -> str:
    # Header injection: job text in a header must not carry a line break.
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_SUBJECT_CHARS else flat[: MAX_SUBJECT_CHARS - 1] + "…"


def subject_for(jobs: list[FailedJob]) -> str:
    if len(jobs) == 1:
        job = jobs[0]
        return _one_line(f"{SUBJECT_PREFIX} Report job failed: {job.scope} {job.period}")
    return f"{SUBJECT_PREFIX} {len(jobs)} report jobs failed"


def _facts(job: FailedJob, base_url: str) -> list[tuple[str, str]]:
    facts = [
        ("Job", job.job_id),
        ("Scope", job.scope),
        ("Period", job.period),
        ("Reason", job.reason),
        ("Attempts", f"{job.attempts} of {job.max_attempts}"),
        ("Failed at", job.finished_at),
    ]
    link = job_link(base_url, job.job_id)
    return [*facts, ("Open", link)] if link else facts


def _text(jobs: list[FailedJob], base_url: str) -> str:
    intro = "A report job failed and will not be retried." if len(jobs) == 1 else f"{len(jobs)} report jobs failed and will not be retried."
    blocks = ["\n".join(f"{name + ':':<11}{value}" for name, value in _facts(job, base_url)) for job in jobs]
    footer = jobs_link(base_url)
    return intro + "\n\n" + "\n\n".join(blocks) + (f"\n\nAll failed jobs: {footer}\n" if footer else "\n")


def _html(jobs: list[FailedJob], base_url: str) -> str:
    intro = "A report job failed and will not be retried." if len(jobs) == 1 else f"{len(jobs)} report jobs failed and will not be retried."
    tables = []
    for job in jobs:
        rows = []
        for name, value in _facts(job, base_url):
            cell = f'<a href="{escape(value, quote=True)}">Open the job in the admin page</a>' if name == "Open" else escape(value)
            rows.append(f'<tr><th align="left" style="padding:2px 12px 2px 0">{escape(name)}</th><td>{cell}</td></tr>')
        tables.append('<table style="border-collapse:collapse;margin:0 0 16px">' + "".join(rows) + "</table>")
    return f'<!DOCTYPE html><html><body style="font-family:sans-serif"><p>{escape(intro)}</p>{"".join(tables)}</body></html>'


def build_message(jobs: list[FailedJob], settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject_for(jobs)
    message["From"] = settings.email_from
    message["To"] = ", ".join(settings.email_to)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=settings.email_from.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to a robot
    message.set_content(_text(jobs, settings.admin_base_url))
    message.add_alternative(_html(jobs, settings.admin_base_url), subtype="html")
    return message


def send(message: EmailMessage, settings: Settings) -> None:
    """Deliver over SMTP; STARTTLS with certificate checks when enabled, never a clear-text fallback."""
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.notify_timeout_seconds) as smtp:
            smtp.ehlo()
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password)
            smtp.send_message(message)
    except smtplib.SMTPNotSupportedError:
        raise DeliveryError("the mail server does not offer STARTTLS (or login); nothing was sent") from None
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"the mail server refused the login ({exc.smtp_code})") from None
    except smtplib.SMTPRecipientsRefused:
        raise DeliveryError("the mail server refused every recipient") from None
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"the mail server answered {exc.smtp_code}") from None
    except ssl.SSLError as exc:
        raise DeliveryError(f"TLS with the mail server failed: {exc.reason or type(exc).__name__}") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"could not reach the mail server: {network_reason(exc)}") from None
