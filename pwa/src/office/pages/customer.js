/** One customer: details, terms, preferred carrier, notification language and choices, address book and
 * contacts, all saved with one PATCH; errors land beside the field or the address/contact row they concern. */
import { h, replace } from "../../ui.js";
import { api, get, table } from "../../staff/staff.js";
import { fieldErrors, fieldName, plainError } from "../../staff/words.js";
import { redraw, say, session, view, when } from "../shell.js";
import { satisfactionPart } from "./feedback.js";

const ADDRESS = [["label", "Label"], ["name", "Name"], ["line1", "Street"], ["line2", "Street, 2nd line"], ["city", "City"],
  ["region", "State / region"], ["postal_code", "Postal code"], ["country", "Country"]];
const CONTACT = [["name", "Name"], ["role", "Role"], ["email", "Email"], ["phone", "Phone"]];
const NOTICES = [["backordered", "Backordered"], ["shipped", "Shipped"], ["delayed", "Delayed"],
  ["delivery_failed", "Delivery failed"], ["out_for_delivery", "Out for delivery"], ["delivered", "Delivered"],
  ["feedback", "Rating request after delivery"]];
const TERMS = [["prepaid", "Prepaid"], ["net15", "Net 15 days"], ["net30", "Net 30 days"], ["net60", "Net 60 days"]];

export async function customerPage(id) {
  const [c, orders, carriers] = await Promise.all([get(`/customers/${id}`), get(`/orders?customer_id=${id}&page_size=20`),
    get("/carriers").catch(() => [])]);
  const canEdit = ["admin", "office"].includes(session.me.role);
  const errors = {};
  const inputs = {};
  const errorSpan = (path) => (errors[path] = h("span", { id: `ce-${path.replaceAll(".", "-")}`, class: "staff-error field-error",
    testid: "field-error", "data-field": path }));
  const fieldFor = (path, label, input) => {
    const id = `c-${path.replaceAll(".", "-")}`;
    Object.assign(input, { id, disabled: !canEdit });
    input.setAttribute("aria-describedby", `ce-${path.replaceAll(".", "-")}`);
    inputs[path] = input;
    return h("div", {}, h("label", { for: id }, label), input, errorSpan(path));
  };
  const text = (path, value, attrs = {}) => h("input", { value: value ?? "", autocomplete: "off", testid: `customer-${path.replaceAll("_", "-")}`, ...attrs });
  const select = (path, options, value) => h("select", { testid: `customer-${path.replaceAll("_", "-")}` },
    options.map(([v, label]) => h("option", { value: v, selected: (value ?? "") === v }, label)));
  const carrierList = (Array.isArray(carriers) ? carriers : carriers.items || []);

  const details = h("fieldset", {}, h("legend", {}, "Customer"), h("div", { class: "row" },
    fieldFor("name", "Name", text("name", c.name)),
    fieldFor("email", "Email", text("email", c.email, { type: "email" })),
    fieldFor("type", "Type", select("type", [["retail", "Retail"], ["wholesale", "Wholesale"]], c.type)),
    fieldFor("ship_policy", "Ship policy", select("ship_policy", [["complete", "Ship complete"], ["partial", "Ship partial, backorder the rest"]], c.ship_policy)),
    fieldFor("discount_pct", "Discount %", text("discount_pct", c.discount_pct, { inputmode: "decimal" })),
    fieldFor("credit_limit", "Credit limit (blank = none)", text("credit_limit", c.credit_limit, { inputmode: "decimal" })),
    fieldFor("terms", "Payment terms", select("terms", TERMS, c.terms)),
    fieldFor("preferred_carrier", "Preferred carrier", select("preferred_carrier", [["", "none"],
      ...carrierList.map((k) => [k.code, k.name || k.code]), ...(c.preferred_carrier && !carrierList.some((k) => k.code === c.preferred_carrier) ? [[c.preferred_carrier, c.preferred_carrier]] : [])],
    c.preferred_carrier || "")),
    fieldFor("preferred_service", "Preferred service (blank = any)", text("preferred_service", c.preferred_service)),
    fieldFor("language", "Language of emails", select("language", [["en", "English"], ["es", "Español"]], c.language))));
  const notices = h("fieldset", { testid: "customer-notices" }, h("legend", {}, "Emails the customer gets (order confirmations always go out)"),
    NOTICES.map(([k, label]) => h("div", { class: "check" }, h("input", { type: "checkbox", id: `notice-${k}`, "data-kind": k,
      testid: "customer-notice", checked: (c.notifications || {})[k] !== false, disabled: !canEdit }), h("label", { for: `notice-${k}` }, label))));

  const addresses = rowsEditor({ name: "address", title: "Address book", fields: ADDRESS, rows: c.addresses || [],
    path: "addresses", errors, canEdit, blank: { country: "US" } });
  const contacts = rowsEditor({ name: "contact", title: "Contacts", fields: CONTACT, rows: c.contacts || [],
    path: "contacts", errors, canEdit, blank: {} });

  const alert = h("p", { role: "alert", class: "staff-error", testid: "form-error" });
  const body = () => {
    const out = {};
    for (const [path, input] of Object.entries(inputs)) {
      const v = input.value.trim();
      out[path] = v === "" && ["credit_limit", "preferred_carrier", "preferred_service"].includes(path) ? null : v;
    }
    out.notifications = Object.fromEntries([...notices.querySelectorAll("input")].map((i) => [i.dataset.kind, i.checked]));
    out.addresses = addresses.value();
    out.contacts = contacts.value();
    return out;
  };
  const form = h("form", { class: "wide-form", testid: "customer-form", "aria-labelledby": "customer-h", novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      alert.textContent = "";
      for (const el of Object.values(errors)) el.textContent = "";
      for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
      say("Saving…");
      try {
        await api("PATCH", `/customers/${c.id}`, body());
        say("Saved");
        redraw();
      } catch (err) {
        const unplaced = [];
        for (const [path, message] of Object.entries(fieldErrors(err.details?.fields || {}))) {
          const span = errors[path] || errors[path.split(".").slice(0, 2).join(".")];
          if (!span) { unplaced.push(`${fieldName(path)}: ${message}`); continue; }
          span.textContent = `${span.textContent} ${path.split(".").length > 2 ? `${fieldName(path.split(".").at(-1))}: ` : ""}${message}`.trim();
          (inputs[path] || form.querySelector(`[data-path="${path}"]`))?.setAttribute("aria-invalid", "true");
        }
        const marked = form.querySelector("[aria-invalid]") || Object.values(errors).find((s) => s.textContent);
        alert.textContent = `Not saved: ${[marked ? "check the marked fields." : "", ...unplaced].join(" ").trim() || plainError(err)}`;
        say(alert.textContent);
        form.querySelector("[aria-invalid]")?.focus();
      }
    } },
  h("h2", { id: "customer-h", testid: "customer-title" }, c.name),
  h("p", { class: "muted" }, `Customer ${c.id} · open balance ${c.open_balance}`),
  details, notices, addresses.element, contacts.element, alert,
  canEdit ? h("div", { class: "actions" }, h("button", { type: "submit", testid: "customer-save" }, "Save customer"),
    h("a", { href: `#/new-order?customer=${c.id}` }, "New order for this customer")) : "");
  const satisfaction = await satisfactionPart(id);
  replace(view, form, satisfaction, table(`Recent orders of ${c.name}`, [
    ["Order", (o) => h("a", { href: `#/orders/${o.id}` }, o.number)], ["Status", (o) => o.status.replaceAll("_", " ")],
    ["Created", (o) => when(o.created_at)], ["Total", (o) => `${o.totals?.total ?? ""} ${o.totals?.currency ?? ""}`],
  ], orders, (o) => ({ testid: "customer-order-row", "data-order-id": o.id })));
}

