"""The alert webhook: Slack (`text` + `blocks`) or Teams (an Adaptive Card message), posted with urllib.

The standard library is enough for one JSON POST with a timeout, so no HTTP client is added.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from shared.notify.errors import DeliveryError, network_reason
from shared.notify.notices import JOB_FAILED, FailedJob, FailureRate, job_link, jobs_link

JOB_TITLE = "Report job failed"
RATE_TITLE = "Report job failure rate is high"


def render(kind: str, payload: dict[str, Any], fmt: str, base_url: str) -> dict[str, Any]:
    """The JSON body for one outbox message, in the configured format."""
    if kind == JOB_FAILED:
        job = FailedJob.from_payload(payload)
        facts = [
            ("Job", job.job_id),
            ("Scope", job.scope),
            ("Period", job.period),
            ("Attempts", f"{job.attempts} of {job.max_attempts}"),
            ("Failed at", job.finished_at),
        ]
        title, text, link, summary = JOB_TITLE, job.reason, job_link(base_url, job.job_id), f"{JOB_TITLE}: {job.scope} {job.period}"
    else:
        rate = FailureRate.from_payload(payload)
        facts = [("Window", f"{rate.window_minutes} min"), ("Finished", str(rate.finished)), ("Failed", str(rate.failed))]
        title, text, link, summary = RATE_TITLE, rate.sentence(), jobs_link(base_url), f"{RATE_TITLE}: {rate.rate:.0%}"
    if fmt == "teams":
        return _teams(title, text, facts, link)
    return _slack(title, summary, text, facts, link)


def _slack_escape(text: str) -> str:
    # Slack reads <...> as links and mentions (<!channel>); job text must never become one.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack(title: str, summary: str, text: str, facts: list[tuple[str, str]], link: str | None) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _slack_escape(text)}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f"*{name}*\n{_slack_escape(value)}"} for name, value in facts]},
    ]
    if link:
        blocks.append({"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Open in admin"}, "url": link}]})
    return {"text": _slack_escape(f"{summary}: {text}"), "blocks": blocks}


def _teams(title: str, text: str, facts: list[tuple[str, str]], link: str | None) -> dict[str, Any]:
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            {"type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium", "color": "Attention", "wrap": True},
            {"type": "TextBlock", "text": text, "wrap": True},
            {"type": "FactSet", "facts": [{"title": name, "value": value} for name, value in facts]},
        ],
    }
    if link:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Open in admin", "url": link}]
    return {"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}]}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A webhook that redirects is misconfigured; following it would re-send the alert elsewhere as a GET."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(url: str, body: dict[str, Any], timeout: float) -> None:
    """POST the JSON body; raise DeliveryError (never naming the URL, which holds a secret) unless 2xx."""
    if not url.startswith(("https://", "http://")):
        raise DeliveryError("the webhook URL must be http(s)")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked just above and by the setting
        url,
        data=json.dumps(body).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "ai-jobs-monitor-alerts"},
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            response.read(4096)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"webhook answered HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        raise DeliveryError(f"could not reach the webhook: {network_reason(exc.reason)}") from None
    except (TimeoutError, OSError) as exc:
        raise DeliveryError(f"could not reach the webhook: {network_reason(exc)}") from None
