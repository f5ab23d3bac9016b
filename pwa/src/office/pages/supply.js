/** Office: the supply side — a supplier's items, purchase orders (list, detail, draft edits, approve, send,
 * cancel, documents) and reorder suggestions. Suppliers themselves are a master page (pages/master.js). */
import "./supply.css";
import { h, replace } from "../../ui.js";
import { api, get, table } from "../../staff/staff.js";
import { fieldErrors, plainError } from "../../staff/words.js";
import { F, masterForm } from "../forms.js";
import { failed, redraw, say, session, view, when } from "../shell.js";

const STATUSES = ["draft", "approved", "sent", "partially_received", "received", "closed", "cancelled"];
const WORDS = { partially_received: "partly received" };
const statusWord = (s) => WORDS[s] || s;
const canChange = () => ["admin", "office"].includes(session.me.role);

/** A wide table in a box that scrolls sideways on a phone (and takes focus, so a keyboard can scroll it). */
const scrolling = (label, content) => h("div", { class: "supply-scroll", tabindex: "0", role: "region", "aria-label": label }, content);

/** #/suppliers/7 — what the supplier sells, each item editable; a form to add one. */
export async function supplierPage(id) {
  const [supplier, items, whs, card] = await Promise.all([get(`/suppliers/${id}`), get(`/supplier-items?supplier_id=${id}`),
    get("/warehouses"), get(`/suppliers/${id}/scorecard?months=12`)]);
  const warehouses = Array.isArray(whs) ? whs : whs?.items || [];
  const spec = { path: "/supplier-items", key: (r) => r.id, label: (r) => r.sku, one: "item", extra: { supplier_id: id },
    fields: [F("sku", "SKU"), F("supplier_sku", "Supplier's SKU", { edit: true, optional: true }),
      F("unit_cost", `Unit cost (${supplier.currency})`, { edit: true, decimal: true }),
      F("moq", "Minimum order quantity", { edit: true, integer: true, optional: true }),
      F("pack_multiple", "Pack multiple", { edit: true, integer: true, optional: true }),
      F("lead_time_days", "Quoted lead time (days; blank: the supplier's)", { edit: true, integer: true, optional: true }),
      F("preferred", "Preferred supplier for this SKU", { edit: true, check: true, defaultOff: true }),
      F("warehouse", "…for warehouse (none: every warehouse)", { edit: true, warehouses: true, nullable: true })],
    blank: { preferred: false } };
  const holder = h("section", { "aria-label": "Change items" });
  const show = (record) => replace(holder, masterForm(spec, record, warehouses));
  if (canChange()) show(null);
  const rows = items.items || [];
  const cols = [["SKU", (r) => r.sku], ["Supplier's SKU", (r) => r.supplier_sku || "—"], ["Unit cost", (r) => r.unit_cost],
    ["MOQ", (r) => String(r.moq)], ["Pack", (r) => String(r.pack_multiple)],
    ["Lead time (days)", (r) => String(r.lead_time_days ?? supplier.lead_time_days)],
    ["Preferred", (r) => (r.preferred ? `yes, ${r.warehouse || "every warehouse"}` : "no")]];
  if (canChange()) {
    cols.push(["", (r) => h("button", { type: "button", testid: "item-edit", "aria-label": `Edit ${r.sku}`,
      onclick: () => { show(r); holder.querySelector("input, select")?.focus(); } }, "Edit")]);
  }
  replace(view, h("p", {}, h("a", { href: "#/suppliers" }, "← Suppliers")),
    h("h2", { testid: "supplier-title" }, supplier.name),
    h("p", { class: "muted" }, `${supplier.email} · ${supplier.currency} · ${supplier.payment_terms || "no payment terms"} · ` +
      `quotes ${supplier.lead_time_days} days`),
    h("p", {}, h("a", { href: `#/purchase-orders?supplier_id=${id}` }, "Purchase orders to this supplier")),
    scrolling("Items", table(`${rows.length} items`, cols, rows, (r) => ({ testid: "item-row", "data-sku": r.sku }))),
    scorecard(card.months || []), holder);
}

/** A figure or the words "no data": an empty month is not a score of 0 or 100. */
const figure = (value, unit) => (value === null || value === undefined ? h("span", { class: "muted" }, "no data") : `${value}${unit}`);

