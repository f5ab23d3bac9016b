// The phone's verdict mirrors domain/scanning.py: the same cases as tests/domain/test_scanning.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { currentStop, judgeScan, knownElsewhere, taskComplete } from "../src/verdict.js";
import { readBarcode } from "../src/gs1.js";

const BLUE_PEN = "036000291452"; // UPC-A
const BLUE_PEN_CASE = "10036000291459"; // a case of 12
const RED_PEN = "4006381333931";

function stop(id, location, sku, qty, { picked = 0, short = 0, status = "open", barcodes = [], name = "", ...more } = {}) {
  return { id, seq: id, location, location_barcode: `${location}-1`, sku, qty, picked, short, status, barcodes, name,
    tote_slot: id, order: `SO-${id}`, ...more };
}

const bluePens = (opts = {}) => stop(1, "A05-02", "PEN-BLUE", 3,
  { barcodes: [{ code: BLUE_PEN, units: 1 }, { code: BLUE_PEN_CASE, units: 12 }], name: "Blue pen", ...opts });
const redPens = (opts = {}) => stop(2, "A07-01", "PEN-RED", 2, { barcodes: [{ code: RED_PEN, units: 1 }], name: "Red pen", ...opts });
const pick = (...stops) => ({ id: 7, type: "pick", stops });

test("the bin label confirms the bin and says what to take", () => {
  const v = judgeScan(pick(bluePens(), redPens()), "A05-02-1");
  assert.equal(v.verdict, "match");
  assert.equal(v.units, 0);
  assert.equal(v.message, "Bin A05-02 confirmed — take 3 × Blue pen");
});

test("bin labels compare ignoring case", () => {
  assert.equal(judgeScan(pick(bluePens()), "a05-02-1").verdict, "match");
});

test("an item scan counts one unit; the last one names the next bin", () => {
  assert.equal(judgeScan(pick(bluePens(), redPens()), BLUE_PEN).message, "Got 1 × Blue pen — 1 of 3");
  const last = judgeScan(pick(bluePens({ picked: 2 }), redPens()), BLUE_PEN);
  assert.equal(last.message, "Got 1 × Blue pen — 3 of 3, next bin A07-01");
  assert.equal(judgeScan(pick(bluePens({ picked: 2 })), BLUE_PEN).message, "Got 1 × Blue pen — 3 of 3, all stops done");
});

test("the same GTIN in another form (EAN-13 of a UPC-A) is the same item", () => {
  assert.equal(judgeScan(pick(bluePens()), "0036000291452").units, 1);
  assert.equal(judgeScan(pick(bluePens()), "]E00036000291452").units, 1);
});

test("a case bigger than what is left counts nothing and says what is left to take", () => {
  const v = judgeScan(pick(bluePens()), BLUE_PEN_CASE);
  assert.equal(v.verdict, "over_pick");
  assert.equal(v.message, "Too many: 12 would make 12 of 3 — nothing counted, 3 to take");
});

test("a typed count too big never says put back when nothing was counted", () => {
  const v = judgeScan(pick(bluePens()), BLUE_PEN, { qty: 4 });
  assert.equal(v.verdict, "over_pick");
  assert.ok(!v.message.includes("back"), v.message);
  const full = judgeScan(pick(bluePens({ picked: 3, status: "done" }), redPens()), BLUE_PEN, { stopId: 1 });
  assert.equal(full.message, "Too many: all 3 × Blue pen already counted — put it back");
});

test("bin-first: an item before its bin label is refused, then counted once the bin is scanned", () => {
  const task = { ...pick(bluePens(), redPens()), bin_first: true };
  const refused = judgeScan(task, BLUE_PEN);
  assert.deepEqual([refused.verdict, refused.key, refused.units], ["wrong_location", "bin_first", 0]);
  assert.equal(refused.message, "Scan the bin first: A05-02, then the item");
  const scanned = { ...task, stops: [bluePens({ bin_scanned: true }), redPens()] };
  assert.deepEqual([judgeScan(scanned, BLUE_PEN).verdict, judgeScan(scanned, BLUE_PEN).units], ["match", 1]);
});

test("bin-first: a typed count needs one unit scanned at the stop, or whole cases", () => {
  const task = { ...pick(bluePens({ qty: 24, bin_scanned: true })), bin_first: true };
  const refused = judgeScan(task, BLUE_PEN, { qty: 24 });
  assert.deepEqual([refused.verdict, refused.key], ["wrong_item", "count_first"]);
  assert.equal(refused.message, "Scan one Blue pen first, then type the count");
  assert.equal(judgeScan(task, BLUE_PEN_CASE, { qty: 2 }).units, 24);
  const after = { ...task, stops: [bluePens({ qty: 24, picked: 1, bin_scanned: true, item_scanned: true })] };
  assert.equal(judgeScan(after, BLUE_PEN, { qty: 23 }).units, 23);
});

test("bin-first off: the item and a typed count count as before", () => {
  assert.equal(judgeScan(pick(bluePens()), BLUE_PEN).units, 1);
  assert.equal(judgeScan(pick(bluePens({ qty: 24 })), BLUE_PEN, { qty: 24 }).units, 24);
});

