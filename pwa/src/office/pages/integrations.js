/** Office: Shopify orders coming in — the dead letters with their reason, Retry, and the SKU map that fixes most. */
import "./integrations.css";
import { h, replace } from "../../ui.js";
import { api, get } from "../../staff/staff.js";
import { failed, field, redraw, say, view, when } from "../shell.js";

const STATUS = {
  received: "Waiting to be applied",
  applied: "Applied",
  dead: "Could not be applied",
};
const FILTERS = [["dead", "Dead letters"], ["received", "Waiting"], ["applied", "Applied"], ["", "All"]];

function webhookList(webhooks, label) {
  if (!webhooks.length) return h("p", { testid: "webhooks-empty" }, "Nothing here.");
  return h("ul", { class: "webhook-list", "aria-label": label }, webhooks.map((w) => {
    const name = w.order_name || (w.shopify_order_id ? `Shopify order ${w.shopify_order_id}` : "Unreadable payload");
    const retry = w.status === "received" ? "" : h("button", { type: "button", testid: "webhook-retry",
      "aria-label": `Retry ${w.topic} for ${name}`,
      onclick: async () => {
        try {
          await api("POST", `/integrations/shopify/webhooks/${w.id}/retry`);
          say(`${w.topic} for ${name}: queued again`);
          redraw();
        } catch (e) { failed(e); }
      } }, "Retry");
    return h("li", { testid: "webhook-row", "data-status": w.status, "data-id": w.id, "data-order-name": w.order_name || "" },
      h("div", { class: "what" }, `${name} · ${w.topic}`,
        w.order_id ? [" · ", h("a", { href: `#/orders/${w.order_id}` }, `order ${w.order_id}`)] : ""),
      h("div", {}, `${STATUS[w.status] || w.status} · received ${when(w.received_at)}`,
        w.attempts > 1 ? ` · ${w.attempts} tries` : ""),
      w.error ? h("div", { class: "problem", testid: "webhook-reason" }, `Why: ${w.error}`) : "",
      w.outcome && !w.error ? h("div", { class: "done" }, w.outcome) : "",
      retry);
  }));
}

function skuMapSection(mapping) {
  const from = h("input", { name: "shopify_sku", required: true, autocomplete: "off", testid: "sku-map-shopify" });
  const to = h("input", { name: "sku", required: true, autocomplete: "off", testid: "sku-map-baton" });
  const form = h("form", { class: "sku-map-form", testid: "sku-map-form", onsubmit: async (event) => {
    event.preventDefault();
    try {
      await api("PUT", "/integrations/shopify/sku-map", { shopify_sku: from.value.trim(), sku: to.value.trim() });
      say(`Shopify ${from.value.trim()} now means Baton ${to.value.trim()}. Retry the orders it held up.`);
      redraw();
    } catch (e) { failed(e); }
  } },
  field("sku-map-from", "Shopify SKU (or variant:<id> for a line without one)", from),
  field("sku-map-to", "Baton SKU", to),
  h("button", { type: "submit" }, "Save mapping"));
  const entries = Object.entries(mapping);
  return h("section", { "aria-labelledby": "sku-map-h", testid: "sku-map" },
    h("h3", { id: "sku-map-h" }, "SKU map"),
    h("p", { class: "muted" }, "When the shop's SKU differs from Baton's, say which Baton product it is."),
    entries.length
      ? h("ul", { class: "sku-map-list" }, entries.map(([shop, sku]) => h("li", { testid: "sku-map-entry" }, `${shop} → ${sku}`)))
      : h("p", {}, "No mappings yet."),
    form);
}

/** #/integrations — Shopify webhooks, dead letters first (?status=dead is the default). */
export async function integrationsPage(params) {
  const status = params.has("status") ? params.get("status") : "dead";
  const query = new URLSearchParams({ limit: "200" });
  if (status) query.set("status", status);
  const [answer, map] = await Promise.all([
    get(`/integrations/shopify/webhooks?${query}`), get("/integrations/shopify/sku-map")]);
  const counts = answer.counts || {};
  const filter = ([value, label]) => h("a", { href: `#/integrations?status=${value}`,
    "aria-current": status === value ? "page" : undefined, testid: `webhooks-filter-${value || "all"}` },
  value ? `${label} (${counts[value] || 0})` : label);
  replace(view,
    h("h2", {}, "Shopify orders in"),
    h("p", { testid: "webhook-counts" },
      `Applied ${counts.applied || 0} · waiting ${counts.received || 0} · dead letters ${counts.dead || 0}`),
    h("nav", { class: "webhook-filters", "aria-label": "Which webhooks" }, FILTERS.map(filter)),
    h("h3", {}, FILTERS.find(([value]) => value === status)?.[1] || "Webhooks"),
    webhookList(answer.webhooks || [], "Shopify webhooks"),
    skuMapSection(map.mapping || {}));
}