/** A list of small records (addresses, contacts) edited in place: add, change, remove. */
function rowsEditor({ name, title, fields, rows, path, errors, canEdit, blank }) {
  const list = h("div", { testid: `${name}-list` });
  const items = [];
  let serial = 0;
  const renumber = () => items.forEach((item, i) => {
    item.legend.textContent = `${name[0].toUpperCase()}${name.slice(1)} ${i + 1}`;
    errors[`${path}.${i}`] = item.err;
    for (const [k] of fields) item.inputs[k].dataset.path = `${path}.${i}.${k}`;
    item.remove.setAttribute("aria-label", `Remove ${name} ${i + 1}`);
  });
  const add = (values = blank) => {
    const n = serial++;
    const inputs = Object.fromEntries(fields.map(([k]) => [k, h("input", { id: `${name}-${n}-${k}`, value: values[k] ?? "",
      autocomplete: "off", testid: `${name}-${k.replaceAll("_", "-")}`, disabled: !canEdit, "aria-describedby": `${name}-${n}-err` })]));
    const err = h("span", { id: `${name}-${n}-err`, class: "staff-error field-error", testid: "field-error" });
    const legend = h("legend", {});
    const remove = h("button", { type: "button", testid: `${name}-remove`, class: "danger", hidden: !canEdit, onclick: () => {
      items.splice(items.indexOf(item), 1);
      item.el.remove();
      renumber();
    } }, "Remove");
    const item = { inputs, err, legend, remove };
    item.el = h("fieldset", { testid: `${name}-row` }, legend, h("div", { class: "row" },
      fields.map(([k, label]) => h("div", {}, h("label", { for: inputs[k].id }, label), inputs[k]))), h("div", { class: "actions" }, remove), err);
    items.push(item);
    list.append(item.el);
    renumber();
    return item;
  };
  rows.forEach((r) => add(r));
  return {
    element: h("section", { "aria-labelledby": `${name}-h` }, h("h3", { id: `${name}-h` }, title), list,
      canEdit ? h("button", { type: "button", testid: `${name}-add`, onclick: () => add().inputs[fields[0][0]].focus() }, `Add ${name}`) : ""),
    // Blank fields are left out: the server then says "required" rather than "too short".
    value: () => items.map((item) => Object.fromEntries(fields.map(([k]) => [k, item.inputs[k].value.trim()]).filter(([, v]) => v))),
  };
}
