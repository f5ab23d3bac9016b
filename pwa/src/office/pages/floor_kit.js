/** What the floor pages (waves, tasks, stock) share: their words in English and Spanish, labelled fields whose
 * errors show beside them, tables that become cards on a phone, and writes with an Idempotency-Key per form. */
import "./floor.css";
import { request } from "../../api.js";
import { h } from "../../ui.js";
import { fieldErrors, fieldName, plainError } from "../../staff/words.js";
import { FLOOR_WORDS } from "./floor_words.js";

export const LANG = (navigator.language || "en").toLowerCase().startsWith("es") ? "es" : "en";

/** A word of these pages in the browser's language: w("trip_n", {n: 2}). */
export function w(key, params = {}) {
  const template = FLOOR_WORDS[LANG][key] ?? FLOOR_WORDS.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

/** A fresh Idempotency-Key: one per form, kept across retries, renewed after the form succeeded. */
export const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

/** A write as the office makes it, with the form's key; resolves with the body. */
export async function send(method, path, body, key) {
  return (await request(method, path, body, { timeoutMs: 30000, key })).data;
}

export const getPage = (path) => request("GET", path, undefined, { timeoutMs: 30000 });
export const get = async (path) => (await getPage(path)).data;

/** The warehouses the signed-in user may pick (everyone gets the list; the server refuses the others). */
export async function warehouseCodes() {
  const data = await get("/warehouses");
  return (Array.isArray(data) ? data : data.items || []).map((x) => x.code);
}

let seq = 0;
/**
 * A form of labelled fields. `fields`: [[name, label, input]]; `onsubmit(values)` returns what to say when it
 * worked or throws the API error, which lands beside the field it names (details.fields or details.field),
 * else in the form's alert.
 */
export function floorForm({ testid, title, fields, submit, onsubmit, extra = [] }) {
  const n = ++seq;
  const alert = h("p", { role: "alert", class: "staff-error", testid: `${testid}-error` });
  const done = h("p", { role: "status", class: "floor-done", testid: `${testid}-done` });
  const boxes = {};
  const rows = fields.map(([name, label, input]) => {
    const id = `f${n}-${name}`;
    const err = h("span", { id: `${id}-error`, class: "staff-error field-error", testid: "field-error", "data-field": name });
    Object.assign(input, { id });
    input.setAttribute("aria-describedby", `${id}-error`);
    if (!input.dataset.testid) input.dataset.testid = `${testid}-${name}`;
    boxes[name] = { input, err };
    return h("div", { class: input.type === "checkbox" ? "check" : "" }, h("label", { for: id }, label), input, err);
  });
  const clear = () => {
    alert.textContent = "";
    done.textContent = "";
    for (const { input, err } of Object.values(boxes)) { err.textContent = ""; input.removeAttribute("aria-invalid"); }
  };
  const show = (error) => {
    const unplaced = [];
    const mark = (name, message) => {
      const box = boxes[name] || boxes[name.split(".")[0]];
      if (!box) { unplaced.push(`${fieldName(name)}: ${message}`); return; }
      box.err.textContent = `${box.err.textContent} ${message}`.trim();
      box.input.setAttribute("aria-invalid", "true");
    };
    // A list's filters come back under "query." (webargs' location): the field is the same.
    for (const [path, message] of Object.entries(fieldErrors(error.details?.fields || {}))) {
      mark(path.replace(/^(query|json)\./, ""), message);
    }
    if (error.details?.field && !error.details?.fields) mark(error.details.field, error.message);
    const first = Object.values(boxes).find(({ input }) => input.hasAttribute("aria-invalid"))?.input;
    const parts = first ? [w("check_marked"), ...unplaced] : unplaced.length ? unplaced : [plainError(error)];
    alert.textContent = `${w("not_done")}: ${parts.join(" ")}`;
    first?.focus();
  };
  const values = () => Object.fromEntries(Object.entries(boxes).map(([k, { input }]) =>
    [k, input.type === "checkbox" ? input.checked : input.value.trim()]));
  const form = h("form", { class: "staff-form floor-form", testid, novalidate: true, "aria-labelledby": `f${n}-h`,
    onsubmit: async (event) => {
      event.preventDefault();
      clear();
      button.disabled = true;
      try { done.textContent = (await onsubmit(values(), { show })) || ""; } catch (error) { show(error); }
      finally { button.disabled = false; }
    } },
  h("h3", { id: `f${n}-h` }, title), rows, extra,
  h("div", { class: "actions" }, h("button", { type: "submit", testid: `${testid}-submit` }, submit)), alert, done);
  const button = form.querySelector("button[type=submit]");
  return { form, boxes, show, clear };
}

export const input = (attrs = {}) => h("input", { autocomplete: "off", ...attrs });
export const select = (options, attrs = {}) => h("select", attrs,
  options.map(([value, label]) => h("option", { value, selected: attrs.value === value }, label)));

/** A table that turns into labelled cards below 600 px (floor.css): columns [[header, cell]]. */
export function cards(caption, columns, rows, rowAttrs = () => ({})) {
  return h("table", { class: "staff-table floor-cards" },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, columns.map(([name]) => h("th", { scope: "col" }, name)))),
    h("tbody", {}, rows.map((row) => h("tr", rowAttrs(row),
      columns.map(([name, cell]) => h("td", { "data-label": name }, cell(row)))))));
}

export const when = (iso) => (iso ? new Date(iso).toLocaleString(LANG) : "—");
export const metres = (m) => `${Number(m || 0).toLocaleString(LANG, { maximumFractionDigits: 1 })} m`;
