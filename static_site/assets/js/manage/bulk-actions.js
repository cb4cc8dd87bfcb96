// What the bulk bar and the rows' Retry buttons do: confirm first, with the count, then call the API
// and report what changed. Loaded the first time one of those buttons is clicked (see bulk.js).

import { ApiError, BULK_CAP, bulkAction, retryJob } from "../api.js";
import { createConfirm } from "../confirm.js";
import { h } from "../dom.js";
import { count, shortId } from "../format.js";
import { statusesFor } from "../statuses.js";
import { filterOf } from "../url-state.js";

// notify(notice) reports an outcome; changed() after any change; currentView() is the view shown.
export function createBulkActions({ notify, changed, currentView }) {
  const confirm = createConfirm(confirmDialog());

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

  // Resolves true when the user confirmed and the action ran.
  async function actOnSelected(kind, ids) {
    const states = statusesFor(kind);
    const ok = await confirm({
      heading: `${kind === "cancel" ? "Cancel" : "Retry"} ${count(ids.length)} selected job${ids.length === 1 ? "" : "s"}?`,
      text: `Only ${states} jobs change; the others are skipped and listed.${kind === "cancel" ? " Canceled jobs can be retried later." : ""}`,
      confirmLabel: kind === "cancel" ? "Cancel jobs" : "Retry jobs",
      cancelLabel: "Go back",
      danger: kind === "cancel",
    });
    if (ok) await run(kind, { job_ids: ids.slice(0, BULK_CAP) });
    return ok;
  }

  async function actOnFilter(kind) {
    const filter = filterOf(currentView());
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
        ? `More than ${count(BULK_CAP)} jobs match; only the newest ${count(BULK_CAP)} will ${verb}. Narrow the search to reach the rest.`
        : `Every ${statusesFor(kind)} job matching this view will ${verb}.`,
      confirmLabel: kind === "cancel" ? "Cancel jobs" : "Retry jobs",
      cancelLabel: "Go back",
      danger: kind === "cancel",
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

  return { retryOne, actOnSelected, actOnFilter };
}

function describe(kind, result) {
  const done = `${kind === "cancel" ? "Canceled" : "Retried"} ${count(result.changed.length)} job${result.changed.length === 1 ? "" : "s"}`;
  const cap = result.capped ? ` Stopped at the ${count(BULK_CAP)} cap; narrow the search to reach the rest.` : "";
  if (!result.skipped.length) return `${done}.${cap}`;
  const labels = {
    not_found: "no longer exist",
    not_eligible: kind === "cancel" ? "had already finished" : `were not ${statusesFor("retry")}`,
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
