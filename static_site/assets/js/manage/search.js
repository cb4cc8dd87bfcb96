// The search box and filters above the jobs table. They live in the URL with the status filter,
// so a search can be bookmarked; submitting calls onSearch(values), and the page shows page 1 of it
// and calls show(view) whenever the view changes.

import { jobsExportUrl } from "../api.js";
import { h } from "../dom.js";
import { SEARCH_KEYS, filterOf } from "../url-state.js";

export function createSearch(root, { onSearch }) {
  const fields = {
    q: h("input", { type: "search", name: "q", maxlength: "200", placeholder: "Job ID, scope, user or error text", "aria-label": "Search jobs" }),
    scope_type: h("input", { type: "text", name: "scope_type", maxlength: "50", placeholder: "any", "aria-label": "Scope type" }),
    from: h("input", { type: "date", name: "from", "aria-label": "Created from (UTC date)" }),
    to: h("input", { type: "date", name: "to", "aria-label": "Created to (UTC date, inclusive)" }),
  };
  const exportLink = h("a", { class: "btn", id: "export-csv", download: "", text: "Export CSV" });
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

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    onSearch(Object.fromEntries(SEARCH_KEYS.map((key) => [key, fields[key].value.trim()])));
  });
  form.querySelector("[data-clear]").addEventListener("click", () => {
    onSearch(Object.fromEntries(SEARCH_KEYS.map((key) => [key, ""])));
  });

  // The fields and the export link follow the view shown (a field being typed in keeps its text).
  return {
    show(view) {
      for (const key of SEARCH_KEYS) if (document.activeElement !== fields[key]) fields[key].value = view[key] ?? "";
      exportLink.href = jobsExportUrl(filterOf(view));
    },
  };
}
