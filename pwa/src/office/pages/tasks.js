/** The floor's open tasks by status and picker: assign, reassign, cancel, and unlock a locked-out worker.
 * Live: the warehouse's board room pushes task changes; the list redraws unless someone is typing in it. */
import { h, replace } from "../../ui.js";
import { plainError } from "../../staff/words.js";
import { session, view } from "../shell.js";
import { cards, get, input, newKey, select, send, w, warehouseCodes } from "./floor_kit.js";

const SUPERVISING = ["admin", "supervisor"];
const STATUSES = ["open", "created", "assigned", "in_progress", "paused", "done", "cancelled"];
const TYPES = ["pick", "sort", "pack", "count", "putaway"];
const LIVE_EVENTS = ["task.created", "task.assigned", "task.updated", "task.cancelled", "wave.released",
  "user.unlocked", "board.resync"];

let socket = null;
let liveWarehouse = null;
let redrawSoon = null;
let lastNote = ""; // what the last action did: kept when a push draws the list again

export async function tasksPage(params) {
  const codes = await warehouseCodes();
  const me = session.me;
  const warehouse = params.get("warehouse") || me.warehouse || codes[0] || "";
  const status = params.get("status") || "open";
  const type = params.get("type") || "";
  const assignee = params.get("assignee") || "";
  const qs = new URLSearchParams({ warehouse, page_size: "200" });
  if (status) qs.set("status", status);
  if (type) qs.set("type", type);
  if (assignee) qs.set("assignee", assignee);
  const [tasks, workers] = await Promise.all([get(`/tasks?${qs}`), get(`/warehouses/${encodeURIComponent(warehouse)}/workers`)]);
  const canAct = SUPERVISING.includes(me.role);
  const note = h("p", { role: "status", testid: "tasks-note", class: "floor-done" }, lastNote);

  const fields = {
    warehouse: select(codes.map((c) => [c, c]), { value: warehouse, testid: "tasks-warehouse", id: "tasks-warehouse" }),
    status: select(STATUSES.map((s) => [s, w(`status_${s}`)]), { value: status, testid: "tasks-status", id: "tasks-status" }),
    type: select([["", w("any")], ...TYPES.map((t) => [t, w(`type_${t}`)])], { value: type, testid: "tasks-type", id: "tasks-type" }),
    assignee: select([["", w("anyone")], ...workers.map((x) => [x.username, x.display_name])],
      { value: assignee, testid: "tasks-assignee", id: "tasks-assignee" }),
  };
  const apply = () => {
    const p = new URLSearchParams();
    for (const [k, el] of Object.entries(fields)) if (el.value) p.set(k, el.value);
    location.hash = `#/tasks?${p}`;
  };
  // A choice applies at once (kept in the address, so a live redraw never undoes it); Show is for keyboards.
  for (const el of Object.values(fields)) el.addEventListener("change", apply);
  const filter = h("form", { class: "floor-filters", role: "search", "aria-label": w("tasks_filter"), onsubmit: (e) => {
    e.preventDefault();
    apply();
  } },
  Object.entries(fields).map(([k, el]) => h("div", {}, h("label", { for: el.id }, w(`filter_${k}`)), el)),
  h("button", { type: "submit", testid: "tasks-show" }, w("show")),
  h("button", { type: "button", testid: "tasks-refresh", onclick: () => tasksPage(params) }, w("refresh")));

  const done = async (message) => {
    lastNote = message;
    await tasksPage(params);
  };
  const failed = (error, where) => {
    where.textContent = `${w("not_done")}: ${plainError(error)}`;
    where.closest("tr")?.querySelector("select, input")?.setAttribute("aria-invalid", "true");
  };

  const byStatus = {};
  for (const t of tasks) byStatus[t.status] = (byStatus[t.status] || 0) + 1;
  const summary = h("div", { class: "floor-summary", testid: "tasks-summary" },
    Object.entries(byStatus).map(([s, n]) => h("span", { "data-status": s }, w(`status_${s}`), ": ", h("strong", {}, n))),
    tasks.length ? "" : h("span", {}, w("no_tasks")));

  const taskRows = cards(w("tasks_caption", { n: tasks.length, warehouse }), [
    [w("task"), (t) => `#${t.id}`],
    [w("type"), (t) => w(`type_${t.type}`)],
    [w("status"), (t) => h("span", { testid: "task-status", "data-status": t.status }, w(`status_${t.status}`))],
    [w("picker"), (t) => h("span", { testid: "task-assignee" }, nameOf(workers, t.assignee))],
    [w("orders"), (t) => ordersOf(t)],
    [w("progress"), (t) => progress(t)],
    [w("actions"), (t) => (canAct && ["created", "assigned", "in_progress", "paused"].includes(t.status)
      ? actions(t, workers, done, failed) : "")],
  ], tasks, (t) => ({ testid: "task-row", "data-task-id": t.id, "data-status": t.status }));

  const people = cards(w("workers_caption", { warehouse }), [
    [w("worker"), (x) => `${x.display_name} (${x.username})`],
    [w("role"), (x) => x.role],
    [w("open_tasks"), (x) => x.open_tasks],
    [w("sign_in"), (x) => (x.locked ? h("strong", { class: "staff-error" }, w("locked_out")) : w("can_sign_in"))],
    [w("actions"), (x) => (canAct && x.locked ? unlockButton(x, done, failed) : "")],
  ], workers, (x) => ({ testid: "worker-row", "data-username": x.username, "data-locked": String(x.locked) }));

  replace(view, h("h2", {}, w("tasks_title")), filter, note, summary, taskRows, people);
  view.dataset.tasksWarehouse = warehouse;
  goLive(warehouse);
}

