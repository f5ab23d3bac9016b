/** The live queue board of one warehouse: stages, stalled orders, work in progress, feed, waves, charts. */
import "../staff/staff.css";
import "./board.css";
import { h, replace, text } from "../ui.js";
import { LANGS } from "../langs.js";
import { api, get, minutes, requireStaff, signOutButton, table } from "../staff/staff.js";
import { plainError, plainField } from "../staff/words.js";
import { chosenLang, keepLang, sayer } from "./say.js";

const FLOOR_EVENTS = ["order.status", "task.created", "task.assigned", "task.updated", "task.cancelled",
  "wave.released", "stock.changed", "scan.mismatch", "shortage.reported", "parcel.status", "parcel.late", "manifest.closed"];
// The server's hint after a Redis outage (pushes may have been lost): the board refetches its snapshot. Board
// pushes are coalesced per room (realtime/coalesce.py), so their sequence numbers skip by design and cannot show
// a loss; the hint, a reconnect and the states the deltas carry (a stop's units, not an increment) repair it.
const RESYNC_EVENTS = ["board.resync"];
const DEBOUNCE_MS = 250;
const SLOW_MS = 30000;
const FEED_SIZE = 50; // services/board.py FEED_SIZE
// The board's words in the language chosen on this browser (say.js): English until start() has read it.
let say = sayer("en");
const stageName = (stage) => say.code("stage_", stage);
// A feed line names the work it happened in: a packer's extra scan is no picking mismatch.
const WORKS = new Set(["pick", "sort", "pack", "putaway"]);
const feedLabel = (f) => say(f.kind === "shortage" ? "label_shortage"
  : `label_${WORKS.has(f.task_type) ? f.task_type : "scan"}`);

const root = document.getElementById("root");
let code = "";

const switcher = h("select", { id: "warehouse", testid: "warehouse-switcher",
  onchange: () => { code = switcher.value; history.replaceState(null, "", `/board/${code}`); switchRoom(); } });
const live = h("span", { testid: "board-live", "data-live": "false" });
const stages = h("ul", { class: "stages", testid: "stages" });
const shipping = h("div", { class: "grid", testid: "shipping" });
const quality = h("div", { class: "grid", testid: "quality" });
const stalledList = h("ol", { testid: "stalled-list" });
const tasks = h("div");
const idle = h("ul", { testid: "idle-pickers" });
// The feed scrolls on its own: focusable and named, so keyboard users can scroll it too (axe: scrollable-region-focusable).
const feed = h("ul", { class: "feed", testid: "feed", tabindex: "0" });
const waves = h("div");
const cycles = h("div");
const charts = h("div", { class: "charts" });
const updated = h("p", { class: "muted", testid: "board-updated" });
const problem = h("p", { role: "alert", testid: "board-error", class: "staff-error" });
const targetsHolder = h("div", { testid: "targets" });
const board = h("main", { class: "staff-main", testid: "board", "data-version": "0" });
const signedInAs = h("span", { testid: "signed-in-as" });

/** The page's frame in the board's language: the header, and a titled section for each part. */
function layout() {
  const section = (id, title, ...content) => h("section",
    { "aria-labelledby": `${id}-h`, class: id === "tasks" ? "board-tasks" : null },
    h("h2", { id: `${id}-h` }, say(title)), content);
  feed.setAttribute("aria-label", say("feed_label"));
  text(live, say("connecting"));
  replace(board, problem,
    section("stages", "stages_h", stages),
    section("shipping", "shipping_h", shipping),
    section("quality", "quality_h", quality),
    section("stalled", "stalled_h", stalledList),
    h("div", { class: "grid" },
      section("tasks", "tasks_h", tasks),
      section("idle", "idle_h", idle),
      section("feed", "feed_h", feed),
      section("waves", "waves_h", waves)),
    section("cycle", "cycle_h", cycles),
    section("charts", "charts_h", charts),
    section("targets", "targets_h", targetsHolder),
    updated);
  // The phone app's language menu: a choice made here is the phone's too (the same browser's IndexedDB).
  const lang = h("select", { id: "lang", testid: "lang",
    onchange: () => keepLang(lang.value).then(() => location.reload()) },
  Object.entries(LANGS).map(([value, name]) => h("option", { value, lang: value, selected: value === say.lang }, name)));
  return [h("header", { class: "staff-bar" },
    h("h1", {}, say("title")),
    h("span", {}, h("label", { for: "warehouse" }, say("warehouse")), " ", switcher),
    live,
    h("span", {}, h("label", { for: "lang" }, say("language")), " ", lang),
    h("nav", { "aria-label": say("pages") }, h("a", { href: "/office" }, say("office"))),
    signedInAs,
    signOutButton(say)), board];
}

