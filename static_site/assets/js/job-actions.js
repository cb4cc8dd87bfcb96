// Cancel one job once the user confirms, and run the worker now: each says what happened in the
// page's notices, then refreshes the list. Loaded the first time either is clicked (see main.js).

import { ApiError, cancelJob, triggerWorker } from "./api.js";
import { createConfirm } from "./confirm.js";
import { shortId } from "./format.js";

export function createJobActions({ notices, refresh }) {
  const confirm = createConfirm(document.getElementById("confirm-dialog"));

  // job is the row's data when the list has it, for a fuller question.
  async function cancel(jobId, job) {
    const what = job ? `${job.scope_type} ${job.scope_key}${job.period ? `, ${job.period}` : ""}` : "";
    const confirmed = await confirm({
      heading: `Cancel job ${shortId(jobId)}?`,
      text: `${what ? `This ${job.status} job (${what})` : "This job"} will stop without a report. You can retry it later.`,
      confirmLabel: "Cancel job",
      cancelLabel: "Keep job",
    });
    if (!confirmed) return;
    try {
      await cancelJob(jobId);
      notices.show("action", { tone: "success", text: `Job ${shortId(jobId)} was canceled.` });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      notices.show("action", { tone: err.kind === "conflict" ? "info" : "error", text: `Job ${shortId(jobId)} was not canceled: ${err.message}` });
    }
    await refresh();
  }

  async function runWorker(button) {
    button.disabled = true;
    button.textContent = "Starting worker…";
    try {
      notices.show("action", { tone: "success", text: describeDispatch(await triggerWorker()) });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      notices.show("action", { tone: "error", text: `The worker was not started: ${err.message}` });
    } finally {
      button.disabled = false;
      button.textContent = "Trigger Worker Now";
    }
    await refresh();
  }

  return { cancel, runWorker };
}

// The reply comes at once; the list's polling shows the jobs move through running.
function describeDispatch({ mode, dispatched }) {
  if (!dispatched) return "No queued jobs are waiting to start.";
  const jobs = dispatched === 1 ? "1 queued job" : `${dispatched} queued jobs`;
  if (mode === "queue") return `Sent ${jobs} to the worker queue; they start within seconds.`;
  return `A worker pass started for ${jobs}.`;
}