const nameOf = (workers, username) => (username ? workers.find((x) => x.username === username)?.display_name || username : w("nobody"));

function ordersOf(task) {
  const totes = Object.values(task.data?.totes || {}).map((x) => x.order);
  return [...new Set([task.order, ...totes, ...task.stops.map((s) => s.order)].filter(Boolean))].join(", ");
}

function progress(task) {
  const total = task.stops.reduce((n, s) => n + s.qty, 0);
  const picked = task.stops.reduce((n, s) => n + (s.picked || 0), 0);
  return w("progress_units", { picked, total, stops: task.stops.length });
}

function actions(task, workers, done, failed) {
  const err = h("span", { class: "staff-error", role: "alert", testid: "task-error" });
  const id = `assign-${task.id}`;
  const who = select([["", w("choose_worker")], ...workers.filter((x) => x.username !== task.assignee)
    .map((x) => [x.username, `${x.display_name} · ${w("open_n", { n: x.open_tasks })}`])], { id, testid: "task-worker" });
  let assignKey = newKey();
  const assign = h("button", { type: "button", testid: "task-assign", onclick: async () => {
    err.textContent = "";
    if (!who.value) { err.textContent = w("choose_worker_first"); who.setAttribute("aria-invalid", "true"); who.focus(); return; }
    try {
      await send("POST", `/tasks/${task.id}/assign`, { username: who.value }, assignKey);
      assignKey = newKey();
      done(w("assigned_to", { id: task.id, name: who.selectedOptions[0].textContent.split(" · ")[0] }));
    } catch (error) { failed(error, err); }
  } }, task.assignee ? w("reassign") : w("assign"));
  const reason = input({ id: `cancel-${task.id}`, testid: "task-cancel-reason", placeholder: w("reason_placeholder") });
  let cancelKey = newKey();
  const confirm = h("div", { class: "floor-actions", hidden: true },
    h("label", { for: reason.id }, w("cancel_reason")), reason,
    h("button", { type: "button", class: "danger", testid: "task-cancel-confirm", onclick: async () => {
      err.textContent = "";
      try {
        await send("POST", `/tasks/${task.id}/cancel`, { reason: reason.value.trim() }, cancelKey);
        cancelKey = newKey();
        done(w("cancelled_task", { id: task.id }));
      } catch (error) { failed(error, err); }
    } }, w("cancel_confirm")),
    h("button", { type: "button", testid: "task-cancel-keep", onclick: () => { confirm.hidden = true; } }, w("keep")));
  const cancel = h("button", { type: "button", class: "danger", testid: "task-cancel", onclick: () => {
    confirm.hidden = false;
    reason.focus();
  } }, w("cancel_task"));
  who.setAttribute("aria-describedby", `task-err-${task.id}`);
  err.id = `task-err-${task.id}`;
  return h("div", {}, h("div", { class: "floor-actions" },
    h("label", { for: id, class: "visually-hidden" }, w("assign_task_to", { id: task.id })), who, assign, cancel), confirm, err);
}

function unlockButton(worker, done, failed) {
  const err = h("span", { class: "staff-error", role: "alert" });
  let key = newKey();
  return h("div", { class: "floor-actions" }, h("button", { type: "button", testid: "worker-unlock",
    "aria-label": w("unlock_who", { name: worker.display_name }), onclick: async () => {
      try {
        await send("POST", `/users/${encodeURIComponent(worker.username)}/unlock`, {}, key);
        key = newKey();
        done(w("unlocked", { name: worker.display_name }));
      } catch (error) { failed(error, err); }
    } }, w("unlock")), err);
}

/** Pushes from the warehouse's board room redraw the list, unless a form in it has the focus. */
async function goLive(warehouse) {
  const again = () => {
    clearTimeout(redrawSoon);
    redrawSoon = setTimeout(() => {
      if (view.dataset.page !== "tasks") return;
      const busy = view.contains(document.activeElement) && document.activeElement.matches("input, select");
      if (busy) { redrawSoon = setTimeout(again, 2000); return; }
      tasksPage(new URLSearchParams(location.hash.split("?")[1] || "")).catch(() => {});
    }, 400);
  };
  try {
    if (!socket) {
      const { io } = await import("socket.io-client");
      socket = io({ path: "/socket.io", transports: ["websocket"], withCredentials: true });
      socket.on("connect", () => liveWarehouse && socket.emit("subscribe", { warehouse: liveWarehouse }));
      for (const name of LIVE_EVENTS) socket.on(name, () => again());
    }
    if (liveWarehouse !== warehouse) {
      liveWarehouse = warehouse;
      if (socket.connected) socket.emit("subscribe", { warehouse });
    }
  } catch {
    // No live updates (e.g. the socket library failed to load): the Refresh button still works.
  }
}
