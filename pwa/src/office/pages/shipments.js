/** Office: the shipments list (by warehouse, carrier, status, late) and one shipment with its parcels —
 * label reprints, void, the customer's tracking page. Cards, not wide tables: usable on a 390 px phone. */
import "./shipments.css";
import { h, replace } from "../../ui.js";
import { api, get } from "../../staff/staff.js";
import { failed, field, pager, redraw, say, view, when } from "../shell.js";

// The words for a shipment's stage (services/shipment_list.py's `stage`) and a parcel's status.
export const STAGE = {
  preparing: "Being prepared",
  packed: "Packed, no label yet",
  labelled: "Labelled, waiting for the carrier",
  shipped: "Handed to the carrier",
  pre_transit: "Carrier has the details",
  in_transit: "In transit",
  out_for_delivery: "Out for delivery",
  delivered: "Delivered",
  delivery_failed: "Delivery attempt failed",
  exception: "Held up in transit",
  returned_to_sender: "Returned to sender",
  voided: "Label voided",
  cancelled: "Cancelled",
};
// What the status filter offers: the shipment's own statuses, then where its parcels are.
const STATUS_FILTER = [
  ["", "Any status"],
  ["packed", "Packed (not handed over)"],
  ["shipped", "Shipped"],
  ["delivered", "Delivered"],
  ["in_transit", "Parcel in transit"],
  ["out_for_delivery", "Parcel out for delivery"],
  ["delivery_failed", "Parcel: delivery failed"],
  ["exception", "Parcel held up"],
  ["returned_to_sender", "Parcel returned"],
];
const LATE_FILTER = [["", "Late or not"], ["true", "Late only"], ["false", "On time only"]];
const LATE_REASON = {
  past_estimate: "past its estimated delivery",
  silent: "no news from the carrier for too long",
};
const FORMATS = [["pdf", "PDF"], ["zpl", "ZPL (thermal printer)"], ["svg", "SVG"]];

const day = (iso) => (iso ? new Date(`${iso}T12:00:00`).toLocaleDateString() : "—");
const facts = (pairs) => h("dl", { class: "ship-facts" },
  pairs.filter(Boolean).map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
const lateFlag = (late, reason) => (late
  ? h("span", { class: "late-flag", testid: "late-flag" }, "Late", reason ? ` — ${LATE_REASON[reason] || reason.replaceAll("_", " ")}` : "")
  : h("span", { class: "on-time" }, "On time"));

/** #/shipments?warehouse=&carrier=&status=&late=&page= */
export async function shipmentsPage(params) {
  const query = new URLSearchParams({ page: params.get("page") || "1", page_size: "50" });
  for (const k of ["warehouse", "carrier", "status", "late"]) if (params.get(k)) query.set(k, params.get(k));
  const [{ data: rows, headers }, warehouses, carriers] = await Promise.all([
    api("GET", `/shipments?${query}`), get("/warehouses").catch(() => []), get("/carriers").catch(() => [])]);
  const select = (name, options) => h("select", { testid: `ship-filter-${name}` },
    options.map(([value, label]) => h("option", { value, selected: (params.get(name) || "") === value }, label)));
  const inputs = {
    warehouse: select("warehouse", [["", "Every warehouse"], ...warehouses.map((w) => [w.code, `${w.code} — ${w.name}`])]),
    carrier: select("carrier", [["", "Every carrier"], ...carriers.map((c) => [c.code, c.name])]),
    status: select("status", STATUS_FILTER),
    late: select("late", LATE_FILTER),
  };
  const form = h("form", { class: "ship-filters", role: "search", "aria-label": "Filter shipments", onsubmit: (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, el] of Object.entries(inputs)) if (el.value) next.set(k, el.value);
    location.hash = `#/shipments?${next}`;
  } },
  field("sf-warehouse", "Warehouse", inputs.warehouse), field("sf-carrier", "Carrier", inputs.carrier),
  field("sf-status", "Status", inputs.status), field("sf-late", "Late", inputs.late),
  h("button", { type: "submit", testid: "ship-filter-submit" }, "Filter"));
  const paging = JSON.parse(headers.get("X-Pagination") || "{}");
  replace(view, h("h2", {}, "Shipments"), form,
    h("p", { testid: "shipments-count", role: "status" }, `${paging.total ?? rows.length} shipments`),
    rows.length ? h("ul", { class: "ship-list", "aria-label": "Shipments" }, rows.map(shipmentCard))
      : h("p", { testid: "shipments-empty" }, "No shipments match."),
    pager(paging, params, "shipments", "shipments"));
}

