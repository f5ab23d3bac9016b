/** Receiving on the phone, decided locally: which PO line a scan is, how many units it counts, and the draft
 * receipt (one entry per SKU × lot × damaged) whose counts scans raise and typed numbers set. */

import { readBarcode } from "./gs1.js";

/** What a scan at the dock is: a PO's number ({po}), an item of this PO's lines ({line, units, lot, expiry}),
 * or nothing known (null). A case barcode counts its units; a GS1 count (AI 30/37) counts that many. */
export function readDockScan(code, pos, current) {
  const raw = (code || "").trim();
  const po = pos.find((p) => p.number === raw);
  if (po) return { po };
  if (!current) return null;
  const reading = readBarcode(raw);
  for (const line of current.lines) {
    for (const barcode of line.barcodes) {
      const same = barcode.code === raw || barcode.code === reading.text || (reading.gtin && barcode.gtin === reading.gtin);
      if (same) {
        const units = reading.count ?? barcode.units;
        return { line, units, caseUnits: barcode.units > 1 ? barcode.units : null, lot: reading.lot ?? null, expiry: reading.expiry ?? null };
      }
    }
  }
  return null;
}

export function entryKey(entry) {
  return [entry.sku, entry.lot || "", entry.expiry || "", entry.damaged ? entry.reason : ""].join("|");
}

/** The draft with `units` more of the scanned entry (created at 0 when new): a scan counts, visibly. */
export function countScan(entries, entry, units) {
  const key = entryKey(entry);
  const found = entries.find((e) => entryKey(e) === key);
  if (found) return entries.map((e) => (entryKey(e) === key ? { ...e, qty: e.qty + units } : e));
  return [...entries, { ...entry, qty: units }];
}

/** The draft with one entry's count SET to what was typed: never added to what the scans counted. */
export function setCount(entries, key, qty) {
  return entries.map((e) => (entryKey(e) === key ? { ...e, qty: Math.max(0, qty) } : e));
}

/** Good units per SKU in the draft. */
export function goodUnits(entries) {
  const units = {};
  for (const e of entries) if (!e.damaged) units[e.sku] = (units[e.sku] || 0) + e.qty;
  return units;
}

/** The receipt's body: entries with units only. */
export function receiptBody(entries) {
  return {
    lines: entries.filter((e) => e.qty > 0).map((e) => ({
      sku: e.sku, qty: e.qty,
      ...(e.lot ? { lot: e.lot } : {}), ...(e.expiry ? { expiry: e.expiry } : {}),
      ...(e.damaged ? { damaged: true, reason: e.reason } : {}),
    })),
  };
}