/** Minutes an order may wait in each stage before it counts as stalled, for this warehouse; admins and its
 * supervisors may change them. */
async function targetsForm(me) {
  const canSave = ["admin", "supervisor"].includes(me.role);
  const { targets } = await get(`/board/${code}/targets`);
  const note = h("p", { role: "status", testid: "targets-status", class: "muted" });
  const alert = h("p", { role: "alert", testid: "targets-error", class: "staff-error" });
  const inputs = Object.fromEntries(Object.keys(targets).map((stage) => [stage, h("input", { id: `target-${stage}`,
    type: "number", min: "1", step: "1", value: String(targets[stage]), testid: "target", "data-stage": stage,
    readonly: !canSave, "aria-describedby": `target-${stage}-error` })]));
  const errors = Object.fromEntries(Object.keys(targets).map((stage) => [stage, h("span", { id: `target-${stage}-error`,
    class: "staff-error", testid: "field-error", "data-field": stage })]));
  const form = h("form", { class: "staff-form inline", testid: "targets-form", "aria-label": say("targets_form"),
    onsubmit: async (e) => {
      e.preventDefault();
      if (!canSave) return;
      text(note, ""); text(alert, "");
      Object.values(errors).forEach((el) => text(el, ""));
      const body = Object.fromEntries(Object.entries(inputs).map(([stage, el]) => [stage, Number(el.value)]));
      try {
        const { data } = await api("PUT", `/board/${code}/targets`, { targets: body });
        for (const [stage, v] of Object.entries(data.targets || {})) if (inputs[stage]) inputs[stage].value = String(v);
        text(note, say("targets_saved"));
        snapshotNow();
      } catch (err) {
        text(alert, say("not_saved", { reason: plainError(err, { marked: true }) }));
        const fieldsIn = err.details?.fields?.targets || {};
        for (const [stage, problem] of Object.entries(fieldsIn)) {
          const said = typeof problem === "object" && !Array.isArray(problem) ? Object.values(problem).flat() : [problem].flat();
          if (errors[stage]) text(errors[stage], said.map(plainField).join(" "));
        }
      }
    } },
  Object.entries(inputs).map(([stage, el]) => h("div", {}, h("label", { for: el.id }, say("target_min", { stage: stageName(stage) })), el, errors[stage])),
  canSave ? h("button", { type: "submit", testid: "targets-save" }, say("targets_save"))
    : h("p", { class: "muted", testid: "targets-readonly" }, say("targets_readonly")),
  alert, note);
  replace(targetsHolder, form);
}

/** Shipped today, parcels at the dock waiting for each carrier's manifest, and late shipments. */
function paintShipping(figures) {
  const today = figures?.shipped_today || { parcels: 0, shipments: 0 };
  const waiting = figures?.waiting_for_manifest || [];
  const late = figures?.late_shipments || 0;
  replace(shipping,
    h("p", { testid: "shipped-today", "data-parcels": today.parcels, "data-shipments": today.shipments },
      h("strong", {}, say("shipped_today")), say("shipped_figures", today)),
    h("p", { testid: "late-shipments", "data-count": late, class: late ? "staff-error" : "" },
      h("strong", {}, say("late_shipments")), say.number(late)),
    h("div", {}, h("strong", {}, say("waiting_manifest")),
      h("ul", { testid: "waiting-for-manifest" }, waiting.length
        ? waiting.map((w) => h("li", { testid: "waiting-carrier", "data-carrier": w.carrier, "data-parcels": w.parcels },
          say("waiting_carrier", w)))
        : h("li", { class: "muted" }, say("nothing_at_dock")))));
}

