/** Office: returns (RMAs) — the list, one return with its receipts and refund, authorizing a customer's
 * request, and a new return for a customer picked from their shipped lines. */
import { h, replace } from "../../ui.js";
import { api, get, table } from "../../staff/staff.js";
import { failed, field, pager, redraw, say, view, when } from "../shell.js";

const STATUSES = ["", "requested", "authorized", "in_transit", "receiving", "received", "closed", "cancelled"];

/** #/returns?status=&page=&page_size= — newest first, 50 a page, and the form for a new one. */
export async function returnsPage(params) {
  const status = params.get("status") || "";
  const query = new URLSearchParams({ page: params.get("page") || "1", page_size: params.get("page_size") || "50" });
  if (status) query.set("status", status);
  const [{ data: answer, headers }, customers] = await Promise.all([
    api("GET", `/returns?${query}`), get("/customers?page_size=500").catch(() => []),
  ]);
  const items = answer.items || [];
  const paging = JSON.parse(headers.get("X-Pagination") || "{}");
  const filter = h("select", { testid: "returns-status", onchange: () => { location.hash = `#/returns?status=${filter.value}`; } },
    STATUSES.map((s) => h("option", { value: s, selected: s === status }, s || "every status")));
  replace(view, h("h2", {}, "Returns"),
    field("returns-status-filter", "Status", filter),
    h("div", { class: "staff-scroll", tabindex: "0", role: "region", "aria-label": "Returns" },
      table(`${paging.total ?? items.length} returns`, [
        ["RMA", (r) => h("a", { href: `#/returns/${r.id}`, testid: "return-open" }, r.rma)],
        ["Customer", (r) => r.customer],
        ["Status", (r) => r.status],
        ["Refund", (r) => refundWords(r)],
        ["Units", (r) => `${r.lines.reduce((n, l) => n + l.received, 0)} of ${r.lines.reduce((n, l) => n + l.qty, 0)} back`],
        ["Created", (r) => when(r.created_at)],
      ], items, (r) => ({ testid: "return-row", "data-rma": r.rma, "data-status": r.status }))),
    pager(paging, params, "returns", "returns"),
    newReturn(Array.isArray(customers) ? customers : []));
}

function refundWords(r) {
  if (r.refund_status === "exchanged") return `exchanged: ${r.exchange_order}`;
  if (r.refund_status === "none") return "not yet due";
  return `${r.refund_status.replace("_", " ")} ${r.refund_amount ?? ""} ${r.currency}`.trim();
}

/** Pick a customer, then the units of their shipped lines to take back and why. */
function newReturn(customers) {
  const customer = h("select", { testid: "new-return-customer" },
    h("option", { value: "" }, "Choose a customer"), customers.map((c) => h("option", { value: c.id }, c.name)));
  const lines = h("div", { testid: "new-return-lines" });
  customer.addEventListener("change", async () => {
    if (!customer.value) return replace(lines);
    try {
      const [returnable, reasons] = await Promise.all([
        get(`/returns/returnable?customer_id=${customer.value}`), get("/returns/reasons"),
      ]);
      replace(lines, linesForm(Number(customer.value), returnable.items || [], reasons.reasons || []));
    } catch (error) {
      failed(error);
    }
  });
  return h("section", { class: "staff-card", "aria-labelledby": "new-return-h" },
    h("h3", { id: "new-return-h" }, "New return"), field("new-return-customer", "Customer", customer), lines);
}

