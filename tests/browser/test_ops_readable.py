"""The Operations page reads right: the queue-wait chart's Y axis is wide enough for its longest label
(a 66.7 min wait once read "6.7 min"), its ticks fall on round steps, and a job id opens its Details."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

from playwright.sync_api import expect

from shared.clock import utc_now
from shared.jobs.models import Status
from tests.browser.data import open_db
from tests.browser.host import start_host
from tests.metrics.jobs import add_timed_job

ROUND_STEPS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400}
UNIT_SECONDS = {"s": 1, "min": 60, "h": 3600, "d": 86400}
UPLOT_AXIS_FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', sans-serif"  # uPlot's default
AXIS_AND_LABELS = """(plot, font) => {
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = font;
  const labels = JSON.parse(plot.dataset.yLabels).filter(Boolean);
  return { axis: plot.querySelectorAll(".u-axis")[1].getBoundingClientRect().width, labels, widest: Math.max(...labels.map((t) => ctx.measureText(t).width)) };
}"""


def test_the_time_axis_fits_its_labels_on_round_ticks(tmp_path, new_page) -> None:
    path = tmp_path / "jobs.sqlite3"
    db = open_db(path)
    created = utc_now() - timedelta(hours=2)
    add_timed_job(db, created, Status.SUCCEEDED, 4_000, 12)  # waited 66.7 min
    add_timed_job(db, created, Status.SUCCEEDED, 30, 20)
    db.close()
    host = start_host(tmp_path, sqlite_path=path)
    try:
        page = new_page(viewport={"width": 1280, "height": 1800})
        page.goto(f"{host.base_url}/admin/ops")
        timing = page.locator("[data-chart='timing'] .ops-chart__plot")
        expect(timing).to_have_attribute("data-y-labels", re.compile("min"))
        seen = timing.evaluate(AXIS_AND_LABELS, UPLOT_AXIS_FONT)
        ticks = [float(number) * UNIT_SECONDS[unit] for number, unit in (label.split() for label in seen["labels"])]
        steps = {round(b - a) for a, b in itertools.pairwise(ticks)}
        assert len(ticks) >= 3 and len(steps) == 1 and steps <= ROUND_STEPS, seen["labels"]  # e.g. 0 s, 15 min, 30 min, 45 min, 1 h
        assert seen["axis"] >= seen["widest"] + 8, f"the axis is {seen['axis']} px for a {seen['widest']} px label"
    finally:
        host.stop()
