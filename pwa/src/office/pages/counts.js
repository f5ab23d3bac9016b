/** Cycle counts: schedule today's counts by ABC class, the counts with the books' figure, and accuracy. */
import { h, replace } from "../../ui.js";
import { api, get, table } from "../../staff/staff.js";
import { failed, field, redraw, say, session, view, when } from "../shell.js";

export async function countsPage(params) {
  const code = params.get("warehouse") || session.me?.warehouse || "";
  const wh = h("input", { value: code, testid: "counts-warehouse" });
  const form = h("form", { class: "staff-form inline", role: "search", onsubmit: (e) => {
    e.preventDefault();
    location.hash = `#/counts?warehouse=${encodeURIComponent(wh.value.trim())}`;
  } }, field("counts-wh", "Warehouse", wh), h("button", { type: "submit" }, "Show"));
  const parts = [h("h2", {}, "Cycle counts"), form];
  if (!code) {
    replace(view, ...parts, h("p", { class: "muted" }, "Name a warehouse."));
    return;
  }
  const where = encodeURIComponent(code);
  const schedule = h("button", { type: "button", testid: "counts-schedule", onclick: async () => {
    try {
      const done = (await api("POST", "/counts/schedule", { warehouse: code })).data;
      say(`Opened ${done.task_ids.length} count(s).`);
      redraw();
    } catch (error) {
      failed(error);
    }
  } }, "Open today's counts now");
  const [accuracy, counts, classes] = await Promise.all([
    get(`/counts/accuracy?warehouse=${where}`),
    get(`/counts?warehouse=${where}&page_size=100`),
    get("/counts/classes"),
  ]);
  const pct = accuracy.pct == null ? "no data" : `${accuracy.pct} %`;
  parts.push(
    h("p", { testid: "counts-accuracy" },
      h("strong", {}, "Inventory record accuracy (30 days): "),
      `${pct} — ${accuracy.within_tolerance} of ${accuracy.counts} counts within tolerance`),
    h("p", { class: "muted" }, "The worker counts blind; a count off by more than the tolerance is recounted by another worker."),
    schedule,
    table("Counts", [["Task", (c) => c.task_id], ["Location", (c) => c.location], ["SKU", (c) => c.sku],
      ["Why", (c) => (c.abc_class ? `${c.origin} (${c.abc_class})` : c.origin)], ["Status", (c) => c.status],
      ["Books", (c) => c.expected ?? "—"], ["Counted", (c) => c.counted ?? "—"], ["Posted", (c) => c.adjusted],
      ["By", (c) => c.counted_by ?? "—"], ["Opened", (c) => when(c.opened_at)]], counts,
    (c) => ({ testid: "count-row", "data-status": c.status })),
    h("p", { class: "muted" }, classes.rule),
    table("ABC classes", [["SKU", (i) => i.sku], ["Demand value, 12 months", (i) => i.demand_value],
      ["Class", (i) => i.abc_class]], classes.items.slice(0, 100), () => ({ testid: "abc-row" })),
  );
  replace(view, ...parts);
}
