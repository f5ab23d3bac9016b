/** Pack: tick off each item by scanning it, take the suggested box, weigh, confirm, print the label. */

import { h, replace, text } from "../ui.js";
import { orderedStops } from "../verdict.js";

export function packScreen(ctx) {
  const { t } = ctx;
  const title = h("h1", {});
  const items = h("ul", { class: "pack-items", testid: "pack-items", "aria-label": t("pack_items") });
  const box = h("p", { class: "box", testid: "pack-box" });
  const parcels = h("p", { class: "hint" });
  const weight = h("input", { id: "pack-weight", testid: "pack-weight", type: "number", inputmode: "decimal", min: "0.001", step: "0.001" });
  const message = h("p", { class: "message", role: "status", testid: "pack-message" });
  const confirm = h("button", { type: "submit", class: "primary huge", testid: "pack-confirm" }, t("pack_confirm"));
  const form = h("form", {
    class: "stack",
    onsubmit: (event) => {
      event.preventDefault();
      weight.blur();
      ctx.work.confirmPack(weight.value);
    },
  }, h("label", { for: "pack-weight" }, t("pack_weight")), weight, confirm);
  const result = h("section", { class: "card stack", testid: "pack-result", hidden: true });
  const el = h("section", { class: "screen pack" }, title,
    h("h2", {}, t("pack_items")), items,
    h("h2", {}, t("pack_box")), box, parcels, form, message, result);

  let shownItems = "";
  let shownResult = null;

  function update(state) {
    const task = state.tasks[state.currentTaskId];
    if (!task) return;
    text(title, t("pack_title", { order: task.order || task.id }));
    const stops = orderedStops(task);
    const key = JSON.stringify(stops.map((s) => [s.id, s.picked, s.qty]));
    if (key !== shownItems) {
      shownItems = key;
      replace(items, stops.map((s) => {
        const done = s.picked >= s.qty;
        return h("li", {
          class: done ? "done" : "", testid: "pack-item", "data-sku": s.sku, "data-qty": String(s.qty),
          "data-checked": String(Math.min(s.picked, s.qty)), "data-done": String(done),
        }, h("span", { class: "tick", "aria-hidden": "true" }, done ? "✔" : "○"),
        h("span", { class: "what" }, h("strong", {}, s.name || s.sku), h("br"), s.sku),
        h("span", { class: "count" }, `${Math.min(s.picked, s.qty)} / ${s.qty}`));
      }));
    }
    const suggested = task.data?.box;
    text(box, suggested ? `${suggested.name} (${suggested.code}) — ${suggested.inner_cm.join(" × ")} cm` : t("pack_box_none"));
    const n = task.data?.parcels || 1;
    text(parcels, n > 1 ? t("pack_parcels", { n }) : "");
    if (!weight.value && !weight.placeholder && task.data?.expected_weight_kg) {
      weight.placeholder = `≈ ${task.data.expected_weight_kg}`;
    }

    const pack = state.pack[task.id] || {};
    text(message, pack.status === "sending" ? t("pack_sending") : pack.error || "");
    confirm.disabled = pack.status === "sending" || pack.status === "packed";
    form.hidden = pack.status === "packed";
    if (pack !== shownResult) {
      shownResult = pack;
      result.hidden = pack.status !== "packed";
      if (pack.status === "packed") replace(result, ...packedView(ctx, pack));
    }
  }

  return { el, update, onScan: (code) => ctx.work.scan(code) };
}

function packedView(ctx, pack) {
  const { t } = ctx;
  if (!pack.result) return [h("p", { class: "lead" }, t("pack_done_retry")), nextButton(ctx)];
  const parcels = pack.result.parcels || [];
  const first = parcels[0];
  return [
    h("p", { class: "lead" }, t("pack_done", { labels: parcels.map((p) => p.label_code).join(", ") })),
    h("button", { class: "primary huge", testid: "pack-print", onclick: () => ctx.work.printLabels(pack.result) }, t("pack_print")),
    first ? h("a", { class: "button big", testid: "pack-zpl", href: first.label_urls.zpl, download: `${first.label_code}.zpl` }, t("pack_zpl")) : null,
    nextButton(ctx),
  ];
}

function nextButton(ctx) {
  return h("button", { class: "big", testid: "next-task", onclick: () => ctx.sync.nextTask() }, ctx.t("next_task"));
}
