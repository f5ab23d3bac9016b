/** Starts the phone app: loads what the phone kept, draws the first screen, then wires the capabilities. */

import "./styles.css";
import * as store from "./store.js";
import { openDatabase } from "./db.js";
import { createApi } from "./api.js";
import { createOutbox } from "./outbox.js";
import { createSocket } from "./socket.js";
import { createFeedback } from "./feedback.js";
import { createWakeLock } from "./wakelock.js";
import { createOverlay } from "./overlay.js";
import { createWork } from "./work.js";
import { createSync } from "./sync.js";
import { createSession } from "./session.js";
import { createApp } from "./app.js";
import { createWedge } from "./scanner/wedge.js";
import { createCamera } from "./scanner/camera.js";
import { browserLang, errorText, noticeText, translator } from "./strings.js";
import { taskComplete } from "./verdict.js";
import { useVocabulary } from "./vocabulary.js";

const KEPT = ["lang", "user", "lastUser", "currentTaskId", "screen", "doneTask", "warehouse", "layouts", "pack", "vocabulary", "receiving", "receivingPos", "counting"];
const TASK_SCREENS = new Set(["pick", "sort", "pack", "putaway", "count"]);

async function start() {
  const db = await openDatabase();
  const kept = Object.fromEntries(await Promise.all(KEPT.map(async (key) => [key, await db.get(key)])));
  const tasks = Object.fromEntries((await db.loadTasks()).map((task) => [task.id, task]));
  const initial = Object.fromEntries(Object.entries(kept).filter(([, value]) => value !== undefined));
  if (!initial.lang) initial.lang = browserLang();
  useVocabulary(initial.vocabulary);
  store.subscribe((state, previous) => {
    if (state.vocabulary !== previous.vocabulary) useVocabulary(state.vocabulary);
  });
  store.set({ ...initial, tasks, online: navigator.onLine, pack: initial.pack || {} });
  if (!store.get().user) store.set({ screen: "signin" });
  else if (store.get().screen === "signin" || (TASK_SCREENS.has(store.get().screen) && !tasks[store.get().currentTaskId])) {
    store.set({ screen: "home", currentTaskId: null });
  }

  let translate = null;
  let translatedLang = null;
  const t = (key, params) => {
    if (translatedLang !== store.get().lang) {
      translatedLang = store.get().lang;
      translate = translator(translatedLang);
    }
    return translate(key, params);
  };

  const reach = { ok: true };
  const showOnline = () => store.set({ online: navigator.onLine && reach.ok });
  const api = createApi({
    onReach(ok) {
      if (reach.ok !== ok) {
        reach.ok = ok;
        showOnline();
      }
    },
  });

  const overlay = createOverlay({ t });
  const feedback = createFeedback();
  const ctx = { t, store, api };

  function finishTask(task) {
    const state = store.get();
    // A pack closes with its label; a count with the figure sent (its one stop asks for no units).
    if (state.currentTaskId !== task.id || !TASK_SCREENS.has(state.screen) || task.type === "pack" || task.type === "count") return;
    const units = task.stops.reduce((n, s) => n + s.picked, 0);
    store.set({
      screen: "done", doneTask: { id: task.id, type: task.type, units }, binConfirmed: null, mapOpen: false, shortOpen: false,
      tasks: { ...state.tasks, [task.id]: { ...task, status: "done" } },
    });
  }

  const handlers = {
    scanResults(entries, results) {
      const byId = new Map(results.map((r) => [r.id, r]));
      for (const entry of entries) {
        const result = byId.get(entry.id);
        if (!result) continue;
        const shown = ctx.overlay.server(entry.id, result, entry.local);
        const agree = result.verdict === entry.local.verdict && (result.units ?? 0) === (entry.local.units ?? 0);
        if (!agree && !shown) {
          store.notice(t("disagree_notice", {
            barcode: entry.body.barcode, local: t(`v_${entry.local.verdict}`), server: t(`v_${result.verdict}`),
            message: result.notice ? noticeText(t, result.notice) : result.message,
          }), `disagree:${entry.id}`);
        }
      }
    },
    shortageDone(entry, shortage) {
      if (shortage?.task && !outbox.pendingFor(entry.task_id) && store.get().tasks[entry.task_id]) {
        store.putTask(shortage.task); // it may carry new stops: the units found in another bin
      }
      // What changed on the trip ("1 stop added: A11-09-1, after A06-16"), in the phone's language.
      if (shortage?.notice) store.notice(noticeText(t, shortage.notice), `shortage:${shortage.id}`);
    },
    countDone(entry, result) {
      // Never the books' figure: only whether another worker will recount the bin.
      if (result?.status === "recount") store.notice(t("count_recount", { location: entry.local?.location ?? "" }), `recount:${entry.id}`);
    },
    packDone(entry, result) {
      ctx.work.packed(entry.task_id, result);
    },
    taskGone(taskId, error, dropped) {
      const scans = dropped.filter((e) => e.kind === "scan").length;
      const why = error.code === "not_your_task" ? t("task_gone_reassigned")
        : error.status === 409 ? t("task_gone_closed") : errorText(t, error);
      const reason = scans ? `${why}. ${t("task_gone_dropped", { n: scans })}` : why;
      if (store.get().pack[taskId]?.status === "sending") ctx.work.setPack(taskId, { error: errorText(t, error) });
      if (store.get().tasks[taskId]) ctx.sync.gone(taskId, reason);
      else store.notice(t("task_gone", { id: taskId, reason }), `gone:${taskId}`);
    },
    rejected(entry, error) {
      if (entry.kind === "pack") {
        // The pack screen words the refusal itself (the scale's figures, a held parcel), in the phone's language.
        ctx.work.setPack(entry.task_id, { ...ctx.work.refusal(error), parcels: entry.body.parcels });
        return;
      }
      store.notice(t("rejected", { message: errorText(t, error) }), `rejected:${entry.id}`);
    },
    signedOut() {
      ctx.session.expired();
    },
    settled(taskId) {
      ctx.sync.refresh(taskId);
    },
  };

  const outbox = createOutbox({ db, api, store, handlers });
  const socket = createSocket({
    onEvent: (name, payload) => ctx.sync.onEvent(name, payload),
    onLive(up) {
      store.set({ live: up });
      if (up) {
        ctx.sync.connected();
        reach.ok = true;
        showOnline();
        outbox.flush();
      }
    },
  });
  Object.assign(ctx, {
    overlay,
    feedback,
    outbox,
    sync: createSync({ api, outbox, t }),
    work: createWork({ outbox, overlay, feedback, t, finishTask, api }),
  });
  ctx.session = createSession({ api, outbox, socket, sync: ctx.sync, t });
  ctx.camera = createCamera({
    onCode: (code) => ctx.scan(code, "camera"),
    onState: (camera, reason) => store.set({ camera, cameraError: reason ? t("camera_failed", { reason }) : "" }),
  });

  const app = createApp(document.getElementById("root"), ctx);
  ctx.scan = (code) => app.dispatch(code);
  createWedge({ onScan: (code) => ctx.scan(code, "wedge") });

  // Keep what a reload or a dead battery must not lose, and hold the screen awake during a task.
  const wakeLock = createWakeLock();
  let saving = Promise.resolve();
  store.subscribe((state, previous) => {
    const changed = KEPT.filter((key) => state[key] !== previous[key]);
    if (changed.length) saving = saving.then(() => Promise.all(changed.map((key) => db.set(key, state[key])))).catch(() => {});
    if (state.tasks !== previous.tasks) saving = saving.then(() => db.saveTasks(Object.values(state.tasks))).catch(() => {});
    wakeLock.want(TASK_SCREENS.has(state.screen));
    const task = state.tasks[state.currentTaskId];
    if (task && task.type !== "pack" && task.type !== "count" && TASK_SCREENS.has(state.screen) && taskComplete(task)) queueMicrotask(() => finishTask(store.get().tasks[task.id]));
  });
  wakeLock.want(TASK_SCREENS.has(store.get().screen));

  window.addEventListener("online", () => {
    showOnline();
    ctx.session.check();
    outbox.flush();
  });
  window.addEventListener("offline", showOnline);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") outbox.flush();
  });

  if (store.get().user) {
    await outbox.load();
    if (navigator.onLine) ctx.session.check();
  }
  registerServiceWorker();
}

function registerServiceWorker() {
  if (!("serviceWorker" in navigator) || import.meta.env.DEV) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
    // no service worker (private mode, plain http on a LAN address): the app still works online
  });
}

start();
