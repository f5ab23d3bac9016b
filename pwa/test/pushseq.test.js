// Push sequence numbers at the phone: a skipped number makes it fetch its tasks whole (GET /tasks/mine).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPushWatch } from "../src/pushseq.js";
import { createSync } from "../src/sync.js";
import * as store from "../src/store.js";

const ROOMS = ["floor:EAST:picker", "user:7"];
const snap = (marks = {}) => ({ rooms: ROOMS, marks });
const seq = (origin, rooms) => ({ origin, rooms });

test("the push right after the snapshot's mark is no gap, the one after a missing number is", () => {
  const watch = createPushWatch();
  watch.snapshot(snap({ A: { "user:7": 4 } }));
  assert.equal(watch.push(seq("A", { "user:7": 5 })), false);
  assert.equal(watch.push(seq("A", { "user:7": 7 })), true); // 6 never came
  assert.equal(watch.push(seq("A", { "user:7": 8 })), false); // counted from the gap on
});

test("a process the snapshot did not mention is expected to start at 1", () => {
  const watch = createPushWatch();
  watch.snapshot(snap({ A: { "user:7": 4 } }));
  assert.equal(watch.push(seq("B", { "user:7": 1 })), false);
  const other = createPushWatch();
  other.snapshot(snap({ A: { "user:7": 4 } }));
  assert.equal(other.push(seq("B", { "user:7": 3 })), true); // B's 1 and 2 went missing
});

test("each room counts on its own, and rooms this socket is not in never make a gap", () => {
  const watch = createPushWatch();
  watch.snapshot(snap({ A: { "user:7": 2, "floor:EAST:picker": 10 } }));
  // one emit to a user room and a board: the board's number means nothing to this phone
  assert.equal(watch.push(seq("A", { "user:7": 3, "board:EAST": 90 })), false);
  assert.equal(watch.push(seq("A", { "floor:EAST:picker": 11 })), false);
  assert.equal(watch.push(seq("A", { "floor:EAST:picker": 13 })), true);
});

test("late, repeated or unnumbered pushes are no gap", () => {
  const watch = createPushWatch();
  watch.snapshot(snap({ A: { "user:7": 5 } }));
  assert.equal(watch.push(seq("A", { "user:7": 3 })), false);
  assert.equal(watch.push(seq("A", { "user:7": 5 })), false);
  assert.equal(watch.push(undefined), false);
  assert.equal(watch.push({ origin: "A" }), false);
});

test("before its first snapshot the phone cannot judge, and a later snapshot never lowers a mark", () => {
  const watch = createPushWatch();
  assert.equal(watch.push(seq("A", { "user:7": 9 })), false); // rooms unknown yet
  watch.snapshot(snap({ A: { "user:7": 6 } })); // taken before push 9 was sent
  assert.equal(watch.push(seq("A", { "user:7": 10 })), false);
});

function phoneSync() {
  globalThis.navigator ??= { onLine: true };
  const fetched = [];
  const api = {
    get: async (path) => {
      fetched.push(path);
      return [];
    },
    post: async () => null,
  };
  const outbox = { generations: () => new Map(), generation: () => 0, pendingFor: () => 0 };
  store.set({ user: { id: 7, username: "picker" }, tasks: {} });
  return { sync: createSync({ api, outbox, t: (key) => key }), fetched };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test("a push that skipped a number makes the phone fetch its tasks whole; consecutive ones do not", async () => {
  const { sync, fetched } = phoneSync();
  sync.onEvent("tasks.snapshot", { tasks: [], seq: snap({ A: { "user:7": 1 } }) });
  sync.onEvent("task.cancelled", { id: 1, seq: seq("A", { "user:7": 2 }) });
  await settle();
  assert.deepEqual(fetched, []);

  sync.onEvent("task.cancelled", { id: 2, seq: seq("A", { "user:7": 4 }) });
  await settle();
  assert.deepEqual(fetched, ["/tasks/mine"]);
});

test("a snapshot sent on a resync makes the phone fetch its tasks whole, once for a burst", async () => {
  const { sync, fetched } = phoneSync();
  sync.onEvent("tasks.snapshot", { tasks: [], seq: snap() });
  await settle();
  assert.deepEqual(fetched, []);

  const resync = { tasks: [], seq: snap(), reason: "redis_reconnected" };
  sync.onEvent("tasks.snapshot", resync);
  sync.onEvent("tasks.snapshot", resync);
  sync.onEvent("tasks.snapshot", resync);
  await sync.resync();
  // one fetch, and one more because the phone was asked again while it ran
  assert.deepEqual(fetched, ["/tasks/mine", "/tasks/mine"]);
});
