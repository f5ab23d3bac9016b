// The pack bench says packing words: a packer's extra scan is not "nothing left to pick".
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { PACK_KEYS, packWords } from "../src/pack_words.js";
import { MESSAGES_EN, translator } from "../src/strings.js";

test("every picking verdict a packer can get has packing words in English and Spanish", () => {
  const en = translator("en");
  const es = translator("es");
  for (const key of Object.keys(MESSAGES_EN)) {
    const fields = { units: 1, item: "Kettle", picked: 1, qty: 2, total: 3, extra: 1, scanned: "X", sku: "K",
      location: "E01-05", remaining: 1, next_location: "E02-01", barcode: "123" };
    const said = packWords({ key, fields });
    assert.notEqual(said.key, key, key);
    for (const t of [en, es]) {
      const words = t(said.key, said.fields);
      assert.doesNotMatch(words, /\{\w+\}|pick|tomar|toma |next bin|siguiente/i, `${key}: ${words}`);
    }
  }
  assert.equal(en(packWords({ key: "all_done", fields: {} }).key), "Everything is checked — weigh and close the parcel");
  assert.equal(es(packWords({ key: "all_done", fields: {} }).key), "Todo revisado — pesa y cierra el bulto");
});

test("the phone rewords a pack scan exactly as the server does (domain/scanning.py PACK_WORDS)", () => {
  const source = readFileSync(new URL("../../backend/baton/domain/scanning.py", import.meta.url), "utf8");
  const start = source.indexOf("PACK_WORDS = {");
  const block = source.slice(start, source.indexOf("}\n", start));
  const server = Object.fromEntries([...block.matchAll(/"(\w+)": "(\w+)"/g)].map((m) => [m[1], m[2]]));
  assert.deepEqual(PACK_KEYS, server);
});