/** Inventory record accuracy (counts within tolerance) and CSAT (ratings of 4 or 5); no data is not a score. */
function paintQuality(accuracy, satisfaction) {
  const share = (pct) => (pct == null ? say("no_data") : say("pct", { pct }));
  replace(quality,
    h("p", { testid: "inventory-accuracy", "data-pct": accuracy?.pct ?? "" },
      h("strong", {}, say("accuracy")), say("accuracy_figures", { share: share(accuracy?.pct),
        within: accuracy?.within_tolerance ?? 0, counts: accuracy?.counts ?? 0 })),
    h("p", { testid: "csat", "data-pct": satisfaction?.csat_pct ?? "" },
      h("strong", {}, say("csat")), say("csat_figures", { share: share(satisfaction?.csat_pct),
        satisfied: satisfaction?.satisfied ?? 0, ratings: satisfaction?.ratings ?? 0 })));
}

/** Returns received at the dock today, and why they came back. */
function returnsToday(today) {
  const r = today || { returns: 0, units: 0, reasons: [] };
  return h("div", { testid: "returns-today", "data-returns": r.returns, "data-units": r.units },
    h("strong", {}, say("returns_today")), say("returns_figures", r),
    r.reasons.length ? h("ul", {}, r.reasons.map((x) => h("li", { testid: "return-reason", "data-reason": x.reason },
      say("return_reason", { ...x, reason: say.code("reason_", x.reason) })))) : "");
}

function paintCycles(data) {
  const fmt = (x) => (x && x.n ? say("cycle_figures", { median: x.median_min, p90: x.p90_min, n: x.n }) : "—");
  replace(cycles, table(say("cycle_caption"), [
    [say("col_stage"), (s) => stageName(s.stage)],
    [say("col_today"), (s) => fmt(s.today)],
    [say("col_7_days"), (s) => fmt(s.last_7_days)],
  ], data.stages || [], (s) => ({ testid: "cycle-row", "data-stage": s.stage })));
}

