/** Office pages: orders (search, detail, timeline), the hold queue, backorders, inventory, master data. */
import "../staff/staff.css";
import { h, replace } from "../ui.js";
import { api, get, requireStaff, signOutButton, table } from "../staff/staff.js";

const STATUSES = ["received", "on_hold", "allocated", "partially_allocated", "backordered", "released", "picking",
  "picked", "packed", "shipped", "cancelled"];
const root = document.getElementById("root");
const view = h("main", { class: "staff-main", id: "view", tabindex: "-1" });
const status = h("p", { role: "status", testid: "office-status", class: "muted" });
let me = null;

const field = (id, label, input) => h("div", {}, h("label", { for: id }, label), Object.assign(input, { id }));
const when = (iso) => (iso ? new Date(iso).toLocaleString() : "—");
const say = (message) => { status.textContent = message; };
const failed = (error) => say(`Failed: ${error.message}`);

// Orders -----------------------------------------------------------------------------------------------------
async function ordersPage(params, title = "Orders", testid = "order-row") {
  const q = h("input", { type: "search", value: params.get("q") || "", testid: "filter-q" });
  const st = h("select", { testid: "filter-status" }, h("option", { value: "" }, "any"),
    STATUSES.map((s) => h("option", { value: s, selected: params.get("status") === s }, s)));
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
  const query = new URLSearchParams({ page: params.get("page") || "1", page_size: "50" });
  for (const k of ["q", "status", "customer_id", "channel"]) if (params.get(k)) query.set(k, params.get(k));
  if (params.get("from")) query.set("created_from", `${params.get("from")}T00:00:00Z`);
  if (params.get("to")) query.set("created_to", `${params.get("to")}T23:59:59Z`);
  const { data, headers } = await api("GET", `/orders?${query}`);
  const paging = JSON.parse(headers.get("X-Pagination") || "{}");
  const rows = data;
  replace(view, h("h2", {}, title), testid === "order-row" ? form : "",
    table(`${title}: ${paging.total ?? rows.length} found`, [
      ["Order", (o) => h("a", { href: `#/orders/${o.id}` }, o.number)],
      ["Status", (o) => o.status],
      ["Customer", (o) => o.customer_id],
      ["Channel", (o) => o.channel],
      ["Created", (o) => when(o.created_at)],
      ["Total", (o) => `${o.totals?.total ?? ""} ${o.totals?.currency ?? ""}`],
    ], rows, (o) => ({ testid, "data-order-id": o.id, "data-status": o.status })),
    pager(paging, params));
}

function pager(paging, params) {
  if (!paging.total_pages || paging.total_pages <= 1) return "";
  const go = (page) => { const p = new URLSearchParams(params); p.set("page", page); return `#/orders?${p}`; };
  return h("nav", { "aria-label": "Pages of orders" },
    paging.page > 1 ? h("a", { href: go(paging.page - 1) }, "Previous") : "",
    ` page ${paging.page} of ${paging.total_pages} `,
    paging.page < paging.total_pages ? h("a", { href: go(paging.page + 1) }, "Next") : "");
}

async function orderPage(id) {
  const [order, events] = await Promise.all([get(`/orders/${id}`), get(`/orders/${id}/events`)]);
  replace(view, h("h2", { testid: "order-number" }, `Order ${order.number}`),
    h("p", {}, "Status: ", h("strong", { testid: "order-status", "data-status": order.status }, order.status),
      ` · channel ${order.channel} · customer ${order.customer_id} · created ${when(order.created_at)}`),
    holdBlock(order),
    h("h3", {}, "Ship to"), h("p", {}, Object.values(order.ship_to || {}).filter(Boolean).join(", ")),
    table("Lines", [["#", (l) => l.line_no], ["SKU", (l) => l.sku], ["Qty", (l) => l.qty],
      ["Allocated", (l) => l.allocated], ["Backordered", (l) => l.backordered], ["Total", (l) => l.line_total]],
    order.lines || [], (l) => ({ testid: "order-line", "data-sku": l.sku })),
    table("Fulfilments", [["Warehouse", (f) => f.warehouse], ["Status", (f) => f.status],
      ["Lines", (f) => f.lines.map((l) => `${l.sku} × ${l.qty}`).join(", ")]], order.fulfillments || [],
    () => ({ testid: "fulfilment-row" })),
    table("Parcels", [["Label", (p) => p.label_code], ["Weight kg", (p) => p.weight_kg],
      ["Label files", (p) => Object.entries(p.label_urls || {}).map(([k, u]) => h("a", { href: u, testid: "label-link" }, `${k} `))]],
    order.parcels || [], () => ({ testid: "parcel-row" })),
    table("Timeline", [["When", (e) => when(e.at)], ["What", (e) => e.kind],
      ["Change", (e) => (e.from_status || e.to_status ? `${e.from_status || "—"} → ${e.to_status || "—"}` : "")],
      ["Who", (e) => e.actor || "system"], ["Why", (e) => e.reason || ""]],
    events.events || [], (e) => ({ testid: "timeline-event", "data-kind": e.kind })));
}

