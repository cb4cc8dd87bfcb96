// The status filter: links (so they can be opened in a new tab) that switch the view in place.

import { h, isModifiedClick } from "./dom.js";
import { count, titleCase } from "./format.js";
import { VIEWS } from "./statuses.js";
import { urlFor } from "./url-state.js";

const FILTERS = [["", "All"], ...VIEWS.map((status) => [status, titleCase(status)])];

export function createFilters(root, onSelect) {
  const links = FILTERS.map(([status, label]) => {
    const badge = h("span", { class: "filter__count" });
    return { status, badge, link: h("a", { class: "filter", href: urlFor({ status, page: 1 }), dataset: { status } }, label, " ", badge) };
  });
  root.append(...links.map(({ link }) => link));
  root.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-status]");
    if (!link || isModifiedClick(event)) return;
    event.preventDefault();
    onSelect(link.dataset.status);
  });
  return {
    render(view, stats) {
      for (const { status, badge, link } of links) {
        if (status === view.status) link.setAttribute("aria-current", "true");
        else link.removeAttribute("aria-current");
        if (stats) badge.textContent = count(stats[status || "total"]);
      }
    },
  };
}