test("a typed count multiplies the scan", () => {
  const v = judgeScan(pick(bluePens()), BLUE_PEN, { qty: 3 });
  assert.deepEqual([v.verdict, v.units], ["match", 3]);
});

test("GS1 AI 30 carries a count", () => {
  const v = judgeScan(pick(bluePens()), "(01)00036000291452(30)2");
  assert.deepEqual([v.verdict, v.units], ["match", 2]);
});

test("another stop's bin is the wrong bin, with both codes", () => {
  const v = judgeScan(pick(bluePens(), redPens()), "A07-01-1");
  assert.equal(v.verdict, "wrong_location");
  assert.equal(v.message, "Wrong bin: you scanned A07-01 — go to A05-02");
});

test("another stop's item is the wrong item", () => {
  const v = judgeScan(pick(bluePens(), redPens()), RED_PEN);
  assert.equal(v.message, "Wrong item: that is PEN-RED — take PEN-BLUE");
});

test("a bin shaped like this trip's bins is a wrong bin even offline", () => {
  const v = judgeScan(pick(bluePens()), "A03-07-1");
  assert.equal(v.message, "Wrong bin: you scanned A03-07-1 — go to A05-02");
});

test("what other tasks on the phone know counts too", () => {
  const other = { id: 8, type: "pick", stops: [stop(9, "B01-01", "STAPLER", 1, { barcodes: [{ code: "96385074", units: 1 }] })] };
  const task = pick(bluePens());
  const v = judgeScan(task, "96385074", { others: knownElsewhere([task, other], task.id) });
  assert.equal(v.message, "Wrong item: that is STAPLER — take PEN-BLUE");
});

test("anything else is unknown, shown short", () => {
  const v = judgeScan(pick(bluePens()), "hello");
  assert.equal(v.verdict, "unknown_barcode");
  assert.equal(v.message, "Unknown barcode hello — scan the bin label or the item");
  assert.ok(judgeScan(pick(bluePens()), "x".repeat(50)).message.includes(`${"x".repeat(31)}…`));
});

test("a short stop is skipped and a finished trip is over-picked", () => {
  const task = pick(bluePens({ short: 3, status: "short" }), redPens());
  assert.equal(currentStop(task).id, 2);
  const done = pick(bluePens({ picked: 3, status: "done" }));
  assert.ok(taskComplete(done));
  assert.equal(judgeScan(done, BLUE_PEN).message, "All stops done — nothing left to pick");
});

test("a bin already emptied by the picker says so", () => {
  const task = pick(bluePens({ picked: 3, status: "done" }), redPens());
  const v = judgeScan(task, "A05-02-1", { stopId: 1 });
  assert.equal(v.message, "Bin A05-02: all 3 × Blue pen already taken");
});

test("sort tasks take items in any order and answer with the slot", () => {
  const sort = { id: 9, type: "sort", stops: [
    { ...stop(1, null, "PEN-BLUE", 2, { barcodes: [{ code: BLUE_PEN, units: 1 }] }), location_barcode: null, tote_slot: 3 },
    { ...stop(2, null, "PEN-RED", 1, { barcodes: [{ code: RED_PEN, units: 1 }] }), location_barcode: null, tote_slot: 4 },
  ] };
  const v = judgeScan(sort, RED_PEN);
  assert.equal(v.stopId, 2);
  assert.equal(v.message, "Slot 4: 1 × PEN-RED for SO-2");
});

test("readBarcode mirrors the server's reading", () => {
  assert.equal(readBarcode("036000291452").gtin, "00036000291452");
  assert.equal(readBarcode("036000291453").kind, "plain"); // bad check digit
  assert.equal(readBarcode("10ABC").kind, "plain");
  const gs1 = readBarcode("0100036000291452\x1d10LOT7\x1d3012");
  assert.equal(gs1.text, "(01)00036000291452(10)LOT7(30)12");
  assert.equal(gs1.count, 12);
  assert.equal(readBarcode("\x1d0100036000291452").gtin, "00036000291452");
  assert.equal(readBarcode("https://id.example.com/01/00036000291452").gtin, "00036000291452");
});

test("a scan on a withdrawn stop is refused with cancelled and counts nothing, in the phone's words", () => {
  const notice = { code: "order_cancelled", params: { order: "SO-000015", by: "office" }, message: "SO-000015 was cancelled by the office" };
  const task = pick(bluePens({ status: "cancelled" }), redPens());
  task.stops[0] = { ...task.stops[0], notice, order: "SO-000015" };
  const item = judgeScan(task, task.stops[0].barcodes[0].code);
  assert.deepEqual([item.verdict, item.units, item.stopId], ["cancelled", 0, task.stops[0].id]);
  assert.equal(item.message, "SO-000015 was cancelled by the office");
  const named = judgeScan(task, "anything", { stopId: task.stops[0].id });
  assert.equal(named.verdict, "cancelled");
  assert.equal(currentStop(task).id, task.stops[1].id); // the trip goes on without it
});
