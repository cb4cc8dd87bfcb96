// The search box and filters above the jobs table (their form is in jobs.html). They live in the URL
// with the status filter, so a search can be bookmarked; submitting calls onSearch(values), and the
// page shows page 1 of it and calls show(view) whenever the view changes.

import { jobsExportUrl } from "../api.js";
import { SEARCH_KEYS, filterOf } from "../url-state.js";

export function createSearch(root, { onSearch }) {
  const form = root.querySelector("form");
  const exportLink = root.querySelector("#export-csv");
  const values = (clear) => Object.fromEntries(SEARCH_KEYS.map((key) => [key, clear ? "" : form.elements[key].value.trim()]));

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    onSearch(values(false));
  });
  form.querySelector("[data-clear]").addEventListener("click", () => onSearch(values(true)));

  // The fields and the export link follow the view shown (a field being typed in keeps its text).
  return {
    show(view) {
      for (const key of SEARCH_KEYS) if (document.activeElement !== form.elements[key]) form.elements[key].value = view[key] ?? "";
      exportLink.href = jobsExportUrl(filterOf(view));
    },
  };
}
