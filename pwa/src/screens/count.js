/** Count: a blind count of one bin — scan the bin, then scan each unit (or type the total), send the figure.
 * The phone never knows what the books say; the server compares and asks another worker for a recount. */

import { h, text } from "../ui.js";
import { readBarcode } from "../gs1.js";
import { sameLabel, unitsPerScan } from "../verdict.js";

export function countScreen(ctx) {
  const { t, store } = ctx;
  const title = h("h1", { class: "screen-title", testid: "screen-title" });
  const hint = h("p", { class: "lead", testid: "count-hint" }, t("count_blind"));
  const location = h("p", { class: "location", testid: "stop-location" });
  const step = h("p", { class: "step", role: "status", testid: "count-step" });
  const name = h("p", { class: "name", testid: "stop-name" });
  const sku = h("p", { class: "sku", testid: "stop-sku" });
  const tally = h("span", { class: "number", testid: "count-tally" }, "0");

  const total = h("input", { id: "count-total", testid: "count-total", type: "number", inputmode: "numeric", min: "0", step: "1" });
  const totalForm = h("form", {
    class: "count",
    onsubmit: (event) => {
      event.preventDefault();
      const n = Number.parseInt(total.value, 10);
      if (Number.isFinite(n) && n >= 0) setTally({ n, bin: true }); // a typed total sets the count, never adds
      total.value = "";
      total.blur(); // back to the scanner: the wedge listens when no text box has focus
    },
  }, h("label", { for: "count-total" }, t("count_total_label")), total,
  h("button", { type: "submit", class: "big", testid: "count-set" }, t("count_set")));

  const send = h("button", { class: "primary huge", testid: "count-send", onclick: () => submit() }, t("count_send"));
  const reset = h("button", { class: "big quiet", testid: "count-reset", onclick: () => setTally({ n: 0 }) }, t("count_reset"));

  const el = h("section", { class: "screen count" },
    title, hint,
    h("div", { class: "bin" }, location, step),
    name, sku,
    h("p", { class: "figure" }, h("span", { class: "caption" }, t("count_tally")), tally),
    totalForm, send, reset);

  const task = () => store.get().tasks[store.get().currentTaskId];
  const stop = () => task()?.stops?.[0];
  const mine = () => (store.get().counting || {})[store.get().currentTaskId] || { n: 0, bin: false };

  function setTally(patch) {
    const id = store.get().currentTaskId;
    store.update((s) => ({ counting: { ...(s.counting || {}), [id]: { ...mine(), ...patch } } }));
  }

  function refuse(message) {
    ctx.feedback?.signal("bad");
    store.notice(message, `count:${store.get().currentTaskId}`);
  }

  function onScan(code) {
    const here = stop();
    if (!here) return null;
    const reading = readBarcode(code);
    if (sameLabel(reading, here.location_barcode)) {
      setTally({ bin: true });
      ctx.feedback?.signal("good");
      return null;
    }
    const units = unitsPerScan(reading, here.barcodes || []);
    if (!mine().bin) {
      refuse(t("count_wrong_bin", { location: here.location }));
      return null;
    }
    if (units == null) {
      refuse(t("count_wrong_item", { sku: here.sku }));
      return null;
    }
    setTally({ n: mine().n + units * (reading.count || 1) });
    ctx.feedback?.signal("good");
    return null;
  }

  function submit() {
    const current = task();
    if (!current) return;
    const counted = mine().n;
    ctx.outbox.add("count", current.id, { counted }, { location: stop()?.location });
    const id = current.id;
    store.update((s) => {
      const counting = { ...(s.counting || {}) };
      delete counting[id];
      return {
        counting, screen: "done", doneTask: { id, type: "count", units: counted },
        tasks: { ...s.tasks, [id]: { ...current, status: "done" } },
      };
    });
    store.notice(t("count_sent", { location: stop()?.location ?? "" }), `count-sent:${id}`);
  }

  function update(state) {
    const current = state.tasks[state.currentTaskId];
    const here = current?.stops?.[0];
    if (!here) return;
    const progress = (state.counting || {})[current.id] || { n: 0, bin: false };
    text(title, t("count_title", { location: here.location }));
    text(location, here.location);
    text(step, progress.bin ? t("count_step_items") : t("step_bin"));
    step.dataset.bin = String(progress.bin);
    text(name, here.name || here.sku);
    text(sku, here.sku);
    text(tally, String(progress.n));
    tally.dataset.count = String(progress.n);
  }

  return { el, update, onScan };
}
