// The jobs table: rows rebuilt on each refresh (focus returns to the same control), one listener
// for all. `handlers` does what a row's box and buttons ask.

import { findByFocusKey, focusKeyOf, h } from "./dom.js";
import { DASH, count, shortId, timeEl, utcTitle } from "./format.js";
import { canCancel, canRetry, waitingToRetry } from "./statuses.js";
import { copyButton, processingTimeEl, queueTimeEl, statusBadge } from "./widgets.js";

const COLUMNS = 12;
const TEXT_MATCH = 3; // the search matches text from 3 characters on; a shorter q only a job id's start

// handlers: details, cancel, retry, copy (jobId, button); select (jobId, checked); isSelected.
export function createJobsTable(tbody, handlers) {
  tbody.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (button) handlers[button.dataset.action]?.(button.dataset.jobId, button);
  });
  tbody.addEventListener("change", (event) => {
    const box = event.target.closest("input[type=checkbox][data-job-id]");
    if (box) handlers.select(box.dataset.jobId, box.checked);
  });

  function replaceRows(rows) {
    const focusKey = tbody.contains(document.activeElement) ? focusKeyOf(document.activeElement) : null;
    tbody.replaceChildren(...rows);
    if (focusKey) findByFocusKey(focusKey)?.focus({ preventScroll: true });
  }

  return {
    // q: the search text, marked where it matched.
    render(jobs, receivedAt, emptyText, q = "") {
      replaceRows(jobs.length ? jobs.map((job) => jobRow(job, receivedAt, handlers.isSelected(job.job_id), q.trim())) : [messageRow(emptyText, "empty")]);
    },
    showMessage(text, tone) {
      replaceRows([messageRow(text, tone)]);
    },
    /** The ids of the rows shown, in order. */
    shownIds() {
      return [...tbody.querySelectorAll("tr[data-job-id]")].map((row) => row.dataset.jobId);
    },
    /** Ticks or clears every row's selection box (the selection itself is the caller's). */
    checkAll(checked) {
      for (const box of tbody.querySelectorAll(".select-cell input")) box.checked = checked;
    },
  };
}

function actionButton(action, label, jobId, extra = {}) {
  return h("button", {
    type: "button", class: "btn btn--small", "aria-label": `${label} job ${shortId(jobId)}`, text: label,
    ...extra, dataset: { action, jobId, focusKey: `${action}:${jobId}`, ...extra.dataset },
  });
}

// text with each match of q (any case) marked; for a job id, only at its start.
function marked(text, q, { prefix = false } = {}) {
  if (!text || !q || (!prefix && q.length < TEXT_MATCH)) return text || DASH;
  const lower = text.toLowerCase();
  const needle = q.toLowerCase();
  if (prefix) return lower.startsWith(needle) ? [h("mark", { text: text.slice(0, q.length) }), text.slice(q.length)] : text;
  const parts = [];
  let at = 0;
  for (let found = lower.indexOf(needle); found !== -1; found = lower.indexOf(needle, at)) {
    parts.push(text.slice(at, found), h("mark", { text: text.slice(found, found + q.length) }));
    at = found + q.length;
  }
  parts.push(text.slice(at));
  return parts;
}

// A succeeded job shows its model instead. The reason on one line (full on hover), starting near a far match so the mark shows; a match
// found only in the stack trace (not in the list) says so.
function reasonCell(job, q) {
  if (job.status === "succeeded") return h("td", { "data-label": "Model" }, h("span", { class: "reason muted", title: job.gen_model, text: job.gen_model ?? DASH }));
  const reason = job.reason ?? "";
  const searched = q.length >= TEXT_MATCH ? q.toLowerCase() : "";
  const at = searched ? reason.toLowerCase().indexOf(searched) : -1;
  const shown = at > 40 ? `…${reason.slice(at - 20)}` : reason;
  const elsewhere = searched && at === -1 && ![job.scope_key, job.created_by ?? "", job.job_id].some((text) => text.toLowerCase().includes(searched));
  return h("td", { "data-label": "Reason" },
    h("span", { class: "reason", title: reason || null }, marked(shown, q)),
    elsewhere && h("span", { class: "muted reason-note", text: " · matched in the stack trace" }));
}

// Waiting for its next attempt reads "Retry 2 of 3 at 21:04", apart from a plain queued job.
function stateBadge(job) {
  if (!waitingToRetry(job)) return statusBadge(job.status);
  return h("span", { class: "badge badge--retrying", title: `Next attempt from ${utcTitle(job.run_after)}` },
    `Retry ${count(job.attempts + 1)} of ${count(job.max_attempts)} at `, timeEl(job.run_after, "clock"));
}

function jobRow(job, receivedAt, selected, q) {
  const id = job.job_id;
  return h("tr", { dataset: { jobId: id, status: job.status } },
    h("td", { class: "select-cell", dataset: { write: "" } },
      h("input", { type: "checkbox", "aria-label": `Select job ${shortId(id)}`, checked: selected, dataset: { jobId: id, focusKey: `select:${id}` } })),
    h("td", { "data-label": "Job ID" },
      h("span", { class: "job-id" }, h("code", { title: id }, marked(shortId(id), q, { prefix: true })), copyButton(id, "row-"))),
    h("td", { "data-label": "Scope" },
      h("span", { class: "scope" }, h("span", { class: "scope__type", text: job.scope_type }), h("span", { class: "scope__key" }, marked(job.scope_key, q)))),
    h("td", { "data-label": "Period", text: job.period || DASH }),
    h("td", { "data-label": "Status" }, stateBadge(job)),
    h("td", { "data-label": "Attempts", text: `${count(job.attempts)} of ${count(job.max_attempts)}` }),
    reasonCell(job, q),
    h("td", { "data-label": "Created" }, timeEl(job.created_at, "compact")),
    h("td", { "data-label": "Queue time" }, queueTimeEl(job, receivedAt)),
    h("td", { "data-label": "Processing time" }, processingTimeEl(job, receivedAt)),
    h("td", { "data-label": "Created by", title: job.created_by }, marked(job.created_by, q)),
    h("td", { class: "actions-cell" }, h("div", { class: "row-actions" },
      actionButton("details", "Details", id, { "aria-label": `Details of job ${shortId(id)}` }),
      canCancel(job.status) && actionButton("cancel", "Cancel", id, { class: "btn btn--small btn--danger-outline" }),
      canRetry(job.status) && actionButton("retry", "Retry", id, { dataset: { write: "" } }),
    )),
  );
}

function messageRow(text, tone) {
  return h("tr", { class: `message-row message-row--${tone}` }, h("td", { colspan: String(COLUMNS), text }));
}
