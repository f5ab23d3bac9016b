/** The outbox: every scan and action is stored in IndexedDB with its own id and sent in order, exactly once.
 *
 * Scans carry a UUID the server dedupes on, so resending one after a lost answer never counts twice.
 * Shortages and pack confirmations have no id on the server, so they are only sent once every scan before
 * them has been acknowledged (strict order), and an entry that may already have reached the server is
 * checked against the task before it is sent again; a 409 saying the stop or task is closed means done.
 */

import { ApiError } from "./api.js";

const BATCH = 100;
const MIN_DELAY = 2000;
const MAX_DELAY = 60000;
const PERIOD = 30000;
const GONE_CODES = new Set(["not_your_task", "task_closed", "not_pickable", "not_packable", "not_found"]);

export function uuid() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  // Plain-http pages (a phone on a LAN address) have no randomUUID; getRandomValues is always there.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * handlers: scanResults(entries, results), shortageDone(entry, shortage|null), packDone(entry, result|null),
 * taskGone(taskId, error, dropped), rejected(entry, error), signedOut(), settled(taskId).
 */
export function createOutbox({ db, api, store, handlers }) {
  let running = null;
  let again = false;
  let timer = null;
  let failures = 0;
  const pending = new Map(); // task id -> entries not yet acknowledged
  // task id -> how many times its queue changed. A copy of the task fetched before a change may predate
  // a scan the server has since acknowledged: whoever fetched it compares generations and drops it.
  const generations = new Map();

  function bump(taskId, delta) {
    const n = (pending.get(taskId) || 0) + delta;
    if (n > 0) pending.set(taskId, n);
    else pending.delete(taskId);
    generations.set(taskId, (generations.get(taskId) || 0) + 1);
  }

  async function load() {
    pending.clear();
    for (const entry of await mine()) bump(entry.task_id, 1);
    showCount();
  }

  function showCount() {
    let total = 0;
    for (const n of pending.values()) total += n;
    if (store.get().outboxCount !== total) store.set({ outboxCount: total });
  }

  async function mine() {
    const user = store.get().user;
    if (!user) return [];
    return (await db.outbox.all()).filter((e) => e.user_id === user.id).sort((a, b) => a.seq - b.seq);
  }

  /** Queue an action; `local` is what the phone decided (its verdict), kept to compare with the server's. */
  async function add(kind, taskId, body, local = {}) {
    const entry = {
      id: body.id || uuid(), kind, task_id: taskId, user_id: store.get().user?.id, body, local,
      attempts: 0, created_at: new Date().toISOString(),
    };
    bump(taskId, 1);
    showCount(); // at once, before IndexedDB answers
    entry.seq = await db.outbox.add(entry);
    flush();
    return entry;
  }

  function flush() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await (navigator.locks?.request ? navigator.locks.request("baton-outbox", drain) : drain());
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  async function drain() {
    for (;;) {
      const { user, online } = store.get();
      if (!user || !online) return;
      const entries = await mine();
      if (!entries.length) {
        failures = 0;
        return;
      }
      const head = entries[0];
      let batch = [head];
      if (head.kind === "scan") {
        const run = entries.findIndex((e) => e.kind !== "scan" || e.task_id !== head.task_id);
        batch = entries.slice(0, run === -1 ? entries.length : run).slice(0, BATCH);
      }
      for (const entry of batch) {
        entry.attempts += 1; // recorded before sending: a later retry knows it may have arrived
        await db.outbox.put(entry);
      }
      try {
        await send(batch);
      } catch (error) {
        if (!(error instanceof ApiError) || error.retryable) {
          retryLater();
          return;
        }
        if (error.status === 401) {
          handlers.signedOut();
          return;
        }
        await settle(batch, error);
      }
      failures = 0;
    }
  }

  async function send(batch) {
    const head = batch[0];
    if (head.kind === "scan") {
      const answer = await api.post("/scans", { scans: batch.map((e) => e.body) });
      await remove(batch);
      handlers.scanResults(batch, answer.results || []);
    } else if (head.kind === "shortage") {
      if (head.attempts > 1 && (await alreadyReported(head))) {
        await remove(batch);
        handlers.shortageDone(head, null);
      } else {
        const shortage = await api.post(`/tasks/${head.task_id}/shortages`, head.body, { key: head.id });
        await remove(batch);
        handlers.shortageDone(head, shortage);
      }
    } else if (head.kind === "pause") {
      await api.post(`/tasks/${head.task_id}/pause`, {}); // pausing twice changes nothing: safe to resend
      await remove(batch);
    } else if (head.kind === "count") {
      // Keyed: a resend after a lost answer replays the first answer, never a second count.
      const result = await api.post(`/tasks/${head.task_id}/count`, head.body, { key: head.id });
      await remove(batch);
      handlers.countDone?.(head, result);
    } else if (head.kind === "pack") {
      if (head.attempts > 1 && (await alreadyPacked(head))) {
        await remove(batch);
        handlers.packDone(head, null);
      } else {
        const result = await api.post(`/tasks/${head.task_id}/pack`, head.body, { key: head.id });
        await remove(batch);
        handlers.packDone(head, result);
      }
    } else {
      await remove(batch); // a kind this version does not know: never block the queue on it
    }
    settledIfLast(head.task_id);
  }

  async function alreadyReported(entry) {
    const task = await api.get(`/tasks/${entry.task_id}`);
    const stop = (task.stops || []).find((s) => s.id === entry.body.stop_id);
    return Boolean(stop && (stop.short > 0 || stop.status !== "open"));
  }

  async function alreadyPacked(entry) {
    const task = await api.get(`/tasks/${entry.task_id}`);
    return task.status === "done";
  }

  async function settle(batch, error) {
    const head = batch[0];
    if (error.code === "stop_closed") {
      await remove(batch);
      handlers.shortageDone(head, null);
    } else if (error.status === 404 || GONE_CODES.has(error.code)) {
      // The task is not ours any more: nothing queued for it can count. Say so, once, with the count.
      const dropped = (await mine()).filter((e) => e.task_id === head.task_id);
      await remove(dropped);
      handlers.taskGone(head.task_id, error, dropped);
    } else {
      await remove(batch);
      for (const entry of batch) handlers.rejected(entry, error);
    }
    settledIfLast(head.task_id);
  }

  function settledIfLast(taskId) {
    if (!pending.has(taskId)) handlers.settled(taskId);
  }

  async function remove(entries) {
    if (!entries.length) return;
    await db.outbox.removeMany(entries.map((e) => e.seq));
    for (const entry of entries) bump(entry.task_id, -1);
    showCount();
  }

  function retryLater() {
    failures += 1;
    clearTimeout(timer);
    const delay = Math.min(MAX_DELAY, MIN_DELAY * 2 ** (failures - 1)) * (0.75 + Math.random() / 2);
    timer = setTimeout(flush, delay);
  }

  // Entries belong to the user who made them: one who signs out finds them waiting when they sign in again.
  const periodic = setInterval(() => {
    if (pending.size) flush();
  }, PERIOD);

  return {
    add,
    flush,
    load,
    pendingFor: (taskId) => pending.get(taskId) || 0,
    generation: (taskId) => generations.get(taskId) || 0,
    generations: () => new Map(generations),
    stop: () => {
      clearInterval(periodic);
      clearTimeout(timer);
    },
  };
}