let uplot = null;
async function paintCharts(data) {
  if (!uplot) {
    const [mod] = await Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]);
    uplot = mod.default;
  }
  const width = Math.min(640, charts.clientWidth || 640);
  const lph = data.lines_per_hour || { hours: [], floor: [], pickers: {} };
  const xs = (lph.hours || []).map((t) => Date.parse(t) / 1000);
  const pickers = Object.keys(lph.pickers || {});
  const colours = ["#0d47a1", "#b71c1c", "#1b5e20", "#4a148c", "#e65100", "#006064", "#3e2723"];
  // Axes and legends in the board's language: uPlot's own write hours and numbers the browser's way.
  const numbers = (_u, ticks) => ticks.map((t) => say.number(t));
  const value = (_u, v) => (v == null ? "--" : say.number(v));
  const figures = [];
  const chart = (testid, caption, opts, series) => {
    const holder = h("div");
    figures.push(h("figure", { testid }, h("figcaption", {}, caption), holder));
    return () => new uplot({ width, height: 220, ...opts }, series, holder);
  };
  const make = [
    chart("chart-lines-per-hour", say("chart_lines"), {
      axes: [{ values: (_u, ticks) => ticks.map((t) => say.hour(t * 1000)) }, { values: numbers }],
      series: [{ label: say("series_hour"), value: (_u, v) => (v == null ? "--" : say.hour(v * 1000)) },
        { label: say("series_floor"), stroke: colours[0], width: 2, value },
        ...pickers.map((p, i) => ({ label: p, stroke: colours[(i + 1) % colours.length], value }))],
    }, [xs, lph.floor || [], ...pickers.map((p) => lph.pickers[p])]),
  ];
  const ct = data.cycle_time_minutes || { bins: [], counts: [] };
  make.push(chart("chart-cycle-time", say("chart_cycle"), {
    scales: { x: { time: false } },
    axes: [{ values: numbers }, { values: numbers }],
    series: [{ label: say("series_minutes"), value }, { label: say("series_orders"), value, stroke: colours[0], fill: "rgba(13,71,161,.4)",
      paths: uplot.paths.bars({ size: [0.6, 40] }) }],
  }, [ct.bins || [], ct.counts || []]));
  const mr = data.mismatch_rate || [];
  make.push(chart("chart-mismatch-rate", say("chart_mismatch", { pickers: mr.map((m) => m.picker).join(", ") || say("nobody") }), {
    scales: { x: { time: false } },
    axes: [{ values: (_u, ticks) => ticks.map((t) => mr[t]?.picker ?? "") }, { values: numbers }],
    series: [{ label: say("series_picker"), value: (_u, v) => mr[v]?.picker ?? "--" },
      { label: say("series_mismatch"), value, stroke: colours[1], fill: "rgba(183,28,28,.4)",
      paths: uplot.paths.bars({ size: [0.6, 40] }) }],
  }, [mr.map((_m, i) => i), mr.map((m) => Math.round((m.rate || 0) * 1000) / 10)]));
  replace(charts, figures);
  make.forEach((m) => m());
}

// --- the board's state: painted from a snapshot, then kept up to date by the pushed deltas ----------------
// Open tasks by id: {id, type, assignee, version, elapsed_s, seenAt, stops: Map(stop id → {sku, location, qty,
// picked, short, status}), and the progress counted from those stops}.
const openTasks = new Map();
const taskRows = new Map(); // task id → its <tr>: a delta finds its row without searching the table
let stageRows = [];
let taskBody = null;

const elapsedOf = (t) => minutes(t.elapsed_s + Math.max(0, (Date.now() - t.seenAt) / 1000));
const progressOf = (t) => ` ${say("progress", { done: t.units_done, total: t.units_total, stop: t.stops_done,
  stops: t.stops_total })}`;
let TASK_COLUMNS = [];
const taskColumns = () => [
  [say("col_task"), (t) => say("task_name", { type: say.code("type_", t.type), id: t.id })],
  [say("col_who"), (t) => t.assignee || "—"],
  [say("col_elapsed"), elapsedOf],
  [say("col_progress"), (t) => [h("progress", { max: t.units_total || 1, value: t.units_done || 0,
    "aria-label": say("task_units", { id: t.id }) }), progressOf(t)]],
];
const taskAttrs = (t) => ({ testid: "task-row", "data-task-id": t.id, "data-units-done": t.units_done });
const taskRow = (t) => h("tr", taskAttrs(t), TASK_COLUMNS.map(([name, cell]) => h("td", { "data-label": name }, cell(t))));

/** A row's figures rewritten where they stand: no new row (its cells and progress bar styled and laid out
 * afresh) for a scan that changes two numbers. */
function refreshRow(row, t) {
  const [, who, elapsed, progress] = row.cells;
  const bar = progress?.firstChild;
  const label = progress?.lastChild;
  if (!(bar instanceof HTMLProgressElement) || !(label instanceof Text)) { putRow(t, taskRow(t), row); return; }
  text(who, t.assignee || "—");
  text(elapsed, elapsedOf(t));
  if (bar.max !== (t.units_total || 1)) bar.max = t.units_total || 1;
  if (bar.value !== (t.units_done || 0)) bar.value = t.units_done || 0;
  const figures = progressOf(t);
  if (label.data !== figures) label.data = figures;
  if (row.dataset.unitsDone !== String(t.units_done)) row.dataset.unitsDone = String(t.units_done);
}

