/** The order list: search by number or reference, filter by status (the API's own list), customer, channel, date. */
import { h, replace } from "../../ui.js";
import { api, get, table } from "../../staff/staff.js";
import { field, pager, view, when } from "../shell.js";

// Asked once: the statuses GET /orders?status= takes, so the filter never offers one the API refuses.
let statuses = null;
const orderStatuses = async () => (statuses ||= get("/orders/statuses").then((r) => r.statuses)
  .catch((error) => { statuses = null; throw error; }));

export async function ordersPage(params) {
  const [known, { data: rows, headers }] = await Promise.all([orderStatuses(), api("GET", `/orders?${listQuery(params)}`)]);
  const q = h("input", { type: "search", value: params.get("q") || "", testid: "filter-q" });
  const st = h("select", { testid: "filter-status" }, h("option", { value: "" }, "any"),
    known.map((s) => h("option", { value: s, selected: params.get("status") === s }, s.replaceAll("_", " "))));
  const customer = h("input", { inputmode: "numeric", value: params.get("customer_id") || "", testid: "filter-customer" });
  const channel = h("input", { value: params.get("channel") || "", testid: "filter-channel" });
  const from = h("input", { type: "date", value: params.get("from") || "", testid: "filter-from" });
  const to = h("input", { type: "date", value: params.get("to") || "", testid: "filter-to" });
  const form = h("form", { class: "staff-form inline", role: "search", onsubmit: (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, el] of [["q", q], ["status", st], ["customer_id", customer], ["channel", channel], ["from", from], ["to", to]]) {
      if (el.value) next.set(k, el.value);
    }
    location.hash = `#/orders?${next}`;
  } },
  field("f-q", "Search (number or reference)", q), field("f-status", "Status", st),
  field("f-customer", "Customer id", customer), field("f-channel", "Channel", channel),
  field("f-from", "Created from", from), field("f-to", "Created to", to),
  h("button", { type: "submit", testid: "filter-submit" }, "Filter"));
  const paging = JSON.parse(headers.get("X-Pagination") || "{}");
  replace(view, h("h2", {}, "Orders"), form,
    table(`Orders: ${paging.total ?? rows.length} found`, [
      ["Order", (o) => h("a", { href: `#/orders/${o.id}` }, o.number)],
      ["Status", (o) => o.status],
      ["Customer", (o) => h("a", { href: `#/customers/${o.customer_id}`, testid: "order-customer" }, o.customer_name ?? String(o.customer_id))],
      ["Channel", (o) => o.channel],
      ["Created", (o) => when(o.created_at)],
      ["Total", (o) => `${o.totals?.total ?? ""} ${o.totals?.currency ?? ""}`],
    ], rows, (o) => ({ testid: "order-row", "data-order-id": o.id, "data-status": o.status })),
    pager(paging, params, "orders", "orders"));
}

function listQuery(params) {
  const query = new URLSearchParams({ page: params.get("page") || "1", page_size: "50" });
  for (const k of ["q", "status", "customer_id", "channel"]) if (params.get(k)) query.set(k, params.get(k));
  if (params.get("from")) query.set("created_from", `${params.get("from")}T00:00:00Z`);
  if (params.get("to")) query.set("created_to", `${params.get("to")}T23:59:59Z`);
  return query;
}
