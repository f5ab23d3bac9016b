/** Office pages: orders (search, detail, timeline), the hold queue, backorders, inventory, master data. */
import "../staff/staff.css";
import { h, replace } from "../ui.js";
import { api, get, requireStaff, signOutButton, table } from "../staff/staff.js";
import { emailsPage, orderEmails } from "./emails.js";

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
  const [order, events, emails] = await Promise.all([get(`/orders/${id}`), get(`/orders/${id}/events`),
    orderEmails(id, { say, failed, route })]);
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
    emails,
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
const HANDLINGS = ["ambient", "chilled", "frozen", "hazmat", "fragile", "antistatic"];
const ROLES = ["admin", "supervisor", "office", "picker", "packer"];
// Field specs: path (dotted for nested), label; create/edit: shown when creating / editing (PATCH accepts it);
// options: a <select>; check: a checkbox; nullable: blank sends null; optional: blank is left out.
const F = (path, label, opts = {}) => ({ path, label, create: true, edit: false, ...opts });
const MASTER = {
  products: { path: "/products", key: (r) => r.sku, roles: ["admin", "office"], one: "product", barcodes: true,
    cols: [["SKU", (r) => r.sku], ["Name", (r) => r.name], ["Price", (r) => r.unit_price], ["Weight kg", (r) => r.weight_kg],
      ["Handling", (r) => r.handling], ["Active", (r) => String(r.active ?? true)],
      ["Barcodes", (r) => (r.barcodes || []).map((b) => `${b.code} ×${b.units}`).join(", ")]],
    fields: [F("sku", "SKU"), F("name", "Name", { edit: true }), F("unit_price", "Unit price", { edit: true, decimal: true }),
      F("weight_kg", "Weight kg", { edit: true, decimal: true }), F("dims_cm.l", "Length cm", { decimal: true }),
      F("dims_cm.w", "Width cm", { decimal: true }), F("dims_cm.h", "Height cm", { decimal: true }),
      F("handling", "Handling", { edit: true, options: HANDLINGS }), F("active", "Active", { edit: true, check: true })],
    blank: { handling: "ambient", active: true } },
  customers: { path: "/customers", key: (r) => r.id, roles: ["admin", "office"], one: "customer",
    cols: [["Id", (r) => r.id], ["Name", (r) => r.name], ["Email", (r) => r.email], ["Type", (r) => r.type],
      ["Ship policy", (r) => r.ship_policy], ["Discount %", (r) => r.discount_pct], ["Credit limit", (r) => r.credit_limit ?? "none"]],
    fields: [F("name", "Name", { edit: true }), F("email", "Email", { edit: true, type: "email" }),
      F("type", "Type", { edit: true, options: ["retail", "wholesale"] }),
      F("ship_policy", "Ship policy", { edit: true, options: ["complete", "partial"] }),
      F("discount_pct", "Discount %", { edit: true, decimal: true }),
      F("credit_limit", "Credit limit (blank = none)", { edit: true, decimal: true, nullable: true })],
    blank: { type: "retail", ship_policy: "complete", discount_pct: "0" } },
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

const dig = (obj, path) => path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
const hookName = (one, path) => `${one}-${path.replace(/[._]/g, "-")}`;

/** {"dims_cm": {"l": ["..."]}, "barcodes": {"0": {"code": [...]}}} → {"dims_cm.l": "...", "barcodes.0.code": "..."} */
function flatErrors(fieldsIn, prefix = "", out = {}) {
  if (Array.isArray(fieldsIn)) {
    if (fieldsIn.every((m) => typeof m === "string")) out[prefix] = fieldsIn.join(" ");
    else fieldsIn.forEach((m, i) => flatErrors(m, prefix ? `${prefix}.${i}` : String(i), out));
  } else if (fieldsIn && typeof fieldsIn === "object") {
    for (const [k, v] of Object.entries(fieldsIn)) flatErrors(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (fieldsIn != null) out[prefix] = String(fieldsIn);
  return out;
}

function masterForm(kind, spec, record, warehouses) {
  const editing = record !== null;
  const one = spec.one;
  const values = editing ? record : spec.blank;
  const alert = h("p", { role: "alert", testid: "form-error", class: "staff-error" });
  const errors = {}; // path → error <span>
  const errorSpan = (path, id) => (errors[path] = h("span", { id, class: "staff-error field-error", testid: "field-error",
    "data-field": path }));
  const inputs = {};
  const rows = [];
  for (const f of spec.fields.filter((x) => (editing ? x.edit : x.create))) {
    const id = `m-${hookName(one, f.path)}`;
    const testid = hookName(one, f.path);
    const value = dig(values, f.path);
    let input;
    if (f.check) input = h("input", { type: "checkbox", checked: value !== false, testid });
    else if (f.options || f.warehouses) {
      const opts = f.warehouses ? ["", ...warehouses.map((w) => w.code)] : f.options;
      input = h("select", { testid }, opts.map((o) => h("option", { value: o, selected: (value ?? "") === o },
        o === "" ? "none" : o)));
    } else {
      input = h("input", { type: f.type || "text", value: value ?? "", testid, autocomplete: "off",
        required: !(f.optional || f.nullable) ? true : undefined,
        inputmode: f.decimal ? "decimal" : f.numeric ? "numeric" : undefined });
    }
    Object.assign(input, { id });
    input.setAttribute("aria-describedby", `${id}-error`);
    inputs[f.path] = { f, input };
    rows.push(h("div", { class: f.check ? "check" : "" }, h("label", { for: id }, f.label), input, errorSpan(f.path, `${id}-error`)));
  }
  let barcodeList = null;
  const barcodeRows = [];
  if (spec.barcodes && !editing) {
    barcodeList = h("div", { testid: "barcode-list" });
    const addRow = (code = "", units = "1") => {
      const n = barcodeRows.length ? Math.max(...barcodeRows.map((r) => r.n)) + 1 : 0;
      const codeIn = h("input", { id: `bc-code-${n}`, value: code, testid: "barcode-code", autocomplete: "off", inputmode: "numeric" });
      const unitsIn = h("input", { id: `bc-units-${n}`, type: "number", min: "1", value: units, testid: "barcode-units" });
      const err = h("span", { id: `bc-err-${n}`, class: "staff-error field-error", testid: "field-error" });
      codeIn.setAttribute("aria-describedby", `bc-err-${n}`);
      const row = { n, codeIn, unitsIn, err };
      row.el = h("div", { class: "barcode-row", testid: "barcode-row" },
        h("label", { for: `bc-code-${n}` }, "Barcode"), codeIn,
        h("label", { for: `bc-units-${n}` }, "Units"), unitsIn,
        h("button", { type: "button", testid: "barcode-remove", "aria-label": "Remove this barcode", onclick: () => {
          barcodeRows.splice(barcodeRows.indexOf(row), 1);
          row.el.remove();
        } }, "Remove"), err);
      barcodeRows.push(row);
      barcodeList.append(row.el);
      return row;
    };
    addRow();
    barcodeList = h("fieldset", {}, h("legend", {}, "Barcodes (a case barcode carries its unit count)"), barcodeList,
      h("button", { type: "button", testid: "barcode-add", onclick: () => addRow().codeIn.focus() }, "Add barcode"));
  }
  const clear = () => {
    alert.textContent = "";
    for (const el of [...Object.values(errors), ...barcodeRows.map((r) => r.err)]) el.textContent = "";
    for (const { input } of Object.values(inputs)) input.removeAttribute("aria-invalid");
    for (const r of barcodeRows) r.codeIn.removeAttribute("aria-invalid");
  };
  const body = () => {
    const out = {};
    for (const [path, { f, input }] of Object.entries(inputs)) {
      let v = f.check ? input.checked : input.value.trim();
      if (v === "" && f.nullable) v = null;
      else if (v === "" && (f.optional || (editing && f.path === "display_name"))) continue;
      const keys = path.split(".");
      let o = out;
      for (const k of keys.slice(0, -1)) o = o[k] ||= {};
      o[keys.at(-1)] = v;
    }
    if (!editing && one === "user" && out.warehouse === null) delete out.warehouse;
    if (barcodeList) {
      out.barcodes = barcodeRows.filter((r) => r.codeIn.value.trim()).map((r) => ({ code: r.codeIn.value.trim(),
        units: Number(r.unitsIn.value || 1) }));
    }
    return out;
  };
  const showErrors = (err) => {
    alert.textContent = err.message || "Not saved.";
    const flat = flatErrors(err.details?.fields || {});
    const sent = barcodeRows.filter((r) => r.codeIn.value.trim());
    if (err.code === "invalid_barcode" || err.code === "barcode_taken" || err.code === "duplicate_barcode") {
      const bad = err.details?.barcode;
      const i = sent.findIndex((r) => r.codeIn.value.trim() === bad || (bad && r.codeIn.value.includes(bad)));
      const target = i >= 0 ? sent[i] : sent[0];
      if (target) flat[`barcodes.${sent.indexOf(target)}.code`] = err.message;
    }
    let first = null;
    for (const [path, message] of Object.entries(flat)) {
      const m = /^barcodes\.(\d+)\.(code|units)$/.exec(path);
      if (m && sent[Number(m[1])]) {
        const r = sent[Number(m[1])];
        r.err.textContent = message;
        r.err.dataset.field = path;
        r.codeIn.setAttribute("aria-invalid", "true");
        first ||= m[2] === "code" ? r.codeIn : r.unitsIn;
      } else if (errors[path]) {
        errors[path].textContent = message;
        inputs[path]?.input.setAttribute("aria-invalid", "true");
        first ||= inputs[path]?.input;
      } else {
        alert.textContent += ` ${path}: ${message}`;
      }
    }
    first?.focus();
  };
  const title = editing ? `Edit ${one} ${spec.key(record)}` : `New ${one}`;
  const form = h("form", { class: "staff-form master-form", testid: `${one}-form`, "data-mode": editing ? "edit" : "create",
    "aria-labelledby": "master-form-h", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      clear();
      try {
        if (editing) await api("PATCH", `${spec.path}/${encodeURIComponent(spec.key(record))}`, body());
        else await api("POST", spec.path, body());
        say("Saved");
        route();
      } catch (err) { showErrors(err); say(`Not saved: ${err.message}`); }
    } },
  h("h3", { id: "master-form-h", testid: "master-form-title" }, title),
  rows, barcodeList || "", alert,
  h("div", { class: "actions" }, h("button", { type: "submit", testid: "master-save" }, editing ? "Save changes" : "Create"),
    editing ? h("button", { type: "button", testid: "master-new", onclick: () => route() }, "New instead") : ""));
  return form;
}

async function masterPage(kind) {
  const spec = MASTER[kind];
  const canEdit = spec.roles.includes(me.role);
  const [data, whs] = await Promise.all([get(`${spec.path}?page_size=100`),
    canEdit && kind === "users" ? get("/warehouses") : null]);
  const rows = Array.isArray(data) ? data : data.items || [];
  const warehouses = Array.isArray(whs) ? whs : whs?.items || [];
  const holder = h("section", { "aria-label": `Change ${kind}` });
  const show = (record) => replace(holder, masterForm(kind, spec, record, warehouses));
  if (canEdit) show(null);
  const cols = canEdit ? [...spec.cols, ["", (r) => h("button", { type: "button", testid: "master-edit",
    "aria-label": `Edit ${spec.key(r)}`, onclick: () => { show(r); holder.querySelector("input, select")?.focus(); } }, "Edit")]]
    : spec.cols;
  replace(view, h("h2", {}, kind[0].toUpperCase() + kind.slice(1)), canEdit ? holder : "",
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
    else if (parts[0] === "emails") await emailsPage(view, params, { say, failed, route });
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
      link("#/backorders", "Backorders"), link("#/inventory", "Inventory"), link("#/emails", "Emails"),
      link("#/products", "Products"),
      link("#/customers", "Customers"), me.role === "admin" ? link("#/users", "Users") : "", h("a", { href: "/board" }, "Board")),
    h("span", { testid: "signed-in-as" }, me.display_name || me.username), signOutButton()), status, view);
  window.addEventListener("hashchange", route);
  route();
}

start();
