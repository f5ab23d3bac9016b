/** Order entry: the customer by name, ship-to from their address book (or new), SKUs with the stock each
 * warehouse has, a price and hold preview, then POST /orders with one Idempotency-Key per form. */
import { h, replace } from "../../ui.js";
import { request } from "../../api.js";
import { api, get, table } from "../../staff/staff.js";
import { fieldErrors, fieldName, plainError } from "../../staff/words.js";
import { say, view } from "../shell.js";
import { typeAhead } from "./typeahead.js";

const ADDRESS = [["name", "Name"], ["line1", "Street"], ["line2", "Street, 2nd line"], ["city", "City"],
  ["region", "State / region"], ["postal_code", "Postal code"], ["country", "Country (2 letters)"]];
const stockText = (available) => Object.entries(available || {}).map(([wh, n]) => `${wh} ${n}`).join(" · ") || "no stock";

export async function entryPage(params) {
  // One key per form: a double click, or a retry after a lost answer, places one order.
  let key = crypto.randomUUID();
  let customer = null;
  const errors = {};
  const errorSpan = (path) => (errors[path] = h("span", { id: `e-${path.replaceAll(".", "-")}`, class: "staff-error field-error",
    testid: "field-error", "data-field": path }));
  const described = (input, path) => { input.setAttribute("aria-describedby", `e-${path.replaceAll(".", "-")}`); return input; };
  const labelled = (id, label, input, path) => h("div", {}, h("label", { for: id }, label),
    described(Object.assign(input, { id }), path), errorSpan(path));

  // Customer: typed name → choices → the chosen one's address book.
  const chosen = h("p", { testid: "entry-customer-chosen", class: "muted" }, "No customer chosen yet.");
  const book = h("div", { testid: "address-book" });
  const customerInput = h("input", { type: "search", autocomplete: "off", testid: "entry-customer" });
  const customerPicker = typeAhead({
    input: customerInput, testid: "customer-option", label: "Customers found",
    find: async (q) => get(`/customers?q=${encodeURIComponent(q)}&page_size=8`),
    show: (c) => `${c.name} (${c.email})`,
    pick: async (c) => {
      customer = await get(`/customers/${c.id}`);
      customerInput.value = customer.name;
      chosen.textContent = `${customer.name} · ${customer.type} · discount ${customer.discount_pct}% · ships ${customer.ship_policy}`;
      drawBook();
      preview();
    },
  });

  const addressInputs = Object.fromEntries(ADDRESS.map(([k]) => [k, h("input", { testid: `entry-ship-${k}`, autocomplete: "off" })]));
  const newAddress = h("fieldset", { testid: "new-address" }, h("legend", {}, "New address"),
    h("div", { class: "row" }, ADDRESS.map(([k, label]) => labelled(`ship-${k}`, label, addressInputs[k], `ship_to.${k}`))));
  let bookChoice = "new";
  function drawBook() {
    const entries = customer?.addresses || [];
    bookChoice = entries.length ? "0" : "new";
    const radio = (value, label) => h("div", { class: "check" }, h("input", { type: "radio", name: "ship-choice", id: `ship-choice-${value}`,
      value, checked: value === bookChoice, testid: "ship-choice", "data-choice": value,
      onchange: () => {
        bookChoice = value;
        newAddress.hidden = value !== "new";
        if (value === "new" && !addressInputs.name.value) addressInputs.name.value = customer?.name || "";
        preview();
      } }),
    h("label", { for: `ship-choice-${value}` }, label));
    replace(book, h("fieldset", {}, h("legend", {}, "Ship to"),
      entries.map((a, i) => radio(String(i), [a.label, a.name, a.line1, a.city, a.postal_code, a.country].filter(Boolean).join(", "))),
      radio("new", "A new address")), newAddress);
    newAddress.hidden = bookChoice !== "new";
    if (bookChoice === "new" && customer && !addressInputs.name.value) addressInputs.name.value = customer.name;
  }
  const shipTo = () => {
    if (bookChoice !== "new") {
      const { label: _label, ...address } = customer.addresses[Number(bookChoice)];
      return { name: customer.name, ...address };
    }
    // Blank fields are left out: the server then says "required" rather than "too short".
    return Object.fromEntries(Object.entries(addressInputs).map(([k, el]) => [k, el.value.trim()]).filter(([, v]) => v));
  };

  // Lines: a SKU type-ahead showing the stock per warehouse, and a quantity.
  const lineList = h("div", { class: "entry-lines", testid: "entry-lines" });
  const lines = [];
  let serial = 0;
  const addLine = () => {
    const n = serial++;
    const sku = h("input", { autocomplete: "off", testid: "entry-sku" });
    const qty = h("input", { inputmode: "numeric", value: "1", class: "qty", testid: "entry-qty", onchange: () => preview() });
    const stock = h("span", { class: "muted", testid: "entry-stock", "aria-live": "polite" });
    const line = { n, sku, qty, stock };
    const picker = typeAhead({ input: sku, testid: "sku-option", label: "Products found",
      find: async (q) => (await get(`/catalog/availability?q=${encodeURIComponent(q)}`)).items,
      show: (p) => `${p.sku} — ${p.name} — ${p.unit_price} — available: ${stockText(p.available)}`,
      pick: (p) => { sku.value = p.sku; stock.textContent = `Available: ${stockText(p.available)}`; preview(); qty.focus(); } });
    line.el = h("div", { class: "entry-line", testid: "entry-line" },
      h("div", {}, h("label", { for: `sku-${n}` }, "SKU"), described(Object.assign(sku, { id: `sku-${n}` }), `line-${n}`), picker),
      h("div", {}, h("label", { for: `qty-${n}` }, "Quantity"), described(Object.assign(qty, { id: `qty-${n}` }), `line-${n}`)),
      h("button", { type: "button", testid: "entry-line-remove", "aria-label": "Remove this line", onclick: () => {
        lines.splice(lines.indexOf(line), 1); line.el.remove(); preview();
      } }, "Remove"),
      stock, errorSpan(`line-${n}`));
    lines.push(line);
    lineList.append(line.el);
    return line;
  };
  addLine();

  const reference = h("input", { autocomplete: "off", testid: "entry-reference", value: "" });
  const body = () => ({
    external_id: reference.value.trim() || `office-${key.slice(0, 8)}`,
    channel: "office",
    customer_id: customer?.id ?? 0,
    ship_to: customer || bookChoice === "new" ? shipTo() : {},
    lines: lines.map((l) => ({ sku: l.sku.value.trim(), qty: /^\d+$/.test(l.qty.value.trim()) ? Number(l.qty.value.trim()) : l.qty.value })),
  });

  // Preview: prices, discount, totals and the holds it would hit, before anything is saved.
  const previewBox = h("div", { testid: "entry-preview", "aria-live": "polite" });
  let previewTimer = null;
  function preview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(runPreview, 250);
  }
  async function runPreview() {
    const sent = body();
    if (!customer || !sent.lines.some((l) => l.sku)) { replace(previewBox); return; }
    try {
      const { data } = await api("POST", "/orders/preview", { ...sent, lines: sent.lines.filter((l) => l.sku) });
      drawPreview(data);
    } catch (err) {
      replace(previewBox, h("h3", { id: "preview-h" }, "Preview"), h("p", { class: "muted", testid: "preview-note" },
        `Not priced yet: ${plainError(err)}`));
    }
  }
  function drawPreview(p) {
    replace(previewBox, h("h3", { id: "preview-h" }, "Preview"),
      table("Prices", [["SKU", (l) => l.sku], ["Name", (l) => l.name ?? "unknown SKU"], ["Qty", (l) => l.qty],
        ["Unit price", (l) => l.unit_price], ["Discount %", (l) => l.discount_pct], ["Line total", (l) => l.line_total],
        ["Available", (l) => stockText(l.available)]], p.lines, (l) => ({ testid: "preview-line", "data-sku": l.sku })),
      h("p", { testid: "preview-totals" }, `Subtotal ${p.totals.subtotal} · discount ${p.totals.discount} · `,
        h("strong", { testid: "preview-total" }, `total ${p.totals.total} ${p.totals.currency}`)),
      p.hold_reasons.length
        ? h("div", { class: "holds-preview", testid: "preview-holds" }, h("p", {}, h("strong", {}, "It would go on hold:")),
          h("ul", {}, p.hold_reasons.map((r) => h("li", { testid: "preview-hold", "data-code": r.code }, r.message))))
        : h("p", { testid: "preview-clear" }, "No holds: it would be allocated at once."));
  }

  const alert = h("p", { role: "alert", class: "staff-error", testid: "entry-error" });
  const submit = h("button", { type: "submit", testid: "entry-submit" }, "Place order");
  const clear = () => {
    alert.textContent = "";
    for (const el of Object.values(errors)) el.textContent = "";
    for (const el of view.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  };
  const mark = (path, message) => {
    let target = null;
    let input = null;
    const m = /^lines\.(\d+)\.(sku|qty)$/.exec(path);
    if (m && lines[Number(m[1])]) {
      const line = lines[Number(m[1])];
      target = errors[`line-${line.n}`];
      input = m[2] === "sku" ? line.sku : line.qty;
      message = `${m[2] === "sku" ? "SKU" : "Quantity"}: ${message}`;
    } else if (path.startsWith("ship_to.")) {
      if (bookChoice !== "new") { return false; }
      target = errors[path];
      input = addressInputs[path.slice(8)];
    } else if (path === "customer_id") {
      target = errors.customer_id;
      input = customerInput;
    } else if (path === "external_id") {
      target = errors.external_id;
      input = reference;
    }
    if (!target) return false;
    target.textContent = `${target.textContent} ${message}`.trim();
    input?.setAttribute("aria-invalid", "true");
    return true;
  };
  const form = h("form", { class: "wide-form", testid: "entry-form", "aria-labelledby": "entry-h", novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      if (submit.disabled) return;
      clear();
      if (!customer) {
        mark("customer_id", "Choose a customer: type part of the name and pick one.");
        alert.textContent = "Not placed: check the marked fields.";
        customerInput.focus();
        return;
      }
      submit.disabled = true;
      say("Placing the order…");
      try {
        const { data } = await request("POST", "/orders", body(), { timeoutMs: 30000, key });
        key = crypto.randomUUID();
        say(`Placed ${data.number}: ${data.status.replaceAll("_", " ")}`);
        location.hash = `#/orders/${data.id}`;
      } catch (err) {
        const unplaced = [];
        for (const [path, message] of Object.entries(fieldErrors(err.details?.fields || {}))) {
          if (!mark(path, message)) unplaced.push(`${fieldName(path)}: ${message}`);
        }
        if (err.code === "unknown_customer") mark("customer_id", err.message);
        const marked = view.querySelector("[aria-invalid]");
        alert.textContent = `Not placed: ${[marked ? "check the marked fields." : "", ...unplaced].join(" ").trim()
          || plainError(err)}`;
        say(alert.textContent);
        marked?.focus();
      } finally {
        submit.disabled = false;
      }
    } },
  h("h2", { id: "entry-h" }, "New order"),
  h("div", {}, h("label", { for: "entry-customer" }, "Customer (type part of the name)"),
    described(Object.assign(customerInput, { id: "entry-customer" }), "customer_id"), customerPicker, errorSpan("customer_id"), chosen),
  book,
  h("fieldset", {}, h("legend", {}, "Lines"), lineList,
    h("div", { class: "actions" }, h("button", { type: "button", testid: "entry-line-add", onclick: () => addLine().sku.focus() }, "Add line"))),
  labelled("entry-ref", "Customer reference (PO number; blank: one is made up)", reference, "external_id"),
  previewBox, alert,
  h("div", { class: "actions" }, h("button", { type: "button", testid: "entry-preview-button", onclick: runPreview }, "Preview"), submit));
  replace(view, form);
  const preset = params?.get("customer");
  if (preset) {
    customer = await get(`/customers/${Number(preset)}`);
    customerInput.value = customer.name;
    chosen.textContent = `${customer.name} · ${customer.type} · discount ${customer.discount_pct}% · ships ${customer.ship_policy}`;
    drawBook();
  }
}