// `v`: the task version the stop was last seen at, so that a late push never undoes a newer one.
const stopState = (s, v) => ({ id: s.id, sku: s.sku, location: s.location, qty: s.qty, picked: s.picked,
  short: s.short, status: s.status, v });

function taskState(t, seenAt) {
  return { ...t, seenAt, stops: new Map((t.stops || []).map((s) => [s.id, stopState(s, t.version)])) };
}

/** The row's figures from its stops, as the server counts them (services/board.py tasks_in_progress). */
function recount(t) {
  const stops = [...t.stops.values()];
  t.stops_total = stops.length;
  t.stops_done = stops.filter((s) => s.status !== "open").length;
  t.units_done = stops.reduce((n, s) => n + (s.picked || 0), 0);
  t.units_total = stops.reduce((n, s) => n + (s.qty || 0) - (s.short || 0), 0);
}

const stageItem = (s) => h("li", { testid: "stage-count", "data-stage": s.stage, "data-count": s.count,
  "data-stalled": s.stalled },
h("span", {}, stageName(s.stage)),
h("span", { class: "count" }, say.number(s.count)),
s.stalled ? h("span", { class: "stalled", testid: "stage-stalled" }, say("n_stalled", { n: s.stalled }))
  : h("span", { class: "muted" }, say("none_stalled")));

const feedItem = (f) => h("li", { testid: "feed-item", "data-kind": f.kind, "data-task-id": f.task_id,
  "data-task-type": f.task_type, "data-scan-id": f.scan_id },
h("strong", { testid: "feed-label" }, feedLabel(f)),
` ${say("feed_line", { time: say.time(f.at), user: f.user || "", message: say.line(f) })}`,
f.location ? say("feed_at", { location: f.location }) : "", f.sku ? ` (${f.sku})` : "");

function paintSnapshot(snap, seenAt) {
  paintShipping(snap.shipping);
  paintQuality(snap.inventory_accuracy, snap.satisfaction);
  shipping.append(returnsToday(snap.returns_today));
  stageRows = snap.stages || [];
  replace(stages, stageRows.map(stageItem));
  openTasks.clear();
  for (const t of snap.tasks_in_progress || []) openTasks.set(t.id, taskState(t, seenAt));
  const list = table(say("open_tasks"), TASK_COLUMNS, [...openTasks.values()], taskAttrs);
  taskBody = list.querySelector("tbody");
  taskRows.clear();
  for (const row of taskBody.rows) taskRows.set(Number(row.dataset.taskId), row);
  replace(tasks, list);
  replace(idle, (snap.idle_pickers || []).length ? snap.idle_pickers.map((p) => h("li", { testid: "idle-picker",
    "data-username": p.username }, p.display_name || p.username,
  p.last_activity_at ? h("span", { class: "muted" }, ` ${say("last_seen", { time: say.time(p.last_activity_at) })}`) : ""))
    : h("li", { class: "muted" }, say("nobody_idle")));
  replace(feed, (snap.feed || []).map(feedItem));
  replace(waves, table(say("waves_caption"), [
    [say("col_wave"), (w) => `#${w.id}`],
    [say("col_released"), (w) => (w.released_at ? say.time(w.released_at) : "—")],
    [say("col_orders"), (w) => say.number(Array.isArray(w.orders) ? w.orders.length : w.orders)],
    [say("col_tasks"), (w) => [h("progress", { max: w.tasks_total || 1, value: w.tasks_done || 0,
      "aria-label": say("wave_label", { id: w.id }) }), ` ${say.number(w.tasks_done)}/${say.number(w.tasks_total)}`]],
  ], snap.waves || [], (w) => ({ testid: "wave-row", "data-wave-id": w.id })));
  text(updated, say("updated", { time: say.time(snap.at || Date.now()) }));
}

