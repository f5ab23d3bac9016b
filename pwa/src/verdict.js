/** The phone's instant verdict on a scan: a mirror of domain/scanning.py judge_scan (same rules, same words). */

import { GS, gtin14, readBarcode } from "./gs1.js";
import { MESSAGES_EN, SORT_SLOT_EN, format, noticeEnglish } from "./strings.js";
import { isOpenStatus, isWithdrawn } from "./vocabulary.js";

export const VERDICTS = ["match", "wrong_item", "wrong_location", "wrong_lot", "over_pick", "unknown_barcode", "duplicate", "cancelled"];
// Tasks walked bin by bin, like a pick trip (a put-away returns units the same way).
const WALKED = new Set(["pick", "putaway"]);
const MAX_SHOWN_BARCODE = 32;

/** A stop as the verdict needs it: the units still owed exclude the ones reported missing. */
function view(stop) {
  const qty = stop.qty - (stop.short || 0);
  // Closed stops (short, withdrawn) take no more units; the statuses come from the server's vocabulary.
  const closed = !isOpenStatus(stop);
  return {
    stop,
    id: stop.id,
    location: stop.location || "",
    locationBarcode: stop.location_barcode || "",
    sku: stop.sku,
    item: stop.name || stop.sku,
    qty,
    picked: stop.picked,
    remaining: Math.max(qty - stop.picked, 0),
    open: stop.picked < qty && !closed,
    withdrawn: isWithdrawn(stop),
    barcodes: stop.barcodes || [],
    binScanned: Boolean(stop.bin_scanned),
    itemScanned: Boolean(stop.item_scanned),
    lot: stop.lot || null, // a lot-tracked product: the lot reserved for the order
  };
}

/** Stops in walking order. */
export function orderedStops(task) {
  return [...(task.stops || [])].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) || a.id - b.id);
}

export function isOpenStop(stop) {
  return view(stop).open;
}

/** The stop a picker works on now: the first one still open in walking order. */
export function currentStop(task) {
  return orderedStops(task).find(isOpenStop) || null;
}

export function taskComplete(task) {
  return (task.stops || []).length > 0 && !orderedStops(task).some(isOpenStop);
}

/**
 * Judge one scan. `others` maps barcodes the phone knows from elsewhere (its other tasks) to
 * "location:<code>" or "item:<sku>", like the server's other_barcodes. Returns
 * {verdict, key, fields, message (English, as the server words it), stopId, units}. `qty` is a typed count;
 * with the warehouse's bin-first rule (task.bin_first) an item before its bin's label is refused, and so is
 * a typed count of single units before one unit was scanned at the stop.
 */
export function judgeScan(task, raw, { qty = null, stopId = null, others = {} } = {}) {
  const stops = orderedStops(task).map(view);
  const reading = readBarcode(raw);
  if (stopId == null && !WALKED.has(task.type)) stopId = stopForItem(stops, reading);
  const stop = stopId == null ? stops.find((s) => s.open) : stops.find((s) => s.id === stopId);
  if (stop?.withdrawn) return refused(stop);
  if (!stop) return withdrawnFor(stops, reading) || result("over_pick", "all_done", {}, null);

  if (sameLabel(reading, stop.locationBarcode)) {
    if (stop.remaining === 0) {
      return result("match", "bin_done", { location: stop.location, qty: stop.qty, item: stop.item }, stop.id);
    }
    return result("match", "bin_confirmed",
      { location: stop.location, remaining: stop.remaining, item: stop.item }, stop.id);
  }

  const perScan = unitsPerScan(reading, stop.barcodes);
  if (perScan != null) {
    const binFirst = Boolean(task.bin_first);
    if (binFirst && stop.locationBarcode && !stop.binScanned) {
      return result("wrong_location", "bin_first", { location: stop.location }, stop.id);
    }
    if (binFirst && qty != null && perScan === 1 && !stop.itemScanned) {
      return result("wrong_item", "count_first", { item: stop.item }, stop.id);
    }
    // Another lot of the right product (GS1 AI 10); a plain GTIN names no lot: the picker reads the label.
    if (stop.lot && reading.lot != null && reading.lot !== stop.lot) {
      return result("wrong_lot", "wrong_lot", { scanned: reading.lot, lot: stop.lot }, stop.id);
    }
    return count(task, stops, stop, perScan * (reading.count || 1) * (qty || 1));
  }

  const otherStops = stops.filter((s) => s.id !== stop.id);
  const withdrawn = withdrawnFor(otherStops, reading);
  if (withdrawn) return withdrawn;
  for (const other of otherStops) {
    if (sameLabel(reading, other.locationBarcode)) return wrongLocation(stop, other.location);
  }
  for (const other of otherStops) {
    if (unitsPerScan(reading, other.barcodes) != null) return wrongItem(stop, other.sku);
  }
  const known = lookUp(reading, others) ?? guessLocation(reading, stops);
  if (known?.startsWith("location:")) return wrongLocation(stop, known.slice("location:".length));
  if (known?.startsWith("item:")) return wrongItem(stop, known.slice("item:".length));
  return result("unknown_barcode", "unknown_barcode", { barcode: shown(reading) }, stop.id);
}

