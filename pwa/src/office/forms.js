/** The office's create/edit form engine: fields from a spec, errors shown beside the field they concern. */
import { h } from "../ui.js";
import { api } from "../staff/staff.js";
import { redraw, say } from "./shell.js";
import { fieldErrors, fieldName, plainError } from "../staff/words.js";

// Field specs: path (dotted for nested), label; create/edit: shown when creating / editing (PATCH accepts it);
// options: a <select>; check: a checkbox; nullable: blank sends null; optional: blank is left out;
// integer: a whole number is sent as a number (anything else as typed, for the server to explain).
export const F = (path, label, opts = {}) => ({ path, label, create: true, edit: false, ...opts });

const dig = (obj, path) => path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
const hookName = (one, path) => `${one}-${path.replace(/[._]/g, "-")}`;

/** `spec` describes a kind of record (see pages/master.js); `record` is the one being edited, or null. */
export function masterForm(spec, record, warehouses) {
  const editing = record !== null;
  const one = spec.one;
  const values = editing ? record : spec.blank;
  const alert = h("p", { role: "alert", testid: "form-error", class: "staff-error" });
  const errors = {}; // path → error <span>
  const errorSpan = (path, id) => (errors[path] = h("span", { id, class: "staff-error field-error", testid: "field-error",
    "data-field": path }));
  const inputs = {};
  const rows = [];
  for (const f of spec.fields.filter((x) => (editing ? x.edit : x.create))) {
    const id = `m-${hookName(one, f.path)}`;
    const testid = hookName(one, f.path);
    const value = dig(values, f.path);
    let input;
    if (f.check) input = h("input", { type: "checkbox", checked: f.defaultOff ? value === true : value !== false, testid });
    else if (f.options || f.warehouses) {
      const opts = f.warehouses ? ["", ...warehouses.map((w) => w.code)] : f.options;
      input = h("select", { testid }, opts.map((o) => h("option", { value: o, selected: (value ?? "") === o },
        o === "" ? "none" : o)));
    } else {
      input = h("input", { type: f.type || "text", value: value ?? "", testid, autocomplete: "off",
        required: !(f.optional || f.nullable) ? true : undefined,
        inputmode: f.decimal ? "decimal" : f.numeric || f.integer ? "numeric" : undefined });
    }
    Object.assign(input, { id });
    input.setAttribute("aria-describedby", `${id}-error`);
    inputs[f.path] = { f, input };
    rows.push(h("div", { class: f.check ? "check" : "" }, h("label", { for: id }, f.label), input, errorSpan(f.path, `${id}-error`)));
  }
  const barcodes = spec.barcodes && !editing ? barcodeRows() : null;
  const clear = () => {
    alert.textContent = "";
    for (const el of Object.values(errors)) el.textContent = "";
    for (const { input } of Object.values(inputs)) input.removeAttribute("aria-invalid");
    barcodes?.clear();
  };
  const body = () => {
    const out = {};
    for (const [path, { f, input }] of Object.entries(inputs)) {
      let v = f.check ? input.checked : input.value.trim();
      if (v === "" && f.nullable) v = null;
      else if (v === "" && (f.optional || (editing && f.path === "display_name"))) continue;
      else if (f.integer && /^\d+$/.test(v)) v = Number(v);
      const keys = path.split(".");
      let o = out;
      for (const k of keys.slice(0, -1)) o = o[k] ||= {};
      o[keys.at(-1)] = v;
    }
    if (!editing && out.warehouse === null) delete out.warehouse;
    if (!editing && spec.extra) Object.assign(out, spec.extra);
    if (barcodes) out.barcodes = barcodes.value();
    return out;
  };
  const showErrors = (err) => {
    if (barcodes && ["invalid_barcode", "barcode_taken", "duplicate_barcode"].includes(err.code)) {
      barcodes.blame(err.details?.barcode, err.message);
    }
    const unplaced = [];
    for (const [path, message] of Object.entries(fieldErrors(err.details?.fields || {}))) {
      if (barcodes?.show(path, message)) continue;
      if (errors[path]) {
        errors[path].textContent = message;
        inputs[path]?.input.setAttribute("aria-invalid", "true");
      } else {
        unplaced.push(`${fieldName(path)}: ${message}`);
      }
    }
    const first = barcodes?.first() || Object.values(inputs).find(({ input }) => input.hasAttribute("aria-invalid"))?.input;
    // The field says why; the alert only says where to look, or what no field explains.
    const parts = first ? ["check the marked fields.", ...unplaced] : unplaced.length ? unplaced : [plainError(err)];
    alert.textContent = `Not saved: ${parts.join(" ")}`;
    first?.focus();
  };
  const title = editing ? `Edit ${one} ${(spec.label || spec.key)(record)}` : `New ${one}`;
  return h("form", { class: "staff-form master-form", testid: `${one}-form`, "data-mode": editing ? "edit" : "create",
    "aria-labelledby": "master-form-h", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      clear();
      say("Saving…"); // a second save must not look finished while the first one's "Saved" still shows
      try {
        if (editing) await api("PATCH", `${spec.path}/${encodeURIComponent(spec.key(record))}`, body());
        else await api("POST", spec.path, body());
        say("Saved");
        redraw();
      } catch (err) { showErrors(err); say(alert.textContent); }
    } },
  h("h3", { id: "master-form-h", testid: "master-form-title" }, title),
  rows, barcodes?.element || "", alert,
  h("div", { class: "actions" }, h("button", { type: "submit", testid: "master-save" }, editing ? "Save changes" : "Create"),
    editing ? h("button", { type: "button", testid: "master-new", onclick: () => redraw() }, "New instead") : ""));
}

