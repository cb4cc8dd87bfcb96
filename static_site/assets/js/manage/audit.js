// The audit log panel: who enqueued, canceled, retried, bulk-acted or triggered the worker, newest
// first, with "Show older" and a CSV export. The page calls reload() after it changes something.
// Loaded when the panel, below the jobs list, first comes near the viewport (see main.js).

import { AUDIT_EXPORT_URL, ApiError, listAudit } from "../api.js";
import { h } from "../dom.js";
import { DASH, count, shortId, timeEl } from "../format.js";

const PAGE = 20;
const LABELS = {
  enqueue_job: "Enqueued", cancel_job: "Canceled", retry_job: "Retried", bulk_cancel: "Bulk cancel",
  bulk_retry: "Bulk retry", trigger_worker: "Triggered worker", retention: "Retention cleanup",
  schedule_create: "Created schedule", schedule_update: "Edited schedule", schedule_pause: "Paused schedule",
  schedule_resume: "Resumed schedule", schedule_delete: "Deleted schedule", schedule_run_now: "Ran schedule now",
  worker_run_lost: "Worker run lost",
};

export function createAudit() {
  const body = h("tbody", {});
  const status = h("p", { class: "muted", role: "status" });
  const more = h("button", { type: "button", class: "btn btn--small", text: "Show older", hidden: true });
  const elements = [
    h("div", { class: "jobs__head" },
      h("h2", { id: "audit-title", text: "Audit log" }),
      h("a", { class: "btn btn--small", href: AUDIT_EXPORT_URL, download: "", text: "Export audit CSV" })),
    h("div", { class: "table-wrap" }, h("table", { class: "audit-table" },
      h("thead", {}, h("tr", {}, ["When", "Who", "Action", "Job", "Detail"].map((label) => h("th", { scope: "col", text: label })))),
      body)),
    status, more,
  ];
  let before = null;

  async function load(append) {
    try {
      const page = await listAudit(PAGE, append ? before : null);
      const rows = page.entries.map(entryRow);
      if (append) body.append(...rows);
      else body.replaceChildren(...rows);
      before = page.next_before;
      more.hidden = !before;
      status.textContent = page.total ? `${count(page.total)} entries` : "No admin actions yet.";
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      status.textContent = `The audit log could not be loaded. ${err.message}`;
    }
  }

  more.addEventListener("click", () => load(true));
  load(false);
  return { elements, reload: () => load(false) };
}

function entryRow(entry) {
  return h("tr", {},
    h("td", {}, timeEl(entry.at, "compact")),
    h("td", { class: "wrap", text: entry.actor }),
    h("td", { text: LABELS[entry.action] ?? entry.action }),
    h("td", {}, entry.job_id ? h("code", { title: entry.job_id, text: shortId(entry.job_id) }) : DASH),
    h("td", { class: "wrap", text: entry.detail || DASH }),
  );
}
