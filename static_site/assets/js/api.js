// The admin API client: the one fetch wrapper and the API's URLs (the Operations page's are in
// ops/api.js). Every failure becomes an ApiError whose `kind` the page turns into a message.

const API = "/api/admin";
const JOBS = `${API}/jobs`;
const SCHEDULES = `${API}/schedules`;
const READ_TIMEOUT_MS = 15000;
export const BULK_CAP = 1000; // the most jobs one bulk action changes (the API's limit)
export const AUDIT_EXPORT_URL = `${API}/audit/export`;

export class ApiError extends Error {
  // kind: "unreachable" | "unauthorized" | "forbidden" | "unavailable" | "conflict" | "not_found" | "http"
  constructor(kind, message, status = 0, code = "") {
    super(message);
    this.kind = kind;
    this.status = status;
    this.code = code;
  }
}

// What is polled every 2 s (the list; the job open in Details): per slot, its last URL and ETag. An
// unchanged answer is then 304 with no body, and NOT_MODIFIED tells the page to keep what it shows.
export const NOT_MODIFIED = Object.freeze({ ok: true, notModified: true });
const polled = new Map(); // slot -> { url, etag }

/** Call when a list answer was not shown, so the next poll of that URL fetches it in full. */
export function forgetList() {
  polled.delete("list");
}

const KIND_BY_STATUS = { 401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict", 503: "unavailable" };

// conditional: the polled slot this GET records its ETag in; revalidate: send it back (may get 304).
async function request(url, { method = "GET", body, timeout = READ_TIMEOUT_MS, conditional = "", revalidate = Boolean(conditional) } = {}) {
  const headers = body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" };
  const last = polled.get(conditional);
  if (revalidate && last?.url === url && last.etag) headers["If-None-Match"] = last.etag;
  let response;
  try {
    response = await fetch(url, {
      method,
      credentials: "same-origin",
      cache: "no-store",
      // Static Web Apps answers a signed-out API call with a redirect to the login page; don't follow it.
      redirect: "manual",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeout),
    });
  } catch (err) {
    const timedOut = err?.name === "TimeoutError";
    throw new ApiError("unreachable", timedOut ? "The API did not answer in time." : "The API is unreachable. Check your connection or whether the app is running.");
  }
  if (response.type === "opaqueredirect") throw new ApiError("unauthorized", "Your session has ended. Sign in again.", 401);
  if (conditional && response.status === 304) return NOT_MODIFIED;
  const data = await response.json().catch(() => null);
  if (response.ok && data?.ok) {
    if (conditional) polled.set(conditional, { url, etag: response.headers.get("ETag") ?? "" });
    return data;
  }
  const kind = KIND_BY_STATUS[response.status] ?? "http";
  const message = typeof data?.error === "string" ? data.error : `The API answered ${response.status} ${response.statusText}`.trim();
  throw new ApiError(kind, message, response.status, data?.code ?? "");
}

const withQuery = (url, params) => {
  const query = new URLSearchParams(params).toString();
  return query ? `${url}?${query}` : url;
};
const jobAction = (action, fields = {}, options = {}) => request(JOBS, { method: "POST", body: { action, ...fields }, ...options });

// --- jobs

// filter: status ("retrying": ?waiting=retry) and the search keys; empty values are left out.
function filterParams(filter) {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value));
}

export function listJobs({ page, limit, ...filter }) {
  if (filter.status == "retrying") filter = { ...filter, status: "", waiting: "retry" };
  return request(withQuery(JOBS, { page: String(page), limit: String(limit), ...filterParams(filter) }), { conditional: "list" });
}

// poll: a repeat read of the job Details shows, answered NOT_MODIFIED while it is unchanged.
export function getJob(jobId, { poll = false } = {}) {
  return request(withQuery(JOBS, { job_id: jobId }), { conditional: "job", revalidate: poll });
}

export function jobsExportUrl(filter) {
  return withQuery(`${JOBS}/export`, filterParams(filter));
}

export const triggerWorker = () => jobAction("trigger_worker", {}); // answers at once: the jobs run on the queue
export const cancelJob = (jobId) => jobAction("cancel_job", { job_id: jobId });
export const retryJob = (jobId) => jobAction("retry_job", { job_id: jobId });

export function enqueueReport({ scope_type, scope_key, iso_week, month_key }) {
  return jobAction("enqueue_job", { scope_type, scope_key, iso_week, month_key });
}

// target: { job_ids: [...] } or { filter: {...} }; dryRun (with a filter) only counts.
export function bulkAction(kind, target, dryRun = false) {
  return jobAction(`bulk_${kind}`, dryRun ? { ...target, dry_run: true } : target);
}

// --- schedules, scopes, who am I, the audit log

export const knownScopes = () => request(withQuery(`${API}/scopes`, { limit: "1000" }));
export const listSchedules = () => request(SCHEDULES);
export const scheduleAction = (action, fields = {}) => request(SCHEDULES, { method: "POST", body: { action, ...fields } });
export const getMe = () => request(`${API}/me`);

export function listAudit(limit, before = null) {
  return request(withQuery(`${API}/audit`, before ? { limit: String(limit), before: String(before) } : { limit: String(limit) }));
}

// --- reads by path (the Operations page's are in ops/api.js, which the jobs page loads only with its trend)

export const read = (path, q) => request(withQuery(`${API}/${path}`, q));
export const getModelCalls = (job_id) => read("model-calls", { job_id });
export const compareReports = (left, right) => read("reports", { left, right });
export const reportAction = (action, o) => request(`${API}/reports`, { method: "POST", body: { action, ...o } });
