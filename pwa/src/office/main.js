/** Office pages: orders (search, detail, timeline), the hold queue, backorders, inventory, master data. */
import "../staff/staff.css";
import { h, replace } from "../ui.js";
import { requireStaff, signOutButton } from "../staff/staff.js";
import { startRouter } from "./router.js";
import { session, status, view } from "./shell.js";

const root = document.getElementById("root");

async function start() {
  const me = (session.me = await requireStaff(root, "Baton office"));
  const link = (hash, label) => h("a", { href: hash }, label);
  replace(root, h("header", { class: "staff-bar" }, h("h1", {}, "Baton office"),
    h("nav", { "aria-label": "Office pages" }, link("#/orders", "Orders"), link("#/holds", "Hold queue"),
      link("#/backorders", "Backorders"), link("#/inventory", "Inventory"), link("#/emails", "Emails"),
      link("#/products", "Products"),
      link("#/customers", "Customers"), me.role === "admin" ? link("#/users", "Users") : "", h("a", { href: "/board" }, "Board")),
    h("span", { testid: "signed-in-as" }, me.display_name || me.username), signOutButton()), status, view);
  startRouter();
}

start();
