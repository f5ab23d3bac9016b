// Receiving on the phone: case barcodes count their units, GS1 lot and expiry split the count, a typed number
// sets a count and never adds to it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { countScan, entryKey, goodUnits, readDockScan, receiptBody, setCount } from "../src/receiving.js";
import { gs1Date } from "../src/gs1.js";

const GS = "\x1d";
const CUMIN = "036000291452"; // UPC-A of one jar
const CUMIN_CASE = "10036000291459"; // ITF-14 of a case of 12
const po = {
  id: 3, number: "PO-000003", supplier: "Spice Route",
  lines: [{ sku: "CUMIN", name: "Cumin", ordered: 100, received: 0, allowed: 105,
    barcodes: [{ code: CUMIN, units: 1, gtin: "00036000291452" }, { code: CUMIN_CASE, units: 12, gtin: CUMIN_CASE }] }],
};

test("the PO's barcode opens the PO", () => {
  assert.equal(readDockScan("PO-000003", [po], null).po, po);
});

test("a unit barcode counts one, a case barcode its units", () => {
  assert.equal(readDockScan(CUMIN, [po], po).units, 1);
  const seen = readDockScan(CUMIN_CASE, [po], po);
  assert.equal(seen.units, 12);
  assert.equal(seen.caseUnits, 12);
});

test("a GS1 label gives the GTIN, the lot and the expiry; a count AI counts that many", () => {
  const seen = readDockScan(`]C10100036000291452172704301${"0"}L-0425${GS}3024`, [po], po);
  assert.equal(seen.line.sku, "CUMIN");
  assert.equal(seen.lot, "L-0425");
  assert.equal(seen.expiry, "2027-04-30");
  assert.equal(seen.units, 24);
  assert.equal(readDockScan("(01)00036000291452(17)270400(10)B7", [po], po).expiry, "2027-04-30");
});

test("GS1 dates: day 00 is the month's last day, nonsense is no date", () => {
  assert.equal(gs1Date("280200"), "2028-02-29");
  assert.equal(gs1Date("271301"), null);
});

test("an unknown barcode is nothing on this PO", () => {
  assert.equal(readDockScan("4006381333931", [po], po), null);
});

test("scans raise a count, a typed number sets it, lots stay apart, damaged units are not good units", () => {
  const jar = { sku: "CUMIN", lot: "A", expiry: null, damaged: false, reason: "" };
  let entries = countScan([], jar, 12);
  entries = countScan(entries, jar, 1);
  assert.equal(entries[0].qty, 13);
  entries = setCount(entries, entryKey(jar), 10);
  assert.equal(entries[0].qty, 10);
  entries = countScan(entries, { ...jar, lot: "B" }, 5);
  entries = countScan(entries, { ...jar, damaged: true, reason: "crushed" }, 2);
  assert.deepEqual(goodUnits(entries), { CUMIN: 15 });
  assert.deepEqual(receiptBody(entries).lines, [
    { sku: "CUMIN", qty: 10, lot: "A" },
    { sku: "CUMIN", qty: 5, lot: "B" },
    { sku: "CUMIN", qty: 2, lot: "A", damaged: true, reason: "crushed" },
  ]);
});
