// Calls for the Operations page: chart series, LLM usage by model, and worker health.

import { request } from "../api.js";

export function getMetrics({ range, bucket }) {
  return request(`/api/admin/metrics?${new URLSearchParams({ range, bucket })}`);
}

export function getUsage({ range }) {
  return request(`/api/admin/usage?${new URLSearchParams({ range })}`);
}

export function getHealth() {
  return request("/api/admin/health");
}
