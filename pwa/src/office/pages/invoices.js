/** Office: invoices and credit notes (one numbered series), one invoice with its PDF and a payment form, and
 * accounts-receivable aging. */
import "./manifests.css";
import "./invoices.css";
import { h, replace } from "../../ui.js";
import { request } from "../../api.js";
import { get, table } from "../../staff/staff.js";
import { failed, field, redraw, say, view, when } from "../shell.js";

const STATUSES = ["", "issued", "partially_paid", "paid", "credited", "applied"];
const day = (iso) => (iso ? iso.slice(0, 10) : "—");
const words = (s) => (s || "").replace(/_/g, " ");
const retryKey = () => globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(16).slice(2)}`;
const scrolling = (label, content) => h("div", { class: "manifest-scroll", tabindex: "0", role: "region", "aria-label": label },
  content);

/** #/invoices — newest number first; filter by status. */
export async function invoicesPage(params) {
  const query = new URLSearchParams();
  for (const key of ["status", "customer_id", "order_id"]) if (params.get(key)) query.set(key, params.get(key));
  const { items } = await get(`/invoices?${query}`);
  const status = h("select", { testid: "invoice-status-filter", onchange: () => {
    location.hash = status.value ? `#/invoices?status=${status.value}` : "#/invoices";
  } }, STATUSES.map((s) => h("option", { value: s, selected: (params.get("status") || "") === s }, s ? words(s) : "any")));
  replace(view,
    h("h2", {}, "Invoices"),
    h("p", {}, h("a", { href: "#/aging", testid: "aging-link" }, "Receivables aging")),
    field("invoice-status", "Status", status),
    items.length
      ? scrolling("Invoices", table(`${items.length} invoices and credit notes`, [
        ["Number", (i) => h("a", { href: `#/invoices/${i.id}`, testid: "invoice-link" }, i.number)],
        ["Kind", (i) => words(i.kind)],
        ["Order", (i) => (i.order_id ? h("a", { href: `#/orders/${i.order_id}` }, i.order_number || String(i.order_id)) : "—")],
        ["Customer", (i) => i.customer_name || String(i.customer_id)],
        ["Issued", (i) => day(i.issued_at)],
        ["Due", (i) => day(i.due_at)],
        ["Total", (i) => `${i.currency} ${i.total}`],
        ["Balance", (i) => `${i.currency} ${i.balance}`],
        ["Status", (i) => words(i.status)],
      ], items, (i) => ({ testid: "invoice-row", "data-number": i.number, "data-status": i.status })))
      : h("p", { testid: "invoices-none" }, "No invoices yet: they are issued when shipments leave."));
}

