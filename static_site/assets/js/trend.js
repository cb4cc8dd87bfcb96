// The jobs page's "Last 24 hours and the worker" panel, where Hangfire and Sidekiq put their graph and
// worker line: jobs succeeded and failed per hour (GET /api/admin/metrics, the Operations page's
// hourly rollups) and the worker's last and next run (GET /api/admin/health). Loaded when the panel
// first opens, read again on every opening.

import { ApiError } from "./api.js";
import { h } from "./dom.js";
import { count, duration, formatTime, onZone, timeEl } from "./format.js";
import { getHealth, getMetrics } from "./ops/api.js";

const UP = 30; // px for the busiest hour, succeeded above the line
const DOWN = 14; // and failed below it

const secondsBetween = (fromIso, toIso) => (Date.parse(toIso) - Date.parse(fromIso)) / 1000;

function bar(kind, value, most, room) {
  const el = h("span", { class: `trend__${kind}` });
  el.style.height = `${value > 0 ? Math.max(1, Math.round((room * value) / most)) : 0}px`; // through the CSSOM, which the CSP allows
  return el;
}

// One column per hour, succeeded up from the line and failed down; its title (and data-*) say the hour and both counts.
function sparkline(metrics) {
  const { buckets, series, totals } = metrics;
  const most = Math.max(1, ...series.succeeded, ...series.failed);
  const label = `Jobs per hour, the last 24 hours: ${count(totals.succeeded)} succeeded, ${count(totals.failed)} failed`;
  return h("div", { class: "trend__chart", role: "img", "aria-label": label }, ...buckets.map((start, i) => {
    const [ok, failed] = [series.succeeded[i], series.failed[i]];
    return h("span", { class: "trend__hour", title: `${formatTime(start, "clock")}: ${count(ok)} succeeded, ${count(failed)} failed`, dataset: { hour: start, succeeded: ok, failed } },
      h("span", { class: "trend__up" }, bar("ok", ok, most, UP)),
      h("span", { class: "trend__down" }, bar("failed", failed, most, DOWN)));
  }));
}

function trendBlock(metrics) {
  const { succeeded, failed } = metrics.totals;
  return h("div", { class: "trend" },
    h("p", { class: "trend__totals" },
      h("span", { class: "trend__count trend__count--ok", dataset: { total: "succeeded" }, text: `${count(succeeded)} succeeded` }), " · ",
      h("span", { class: "trend__count trend__count--failed", dataset: { total: "failed" }, text: `${count(failed)} failed` }),
      h("span", { class: "muted" }, " of the jobs created in the last 24 hours, per hour of creation")),
    h("div", { class: "trend__plot" }, sparkline(metrics), h("p", { class: "trend__ends muted" }, timeEl(metrics.since, "clock"), h("span", { text: "now" }))),
  );
}

function workerBlock(health) {
  const run = health.last_run;
  const next = health.schedule.next_run_at;
  return h("dl", { class: "trend__worker" },
    h("dt", { text: "Last worker run" }),
    h("dd", { dataset: { worker: "last" } }, ...(run
      ? [timeEl(run.started_at, "compact"), ` · ${duration(secondsBetween(run.started_at, health.now))} ago · ${run.trigger} · ${run.state}`]
      : ["No runs yet"])),
    h("dt", { text: "Next scheduled run" }),
    h("dd", { dataset: { worker: "next" } }, ...(next
      ? [timeEl(next, "compact"), ` · in ${duration(Math.max(0, secondsBetween(health.now, next)))}`]
      : [health.schedule.error || "None scheduled"])),
  );
}

const failed = (what) => (err) => {
  if (!(err instanceof ApiError)) throw err;
  return h("p", { class: "error-message", role: "alert", text: `Could not load ${what}: ${err.message}` });
};

export function createTrend() {
  const body = h("div", { class: "trend-panel", "aria-live": "polite" }, h("p", { class: "muted", text: "Loading…" }));
  let shown = null; // the last answers, drawn again in a new zone

  function draw() {
    const [metrics, health] = shown;
    body.replaceChildren(metrics instanceof Node ? metrics : trendBlock(metrics), health instanceof Node ? health : workerBlock(health));
  }

  async function load() {
    shown = await Promise.all([
      getMetrics({ range: "24h", bucket: "hour" }).catch(failed("the last 24 hours")),
      getHealth().catch(failed("the worker's runs")),
    ]);
    draw();
  }

  onZone(() => shown && draw());
  return { elements: [body], opened: load };
}
