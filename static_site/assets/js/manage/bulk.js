// Row selection and bulk actions. The page's table owns its rows; this module adds a checkbox cell
// and a Retry button to each row it renders (a MutationObserver sees every re-render) and keeps the
// selection across refreshes. What the buttons do (confirm, call the API, report) is in
// bulk-actions.js, loaded the first time one is clicked.

import { h } from "../dom.js";
import { count, shortId } from "../format.js";
import { lazyPart, withPart } from "../lazy.js";
import { BULK_CAP } from "./api.js";

const RETRYABLE = new Set(["failed", "canceled"]);

export function createBulk({ table, tbody, bar, notify }) {
  const selected = new Set();
  const headBox = h("input", { type: "checkbox", "aria-label": "Select every job on this page", dataset: { write: "" } });
  table.querySelector("thead tr").prepend(h("th", { scope: "col", class: "select-cell", dataset: { write: "" } }, headBox));

  const summary = h("span", { class: "bulk-bar__count", "aria-live": "polite" });
  const selectedButtons = [
    h("button", { type: "button", class: "btn btn--small", dataset: { bulk: "cancel" }, text: "Cancel selected" }),
    h("button", { type: "button", class: "btn btn--small", dataset: { bulk: "retry" }, text: "Retry selected" }),
    h("button", { type: "button", class: "btn btn--small btn--ghost", dataset: { bulk: "clear" }, text: "Clear selection" }),
  ];
  bar.append(
    h("div", { class: "bulk-bar__row" }, summary, ...selectedButtons),
    h("div", { class: "bulk-bar__row" },
      h("span", { class: "muted", text: `Everything matching this view (up to ${count(BULK_CAP)}):` }),
      h("button", { type: "button", class: "btn btn--small btn--danger-outline", dataset: { bulkAll: "cancel" }, text: "Cancel all matching…" }),
      h("button", { type: "button", class: "btn btn--small", dataset: { bulkAll: "retry" }, text: "Retry all matching…" })),
  );

  const loadActions = lazyPart(() => import("./bulk-actions.js"), { create: ({ createBulkActions }) => createBulkActions(notify) });
  const withActions = (use) => withPart(loadActions, use, (text) => notify({ tone: "error", text }));

  function rows() {
    return [...tbody.querySelectorAll("tr[data-job-id]")];
  }

  function render() {
    summary.textContent = selected.size ? `${count(selected.size)} selected` : "No rows selected";
    for (const button of selectedButtons) button.disabled = selected.size === 0;
    const onPage = rows().map((row) => row.dataset.jobId);
    headBox.checked = onPage.length > 0 && onPage.every((id) => selected.has(id));
    headBox.indeterminate = !headBox.checked && onPage.some((id) => selected.has(id));
  }

  function decorate() {
    for (const row of tbody.rows) {
      if (row.querySelector(".select-cell")) continue;
      const id = row.dataset.jobId;
      if (!id) {
        const cell = row.cells[0];
        if (cell?.colSpan > 1) cell.colSpan += 1; // a message row spans the added column too
        continue;
      }
      const box = h("input", { type: "checkbox", "aria-label": `Select job ${shortId(id)}`, dataset: { jobId: id, focusKey: `select:${id}` } });
      box.checked = selected.has(id);
      row.prepend(h("td", { class: "select-cell", dataset: { write: "" } }, box));
      if (RETRYABLE.has(row.dataset.status)) {
        row.querySelector(".row-actions")?.append(h("button", {
          type: "button", class: "btn btn--small", text: "Retry", "aria-label": `Retry job ${shortId(id)}`,
          dataset: { action: "retry", jobId: id, write: "", focusKey: `retry:${id}` },
        }));
      }
    }
    render();
  }

  new MutationObserver(decorate).observe(tbody, { childList: true });
  decorate();

  tbody.addEventListener("change", (event) => {
    const box = event.target.closest("input[type=checkbox][data-job-id]");
    if (!box) return;
    if (box.checked) selected.add(box.dataset.jobId);
    else selected.delete(box.dataset.jobId);
    render();
  });
  headBox.addEventListener("change", () => {
    for (const row of rows()) {
      const box = row.querySelector(".select-cell input");
      box.checked = headBox.checked;
      if (headBox.checked) selected.add(row.dataset.jobId);
      else selected.delete(row.dataset.jobId);
    }
    render();
  });
  tbody.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action='retry']");
    if (button) withActions((act) => act.retryOne(button.dataset.jobId));
  });

  bar.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-bulk], button[data-bulk-all]");
    if (!button) return;
    if (button.dataset.bulk === "clear") {
      selected.clear();
      for (const box of tbody.querySelectorAll(".select-cell input")) box.checked = false;
      render();
    } else if (button.dataset.bulk) {
      if (await withActions((act) => act.actOnSelected(button.dataset.bulk, [...selected]))) {
        selected.clear();
        render();
      }
    } else {
      await withActions((act) => act.actOnFilter(button.dataset.bulkAll));
    }
  });
}
