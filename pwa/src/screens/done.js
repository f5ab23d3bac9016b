/** Done: the trip (or sort) is finished; ask for the next task. */

import { h, text } from "../ui.js";

export function doneScreen(ctx) {
  const { t } = ctx;
  const body = h("p", { class: "lead" });
  const message = h("p", { class: "message", role: "status" });
  const next = h("button", { class: "primary huge", testid: "next-task", onclick: () => ctx.sync.nextTask() }, t("next_task"));
  const home = h("button", { class: "big", testid: "home", onclick: () => ctx.sync.goHome() }, t("home"));
  const el = h("section", { class: "screen done" },
    h("div", { class: "done-mark", "aria-hidden": "true" }, "✔"),
    h("h1", {}, t("done_title")), body, next, message, home);

  function update(state) {
    const done = state.doneTask || {};
    text(body, t("done_body", { id: done.id ?? "", units: done.units ?? 0 }));
    text(message, state.homeMessage);
    next.disabled = state.busy;
  }

  return { el, update };
}
