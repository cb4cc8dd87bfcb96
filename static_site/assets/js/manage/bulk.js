// Row selection and bulk actions, loaded on the first tick of a box or click in the bulk bar (until
// then nothing is selected, as jobs.html's bar says). The page passes on the table's boxes and Retry
// buttons (select, retry), the header box (selectPage) and the bar's buttons (press), and tells it
// after each redraw (rendered), so the header box and the count follow. The selection is kept across
// refreshes. What the buttons do (confirm, call the API, report) is in bulk-actions.js, loaded on first click.

import { count } from "../format.js";
import { DIALOG_CSS, lazyPart, withPart } from "../lazy.js";

// headBox: the header's checkbox; table: the jobs table (shownIds, checkAll); bar: the bulk bar's element.
export function createBulk({ headBox, table, bar, notify, changed, currentView }) {
  const selected = new Set();

  // The bar's buttons are in jobs.html; BULK_CAP there reads "up to 1,000".
  const summary = bar.querySelector(".bulk-bar__count");
  const selectedButtons = [...bar.querySelectorAll("[data-bulk]")];

  const loadActions = lazyPart(() => import("./bulk-actions.js"), {
    stylesheets: [DIALOG_CSS],
    create: ({ createBulkActions }) => createBulkActions({ notify, changed, currentView }),
  });
  const withActions = (use) => withPart(loadActions, use, (text) => notify({ tone: "error", text }));

  function rendered() {
    summary.textContent = selected.size ? `${count(selected.size)} selected` : "No rows selected";
    for (const button of selectedButtons) button.disabled = selected.size === 0;
    const onPage = table.shownIds();
    headBox.checked = onPage.length > 0 && onPage.every((id) => selected.has(id));
    headBox.indeterminate = !headBox.checked && onPage.some((id) => selected.has(id));
  }

  function selectPage() {
    for (const id of table.shownIds()) {
      if (headBox.checked) selected.add(id);
      else selected.delete(id);
    }
    table.checkAll(headBox.checked);
    rendered();
  }

  // A button of the bar: one with data-bulk acts on the selection, one with data-bulk-all on the view.
  async function press(button) {
    if (button.dataset.bulk === "clear") {
      selected.clear();
      table.checkAll(false);
      rendered();
    } else if (button.dataset.bulk) {
      if (await withActions((act) => act.actOnSelected(button.dataset.bulk, [...selected]))) {
        selected.clear();
        rendered();
      }
    } else {
      await withActions((act) => act.actOnFilter(button.dataset.bulkAll));
    }
  }

  rendered();
  return {
    rendered,
    selectPage,
    press,
    isSelected: (jobId) => selected.has(jobId),
    select(jobId, checked) {
      if (checked) selected.add(jobId);
      else selected.delete(jobId);
      rendered();
    },
    retry: (jobId) => withActions((act) => act.retryOne(jobId)),
  };
}
