"""Failure notifications: a webhook (Slack or Teams) and email, sent after jobs' final states commit.

The worker calls `after_pass()` when a pass ends. Failed jobs are read from the committed job table
into an outbox (exec_report_notifications), and a background thread drains it with short timeouts,
so a slow or unreachable receiver never delays or breaks the worker. Worker health reads
`recent_delivery_failures()` to show what could not be delivered.
"""

from shared.notify.outbox import DeliveryFailure, recent_delivery_failures
from shared.notify.service import after_pass, run_notify_pass, wait_idle

__all__ = ["DeliveryFailure", "after_pass", "recent_delivery_failures", "run_notify_pass", "wait_idle"]