/** #/invoices/42 — the document, its PDF, and recording a payment against it. */
export async function invoicePage(id) {
  const inv = await get(`/invoices/${id}`);
  const amount = h("input", { inputmode: "decimal", autocomplete: "off", value: inv.kind === "invoice" ? inv.balance : "",
    testid: "payment-amount", required: true });
  const reference = h("input", { autocomplete: "off", value: inv.number, testid: "payment-reference" });
  const record = h("button", { type: "submit", class: "primary", testid: "payment-record" }, "Record payment");
  const form = h("form", { testid: "payment-form", onsubmit: async (event) => {
    event.preventDefault();
    record.disabled = true;
    try {
      const { data } = await request("POST", "/payments", { customer_id: inv.customer_id, invoice_id: inv.id,
        amount: amount.value.trim(), currency: inv.currency, reference: reference.value.trim() }, { key: retryKey() });
      say(`Payment of ${data.currency} ${data.amount} recorded` +
        (Number(data.unapplied) > 0 ? `; ${data.currency} ${data.unapplied} left as the customer's credit.` : "."));
      redraw();
    } catch (error) {
      record.disabled = false;
      failed(error);
    }
  } }, h("fieldset", {}, h("legend", {}, "Record a payment"), field("pay-amount", `Amount (${inv.currency})`, amount),
    field("pay-reference", "Reference", reference), record));
  const bill = inv.bill_to || {};
  replace(view,
    h("h2", { testid: "invoice-title" }, `${inv.kind === "invoice" ? "Invoice" : "Credit note"} ${inv.number}`),
    h("p", {}, h("a", { href: inv.pdf_url, target: "_blank", rel: "noopener", testid: "invoice-pdf" }, "PDF"), " · ",
      h("a", { href: "#/invoices" }, "All invoices")),
    h("dl", { class: "invoice-facts" },
      h("dt", {}, "Status"), h("dd", { testid: "invoice-status" }, words(inv.status)),
      h("dt", {}, "Customer"), h("dd", {}, bill.customer || String(inv.customer_id)),
      h("dt", {}, "Order"), h("dd", {}, inv.order_id ? h("a", { href: `#/orders/${inv.order_id}` }, inv.order_number || "") : "—"),
      h("dt", {}, "Issued"), h("dd", {}, when(inv.issued_at)),
      h("dt", {}, "Due"), h("dd", {}, day(inv.due_at)),
      h("dt", {}, "Tax"), h("dd", {}, inv.tax_exempt_certificate ? `Exempt (certificate ${inv.tax_exempt_certificate})`
        : `${inv.tax_name} ${inv.tax_rate} %`)),
    scrolling("Invoice lines", table("Lines", [
      ["SKU", (l) => l.sku || "—"],
      ["Item", (l) => l.name],
      ["Qty", (l) => String(l.qty)],
      ["Unit price", (l) => l.unit_price || "—"],
      ["Discount", (l) => l.discount || "—"],
      ["Amount", (l) => l.amount],
      ["Tax", (l) => l.tax],
    ], inv.lines || [], () => ({ testid: "invoice-line" }))),
    h("dl", { class: "invoice-facts", testid: "invoice-totals" },
      h("dt", {}, "Subtotal"), h("dd", {}, `${inv.currency} ${inv.subtotal}`),
      h("dt", {}, "Shipping"), h("dd", {}, `${inv.currency} ${inv.shipping}`),
      h("dt", {}, "Tax"), h("dd", {}, `${inv.currency} ${inv.tax}`),
      h("dt", {}, "Total"), h("dd", { testid: "invoice-total" }, `${inv.currency} ${inv.total}`),
      h("dt", {}, inv.kind === "invoice" ? "Balance due" : "Credit left"),
      h("dd", { testid: "invoice-balance" }, `${inv.currency} ${inv.balance}`)),
    h("p", { class: "muted" }, inv.rounding),
    inv.kind === "invoice" && Number(inv.balance) > 0 ? form : "");
}

/** #/aging — what each customer owes, by days past due. */
export async function agingPage() {
  const aging = await get("/receivables/aging");
  const money = (r, key) => `${r.currency} ${r[key]}`;
  const columns = [
    ["Current", (r) => money(r, "current")],
    ["1–30", (r) => money(r, "1_30")],
    ["31–60", (r) => money(r, "31_60")],
    ["61–90", (r) => money(r, "61_90")],
    ["Over 90", (r) => money(r, "over_90")],
    ["Total", (r) => money(r, "total")],
  ];
  replace(view,
    h("h2", {}, "Receivables aging"),
    h("p", { class: "muted" }, `Open invoices by days past their due date, as of ${when(aging.as_of)}. ` +
      "Credit (unapplied payments and credit notes) is shown apart."),
    aging.customers.length
      ? scrolling("Aging by customer", table("By customer", [
        ["Customer", (r) => h("a", { href: `#/invoices?customer_id=${r.customer_id}` }, r.customer_name)],
        ...columns,
        ["Credit", (r) => money(r, "credit")],
      ], aging.customers, (r) => ({ testid: "aging-row", "data-customer": r.customer_name })))
      : h("p", { testid: "aging-none" }, "Nobody owes anything."),
    aging.totals.length ? scrolling("Aging totals", table("Totals", [["Currency", (r) => r.currency], ...columns],
      aging.totals, () => ({ testid: "aging-total" }))) : "");
}
