/** Receiving at the dock: choose the PO (scan its barcode or pick it), count items by scan or by typed number,
 * mark damaged ones with a reason, then send the receipt once (an Idempotency-Key per draft). */

import * as store from "../store.js";
import { h, replace, text } from "../ui.js";
import { countScan, entryKey, goodUnits, readDockScan, receiptBody, setCount } from "../receiving.js";

const REASONS = ["crushed", "wet", "open", "expired"];

function newKey() {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

function draft() {
  return store.get().receiving || {};
}

function saveDraft(patch) {
  store.set({ receiving: { ...draft(), ...patch } });
}

export function receiveScreen(ctx) {
  const { t, api } = ctx;
  const said = h("p", { class: "message", role: "status", testid: "receive-message", "aria-live": "polite" });
  const body = h("div", { class: "stack" });
  const back = h("button", { type: "button", class: "quiet", testid: "receive-back", onclick: leave }, t("receive_back"));
  const el = h("section", { class: "screen receive", testid: "receive" },
    h("h1", {}, t("receive_title")), said, body, back);
  let pos = [];

  function say(message, verdict = "") {
    text(said, message);
    said.dataset.verdict = verdict;
  }

  function current() {
    return pos.find((p) => p.id === draft().poId) || null;
  }

  async function load() {
    say(t("receive_loading"));
    try {
      const query = store.get().warehouse ? `?warehouse=${encodeURIComponent(store.get().warehouse)}` : "";
      pos = (await api.get(`/receiving/purchase-orders${query}`)).items || [];
      store.set({ receivingPos: pos }); // kept on the phone: the dock's Wi-Fi drops too
      say(pos.length ? "" : t("receive_none"));
    } catch (error) {
      pos = store.get().receivingPos || [];
      say(error.offline ? t("receive_offline") : t("receive_failed", { message: error.message }), "error");
    }
    draw();
  }

  function draw() {
    const po = current();
    if (!po) {
      replace(body, h("p", { class: "hint" }, t("receive_pick_po")),
        pos.map((p) => h("button", { type: "button", class: "big", testid: "receive-po", "data-number": p.number,
          onclick: () => open(p) }, t("receive_po_option", { number: p.number, supplier: p.supplier, lines: p.lines.length }))));
      return;
    }
    const state = draft();
    const entries = state.entries || [];
    const good = goodUnits(entries);
    const rows = po.lines.map((line) => {
      const mine = entries.filter((e) => e.sku === line.sku);
      const over = line.received + (good[line.sku] || 0) - line.allowed;
      return h("li", { class: "card", testid: "receive-line", "data-sku": line.sku },
        h("p", { class: "lead" }, t("receive_line", { sku: line.sku, name: line.name })),
        h("p", { class: "hint" }, t("receive_figures", line)),
        mine.map((entry) => entryRow(entry)),
        over > 0 ? h("p", { class: "message", "data-verdict": "error", testid: "receive-over" }, t("receive_over", { over, allowed: line.allowed })) : "");
    });
    const reason = h("select", { id: "receive-reason", testid: "receive-reason",
      onchange: () => saveDraft({ reason: reason.value }) },
    REASONS.map((r) => h("option", { value: r, selected: (state.reason || "crushed") === r }, t(`receive_reason_${r}`))));
    const damaged = h("input", { type: "checkbox", id: "receive-damaged", testid: "receive-damaged", checked: !!state.damaged,
      onchange: () => { saveDraft({ damaged: damaged.checked }); draw(); } });
    const units = entries.filter((e) => !e.damaged).reduce((n, e) => n + e.qty, 0)
      + entries.filter((e) => e.damaged).reduce((n, e) => n + e.qty, 0);
    const submit = h("button", { type: "button", class: "primary big", testid: "receive-submit", disabled: !units || state.sending,
      onclick: send }, t("receive_submit", { units }));
    replace(body,
      h("p", { class: "lead", testid: "receive-po-head", "data-number": po.number }, t("receive_po_head", po)),
      h("p", { class: "hint" }, t("receive_scan_items")),
      h("div", { class: "row" }, h("label", { for: "receive-damaged" }, damaged, " ", t("receive_damaged_mode")),
        h("label", { for: "receive-reason", class: "visually-hidden" }, t("receive_reason")), reason),
      state.damaged ? h("p", { class: "hint" }, t("receive_damaged_on", { reason: t(`receive_reason_${state.reason || "crushed"}`) })) : "",
      h("ul", { class: "tasks" }, rows), submit,
      h("button", { type: "button", class: "quiet", testid: "receive-leave", onclick: () => { store.set({ receiving: null }); draw(); } }, t("receive_leave")));
  }

  function entryRow(entry) {
    const key = entryKey(entry);
    const id = `count-${key.replace(/[^A-Za-z0-9]/g, "-")}`;
    const input = h("input", { id, type: "number", inputmode: "numeric", min: "0", value: String(entry.qty), class: "count",
      testid: "receive-count", "data-sku": entry.sku, "data-lot": entry.lot || "", "data-damaged": String(!!entry.damaged),
      onchange: () => {
        const qty = Number.parseInt(input.value, 10);
        saveDraft({ entries: setCount(draft().entries || [], key, Number.isFinite(qty) ? qty : 0) });
        draw();
      } });
    const labels = [
      entry.lot ? t("receive_lot", { lot: entry.lot }) : "",
      entry.expiry ? t("receive_expiry", { expiry: entry.expiry }) : "",
      entry.damaged ? t("receive_damaged_row", { reason: t(`receive_reason_${entry.reason}`) }) : "",
    ].filter(Boolean).join(" · ");
    return h("div", { class: "row", testid: "receive-entry", "data-key": key },
      h("label", { for: id }, `${t("receive_count")}${labels ? ` (${labels})` : ""}`), input);
  }

  function open(po) {
    if (draft().poId !== po.id) store.set({ receiving: { poId: po.id, number: po.number, key: newKey(), entries: [], damaged: false, reason: "crushed" } });
    say("");
    draw();
  }

  function leave() {
    store.set({ screen: "home" });
  }

  async function send() {
    const po = current();
    const state = draft();
    saveDraft({ sending: true, queued: false });
    say(t("receive_sending"));
    draw();
    try {
      const receipt = await api.post(`/purchase-orders/${po.id}/receipts`, receiptBody(state.entries || []), { key: state.key });
      const units = receipt.lines.reduce((n, l) => n + l.qty, 0);
      const docked = receipt.lines.reduce((n, l) => n + l.cross_docked, 0);
      store.set({ receiving: null });
      await load();
      say(receipt.putaway_task_id
        ? t("receive_done", { number: receipt.number, units, docked, task: receipt.putaway_task_id })
        : t("receive_done_no_putaway", { number: receipt.number, units, docked }), "match");
    } catch (error) {
      // No answer: the same count goes again, under the same key, as soon as the phone is back online.
      saveDraft({ sending: false, queued: error.retryable });
      const over = error.code === "over_receipt" ? error.details?.lines?.[0] : null;
      if (over) say(t("receive_refused_over", over), "error");
      else if (error.offline) say(t("receive_offline"), "error");
      else say(t("receive_failed", { message: error.message }), "error");
      // A refusal is final for this count: a corrected one is a new receipt (a new key).
      if (!error.retryable) saveDraft({ key: newKey() });
      draw();
    }
  }

  function onScan(code) {
    const po = current();
    const seen = readDockScan(code, pos, po);
    if (seen?.po) {
      if (po && seen.po.id !== po.id && (draft().entries || []).length) {
        say(t("receive_wrong_po", { code }), "error");
        return null;
      }
      open(seen.po);
      return null;
    }
    if (!po || !seen) {
      say(t("receive_unknown", { code, number: po?.number || "" }), "error");
      return null;
    }
    const state = draft();
    const entry = { sku: seen.line.sku, lot: seen.lot, expiry: seen.expiry, damaged: !!state.damaged, reason: state.damaged ? (state.reason || "crushed") : "" };
    const entries = countScan(state.entries || [], entry, seen.units);
    saveDraft({ entries });
    const count = entries.find((e) => entryKey(e) === entryKey(entry)).qty;
    say(seen.caseUnits
      ? t("receive_counted_case", { sku: seen.line.sku, units: seen.units, count })
      : t("receive_counted", { sku: seen.line.sku, units: seen.units, count }), "match");
    draw();
    return null;
  }

  function resend() {
    if (draft().queued && !draft().sending && current()) send();
  }

  // A send cut short (a reload, a dead battery) may or may not have reached the server: the same key tells.
  if (draft().sending) saveDraft({ sending: false, queued: true });
  window.addEventListener("online", resend);
  load().then(resend);
  return { el, onScan, destroy: () => window.removeEventListener("online", resend) };
}
