"""Timer triggers on their NCRONTAB schedules: six fields with seconds first, in UTC, never overlapping.

Each timer has one thread that calls the function and only then looks at the schedule again, so a
run never overlaps the previous one (Azure holds a singleton lock per timer). Occurrences that came
while a run was still going are not queued up: they become one run right after it, with `past_due`
set. A run that starts late for any other reason (a suspended laptop) is past due too.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta

from azure.functions.timer import TimerRequest
from croniter import croniter

from local_host.functions import TimerFunction
from local_host.settings_refs import UnresolvedSetting, resolve_reference
from local_host.work import WorkTracker

log = logging.getLogger(__name__)
# A run that starts later than this after its occurrence is past due; below it is thread wake-up jitter.
PAST_DUE_AFTER = timedelta(seconds=1)


class ScheduleError(ValueError):
    """A timer's schedule cannot be used; the message names the timer and the setting."""


class Schedule:
    def __init__(self, expression: str) -> None:
        fields = expression.split()
        if len(fields) != 6:
            raise ScheduleError(f"{expression!r} is not an NCRONTAB expression with six fields, seconds first")
        # croniter reads a sixth field as seconds; second_at_beginning makes it read NCRONTAB's order.
        try:
            croniter(expression, second_at_beginning=True)
        except (ValueError, KeyError) as err:
            raise ScheduleError(f"{expression!r} is not a valid NCRONTAB expression: {err}") from None
        self.expression = expression

    def next_after(self, moment: datetime) -> datetime:
        return croniter(self.expression, moment, second_at_beginning=True).get_next(datetime)


def resolve_schedule(timer: TimerFunction) -> Schedule:
    """The timer's schedule with a `%SETTING%` reference read from the environment (or the setting's default)."""
    try:
        return Schedule(resolve_reference(timer.schedule, f"timer {timer.name}").strip())
    except UnresolvedSetting as err:
        raise ScheduleError(str(err).replace("it reads", "its schedule is")) from None
    except ScheduleError as err:
        raise ScheduleError(f"timer {timer.name}: {err}") from None


class TimerRunner:
    def __init__(self, timer: TimerFunction, schedule: Schedule, tracker: WorkTracker) -> None:
        self.timer = timer
        self.schedule = schedule
        self.tracker = tracker
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"timer-{timer.name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """No new runs start after this; a run in progress finishes (see WorkTracker)."""
        self._stop.set()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def next_run(self) -> datetime:
        return self.schedule.next_after(_now())

    def _loop(self) -> None:
        if self.timer.run_on_startup:
            self._invoke(past_due=False)
        due = self.schedule.next_after(_now())
        catching_up = False
        while not self._stop.wait(max(0.0, (due - _now()).total_seconds())):
            started = _now()
            self._invoke(past_due=catching_up or started - due > PAST_DUE_AFTER)
            finished = _now()
            # max(): the wait may end a hair before `due` on the wall clock; that occurrence is served.
            upcoming = self.schedule.next_after(max(started, due))
            catching_up = upcoming <= finished
            due = finished if catching_up else upcoming

    def _invoke(self, past_due: bool) -> None:
        if self._stop.is_set():
            return
        started = time.monotonic()
        # func.TimerRequest is the abstract type; this is the class Azure's worker builds for a timer.
        request = TimerRequest(past_due=past_due, schedule={"AdjustForDST": True})
        with self.tracker.running():
            try:
                self.timer.call(**{self.timer.arg_name: request})
            except Exception:
                log.exception("timer %s failed after %.0f ms", self.timer.name, (time.monotonic() - started) * 1000)
                return
        log.info("timer %s ran in %.0f ms%s", self.timer.name, (time.monotonic() - started) * 1000, " (past due)" if past_due else "")


def _now() -> datetime:
    return datetime.now(UTC)
