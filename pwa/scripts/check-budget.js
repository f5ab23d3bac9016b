// Fails the build when the JavaScript a phone must load before the first screen grows past the budget:
// the entry script named by dist/index.html plus every chunk it imports statically (lazy chunks excluded).
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const BUDGET_KB = 60;
const dist = new URL("../dist/", import.meta.url).pathname;
const html = readFileSync(join(dist, "index.html"), "utf8");
const entries = [...html.matchAll(/<script[^>]+type="module"[^>]+src="\/([^"]+)"/g)].map((m) => m[1]);
const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+)"/g)].map((m) => m[1]);

const seen = new Set();
function visit(file) {
  if (seen.has(file)) return;
  seen.add(file);
  const code = readFileSync(join(dist, file), "utf8");
  // Static imports only: `import{a}from"./x.js"` / `import"./x.js"`; `import("./x.js")` is lazy and skipped.
  for (const m of code.matchAll(/(?:^|[;\s}])import\s*(?:[\w${},*\s]+from\s*)?["'](\.\/[^"']+\.js)["']/g)) {
    visit(join(file, "..", m[1]));
  }
}
[...entries, ...preloads].forEach(visit);

let total = 0;
for (const file of seen) {
  const size = gzipSync(readFileSync(join(dist, file))).length;
  total += size;
  console.log(`initial  ${file}  ${(size / 1024).toFixed(1)} KB gz`);
}
console.log(`initial JS before the first screen: ${(total / 1024).toFixed(1)} KB gz (budget ${BUDGET_KB} KB)`);
if (total > BUDGET_KB * 1024) {
  console.error("Over budget: lazy-load what the first screen does not need.");
  process.exit(1);
}
