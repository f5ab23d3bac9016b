// The office's floor pages (waves, tasks, stock) say everything in English and in Spanish.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FLOOR_WORDS } from "../src/office/pages/floor_words.js";

test("every English word of the floor pages has its Spanish, with the same placeholders", () => {
  const { en, es } = FLOOR_WORDS;
  assert.deepEqual(Object.keys(es).sort(), Object.keys(en).sort());
  const holes = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of Object.keys(en)) assert.deepEqual(holes(es[key]), holes(en[key]), key);
});
