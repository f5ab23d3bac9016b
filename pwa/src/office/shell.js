/** What every office page shares: the view it draws into, the status line, and small helpers. */
import { h } from "../ui.js";
import { plainError } from "../staff/words.js";

export const view = h("main", { class: "staff-main", id: "view", tabindex: "-1" });
export const status = h("p", { role: "status", testid: "office-status", class: "muted" });

export const when = (iso) => (iso ? new Date(iso).toLocaleString() : "—");
export const say = (message) => { status.textContent = message; };
export const failed = (error) => say(`Not done: ${plainError(error)}`);

/** A label above its input, tied by id. */
export const field = (id, label, input) => h("div", {}, h("label", { for: id }, label), Object.assign(input, { id }));

// The router registers how to draw the current page again; pages call redraw() after a change.
let drawAgain = () => {};
export const onRedraw = (fn) => { drawAgain = fn; };
export const redraw = () => drawAgain();

/** Previous / page n of m / Next links for a list whose answer carried X-Pagination; nothing for one page. */
export function pager(paging, params, route, what) {
  if (!paging.total_pages || paging.total_pages <= 1) return "";
  const go = (page) => { const p = new URLSearchParams(params); p.set("page", page); return `#/${route}?${p}`; };
  return h("nav", { "aria-label": `Pages of ${what}` },
    paging.page > 1 ? h("a", { href: go(paging.page - 1) }, "Previous") : "",
    ` page ${paging.page} of ${paging.total_pages} `,
    paging.page < paging.total_pages ? h("a", { href: go(paging.page + 1) }, "Next") : "");
}

/** The signed-in user, set once at start. */
export const session = { me: null };
