// The phone and the server judge the same scans the same way: each case below is judged by verdict.js here
// and by domain/scanning.py (run with the project's Python), with bin-first on and off.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { judgeScan } from "../src/verdict.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PYTHON = process.env.BATON_PYTHON || `${ROOT}.venv/bin/python`;
const BLUE_PEN = "036000291452";
const BLUE_PEN_CASE = "10036000291459";
const RED_PEN = "4006381333931";

// Python side: the same stops as StopView, judged by judge_scan; answers one verdict per case.
const SERVER = `
import json, sys
from baton.domain.scanning import StopView, TaskView, judge_scan
out = []
for case in json.load(sys.stdin):
    stops = tuple(
        StopView(stop_id=s["id"], location_code=s["location"], location_barcode=s["location_barcode"], sku=s["sku"],
                 qty=s["qty"], picked=s["picked"], short=False, item_barcodes={b["code"]: b["units"] for b in s["barcodes"]},
                 name=s["name"], bin_scanned=s.get("bin_scanned", False), item_scanned=s.get("item_scanned", False),
                 lot=s.get("lot"))
        for s in case["task"]["stops"])
    view = TaskView(task_id=1, stops=stops, bin_first=case["task"]["bin_first"])
    v = judge_scan(view, case["barcode"], qty=case.get("qty"), stop_id=case.get("stopId"))
    out.append({"verdict": v.verdict, "message": v.message, "stopId": v.stop_id, "units": v.units})
print(json.dumps(out))
`;

function stop(id, location, sku, qty, barcodes, more = {}) {
  return { id, seq: id, location, location_barcode: `${location}-1`, sku, qty, picked: 0, short: 0, status: "open",
    name: "", barcodes, ...more };
}

function cases() {
  const list = [];
  for (const binFirst of [true, false]) {
    for (const binScanned of [false, true]) {
      for (const itemScanned of [false, true]) {
        const blue = stop(1, "A05-02", "PEN-BLUE", 24, [{ code: BLUE_PEN, units: 1 }, { code: BLUE_PEN_CASE, units: 12 }],
          { bin_scanned: binScanned, item_scanned: itemScanned, picked: itemScanned ? 1 : 0, name: "Blue pen" });
        const red = stop(2, "A07-01", "PEN-RED", 2, [{ code: RED_PEN, units: 1 }]);
        const task = { id: 1, type: "pick", bin_first: binFirst, stops: [blue, red] };
        for (const [barcode, qty] of [["A05-02-1"], [BLUE_PEN], [BLUE_PEN, 5], [BLUE_PEN, 30], [BLUE_PEN_CASE],
          [BLUE_PEN_CASE, 2], [BLUE_PEN_CASE, 3], [RED_PEN], ["A07-01-1"], ["nonsense"]]) {
          list.push({ task, barcode, ...(qty ? { qty } : {}) });
        }
      }
    }
  }
  // A lot-tracked stop: another lot (GS1 AI 10) is wrong_lot, the right one or a plain GTIN counts.
  const saffron = stop(3, "A02-04", "SAFFRON", 5, [{ code: RED_PEN, units: 1 }], { lot: "L-7", bin_scanned: true });
  const lotTask = { id: 1, type: "pick", bin_first: true, stops: [saffron] };
  for (const barcode of [`(01)0${RED_PEN}(10)L-8`, `(01)0${RED_PEN}(17)270301(10)L-7`, RED_PEN, `]C101${"0" + RED_PEN}10L-8`]) {
    list.push({ task: lotTask, barcode });
  }
  return list;
}

test("phone and server give the same verdict, words and units, bin-first on and off", () => {
  assert.ok(existsSync(PYTHON), `no Python at ${PYTHON}: set BATON_PYTHON`);
  const all = cases();
  const run = spawnSync(PYTHON, ["-c", SERVER], { input: JSON.stringify(all), encoding: "utf8", cwd: ROOT });
  assert.equal(run.status, 0, run.stderr);
  const server = JSON.parse(run.stdout);
  assert.equal(server.length, all.length);
  const seen = new Set();
  all.forEach((c, i) => {
    const phone = judgeScan(c.task, c.barcode, { qty: c.qty ?? null });
    const mine = { verdict: phone.verdict, message: phone.message, stopId: phone.stopId, units: phone.units };
    assert.deepEqual(mine, server[i], JSON.stringify({ binFirst: c.task.bin_first, barcode: c.barcode, qty: c.qty,
      stop: c.task.stops[0] }));
    seen.add(`${c.task.bin_first}:${phone.verdict}`);
  });
  // The cases do reach the rules they are about, both ways.
  for (const expected of ["true:wrong_location", "true:wrong_item", "true:match", "false:match", "true:over_pick"]) {
    assert.ok(seen.has(expected), expected);
  }
});
