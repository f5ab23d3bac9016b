/** Search results: orders (number, reference, customer name, tracking number), customers, products. */
import { h, replace } from "../../ui.js";
import { get } from "../../staff/staff.js";
import { view } from "../shell.js";

const OPEN = {
  order: (r) => `#/orders/${r.id}`,
  customer: (r) => `#/customers/${r.id}`,
  product: (r) => `#/inventory?sku=${encodeURIComponent(r.key)}`,
};
const KIND = { order: "Order", customer: "Customer", product: "Product" };

export async function searchPage(params) {
  const q = (params.get("q") || "").trim();
  const box = document.getElementById("office-search-q");
  if (box && box.value !== q) box.value = q;
  if (!q) { replace(view, h("h2", {}, "Search"), h("p", {}, "Type an order number, reference, customer name, SKU, barcode or tracking number in the search box.")); return; }
  const { results } = await get(`/search?q=${encodeURIComponent(q)}`);
  replace(view, h("h2", {}, `Search: ${q}`),
    results.length
      ? h("ul", { testid: "search-results", "aria-label": `${results.length} found` }, results.map((r) => h("li", { testid: "search-result",
        "data-type": r.type, "data-id": r.id }, h("a", { href: OPEN[r.type](r) }, `${KIND[r.type]} ${r.label}`),
        h("span", { class: "muted" }, ` — ${r.detail} (matched ${r.match})`))))
      : h("p", { testid: "search-none" }, `Nothing found for “${q}”.`));
}

/** The box in the office bar: every page has it. */
export function searchBox() {
  const input = h("input", { type: "search", id: "office-search-q", testid: "office-search", autocomplete: "off",
    placeholder: "Order, customer, SKU, tracking…" });
  return h("form", { role: "search", class: "office-search", "aria-label": "Search the office", onsubmit: (e) => {
    e.preventDefault();
    if (input.value.trim()) location.hash = `#/search?q=${encodeURIComponent(input.value.trim())}`;
  } }, h("label", { for: "office-search-q" }, "Search"), input, h("button", { type: "submit", testid: "office-search-go" }, "Find"));
}
