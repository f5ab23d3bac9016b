/** The hold queue and the backorders: orders the office must look at. */
import { h, replace } from "../../ui.js";
import { api, get, table } from "../../staff/staff.js";
import { view, when } from "../shell.js";

export async function holdsPage() {
  const { data } = await api("GET", "/orders?status=on_hold&page_size=100");
  replace(view, h("h2", {}, "Hold queue"), table(`${data.length} orders on hold`, [
    ["Order", (o) => h("a", { href: `#/orders/${o.id}`, testid: "hold-open" }, o.number)],
    ["Customer", (o) => h("a", { href: `#/customers/${o.customer_id}` }, o.customer_name ?? String(o.customer_id))],
    ["Reasons", (o) => (o.hold_reasons || []).map((r) => `${r.code.replaceAll("_", " ")}: ${r.message}`).join("; ")],
    ["Created", (o) => when(o.created_at)],
  ], data, (o) => ({ testid: "hold-row", "data-order-id": o.id, "data-number": o.number })));
}

export async function backordersPage() {
  const [a, b] = await Promise.all([get("/orders?status=backordered&page_size=100"),
    get("/orders?status=partially_allocated&page_size=100")]);
  const rows = [...a, ...b];
  replace(view, h("h2", {}, "Backorders"), table(`${rows.length} orders waiting for stock`, [
    ["Order", (o) => h("a", { href: `#/orders/${o.id}` }, o.number)],
    ["Customer", (o) => h("a", { href: `#/customers/${o.customer_id}` }, o.customer_name ?? String(o.customer_id))],
    ["Status", (o) => o.status],
    ["Short", (o) => (o.lines || []).filter((l) => l.backordered).map((l) => `${l.sku} × ${l.backordered}`).join(", ")],
  ], rows, (o) => ({ testid: "backorder-row", "data-order-id": o.id })));
}
