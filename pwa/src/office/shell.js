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

/** The signed-in user, set once at start. */
export const session = { me: null };
