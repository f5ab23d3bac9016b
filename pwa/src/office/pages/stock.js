/** Stock: adjustments with a reason, moves between bins, transfers to another warehouse (shipped, then
 * received), and the movement history of a bin or a SKU, page by page. */
import { h, replace } from "../../ui.js";
import { session, view } from "../shell.js";
import { cards, floorForm, get, getPage, input, newKey, select, send, w, warehouseCodes, when } from "./floor_kit.js";

const REASONS = ["receipt", "count", "damaged", "found", "lost", "other"];
const PAGE_SIZE = 25;

export async function stockPage(params) {
  const codes = await warehouseCodes();
  const warehouse = params.get("warehouse") || session.me.warehouse || codes[0] || "";
  const bins = await get(`/warehouses/${encodeURIComponent(warehouse)}/locations?page_size=500`).catch(() => []);
  const binList = h("datalist", { id: "stock-bins" }, (Array.isArray(bins) ? bins : []).map((b) => h("option", { value: b.code })));
  const binInput = (attrs = {}) => input({ list: "stock-bins", ...attrs });
  const choose = select(codes.map((c) => [c, c]), { value: warehouse, id: "stock-warehouse", testid: "stock-warehouse",
    onchange: (e) => { location.hash = `#/stock?warehouse=${encodeURIComponent(e.target.value)}`; } });

  const adjust = keyed((key) => floorForm({
    testid: "adjust",
    title: w("adjust_title"),
    submit: w("adjust_button"),
    fields: [
      ["sku", w("sku"), input({ required: true })],
      ["location", w("bin"), binInput({ required: true })],
      ["delta", w("delta"), input({ inputmode: "numeric", required: true, placeholder: "+5 / -2" })],
      ["reason", w("reason"), select(REASONS.map((r) => [r, w(`reason_${r}`)]))],
      ["note", w("note_optional"), input({})],
    ],
    onsubmit: async (v) => {
      const delta = /^[+-]?\d+$/.test(v.delta) ? Number(v.delta) : v.delta;
      const reason = [w(`reason_${v.reason}`), v.note].filter(Boolean).join(": ");
      let moved;
      try {
        moved = await send("POST", "/inventory/adjustments",
          { warehouse, location: v.location, sku: v.sku, delta, reason }, key());
      } catch (error) {
        // Too few units (or reserved ones) is about the change asked for: said beside it.
        if (["negative_stock", "reserved_stock"].includes(error.code)) error.details = { ...error.details, field: "delta" };
        throw error;
      }
      key.renew();
      refreshHistory();
      return w("adjusted", { sku: moved.sku, location: moved.location, delta: moved.delta > 0 ? `+${moved.delta}` : moved.delta });
    },
  }));

  const move = keyed((key) => floorForm({
    testid: "move",
    title: w("move_title"),
    submit: w("move_button"),
    fields: [
      ["sku", w("sku"), input({ required: true })],
      ["from", w("from_bin"), binInput({ required: true })],
      ["to", w("to_bin"), binInput({ required: true })],
      ["qty", w("qty"), input({ inputmode: "numeric", required: true })],
      ["reason", w("reason_optional"), input({})],
    ],
    onsubmit: async (v) => {
      const qty = /^\d+$/.test(v.qty) ? Number(v.qty) : v.qty;
      const moved = await send("POST", "/inventory/moves",
        { warehouse, sku: v.sku, from: v.from, to: v.to, qty, reason: v.reason }, key());
      key.renew();
      refreshHistory();
      return w("moved", { qty: moved.qty, sku: moved.sku, from: moved.from.location, to: moved.to.location,
        left: moved.from.on_hand, now: moved.to.on_hand });
    },
  }));

  const others = codes.filter((c) => c !== warehouse);
  const transfer = keyed((key) => floorForm({
    testid: "transfer",
    title: w("transfer_title", { warehouse }),
    submit: w("transfer_button"),
    fields: [
      ["to_warehouse", w("to_warehouse"), select(others.map((c) => [c, c]))],
      ["sku", w("sku"), input({ required: true })],
      ["qty", w("qty"), input({ inputmode: "numeric", required: true })],
      ["location", w("from_bin_optional"), binInput({})],
      ["note", w("note_optional"), input({})],
    ],
    onsubmit: async (v) => {
      const qty = /^\d+$/.test(v.qty) ? Number(v.qty) : v.qty;
      const line = { sku: v.sku, qty, ...(v.location ? { location: v.location } : {}) };
      let made;
      try {
        made = await send("POST", "/transfers",
          { from_warehouse: warehouse, to_warehouse: v.to_warehouse, lines: [line], note: v.note }, key());
      } catch (error) {
        // Errors of the one line this form has come back as lines.0.sku / lines.0.qty: put them on its fields.
        const line0 = error.details?.fields?.lines?.["0"];
        if (line0) error.details.fields = { ...error.details.fields, ...line0 };
        throw error;
      }
      key.renew();
      await drawTransfers();
      return w("transfer_drafted", { number: made.number });
    },
  }));

  // Each section carries its heading from the start: its name must not wait for the first fetch.
  const transfersBox = h("section", { "aria-labelledby": "transfers-h", testid: "transfers" },
    h("h3", { id: "transfers-h" }, w("transfers_title")));
  const drawTransfers = async () => {
    const list = await get(`/transfers?warehouse=${encodeURIComponent(warehouse)}&page_size=50`);
    replace(transfersBox, h("h3", { id: "transfers-h" }, w("transfers_title")), cards(
      w("transfers_caption", { n: list.length, warehouse }), [
        [w("number"), (t) => t.number],
        [w("route"), (t) => `${t.from_warehouse} → ${t.to_warehouse}`],
        [w("lines"), (t) => t.lines.map((l) => `${l.sku} × ${l.qty}`).join(", ")],
        [w("status"), (t) => h("span", { testid: "transfer-status", "data-status": t.status }, w(`transfer_${t.status}`))],
        [w("when"), (t) => when(t.received_at || t.shipped_at || t.created_at)],
        [w("actions"), (t) => transferActions(t, warehouse, drawTransfers)],
      ], list, (t) => ({ testid: "transfer-row", "data-number": t.number, "data-status": t.status })));
  };

  const history = h("section", { "aria-labelledby": "history-h", testid: "history" },
    h("h3", { id: "history-h" }, w("history_title")));
  const hSku = input({ value: params.get("sku") || "", id: "history-sku", testid: "history-sku" });
  const hLoc = binInput({ value: params.get("location") || "", id: "history-location", testid: "history-location" });
  const page = Math.max(1, Number(params.get("page") || 1));
  const historyQuery = (p) => {
    const q = new URLSearchParams({ warehouse });
    if (hSku.value.trim()) q.set("sku", hSku.value.trim());
    if (hLoc.value.trim()) q.set("location", hLoc.value.trim());
    if (p > 1) q.set("page", String(p));
    return q;
  };
  const historyError = h("p", { role: "alert", class: "staff-error", testid: "history-error" });
  const historyForm = h("form", { class: "floor-filters", role: "search", "aria-label": w("history_filter"), onsubmit: (e) => {
    e.preventDefault();
    location.hash = `#/stock?${historyQuery(1)}`;
  } },
  h("div", {}, h("label", { for: hSku.id }, w("sku")), hSku),
  h("div", {}, h("label", { for: hLoc.id }, w("bin_or_place")), hLoc),
  h("button", { type: "submit", testid: "history-show" }, w("show")));
  const refreshHistory = async () => {
    const q = historyQuery(page);
    q.set("page_size", String(PAGE_SIZE));
    historyError.textContent = "";
    let rows = [];
    let total = 0;
    try {
      const { data, headers } = await getPage(`/inventory/movements?${q}`);
      rows = data;
      total = JSON.parse(headers.get("X-Pagination") || "{}").total || rows.length;
    } catch (error) {
      historyError.textContent = `${w("not_done")}: ${error.message}`;
    }
    // What the history shows, for whoever waits for it (tests, screen readers' context).
    Object.assign(history.dataset, { sku: q.get("sku") || "", location: q.get("location") || "" });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const go = (p) => { location.hash = `#/stock?${historyQuery(p)}`; };
    replace(history, h("h3", { id: "history-h" }, w("history_title")), historyForm, historyError,
      cards(w("history_caption", { n: total, page, pages }), [
        [w("when"), (m) => when(m.created_at)],
        [w("sku"), (m) => m.sku],
        [w("place"), (m) => m.location],
        [w("change"), (m) => h("span", { testid: "movement-delta" }, m.delta > 0 ? `+${m.delta}` : String(m.delta))],
        [w("kind"), (m) => w(`kind_${m.kind}`)],
        [w("reason"), (m) => m.reason],
        [w("who"), (m) => m.actor || w("system")],
      ], rows, (m) => ({ testid: "movement-row", "data-kind": m.kind, "data-location": m.location, "data-sku": m.sku })),
      h("nav", { class: "floor-pager", "aria-label": w("history_pages") },
        h("button", { type: "button", testid: "history-newer", disabled: page <= 1, onclick: () => go(page - 1) }, w("newer")),
        h("span", {}, w("page_of", { page, pages })),
        h("button", { type: "button", testid: "history-older", disabled: page >= pages, onclick: () => go(page + 1) }, w("older"))));
  };

  replace(view, h("h2", {}, w("stock_title")),
    h("div", { class: "floor-filters" }, h("div", {}, h("label", { for: choose.id }, w("warehouse")), choose)),
    binList,
    h("div", { class: "floor-forms" }, adjust.form, move.form, others.length ? transfer.form : ""),
    transfersBox, history);
  await Promise.all([drawTransfers(), refreshHistory()]);
}

