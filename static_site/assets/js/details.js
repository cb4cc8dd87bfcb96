// What the Details modal shows: Job Information, then Snapshot Details (succeeded) or Error Details
// (failed). Every value is text; the analysis JSON is rendered field by field, never as HTML.

import { h } from "./dom.js";
import { historySection } from "./manage/history.js";
import { modelCallsSection } from "./model-calls.js";
import { DASH, count, shortId, timeEl } from "./format.js";
import { bytes, milliseconds } from "./measures.js";
import { usd } from "./ops/money.js";
import { canCancel, canRetry } from "./statuses.js";
import { copyButton, processingTimeEl, queueTimeEl, statusBadge } from "./widgets.js";

// onChanged() runs after an action in Details (a re-run) changed the job.
export function detailsContent({ job, snapshot, history }, receivedAt, onChanged) {
  return [
    actionsBar(job),
    jobSection(job, receivedAt),
    job.status === "succeeded" && snapshotSection(snapshot),
    (job.status === "failed" || job.error_detail) && errorSection(job),
    history && historySection(history),
    modelCallsSection(job, onChanged),
  ];
}

// Cancel and Retry at the top, for the job's status; a viewer sees neither (data-write).
function actionsBar(job) {
  const button = (action, label, extra) => h("button", {
    type: "button", text: label, "aria-label": `${label} ${shortId(job.job_id)}`,
    dataset: { action, jobId: job.job_id, focusKey: `details-${action}` }, ...extra,
  });
  const cancel = canCancel(job.status) && button("cancel", "Cancel job", { class: "btn btn--danger-outline" });
  const retry = canRetry(job.status) && button("retry", "Retry job", { class: "btn btn--primary" });
  return (cancel || retry) && h("div", { class: "details-actions", dataset: { write: "" } }, cancel, retry);
}

function section(title, ...children) {
  return h("section", { class: "details-section" }, h("h3", { text: title }), ...children);
}

function facts(rows) {
  return h("dl", { class: "facts" }, rows.filter(Boolean).map(([term, value]) => [
    h("dt", { text: term }),
    h("dd", {}, value ?? DASH),
  ]));
}

function jobSection(job, receivedAt) {
  const active = canCancel(job.status);
  return section("Job Information", facts([
    ["Job ID", h("span", { class: "job-id" }, h("code", { class: "wrap", text: job.job_id }), copyButton(job.job_id, "details-"))],
    ["Scope", `${job.scope_type} · ${job.scope_key}`],
    ["Period", job.period || DASH],
    ["Status", statusBadge(job.status)],
    ["Created At", timeEl(job.created_at)],
    ["Started At", timeEl(job.started_at)],
    ["Finished At", timeEl(job.finished_at)],
    ["Queue Time", queueTimeEl(job, receivedAt)],
    ["Processing Time", processingTimeEl(job, receivedAt)],
    ["Created By", job.created_by || DASH],
    ["Attempts", `${count(job.attempts)} of ${count(job.max_attempts)}`],
    job.worker_id && ["Worker", job.worker_id],
    active && job.lease_expires_at && ["Lease Expires", timeEl(job.lease_expires_at)],
    active && job.heartbeat_at && ["Last Heartbeat", timeEl(job.heartbeat_at)],
    job.status === "queued" && job.run_after && ["Retry After", timeEl(job.run_after)],
    ["Reason", job.reason ? h("span", { class: "wrap", text: job.reason }) : DASH],
  ]));
}

function snapshotSection(snapshot) {
  if (!snapshot) return section("Snapshot Details", h("p", { class: "muted", text: "No snapshot was stored for this job." }));
  return section("Snapshot Details",
    facts([
      ["Snapshot Created", timeEl(snapshot.created_at)],
      ["Rows Processed", count(snapshot.rows_used)],
      ["AI Model", snapshot.gen_model || DASH],
      ["Generation Time", milliseconds(snapshot.gen_ms)],
      ["JSON Size", bytes(snapshot.json_size_bytes)],
      ["Prompt Tokens", count(snapshot.prompt_tokens)],
      ["Completion Tokens", count(snapshot.completion_tokens)],
      ["Total Tokens", count(snapshot.total_tokens)],
      ["Estimated Cost", usd(snapshot.cost) ?? "No price set for this model (MODEL_PRICES)"],
    ]),
    analysisView(snapshot.analysis),
  );
}

function analysisView(analysis) {
  if (!analysis || typeof analysis !== "object") {
    return h("p", { class: "muted", text: "The stored analysis could not be read as JSON." });
  }
  const list = (title, items) => Array.isArray(items) && items.length > 0 && [
    h("h5", { text: title }),
    h("ul", {}, items.map((item) => h("li", { text: asText(item) }))),
  ];
  return h("div", { class: "analysis" },
    h("h4", { text: "Analysis" }),
    analysis.headline && h("p", { class: "analysis__headline", text: asText(analysis.headline) }),
    analysis.summary && h("p", { text: asText(analysis.summary) }),
    kpiTable(analysis.kpis),
    list("Highlights", analysis.highlights),
    list("Risks", analysis.risks),
    list("Recommendations", analysis.recommendations),
  );
}

function kpiTable(kpis) {
  if (!Array.isArray(kpis) || kpis.length === 0) return null;
  const change = (value) => (typeof value === "number" ? `${value > 0 ? "+" : ""}${value}%` : DASH);
  return h("div", { class: "table-wrap" }, h("table", { class: "kpis" },
    h("thead", {}, h("tr", {}, ["KPI", "Value", "Previous", "Change"].map((label) => h("th", { scope: "col", text: label })))),
    h("tbody", {}, kpis.map((kpi) => h("tr", {},
      h("td", { text: asText(kpi?.name) }),
      h("td", { text: withUnit(kpi?.value, kpi?.unit) }),
      h("td", { text: withUnit(kpi?.previous, kpi?.unit) }),
      h("td", { text: change(kpi?.change_pct) }),
    ))),
  ));
}

function withUnit(value, unit) {
  if (value === null || value === undefined) return DASH;
  const text = typeof value === "number" ? value.toLocaleString() : asText(value);
  return unit ? `${text} ${asText(unit)}` : text;
}

function asText(value) {
  if (value === null || value === undefined) return DASH;
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function errorSection(job) {
  const failed = job.status === "failed";
  return section(failed ? "Error Details" : "Last Error (will retry)",
    h("h4", { text: "Error message" }),
    h("pre", { class: "error-text", text: job.reason || "No error message was recorded." }),
    h("h4", { text: "Stack trace" }),
    job.error_detail
      ? h("pre", { class: "error-text stack", tabindex: "0", text: job.error_detail })
      : h("p", { class: "muted", text: "No stack trace was recorded." }),
  );
}
