/** The board's language: the one chosen on this browser's phone app (kept in its IndexedDB, db.js), else the
 * browser's; and the board's words, numbers and times in it. */
import { openDatabase } from "../db.js";
import { browserLang } from "../langs.js";
import { BENCH_MESSAGES_EN, MESSAGES_EN } from "../scan_words.js";
import { BOARD_WORDS, LINES_EN } from "./board_words.js";

/** The phone app's language choice, shared by every page of this origin. */
export async function chosenLang() {
  try {
    const kept = await (await openDatabase()).get("lang");
    if (kept in BOARD_WORDS) return kept;
  } catch {
    // no IndexedDB (a private window): the browser's language
  }
  return browserLang();
}

export async function keepLang(lang) {
  await (await openDatabase()).set("lang", lang);
}

// A line's params that are codes, worded in the language: a stage, how a shortage was resolved.
const CODED_PARAMS = { stage: "line_stage_", resolution: "resolution_" };
const SCAN_CODES = new Set([...Object.keys(MESSAGES_EN), ...Object.keys(BENCH_MESSAGES_EN)]);

/** say(key, params) in one language, with say.number, say.time, say.hour, say.code and say.line. Numbers in
 * params are written the language's way (an `id` is a name, left alone); the formatters are made once. */
export function sayer(lang) {
  const table = BOARD_WORDS[lang] || BOARD_WORDS.en;
  const numbers = new Intl.NumberFormat(lang);
  const clock = new Intl.DateTimeFormat(lang, { timeStyle: "medium" });
  const hours = new Intl.DateTimeFormat(lang, { hour: "numeric", minute: "2-digit" });
  // A whole number under 1000 reads the same in every language the board speaks: no Intl call per pushed scan.
  const number = (n) => (typeof n !== "number" ? n
    : Number.isInteger(n) && n >= 0 && n < 1000 ? String(n) : numbers.format(n));
  // Each template split once into its text and holes ("a {b} c" → ["a ", "b", " c"]): a pushed scan's row
  // label is a few joins, not a regular expression and a copy of its params.
  const pieces = new Map();
  const say = (key, params) => {
    const template = table[key] ?? BOARD_WORDS.en[key] ?? key;
    if (!params) return template;
    let parts = pieces.get(template);
    if (!parts) pieces.set(template, (parts = template.split(/\{(\w+)\}/)));
    let out = parts[0];
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i];
      const value = !(name in params) ? `{${name}}` : name === "id" ? params[name] : number(params[name]);
      out += String(value) + parts[i + 1];
    }
    return out;
  };
  /** A code's word (`prefix` + code), or the code itself in plain letters when the board has no word for it. */
  say.code = (prefix, code) => table[prefix + code] ?? BOARD_WORDS.en[prefix + code]
    ?? String(code ?? "").replaceAll("_", " ");
  say.lang = table === BOARD_WORDS[lang] ? lang : "en";
  say.number = number;
  say.time = (at) => clock.format(new Date(at));
  say.hour = (at) => hours.format(new Date(at));
  /** A server line ({code, params, message}: a feed item, a stalled order) in the language; the server's
   * English when the code is one the board does not know (or the item has none). */
  say.line = (item) => {
    const code = item?.code;
    const key = `line_${code}` in LINES_EN ? `line_${code}` : SCAN_CODES.has(code) ? code : null;
    if (!key) return item?.message || "";
    const params = { ...item.params };
    for (const [name, prefix] of Object.entries(CODED_PARAMS)) {
      if (typeof params[name] === "string") params[name] = table[prefix + params[name]] ?? params[name];
    }
    return say(key, params);
  };
  return say;
}