function shipmentCard(s) {
  return h("li", { testid: "shipment-row", "data-shipment-id": s.id, "data-order": s.order, "data-late": String(s.late),
    "data-stage": s.stage },
  h("div", { class: "head" },
    h("a", { href: `#/shipments/${s.id}`, testid: "shipment-link" }, `Order ${s.order}`),
    h("span", {}, s.customer), lateFlag(s.late, s.late_reason)),
  facts([
    ["Status", STAGE[s.stage] || s.stage],
    ["Carrier", s.carrier ? `${s.carrier} · ${s.service || ""}` : "none yet"],
    ["Tracking", s.tracking_numbers.length ? s.tracking_numbers.join(", ") : "—"],
    ["Estimated delivery", day(s.estimated_delivery)],
    ["Warehouse", s.warehouse],
  ]));
}

/** #/shipments/42 — one shipment: every parcel with its label (reprint, void) and where it is. */
export async function shipmentPage(id, params) {
  const s = await get(`/shipments/${id}`);
  const focus = Number(params.get("parcel")) || null;
  replace(view,
    h("p", {}, h("a", { href: "#/shipments" }, "← All shipments")),
    h("h2", { testid: "shipment-title" }, `Shipment of order ${s.order}`),
    facts([
      ["Order", h("a", { href: `#/orders/${s.order_id}` }, s.order)],
      ["Customer", s.customer],
      ["Status", h("span", { testid: "shipment-stage", "data-stage": s.stage }, STAGE[s.stage] || s.stage)],
      ["Late", lateFlag(s.late, s.late_reason)],
      ["Estimated delivery", day(s.estimated_delivery)],
      ["Shipped", when(s.shipped_at)],
      s.delivered_at ? ["Delivered", when(s.delivered_at)] : null,
      ["Customer's tracking page", h("a", { href: s.tracking_url, target: "_blank", rel: "noopener",
        testid: "tracking-page-link" }, "Open")],
    ]),
    h("h3", { id: "parcels-h" }, `Parcels (${s.parcels.length})`),
    h("ul", { class: "parcel-list", "aria-labelledby": "parcels-h" }, s.parcels.map((p, i) => parcelCard(p, i, focus))));
  if (focus) document.getElementById(`parcel-${focus}`)?.scrollIntoView();
}

function parcelCard(p, i, focus) {
  const voidable = p.status === "labelled";
  const voidButton = voidable ? h("button", { type: "button", class: "danger", testid: "parcel-void", onclick: async (e) => {
    e.target.disabled = true;
    say(`Voiding the label of parcel ${i + 1}…`);
    try {
      await api("POST", `/parcels/${p.id}/void`);
      say(`Label ${p.tracking_number} voided`);
      redraw();
    } catch (error) { failed(error); e.target.disabled = false; }
  } }, "Void label") : "";
  return h("li", { id: `parcel-${p.id}`, testid: "parcel-card", "data-parcel-id": p.id, "data-status": p.status,
    "aria-current": focus === p.id ? "true" : undefined },
  h("div", { class: "head" }, h("strong", {}, `Parcel ${i + 1}`), h("span", {}, p.label_code || ""),
    lateFlag(p.late, p.late_reason)),
  facts([
    ["Status", STAGE[p.status] || p.status],
    ["Carrier", p.carrier ? `${p.carrier} · ${p.service || ""}` : "no label yet"],
    ["Tracking number", p.tracking_number || "—"],
    ["Postage", p.amount ? `${p.amount} ${p.currency || ""}` : "—"],
    ["Estimated delivery", day(p.estimated_delivery)],
    ["Box, weight", `${p.box || "—"}, ${p.weight_kg} kg`],
    p.manifest_id ? ["Manifest", String(p.manifest_id)] : null,
  ]),
  h("div", { class: "ship-actions" },
    p.carrier && p.status !== "voided"
      ? FORMATS.map(([fmt, label]) => h("a", { href: p.label_urls[fmt], target: "_blank", rel: "noopener",
        testid: "label-reprint", "data-format": fmt }, `Reprint label (${label})`))
      : "",
    voidButton));
}
