// The jobs table. One click listener serves every row; rows are rebuilt on each refresh, and focus
// returns to the same control in the new row. Each row has its selection box (for bulk actions) and
// the actions its status allows; `handlers` does what they ask.

import { findByFocusKey, focusKeyOf, h } from "./dom.js";
import { DASH, shortId } from "./format.js";
import { canCancel, canRetry } from "./statuses.js";
import { copyButton, processingTimeEl, queueTimeEl, statusBadge, timeEl } from "./widgets.js";

const COLUMNS = 10;

// handlers: details, cancel, retry, copy (jobId, button); select (jobId, checked); isSelected (jobId).
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
    render(jobs, receivedAt, emptyText) {
      replaceRows(jobs.length ? jobs.map((job) => jobRow(job, receivedAt, handlers.isSelected(job.job_id))) : [messageRow(emptyText, "empty")]);
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

function jobRow(job, receivedAt, selected) {
  const id = job.job_id;
  return h("tr", { dataset: { jobId: id, status: job.status } },
    h("td", { class: "select-cell", dataset: { write: "" } },
      h("input", { type: "checkbox", "aria-label": `Select job ${shortId(id)}`, checked: selected, dataset: { jobId: id, focusKey: `select:${id}` } })),
    h("td", { "data-label": "Job ID" },
      h("span", { class: "job-id" }, h("code", { title: id, text: shortId(id) }), copyButton(id, "row-"))),
    h("td", { "data-label": "Scope" },
      h("span", { class: "scope" }, h("span", { class: "scope__type", text: job.scope_type }), h("span", { class: "scope__key", text: job.scope_key }))),
    h("td", { "data-label": "Period", text: job.period || DASH }),
    h("td", { "data-label": "Status" }, statusBadge(job.status)),
    h("td", { "data-label": "Created" }, timeEl(job.created_at, { compact: true })),
    h("td", { "data-label": "Queue time" }, queueTimeEl(job, receivedAt)),
    h("td", { "data-label": "Processing time" }, processingTimeEl(job, receivedAt)),
    h("td", { "data-label": "Created by", text: job.created_by || DASH }),
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
