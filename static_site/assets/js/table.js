// The jobs table. One click listener serves every row; rows are rebuilt on each refresh, and focus
// returns to the same control in the new row.

import { findByFocusKey, focusKeyOf, h } from "./dom.js";
import { DASH, shortId } from "./format.js";
import { copyButton, durationEl, statusBadge, timeEl } from "./widgets.js";

const COLUMNS = 9;
const CANCELABLE = new Set(["queued", "running"]);

export function createJobsTable(tbody, handlers) {
  tbody.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (button) handlers[button.dataset.action]?.(button.dataset.jobId, button);
  });

  function replaceRows(rows) {
    const focusKey = tbody.contains(document.activeElement) ? focusKeyOf(document.activeElement) : null;
    tbody.replaceChildren(...rows);
    if (focusKey) findByFocusKey(focusKey)?.focus({ preventScroll: true });
  }

  return {
    render(jobs, receivedAt, emptyText) {
      replaceRows(jobs.length ? jobs.map((job) => jobRow(job, receivedAt)) : [messageRow(emptyText, "empty")]);
    },
    showMessage(text, tone) {
      replaceRows([messageRow(text, tone)]);
    },
  };
}

function jobRow(job, receivedAt) {
  const id = job.job_id;
  return h("tr", { dataset: { jobId: id, status: job.status } },
    h("td", { "data-label": "Job ID" },
      h("span", { class: "job-id" }, h("code", { title: id, text: shortId(id) }), copyButton(id, "row-"))),
    h("td", { "data-label": "Scope" },
      h("span", { class: "scope" }, h("span", { class: "scope__type", text: job.scope_type }), h("span", { class: "scope__key", text: job.scope_key }))),
    h("td", { "data-label": "Period", text: job.period || DASH }),
    h("td", { "data-label": "Status" }, statusBadge(job.status)),
    h("td", { "data-label": "Created" }, timeEl(job.created_at, { compact: true })),
    h("td", { "data-label": "Queue time" }, durationEl(job.queue_time_seconds, { live: job.status === "queued", receivedAt })),
    h("td", { "data-label": "Processing time" }, durationEl(job.processing_time_seconds, { live: job.status === "running", receivedAt })),
    h("td", { "data-label": "Created by", text: job.created_by || DASH }),
    h("td", { class: "actions-cell" }, h("div", { class: "row-actions" },
      h("button", { type: "button", class: "btn btn--small", dataset: { action: "details", jobId: id, focusKey: `details:${id}` }, "aria-label": `Details of job ${shortId(id)}`, text: "Details" }),
      CANCELABLE.has(job.status) && h("button", {
        type: "button", class: "btn btn--small btn--danger-outline",
        dataset: { action: "cancel", jobId: id, focusKey: `cancel:${id}` }, "aria-label": `Cancel job ${shortId(id)}`, text: "Cancel",
      }),
    )),
  );
}

function messageRow(text, tone) {
  return h("tr", { class: `message-row message-row--${tone}` }, h("td", { colspan: String(COLUMNS), text }));
}
