// Calls for the scheduling panels: enqueue a report, known scopes, and the schedule rules.

import { request } from "./api.js";

const SCHEDULES = "/api/admin/schedules";

export function enqueueReport({ scope_type, scope_key, iso_week, month_key }) {
  return request("/api/admin/jobs", { method: "POST", body: { action: "enqueue_job", scope_type, scope_key, iso_week, month_key } });
}

export function knownScopes() {
  return request("/api/admin/scopes?limit=1000");
}

export function listSchedules() {
  return request(SCHEDULES);
}

export function scheduleAction(action, fields = {}) {
  return request(SCHEDULES, { method: "POST", body: { action, ...fields } });
}