/** The barcode list of a new product: rows added and removed at will; errors land on the row they concern. */
function barcodeRows() {
  const rows = [];
  const list = h("div", { testid: "barcode-list" });
  let firstBad = null;
  const addRow = (code = "", units = "1") => {
    const n = rows.length ? Math.max(...rows.map((r) => r.n)) + 1 : 0;
    const codeIn = h("input", { id: `bc-code-${n}`, value: code, testid: "barcode-code", autocomplete: "off", inputmode: "numeric" });
    const unitsIn = h("input", { id: `bc-units-${n}`, type: "number", min: "1", value: units, testid: "barcode-units" });
    const err = h("span", { id: `bc-err-${n}`, class: "staff-error field-error", testid: "field-error" });
    codeIn.setAttribute("aria-describedby", `bc-err-${n}`);
    const row = { n, codeIn, unitsIn, err };
    row.el = h("div", { class: "barcode-row", testid: "barcode-row" },
      h("label", { for: `bc-code-${n}` }, "Barcode"), codeIn,
      h("label", { for: `bc-units-${n}` }, "Units"), unitsIn,
      h("button", { type: "button", testid: "barcode-remove", "aria-label": "Remove this barcode", onclick: () => {
        rows.splice(rows.indexOf(row), 1);
        row.el.remove();
      } }, "Remove"), err);
    rows.push(row);
    list.append(row.el);
    return row;
  };
  addRow();
  const sent = () => rows.filter((r) => r.codeIn.value.trim());
  const mark = (row, path, message, input) => {
    row.err.textContent = message;
    row.err.dataset.field = path;
    row.codeIn.setAttribute("aria-invalid", "true");
    firstBad ||= input;
  };
  return {
    element: h("fieldset", {}, h("legend", {}, "Barcodes (a case barcode carries its unit count)"), list,
      h("button", { type: "button", testid: "barcode-add", onclick: () => addRow().codeIn.focus() }, "Add barcode")),
    value: () => sent().map((r) => ({ code: r.codeIn.value.trim(), units: Number(r.unitsIn.value || 1) })),
    clear: () => {
      firstBad = null;
      for (const r of rows) { r.err.textContent = ""; r.codeIn.removeAttribute("aria-invalid"); }
    },
    /** A field error at barcodes.N.code|units: shown on that row; false when the path is no barcode's. */
    show: (path, message) => {
      const m = /^barcodes\.(\d+)\.(code|units)$/.exec(path);
      const row = m && sent()[Number(m[1])];
      if (!row) return false;
      mark(row, path, message, m[2] === "code" ? row.codeIn : row.unitsIn);
      return true;
    },
    /** A whole-request error about one barcode (taken, bad check digit): shown on the row that holds it. */
    blame: (code, message) => {
      const rowsSent = sent();
      const row = rowsSent.find((r) => r.codeIn.value.trim() === code || (code && r.codeIn.value.includes(code))) || rowsSent[0];
      if (row) mark(row, `barcodes.${rowsSent.indexOf(row)}.code`, message, row.codeIn);
    },
    first: () => firstBad,
  };
}
