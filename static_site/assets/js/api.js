// The admin API client. Every failure becomes an ApiError whose `kind` the page turns into a message.

const BASE = "/api/admin/jobs";
const READ_TIMEOUT_MS = 15000;
const WORKER_TIMEOUT_MS = 240000; // a manual worker pass may run for up to its HTTP budget

export class ApiError extends Error {
  // kind: "unreachable" | "unauthorized" | "forbidden" | "unavailable" | "conflict" | "not_found" | "http"
  constructor(kind, message, status = 0, code = "") {
    super(message);
    this.kind = kind;
    this.status = status;
    this.code = code;
  }
}

const KIND_BY_STATUS = { 401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict", 503: "unavailable" };

async function request(url, { method = "GET", body, timeout = READ_TIMEOUT_MS } = {}) {
  let response;
  try {
    response = await fetch(url, {
      method,
      credentials: "same-origin",
      cache: "no-store",
      // Static Web Apps answers a signed-out API call with a redirect to the login page; don't follow it.
      redirect: "manual",
      headers: body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeout),
    });
  } catch (err) {
    const timedOut = err?.name === "TimeoutError";
    throw new ApiError("unreachable", timedOut ? "The API did not answer in time." : "The API is unreachable. Check your connection or whether the app is running.");
  }
  if (response.type === "opaqueredirect") throw new ApiError("unauthorized", "Your session has ended. Sign in again.", 401);
  const data = await response.json().catch(() => null);
  if (response.ok && data?.ok) return data;
  const kind = KIND_BY_STATUS[response.status] ?? "http";
  const message = typeof data?.error === "string" ? data.error : `The API answered ${response.status} ${response.statusText}`.trim();
  throw new ApiError(kind, message, response.status, data?.code ?? "");
}

export function listJobs({ status, page, limit }) {
  const params = new URLSearchParams({ page: String(page), limit: String(limit) });
  if (status) params.set("status", status);
  return request(`${BASE}?${params}`);
}

export function getJob(jobId) {
  return request(`${BASE}?${new URLSearchParams({ job_id: jobId })}`);
}

export function triggerWorker() {
  return request(BASE, { method: "POST", body: { action: "trigger_worker" }, timeout: WORKER_TIMEOUT_MS });
}

export function cancelJob(jobId) {
  return request(BASE, { method: "POST", body: { action: "cancel_job", job_id: jobId } });
}
