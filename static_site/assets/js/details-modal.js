// The Details modal: it opens on "Loading…", then shows the job (details.js) or why it could not be
// read. While the job is queued or running it asks again every 2 s with the job's ETag (an unchanged
// job costs a bodiless 304) until the job is final, so it never says "Running" about a finished job.
// Cancel and Retry act from here. Loaded, with details.css, the first time Details opens (see main.js).

import { ApiError, NOT_MODIFIED, getJob, retryJob } from "./api.js";
import { detailsContent } from "./details.js";
import { createDialog } from "./dialog.js";
import { findByFocusKey, focusKeyOf, h } from "./dom.js";
import { shortId } from "./format.js";
import { canCancel } from "./statuses.js";

const POLL_MS = 2000;

// cancel(jobId) confirms and cancels (the page's own action); onChanged() after a change here.
export function createDetailsModal({ onClose, onChanged, cancel, copy, signInUrl }) {
  const dialogEl = document.getElementById("details-dialog");
  const title = document.getElementById("details-title");
  const body = document.getElementById("details-body");
  const status = h("p", { class: "details-status", role: "status" });
  body.before(status);
  let shownId = null;
  let shownStatus = null;
  let timer = 0;
  const dialog = createDialog(dialogEl, {
    onClose: () => {
      shownId = null;
      clearTimeout(timer);
      onClose();
    },
  });

  body.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const { action, jobId } = button.dataset;
    if (action === "copy") return copy(jobId, button);
    button.disabled = true;
    if (action === "cancel") await cancel(jobId);
    if (action === "retry") await retry(jobId);
    if (shownId === jobId) await load(jobId, false);
  });

  async function retry(jobId) {
    try {
      await retryJob(jobId);
      status.textContent = `Job ${shortId(jobId)} was queued again as a new attempt.`;
      onChanged();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      status.textContent = `Not retried: ${err.message}`;
    }
  }

  // Redraws keep the scroll position and the focused control.
  function show(data) {
    const focusKey = dialogEl.contains(document.activeElement) ? focusKeyOf(document.activeElement) : null;
    const scrolled = dialogEl.scrollTop;
    body.replaceChildren(...detailsContent(data, performance.now(), onChanged).filter(Boolean));
    dialogEl.scrollTop = scrolled;
    if (focusKey) findByFocusKey(focusKey)?.focus({ preventScroll: true });
    if (shownStatus && shownStatus !== data.job.status) onChanged(); // the list shows the new status too
    shownStatus = data.job.status;
  }

  async function load(jobId, poll) {
    clearTimeout(timer);
    if (poll && document.hidden) {
      timer = setTimeout(() => load(jobId, true), POLL_MS); // a hidden tab asks nothing
      return;
    }
    try {
      const data = await getJob(jobId, { poll });
      if (shownId !== jobId) return;
      if (data !== NOT_MODIFIED) show(data);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (shownId !== jobId) return;
      if (!poll) {
        body.replaceChildren(...[
          h("p", { class: "error-message", text: `Could not load this job. ${err.message}` }),
          err.kind === "unauthorized" && h("p", {}, h("a", { href: signInUrl(), text: "Sign in" })),
        ].filter(Boolean));
        return;
      }
    }
    if (canCancel(shownStatus)) timer = setTimeout(() => load(jobId, true), POLL_MS);
  }

  async function open(jobId) {
    shownId = jobId;
    shownStatus = null;
    status.textContent = "";
    title.textContent = `Job ${shortId(jobId)}`;
    body.replaceChildren(h("p", { class: "muted", text: "Loading…" }));
    dialog.open();
    await load(jobId, false);
  }

  return { open };
}
