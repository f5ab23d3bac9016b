/** Wave planning: find the allocated orders to release, preview the cart trips and their walk against picking
 * one order at a time, then release exactly what was previewed (the server plans both with the same code). */
import { h, replace } from "../../ui.js";
import { session, view } from "../shell.js";
import { cards, floorForm, get, input, metres, newKey, select, send, w, warehouseCodes, when } from "./floor_kit.js";

const HANDLINGS = ["ambient", "chilled", "frozen", "hazmat", "fragile", "antistatic"];
const RELEASERS = ["admin", "supervisor"];

/** "2026-12-01" → the end of that day, local time, as an ISO moment. */
const endOfDay = (date) => (date ? new Date(`${date}T23:59:59`).toISOString() : undefined);
/** "16:00" → today at that time, local, as an ISO moment: the carrier's cut-off. */
const todayAt = (time) => {
  if (!time) return undefined;
  const [hh, mm] = time.split(":").map(Number);
  const at = new Date();
  at.setHours(hh, mm, 0, 0);
  return at.toISOString();
};
const whole = (value) => (value === "" ? undefined : Number(value));

export async function wavesPage(params) {
  const codes = await warehouseCodes();
  const me = session.me;
  const warehouse = params.get("warehouse") || me.warehouse || codes[0] || "";
  const results = h("section", { "aria-label": w("wave_orders"), testid: "wave-results" });

  const filters = {
    warehouse: select(codes.map((c) => [c, c]), { value: warehouse, testid: "wave-warehouse" }),
    min_priority: input({ type: "number", min: "0", max: "100", inputmode: "numeric", testid: "wave-min-priority" }),
    due_by: input({ type: "date", testid: "wave-due-by" }),
    cutoff: input({ type: "time", testid: "wave-cutoff" }),
    handling: select([["", w("any")], ...HANDLINGS.map((x) => [x, x])], { testid: "wave-handling" }),
    max_orders: input({ type: "number", min: "1", max: "2000", value: "50", inputmode: "numeric", testid: "wave-max-orders" }),
  };
  const find = floorForm({
    testid: "wave-filter",
    title: w("wave_find"),
    submit: w("wave_find_button"),
    fields: [
      ["warehouse", w("warehouse"), filters.warehouse],
      ["min_priority", w("min_priority"), filters.min_priority],
      ["due_before", w("due_by"), filters.due_by],
      ["placed_before", w("carrier_cutoff"), filters.cutoff],
      ["handling", w("handling"), filters.handling],
      ["max_orders", w("max_orders"), filters.max_orders],
    ],
    onsubmit: async (v) => {
      const query = { warehouse: v.warehouse, min_priority: v.min_priority, due_before: endOfDay(v.due_before),
        placed_before: todayAt(v.placed_before), handling: v.handling, max_orders: v.max_orders };
      const qs = new URLSearchParams(Object.entries(query).filter(([, x]) => x !== undefined && x !== ""));
      const orders = await get(`/waves/candidates?${qs}`);
      showCandidates(results, v.warehouse, orders);
      return w("found_orders", { n: orders.length });
    },
  });
  replace(view, h("h2", {}, w("waves_title")),
    h("p", { class: "muted" }, w("waves_intro")),
    find.form, results);
  if (!RELEASERS.includes(me.role)) results.before(h("p", { class: "muted", testid: "wave-read-only" }, w("release_needs_supervisor")));
}