/** What other tasks on the phone tell about barcodes: their bins and their items. */
export function knownElsewhere(tasks, taskId) {
  const known = {};
  for (const task of tasks) {
    if (task.id === taskId) continue;
    for (const stop of task.stops || []) {
      if (stop.location_barcode) known[stop.location_barcode] = `location:${stop.location}`;
      for (const barcode of stop.barcodes || []) known[barcode.code] = `item:${stop.sku}`;
    }
  }
  return known;
}

function count(task, stops, stop, units) {
  const total = stop.picked + units;
  // Nothing of an over-pick is counted: never "put N back" for units that were not counted.
  if (total > stop.qty && stop.remaining === 0) {
    return result("over_pick", "over_pick_full", { qty: stop.qty, item: stop.item }, stop.id);
  }
  if (total > stop.qty) {
    return result("over_pick", "over_pick", { units, total, qty: stop.qty, remaining: stop.remaining }, stop.id);
  }
  const fields = { units, item: stop.item, picked: total, qty: stop.qty };
  if (task.type === "sort") {
    const sortFields = { slot: stop.stop.tote_slot, units, sku: stop.sku, order: stop.stop.order };
    return { ...result("match", "sort_slot", sortFields, stop.id, units), message: format(SORT_SLOT_EN, sortFields) };
  }
  const next = stops.find((s) => s.open && s.id !== stop.id);
  if (total < stop.qty) return result("match", "picked", fields, stop.id, units);
  if (!next) return result("match", "task_done", fields, stop.id, units);
  return result("match", "stop_done", { ...fields, next_location: next.location }, stop.id, units);
}

/** A scan meant for a withdrawn stop (its bin or its item, with no open stop taking it): refused, like the server. */
function withdrawnFor(stops, reading) {
  const stop = stops.find((s) => s.withdrawn
    && (sameLabel(reading, s.locationBarcode) || unitsPerScan(reading, s.barcodes) != null));
  return stop ? refused(stop) : null;
}

function refused(stop) {
  const notice = stop.stop.notice || { code: "order_cancelled", params: { order: stop.stop.order || "" } };
  return { verdict: "cancelled", key: `notice_${notice.code}`, fields: notice.params || {},
    message: noticeEnglish(notice), stopId: stop.id, units: 0, notice };
}

function wrongLocation(stop, scanned) {
  return result("wrong_location", "wrong_location", { scanned, location: stop.location }, stop.id);
}

function wrongItem(stop, scanned) {
  return result("wrong_item", "wrong_item", { scanned, sku: stop.sku }, stop.id);
}

function result(verdict, key, fields, stopId, units = 0) {
  return { verdict, key, fields, message: format(MESSAGES_EN[key] ?? "", fields), stopId, units };
}

/** Sorters and packers take items in any order: judge against the open stop this item belongs to. */
function stopForItem(stops, reading) {
  const stop = stops.find((s) => s.open && unitsPerScan(reading, s.barcodes) != null);
  return stop ? stop.id : null;
}

export function unitsPerScan(reading, barcodes) {
  for (const { code, units } of barcodes) {
    if ((reading.gtin && gtin14(code) === reading.gtin) || sameLabel(reading, code)) return units;
  }
  return null;
}

export function sameLabel(reading, barcode) {
  // Our own labels compare ignoring case, like the server: a handheld with caps lock on sends "a03".
  return Boolean(barcode) && reading.text.toLowerCase() === barcode.trim().toLowerCase();
}

function lookUp(reading, others) {
  if (reading.gtin) {
    for (const [code, meaning] of Object.entries(others)) if (gtin14(code) === reading.gtin) return meaning;
  }
  if (reading.text in others) return others[reading.text];
  const hit = Object.entries(others).find(([code]) => sameLabel(reading, code));
  return hit ? hit[1] : null;
}

/** Offline the phone cannot ask for the warehouse's bins, but a label shaped exactly like this task's
 * bin labels (A06-16-2: letter, digits, dashes) is a bin; the server confirms it when the scan syncs. */
function guessLocation(reading, stops) {
  if (reading.kind !== "plain") return null;
  const shapes = new Set(stops.filter((s) => s.locationBarcode).map((s) => shape(s.locationBarcode)));
  const text = reading.text.toUpperCase();
  return shapes.has(shape(text)) && /[A-Z]/.test(text) && /\d/.test(text) ? `location:${text}` : null;
}

function shape(code) {
  return code.toUpperCase().replace(/[A-Z]/g, "A").replace(/\d/g, "9");
}

function shown(reading) {
  const text = reading.text.split(GS).join(" ").trim() || "(empty)";
  return text.length <= MAX_SHOWN_BARCODE ? text : `${text.slice(0, MAX_SHOWN_BARCODE - 1)}…`;
}
