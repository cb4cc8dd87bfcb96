// "Enqueue report": one scope, one ISO week or month; shows the new job, or the queued/running job
// the request was de-duplicated to.

import { ApiError, enqueueReport } from "./api.js";
import { h } from "./dom.js";
import { shortId, timeEl } from "./format.js";
import { createScopeFields, knownPeriods, loadKnownScopes } from "./scope-fields.js";

export function createEnqueueForm({ onQueued }) {
  const scope = createScopeFields("enqueue");
  const week = h("input", { type: "week", name: "iso_week", id: "enqueue-week", "aria-label": "Week to report" });
  const month = h("input", { type: "month", name: "month_key", id: "enqueue-month", "aria-label": "Month to report", disabled: true });
  const byWeek = h("input", { type: "radio", name: "period_kind", value: "week", id: "enqueue-by-week", checked: true });
  const byMonth = h("input", { type: "radio", name: "period_kind", value: "month", id: "enqueue-by-month" });
  const submit = h("button", { type: "submit", class: "btn btn--primary", text: "Enqueue report" });
  const error = h("p", { class: "form-error", id: "enqueue-error", role: "alert" });
  const result = h("div", { class: "form-result", id: "enqueue-result", role: "status" });

  const form = h("form", { class: "form-grid", id: "enqueue-form", novalidate: true, "aria-describedby": error.id },
    scope.typeField,
    scope.keyField,
    h("fieldset", { class: "field field--period" },
      h("legend", { text: "Period" }),
      h("div", { class: "period-choice" }, byWeek, h("label", { for: byWeek.id, text: "ISO week" }), week),
      h("div", { class: "period-choice" }, byMonth, h("label", { for: byMonth.id, text: "Month" }), month),
    ),
    h("div", { class: "form-actions" }, submit),
    error,
    result,
  );

  function choosePeriod() {
    week.disabled = !byWeek.checked;
    month.disabled = !byMonth.checked;
  }
  byWeek.addEventListener("change", choosePeriod);
  byMonth.addEventListener("change", choosePeriod);

  // On every opening: the default periods come with the scope suggestions.
  async function setDefaults() {
    await loadKnownScopes();
    const periods = knownPeriods();
    if (!periods) return;
    if (!week.value) week.value = periods.last_week;
    if (!month.value) month.value = periods.last_month;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    result.replaceChildren();
    submit.disabled = true;
    const fields = {
      scope_type: scope.type.value.trim(),
      scope_key: scope.key.value.trim(),
      ...(byWeek.checked ? { iso_week: week.value } : { month_key: month.value }),
    };
    try {
      const { created, job } = await enqueueReport(fields);
      result.replaceChildren(describeJob(created, job));
      onQueued?.(job);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      error.textContent = `Not queued: ${err.message}`;
    } finally {
      submit.disabled = false;
    }
  });

  return { form, opened: setDefaults };
}

function describeJob(created, job) {
  const what = `${job.scope_type} ${job.scope_key}, ${job.period}`;
  const when = timeEl(job.created_at, "compact");
  return h("p", { class: created ? "form-result__new" : "form-result__existing", dataset: { jobId: job.job_id, created: String(created) } },
    created ? "Queued job " : "Already covered by job ",
    h("code", { text: shortId(job.job_id), title: job.job_id }),
    created ? ` for ${what}, at ` : ` (${job.status}) for ${what}, queued `,
    when,
    created ? "." : ". No new job was added.",
  );
}