function holdBlock(order) {
  if (order.status !== "on_hold") return "";
  const reasons = order.hold_reasons || [];
  const codes = [...new Set(reasons.map((r) => r.code))];
  const note = h("input", { testid: "hold-note", required: true });
  const act = (label, testid, run, cls) => h("button", { type: "button", testid, class: cls, onclick: async () => {
    try { await run(); say(`${label}: done`); route(); } catch (e) { failed(e); }
  } }, label);
  const actions = [
    act("Release", "release", () => api("POST", `/orders/${order.id}/release`, { note: note.value })),
    codes.includes("credit_limit_exceeded") ? act("Override credit hold", "override-credit", () => api("POST",
      `/orders/${order.id}/release`, { note: note.value || "credit override", override: ["credit_limit_exceeded"] })) : "",
    act("Cancel order", "cancel", () => api("POST", `/orders/${order.id}/cancel`, { reason: note.value || "cancelled by office" }), "danger"),
  ];
  const addr = order.ship_to || {};
  const inputs = Object.fromEntries(["name", "line1", "line2", "city", "region", "postal_code", "country"]
    .map((k) => [k, h("input", { value: addr[k] || "", "data-field": k, testid: `address-${k}` })]));
  const fix = h("form", { class: "staff-form inline", "aria-label": "Fix the address", onsubmit: async (e) => {
    e.preventDefault();
    const ship_to = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value]));
    try {
      await api("PATCH", `/orders/${order.id}`, { ship_to, note: note.value || "address fixed" });
      say("Address saved");
      route();
    } catch (err) { failed(err); }
  } },
  Object.entries(inputs).map(([k, el]) => field(`addr-${k}`, k.replace("_", " "), el)),
  h("button", { type: "submit", testid: "fix-address" }, "Save address"));
  return h("section", { "aria-labelledby": "hold-h", testid: "hold-panel" },
    h("h3", { id: "hold-h" }, "On hold"),
    h("ul", {}, reasons.map((r) => h("li", { testid: "hold-reason", "data-code": r.code }, `${r.code}: ${r.message}`))),
    codes.includes("invalid_address") ? fix : "",
    h("div", { class: "staff-form inline" }, field("hold-note-input", "Note", note), actions));
}

async function holdsPage() {
  const { data } = await api("GET", "/orders?status=on_hold&page_size=100");
  replace(view, h("h2", {}, "Hold queue"), table(`${data.length} orders on hold`, [
    ["Order", (o) => h("a", { href: `#/orders/${o.id}`, testid: "hold-open" }, o.number)],
    ["Reasons", (o) => (o.hold_reasons || []).map((r) => `${r.code}: ${r.message}`).join("; ")],
    ["Created", (o) => when(o.created_at)],
  ], data, (o) => ({ testid: "hold-row", "data-order-id": o.id, "data-number": o.number })));
}

async function backordersPage() {
  const [a, b] = await Promise.all([get("/orders?status=backordered&page_size=100"),
    get("/orders?status=partially_allocated&page_size=100")]);
  const rows = [...a, ...b];
  replace(view, h("h2", {}, "Backorders"), table(`${rows.length} orders waiting for stock`, [
    ["Order", (o) => h("a", { href: `#/orders/${o.id}` }, o.number)],
    ["Status", (o) => o.status],
    ["Short", (o) => (o.lines || []).filter((l) => l.backordered).map((l) => `${l.sku} × ${l.backordered}`).join(", ")],
  ], rows, (o) => ({ testid: "backorder-row", "data-order-id": o.id })));
}

// Inventory --------------------------------------------------------------------------------------------------
async function inventoryPage(params) {
  const sku = h("input", { value: params.get("sku") || "", testid: "inventory-sku" });
  const wh = h("input", { value: params.get("warehouse") || "", testid: "inventory-warehouse" });
  const form = h("form", { class: "staff-form inline", role: "search", onsubmit: (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (sku.value) p.set("sku", sku.value);
    if (wh.value) p.set("warehouse", wh.value);
    location.hash = `#/inventory?${p}`;
  } }, field("inv-sku", "SKU", sku), field("inv-wh", "Warehouse (by location)", wh),
  h("button", { type: "submit" }, "Show"));
  const parts = [h("h2", {}, "Inventory"), form];
  if (params.get("sku")) {
    const data = await get(`/inventory?sku=${encodeURIComponent(params.get("sku"))}`);
    parts.push(table(`Stock of ${params.get("sku")}`, [["Warehouse", (i) => i.warehouse], ["On hand", (i) => i.on_hand],
      ["Reserved", (i) => i.reserved], ["Available", (i) => i.available]], data.items || [],
    () => ({ testid: "inventory-row" })));
  }
  if (params.get("warehouse")) {
    const data = await get(`/inventory?by=location&warehouse=${encodeURIComponent(params.get("warehouse"))}`);
    parts.push(table(`By location in ${params.get("warehouse")}`, [["Location", (i) => i.location], ["SKU", (i) => i.sku],
      ["On hand", (i) => i.on_hand], ["Reserved", (i) => i.reserved ?? ""]], data.items || [],
    () => ({ testid: "location-row" })));
  }
  const mq = new URLSearchParams();
  if (params.get("sku")) mq.set("sku", params.get("sku"));
  if (params.get("warehouse")) mq.set("warehouse", params.get("warehouse"));
  const moves = await get(`/inventory/movements?${mq}`).catch(() => null);
  const items = Array.isArray(moves) ? moves : moves?.items || moves?.movements || [];
  parts.push(table("Movements", [["When", (m) => when(m.at || m.created_at)], ["SKU", (m) => m.sku],
    ["Location", (m) => m.location], ["Change", (m) => m.delta ?? m.qty], ["Reason", (m) => m.reason]], items,
  () => ({ testid: "movement-row" })));
  replace(view, ...parts);
}

