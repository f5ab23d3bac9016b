// The phone says what the server says: MESSAGES_EN is domain/scanning.py's MESSAGES, word for word.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { BENCH_MESSAGES_EN, MESSAGES_EN, translator } from "../src/strings.js";

const SCANNING = new URL("../../backend/baton/domain/scanning.py", import.meta.url);

test("every server message template is mirrored exactly", () => {
  const source = readFileSync(SCANNING, "utf8");
  const block = source.slice(source.indexOf("MESSAGES = {"), source.indexOf("}\n", source.indexOf("MESSAGES = {")));
  const server = Object.fromEntries([...block.matchAll(/"(\w+)": "([^"]*)"/g)].map((m) => [m[1], m[2]]));
  assert.ok(Object.keys(server).length >= 10);
  assert.deepEqual(MESSAGES_EN, server);
});

test("the pack bench's and sort wall's words mirror the server's BENCH_MESSAGES exactly", () => {
  const source = readFileSync(SCANNING, "utf8");
  const start = source.indexOf("BENCH_MESSAGES = {");
  const block = source.slice(start, source.indexOf("}\n", start));
  const server = Object.fromEntries([...block.matchAll(/"(\w+)": "([^"]*)"/g)].map((m) => [m[1], m[2]]));
  assert.ok(Object.keys(server).length >= 8);
  assert.deepEqual(BENCH_MESSAGES_EN, server);
});

test("Spanish has every key English has, with the same placeholders", () => {
  const en = translator("en");
  const es = translator("es");
  for (const key of Object.keys(MESSAGES_EN)) {
    const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(names(es(key)), names(MESSAGES_EN[key]), key);
    assert.notEqual(es(key), en(key), key);
  }
});

test("notice words mirror domain/notices.py and are worded in Spanish, who did it included", async () => {
  const { NOTICES_EN, noticeText } = await import("../src/strings.js");
  const source = readFileSync(new URL("../../backend/baton/domain/notices.py", import.meta.url), "utf8");
  const start = source.indexOf("MESSAGES = {");
  const block = source.slice(start, source.indexOf("}\n", start));
  const codes = Object.fromEntries([...source.matchAll(/^(\w+) = "(\w+)"$/gm)].map((m) => [m[1], m[2]]));
  const server = Object.fromEntries([...block.matchAll(/(\w+): "([^"]*)"/g)].map((m) => [`notice_${codes[m[1]]}`, m[2]]));
  assert.deepEqual(NOTICES_EN, server);
  const notice = { code: "order_cancelled", params: { order: "SO-000015", by: "office" }, message: "x" };
  assert.equal(noticeText(translator("en"), notice), "SO-000015 was cancelled by the office");
  assert.equal(noticeText(translator("es"), notice), "SO-000015 fue cancelado por la oficina");
  assert.equal(noticeText(translator("es"), { code: "brand_new", params: {}, message: "Server words" }), "Server words");
});

test("server errors the phone knows are worded in its language; others keep the server's words", async () => {
  const { errorText } = await import("../src/strings.js");
  const closed = { code: "task_closed", message: "Task 3 is done; its scans can no longer count.", details: {} };
  assert.equal(errorText(translator("es"), closed), "La tarea está cerrada en el servidor: sus escaneos ya no cuentan.");
  const found = { code: "invalid_found", message: "x", details: { picked: 2, qty: 5 } };
  assert.equal(errorText(translator("en"), found), "Found must be at least 2 and less than 5.");
  assert.equal(errorText(translator("es"), { code: "brand_new", message: "Server words" }), "Server words");
});

test("every notice is worded in Spanish too, with the same placeholders", async () => {
  const { NOTICES_EN } = await import("../src/strings.js");
  const es = translator("es");
  const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const [key, english] of Object.entries(NOTICES_EN)) {
    assert.notEqual(es(key), english, key);
    assert.deepEqual(names(es(key)), names(english), key);
  }
  assert.equal(es("notice_stop_added", { locations: "A11-09-1", after: "A06-16" }),
    "1 parada añadida: A11-09-1, después de A06-16");
});
