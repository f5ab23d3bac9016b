// The phone says what the server says: MESSAGES_EN is domain/scanning.py's MESSAGES, word for word.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { MESSAGES_EN, translator } from "../src/strings.js";

const SCANNING = new URL("../../backend/baton/domain/scanning.py", import.meta.url);

test("every server message template is mirrored exactly", () => {
  const source = readFileSync(SCANNING, "utf8");
  const block = source.slice(source.indexOf("MESSAGES = {"), source.indexOf("}\n", source.indexOf("MESSAGES = {")));
  const server = Object.fromEntries([...block.matchAll(/"(\w+)": "([^"]*)"/g)].map((m) => [m[1], m[2]]));
  assert.ok(Object.keys(server).length >= 10);
  assert.deepEqual(MESSAGES_EN, server);
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

test("shortage notices are worded from services/shortages.py NOTICES, in English and in Spanish", async () => {
  const source = readFileSync(new URL("../../backend/baton/services/shortages.py", import.meta.url), "utf8");
  const block = source.slice(source.indexOf("NOTICES = {"), source.indexOf("}\n", source.indexOf("NOTICES = {")));
  const server = Object.fromEntries([...block.matchAll(/"(\w+)": "([^"]*)"/g)].map((m) => [m[1], m[2]]));
  assert.equal(Object.keys(server).length, 3);
  const en = translator("en");
  const es = translator("es");
  for (const [code, words] of Object.entries(server)) {
    assert.equal(en(`notice_${code}`), words, code);
    assert.notEqual(es(`notice_${code}`), `notice_${code}`, code);
    assert.notEqual(es(`notice_${code}`), words, code);
  }
});
