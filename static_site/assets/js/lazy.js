// Parts the first view does not show load on first use: the module with import(), stylesheets with
// a <link> (same-origin, as the CSP requires). A part that could not be fetched says so; the next
// attempt fetches it again.

import { h } from "./dom.js";

export const LOAD_FAILED = "This part of the page could not be loaded. Check your connection, then try again or reload the page.";

/** A module or stylesheet could not be fetched (or the module failed to start). */
export class LoadError extends Error {}

/** Runs load() once and shares its promise; after a failure the next call runs it again. */
export function once(load) {
  let pending = null;
  return () => {
    pending ??= load().catch((err) => {
      pending = null;
      throw err;
    });
    return pending;
  };
}

const stylesheets = new Map();

/** Resolves once the stylesheet applies, so a part never shows unstyled first. */
function loadStylesheet(href) {
  if (!stylesheets.has(href)) {
    stylesheets.set(href, once(() => new Promise((resolve, reject) => {
      const link = h("link", { rel: "stylesheet", href });
      link.addEventListener("load", resolve);
      link.addEventListener("error", () => {
        link.remove();
        reject(new LoadError(`${href} could not be loaded`));
      });
      document.head.append(link);
    })));
  }
  return stylesheets.get(href)();
}

/** The stylesheet every part that opens a dialog loads with its module. */
export const DIALOG_CSS = "/assets/css/dialog.css";

/**
 * A function resolving to create(module), fetching the module (and stylesheets) on its first call.
 * importModule is an arrow calling import() in the caller's module, so its path is the caller's.
 */
export function lazyPart(importModule, { stylesheets = [], create = (module) => module } = {}) {
  return once(async () => {
    let module;
    try {
      [module] = await Promise.all([importModule(), ...stylesheets.map(loadStylesheet)]);
    } catch (err) {
      throw err instanceof LoadError ? err : new LoadError(String(err?.message ?? err), { cause: err });
    }
    return create(module);
  });
}

/** use(part) once load() resolves; if the part could not be fetched, failed(LOAD_FAILED) instead. */
export async function withPart(load, use, failed) {
  let part;
  try {
    part = await load();
  } catch (err) {
    if (!(err instanceof LoadError)) throw err;
    return failed(LOAD_FAILED);
  }
  return use(part);
}

/**
 * Fills a collapsed <details> the first time it opens. load resolves to { elements, opened };
 * opened runs on this and every later opening.
 */
export function fillOnFirstOpen(details, load) {
  const show = filler(details, load, (part) => {
    if (details.open) part.opened?.();
  });
  details.addEventListener("toggle", () => {
    if (details.open) show();
  });
}

/** Fills an element below the fold when it comes near the viewport. load resolves to { elements }. */
export function fillWhenNear(element, load) {
  const show = filler(element, load, () => {});
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    show();
  }, { rootMargin: "200px" });
  observer.observe(element);
}

// Shows "Loading…" in the container, then the part's elements, or the failure with "Try again".
function filler(container, load, shown) {
  const status = h("div", { class: "muted", role: "status" });
  let part = null;
  return async function show() {
    if (!part) {
      status.replaceChildren("Loading…");
      container.append(status);
      const built = await withPart(load, (loaded) => loaded, (text) => {
        status.replaceChildren(h("p", { class: "error-message", role: "alert" }, `${text} `,
          h("button", { type: "button", class: "btn btn--small", text: "Try again", onclick: show })));
      });
      if (!built) return;
      if (!part) {
        part = built;
        status.replaceWith(...part.elements);
      }
    }
    shown(part);
  };
}