/** The stalled list, and each stage's stalled count from it (the same rule the snapshot counts with). */
function paintStalled(data) {
  const orders = data.orders || [];
  replace(stalledList, orders.length
    ? orders.map((o) => h("li", { testid: "stalled-order", "data-order-id": o.id, "data-stage": o.stage },
      h("a", { href: `/office#/orders/${o.id}` }, o.number), ` ${say.line(o)}`))
    : h("li", { class: "muted", style: "list-style: none" }, say("nothing_stalled")));
  stageRows.forEach((s, i) => {
    if (s.stage === "shipped_today") return;
    const stalledNow = orders.filter((o) => o.stage === s.stage).length;
    if (stalledNow !== s.stalled) {
      s.stalled = stalledNow;
      stages.children[i]?.replaceWith(stageItem(s));
    }
  });
}

// --- pushed deltas -------------------------------------------------------------------------------------
// Each handler applies one event to the state and repaints only what it changed; false when it cannot (the
// task is unknown here, or the change reaches parts of the board the event does not describe: a finished task
// moves its wave's count and may leave its picker idle), and the board then refetches its snapshot.
const OPEN_STATUSES = new Set(["assigned", "in_progress"]);

function repaintTask(t) {
  const row = taskRows.get(t.id);
  if (row) { refreshRow(row, t); return; }
  if (!taskBody) return;
  const after = [...taskBody.rows].find((tr) => Number(tr.dataset.taskId) > t.id);
  putRow(t, taskRow(t), null, after || null);
}

function putRow(t, row, old, before = null) {
  if (old) old.replaceWith(row);
  else taskBody.insertBefore(row, before);
  taskRows.set(t.id, row);
}

// Deltas change the state as they arrive; the rows they touched are written in one animation frame, however
// many came in meanwhile (a busy task's row once, the page's style, layout and paint once). Frames of deltas
// are at least PAINT_GAP_MS apart: a quiet board paints a delta in the next frame, a busy one ~10 times a
// second, not once per scan (20 boards on a 2-core box at 50 scans/s queued their frames for seconds).
const PAINT_GAP_MS = 100;
const dirtyTasks = new Set();
let framed = []; // paint entries of the deltas the next frame shows
let frameAsked = false;
let lastFrameAt = 0;
let askedAt = 0; // when the next frame was asked for (bench/board.py: the gap's wait, then the frame's)
const askFrame = () => { askedAt = Date.now(); requestAnimationFrame(paintFrame); };
function paintNextFrame(taskId, entry) {
  if (taskId != null) dirtyTasks.add(taskId);
  framed.push(entry);
  if (frameAsked) return;
  frameAsked = true;
  const wait = lastFrameAt + PAINT_GAP_MS - Date.now();
  if (wait > 0) setTimeout(askFrame, wait);
  else askFrame();
}

function paintFrame() {
  frameAsked = false;
  lastFrameAt = Date.now();
  for (const id of dirtyTasks) {
    const t = openTasks.get(id);
    if (t) repaintTask(t);
  }
  dirtyTasks.clear();
  const at = Date.now();
  for (const entry of framed) notePaint(Object.assign(entry, { askedAt, paintedAt: at }));
  framed = [];
}

// Painted: tests and bench/board.py read these. A board open all shift keeps the latest ones only.
const PAINTS_KEPT = 10000;
function notePaint(entry) {
  const paints = (window.__boardPaints ||= []);
  paints.push(entry);
  if (paints.length > 2 * PAINTS_KEPT) paints.splice(0, paints.length - PAINTS_KEPT);
  board.dataset.paintedAt = String(entry.paintedAt);
}

function dropTask(id) {
  openTasks.delete(id);
  taskRows.get(id)?.remove();
  taskRows.delete(id);
}

