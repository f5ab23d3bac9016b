/** The phone's IndexedDB: who is signed in and settings (kv), open tasks, and the outbox of unsent actions. */

import { openDB } from "idb";

const NAME = "baton";
const VERSION = 1;

export async function openDatabase() {
  const db = await openDB(NAME, VERSION, {
    upgrade(database) {
      database.createObjectStore("kv");
      database.createObjectStore("tasks", { keyPath: "id" });
      // seq is the order actions happened in; they are sent in that order.
      database.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
    },
  });
  return {
    get: (key) => db.get("kv", key),
    set: (key, value) => (value === undefined || value === null ? db.delete("kv", key) : db.put("kv", value, key)),
    async loadTasks() {
      return db.getAll("tasks");
    },
    async saveTasks(tasks) {
      const tx = db.transaction("tasks", "readwrite");
      await tx.store.clear();
      await Promise.all(tasks.map((task) => tx.store.put(task)));
      await tx.done;
    },
    outbox: {
      add: (entry) => db.add("outbox", entry),
      all: () => db.getAll("outbox"),
      put: (entry) => db.put("outbox", entry),
      remove: (seq) => db.delete("outbox", seq),
      async removeMany(seqs) {
        const tx = db.transaction("outbox", "readwrite");
        await Promise.all(seqs.map((seq) => tx.store.delete(seq)));
        await tx.done;
      },
      count: () => db.count("outbox"),
    },
  };
}
