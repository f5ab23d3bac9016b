/** Master data pages: products, customers and users, each a table with a create/edit form. */
import { h, replace } from "../../ui.js";
import { get, table } from "../../staff/staff.js";
import { F, masterForm } from "../forms.js";
import { session, view } from "../shell.js";

const HANDLINGS = ["ambient", "chilled", "frozen", "hazmat", "fragile", "antistatic"];
const ROLES = ["admin", "supervisor", "office", "picker", "packer"];

export const MASTER = {
  products: { path: "/products", key: (r) => r.sku, roles: ["admin", "office"], one: "product", barcodes: true,
    cols: [["SKU", (r) => r.sku], ["Name", (r) => r.name], ["Price", (r) => r.unit_price], ["Weight kg", (r) => r.weight_kg],
      ["Handling", (r) => r.handling], ["Food", (r) => (r.food ? "yes" : "no")], ["Active", (r) => String(r.active ?? true)],
      ["Barcodes", (r) => (r.barcodes || []).map((b) => `${b.code} ×${b.units}`).join(", ")]],
    fields: [F("sku", "SKU"), F("name", "Name", { edit: true }), F("unit_price", "Unit price", { edit: true, decimal: true }),
      F("weight_kg", "Weight kg", { edit: true, decimal: true }), F("dims_cm.l", "Length cm", { decimal: true }),
      F("dims_cm.w", "Width cm", { decimal: true }), F("dims_cm.h", "Height cm", { decimal: true }),
      F("handling", "Handling", { edit: true, options: HANDLINGS }),
      F("food", "Food (never on a cart with hazmat)", { edit: true, check: true, defaultOff: true }),
      F("active", "Active", { edit: true, check: true })],
    blank: { handling: "ambient", food: false, active: true } },
  customers: { path: "/customers", key: (r) => r.id, roles: ["admin", "office"], one: "customer",
    cols: [["Id", (r) => r.id], ["Name", (r) => h("a", { href: `#/customers/${r.id}`, testid: "customer-open" }, r.name)], ["Email", (r) => r.email], ["Type", (r) => r.type],
      ["Ship policy", (r) => r.ship_policy], ["Discount %", (r) => r.discount_pct], ["Credit limit", (r) => r.credit_limit ?? "none"]],
    fields: [F("name", "Name", { edit: true }), F("email", "Email", { edit: true, type: "email" }),
      F("type", "Type", { edit: true, options: ["retail", "wholesale"] }),
      F("ship_policy", "Ship policy", { edit: true, options: ["complete", "partial"] }),
      F("discount_pct", "Discount %", { edit: true, decimal: true }),
      F("credit_limit", "Credit limit (blank = none)", { edit: true, decimal: true, nullable: true }),
      F("return_label", "Prepaid return labels", { edit: true, check: true, defaultOff: true })],
    blank: { type: "retail", ship_policy: "complete", discount_pct: "0", return_label: false } },
  suppliers: { path: "/suppliers", key: (r) => r.id, label: (r) => r.name, roles: ["admin", "office"], one: "supplier",
    cols: [["Name", (r) => h("a", { href: `#/suppliers/${r.id}`, testid: "supplier-open" }, r.name)], ["Email", (r) => r.email],
      ["Currency", (r) => r.currency], ["Payment terms", (r) => r.payment_terms || "—"],
      ["Lead time (days)", (r) => String(r.lead_time_days)],
      ["Address", (r) => (r.address ? [r.address.line1, r.address.city, r.address.country].filter(Boolean).join(", ") : "—")]],
    fields: [F("name", "Name", { edit: true }), F("email", "Email", { edit: true, type: "email" }),
      F("currency", "Currency (ISO code, like USD)", { edit: true, optional: true }),
      F("payment_terms", "Payment terms (like Net 30)", { edit: true, optional: true }),
      F("lead_time_days", "Quoted lead time (days)", { edit: true, integer: true }),
      F("address.line1", "Address", { edit: true, optional: true }), F("address.city", "City", { edit: true, optional: true }),
      F("address.postal_code", "Postal code", { edit: true, optional: true }),
      F("address.region", "Region", { edit: true, optional: true }),
      F("address.country", "Country (2 letters)", { edit: true, optional: true })],
    blank: { currency: "USD" } },
  users: { path: "/users", key: (r) => r.username, roles: ["admin"], one: "user",
    cols: [["Username", (r) => r.username], ["Name", (r) => r.display_name], ["Role", (r) => r.role],
      ["Badge", (r) => r.badge ?? ""], ["Warehouse", (r) => r.warehouse ?? ""], ["Active", (r) => String(r.active ?? true)]],
    fields: [F("username", "Username"), F("password", "Password", { type: "password" }),
      F("role", "Role", { edit: true, options: ROLES }), F("display_name", "Display name", { edit: true, optional: true }),
      F("badge", "Badge", { optional: true }), F("pin", "PIN", { optional: true, type: "password", numeric: true }),
      F("warehouse", "Warehouse", { edit: true, warehouses: true, nullable: true }),
      F("active", "Active", { create: false, edit: true, check: true })],
    blank: { role: "picker", active: true } },
};

export async function masterPage(kind) {
  const spec = MASTER[kind];
  const canEdit = spec.roles.includes(session.me.role);
  const [data, whs] = await Promise.all([get(`${spec.path}?page_size=100`),
    canEdit && kind === "users" ? get("/warehouses") : null]);
  const rows = Array.isArray(data) ? data : data.items || [];
  const warehouses = Array.isArray(whs) ? whs : whs?.items || [];
  const holder = h("section", { "aria-label": `Change ${kind}` });
  const show = (record) => replace(holder, masterForm(spec, record, warehouses));
  if (canEdit) show(null);
  const cols = canEdit ? [...spec.cols, ["", (r) => h("button", { type: "button", testid: "master-edit",
    "aria-label": `Edit ${spec.key(r)}`, onclick: () => { show(r); holder.querySelector("input, select")?.focus(); } }, "Edit")]]
    : spec.cols;
  replace(view, h("h2", {}, kind[0].toUpperCase() + kind.slice(1)), canEdit ? holder : "",
    table(`${rows.length} ${kind}`, cols, rows, (r) => ({ testid: `${kind.replace(/s$/, "")}-row`, "data-key": spec.key(r) })));
}
