/** Pick: one stop at a time — big bin code, the item, how many, which tote — scan the bin, then the item. */

import { h, replace, text } from "../ui.js";
import { currentStop, orderedStops } from "../verdict.js";
import { tripMap } from "../map.js";

const REASONS = ["empty", "short", "damaged", "wrong_item_in_bin"];

/** `putaway`: the same walk, bin by bin, returning units: the figure says where they come from, not the tote. */
export function pickScreen(ctx, { putaway = false } = {}) {
  const { t } = ctx;
  const progress = h("p", { class: "progress", testid: "trip-progress" });
  const order = h("p", { class: "order" });
  const location = h("p", { class: "location", testid: "stop-location" });
  const step = h("p", { class: "step", role: "status" });
  const name = h("p", { class: "name", testid: "stop-name" });
  const sku = h("p", { class: "sku", testid: "stop-sku" });
  // A lot-tracked product: the lot to take, and its expiry (hidden otherwise).
  const lot = h("p", { class: "lot", testid: "stop-lot", hidden: true });
  const qty = h("span", { class: "number", testid: "stop-qty" });
  const tote = h("span", { class: "number", testid: "stop-tote" });
  const next = h("p", { class: "next" });

  const count = h("input", { id: "qty-input", testid: "qty-input", type: "number", inputmode: "numeric", min: "1", step: "1" });
  const countForm = h("form", {
    class: "count",
    onsubmit: (event) => {
      event.preventDefault();
      const n = Number.parseInt(count.value, 10);
      if (n > 0 && ctx.work.countUnits(n)) count.value = "";
      count.blur(); // back to the scanner: the wedge listens when no text box has focus
    },
  }, h("label", { for: "qty-input" }, t("count_label")), count,
  h("button", { type: "submit", class: "big", testid: "qty-submit" }, t("count_submit")));

  const shortButton = h("button", { class: "big warn", testid: "short-button", "aria-haspopup": "dialog", onclick: () => ctx.store.set({ shortOpen: true }) }, t("short_button"));
  const pauseButton = h("button", { class: "big quiet", testid: "pause-button", onclick: () => ctx.work.pause() }, t("pause"));
  const mapButton = h("button", { class: "big", testid: "map-button", "aria-controls": "trip-map", onclick: () => ctx.store.update((s) => ({ mapOpen: !s.mapOpen })) }, t("map_button"));

  const found = h("input", { id: "short-found", testid: "short-found", type: "number", inputmode: "numeric", min: "0", step: "1" });
  const reason = h("select", { id: "short-reason", testid: "short-reason" },
    REASONS.map((r) => h("option", { value: r }, t(`reason_${r}`))));
  const shortDialog = h("section", { class: "sheet dialog stack", role: "dialog", "aria-modal": "true", "aria-labelledby": "short-title", hidden: true },
    h("h2", { id: "short-title" }, t("short_title")),
    h("form", {
      class: "stack",
      onsubmit: (event) => {
        event.preventDefault();
        const n = Number.parseInt(found.value, 10);
        ctx.work.reportShortage(Number.isFinite(n) ? n : 0, reason.value);
      },
    },
    h("label", { for: "short-found" }, t("short_found")), found,
    h("label", { for: "short-reason" }, t("short_reason")), reason,
    h("div", { class: "row" },
      h("button", { type: "submit", class: "primary big", testid: "short-submit" }, t("short_submit")),
      h("button", { type: "button", class: "big", testid: "short-cancel", onclick: () => ctx.store.set({ shortOpen: false }) }, t("cancel")))));

  const mapBody = h("div", { class: "map-body" });
  const mapTitle = h("h2", { id: "trip-map-heading" });
  const mapClose = h("button", { class: "big", testid: "map-close", onclick: () => ctx.store.set({ mapOpen: false }) }, t("map_hide"));
  const map = h("section", { id: "trip-map", class: "sheet map", testid: "trip-map", hidden: true, "aria-labelledby": "trip-map-heading" },
    mapTitle, mapBody, mapClose);

  const el = h("section", { class: "screen pick" },
    h("h1", { class: putaway ? "screen-title" : "visually-hidden", testid: "screen-title" }, putaway ? t("putaway_title") : t("type_pick")),
    h("div", { class: "row spread" }, progress, order),
    h("div", { class: "bin" }, location, step),
    name, sku, lot,
    h("div", { class: "row figures" },
      h("p", { class: "figure" }, h("span", { class: "caption" }, t("take")), qty),
      h("p", { class: "figure" }, h("span", { class: "caption" }, putaway ? t("from_location") : t("tote")), tote)),
    next, countForm,
    h("div", { class: "row" }, shortButton, mapButton),
    h("div", { class: "row" }, pauseButton),
    shortDialog, map);

  let shownStop = null;
  let shownMap = "";

  function update(state) {
    const task = state.tasks[state.currentTaskId];
    if (!task) return;
    const stops = orderedStops(task);
    const stop = currentStop(task);
    if (!stop) {
      text(step, t("all_done"));
      return;
    }
    const index = stops.indexOf(stop);
    text(progress, t("progress", { n: index + 1, total: stops.length }));
    text(order, stop.order ? `${t("order")} ${stop.order}` : "");
    text(location, stop.location || "");
    const binDone = Boolean(stop.bin_scanned) || state.binConfirmed === stop.id;
    text(step, binDone ? t("step_item") : t("step_bin"));
    step.classList.toggle("ok", binDone);
    text(name, stop.name || stop.sku);
    text(sku, stop.sku);
    lot.hidden = !stop.lot;
    text(lot, stop.lot ? t(stop.expiry ? "stop_lot_expiry" : "stop_lot", { lot: stop.lot, expiry: stop.expiry }) : "");
    text(qty, Math.max(stop.qty - (stop.short || 0) - stop.picked, 0));
    text(tote, (putaway ? stop.source_location : stop.tote_slot) ?? "—");
    const after = stops.slice(index + 1).find((s) => s.status === "open");
    text(next, after ? t("next_bin", { location: after.location }) : t("last_stop"));

    // "How many did the bin have?" starts at the units already scanned, as the dialog opens (not when the
    // stop was first shown: the picker has scanned some since).
    const opening = state.shortOpen && (shortDialog.hidden || stop.id !== shownStop);
    shownStop = stop.id;
    found.min = String(stop.picked);
    found.max = String(Math.max(stop.qty - 1, stop.picked));
    if (opening) found.value = String(stop.picked);
    shortDialog.hidden = !state.shortOpen;
    if (state.shortOpen && document.activeElement?.closest?.(".dialog") == null) found.focus();

    map.hidden = !state.mapOpen;
    text(mapButton, state.mapOpen ? t("map_hide") : t("map_button"));
    mapButton.setAttribute("aria-expanded", String(state.mapOpen));
    if (state.mapOpen) {
      const layout = state.layouts?.[task.warehouse];
      const key = JSON.stringify([layout, stops.map((s) => [s.id, s.status, s.picked]), stop.id]);
      if (key !== shownMap) {
        shownMap = key;
        text(mapTitle, `${t("map_title", { id: task.id })}${task.distance_m ? ` · ${Math.round(task.distance_m)} m` : ""}`);
        replace(mapBody, layout ? tripMap(task, layout, stop.id, t) : h("p", {}, t("map_unavailable")));
      }
      if (!layout) ctx.sync.loadLayout(task.warehouse);
    }
  }

  return {
    el,
    update,
    onScan: (code) => ctx.work.scan(code),
  };
}
