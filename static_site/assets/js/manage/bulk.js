// Row selection and bulk actions. The page's table owns its rows; this module adds a checkbox cell
// and a Retry button to each row it renders (a MutationObserver sees every re-render) and keeps the
// selection across refreshes. Bulk actions confirm first, with the count, then report what they did.

import { ApiError } from "../api.js";
import { createConfirm } from "../confirm.js";
import { h } from "../dom.js";
import { count, shortId } from "../format.js";
import { readState } from "../url-state.js";
import { bulkAction, filterOf, retryJob } from "./api.js";

const RETRYABLE = new Set(["failed", "canceled"]);
const CANCELABLE = new Set(["queued", "running"]);
const CAP = 1000;

export function createBulk({ table, tbody, bar, notify }) {
  const selected = new Set();
  const confirm = createConfirm(confirmDialog());
  const headBox = h("input", { type: "checkbox", "aria-label": "Select every job on this page", dataset: { write: "" } });
  table.querySelector("thead tr").prepend(h("th", { scope: "col", class: "select-cell", dataset: { write: "" } }, headBox));

  const summary = h("span", { class: "bulk-bar__count", "aria-live": "polite" });
  const selectedButtons = [
    h("button", { type: "button", class: "btn btn--small", dataset: { bulk: "cancel" }, text: "Cancel selected" }),
    h("button", { type: "button", class: "btn btn--small", dataset: { bulk: "retry" }, text: "Retry selected" }),
    h("button", { type: "button", class: "btn btn--small btn--ghost", dataset: { bulk: "clear" }, text: "Clear selection" }),
  ];
  bar.append(
    h("div", { class: "bulk-bar__row" }, summary, ...selectedButtons),
    h("div", { class: "bulk-bar__row" },
      h("span", { class: "muted", text: `Everything matching this view (up to ${count(CAP)}):` }),
      h("button", { type: "button", class: "btn btn--small btn--danger-outline", dataset: { bulkAll: "cancel" }, text: "Cancel all matching…" }),
      h("button", { type: "button", class: "btn btn--small", dataset: { bulkAll: "retry" }, text: "Retry all matching…" })),
  );

  function rows() {
    return [...tbody.querySelectorAll("tr[data-job-id]")];
  }

  function render() {
    summary.textContent = selected.size ? `${count(selected.size)} selected` : "No rows selected";
    for (const button of selectedButtons) button.disabled = selected.size === 0;
    const onPage = rows().map((row) => row.dataset.jobId);
    headBox.checked = onPage.length > 0 && onPage.every((id) => selected.has(id));
    headBox.indeterminate = !headBox.checked && onPage.some((id) => selected.has(id));
  }

  function decorate() {
    for (const row of tbody.rows) {
      if (row.querySelector(".select-cell")) continue;
      const id = row.dataset.jobId;
      if (!id) {
        const cell = row.cells[0];
        if (cell?.colSpan > 1) cell.colSpan += 1; // a message row spans the added column too
        continue;
      }
      const box = h("input", { type: "checkbox", "aria-label": `Select job ${shortId(id)}`, dataset: { jobId: id, focusKey: `select:${id}` } });
      box.checked = selected.has(id);
      row.prepend(h("td", { class: "select-cell", dataset: { write: "" } }, box));
      if (RETRYABLE.has(row.dataset.status)) {
        row.querySelector(".row-actions")?.append(h("button", {
          type: "button", class: "btn btn--small", text: "Retry", "aria-label": `Retry job ${shortId(id)}`,
          dataset: { action: "retry", jobId: id, write: "", focusKey: `retry:${id}` },
        }));
      }
    }
    render();
  }

  new MutationObserver(decorate).observe(tbody, { childList: true });
  decorate();

  tbody.addEventListener("change", (event) => {
    const box = event.target.closest("input[type=checkbox][data-job-id]");
    if (!box) return;
    if (box.checked) selected.add(box.dataset.jobId);
    else selected.delete(box.dataset.jobId);
    render();
  });
  headBox.addEventListener("change", () => {
    for (const row of rows()) {
      const box = row.querySelector(".select-cell input");
      box.checked = headBox.checked;
      if (headBox.checked) selected.add(row.dataset.jobId);
      else selected.delete(row.dataset.jobId);
    }
    render();
  });
  tbody.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action='retry']");
    if (button) retryOne(button.dataset.jobId);
  });

  bar.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-bulk], button[data-bulk-all]");
    if (!button) return;
    if (button.dataset.bulk === "clear") {
      selected.clear();
      for (const box of tbody.querySelectorAll(".select-cell input")) box.checked = false;
      render();
    } else if (button.dataset.bulk) {
      await actOnSelected(button.dataset.bulk);
    } else {
      await actOnFilter(button.dataset.bulkAll);
    }
  });

  async function retryOne(jobId) {
    try {
      await retryJob(jobId);
      notify({ tone: "success", text: `Job ${shortId(jobId)} was queued again.` });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      notify({ tone: err.kind === "conflict" ? "info" : "error", text: `Job ${shortId(jobId)} was not retried: ${err.message}` });
    }
    changed();
  }

  async function actOnSelected(kind) {
    const ids = [...selected];
    const states = kind === "cancel" ? "queued or running" : "failed or canceled";
    const ok = await confirm({
      heading: `${kind === "cancel" ? "Cancel" : "Retry"} ${count(ids.length)} selected job${ids.length === 1 ? "" : "s"}?`,
      text: `Only ${states} jobs change; the others are skipped and listed.${kind === "cancel" ? " Canceling cannot be undone." : ""}`,
      confirmLabel: kind === "cancel" ? "Cancel jobs" : "Retry jobs",
      cancelLabel: "Go back",
    });
    if (!ok) return;
    await run(kind, { job_ids: ids.slice(0, CAP) });
    selected.clear();
    render();
  }

  async function actOnFilter(kind) {
    const filter = filterOf(readState());
    let preview;
    try {
      preview = await bulkAction(kind, { filter }, true);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      notify({ tone: "error", text: `Could not count the matching jobs: ${err.message}` });
      return;
    }
    const verb = kind === "cancel" ? "cancel" : "retry";
    if (!preview.matched) {
      notify({ tone: "info", text: `No job matching this view can be ${kind === "cancel" ? "canceled" : "retried"}.` });
      return;
    }
    const ok = await confirm({
      heading: `${kind === "cancel" ? "Cancel" : "Retry"} ${count(preview.matched)}${preview.capped ? " (the first)" : ""} matching job${preview.matched === 1 ? "" : "s"}?`,
      text: preview.capped
        ? `More than ${count(CAP)} jobs match; only the newest ${count(CAP)} will ${verb}. Narrow the search to reach the rest.`
        : `Every ${kind === "cancel" ? "queued or running" : "failed or canceled"} job matching this view will ${verb}.`,
      confirmLabel: kind === "cancel" ? "Cancel jobs" : "Retry jobs",
      cancelLabel: "Go back",
    });
    if (ok) await run(kind, { filter });
  }

  async function run(kind, target) {
    try {
      notify({ tone: "success", text: describe(kind, await bulkAction(kind, target)) });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      notify({ tone: "error", text: `The bulk ${kind} did not run: ${err.message}` });
    }
    changed();
  }

  function changed() {
    document.dispatchEvent(new CustomEvent("jobs:changed"));
  }
}

