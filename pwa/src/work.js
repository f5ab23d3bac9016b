/** Floor actions on the open task: scans (judged at once, queued for the server), counts, shortages, packing. */

import * as store from "./store.js";
import { uuid } from "./outbox.js";
import { packWords } from "./pack_words.js";
import { errorText } from "./strings.js";
import { currentStop, judgeScan, knownElsewhere, orderedStops, taskComplete } from "./verdict.js";

/** The task with `units` more confirmed at one stop (and that stop resolved when nothing is owed). */
export function withProgress(task, stopId, units) {
  return {
    ...task,
    stops: task.stops.map((stop) => {
      if (stop.id !== stopId) return stop;
      const picked = stop.picked + units;
      const owed = stop.qty - (stop.short || 0);
      return { ...stop, picked, status: picked >= owed ? (stop.short ? "short" : "done") : stop.status };
    }),
  };
}

/** The task with one stop's bin-first steps noted (its bin label scanned, one unit scanned), as the server
 * notes them when the scan syncs. */
export function withSteps(task, stopId, steps) {
  return { ...task, stops: task.stops.map((stop) => (stop.id === stopId ? { ...stop, ...steps } : stop)) };
}

export function createWork({ outbox, overlay, feedback, t, finishTask, api }) {
  function openTask() {
    const { tasks, currentTaskId } = store.get();
    return tasks[currentTaskId] || null;
  }

  /** One scan of the open task: verdict on screen within the frame, then queued for the server. */
  function scan(code, { qty = null } = {}) {
    const task = openTask();
    if (!task) return null;
    const others = knownElsewhere(Object.values(store.get().tasks), task.id);
    const judged = judgeScan(task, code, { qty, others });
    const verdict = task.type === "pack" ? packWords(judged) : judged;
    const id = uuid();
    overlay.show({ id, ...verdict, source: "local", barcode: code });
    feedback.signal(verdict.verdict === "match" ? "good" : "bad");

    let next = verdict.units > 0 ? withProgress(task, verdict.stopId, verdict.units) : task;
    if (task.type === "pick" && verdict.verdict === "match") {
      next = withSteps(next, verdict.stopId, verdict.units === 0 ? { bin_scanned: true } : qty ? {} : { item_scanned: true });
    }
    const patch = { tasks: { ...store.get().tasks, [task.id]: next } };
    if (["pick", "putaway"].includes(task.type) && verdict.verdict === "match" && verdict.units === 0) patch.binConfirmed = verdict.stopId;
    if (task.type === "sort") {
      const stop = task.stops.find((s) => s.id === verdict.stopId);
      patch.sortLast = {
        verdict: verdict.verdict,
        slot: verdict.verdict === "match" ? stop?.tote_slot : "✖",
        text: t(verdict.key, verdict.fields),
      };
    }
    store.set(patch);

    const body = { id, task_id: task.id, barcode: code, scanned_at: new Date().toISOString() };
    if (verdict.stopId != null) body.stop_id = verdict.stopId; // judged against the stop the picker was shown
    if (qty) body.qty = qty;
    outbox.add("scan", task.id, body, { verdict: verdict.verdict, units: verdict.units, key: verdict.key,
      fields: verdict.fields, barcode: code });
    if (task.type !== "pack" && verdict.units > 0 && taskComplete(next)) finishTask(next);
    return verdict;
  }

  /** A typed count instead of scanning every unit: the stop's unit barcode, counted n times. */
  function countUnits(n) {
    const task = openTask();
    const stop = task && currentStop(task);
    if (!stop) return false;
    const barcodes = [...(stop.barcodes || [])].sort((a, b) => a.units - b.units);
    const unit = barcodes[0];
    if (!unit) {
      store.notice(t("count_no_unit"));
      return false;
    }
    if (n % unit.units !== 0) {
      store.notice(t("count_case", { units: unit.units }));
      return false;
    }
    return scan(unit.code, { qty: n / unit.units })?.verdict === "match";
  }

  /** The bin had fewer than expected: queued like a scan, after every scan before it. */
  function reportShortage(found, reason) {
    const task = openTask();
    const stop = task && currentStop(task);
    if (!stop) return;
    found = Math.min(Math.max(found, stop.picked), stop.qty - 1);
    const missing = stop.qty - found;
    const next = {
      ...task,
      stops: task.stops.map((s) => (s.id !== stop.id ? s
        : { ...s, short: missing, status: s.picked >= found ? "short" : s.status })),
    };
    store.set({ tasks: { ...store.get().tasks, [task.id]: next }, shortOpen: false, binConfirmed: null });
    outbox.add("shortage", task.id, { stop_id: stop.id, found, reason }, { location: stop.location });
    if (taskComplete(next)) finishTask(next);
  }

  /** Close the parcels: one scale reading per parcel (the box suggestion says how many), queued after
   * every scan before it. The server checks the readings against goods + box tare. */
  function confirmPack(weightTexts) {
    const task = openTask();
    if (!task) return;
    const unchecked = orderedStops(task).reduce((n, s) => n + Math.max(s.qty - (s.short || 0) - s.picked, 0), 0);
    if (unchecked > 0) return setPack(task.id, { error: t("pack_unchecked", { n: unchecked }) });
    const weights = [].concat(weightTexts).map((w) => Number.parseFloat(String(w).replace(",", ".")));
    if (!weights.length || !weights.every((w) => w > 0)) return setPack(task.id, { error: t("pack_weight_missing") });
    const box = task.data?.box;
    const [l, w, h] = box?.inner_cm?.map(Number) || [30, 20, 15];
    const parcels = weights.map((kg) => ({ weight_kg: kg.toFixed(3), dims_cm: { l, w, h }, box: box?.code || "" }));
    setPack(task.id, { status: "sending", parcels });
    outbox.add("pack", task.id, { parcels }, {});
  }

  /** A supervisor accepts the refused readings with a note: their badge and PIN on this phone, or nothing
   * more when a supervisor is the one signed in. Sent at once (a supervisor stands at the bench). */
  async function overridePack(override) {
    const task = openTask();
    const last = task && store.get().pack[task.id];
    if (!last?.parcels) return;
    setPack(task.id, { ...last, status: "sending", error: "" });
    try {
      const result = await api.post(`/tasks/${task.id}/pack`, { parcels: last.parcels, override });
      packed(task.id, result);
    } catch (error) {
      setPack(task.id, { ...last, status: "", ...refusal(error) });
    }
  }

  function packed(taskId, result) {
    const state = store.get();
    store.set({
      pack: { ...state.pack, [taskId]: { status: "packed", result } },
      ...(state.tasks[taskId] ? { tasks: { ...state.tasks, [taskId]: { ...state.tasks[taskId], status: "done" } } } : {}),
    });
  }

  /** What the pack screen needs to say why the server refused: its code and figures, not just English. */
  function refusal(error) {
    if (error.offline) return { error: t("pack_needs_network"), code: "offline", details: {} };
    return { error: errorText(t, error), code: error.code, details: error.details || {} };
  }

  /** `qty` units of `sku` are not at the bench: the server finds them elsewhere or backorders them. */
  async function reportMissing(sku, qty) {
    const task = openTask();
    if (!task) return null;
    await outbox.flush(); // every scan before it counts first: the server only takes unchecked units
    if (outbox.pendingFor(task.id)) return { error: { code: "offline", message: t("pack_needs_network") } };
    try {
      const result = await api.post(`/tasks/${task.id}/missing-items`, { sku, qty });
      store.putTask(result.task);
      setPack(task.id, {});
      return { result };
    } catch (error) {
      return { error: refusal(error) };
    }
  }

  function setPack(taskId, value) {
    store.update((s) => ({ pack: { ...s.pack, [taskId]: value } }));
  }

  /** The label (SVG) and the packing slip (HTML) in one print job. */
  async function printLabels(result) {
    const parcels = result.parcels || [];
    const fetchText = (url) => fetch(url, { credentials: "same-origin" }).then((r) => (r.ok ? r.text() : ""));
    const [labels, slip] = await Promise.all([
      Promise.all(parcels.map((p) => fetchText(p.label_urls.svg))),
      result.packing_slip_url ? fetchText(result.packing_slip_url) : "",  // a reprint is the label alone
    ]);
    const frame = document.createElement("iframe");
    frame.className = "print-frame";
    frame.title = "print";
    const slipBody = new DOMParser().parseFromString(slip, "text/html");
    const styles = [...slipBody.querySelectorAll("style")].map((s) => s.outerHTML).join("");
    frame.srcdoc = `<!doctype html><html><head><meta charset="utf-8"><title>Label</title>${styles}
      <style>@page{margin:0}.label{page-break-after:always;width:4in;height:6in}.label svg{width:100%;height:100%}</style>
      </head><body>${labels.map((svg) => `<div class="label">${svg}</div>`).join("")}${slipBody.body?.innerHTML || ""}</body></html>`;
    frame.addEventListener("load", () => {
      frame.contentWindow.focus();
      frame.contentWindow.print();
      setTimeout(() => frame.remove(), 60000);
    }, { once: true });
    document.body.append(frame);
  }

  /** Leave the trip for now (it stays mine): queued like a scan, then home, where any of my tasks opens. */
  function pause() {
    const task = openTask();
    if (!task) return;
    store.set({ tasks: { ...store.get().tasks, [task.id]: { ...task, status: "paused" } }, screen: "home",
      currentTaskId: null, binConfirmed: null, mapOpen: false, shortOpen: false });
    outbox.add("pause", task.id, {}, {});
    store.notice(t("task_paused", { id: task.id }), `paused:${task.id}`);
  }

  return { scan, countUnits, reportShortage, confirmPack, overridePack, reportMissing, packed, refusal, printLabels, setPack,
    pause };
}