function linesForm(customerId, items, reasons) {
  const open = items.filter((i) => i.returnable > 0);
  if (!open.length) return h("p", { testid: "new-return-none" }, "Nothing shipped to this customer is left to return.");
  const rows = open.map((item, n) => {
    const qty = h("input", { id: `rq-${n}`, type: "number", min: "0", max: String(item.returnable), value: "0",
      inputmode: "numeric", testid: "new-return-qty", "data-order": item.order, "data-sku": item.sku });
    const reason = h("select", { id: `rr-${n}`, testid: "new-return-reason" },
      reasons.map((r) => h("option", { value: r.code }, `${r.label} (refund ${r.policy.replace("_", " ")})`)));
    return { item, qty, reason, el: h("tr", {},
      h("td", { "data-label": "Order" }, item.order), h("td", { "data-label": "Item" }, `${item.sku} ${item.name}`),
      h("td", { "data-label": "May return" }, String(item.returnable)),
      h("td", { "data-label": "Quantity" }, h("label", { for: `rq-${n}`, class: "visually-hidden" }, `Quantity of ${item.sku} from ${item.order}`), qty),
      h("td", { "data-label": "Reason" }, h("label", { for: `rr-${n}`, class: "visually-hidden" }, `Reason for ${item.sku} from ${item.order}`), reason)) };
  });
  const resolution = h("select", { testid: "new-return-resolution" },
    h("option", { value: "refund" }, "Refund"), h("option", { value: "exchange" }, "Exchange (replacement order)"));
  const create = h("button", { type: "submit", class: "primary", testid: "new-return-create" }, "Create return");
  return h("form", { onsubmit: async (event) => {
    event.preventDefault();
    const lines = rows.filter((r) => Number(r.qty.value) > 0).map((r) => ({
      order_id: r.item.order_id, sku: r.item.sku, qty: Number(r.qty.value), reason: r.reason.value,
    }));
    if (!lines.length) return say("Choose at least one unit to return.");
    create.disabled = true;
    try {
      const { data } = await api("POST", "/returns", { customer_id: customerId, lines, resolution: resolution.value });
      say(`Return ${data.rma} created.`);
      location.hash = `#/returns/${data.id}`;
    } catch (error) {
      create.disabled = false;
      failed(error);
    }
  } },
  h("table", { class: "staff-table" }, h("caption", {}, "Shipped lines"),
    h("thead", {}, h("tr", {}, ["Order", "Item", "May return", "Quantity", "Reason"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map((r) => r.el))),
  field("new-return-resolution", "Resolution", resolution), create);
}

/** #/returns/42 */
export async function returnPage(id) {
  const r = await get(`/returns/${id}`);
  const act = (label, path, testid, body = {}) => h("button", { type: "button", testid, onclick: async (event) => {
    event.target.disabled = true;
    try {
      await api("POST", `/returns/${id}/${path}`, body);
      say(`${r.rma}: ${label.toLowerCase()} done.`);
      redraw();
    } catch (error) {
      event.target.disabled = false;
      failed(error);
    }
  } }, label);
  const actions = [
    r.status === "requested" ? act("Authorize", "authorize", "return-authorize") : null,
    ["requested", "authorized"].includes(r.status) ? act("Cancel", "cancel", "return-cancel") : null,
    r.refund_status === "none" && !["requested", "cancelled"].includes(r.status)
      ? act(r.resolution === "exchange" ? "Exchange now" : "Refund now", "refund", "return-refund") : null,
    r.refund_status === "refund_pending" ? act("Mark refunded", "refund/settle", "return-settle") : null,
  ].filter(Boolean);
  replace(view, h("h2", { testid: "return-title", "data-status": r.status }, `Return ${r.rma}`),
    h("dl", { class: "staff-facts" },
      h("dt", {}, "Customer"), h("dd", {}, r.customer),
      h("dt", {}, "Status"), h("dd", { testid: "return-status" }, r.status),
      h("dt", {}, "Refund"), h("dd", { testid: "return-refund-status" }, refundWords(r)),
      h("dt", {}, "Warehouse"), h("dd", {}, r.warehouse),
      h("dt", {}, "Return label"), h("dd", { testid: "return-label" },
        r.label ? `${r.label.carrier} ${r.label.service} ${r.label.tracking_number}` : "none"),
      h("dt", {}, "Orders"), h("dd", {}, [...new Set(r.lines.map((l) => l.order))].map((o, n) =>
        h("span", {}, n ? ", " : "", h("a", { href: `#/orders/${r.lines.find((l) => l.order === o).order_id}` }, o))))),
    h("p", {}, h("a", { href: r.pdf_url, target: "_blank", rel: "noopener", testid: "return-pdf" }, "Return paperwork (PDF)")),
    actions.length ? h("p", { class: "staff-actions" }, actions) : null,
    table("Lines", [
      ["Order", (l) => l.order], ["Item", (l) => `${l.sku} ${l.name}`], ["Reason", (l) => `${l.reason} (${l.policy.replace("_", " ")})`],
      ["Back", (l) => `${l.received} of ${l.qty}`], ["Value each", (l) => l.unit_value],
    ], r.lines, (l) => ({ testid: "return-detail-line", "data-sku": l.sku })),
    table(`${r.receipts.length} receipts at the dock`, [
      ["When", (x) => when(x.at)], ["Item", (x) => x.sku], ["Units", (x) => String(x.qty)],
      ["Disposition", (x) => x.disposition], ["Lot", (x) => x.lot || "—"], ["Note", (x) => x.note || "—"],
      ["Photo", (x) => (x.photo_url ? h("a", { href: x.photo_url, target: "_blank", rel: "noopener" }, "photo") : "—")],
      ["By", (x) => x.by || "—"],
    ], r.receipts, () => ({ testid: "return-receipt" })));
}