/** The supplier's last 12 months, newest first. */
function scorecard(months) {
  const cols = [["Month", (m) => m.month],
    ["On time in full", (m) => figure(m.otif_pct, " %")],
    ["Fill rate", (m) => figure(m.fill_rate_pct, " %")],
    ["Lead time (days)", (m) => figure(m.lead_time_days_mean, "")],
    ["Spread (days)", (m) => figure(m.lead_time_days_sd, "")],
    ["Reject rate", (m) => figure(m.reject_rate_pct, " %")],
    ["Lines due", (m) => String(m.po_lines_due) + (m.po_lines_pending ? ` (+${m.po_lines_pending} open)` : "")],
    ["Units ordered / accepted", (m) => `${m.units_ordered} / ${m.units_accepted}`],
    ["Deliveries", (m) => String(m.receipts)],
    ["Units rejected", (m) => `${m.units_rejected} of ${m.units_delivered}`]];
  return h("section", { "aria-labelledby": "scorecard-title", testid: "scorecard" },
    h("h3", { id: "scorecard-title" }, "Scorecard"),
    h("p", { class: "muted" }, "On time in full: PO lines due that month received in full by their expected date. " +
      "Fill rate: good units received on those lines ÷ units ordered. Lead time: days from sending to each delivery. " +
      "Reject rate: damaged units ÷ units delivered. A line still open before its date is not scored yet."),
    scrolling("Scorecard", table("Last 12 months, newest first", cols, months,
      (m) => ({ testid: "scorecard-row", "data-month": m.month }))));
}

/** #/purchase-orders?status=&supplier_id= — newest first. */
export async function purchaseOrdersPage(params) {
  const query = new URLSearchParams();
  for (const key of ["status", "supplier_id", "warehouse"]) if (params.get(key)) query.set(key, params.get(key));
  const [pos, suppliers] = await Promise.all([get(`/purchase-orders?${query}`), get("/suppliers")]);
  const status = h("select", { id: "po-status", testid: "po-status" },
    h("option", { value: "" }, "any status"),
    STATUSES.map((s) => h("option", { value: s, selected: params.get("status") === s }, statusWord(s))));
  const supplier = h("select", { id: "po-supplier", testid: "po-supplier" },
    h("option", { value: "" }, "any supplier"),
    (suppliers.items || []).map((s) => h("option", { value: String(s.id), selected: params.get("supplier_id") === String(s.id) }, s.name)));
  const filter = h("form", { class: "supply-filter", testid: "po-filter", onsubmit: (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (status.value) next.set("status", status.value);
    if (supplier.value) next.set("supplier_id", supplier.value);
    location.hash = `#/purchase-orders?${next}`;
  } }, h("label", { for: "po-status" }, "Status"), status, h("label", { for: "po-supplier" }, "Supplier"), supplier,
  h("button", { type: "submit", testid: "po-filter-apply" }, "Show"));
  const items = pos.items || [];
  replace(view, h("h2", {}, "Purchase orders"),
    h("p", { class: "muted" }, "Baton drafts a purchase order when projected stock falls below a reorder point; " +
      "check it, approve it and send it to the supplier (an email with the PDF and CSV)."),
    filter,
    items.length ? scrolling("Purchase orders", table(`${items.length} purchase orders`, [
      ["PO", (p) => h("a", { href: `#/purchase-orders/${p.id}`, testid: "po-open" }, p.number)],
      ["Status", (p) => statusWord(p.status)],
      ["Supplier", (p) => p.supplier],
      ["Warehouse", (p) => p.warehouse],
      ["Lines", (p) => String(p.lines.length)],
      ["Value", (p) => `${p.currency} ${p.value}`],
      ["Expected", (p) => p.expected_on || "—"],
      ["Created", (p) => when(p.created_at)],
    ], items, (p) => ({ testid: "po-row", "data-number": p.number, "data-status": p.status })))
      : h("p", { testid: "po-none" }, "No purchase orders match."));
}

