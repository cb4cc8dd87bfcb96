// The view (status or "retrying", and page) is in the URL: bookmarks and the back button work.

import { apiDay } from "./format.js";
import { VIEWS } from "./statuses.js";

// The search box and filters (manage/search.js), kept in the URL beside the status.
export const SEARCH_KEYS = ["q", "scope_type", "from", "to"];

export function readState(location = window.location) {
  const params = new URLSearchParams(location.search);
  const status = VIEWS.includes(params.get("status")) ? params.get("status") : "";
  const page = Number.parseInt(params.get("page") ?? "", 10);
  const search = Object.fromEntries(SEARCH_KEYS.map((key) => [key, params.get(key) ?? ""]));
  return { status, page: Number.isInteger(page) && page >= 1 ? page : 1, ...search };
}

export function urlFor({ status, page, ...search }) {
  const params = new URLSearchParams();
  if (status) params.set("status", status);
  for (const key of SEARCH_KEYS) if (search[key]) params.set(key, search[key]);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return `${window.location.pathname}${query ? `?${query}` : ""}`;
}

// The filter a view stands for, as the API reads it (status plus the search keys; days in the chosen zone).
export function filterOf(view) {
  const filter = Object.fromEntries(["status", ...SEARCH_KEYS].filter((key) => view[key]).map((key) => [key, view[key]]));
  if (filter.from) filter.from = apiDay(filter.from);
  if (filter.to) filter.to = apiDay(filter.to, true);
  return filter;
}

export function sameState(a, b) {
  return a.status === b.status && a.page === b.page && SEARCH_KEYS.every((key) => (a[key] ?? "") === (b[key] ?? ""));
}

// The job whose Details are open, as `?job=ID`: alert emails and webhooks link straight to it.
export function readOpenJob(location = window.location) {
  return new URLSearchParams(location.search).get("job") || null;
}

export function writeOpenJob(jobId) {
  const params = new URLSearchParams(window.location.search);
  if (jobId) params.set("job", jobId);
  else params.delete("job");
  const query = params.toString();
  history.replaceState(history.state, "", `${window.location.pathname}${query ? `?${query}` : ""}`);
}

export function writeState(state, { replace = false } = {}) {
  const url = urlFor(state);
  if (url === `${window.location.pathname}${window.location.search}`) return;
  history[replace ? "replaceState" : "pushState"](null, "", url);
}
