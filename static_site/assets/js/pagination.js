// Page links under the table, with "Showing x–y of z".

import { h, isModifiedClick } from "./dom.js";
import { count } from "./format.js";
import { urlFor } from "./url-state.js";

export function createPagination(root, onPage) {
  root.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-page]");
    if (!link || isModifiedClick(event)) return;
    event.preventDefault();
    onPage(Number(link.dataset.page));
  });

  function pageLink(view, page, label, enabled, rel) {
    if (!enabled) return h("span", { class: "page-link", "aria-disabled": "true", text: label });
    return h("a", { class: "page-link", href: urlFor({ ...view, page }), rel, dataset: { page: String(page) }, text: label });
  }

  return {
    render(view, { page, pages, total, limit, capped = false }, shown) {
      if (!total) {
        root.replaceChildren();
        return;
      }
      const first = (page - 1) * limit + 1;
      root.replaceChildren(
        h("span", { class: "pagination__summary", text: `Showing ${count(first)}–${count(first + shown - 1)} of ${count(total)}${capped ? "+" : ""} jobs` }),
        h("span", { class: "pagination__links" },
          pageLink(view, 1, "« First", page > 1),
          pageLink(view, page - 1, "‹ Previous", page > 1, "prev"),
          h("span", { class: "pagination__current", "aria-current": "page", text: `Page ${count(page)} of ${count(pages)}` }),
          pageLink(view, page + 1, "Next ›", page < pages, "next"),
          pageLink(view, pages, "Last »", page < pages),
        ),
      );
    },
    clear() {
      root.replaceChildren();
    },
  };
}