/** `task.updated` with one stop: a scan's progress (services/progress.py), the hot path under a rush. */
function applyStop(data) {
  const t = openTasks.get(data.id);
  const known = t?.stops.get(data.stop.id);
  if (!known) return false;
  if (data.version != null && known.v != null && data.version <= known.v) return true; // already shown
  if (!OPEN_STATUSES.has(data.status)) return false;
  t.stops.set(data.stop.id, stopState(data.stop, data.version));
  t.version = Math.max(t.version ?? 0, data.version ?? 0);
  recount(t);
  return { task: t.id, stop: data.stop.id, picked: data.stop.picked };
}

/** `task.assigned` / `task.updated` with the whole task (task_views.task_payload). */
function applyTask(data) {
  if (!Array.isArray(data.stops) || data.warehouse !== code) return false;
  const known = openTasks.get(data.id);
  if (known && data.version != null && known.version != null && data.version <= known.version) return true;
  if (data.status === "paused" && known?.assignee === data.assignee) { dropTask(data.id); return true; }
  if (!OPEN_STATUSES.has(data.status)) return false;
  if (known && known.assignee !== data.assignee) return false; // the previous holder may be idle now
  const t = taskState({ id: data.id, type: data.type, assignee: data.assignee, version: data.version,
    elapsed_s: known ? known.elapsed_s : 0, stops: data.stops }, known ? known.seenAt : Date.now());
  recount(t);
  openTasks.set(t.id, t);
  if (data.assignee) {
    idle.querySelector(`li[data-username="${CSS.escape(data.assignee)}"]`)?.remove(); // busy now
    if (!idle.children.length) idle.append(h("li", { class: "muted" }, say("nobody_idle")));
  }
  return { task: t.id };
}

/** `scan.mismatch`: a new line on top of the feed, named from the task and stop the board knows. */
function applyMismatch(data) {
  if (data.id && feed.querySelector(`li[data-scan-id="${CSS.escape(String(data.id))}"]`)) return true; // shown
  const t = openTasks.get(data.task_id);
  if (!t) return false;
  const stop = t.stops.get(data.stop_id);
  // The push has no scan time: the moment it arrived (the next snapshot shows the phone's).
  feed.prepend(feedItem({ kind: "mismatch", scan_id: data.id, at: Date.now(), user: data.user, task_id: data.task_id,
    message: data.message, code: data.code, params: data.params, location: stop?.location, sku: stop?.sku,
    verdict: data.verdict, task_type: t.type }));
  while (feed.children.length > FEED_SIZE) feed.lastElementChild.remove();
  return { task: t.id };
}

const APPLY = {
  "task.updated": (data) => (data.stop && typeof data.stop === "object" ? applyStop(data) : applyTask(data)),
  "task.assigned": applyTask,
  "scan.mismatch": applyMismatch,
  // Nothing on the board shows stock levels; a task with no wave is not in progress until it is assigned.
  "stock.changed": () => true,
  "task.created": (data) => data.wave_id == null,
};

function onPush(event, data) {
  scheduleSlow();
  if (fetching) { heldDuringFetch.push([event, data]); return; }
  const apply = APPLY[event];
  let done = false;
  try {
    done = apply && data && typeof data === "object" ? apply(data) : false;
  } catch (error) {
    done = false; // a payload the board does not understand: the snapshot repairs it
  }
  if (!done) { schedule(); return; }
  if (done === true) return;
  paintNextFrame(done.task, { event, ...done, receivedAt: Date.now() });
}

// --- the snapshot: on load, on (re)connect, after a Redis outage and for an event the board cannot apply ----
let version = 0;
let fetching = null;
let heldDuringFetch = [];
async function refresh() {
  if (!code) return;
  const at = Date.now();
  window.__boardSnapshots = (window.__boardSnapshots || 0) + 1;
  const [snap, stall] = await Promise.all([get(`/board/${code}`), get(`/board/${code}/stalled`)]);
  text(problem, "");
  paintSnapshot(snap, at);
  paintStalled(stall);
  version += 1;
  board.dataset.version = String(version);
  requestAnimationFrame(() => notePaint({ version, fetchStartedAt: at, paintedAt: Date.now() }));
}

