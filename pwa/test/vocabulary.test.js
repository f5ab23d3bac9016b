// The phone lists as open the tasks whose status the server calls open (GET /vocabulary).
import { test } from "node:test";
import assert from "node:assert/strict";
import { openTasks } from "../src/screens/home.js";
import { useVocabulary } from "../src/vocabulary.js";

const tasks = (...statuses) => ({ tasks: Object.fromEntries(statuses.map((status, i) => [i + 1, { id: i + 1, status }])) });

test("before the server's words arrive, done and cancelled tasks are not listed", () => {
  assert.deepEqual(openTasks(tasks("assigned", "done", "cancelled", "in_progress")).map((t) => t.status),
    ["assigned", "in_progress"]);
});

test("the server's open task statuses decide what is listed", () => {
  useVocabulary({ withdrawn_stop_statuses: ["cancelled"], open_stop_status: "open",
    open_task_statuses: ["assigned", "in_progress", "waiting"] });
  assert.deepEqual(openTasks(tasks("assigned", "waiting", "done", "created")).map((t) => t.status),
    ["assigned", "waiting"]);
});
