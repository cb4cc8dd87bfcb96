// "Report schedules": the recurring rules, each with its next run, last run and what that run queued,
// plus a form to create or edit one. Create, edit, pause, resume, run now and delete go to the API.

import { ApiError, listSchedules, scheduleAction } from "./api.js";
import { createConfirm } from "./confirm.js";
import { h } from "./dom.js";
import { bothZones, formatTime, shortId, timeEl, utcTitle } from "./format.js";
import { createScopeFields, loadKnownScopes } from "./scope-fields.js";

const PERIOD_LABELS = { week: "Week just ended", month: "Month just ended" };
const CRON_PRESETS = [
  ["0 6 * * 1", "Mondays 06:00"],
  ["0 6 1 * *", "1st of the month 06:00"],
  ["0 6 * * *", "Every day 06:00"],
];

// onJobsQueued() after a run queued jobs; onChanged() after any change (the audit log shows it).
export function createSchedulesPanel({ onJobsQueued, onChanged }) {
  let byId = new Map();
  let editing = null; // the schedule being edited, or null when the form creates one

  const status = h("p", { class: "form-result", id: "schedules-status", role: "status" });
  const body = h("tbody", { id: "schedules-body" });
  const table = h("div", { class: "table-wrap" },
    h("table", { class: "schedules-table", id: "schedules-table" },
      h("thead", {}, h("tr", {}, ...["Name", "Scope", "Report", "When (UTC)", "Next run", "Last run", "Last run queued"]
        .map((text) => h("th", { scope: "col", text })), h("th", { scope: "col" }, h("span", { class: "visually-hidden", text: "Actions" })))),
      body,
    ),
  );
  const ruleForm = createRuleForm();
  const confirmDialog = h("dialog", { class: "dialog dialog--small", id: "schedule-confirm", "aria-labelledby": "schedule-confirm-title" },
    h("div", { class: "dialog__inner" },
      h("h2", { id: "schedule-confirm-title", text: "Confirm" }),
      h("p", {}),
      h("div", { class: "dialog__actions" },
        h("button", { type: "button", class: "btn", dataset: { answer: "no" }, text: "Keep" }),
        h("button", { type: "button", class: "btn btn--danger", dataset: { answer: "yes" }, text: "Delete" }),
      ),
    ),
  );
  document.body.append(confirmDialog);
  const confirm = createConfirm(confirmDialog);

  // --- the list ----------------------------------------------------------------------------------

  async function load() {
    try {
      const data = await listSchedules();
      render(data.schedules);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      body.replaceChildren(messageRow(`The schedules could not be loaded. ${err.message}`, true));
    }
  }

  function render(schedules) {
    byId = new Map(schedules.map((item) => [item.schedule_id, item]));
    body.replaceChildren(...(schedules.length ? schedules.map(scheduleRow) : [messageRow("No schedules yet. Create one below.")]));
  }

  function messageRow(text, failed = false) {
    return h("tr", { class: `message-row${failed ? " message-row--error" : ""}` }, h("td", { colspan: "8", text }));
  }

  function scheduleRow(item) {
    const button = (label, action, extra = {}) => h("button", {
      type: "button", class: "btn btn--small", text: label, dataset: { action }, "aria-label": `${label}: ${item.name}`, ...extra,
    });
    return h("tr", { dataset: { scheduleId: item.schedule_id }, class: item.paused ? "is-paused" : null },
      h("td", {}, h("span", { class: "schedule-name", text: item.name }), item.paused && h("span", { class: "badge badge--canceled", text: "Paused" })),
      h("td", {}, h("span", { class: "scope" }, h("span", { class: "scope__type", text: item.scope_type }),
        h("span", { class: "scope__key", text: item.scope_key ?? "all scopes with data" }))),
      h("td", { title: `Run now would queue ${item.current_period}` }, PERIOD_LABELS[item.period_kind] ?? item.period_kind),
      h("td", {}, h("code", { text: item.cron })),
      h("td", { class: "next-run" }, item.paused ? "Paused" : nextRunCell(item.next_run_at)),
      h("td", { class: "last-run" }, item.last_run_at ? timeEl(item.last_run_at, "compact") : "Never"),
      h("td", { class: "last-result" }, describeResult(item.last_result)),
      h("td", {}, h("div", { class: "row-actions" },
        button("Run now", "run_now"),
        item.paused ? button("Resume", "resume") : button("Pause", "pause"),
        button("Edit", "edit"),
        button("Delete", "delete", { class: "btn btn--small btn--danger-outline" }),
      )),
    );
  }

  body.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    const item = button && byId.get(button.closest("tr").dataset.scheduleId);
    if (!item) return;
    const action = button.dataset.action;
    if (action === "edit") {
      ruleForm.edit(item);
      return;
    }
    if (action === "delete" && !(await confirm({
      heading: `Delete schedule "${item.name}"?`,
      text: "It will queue no more reports. Jobs it already queued are kept. This cannot be undone.",
      confirmLabel: "Delete",
      cancelLabel: "Keep",
    }))) return;
    button.disabled = true;
    try {
      const data = await scheduleAction(action, { schedule_id: item.schedule_id });
      status.textContent = describeAction(action, item, data);
      if (action === "delete" && editing?.schedule_id === item.schedule_id) ruleForm.reset();
      if (action === "run_now" && data.run.claimed) onJobsQueued?.();
      else onChanged?.();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      status.textContent = `${item.name}: ${err.message}`;
    }
    await load();
  });

  // --- create and edit -----------------------------------------------------------------------------

  function createRuleForm() {
    const scope = createScopeFields("schedule");
    const name = h("input", { name: "name", id: "schedule-name", maxlength: "100", autocomplete: "off" });
    const allScopes = h("input", { type: "checkbox", name: "all_scopes", id: "schedule-all-scopes" });
    const period = h("select", { name: "period_kind", id: "schedule-period" },
      ...Object.entries(PERIOD_LABELS).map(([value, text]) => h("option", { value, text })));
    const cron = h("input", { name: "cron", id: "schedule-cron", value: CRON_PRESETS[0][0], autocomplete: "off", spellcheck: "false",
      "aria-describedby": "schedule-cron-help" });
    const presets = h("select", { id: "schedule-cron-preset", "aria-label": "Common schedules" },
      h("option", { value: "", text: "Common schedules…" }), ...CRON_PRESETS.map(([value, label]) => h("option", { value, text: `${label} (${value})` })));
    const heading = h("h3", { id: "schedule-form-title", text: "New schedule" });
    const submit = h("button", { type: "submit", class: "btn btn--primary", text: "Create schedule" });
    const cancel = h("button", { type: "button", class: "btn", text: "Cancel edit", hidden: true });
    const error = h("p", { class: "form-error", id: "schedule-error", role: "alert" });

    const form = h("form", { class: "form-grid", id: "schedule-form", novalidate: true, "aria-labelledby": heading.id },
      heading,
      h("div", { class: "field" }, h("label", { for: name.id, text: "Name" }), name),
      scope.typeField,
      scope.keyField,
      h("div", { class: "field field--check" }, allScopes, h("label", { for: allScopes.id, text: "All scopes of this type (those with data in the period)" })),
      h("div", { class: "field" }, h("label", { for: period.id, text: "Report on" }), period),
      h("div", { class: "field" }, h("label", { for: cron.id, text: "When (cron, UTC)" }), cron,
        h("small", { id: "schedule-cron-help", class: "muted", text: "minute hour day-of-month month day-of-week, e.g. 0 6 * * 1" })),
      h("div", { class: "field" }, h("label", { for: presets.id, class: "visually-hidden", text: "Common schedules" }), presets),
      h("div", { class: "form-actions" }, submit, cancel),
      error,
    );

    allScopes.addEventListener("change", () => {
      scope.key.disabled = allScopes.checked;
    });
    presets.addEventListener("change", () => {
      if (presets.value) cron.value = presets.value;
      presets.value = "";
    });
    cancel.addEventListener("click", reset);

    function reset() {
      editing = null;
      form.reset();
      cron.value = CRON_PRESETS[0][0];
      scope.key.disabled = false;
      heading.textContent = "New schedule";
      submit.textContent = "Create schedule";
      cancel.hidden = true;
      error.textContent = "";
    }

    function edit(item) {
      editing = item;
      name.value = item.name;
      scope.type.value = item.scope_type;
      scope.key.value = item.scope_key ?? "";
      allScopes.checked = item.scope_key === null;
      scope.key.disabled = allScopes.checked;
      period.value = item.period_kind;
      cron.value = item.cron;
      heading.textContent = `Edit schedule "${item.name}"`;
      submit.textContent = "Save changes";
      cancel.hidden = false;
      error.textContent = "";
      name.focus();
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      submit.disabled = true;
      const fields = {
        name: name.value.trim(),
        scope_type: scope.type.value.trim(),
        scope_key: allScopes.checked ? null : scope.key.value.trim(),
        period_kind: period.value,
        cron: cron.value.trim(),
      };
      try {
        const data = editing
          ? await scheduleAction("update", { schedule_id: editing.schedule_id, ...fields })
          : await scheduleAction("create", fields);
        status.textContent = `${editing ? "Saved" : "Created"} schedule "${data.schedule.name}". ${nextRunText(data.schedule)}`;
        reset();
        onChanged?.();
        await load();
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        error.textContent = `${editing ? "Not saved" : "Not created"}: ${err.message}`;
      } finally {
        submit.disabled = false;
      }
    });

    return { form, edit, reset };
  }

  // On every opening: fresh rules, and the scope suggestions if they have not loaded yet.
  function opened() {
    loadKnownScopes();
    return load();
  }

  return { elements: [status, table, ruleForm.form], opened };
}

