// The job statuses in the page's order and the actions each allows: the one list every part reads.
// Their colours are the --<status>-bg/-fg/-line variables in app.css.

export const STATUSES = ["queued", "running", "succeeded", "failed", "canceled"];
export const VIEWS = [...STATUSES, "retrying"];

const CANCELABLE = ["queued", "running"];
const RETRYABLE = ["failed", "canceled"];

export const canCancel = (status) => CANCELABLE.includes(status);
export const canRetry = (status) => RETRYABLE.includes(status);

/** A queued job with run_after waits for its next attempt after a transient failure: a state of its own. */
export const waitingToRetry = (job) => job.status === "queued" && Boolean(job.run_after);

/** "queued or running": the statuses an action changes, for confirmations. */
export const statusesFor = (action) => (action === "cancel" ? CANCELABLE : RETRYABLE).join(" or ");
