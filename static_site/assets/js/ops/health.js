// The Worker health panel from GET /api/admin/health: last and next run, warnings, running jobs'
// leases, passes that failed, and alerts that could not be delivered. All text via textContent.

import { appendAll, h } from "../dom.js";
import { DASH, count, duration, formatTime, shortId, timeEl, titleCase } from "../format.js";

const RUN_STATE_TONE = { ok: "succeeded", failed: "failed", running: "running", unfinished: "failed" };
const RUN_COUNTS = ["claimed", "succeeded", "failed", "requeued", "canceled", "reaped"];

function secondsBetween(fromIso, toIso) {
  return (Date.parse(toIso) - Date.parse(fromIso)) / 1000;
}

function stateBadge(state) {
  return h("span", { class: `badge badge--${RUN_STATE_TONE[state] ?? "canceled"}`, text: titleCase(state) });
}

function card(key, label, ...body) {
  return h("div", { class: "ops-card", dataset: { card: key } }, h("span", { class: "stat__label", text: label }), ...body);
}

function lastRunCard(run, now) {
  if (!run) return card("last-run", "Last worker run", h("p", { class: "ops-card__value", text: "No runs yet" }));
  const counts = RUN_COUNTS.filter((name) => run[name] > 0 || name === "claimed").map((name) => `${count(run[name])} ${name}`).join(" · ");
  return card("last-run", "Last worker run",
    h("p", { class: "ops-card__value" }, `${duration(secondsBetween(run.started_at, now))} ago `, stateBadge(run.state)),
    h("p", { class: "muted" }, timeEl(run.started_at), ` · ${run.trigger}`, run.duration_ms === null ? "" : ` · took ${duration(run.duration_ms / 1000)}`),
    h("p", { class: "ops-card__counts", text: counts }),
    run.error && h("p", { class: "error-message wrap", text: run.error }),
  );
}

function nextRunCard(schedule, now) {
  if (!schedule.next_run_at) {
    return card("next-run", "Next scheduled run", h("p", { class: "ops-card__value", text: DASH }),
      h("p", { class: "error-message", text: schedule.error || "The schedule has no next run." }));
  }
  return card("next-run", "Next scheduled run",
    h("p", { class: "ops-card__value", text: `in ${duration(Math.max(0, secondsBetween(now, schedule.next_run_at)))}` }),
    h("p", { class: "muted" }, timeEl(schedule.next_run_at)),
    h("p", { class: "muted" }, "Schedule ", h("code", { text: schedule.expression }), " (UTC)"),
  );
}

function runningCard(running) {
  return card("running", "Running jobs",
    h("p", { class: "ops-card__value", text: `${count(running.total)} of ${count(running.limit)}` }),
    h("p", { class: "muted", text: "WORKER_GLOBAL_CONCURRENCY: the most that run at once on every instance" }),
    h("p", { class: running.stuck ? "error-message" : "muted", text: running.stuck ? `${count(running.stuck)} stuck past their lease` : "All leases current" }),
  );
}

function queueCard(queue, now) {
  if (!queue) {
    return card("queue", "Job queue", h("p", { class: "ops-card__value", text: "Off" }),
      h("p", { class: "muted", text: "JOB_DISPATCH=timer: jobs start on the worker timer." }));
  }
  if (queue.error) return card("queue", "Job queue", h("p", { class: "ops-card__value", text: DASH }), h("p", { class: "error-message wrap", text: queue.error }));
  const oldest = queue.oldest_age_seconds === null ? "no message waiting" : `oldest waited ${duration(queue.oldest_age_seconds)}`;
  return card("queue", `Job queue ${queue.name}`,
    h("p", { class: "ops-card__value", text: `${count(queue.length)} message(s)` }),
    h("p", { class: "muted", text: oldest }),
    h("p", { class: queue.poison_length ? "error-message" : "muted", text: `${count(queue.poison_length)} in ${queue.name}-poison` }),
  );
}

function poisonTable(queue) {
  const rows = (queue?.poison ?? []).map((message) => h("tr", {},
    h("td", {}, timeEl(message.inserted_at, "compact")),
    h("td", {}, message.job_id ? h("code", { title: message.job_id, text: shortId(message.job_id) }) : DASH),
    h("td", { class: "wrap", text: message.body }),
  ));
  return table("Poison messages", ["Queued", "Job", "Message"], rows, "No message failed its way into the poison queue.");
}

