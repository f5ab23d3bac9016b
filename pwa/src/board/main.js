/** The live queue board of one warehouse: stages, stalled orders, work in progress, feed, waves, charts. */
import "../staff/staff.css";
import { h, replace, text } from "../ui.js";
import { api, get, minutes, requireStaff, signOutButton, table } from "../staff/staff.js";
import { plainError, plainField } from "../staff/words.js";

const FLOOR_EVENTS = ["order.status", "task.created", "task.assigned", "task.updated", "task.cancelled",
  "wave.released", "stock.changed", "scan.mismatch", "shortage.reported"];
// The server's hint after a Redis outage (pushes may have been lost): refetch like after any push. The board needs
// no sequence numbers: every push already refetches the whole board, so the push after a lost one repairs it.
const RESYNC_EVENTS = ["board.resync"];
const DEBOUNCE_MS = 250;
const STAGE_NAMES = { received: "Received", on_hold: "On hold", allocated: "Allocated", backordered: "Backordered",
  released: "Released", picking: "Picking", packing: "Packing", packed: "Packed", shipped_today: "Shipped today" };
// A feed line names the work it happened in: a packer's extra scan is no picking mismatch.
const WORK_NAMES = { pick: "Picking", sort: "Sorting", pack: "Packing", putaway: "Put-away" };
const feedLabel = (f) => (f.kind === "shortage" ? "Shortage"
  : `${WORK_NAMES[f.task_type] || "Scan"} mismatch`);

const root = document.getElementById("root");
let code = "";

const switcher = h("select", { id: "warehouse", testid: "warehouse-switcher",
  onchange: () => { code = switcher.value; history.replaceState(null, "", `/board/${code}`); subscribe(); refresh(); } });
const live = h("span", { testid: "board-live", "data-live": "false" }, "connecting…");
const stages = h("ul", { class: "stages", testid: "stages" });
const stalled = h("section", { "aria-labelledby": "stalled-h" }, h("h2", { id: "stalled-h" }, "Stalled orders"));
const stalledList = h("ol", { testid: "stalled-list" });
stalled.append(stalledList);
const tasks = h("div");
const idle = h("ul", { testid: "idle-pickers" });
const feed = h("ul", { class: "feed", testid: "feed" });
const waves = h("div");
const cycles = h("div");
const charts = h("div", { class: "charts" });
const updated = h("p", { class: "muted", testid: "board-updated" });
const problem = h("p", { role: "alert", testid: "board-error", class: "staff-error" });
const targetsHolder = h("div", { testid: "targets" });
const board = h("main", { class: "staff-main", testid: "board", "data-version": "0" },
  problem,
  h("section", { "aria-labelledby": "stages-h" }, h("h2", { id: "stages-h" }, "Orders by stage"), stages),
  stalled,
  h("div", { class: "grid" },
    h("section", { "aria-labelledby": "tasks-h" }, h("h2", { id: "tasks-h" }, "Tasks in progress"), tasks),
    h("section", { "aria-labelledby": "idle-h" }, h("h2", { id: "idle-h" }, "Idle pickers"), idle),
    h("section", { "aria-labelledby": "feed-h" }, h("h2", { id: "feed-h" }, "Mismatches and shortages"), feed),
    h("section", { "aria-labelledby": "waves-h" }, h("h2", { id: "waves-h" }, "Today's waves"), waves)),
  h("section", { "aria-labelledby": "cycle-h" }, h("h2", { id: "cycle-h" }, "Cycle time per stage"), cycles),
  h("section", { "aria-labelledby": "charts-h" }, h("h2", { id: "charts-h" }, "Charts"), charts),
  h("section", { "aria-labelledby": "targets-h" }, h("h2", { id: "targets-h" }, "Targets"), targetsHolder),
  updated);
const signedInAs = h("span", { testid: "signed-in-as" });
const page = [h("header", { class: "staff-bar" },
  h("h1", {}, "Baton board"),
  h("label", { for: "warehouse" }, "Warehouse"), switcher,
  live,
  h("nav", { "aria-label": "Pages" }, h("a", { href: "/office" }, "Office")),
  signedInAs,
  signOutButton()), board];

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
  const form = h("form", { class: "staff-form inline", testid: "targets-form", "aria-label": "Stage targets in minutes",
    onsubmit: async (e) => {
      e.preventDefault();
      if (!canSave) return;
      text(note, ""); text(alert, "");
      Object.values(errors).forEach((el) => text(el, ""));
      const body = Object.fromEntries(Object.entries(inputs).map(([stage, el]) => [stage, Number(el.value)]));
      try {
        const { data } = await api("PUT", `/board/${code}/targets`, { targets: body });
        for (const [stage, v] of Object.entries(data.targets || {})) if (inputs[stage]) inputs[stage].value = String(v);
        text(note, "Targets saved");
        refresh().catch(show);
      } catch (err) {
        text(alert, `Not saved: ${plainError(err, { marked: true })}`);
        const fieldsIn = err.details?.fields?.targets || {};
        for (const [stage, problem] of Object.entries(fieldsIn)) {
          const said = typeof problem === "object" && !Array.isArray(problem) ? Object.values(problem).flat() : [problem].flat();
          if (errors[stage]) text(errors[stage], said.map(plainField).join(" "));
        }
      }
    } },
  Object.entries(inputs).map(([stage, el]) => h("div", {}, h("label", { for: el.id }, `${STAGE_NAMES[stage] || stage} (min)`), el, errors[stage])),
  canSave ? h("button", { type: "submit", testid: "targets-save" }, "Save targets")
    : h("p", { class: "muted", testid: "targets-readonly" }, "Only admins and supervisors can change targets."),
  alert, note);
  replace(targetsHolder, form);
}

