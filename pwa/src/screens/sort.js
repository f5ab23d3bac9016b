/** Sort (put wall): scan an item, see in big letters which order slot it goes to. */

import { h, text } from "../ui.js";

export function sortScreen(ctx) {
  const { t } = ctx;
  const title = h("h1", {});
  const slot = h("p", { class: "slot", testid: "sort-slot", "aria-live": "polite" });
  const detail = h("p", { class: "lead" });
  const remaining = h("span", { class: "number", testid: "sort-remaining" });
  const el = h("section", { class: "screen sort" }, title,
    h("p", { class: "caption" }, t("slot")), slot, detail,
    h("p", { class: "figure" }, remaining, h("span", { class: "caption" }, ` ${t("sort_remaining")}`)));

  function update(state) {
    const task = state.tasks[state.currentTaskId];
    if (!task) return;
    text(title, t("sort_title", { id: task.id }));
    const last = state.sortLast;
    text(slot, last?.slot ?? "—");
    slot.classList.toggle("bad", Boolean(last && last.verdict !== "match"));
    text(detail, last ? last.text : t("sort_hint"));
    const left = task.stops.reduce((n, s) => n + Math.max(s.qty - (s.short || 0) - s.picked, 0), 0);
    text(remaining, left);
  }

  return { el, update, onScan: (code) => ctx.work.scan(code) };
}
