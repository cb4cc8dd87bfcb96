// The search box and filters above the jobs table. They live in the URL with the status filter,
// so a search can be bookmarked; submitting asks the page (jobs:navigate) to show page 1 of it.

import { h } from "../dom.js";
import { SEARCH_KEYS, readState } from "../url-state.js";
import { jobsExportUrl } from "./api.js";

export function createSearch(root) {
  const fields = {
    q: h("input", { type: "search", name: "q", maxlength: "200", placeholder: "Job ID, scope, user or error text", "aria-label": "Search jobs" }),
    scope_type: h("input", { type: "text", name: "scope_type", maxlength: "50", placeholder: "any", "aria-label": "Scope type" }),
    from: h("input", { type: "date", name: "from", "aria-label": "Created from (UTC date)" }),
    to: h("input", { type: "date", name: "to", "aria-label": "Created to (UTC date, inclusive)" }),
  };
  const exportLink = h("a", { class: "btn", id: "export-csv", href: jobsExportUrl(readState()), download: "", text: "Export CSV" });
  const form = h("form", { class: "job-search", role: "search" },
    h("label", { class: "job-search__q" }, h("span", { class: "visually-hidden", text: "Search" }), fields.q),
    h("label", {}, "Scope type ", fields.scope_type),
    h("label", {}, "Created from ", fields.from),
    h("label", {}, "to ", fields.to),
    h("span", { class: "job-search__note muted", text: "dates in UTC" }),
    h("button", { type: "submit", class: "btn btn--primary", text: "Search" }),
    h("button", { type: "button", class: "btn", dataset: { clear: "" }, text: "Clear search" }),
    exportLink,
  );
  root.append(form);

  function navigate(values) {
    document.dispatchEvent(new CustomEvent("jobs:navigate", { detail: values })); // the page updates the URL at once
    sync();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    navigate(Object.fromEntries(SEARCH_KEYS.map((key) => [key, fields[key].value.trim()])));
  });
  form.querySelector("[data-clear]").addEventListener("click", () => {
    navigate(Object.fromEntries(SEARCH_KEYS.map((key) => [key, ""])));
  });
  // The export link follows whatever the URL shows at the moment it is clicked.
  exportLink.addEventListener("click", () => {
    exportLink.href = jobsExportUrl(readState());
  });

  function sync() {
    const view = readState();
    for (const key of SEARCH_KEYS) if (document.activeElement !== fields[key]) fields[key].value = view[key] ?? "";
    exportLink.href = jobsExportUrl(view);
  }
  window.addEventListener("popstate", sync);
  sync();
}