function showCandidates(holder, warehouse, orders) {
  if (!orders.length) {
    replace(holder, h("p", { testid: "wave-none" }, w("no_candidates", { warehouse })));
    return;
  }
  const picks = new Map(orders.map((o) => [o.order_id, h("input", { type: "checkbox", checked: true,
    testid: "wave-include", "data-order-id": o.order_id, "aria-label": w("include_order", { number: o.number }) })]));
  const table = cards(w("candidates_caption", { n: orders.length, warehouse }), [
    [w("include"), (o) => picks.get(o.order_id)],
    [w("order"), (o) => h("a", { href: `#/orders/${o.order_id}` }, o.number)],
    [w("customer"), (o) => o.customer],
    [w("priority"), (o) => o.priority],
    [w("due"), (o) => when(o.due_at)],
    [w("placed"), (o) => when(o.placed_at)],
    [w("lines_units"), (o) => `${o.lines} / ${o.units}`],
    [w("weight"), (o) => `${o.weight_kg} kg`],
    [w("handling"), (o) => o.handling.join(", ")],
  ], orders, (o) => ({ testid: "wave-candidate", "data-order-id": o.order_id, "data-number": o.number }));
  const preview = h("section", { "aria-live": "polite", testid: "wave-preview" });
  const cart = floorForm({
    testid: "wave-plan",
    title: w("cart_and_preview"),
    submit: w("preview_button"),
    fields: [
      ["totes", w("totes"), input({ type: "number", min: "1", max: "48", value: "8", inputmode: "numeric" })],
      ["max_cart_kg", w("max_cart_kg"), input({ inputmode: "decimal", value: "60" })],
      ["bulk_threshold", w("bulk_threshold"), input({ type: "number", min: "0", value: "0", inputmode: "numeric" })],
    ],
    onsubmit: async (v) => {
      const ids = [...picks].filter(([, box]) => box.checked).map(([id]) => id);
      if (!ids.length) throw Object.assign(new Error(w("pick_one_order")), { details: {} });
      const body = { warehouse, order_ids: ids, max_orders: ids.length, totes: whole(v.totes),
        max_cart_kg: v.max_cart_kg || undefined, bulk_threshold: whole(v.bulk_threshold) };
      const plan = await send("POST", "/waves/preview", body);
      showPreview(preview, body, plan);
      return w("previewed", { trips: plan.trips.length, orders: plan.orders });
    },
  });
  replace(holder, table, cart.form, preview);
}

function showPreview(holder, body, plan) {
  if (!plan.trips.length) {
    replace(holder, h("p", { testid: "wave-none" }, w("nothing_to_plan")));
    return;
  }
  const saved = plan.single_order_walking_m > 0
    ? Math.round((100 * plan.saved_m) / plan.single_order_walking_m) : 0;
  const summary = h("div", { class: "floor-summary", testid: "wave-summary", "data-walking-m": plan.walking_m,
    "data-single-m": plan.single_order_walking_m, "data-trips": plan.trips.length },
  h("span", {}, w("trips"), ": ", h("strong", {}, plan.trips.length)),
  h("span", {}, w("orders"), ": ", h("strong", {}, plan.orders)),
  h("span", {}, w("walking_batched"), ": ", h("strong", { testid: "wave-walking" }, metres(plan.walking_m))),
  h("span", {}, w("walking_single"), ": ", h("strong", { testid: "wave-single" }, metres(plan.single_order_walking_m))),
  h("span", {}, w("saved"), ": ", h("strong", {}, `${metres(plan.saved_m)} (${saved} %)`)));
  const trips = h("ol", { class: "floor-trips", "aria-label": w("trips") }, plan.trips.map((trip, i) =>
    h("li", { testid: "wave-trip", "data-kind": trip.kind, "data-distance-m": trip.distance_m },
      h("h4", {}, w("trip_heading", { n: i + 1, kind: w(`kind_${trip.kind}`), m: metres(trip.distance_m),
        kg: trip.weight_kg })),
      h("p", {}, w("trip_orders"), ": ", trip.orders.map((o) => (o.tote ? `${o.number} (${w("tote")} ${o.tote})` : o.number)).join(", ")),
      cards(w("stops_caption", { n: trip.stops.length }), [
        ["#", (s) => s.seq], [w("location"), (s) => s.location], [w("sku"), (s) => s.sku], [w("qty"), (s) => s.qty],
        [w("tote"), (s) => s.tote ?? "—"], [w("order"), (s) => s.order]],
      trip.stops, () => ({ testid: "wave-stop" })))));
  const parts = [h("h3", {}, w("preview_title")), summary, trips];
  if (RELEASERS.includes(session.me.role)) {
    let key = newKey(); // one release per preview: a retry after a lost answer replays it, never a second wave
    const release = floorForm({
      testid: "wave-release",
      title: w("release_title"),
      submit: w("release_button"),
      fields: [],
      extra: [h("p", {}, w("release_explain", { trips: plan.trips.length, orders: plan.orders }))],
      onsubmit: async () => {
        const wave = await send("POST", "/waves", body, key);
        key = newKey();
        holder.dataset.waveId = wave.id;
        const picks = wave.tasks.filter((t) => t.type === "pick").length;
        return w("released", { id: wave.id, tasks: picks, warehouse: body.warehouse });
      },
    });
    release.form.append(h("p", {}, h("a", { href: `#/tasks?warehouse=${encodeURIComponent(body.warehouse)}`,
      testid: "wave-to-tasks" }, w("see_tasks"))));
    parts.push(release.form);
  }
  replace(holder, ...parts);
  holder.querySelector("h3")?.setAttribute("tabindex", "-1");
  holder.querySelector("h3")?.focus();
}
