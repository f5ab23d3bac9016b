/** The office's hash router: #/orders, #/orders/42, #/holds, #/backorders, #/inventory, #/emails,
 * #/shipments, #/shipments/7, #/exceptions, #/integrations, #/webhooks, #/waves, #/tasks, #/stock, #/manifests,
 * #/invoices, #/invoices/3, #/aging,
 * #/suppliers, #/suppliers/3, #/purchase-orders, #/purchase-orders/7, #/reorder, #/returns, #/returns/4, #/forecasts,
 * #/counts, #/follow-ups, #/due-to-reorder, ... */
import { h, replace } from "../ui.js";
import { plainError } from "../staff/words.js";
import { onRedraw, view } from "./shell.js";
import { countsPage } from "./pages/counts.js";
import { emailsPage } from "./pages/emails.js";
import { followUpsPage, dueToReorderPage } from "./pages/feedback.js";
import { exceptionsPage } from "./pages/exceptions.js";
import { forecastsPage } from "./pages/forecasts.js";
import { backordersPage, holdsPage } from "./pages/holds.js";
import { integrationsPage } from "./pages/integrations.js";
import { inventoryPage } from "./pages/inventory.js";
import { agingPage, invoicePage, invoicesPage } from "./pages/invoices.js";
import { manifestsPage } from "./pages/manifests.js";
import { returnPage, returnsPage } from "./pages/returns.js";
import { MASTER, masterPage } from "./pages/master.js";
import { orderPage } from "./pages/order.js";
import { ordersPage } from "./pages/orders.js";
import { entryPage } from "./pages/entry.js";
import { uploadPage } from "./pages/upload.js";
import { customerPage } from "./pages/customer.js";
import { searchPage } from "./pages/search.js";
import { webhooksPage } from "./pages/webhooks.js";
import { stockPage } from "./pages/stock.js";
import { tasksPage } from "./pages/tasks.js";
import { wavesPage } from "./pages/waves.js";
import { shipmentPage, shipmentsPage } from "./pages/shipments.js";
import { purchaseOrderPage, purchaseOrdersPage, reorderPage, supplierPage } from "./pages/supply.js";

export async function route() {
  const [path, qs] = (location.hash.slice(1) || "/orders").split("?");
  const params = new URLSearchParams(qs || "");
  const parts = path.split("/").filter(Boolean);
  view.dataset.page = parts[0] || "orders";
  try {
    if (parts[0] === "orders" && parts[1]) await orderPage(Number(parts[1]));
    else if (parts[0] === "holds") await holdsPage();
    else if (parts[0] === "new-order") await entryPage(params);
    else if (parts[0] === "import") await uploadPage(params);
    else if (parts[0] === "customers" && parts[1]) await customerPage(Number(parts[1]));
    else if (parts[0] === "search") await searchPage(params);
    else if (parts[0] === "backorders") await backordersPage();
    else if (parts[0] === "inventory") await inventoryPage(params);
    else if (parts[0] === "emails") await emailsPage(params);
    else if (parts[0] === "integrations") await integrationsPage(params);
    else if (parts[0] === "webhooks") await webhooksPage(parts[1] ? Number(parts[1]) : null);
    else if (parts[0] === "waves") await wavesPage(params);
    else if (parts[0] === "tasks") await tasksPage(params);
    else if (parts[0] === "stock") await stockPage(params);
    else if (parts[0] === "shipments" && parts[1]) await shipmentPage(Number(parts[1]), params);
    else if (parts[0] === "shipments") await shipmentsPage(params);
    else if (parts[0] === "exceptions") await exceptionsPage();
    else if (parts[0] === "manifests") await manifestsPage(params);
    else if (parts[0] === "invoices" && parts[1]) await invoicePage(Number(parts[1]));
    else if (parts[0] === "invoices") await invoicesPage(params);
    else if (parts[0] === "aging") await agingPage();
    else if (parts[0] === "forecasts") await forecastsPage(params);
    else if (parts[0] === "returns" && parts[1]) await returnPage(Number(parts[1]));
    else if (parts[0] === "returns") await returnsPage(params);
    else if (parts[0] === "suppliers" && parts[1]) await supplierPage(Number(parts[1]));
    else if (parts[0] === "purchase-orders" && parts[1]) await purchaseOrderPage(Number(parts[1]));
    else if (parts[0] === "purchase-orders") await purchaseOrdersPage(params);
    else if (parts[0] === "reorder") await reorderPage(params);
    else if (parts[0] === "counts") await countsPage(params);
    else if (parts[0] === "follow-ups") await followUpsPage(params);
    else if (parts[0] === "due-to-reorder") await dueToReorderPage(params);
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
