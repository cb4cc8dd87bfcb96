// The admin API client. Every failure becomes an ApiError whose `kind` the page turns into a message.

const BASE = "/api/admin/jobs";
const READ_TIMEOUT_MS = 15000;

export class ApiError extends Error {
  // kind: "unreachable" | "unauthorized" | "forbidden" | "unavailable" | "conflict" | "not_found" | "http"
  constructor(kind, message, status = 0, code = "") {
    super(message);
    this.kind = kind;
    this.status = status;
    this.code = code;
  }
}

// The list polled every 2 s: its last URL and ETag. An unchanged list then answers 304 with no body,
// and NOT_MODIFIED tells the page to keep what it shows (its live durations keep ticking).
export const NOT_MODIFIED = Object.freeze({ ok: true, notModified: true });
let lastList = { url: "", etag: "" };

/** Call when a list answer was not shown, so the next poll of that URL fetches it in full. */
export function forgetList() {
  lastList = { url: "", etag: "" };
}

const KIND_BY_STATUS = { 401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict", 503: "unavailable" };

export async function request(url, { method = "GET", body, timeout = READ_TIMEOUT_MS, conditional = false } = {}) {
  const headers = body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" };
  if (conditional && lastList.url === url && lastList.etag) headers["If-None-Match"] = lastList.etag;
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
    if (conditional) lastList = { url, etag: response.headers.get("ETag") ?? "" };
    return data;
  }
  const kind = KIND_BY_STATUS[response.status] ?? "http";
  const message = typeof data?.error === "string" ? data.error : `The API answered ${response.status} ${response.statusText}`.trim();
  throw new ApiError(kind, message, response.status, data?.code ?? "");
}

export function listJobs({ status, page, limit, ...search }) {
  const params = new URLSearchParams({ page: String(page), limit: String(limit) });
  if (status) params.set("status", status);
  for (const [key, value] of Object.entries(search)) if (value) params.set(key, value);
  return request(`${BASE}?${params}`, { conditional: true });
}

export function getJob(jobId) {
  return request(`${BASE}?${new URLSearchParams({ job_id: jobId })}`);
}

export function triggerWorker() {
  return request(BASE, { method: "POST", body: { action: "trigger_worker" } }); // answers at once: the jobs run on the queue
}

export function cancelJob(jobId) {
  return request(BASE, { method: "POST", body: { action: "cancel_job", job_id: jobId } });
}
