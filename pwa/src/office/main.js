/** Office pages: orders (search, detail, timeline), the hold queue, backorders, inventory, master data. */
import "../staff/staff.css";
import { h, replace } from "../ui.js";
import { requireStaff, signOutButton } from "../staff/staff.js";
import { startRouter } from "./router.js";
import { session, status, view } from "./shell.js";
import { searchBox } from "./pages/search.js";
import { w } from "./pages/floor_kit.js";

const root = document.getElementById("root");

async function start() {
  const me = (session.me = await requireStaff(root, "Baton office"));
  const link = (hash, label) => h("a", { href: hash }, label);
  replace(root, h("header", { class: "staff-bar" }, h("h1", {}, "Baton office"),
    h("nav", { "aria-label": "Office pages" }, link("#/orders", "Orders"), link("#/new-order", "New order"),
      link("#/import", "Import"), link("#/holds", "Hold queue"),
      link("#/backorders", "Backorders"), link("#/inventory", "Inventory"), link("#/emails", "Emails"),
      link("#/integrations", "Shopify"),
      link("#/shipments", "Shipments"), link("#/exceptions", "Carrier exceptions"),
      link("#/manifests", "Manifests"), link("#/invoices", "Invoices"), link("#/returns", "Returns"), link("#/counts", "Counts"),
      link("#/suppliers", "Suppliers"), link("#/purchase-orders", "Purchase orders"), link("#/reorder", "Reorder"),
      link("#/follow-ups", "Follow-ups"), link("#/due-to-reorder", "Customers due to reorder"),
      link("#/forecasts", "Forecasts"),
      link("#/products", "Products"),
      link("#/waves", w("nav_waves")), link("#/tasks", w("nav_tasks")), link("#/stock", w("nav_stock")),
      link("#/customers", "Customers"), me.role === "admin" ? link("#/users", "Users") : "",
      me.role === "admin" ? link("#/webhooks", "Webhooks") : "", h("a", { href: "/board" }, "Board")),
    searchBox(),
    h("span", { testid: "signed-in-as" }, me.display_name || me.username), signOutButton()), status, view);
  startRouter();
}

start();