const retryKey = () => globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(16).slice(2)}`;

/** A status move button: approve, send or cancel. Cancelling asks once more (the supplier may have it). */
function moveButton(po, action, label, confirmLabel) {
  const run = async (button) => {
    button.disabled = true;
    try {
      const data = await api("POST", `/purchase-orders/${po.id}/${action}`, {}).then((r) => r.data);
      say(`${data.number} is ${statusWord(data.status)}${action === "send" ? `: emailed to ${po.supplier}` : ""}.`);
      redraw();
    } catch (error) {
      button.disabled = false;
      // Above the approval limit the server says by how much and who may approve: that beats "not allowed".
      if (error.code === "approval_limit") say(`Not done: ${error.message}`);
      else failed(error);
    }
  };
  const button = h("button", { type: "button", testid: `po-${action}`, class: confirmLabel ? "" : "primary",
    onclick: () => (confirmLabel ? (button.hidden = true, sure.hidden = false, sure.focus()) : run(button)) }, label);
  const sure = h("button", { type: "button", testid: `po-${action}-confirm`, hidden: true, onclick: () => run(sure) },
    confirmLabel || label);
  return h("span", {}, button, confirmLabel ? sure : "");
}

/** #/purchase-orders/7 — the PO, its lines; a draft's lines and expected date can change before approval. */
export async function purchaseOrderPage(id) {
  const po = await get(`/purchase-orders/${id}`);
  const draft = po.status === "draft" && canChange();
  const actions = [];
  if (canChange()) {
    if (po.status === "draft") actions.push(moveButton(po, "approve", "Approve"));
    if (po.status === "approved") actions.push(moveButton(po, "send", `Send to ${po.supplier}`));
    if (["draft", "approved", "sent"].includes(po.status)) {
      actions.push(moveButton(po, "cancel", "Cancel PO", `Yes, cancel ${po.number} for good`));
    }
  }
  const docs = h("p", { class: "supply-docs" },
    h("a", { href: `/api/v1/purchase-orders/${po.id}.pdf`, target: "_blank", rel: "noopener", testid: "po-pdf" }, "PDF"), " · ",
    h("a", { href: `/api/v1/purchase-orders/${po.id}.csv`, download: `${po.number}.csv`, testid: "po-csv" }, "CSV"));
  replace(view, h("p", {}, h("a", { href: "#/purchase-orders" }, "← Purchase orders")),
    h("h2", { testid: "po-title" }, `Purchase order ${po.number}`),
    h("dl", { class: "supply-facts" },
      h("dt", {}, "Status"), h("dd", { testid: "po-state" }, statusWord(po.status)),
      h("dt", {}, "Supplier"), h("dd", {}, h("a", { href: `#/suppliers/${po.supplier_id}` }, po.supplier)),
      h("dt", {}, "Warehouse"), h("dd", {}, po.warehouse),
      h("dt", {}, "Value"), h("dd", { testid: "po-value" }, `${po.currency} ${po.value}`),
      h("dt", {}, "Expected"), h("dd", { testid: "po-expected" }, po.expected_on || "—")),
    docs,
    draft ? draftEditor(po) : scrolling("Lines", table(`${po.lines.length} lines`, [
      ["SKU", (l) => l.sku], ["Qty", (l) => String(l.qty)], ["Unit cost", (l) => l.unit_cost],
      ["Received", (l) => String(l.received)]], po.lines, (l) => ({ testid: "po-line", "data-sku": l.sku }))),
    actions.length ? h("div", { class: "actions supply-actions" }, actions) : "");
}

/** A draft's lines (qty, unit cost, remove, add) and expected date; errors beside the field they concern. */
function draftEditor(po) {
  const alert = h("p", { role: "alert", class: "staff-error", testid: "form-error" });
  const expected = h("input", { type: "date", id: "po-expected-on", testid: "po-expected-on", value: po.expected_on || "",
    "aria-describedby": "po-expected-on-error" });
  const expectedError = h("span", { id: "po-expected-on-error", class: "staff-error field-error", testid: "field-error" });
  const body = h("tbody", {});
  const rows = [];
  let n = 0;
  const addRow = (line = { sku: "", qty: "", unit_cost: "" }) => {
    const i = n++;
    const cell = (name, label, value, attrs = {}) => {
      const input = h("input", { id: `pol-${name}-${i}`, value: String(value ?? ""), testid: `po-line-${name}`, autocomplete: "off",
        "aria-label": label, "aria-describedby": `pol-${name}-${i}-error`, ...attrs });
      const error = h("span", { id: `pol-${name}-${i}-error`, class: "staff-error field-error", testid: "field-error" });
      return { input, error, td: h("td", { "data-label": label }, input, error) };
    };
    const sku = cell("sku", "SKU", line.sku, { readonly: line.sku ? true : undefined });
    const qty = cell("qty", `Quantity${line.sku ? ` of ${line.sku}` : ""}`, line.qty, { inputmode: "numeric" });
    const cost = cell("cost", `Unit cost${line.sku ? ` of ${line.sku}` : ""} (blank: the supplier's price)`, line.unit_cost, { inputmode: "decimal" });
    const row = { sku, qty, cost };
    row.tr = h("tr", { testid: "po-line", "data-sku": line.sku }, sku.td, qty.td, cost.td,
      h("td", {}, h("button", { type: "button", testid: "po-line-remove", "aria-label": `Remove ${line.sku || "this line"}`,
        onclick: () => { rows.splice(rows.indexOf(row), 1); row.tr.remove(); } }, "Remove")));
    rows.push(row);
    body.append(row.tr);
    return row;
  };
  po.lines.forEach((line) => addRow(line));
  const clear = () => {
    alert.textContent = expectedError.textContent = "";
    for (const r of rows) for (const c of [r.sku, r.qty, r.cost]) { c.error.textContent = ""; c.input.removeAttribute("aria-invalid"); }
  };
  const mark = (c, message) => { c.error.textContent = message; c.input.setAttribute("aria-invalid", "true"); return c.input; };
  const save = h("button", { type: "submit", testid: "po-save", class: "primary" }, "Save changes");
  return h("form", { class: "staff-form", testid: "po-draft-form", novalidate: true, "aria-labelledby": "po-draft-h", onsubmit: async (e) => {
    e.preventDefault();
    clear();
    const lines = rows.map((r) => {
      const qty = r.qty.input.value.trim();
      const line = { sku: r.sku.input.value.trim(), qty: /^\d+$/.test(qty) ? Number(qty) : qty };
      if (r.cost.input.value.trim()) line.unit_cost = r.cost.input.value.trim();
      return line;
    });
    save.disabled = true;
    say("Saving…");
    try {
      await api("PATCH", `/purchase-orders/${po.id}`, { expected_on: expected.value || null, lines });
      say("Saved");
      redraw();
    } catch (error) {
      save.disabled = false;
      const errors = fieldErrors(error.details?.fields || {});
      let first = null;
      for (const [path, message] of Object.entries(errors)) {
        const m = /^lines\.(\d+)\.(sku|qty|unit_cost)$/.exec(path);
        if (m && rows[Number(m[1])]) first ||= mark(rows[Number(m[1])][{ sku: "sku", qty: "qty", unit_cost: "cost" }[m[2]]], message);
        else if (path === "expected_on") { expectedError.textContent = message; expected.setAttribute("aria-invalid", "true"); first ||= expected; }
      }
      if (!first && error.code === "not_found" && /SKU|product/i.test(error.message || "")) {
        const bad = rows.find((r) => (error.message || "").includes(r.sku.input.value.trim()) && r.sku.input.value.trim());
        if (bad) first = mark(bad.sku, error.message);
      }
      alert.textContent = `Not saved: ${first ? "check the marked fields." : error.details?.fields?.lines ? "keep at least one line." : plainError(error)}`;
      say(alert.textContent);
      first?.focus();
    }
  } },
  h("h3", { id: "po-draft-h" }, "Lines (a draft: change them before approving)"),
  h("div", {}, h("label", { for: "po-expected-on" }, "Expected delivery"), expected, expectedError),
  scrolling("Lines", h("table", { class: "staff-table" }, h("caption", {}, `${po.lines.length} lines`),
    h("thead", {}, h("tr", {}, ["SKU", "Qty", "Unit cost", ""].map((c) => h("th", { scope: "col" }, c)))), body)),
  h("div", { class: "actions" },
    h("button", { type: "button", testid: "po-line-add", onclick: () => addRow().sku.input.focus() }, "Add line"), save),
  alert);
}

