// Scope type and scope key inputs with suggestions from the scopes the app already knows.

import { ApiError, knownScopes } from "./api.js";
import { h } from "./dom.js";
import { once } from "./lazy.js";

let known = null; // one load per page: { scopes, periods, truncated }
const listeners = new Set();

const fetchKnown = once(async () => {
  known = await knownScopes();
  for (const update of listeners) update();
});

/** Loads the suggestions and default periods once per page; after a failure the next call tries again. */
export async function loadKnownScopes() {
  try {
    await fetchKnown();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err; // suggestions are a convenience: the forms work without them
  }
}

export function knownPeriods() {
  return known?.periods ?? null;
}

// Two labelled inputs; the key suggestions follow the type typed so far.
export function createScopeFields(idPrefix) {
  const typeList = h("datalist", { id: `${idPrefix}-types` });
  const keyList = h("datalist", { id: `${idPrefix}-keys` });
  const type = h("input", { name: "scope_type", id: `${idPrefix}-scope-type`, list: typeList.id, autocomplete: "off", spellcheck: "false" });
  const key = h("input", { name: "scope_key", id: `${idPrefix}-scope-key`, list: keyList.id, autocomplete: "off", spellcheck: "false" });

  function update() {
    const scopes = known?.scopes ?? [];
    const types = [...new Set(scopes.map((scope) => scope.scope_type))];
    typeList.replaceChildren(...types.map((value) => h("option", { value })));
    const wanted = type.value.trim();
    const keys = scopes.filter((scope) => !wanted || scope.scope_type === wanted).map((scope) => scope.scope_key);
    keyList.replaceChildren(...[...new Set(keys)].map((value) => h("option", { value })));
  }

  type.addEventListener("input", update);
  listeners.add(update);
  update();
  return {
    type,
    key,
    typeField: h("div", { class: "field" }, h("label", { for: type.id, text: "Scope type" }), type, typeList),
    keyField: h("div", { class: "field" }, h("label", { for: key.id, text: "Scope key" }), key, keyList),
  };
}