/** One snapshot at a time; pushes that arrive meanwhile are applied on top of it (their versions tell which
 * the snapshot already holds). */
async function snapshotNow() {
  if (fetching) { again = true; return; }
  heldDuringFetch = [];
  fetching = refresh().catch(show);
  await fetching;
  fetching = null;
  const held = heldDuringFetch;
  heldDuringFetch = [];
  for (const [event, data] of held) onPush(event, data);
  if (again) { again = false; schedule(); }
}

async function refreshSlow() {
  if (!code) return;
  const [c, ch, stall] = await Promise.all([get(`/board/${code}/cycle-times`), get(`/board/${code}/charts`),
    get(`/board/${code}/stalled`)]);
  paintCycles(c);
  paintStalled(stall);
  await paintCharts(ch);
}

function show(error) {
  text(problem, error.status === 403 ? say("not_allowed") : say("could_not_load", { reason: error.message }));
}

// Refetches coalesce: the first event of a burst the board cannot apply schedules one snapshot ~250 ms later
// and the rest ride along.
let timer = null;
let again = false;
function schedule() {
  if (!timer) timer = setTimeout(() => { timer = null; snapshotNow(); }, DEBOUNCE_MS);
}

// Charts, cycle times and the stalled list follow the floor at a slower pace: at most every 30 s while events
// come in. Stalls also grow with the clock alone, and the elapsed times are counted on here between pushes.
let slowTimer = null;
function scheduleSlow() {
  if (!slowTimer) {
    slowTimer = setTimeout(() => { slowTimer = null; refreshSlow().catch(() => {}); }, SLOW_MS);
  }
}
setInterval(() => { for (const t of openTasks.values()) repaintTask(t); }, 60000);

let socket = null;
function subscribe() {
  if (socket?.connected && code) socket.emit("subscribe", { warehouse: code });
}

/** Another warehouse: a fresh socket leaves the old board's room (its pushes would name tasks unknown here). */
function switchRoom() {
  openTasks.clear();
  if (socket) { socket.disconnect(); socket.connect(); } // the connect handler subscribes and refetches
  else snapshotNow();
}

async function connect() {
  const { io } = await import("socket.io-client");
  socket = io({ path: "/socket.io", transports: ["websocket"], withCredentials: true });
  // (Re)connected: pushes may have been missed while away, so the snapshot again.
  socket.on("connect", () => { live.dataset.live = "true"; text(live, say("live")); subscribe(); schedule(); });
  socket.on("disconnect", () => { live.dataset.live = "false"; text(live, say("offline")); });
  for (const name of FLOOR_EVENTS) socket.on(name, (data) => onPush(name, data));
  for (const name of RESYNC_EVENTS) socket.on(name, schedule);
}

async function start() {
  say = sayer(await chosenLang());
  document.documentElement.lang = say.lang;
  document.title = say("title");
  TASK_COLUMNS = taskColumns();
  const page = layout();
  const me = await requireStaff(root, say("title"), say);
  text(signedInAs, me.display_name || me.username);
  const warehouses = (await get("/warehouses")) || [];
  const list = Array.isArray(warehouses) ? warehouses : warehouses.items || [];
  code = new URLSearchParams(location.search).get("warehouse") || location.pathname.split("/")[2]
    || list[0]?.code || "";
  replace(switcher, list.map((w) => h("option", { value: w.code, selected: w.code === code }, `${w.code} ${w.name || ""}`)));
  replace(root, ...page);
  snapshotNow();
  refreshSlow().catch(() => {});
  const loadTargets = () => targetsForm(me).catch((e) => text(targetsHolder, say("targets_failed", { reason: e.message })));
  switcher.addEventListener("change", loadTargets);
  loadTargets();
  connect();
}

start();
