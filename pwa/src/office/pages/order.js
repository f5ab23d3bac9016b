/** One order: status, lines, shipments, parcels and timeline; when held, the office's fixes and release. */
import { h, replace } from "../../ui.js";
import { api, get, table } from "../../staff/staff.js";
import { fieldErrors, fieldName, plainError } from "../../staff/words.js";
import { failed, field, redraw, say, view, when } from "../shell.js";
import { orderEmails } from "./emails.js";

const ADDRESS_FIELDS = ["name", "line1", "line2", "city", "region", "postal_code", "country"];
// Holds that the office fixes by changing the order's lines.
const LINE_HOLDS = ["unknown_sku", "inactive_sku", "invalid_quantity"];

export async function orderPage(id) {
  const [order, events, emails, returns] = await Promise.all([get(`/orders/${id}`), get(`/orders/${id}/events`),
    orderEmails(id), get(`/returns?order_id=${id}`).catch(() => ({ items: [] }))]);
  replace(view, h("h2", { testid: "order-number" }, `Order ${order.number}`),
    h("p", {}, "Status: ", h("strong", { testid: "order-status", "data-status": order.status }, order.status),
      ` · channel ${order.channel} · customer `, h("a", { href: `#/customers/${order.customer_id}`, testid: "order-customer" },
        order.customer_name ?? String(order.customer_id)), ` · created ${when(order.created_at)}`),
    holdPanel(order),
    h("h3", {}, "Ship to"), h("p", {}, Object.values(order.ship_to || {}).filter(Boolean).join(", ")),
    table("Lines", [["#", (l) => l.line_no], ["SKU", (l) => l.sku], ["Qty", (l) => l.qty],
      ["Allocated", (l) => l.allocated], ["Backordered", (l) => l.backordered], ["Total", (l) => l.line_total]],
    order.lines || [], (l) => ({ testid: "order-line", "data-sku": l.sku })),
    table("Fulfillments", [["Warehouse", (f) => f.warehouse], ["Status", (f) => f.status],
      ["Shipment", (f) => h("a", { href: `#/shipments/${f.id}`, testid: "shipment-link" }, "Parcels and tracking")],
      ["Lines", (f) => f.lines.map((l) => `${l.sku} × ${l.qty}`).join(", ")]], order.fulfillments || [],
    () => ({ testid: "fulfilment-row" })),
    table("Parcels", [["Label", (p) => p.label_code], ["Weight kg", (p) => p.weight_kg],
      ["Label files", (p) => Object.entries(p.label_urls || {}).map(([k, u]) => h("a", { href: u, testid: "label-link" }, `${k} `))]],
    order.parcels || [], () => ({ testid: "parcel-row" })),
    (returns.items || []).length ? h("p", { testid: "order-returns" }, "Returns: ", returns.items.map((r, n) =>
      h("span", {}, n ? ", " : "", h("a", { href: `#/returns/${r.id}` }, `${r.rma} (${r.status})`)))) : "",
    emails,
    table("Timeline", [["When", (e) => when(e.at)], ["What", (e) => e.kind],
      ["Change", (e) => (e.from_status || e.to_status ? `${e.from_status || "—"} → ${e.to_status || "—"}` : "")],
      ["Who", (e) => e.actor || "system"], ["Why", (e) => e.reason || ""]],
    events.events || [], (e) => ({ testid: "timeline-event", "data-kind": e.kind })));
}

function holdPanel(order) {
  if (order.status !== "on_hold") return "";
  const reasons = order.hold_reasons || [];
  const codes = [...new Set(reasons.map((r) => r.code))];
  const note = h("input", { testid: "hold-note", required: true });
  // A release verifies the order again: it may land straight back on hold, and the outcome says which hold.
  const act = (label, testid, run, cls) => h("button", { type: "button", testid, class: cls, onclick: async () => {
    say(`${label}…`);
    try { say(await run()); redraw(); } catch (e) { failed(e); }
  } }, label);
  const release = async (body) => (await api("POST", `/orders/${order.id}/release`, body)).data.outcome.message;
  const actions = [
    act("Release", "release", () => release({ note: note.value })),
    codes.includes("credit_limit_exceeded") ? act("Override credit hold", "override-credit",
      () => release({ note: note.value || "credit override", override: ["credit_limit_exceeded"] })) : "",
    act("Cancel order", "cancel", async () => {
      await api("POST", `/orders/${order.id}/cancel`, { reason: note.value || "cancelled by office" });
      return "Cancelled";
    }, "danger"),
  ];
  return h("section", { "aria-labelledby": "hold-h", testid: "hold-panel" },
    h("h3", { id: "hold-h" }, "On hold"),
    h("ul", {}, reasons.map((r) => h("li", { testid: "hold-reason", "data-code": r.code },
      `${r.code.replaceAll("_", " ")}: ${r.message}`))),
    codes.includes("invalid_address") ? addressForm(order, note) : "",
    codes.some((c) => LINE_HOLDS.includes(c)) ? linesForm(order, note) : "",
    h("div", { class: "staff-form inline" }, field("hold-note-input", "Note", note), actions));
}