function warnings(data) {
  const items = [];
  if (data.behind_schedule) {
    items.push(`The timer missed its run due ${formatTime(data.schedule.last_due_at)}: the Functions host may be stopped.`);
  }
  if (data.running.stuck) {
    items.push(`${count(data.running.stuck)} running job(s) are past their lease: their worker stopped. The next worker pass requeues them, or fails them when no attempts are left.`);
  }
  const failedRuns = data.problem_runs.length;
  if (failedRuns) items.push(`${count(failedRuns)} worker run(s) failed or never finished in the last 7 days.`);
  if (data.queue?.poison_length) {
    items.push(`${count(data.queue.poison_length)} queue message(s) failed repeatedly and were moved to ${data.queue.name}-poison; their jobs stay queued for the timer.`);
  }
  if (data.queue?.error) items.push(data.queue.error);
  const undelivered = data.delivery_failures.length;
  if (undelivered) items.push(`${count(undelivered)} alert(s) could not be delivered.`);
  if (!items.length) return null;
  return h("ul", { class: "ops-warnings", "aria-label": "Warnings" }, items.map((text) => h("li", { text })));
}

function table(caption, headers, rows, empty) {
  if (!rows.length) return h("p", { class: "muted", text: empty });
  // Focusable, so a keyboard can scroll a table wider than a phone.
  return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption }, h("table", { class: "ops-table" },
    h("caption", { class: "visually-hidden", text: caption }),
    h("thead", {}, h("tr", {}, headers.map((label) => h("th", { scope: "col", text: label })))),
    h("tbody", {}, rows),
  ));
}

// A job id opens its Details on the jobs page (?job=ID, as alert links do).
function jobLink(jobId) {
  return h("a", { href: `/admin/jobs?${new URLSearchParams({ job: jobId })}`, "aria-label": `Details of job ${shortId(jobId)}` },
    h("code", { title: jobId, text: shortId(jobId) }));
}

function leaseCell(job) {
  if (job.stuck) return h("span", { class: "badge badge--failed", text: `Expired ${duration(job.overdue_seconds)} ago` });
  return job.lease_expires_at ? h("span", {}, "until ", timeEl(job.lease_expires_at, "compact")) : DASH;
}

function runningTable(running) {
  const rows = running.jobs.map((job) => h("tr", { class: job.stuck ? "ops-row--stuck" : null, dataset: { jobId: job.job_id } },
    h("td", {}, jobLink(job.job_id)),
    h("td", { text: `${job.scope_type} · ${job.scope_key}${job.period ? ` · ${job.period}` : ""}` }),
    h("td", { class: "wrap", text: job.worker_id || DASH }),
    h("td", { text: duration(job.running_seconds) }),
    h("td", { text: `${duration(job.lease_age_seconds)} ago` }),
    h("td", {}, leaseCell(job)),
    h("td", { text: `${count(job.attempts)} of ${count(job.max_attempts)}` }),
  ));
  return table("Running jobs", ["Job", "Scope", "Worker", "Running for", "Lease renewed", "Lease", "Attempt"], rows, "No jobs are running.");
}

function problemRunsTable(runs) {
  const rows = runs.map((run) => h("tr", {},
    h("td", {}, timeEl(run.started_at, "compact")),
    h("td", { text: run.trigger }),
    h("td", {}, stateBadge(run.state)),
    h("td", { text: run.duration_ms === null ? DASH : duration(run.duration_ms / 1000) }),
    h("td", { class: "wrap", text: run.error || (run.state === "unfinished" ? "No finish was recorded: the process stopped during the pass." : DASH) }),
  ));
  return table("Worker runs that failed", ["Started", "Trigger", "State", "Took", "Error"], rows, "No failed worker runs in the last 7 days.");
}

function deliveryTable(failures) {
  const rows = failures.map((failure) => h("tr", {},
    h("td", {}, timeEl(failure.last_attempt_at, "compact")),
    h("td", { text: `${failure.channel} · ${failure.kind}` }),
    h("td", {}, failure.job_id ? jobLink(failure.job_id) : DASH),
    h("td", { text: count(failure.attempts) }),
    h("td", {}, failure.given_up ? h("span", { class: "badge badge--failed", text: "Given up" }) : h("span", {}, "retry ", timeEl(failure.next_attempt_at, "compact"))),
    h("td", { class: "wrap", text: failure.error }),
  ));
  return table("Alerts not delivered", ["Last try", "Channel", "Job", "Tries", "Status", "Error"], rows, "Every alert was delivered.");
}

export function renderHealth(root, data) {
  root.replaceChildren();
  appendAll(root, [
    h("div", { class: "ops-cards" }, lastRunCard(data.last_run, data.now), nextRunCard(data.schedule, data.now), runningCard(data.running),
      queueCard(data.queue, data.now)),
    warnings(data),
    h("h3", { text: "Running jobs" }),
    runningTable(data.running),
    h("h3", { text: "Poison messages" }),
    poisonTable(data.queue),
    h("h3", { text: "Failed worker runs" }),
    problemRunsTable(data.problem_runs),
    h("h3", { text: "Alert delivery failures" }),
    deliveryTable(data.delivery_failures),
  ]);
}
