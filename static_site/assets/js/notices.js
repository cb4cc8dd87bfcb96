// Messages above the list (load errors, action results), one per key, replaced rather than stacked.

import { h } from "./dom.js";

export function createNotices(root) {
  const byKey = new Map();

  function show(key, { tone = "info", text, action = null }) {
    const existing = byKey.get(key);
    if (existing?.dataset.tone === tone && existing.dataset.text === text) return;
    const node = h("div", { class: `notice notice--${tone}`, dataset: { notice: key, tone, text } },
      h("span", { class: "notice__text", text }),
      action && (action.href
        ? h("a", { class: "notice__action", href: action.href, text: action.label })
        : h("button", { type: "button", class: "btn btn--small", text: action.label, onclick: action.onClick })),
      h("button", { type: "button", class: "notice__close", "aria-label": "Dismiss message", text: "✕", onclick: () => clear(key) }),
    );
    if (existing) existing.replaceWith(node);
    else root.append(node);
    byKey.set(key, node);
  }

  function clear(key) {
    byKey.get(key)?.remove();
    byKey.delete(key);
  }

  return { show, clear };
}