function addressForm(order, note) {
  const addr = order.ship_to || {};
  const inputs = Object.fromEntries(ADDRESS_FIELDS.map((k) => [k, h("input", { value: addr[k] || "", "data-field": k,
    testid: `address-${k}` })]));
  return h("form", { class: "staff-form inline", "aria-label": "Fix the address", onsubmit: async (e) => {
    e.preventDefault();
    const ship_to = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value]));
    say("Saving…");
    try {
      await api("PATCH", `/orders/${order.id}`, { ship_to, note: note.value || "address fixed" });
      say("Address saved");
      redraw();
    } catch (err) { failed(err); }
  } },
  Object.entries(inputs).map(([k, el]) => field(`addr-${k}`, k.replace("_", " "), el)),
  h("button", { type: "submit", testid: "fix-address" }, "Save address"));
}

/** The order's lines as a form: change a SKU or quantity, add or remove lines; saved with PATCH, still on hold. */
function linesForm(order, note) {
  const body = h("tbody");
  const rows = [];
  const alert = h("p", { role: "alert", testid: "lines-error", class: "staff-error" });
  const addRow = (sku = "", qty = "1") => {
    const n = rows.length ? Math.max(...rows.map((r) => r.n)) + 1 : 0;
    const skuIn = h("input", { id: `line-sku-${n}`, value: sku, testid: "line-sku", autocomplete: "off", required: true,
      "aria-describedby": `line-err-${n}` });
    const qtyIn = h("input", { id: `line-qty-${n}`, value: String(qty), testid: "line-qty", inputmode: "numeric",
      required: true, "aria-describedby": `line-err-${n}` });
    const err = h("span", { id: `line-err-${n}`, class: "staff-error field-error", testid: "field-error" });
    const row = { n, skuIn, qtyIn, err };
    row.el = h("tr", { testid: "line-row" },
      h("td", {}, h("label", { for: skuIn.id, class: "visually-hidden" }, `SKU of line ${rows.length + 1}`), skuIn),
      h("td", {}, h("label", { for: qtyIn.id, class: "visually-hidden" }, `Quantity of line ${rows.length + 1}`), qtyIn),
      h("td", {}, h("button", { type: "button", testid: "line-remove", "aria-label": `Remove line ${rows.length + 1}`,
        onclick: () => { rows.splice(rows.indexOf(row), 1); row.el.remove(); } }, "Remove"), err));
    rows.push(row);
    body.append(row.el);
    return row;
  };
  for (const line of order.lines || []) addRow(line.sku, line.qty);
  const flagged = new Set((order.hold_reasons || []).map((r) => r.details?.sku).filter(Boolean));
  for (const row of rows) if (flagged.has(row.skuIn.value)) row.skuIn.setAttribute("aria-invalid", "true");
  return h("form", { class: "staff-form", testid: "lines-form", "aria-labelledby": "lines-h", novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      alert.textContent = "";
      for (const r of rows) { r.err.textContent = ""; r.skuIn.removeAttribute("aria-invalid"); r.qtyIn.removeAttribute("aria-invalid"); }
      const lines = rows.map((r) => ({ sku: r.skuIn.value.trim(), qty: Number(r.qtyIn.value.trim()) }));
      say("Saving…");
      try {
        await api("PATCH", `/orders/${order.id}`, { lines, note: note.value || "lines corrected" });
        say("Lines saved");
        redraw();
      } catch (err) {
        const unplaced = [];
        for (const [path, message] of Object.entries(fieldErrors(err.details?.fields || {}))) {
          const m = /^lines\.(\d+)\.(sku|qty)$/.exec(path);
          const row = m && rows[Number(m[1])];
          if (!row) { unplaced.push(`${fieldName(path)}: ${message}`); continue; }
          row.err.textContent = `${row.err.textContent} ${m[2] === "sku" ? "SKU" : "Quantity"}: ${message}`.trim();
          (m[2] === "sku" ? row.skuIn : row.qtyIn).setAttribute("aria-invalid", "true");
        }
        const marked = rows.some((r) => r.err.textContent);
        alert.textContent = `Not saved: ${[marked ? "check the marked lines." : "", ...unplaced].join(" ").trim()
          || plainError(err)}`;
        say(alert.textContent);
      }
    } },
  h("h4", { id: "lines-h" }, "Fix the lines"),
  h("table", { class: "staff-table" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "SKU"),
    h("th", { scope: "col" }, "Quantity"), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")))), body),
  h("div", { class: "actions" },
    h("button", { type: "button", testid: "line-add", onclick: () => addRow().skuIn.focus() }, "Add line"),
    h("button", { type: "submit", testid: "fix-lines" }, "Save lines")),
  alert);
}