// Master data: products, customers, users ------------------------------------------------------------------------
const MASTER = {
  products: { path: "/products", key: (r) => r.sku, roles: ["admin", "office"], cols: [["SKU", (r) => r.sku],
    ["Name", (r) => r.name], ["Price", (r) => r.unit_price], ["Weight kg", (r) => r.weight_kg]] },
  customers: { path: "/customers", key: (r) => r.id, roles: ["admin", "office"], cols: [["Id", (r) => r.id],
    ["Name", (r) => r.name], ["Type", (r) => r.type], ["Credit limit", (r) => r.credit_limit ?? "none"]] },
  users: { path: "/users", key: (r) => r.username, roles: ["admin"], cols: [["Username", (r) => r.username],
    ["Name", (r) => r.display_name], ["Role", (r) => r.role], ["Warehouse", (r) => r.warehouse ?? ""],
    ["Active", (r) => String(r.active ?? true)]] },
};

async function masterPage(kind) {
  const spec = MASTER[kind];
  const data = await get(`${spec.path}?page_size=100`);
  const rows = Array.isArray(data) ? data : data.items || [];
  const canEdit = spec.roles.includes(me.role);
  const editor = h("textarea", { rows: 8, cols: 60, testid: "master-json", spellcheck: false });
  const target = { key: null };
  const form = h("form", { class: "staff-form", onsubmit: async (e) => {
    e.preventDefault();
    try {
      const body = JSON.parse(editor.value);
      if (target.key === null) await api("POST", spec.path, body);
      else await api("PATCH", `${spec.path}/${encodeURIComponent(target.key)}`, body);
      say("Saved");
      route();
    } catch (err) { failed(err); }
  } },
  h("label", { for: "master-json" }, "Fields as JSON (new record, or changes to the one chosen with Edit)"),
  Object.assign(editor, { id: "master-json" }),
  h("button", { type: "submit", testid: "master-save" }, "Save"),
  h("button", { type: "button", onclick: () => { target.key = null; editor.value = "{}"; } }, "New"));
  const cols = canEdit ? [...spec.cols, ["", (r) => h("button", { type: "button", testid: "master-edit",
    "aria-label": `Edit ${spec.key(r)}`, onclick: () => { target.key = spec.key(r); editor.value = "{}"; editor.focus(); } }, "Edit")]]
    : spec.cols;
  replace(view, h("h2", {}, kind[0].toUpperCase() + kind.slice(1)), canEdit ? form : "",
    table(`${rows.length} ${kind}`, cols, rows, (r) => ({ testid: `${kind.replace(/s$/, "")}-row`, "data-key": spec.key(r) })));
}

// Routing ----------------------------------------------------------------------------------------------------
async function route() {
  const [path, qs] = (location.hash.slice(1) || "/orders").split("?");
  const params = new URLSearchParams(qs || "");
  const parts = path.split("/").filter(Boolean);
  view.dataset.page = parts[0] || "orders";
  try {
    if (parts[0] === "orders" && parts[1]) await orderPage(Number(parts[1]));
    else if (parts[0] === "holds") await holdsPage();
    else if (parts[0] === "backorders") await backordersPage();
    else if (parts[0] === "inventory") await inventoryPage(params);
    else if (MASTER[parts[0]]) await masterPage(parts[0]);
    else await ordersPage(params);
    view.dataset.ready = String(Date.now());
  } catch (error) {
    replace(view, h("p", { role: "alert", class: "staff-error", testid: "office-error" },
      error.status === 403 ? "Not allowed." : `Could not load: ${error.message}`));
  }
}

async function start() {
  me = await requireStaff(root, "Baton office");
  const link = (hash, label) => h("a", { href: hash }, label);
  replace(root, h("header", { class: "staff-bar" }, h("h1", {}, "Baton office"),
    h("nav", { "aria-label": "Office pages" }, link("#/orders", "Orders"), link("#/holds", "Hold queue"),
      link("#/backorders", "Backorders"), link("#/inventory", "Inventory"), link("#/products", "Products"),
      link("#/customers", "Customers"), me.role === "admin" ? link("#/users", "Users") : "", h("a", { href: "/board" }, "Board")),
    h("span", { testid: "signed-in-as" }, me.display_name || me.username), signOutButton()), status, view);
  window.addEventListener("hashchange", route);
  route();
}

start();
