// Parts of the page that the first view does not show load the first time a user needs them: the
// module with import() and its stylesheet with a <link>, both same-origin as the page's CSP requires.
// A part that could not be fetched says so, and the next attempt fetches it again.

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

/** Adds a stylesheet to the page; resolves once it applies, so nothing shows unstyled first. */
export function loadStylesheet(href) {
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

/**
 * A function that resolves to a part's module, fetching it (and its stylesheet) on the first call.
 * importModule is `() => import("./x.js")` written in the caller, so the path is the caller's.
 */
export function lazyModule(importModule, stylesheet = null) {
  return once(async () => {
    try {
      const [module] = await Promise.all([importModule(), stylesheet && loadStylesheet(stylesheet)]);
      return module;
    } catch (err) {
      throw err instanceof LoadError ? err : new LoadError(String(err?.message ?? err), { cause: err });
    }
  });
}

/** The message shown where a part could not load, with a button that tries again. */
export function loadFailedMessage(retry) {
  return h("p", { class: "error-message", role: "alert" }, `${LOAD_FAILED} `,
    h("button", { type: "button", class: "btn btn--small", text: "Try again", onclick: retry }));
}

/**
 * Fills a collapsed <details> the first time it opens: "Loading…", then build()'s elements (or the
 * load error with a retry). build resolves to { elements, opened }; opened runs on every opening.
 */
export function fillOnFirstOpen(details, build) {
  const load = once(build);
  const status = h("div", { class: "muted", role: "status" });
  let part = null;

  async function show() {
    if (!part) {
      status.replaceChildren("Loading…");
      details.append(status);
      let built;
      try {
        built = await load();
      } catch (err) {
        if (!(err instanceof LoadError)) throw err;
        status.replaceChildren(loadFailedMessage(show));
        return;
      }
      if (!part) {
        part = built;
        status.replaceWith(...part.elements);
      }
    }
    if (details.open) part.opened?.();
  }

  details.addEventListener("toggle", () => {
    if (details.open) show();
  });
}
