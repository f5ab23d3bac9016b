/** The office's hash router: #/orders, #/orders/42, #/holds, #/backorders, #/inventory, #/emails, ... */
import { h, replace } from "../ui.js";
import { plainError } from "../staff/words.js";
import { onRedraw, view } from "./shell.js";
import { emailsPage } from "./pages/emails.js";
import { backordersPage, holdsPage } from "./pages/holds.js";
import { inventoryPage } from "./pages/inventory.js";
import { MASTER, masterPage } from "./pages/master.js";
import { orderPage } from "./pages/order.js";
import { ordersPage } from "./pages/orders.js";

export async function route() {
  const [path, qs] = (location.hash.slice(1) || "/orders").split("?");
  const params = new URLSearchParams(qs || "");
  const parts = path.split("/").filter(Boolean);
  view.dataset.page = parts[0] || "orders";
  try {
    if (parts[0] === "orders" && parts[1]) await orderPage(Number(parts[1]));
    else if (parts[0] === "holds") await holdsPage();
    else if (parts[0] === "backorders") await backordersPage();
    else if (parts[0] === "inventory") await inventoryPage(params);
    else if (parts[0] === "emails") await emailsPage(params);
    else if (MASTER[parts[0]]) await masterPage(parts[0]);
    else await ordersPage(params);
    view.dataset.ready = String(Date.now());
  } catch (error) {
    replace(view, h("p", { role: "alert", class: "staff-error", testid: "office-error" },
      error.status === 403 ? "Not allowed." : `Could not load: ${plainError(error)}`));
  }
}

export function startRouter() {
  onRedraw(route);
  window.addEventListener("hashchange", route);
  return route();
}