export function describe(kind, result) {
  const done = `${kind === "cancel" ? "Canceled" : "Retried"} ${count(result.changed.length)} job${result.changed.length === 1 ? "" : "s"}`;
  const cap = result.capped ? ` Stopped at the ${count(CAP)} cap; narrow the search to reach the rest.` : "";
  if (!result.skipped.length) return `${done}.${cap}`;
  const labels = {
    not_found: "no longer exist",
    not_eligible: kind === "cancel" ? "had already finished" : "were not failed or canceled",
    duplicate_active: "have another active job for the same scope and period",
  };
  const byCode = new Map();
  for (const item of result.skipped) byCode.set(item.code, (byCode.get(item.code) ?? 0) + 1);
  const why = [...byCode].map(([code, n]) => `${count(n)} ${labels[code] ?? code}`).join(", ");
  return `${done}. Skipped ${count(result.skipped.length)}: ${why}.${cap}`;
}

function confirmDialog() {
  const dialog = h("dialog", { class: "dialog dialog--small", "aria-labelledby": "bulk-confirm-title", "aria-describedby": "bulk-confirm-message" },
    h("div", { class: "dialog__inner" },
      h("h2", { id: "bulk-confirm-title", text: "Confirm" }),
      h("p", { id: "bulk-confirm-message" }),
      h("div", { class: "dialog__actions" },
        h("button", { type: "button", class: "btn", dataset: { answer: "no" }, text: "Go back" }),
        h("button", { type: "button", class: "btn btn--danger", dataset: { answer: "yes" }, text: "Confirm" }))));
  document.body.append(dialog);
  return dialog;
}