function paintSnapshot(snap) {
  replace(stages, (snap.stages || []).map((s) => h("li", { testid: "stage-count", "data-stage": s.stage,
    "data-count": s.count, "data-stalled": s.stalled },
  h("span", {}, STAGE_NAMES[s.stage] || s.stage),
  h("span", { class: "count" }, s.count),
  s.stalled ? h("span", { class: "stalled", testid: "stage-stalled" }, `${s.stalled} stalled`) : h("span", { class: "muted" }, "none stalled"))));
  replace(tasks, table("Open tasks", [
    ["Task", (t) => `${t.type} #${t.id}`],
    ["Who", (t) => t.assignee || "—"],
    ["Elapsed", (t) => minutes(t.elapsed_s)],
    ["Progress", (t) => [h("progress", { max: t.units_total || 1, value: t.units_done || 0,
      "aria-label": `task ${t.id} units` }), ` ${t.units_done}/${t.units_total} units, stop ${t.stops_done}/${t.stops_total}`]],
  ], snap.tasks_in_progress || [], (t) => ({ testid: "task-row", "data-task-id": t.id,
    "data-units-done": t.units_done })));
  replace(idle, (snap.idle_pickers || []).length ? snap.idle_pickers.map((p) => h("li", { testid: "idle-picker",
    "data-username": p.username }, p.display_name || p.username,
  p.last_activity_at ? h("span", { class: "muted" }, ` last seen ${new Date(p.last_activity_at).toLocaleTimeString()}`) : ""))
    : h("li", { class: "muted" }, "nobody idle"));
  replace(feed, (snap.feed || []).map((f) => h("li", { testid: "feed-item", "data-kind": f.kind, "data-task-id": f.task_id,
    "data-task-type": f.task_type },
  h("strong", { testid: "feed-label" }, feedLabel(f)),
    ` ${new Date(f.at).toLocaleTimeString()} ${f.user || ""}: ${f.message || ""}`,
    f.location ? ` at ${f.location}` : "", f.sku ? ` (${f.sku})` : "")));
  replace(waves, table("Waves released today", [
    ["Wave", (w) => `#${w.id}`],
    ["Released", (w) => (w.released_at ? new Date(w.released_at).toLocaleTimeString() : "—")],
    ["Orders", (w) => (Array.isArray(w.orders) ? w.orders.length : w.orders)],
    ["Tasks", (w) => [h("progress", { max: w.tasks_total || 1, value: w.tasks_done || 0, "aria-label": `wave ${w.id}` }),
      ` ${w.tasks_done}/${w.tasks_total}`]],
  ], snap.waves || [], (w) => ({ testid: "wave-row", "data-wave-id": w.id })));
  text(updated, `Updated ${new Date(snap.at || Date.now()).toLocaleTimeString()}`);
}

function paintStalled(data) {
  replace(stalledList, (data.orders || []).length
    ? data.orders.map((o) => h("li", { testid: "stalled-order", "data-order-id": o.id, "data-stage": o.stage },
      h("a", { href: `/office#/orders/${o.id}` }, o.number), ` ${o.message}`))
    : h("li", { class: "muted", style: "list-style: none" }, "Nothing stalled."));
}

