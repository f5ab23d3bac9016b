// The board speaks English and Spanish: every word in both, and the lines the server words mirrored exactly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { BOARD_WORDS, LINES_EN } from "../src/board/board_words.js";
import { sayer } from "../src/board/say.js";

const holes = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("every English word of the board has its Spanish, with the same placeholders", () => {
  const { en, es } = BOARD_WORDS;
  assert.deepEqual(Object.keys(es).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) assert.deepEqual(holes(es[key]), holes(en[key]), key);
  assert.ok(Object.keys(en).length > 100);
});

test("the board's lines mirror domain/board_lines.py MESSAGES word for word", () => {
  const source = readFileSync(new URL("../../backend/baton/domain/board_lines.py", import.meta.url), "utf8");
  const start = source.indexOf("MESSAGES = {");
  const block = source.slice(start, source.indexOf("}\n", start));
  const codes = Object.fromEntries([...source.matchAll(/^(\w+) = "(\w+)"$/gm)].map((m) => [m[1], m[2]]));
  const server = Object.fromEntries([...block.matchAll(/(\w+): "([^"]*)"/g)].map((m) => [`line_${codes[m[1]]}`, m[2]]));
  assert.ok(Object.keys(server).length >= 3);
  assert.deepEqual(LINES_EN, server);
});

test("a server line is worded from its code and params, its codes and numbers in the language", () => {
  const es = sayer("es");
  const en = sayer("en");
  const stalled = { code: "stalled", params: { stage: "on_hold", waited_min: 47 }, message: "stalled in on hold for 47 min" };
  assert.equal(en.line(stalled), stalled.message, "English says what the server says");
  assert.equal(es.line(stalled), "parado en retenido desde hace 47 min");
  const short = { code: "shortage_resolved", message: "x",
    params: { sku: "INK", location: "E02-03", found: 0, expected: 4, resolution: "backordered" } };
  assert.equal(es.line(short), "falta INK en E02-03: había 0 de 4 (pendiente)");
  const scan = { code: "wrong_item", params: { scanned: "PEN", sku: "INK" }, message: "Wrong item: that is PEN — take INK" };
  assert.equal(en.line(scan), scan.message);
  assert.equal(es.line(scan), "Artículo equivocado: eso es PEN — toma INK");
  assert.equal(es.line({ message: "Server words" }), "Server words", "no code: the server's English");
  assert.equal(es.line({ code: "title", message: "Server words" }), "Server words", "a code no line has");
  assert.equal(es("pct", { pct: 97.5 }), "97,5 %");
  assert.equal(en("progress", { done: 1200, total: 1500, stop: 1, stops: 2 }), "1,200/1,500 units, stop 1/2");
  assert.equal(es("task_name", { type: es.code("type_", "pick"), id: 12345 }), "recogida n.º 12345", "an id is a name");
  assert.equal(es.code("reason_", "brand_new"), "brand new");
});
