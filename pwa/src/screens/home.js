/** Home: who is signed in, the tasks kept on this phone, and "next task" (with a warehouse picker if needed). */

import { h, replace, text } from "../ui.js";
import { orderedStops } from "../verdict.js";
import { isOpenTask } from "../vocabulary.js";
import { CLOSERS, manifestPart } from "./manifest.js";

// Who receives deliveries at the dock (the server says the same: api/receiving.py RECEIVERS).
const RECEIVERS = new Set(["picker", "packer", "supervisor", "admin"]);

export function openTasks(state) {
  return Object.values(state.tasks)
    .filter(isOpenTask)
    .sort((a, b) => (b.priority || 0) - (a.priority || 0) || a.id - b.id);
}

export function homeScreen(ctx) {
  const { t } = ctx;
  const who = h("p", { class: "who", testid: "signed-in-as" });
  const next = h("button", { class: "primary huge", testid: "next-task", onclick: () => ctx.sync.nextTask() }, t("next_task"));
  // Counts are their own queue: a picker counts bins between trips, when they choose to.
  const count = h("button", { class: "big", testid: "next-count", onclick: () => ctx.sync.nextTask(["count"]) }, t("count_button"));
  const message = h("p", { class: "message", role: "status" });
  const picker = h("section", { class: "card stack", testid: "warehouse-picker", hidden: true, "aria-labelledby": "wh-title" });
  const list = h("ul", { class: "tasks", "aria-labelledby": "tasks-title" });
  const signOut = h("button", { class: "quiet", testid: "sign-out", onclick: () => ctx.session.signOut() }, t("sign_out"));
  const manifest = manifestPart(ctx); // the pack station closes the carrier's day from here too
  const receive = h("button", { type: "button", class: "big", testid: "receive-open", onclick: () => ctx.store.set({ screen: "receive" }) }, t("receive_open"));
  const returns = h("button", { class: "big", testid: "returns-open", onclick: () => ctx.store.set({ screen: "returns" }) },
    t("returns_open"));

  const el = h("section", { class: "screen home" },
    h("h1", { class: "visually-hidden" }, t("app_name")),
    who, next, count, message, picker, receive,
    h("h2", { id: "tasks-title" }, t("my_tasks")), list,
    returns, manifest.el, signOut);

  let shownTasks = "";
  let shownWarehouses = null;

  function update(state) {
    const user = state.user || {};
    text(who, t("signed_in_as", { name: user.display_name || user.username || "", role: user.role ? t(`role_${user.role}`) : "" }));
    next.disabled = state.busy;
    count.disabled = state.busy;
    count.hidden = user.role === "packer";
    manifest.el.hidden = !CLOSERS.has(user.role);
    receive.hidden = !RECEIVERS.has(user.role);
    text(message, state.homeMessage);
    if (state.warehouses !== shownWarehouses) {
      shownWarehouses = state.warehouses;
      picker.hidden = !state.warehouses;
      replace(picker, h("h2", { id: "wh-title" }, t("choose_warehouse")),
        (state.warehouses || []).map((w) => h("button", {
          class: "big", testid: "warehouse-option", "data-code": w.code, onclick: () => ctx.sync.chooseWarehouse(w.code),
        }, `${w.code} — ${w.name}`)));
    }
    const tasks = openTasks(state);
    const key = JSON.stringify(tasks.map((task) => [task.id, task.status, task.stops?.length]));
    if (key !== shownTasks) {
      shownTasks = key;
      replace(list, tasks.length ? tasks.map((task) => h("li", {},
        h("button", { class: "big task", testid: "task", "data-task-id": task.id, onclick: () => ctx.sync.open(task.id) },
          t("task_line", { id: task.id, type: t(`type_${task.type}`), stops: orderedStops(task).length })
          + (task.status === "paused" ? ` · ${t("paused")}` : ""))))
        : h("li", { class: "empty" }, t("no_tasks")));
    }
  }

  return { el, update };
}