function paintCycles(data) {
  const fmt = (x) => (x && x.n ? `${x.median_min} / ${x.p90_min} min (n=${x.n})` : "—");
  replace(cycles, table("Median / p90 minutes in each stage", [
    ["Stage", (s) => STAGE_NAMES[s.stage] || s.stage],
    ["Today", (s) => fmt(s.today)],
    ["Last 7 days", (s) => fmt(s.last_7_days)],
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
  const figures = [];
  const chart = (testid, caption, opts, series) => {
    const holder = h("div");
    figures.push(h("figure", { testid }, h("figcaption", {}, caption), holder));
    return () => new uplot({ width, height: 220, ...opts }, series, holder);
  };
  const make = [
    chart("chart-lines-per-hour", "Lines picked per hour (floor and per picker)", {
      series: [{}, { label: "floor", stroke: colours[0], width: 2 },
        ...pickers.map((p, i) => ({ label: p, stroke: colours[(i + 1) % colours.length] }))],
    }, [xs, lph.floor || [], ...pickers.map((p) => lph.pickers[p])]),
  ];
  const ct = data.cycle_time_minutes || { bins: [], counts: [] };
  make.push(chart("chart-cycle-time", "Order cycle time distribution (orders per bin, upper bound in minutes)", {
    scales: { x: { time: false } },
    series: [{ label: "minutes" }, { label: "orders", stroke: colours[0], fill: "rgba(13,71,161,.4)",
      paths: uplot.paths.bars({ size: [0.6, 40] }) }],
  }, [ct.bins || [], ct.counts || []]));
  const mr = data.mismatch_rate || [];
  make.push(chart("chart-mismatch-rate", `Mismatch rate per picker (${mr.map((m) => m.picker).join(", ") || "none"})`, {
    scales: { x: { time: false } },
    axes: [{ values: (_u, ticks) => ticks.map((t) => mr[t]?.picker ?? "") }, {}],
    series: [{ label: "picker" }, { label: "mismatch %", stroke: colours[1], fill: "rgba(183,28,28,.4)",
      paths: uplot.paths.bars({ size: [0.6, 40] }) }],
  }, [mr.map((_m, i) => i), mr.map((m) => Math.round((m.rate || 0) * 1000) / 10)]));
  replace(charts, figures);
  make.forEach((m) => m());
}

let version = 0;
async function refresh() {
  if (!code) return;
  const at = Date.now();
  const [snap, stall] = await Promise.all([get(`/board/${code}`), get(`/board/${code}/stalled`)]);
  text(problem, "");
  paintSnapshot(snap);
  paintStalled(stall);
  version += 1;
  board.dataset.version = String(version);
  requestAnimationFrame(() => {
    // Painted: tests and bench/board.py read these.
    board.dataset.paintedAt = String(Date.now());
    (window.__boardPaints ||= []).push({ version, fetchStartedAt: at, paintedAt: Date.now() });
  });
}

async function refreshSlow() {
  if (!code) return;
  const [c, ch] = await Promise.all([get(`/board/${code}/cycle-times`), get(`/board/${code}/charts`)]);
  paintCycles(c);
  await paintCharts(ch);
}

function show(error) {
  text(problem, error.status === 403 ? "Not allowed to see this warehouse's board."
    : `The board could not load: ${error.message}`);
}

// Events coalesce: the first one of a burst schedules one refetch ~250 ms later and the rest ride along. A
// trailing debounce that restarted on every event would never fire while 50 pickers scan without pause.
let timer = null;
let fetching = null;
let again = false;
function schedule() {
  if (!timer) {
    timer = setTimeout(async () => {
      timer = null;
      if (fetching) { again = true; return; }
      fetching = refresh().catch(show);
      await fetching;
      fetching = null;
      if (again) { again = false; schedule(); }
    }, DEBOUNCE_MS);
  }
  scheduleSlow();
}

let slowTimer = null;
function scheduleSlow() {
  if (!slowTimer) {
    slowTimer = setTimeout(() => { slowTimer = null; refreshSlow().catch(() => {}); }, 5000); // charts need not follow every scan
  }
}

let socket = null;
function subscribe() {
  if (socket?.connected && code) socket.emit("subscribe", { warehouse: code });
}

async function connect() {
  const { io } = await import("socket.io-client");
  socket = io({ path: "/socket.io", transports: ["websocket"], withCredentials: true });
  socket.on("connect", () => { live.dataset.live = "true"; text(live, "live"); subscribe(); schedule(); });
  socket.on("disconnect", () => { live.dataset.live = "false"; text(live, "offline"); });
  for (const name of [...FLOOR_EVENTS, ...RESYNC_EVENTS]) socket.on(name, schedule);
}

async function start() {
  const me = await requireStaff(root, "Baton board");
  text(signedInAs, me.display_name || me.username);
  const warehouses = (await get("/warehouses")) || [];
  const list = Array.isArray(warehouses) ? warehouses : warehouses.items || [];
  code = new URLSearchParams(location.search).get("warehouse") || location.pathname.split("/")[2]
    || list[0]?.code || "";
  replace(switcher, list.map((w) => h("option", { value: w.code, selected: w.code === code }, `${w.code} ${w.name || ""}`)));
  replace(root, ...page);
  refresh().catch(show);
  refreshSlow().catch(() => {});
  const loadTargets = () => targetsForm(me).catch((e) => text(targetsHolder, `Targets could not load: ${e.message}`));
  switcher.addEventListener("change", loadTargets);
  loadTargets();
  connect();
}

start();