/** #/reorder — every reorder policy in force, projected available against the reorder point. */
export async function reorderPage(params) {
  const query = new URLSearchParams();
  if (params.get("warehouse")) query.set("warehouse", params.get("warehouse"));
  if (params.get("breached")) query.set("breached", "true");
  const data = await get(`/inventory/suggestions?${query}`);
  const rows = data.items || [];
  const breached = rows.filter((r) => r.breached).length;
  replace(view, h("h2", {}, "Reorder suggestions"),
    h("p", { class: "muted" }, "Projected available = on hand + on order − reserved − backordered. Below the reorder point, " +
      "Baton drafts a purchase order line for the preferred supplier, up to the order-up-to level in whole packs."),
    h("p", {}, params.get("breached") ? h("a", { href: "#/reorder" }, "Show every policy")
      : h("a", { href: "#/reorder?breached=1", testid: "reorder-breached" }, `Show only the ${breached} below their reorder point`)),
    rows.length ? scrolling("Reorder suggestions", table(`${rows.length} policies in force, ${breached} below the reorder point`, [
      ["Warehouse", (r) => r.warehouse],
      ["SKU", (r) => r.sku],
      ["Projected available", (r) => h("span", { class: r.breached ? "supply-low" : "" }, String(r.inputs.projected_available),
        r.breached ? " (below)" : "")],
      ["Reorder point", (r) => String(r.reorder_point ?? "—")],
      ["Order up to", (r) => String(r.order_up_to ?? "—")],
      ["On hand", (r) => String(r.inputs.on_hand)],
      ["On order", (r) => String(r.inputs.on_order)],
      ["Reserved", (r) => String(r.inputs.reserved)],
      ["Backordered", (r) => String(r.inputs.backordered)],
      ["Suggested", (r) => (r.suggested_qty ? String(r.suggested_qty) : "—")],
      ["Supplier", (r) => r.supplier || "none preferred"],
      ["Policy", (r) => r.source || "—"],
    ], rows, (r) => ({ testid: "reorder-row", "data-sku": r.sku, "data-warehouse": r.warehouse, "data-breached": String(r.breached) })))
      : h("p", { testid: "reorder-none" }, "No reorder policies yet: set one with PUT /inventory/policies."));
}
