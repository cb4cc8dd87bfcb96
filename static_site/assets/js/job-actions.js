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
    const started = Date.now();
    const tick = () => (button.textContent = `Running worker… ${Math.round((Date.now() - started) / 1000)} s`);
    const timer = setInterval(tick, 1000);
    tick();
    notices.show("action", { tone: "info", text: "The worker is processing queued jobs…" });
    try {
      const { run } = await triggerWorker();
      // Green only when nothing failed: failed jobs are a warning, a pass that stopped early an error.
      notices.show("action", { tone: run.error ? "error" : run.failed ? "warning" : "success", text: describeRun(run) });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      notices.show("action", { tone: "error", text: `The worker run did not complete: ${err.message}` });
    } finally {
      clearInterval(timer);
      button.disabled = false;
      button.textContent = "Trigger Worker Now";
    }
    await refresh();
  }

  return { cancel, runWorker };
}

function describeRun(run) {
  const seconds = typeof run.ms === "number" ? ` in ${(run.ms / 1000).toFixed(1)} s` : "";
  const error = run.error ? ` It stopped early: ${run.error}` : "";
  if (!run.claimed && !run.reaped) return `Worker ran${seconds} and found no queued jobs to process.${error}`;
  const parts = [["claimed", run.claimed], ["succeeded", run.succeeded], ["failed", run.failed], ["requeued", run.requeued],
    ["canceled", run.canceled], ["still queued", run.still_queued], ["expired leases reaped", run.reaped]]
    .filter(([, value]) => typeof value === "number")
    .map(([label, value]) => `${value} ${label}`);
  return `Worker ran${seconds}: ${parts.join(", ")}.${error}`;
}
