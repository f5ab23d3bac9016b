/** The floor's words as the server defines them (GET /api/v1/vocabulary), kept on the phone for offline use. */

// Until the phone has heard the server once, a stop is open while its status says so and withdrawn when the
// server attached a notice saying why (only withdrawn stops carry one).
let served = null;

export function useVocabulary(vocabulary) {
  if (vocabulary && Array.isArray(vocabulary.withdrawn_stop_statuses)) served = vocabulary;
}

export function vocabulary() {
  return served;
}

export function isWithdrawn(stop) {
  return served ? served.withdrawn_stop_statuses.includes(stop.status) : Boolean(stop.notice);
}

/** A stop still taking units: its status is the open one (a stop without a status yet is open). */
export function isOpenStatus(stop) {
  return !stop.status || stop.status === (served ? served.open_stop_status : "open");
}

// Until the phone has heard the server once: the task statuses that end a task (domain/task_status.py).
const CLOSED_TASK_STATUSES = ["done", "cancelled"];

/** A task still to work on: one of the server's open task statuses. */
export function isOpenTask(task) {
  return served?.open_task_statuses ? served.open_task_statuses.includes(task.status)
    : !CLOSED_TASK_STATUSES.includes(task.status);
}