// The cron runs in UTC; the next run reads in both zones so nobody converts it in their head.
function nextRunCell(iso) {
  return iso ? h("time", { datetime: iso, title: utcTitle(iso), text: bothZones(iso) }) : "—";
}

function nextRunText(item) {
  return item.paused ? "It is paused." : `Next run ${bothZones(item.next_run_at)}.`;
}

function describeResult(result) {
  if (!result) return "—";
  if (result.error) return h("span", { class: "error-message", text: `Failed: ${result.error}` });
  const how = result.trigger === "run_now" ? `run now by ${result.run_by}` : "on schedule";
  const summary = `${result.period}: ${result.created} new, ${result.existing} already queued (${how})`;
  const ids = result.jobs.map((job) => h("code", { text: shortId(job.job_id), title: `${job.job_id} · ${job.scope_key}` }));
  return h("span", { class: "run-result" }, h("span", { text: summary }), ids.length > 0 && h("span", { class: "run-result__jobs" }, ...ids));
}

function describeAction(action, item, data) {
  if (action === "run_now") {
    const { run } = data;
    if (!run.claimed) {
      const when = run.result ? ` at ${formatTime(run.result.run_at, "compact")}` : "";
      return `${item.name}: ${run.period} was already queued${when}; nothing new was queued.`;
    }
    return `${item.name}: queued ${run.result.created} new job(s) for ${run.period}` +
      (run.result.existing ? `; ${run.result.existing} were already queued.` : ".");
  }
  if (action === "delete") return `Deleted schedule "${item.name}".`;
  return `${action === "pause" ? "Paused" : "Resumed"} schedule "${item.name}". ${nextRunText(data.schedule)}`;
}
