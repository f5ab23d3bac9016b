/** The phone's tasks against the server's: next task, snapshots and pushes, refreshes after sync, gone tasks. */

import * as store from "./store.js";
import { taskComplete } from "./verdict.js";
import { openTasks } from "./screens/home.js";
import { errorText } from "./strings.js";
import { createPushWatch } from "./pushseq.js";

const SCREEN_OF = { pick: "pick", sort: "sort", pack: "pack", putaway: "putaway", count: "count" };

function hasBarcodes(task) {
  return Array.isArray(task.stops) && task.stops.every((s) => Array.isArray(s.barcodes));
}

function sameStops(a, b) {
  const ids = (task) => (task.stops || []).map((s) => s.id).sort().join(",");
  return ids(a) === ids(b);
}

/** The phone's copy with the server's withdrawn stops closed (the phone's own progress on the rest kept). */
function withdrawn(local, server) {
  const byId = new Map(server.stops.map((s) => [s.id, s]));
  return {
    ...local,
    notice: server.notice,
    stops: local.stops.map((s) => (byId.get(s.id)?.notice ? { ...s, status: byId.get(s.id).status, notice: byId.get(s.id).notice } : s)),
  };
}

/** Progress fields of a partial task (a snapshot without barcodes) laid over the full local copy. */
function merge(local, partial) {
  const byId = new Map((partial.stops || []).map((s) => [s.id, s]));
  return {
    ...local,
    ...Object.fromEntries(Object.entries(partial).filter(([key]) => key !== "stops")),
    stops: local.stops.map((s) => (byId.has(s.id) ? { ...s, ...byId.get(s.id), barcodes: s.barcodes } : s)),
  };
}

