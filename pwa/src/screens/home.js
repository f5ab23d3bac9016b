/** Home: who is signed in, the tasks kept on this phone, and "next task" (with a warehouse picker if needed). */

import { h, replace, text } from "../ui.js";
import { orderedStops } from "../verdict.js";
import { isOpenTask } from "../vocabulary.js";

export function openTasks(state) {
  return Object.values(state.tasks)
    .filter(isOpenTask)
    .sort((a, b) => (b.priority || 0) - (a.priority || 0) || a.id - b.id);
}

export function homeScreen(ctx) {
  const { t } = ctx;
  const who = h("p", { class: "who", testid: "signed-in-as" });
  const next = h("button", { class: "primary huge", testid: "next-task", onclick: () => ctx.sync.nextTask() }, t("next_task"));
  const message = h("p", { class: "message", role: "status" });
  const picker = h("section", { class: "card stack", testid: "warehouse-picker", hidden: true, "aria-labelledby": "wh-title" });
  const list = h("ul", { class: "tasks", "aria-labelledby": "tasks-title" });
  const signOut = h("button", { class: "quiet", testid: "sign-out", onclick: () => ctx.session.signOut() }, t("sign_out"));

  const el = h("section", { class: "screen home" },
    h("h1", { class: "visually-hidden" }, t("app_name")),
    who, next, message, picker,
    h("h2", { id: "tasks-title" }, t("my_tasks")), list,
    signOut);

  let shownTasks = "";
  let shownWarehouses = null;

  function update(state) {
    const user = state.user || {};
    text(who, t("signed_in_as", { name: user.display_name || user.username || "", role: user.role ? t(`role_${user.role}`) : "" }));
    next.disabled = state.busy;
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
