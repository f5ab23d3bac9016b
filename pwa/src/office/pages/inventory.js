/** Inventory: stock of a SKU per warehouse, stock by location in a warehouse, and the movements. */
import { h, replace } from "../../ui.js";
import { get, table } from "../../staff/staff.js";
import { field, view, when } from "../shell.js";

export async function inventoryPage(params) {
  const sku = h("input", { value: params.get("sku") || "", testid: "inventory-sku" });
  const wh = h("input", { value: params.get("warehouse") || "", testid: "inventory-warehouse" });
  const form = h("form", { class: "staff-form inline", role: "search", onsubmit: (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (sku.value) p.set("sku", sku.value);
    if (wh.value) p.set("warehouse", wh.value);
    location.hash = `#/inventory?${p}`;
  } }, field("inv-sku", "SKU", sku), field("inv-wh", "Warehouse (by location)", wh),
  h("button", { type: "submit" }, "Show"));
  const parts = [h("h2", {}, "Inventory"), form];
  if (params.get("sku")) {
    const data = await get(`/inventory?sku=${encodeURIComponent(params.get("sku"))}`);
    parts.push(table(`Stock of ${params.get("sku")}`, [["Warehouse", (i) => i.warehouse], ["On hand", (i) => i.on_hand],
      ["Reserved", (i) => i.reserved], ["Available", (i) => i.available]], data.items || [],
    () => ({ testid: "inventory-row" })));
  }
  if (params.get("warehouse")) {
    const data = await get(`/inventory?by=location&warehouse=${encodeURIComponent(params.get("warehouse"))}`);
    parts.push(table(`By location in ${params.get("warehouse")}`, [["Location", (i) => i.location], ["SKU", (i) => i.sku],
      ["On hand", (i) => i.on_hand], ["Reserved", (i) => i.reserved ?? ""]], data.items || [],
    () => ({ testid: "location-row" })));
  }
  const mq = new URLSearchParams();
  if (params.get("sku")) mq.set("sku", params.get("sku"));
  if (params.get("warehouse")) mq.set("warehouse", params.get("warehouse"));
  const moves = await get(`/inventory/movements?${mq}`).catch(() => null);
  const items = Array.isArray(moves) ? moves : moves?.items || moves?.movements || [];
  parts.push(table("Movements", [["When", (m) => when(m.at || m.created_at)], ["SKU", (m) => m.sku],
    ["Location", (m) => m.location], ["Change", (m) => m.delta ?? m.qty], ["Reason", (m) => m.reason]], items,
  () => ({ testid: "movement-row" })));
  replace(view, ...parts);
}