export function createSync({ api, outbox, t }) {
  function open(taskId) {
    const task = store.get().tasks[taskId];
    if (!task) return;
    const screen = SCREEN_OF[task.type];
    if (!screen) {
      store.notice(t("rejected", { message: t("desk_only", { type: t(`type_${task.type}`) }) }));
      return;
    }
    store.set({ currentTaskId: taskId, screen, binConfirmed: null, mapOpen: false, shortOpen: false,
      sortLast: null, homeMessage: "" });
  }

  function goHome() {
    store.set({ screen: "home", currentTaskId: null, doneTask: null, mapOpen: false, shortOpen: false });
  }

  function openLocal(message) {
    const [first] = openTasks(store.get());
    if (first) open(first.id);
    else store.set({ homeMessage: message });
  }

  /** "Next task": the server's (the one I hold, else the most urgent free one), or one kept offline. */
  async function nextTask(types = null) {
    const state = store.get();
    if (state.busy) return;
    if (!navigator.onLine) return openLocal(t("offline_no_task"));
    store.set({ busy: true, homeMessage: t("asking") });
    const generations = outbox.generations();
    try {
      const body = { ...(state.warehouse ? { warehouse: state.warehouse } : {}), ...(types ? { types } : {}) };
      const task = await api.post("/tasks/next", body);
      if (!task) {
        store.set({ homeMessage: t("no_work") });
        if (store.get().screen === "done") goHome();
        return;
      }
      const before = generations.get(task.id) || 0;
      if (!store.get().tasks[task.id] || (!outbox.pendingFor(task.id) && outbox.generation(task.id) === before)) {
        store.putTask(task);
      }
      store.set({ homeMessage: "" });
      open(task.id);
    } catch (error) {
      if (error.code === "warehouse_required") {
        const warehouses = await api.get("/warehouses").catch(() => []);
        store.set({ warehouses, homeMessage: "", screen: "home", currentTaskId: null });
      } else if (error.offline) {
        openLocal(t("offline_no_task"));
      } else {
        store.set({ homeMessage: errorText(t, error) });
      }
    } finally {
      store.set({ busy: false });
    }
  }

  function chooseWarehouse(code) {
    store.set({ warehouse: code, warehouses: null });
    return nextTask();
  }

  async function loadLayout(code) {
    const state = store.get();
    if (!code || state.layouts[code] || !navigator.onLine) return;
    try {
      const warehouse = await api.get(`/warehouses/${encodeURIComponent(code)}`);
      store.update((s) => ({ layouts: { ...s.layouts, [code]: warehouse.layout } }));
    } catch {
      // the map says it needs the layout; the task itself works without it
    }
  }

  // Each notice once per task: a refresh that brings the same notice again does not bring back a dismissed one.
  const announced = new Set();
  function announce(taskId, notice) {
    const key = `notice:${taskId}:${JSON.stringify(notice)}`;
    if (announced.has(key)) return;
    announced.add(key);
    store.serverNotice(notice, key);
  }

  /** The task left this phone. `why`: the phone's own words, or a server notice ({code, params, message}). */
  function gone(taskId, why) {
    const state = store.get();
    if (!state.tasks[taskId]) return;
    if (why && typeof why === "object") store.serverNotice(why, `gone:${taskId}`, { key: "task_gone", params: { id: taskId } });
    else store.notice(t("task_gone", { id: taskId, reason: why }), `gone:${taskId}`);
    store.dropTask(taskId);
  }

  /** The server's word on every open task of mine: what the phone must keep, drop or fetch whole.
   * `generations`: the outbox's generations when the server took this picture; a task whose queue changed
   * since is left alone (the refresh after its queue drains brings the newer picture). */
  async function reconcile(serverTasks, generations = outbox.generations()) {
    const changed = (id) => outbox.pendingFor(id) > 0 || outbox.generation(id) !== (generations.get(id) || 0);
    const state = store.get();
    const serverIds = new Set(serverTasks.map((task) => task.id));
    for (const local of Object.values(state.tasks)) {
      if (serverIds.has(local.id) || changed(local.id)) continue;
      const finished = local.status === "done" || taskComplete(local) || state.pack[local.id]?.status;
      if (finished) {
        if (!(state.currentTaskId === local.id && ["done", "pack"].includes(state.screen))) store.dropTask(local.id);
      } else {
        gone(local.id, t("task_gone_unknown"));
      }
    }
    const fetchWhole = [];
    for (const task of serverTasks) {
      const local = store.get().tasks[task.id];
      if (changed(task.id)) {
        if (!local) fetchWhole.push(task.id);
        continue; // the phone is ahead of this picture
      }
      if (hasBarcodes(task)) store.putTask(task);
      else if (local && sameStops(local, task)) store.putTask(merge(local, task));
      else fetchWhole.push(task.id);
    }
    await Promise.all(fetchWhole.map((id) => refresh(id)));
  }

  /** The server's copy of a task replaces the phone's once nothing for it waits in the outbox, unless the
   * queue moved while the copy was on its way (then the refresh after the queue drains brings a newer one). */
  async function refresh(taskId) {
    if (!navigator.onLine) return;
    const before = outbox.generation(taskId);
    if (outbox.pendingFor(taskId) && store.get().tasks[taskId]) return;
    try {
      const task = await api.get(`/tasks/${taskId}`);
      const local = store.get().tasks[taskId];
      if (local && (outbox.pendingFor(taskId) || outbox.generation(taskId) !== before)) return;
      if (task.status === "cancelled") return gone(taskId, task.notice || t("task_gone_unknown"));
      if (task.notice && task.notice.code === "order_cancelled") announce(taskId, task.notice);
      const me = store.get().user;
      if (task.assignee && me && task.assignee !== me.username) return gone(taskId, t("task_gone_reassigned"));
      if (!local && task.status === "done") return;
      if (!local) store.notice(t("task_assigned", { id: task.id, type: t(`type_${task.type}`) }), `assigned:${task.id}`);
      store.putTask(task);
      if (task.status === "done" && store.get().currentTaskId !== taskId) store.dropTask(taskId);
    } catch (error) {
      if (error.status === 403 || error.status === 404) gone(taskId, errorText(t, error));
    }
  }

  // Pushes about a task are hints, not pictures: a push sent before one of this phone's scans may arrive
  // after its acknowledgement. One quiet second after the last, the task is fetched whole.
  const refreshSoon = new Map();
  function hint(taskId) {
    clearTimeout(refreshSoon.get(taskId));
    refreshSoon.set(taskId, setTimeout(() => {
      refreshSoon.delete(taskId);
      refresh(taskId);
    }, 1000));
  }

  let connectedGenerations = new Map();
  /** The socket (re)connected: the snapshot the server sends now is a picture of this moment. */
  function connected() {
    connectedGenerations = outbox.generations();
  }

  async function loadMine() {
    const generations = outbox.generations();
    try {
      await reconcile(await api.get("/tasks/mine"), generations);
    } catch {
      // offline or signed out: the socket's snapshot or the next start will do it
    }
  }

  // A missed push, or a server that lost pushes (Redis outage): the phone's tasks are fetched whole again. One
  // fetch at a time; another ask meanwhile means one more after it, since its answer may predate the cause.
  const watch = createPushWatch();
  let resyncing = null;
  let resyncAgain = false;
  function resync() {
    if (resyncing) {
      resyncAgain = true;
      return resyncing;
    }
    resyncing = (async () => {
      do {
        resyncAgain = false;
        await loadMine();
      } while (resyncAgain);
    })().finally(() => { resyncing = null; });
    return resyncing;
  }

  function onEvent(name, payload) {
    const state = store.get();
    const me = state.user;
    if (!me) return;
    if (name !== "tasks.snapshot" && watch.push(payload.seq)) resync();
    switch (name) {
      case "tasks.snapshot":
        watch.snapshot(payload.seq);
        // A snapshot sent on a resync (after a Redis outage) reaches the phone at a moment unknown to its
        // outbox, so its generations cannot be matched against it: the phone asks for its tasks itself.
        if (payload.reason) resync();
        else reconcile(payload.tasks || [], connectedGenerations);
        break;
      case "task.assigned":
        if (payload.assignee && payload.assignee !== me.username) break;
        if (state.tasks[payload.id]) hint(payload.id);
        else {
          store.notice(t("task_assigned", { id: payload.id, type: t(`type_${payload.type}`) }), `assigned:${payload.id}`);
          if (hasBarcodes(payload)) store.putTask(payload);
          else refresh(payload.id);
        }
        break;
      case "task.cancelled":
        gone(payload.id, payload.notice || t("task_gone_unknown"));
        break;
      case "task.updated":
        onUpdated(payload);
        break;
      case "task.created":
        if (!payload.assignee) store.notice(t("task_created", { type: t(`type_${payload.type}`), warehouse: payload.warehouse || "" }), `created:${payload.id}`);
        break;
      case "wave.released":
        store.notice(t("wave_released", { warehouse: payload.warehouse || "" }), `wave:${payload.id}`);
        break;
      default: // scan.mismatch and shortage.reported echo this phone's own work: already on screen
        break;
    }
  }

  function onUpdated(payload) {
    const state = store.get();
    const local = state.tasks[payload.id];
    if (!local) return;
    if (payload.status === "cancelled") return gone(payload.id, payload.notice || t("task_gone_unknown"));
    if (payload.notice && payload.notice.code === "order_cancelled") {
      // A stop was withdrawn under the picker: say why now, and stop showing it (the full picture came along).
      announce(payload.id, payload.notice);
      if (hasBarcodes(payload) && !outbox.pendingFor(payload.id)) store.putTask(payload);
      else if (hasBarcodes(payload)) store.putTask(withdrawn(local, payload));
    }
    if (payload.status === "done" && !outbox.pendingFor(payload.id)) {
      if (state.currentTaskId !== payload.id) return store.dropTask(payload.id);
      store.putTask({ ...local, status: "done" });
      return hint(payload.id); // the whole picture, so that an open pick screen can move on to "done"
    }
    if (!outbox.pendingFor(payload.id)) hint(payload.id); // else: refreshed once its queue is sent
  }

  return { open, goHome, nextTask, chooseWarehouse, loadLayout, reconcile, refresh, loadMine, resync, onEvent, gone,
    connected };
}