/** A form built with a key getter: `key()` is the form's Idempotency-Key, `key.renew()` after a success. */
function keyed(build) {
  let current = newKey();
  const key = () => current;
  key.renew = () => { current = newKey(); };
  return build(key);
}

function transferActions(t, warehouse, drawAgain) {
  const err = h("span", { class: "staff-error", role: "alert", testid: "transfer-error" });
  let key = newKey();
  const act = (label, testid, path, body) => h("button", { type: "button", testid, onclick: async () => {
    err.textContent = "";
    try {
      await send("POST", `/transfers/${t.id}/${path}`, body(), key);
      key = newKey();
      await drawAgain();
    } catch (error) { err.textContent = `${w("not_done")}: ${error.message}`; }
  } }, label);
  if (t.status === "draft" && t.from_warehouse === warehouse) {
    return h("div", { class: "floor-actions" }, act(w("ship"), "transfer-ship", "ship", () => ({})),
      act(w("cancel_transfer"), "transfer-cancel", "cancel", () => ({})), err);
  }
  if (t.status === "shipped" && t.to_warehouse === warehouse) {
    const id = `receive-${t.id}`;
    const bin = input({ id, list: "stock-bins", testid: "transfer-receive-bin", placeholder: w("dock") });
    return h("div", { class: "floor-actions" }, h("label", { for: id }, w("receive_into")), bin,
      act(w("receive"), "transfer-receive", "receive", () => (bin.value.trim() ? { location: bin.value.trim() } : {})), err);
  }
  if (t.status === "shipped") return w("in_transit_units", { n: t.in_transit });
  if (t.status === "received") return w("received_at_place", { place: t.received_location });
  return "";
}
