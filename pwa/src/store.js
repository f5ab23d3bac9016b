/** The app's one place of mutable state: read with get(), change with set()/update(), watch with subscribe(). */

let state = {
  lang: "en",
  user: null, // {id, username, display_name, role}
  lastUser: null, // who used this phone last: their tasks and queued actions stay for them
  layouts: {}, // warehouse code -> layout, for the trip map offline
  screen: "signin", // signin | home | pick | sort | pack | done | receive
  receiving: null, // the dock's draft receipt: {poId, number, key, entries, damaged, reason, sending, queued}
  receivingPos: null, // the POs the dock last saw waiting for goods (GET /receiving/purchase-orders)
  tasks: {}, // id -> task payload (GET /tasks/{id}), with local progress applied
  currentTaskId: null,
  doneTask: null, // {id, type, units} shown on the done screen
  warehouse: null, // the warehouse this phone asked work for (when the profile has none)
  warehouses: null, // the choices, while the warehouse picker is open
  online: typeof navigator === "undefined" ? true : navigator.onLine,
  live: false, // the Socket.IO connection is up
  outboxCount: 0,
  notices: [], // [{key, text, notice?}] newest last; a server notice is worded in the phone's language when shown
  vocabulary: null, // the server's words (GET /vocabulary), see vocabulary.js
  binConfirmed: null, // stop id whose bin label the picker scanned
  mapOpen: false,
  shortOpen: false,
  busy: false,
  homeMessage: "",
  signinError: "",
  pack: {}, // task id -> {status: sending|packed|error, result, error}
  sortLast: null, // {slot, message, verdict}
  camera: "off", // off | starting | on | error
};

const listeners = new Set();

export function get() {
  return state;
}

export function set(patch) {
  const previous = state;
  state = { ...state, ...patch };
  for (const listener of listeners) listener(state, previous);
}

export function update(change) {
  set(change(state));
}

export function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Actions shared by several screens and capabilities.

export function putTask(task) {
  update((s) => ({ tasks: { ...s.tasks, [task.id]: task } }));
}

export function dropTask(id) {
  update((s) => {
    const tasks = { ...s.tasks };
    delete tasks[id];
    const leaving = s.currentTaskId === id && s.screen !== "done";
    return { tasks, ...(leaving ? { currentTaskId: null, screen: "home", mapOpen: false, shortOpen: false } : {}) };
  });
}

export function notice(text, key = text) {
  update((s) => ({ notices: [...s.notices.filter((n) => n.key !== key), { key, text }].slice(-4) }));
}

/** A server notice ({code, params, message}), optionally inside one of the phone's own sentences:
 * `wrap` = {key, params} with the notice's words as its `reason` param. */
export function serverNotice(notice, key, wrap = null) {
  update((s) => ({ notices: [...s.notices.filter((n) => n.key !== key), { key, notice, wrap }].slice(-4) }));
}

export function clearNotices() {
  set({ notices: [] });
}
