/** Receive a return at the dock: scan the RMA, then each item (GTIN, GS1 with its lot, or Baton's barcode),
 * its count (scan again, the case barcode, or type it) and its disposition (tap, or scan RESTOCK, QUARANTINE
 * or SCRAP): at most three scans a line. A note and a camera photo are optional. */

import { readBarcode } from "../gs1.js";
import { h, replace, text } from "../ui.js";

const DISPOSITIONS = ["restock", "quarantine", "scrap"];
const RECEIVABLE = new Set(["authorized", "in_transit", "receiving"]);
const PHOTO_MAX_PX = 1024;
const PHOTO_MAX_BYTES = 480 * 1024;

function newId() {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

/** Which line of the return a scan names, and how many units the barcode stands for. */
export function matchItem(ret, raw) {
  const reading = readBarcode(raw);
  const said = reading.text.trim().toLowerCase();
  for (const line of ret.lines) {
    for (const barcode of line.barcodes) {
      const same = reading.gtin ? readBarcode(barcode.code).gtin === reading.gtin : barcode.code.toLowerCase() === said;
      if (same) return { line, units: barcode.units * (reading.count || 1), lot: reading.lot || null };
    }
  }
  return null;
}

export function returnsScreen(ctx) {
  const { t, api } = ctx;
  const title = h("h1", {}, t("returns_title"));
  const head = h("p", { class: "lead", testid: "return-head" });
  const prompt = h("p", { class: "prompt", testid: "return-prompt" }, t("returns_scan_rma"));
  const said = h("p", { class: "message", role: "status", testid: "return-message" });
  const lines = h("ul", { class: "tasks", testid: "return-lines" });
  const panel = h("section", { class: "card stack", testid: "return-item", hidden: true });
  const back = h("button", { class: "quiet", testid: "return-back", onclick: () => ctx.sync.goHome() }, t("returns_back"));
  const el = h("section", { class: "screen returns" }, title, head, prompt, said, panel, lines, back);

  let ret = null;
  let item = null; // {line, qty, lot, raw, photo, note}

  function say(message, good = null) {
    text(said, message);
    said.classList.toggle("good", good === true);
    said.classList.toggle("bad", good === false);
  }

  function showLines() {
    replace(lines, ret ? ret.lines.map((line) => h("li", {
      testid: "return-line", "data-sku": line.sku, "data-received": line.received, "data-qty": line.qty,
      class: line.received >= line.qty ? "done" : "",
    }, t("returns_line", { sku: line.sku, name: line.name, received: line.received, qty: line.qty }))) : []);
  }

  async function openRma(code) {
    const rma = code.trim().toUpperCase();
    say(t("returns_looking", { rma }));
    try {
      const found = (await api.get(`/returns?rma=${encodeURIComponent(rma)}`)).items || [];
      if (!found.length) return say(t("returns_unknown", { rma }), false);
      if (!RECEIVABLE.has(found[0].status)) {
        return say(t("returns_not_receivable", { rma, status: found[0].status }), false);
      }
      ret = found[0];
    } catch (error) {
      return say(error.offline || error.status === 0 ? t("returns_needs_network") : t("returns_failed", { message: error.message }), false);
    }
    text(head, t("returns_rma", { rma: ret.rma, customer: ret.customer }));
    text(prompt, t("returns_scan_item"));
    el.dataset.rma = ret.rma;
    say("");
    showLines();
  }

  function startItem(match, raw) {
    item = { line: match.line, qty: match.units, lot: match.lot, raw, photo: null };
    const qty = h("input", { id: "return-qty", testid: "return-qty", type: "number", inputmode: "numeric", min: "1",
      value: String(item.qty), oninput: () => { item.qty = Number(qty.value) || 0; } });
    const note = h("input", { id: "return-note", testid: "return-note", autocomplete: "off", maxlength: "500" });
    const photoSaid = h("p", { class: "hint", testid: "return-photo-said" });
    const photo = h("input", { id: "return-photo", testid: "return-photo", type: "file", accept: "image/*", capture: "environment",
      onchange: async () => {
        item.photo = photo.files[0] ? await shrink(photo.files[0]) : null;
        text(photoSaid, item.photo ? t("returns_photo_taken", { kb: Math.round((item.photo.length * 3) / 4 / 1024) }) : "");
      } });
    const choices = h("div", { class: "stack", testid: "return-lot-choices" });
    const buttons = DISPOSITIONS.map((d) => h("button", {
      type: "button", class: d === "restock" ? "primary big" : "big", testid: `return-${d}`,
      onclick: () => { item.note = note.value.trim(); send(d); },
    }, t(`returns_${d}`)));
    replace(panel,
      h("p", { class: "lead", testid: "return-item-name" }, t("returns_item", { sku: match.line.sku, name: match.line.name })),
      match.lot ? h("p", { testid: "return-lot" }, t("returns_lot", { lot: match.lot })) : null,
      h("label", { for: "return-qty" }, t("returns_qty")), qty, h("p", { class: "hint" }, t("returns_qty_hint")),
      h("label", { for: "return-note" }, t("returns_note")), note,
      h("label", { for: "return-photo" }, t("returns_photo")), photo, photoSaid,
      h("p", {}, t("returns_choose")), buttons, choices);
    panel.hidden = false;
    item.qtyInput = qty;
    item.choices = choices;
  }

  async function send(disposition) {
    if (!item || item.qty < 1) return;
    const { line } = item;
    say(t("returns_sending"));
    const body = { id: newId(), lines: [{ barcode: item.raw, qty: item.qty, disposition,
      ...(item.lot ? { lot: item.lot } : {}), ...(item.note ? { note: item.note } : {}), ...(item.photo ? { photo: item.photo } : {}) }] };
    try {
      ret = await api.post(`/returns/${ret.id}/receipts`, body, { key: body.id });
    } catch (error) {
      if (error.code === "lot_required" && error.details.lots?.length) return askLot(disposition, error.details.lots);
      if (error.code === "unknown_lot") return say(t("returns_unknown_lot", { lot: item.lot, sku: line.sku }), false);
      return say(error.status === 0 ? t("returns_needs_network") : t("returns_failed", { message: error.message }), false);
    }
    say(t("returns_saved", { qty: body.lines[0].qty, sku: line.sku, disposition: t(`returns_${disposition}`) }), true);
    item = null;
    panel.hidden = true;
    showLines();
    if (ret.status === "received" || ret.status === "closed") {
      say(t("returns_all_in", { rma: ret.rma }), true);
      text(prompt, t("returns_scan_rma"));
      el.dataset.done = ret.rma;
      ret = null;
    }
  }

  /** A lot-tracked item whose label showed no lot, from an order that got several: one tap per lot. */
  function askLot(disposition, lots) {
    say(t("returns_which_lot", { lots: lots.join(", ") }), false);
    replace(item.choices, ...lots.map((lot) => h("button", {
      type: "button", class: "big", testid: "return-lot-choice", "data-lot": lot,
      onclick: () => { item.lot = lot; send(disposition); },
    }, t("returns_lot", { lot }))));
  }

  function onScan(code) {
    if (!ret) return openRma(code);
    const word = code.trim().toLowerCase();
    if (item && DISPOSITIONS.includes(word)) return send(word); // scan 3: a disposition barcode
    const match = matchItem(ret, code);
    if (!match) return say(t("returns_not_on_return", { code: readBarcode(code).text }), false);
    if (item && match.line.id === item.line.id) { // scan 2: the count, by scanning again or the case
      item.qty += match.units;
      item.qtyInput.value = String(item.qty);
      return say("");
    }
    say("");
    return startItem(match, code);
  }

  return { el, onScan };
}

/** The camera's photo, scaled down to fit the server's limit, as a JPEG data: URL. */
async function shrink(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, PHOTO_MAX_PX / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  for (const quality of [0.8, 0.6, 0.4, 0.25]) {
    const url = canvas.toDataURL("image/jpeg", quality);
    if ((url.length * 3) / 4 <= PHOTO_MAX_BYTES) return url;
  }
  return null;
}
