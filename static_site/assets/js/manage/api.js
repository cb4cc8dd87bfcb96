// Calls for retry, bulk actions, the audit log and "who am I"; errors are the page's ApiError.

import { request } from "../api.js";
import { SEARCH_KEYS } from "../url-state.js";

const JOBS = "/api/admin/jobs";
export const BULK_CAP = 1000; // the most jobs one bulk action changes (the API's limit)

export function getMe() {
  return request("/api/admin/me");
}

export function retryJob(jobId) {
  return request(JOBS, { method: "POST", body: { action: "retry_job", job_id: jobId } });
}

// target: { job_ids: [...] } or { filter: {...} }; dryRun (with a filter) only counts.
export function bulkAction(kind, target, dryRun = false) {
  const body = { action: `bulk_${kind}`, ...target };
  if (dryRun) body.dry_run = true;
  return request(JOBS, { method: "POST", body });
}

export function listAudit(limit, before = null) {
  const params = new URLSearchParams({ limit: String(limit) });
  if (before) params.set("before", String(before));
  return request(`/api/admin/audit?${params}`);
}

// The filter a view stands for, as the API reads it (status plus the search keys).
export function filterOf(view) {
  const filter = {};
  for (const key of ["status", ...SEARCH_KEYS]) if (view[key]) filter[key] = view[key];
  return filter;
}

export function jobsExportUrl(view) {
  const query = new URLSearchParams(filterOf(view)).toString();
  return `${JOBS}/export${query ? `?${query}` : ""}`;
}

export const AUDIT_EXPORT_URL = "/api/admin/audit/export";
