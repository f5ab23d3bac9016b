/** Office: demand forecasts per SKU and warehouse (forecast against actual on a uPlot chart, the model chosen
 * and its error) and the staffing forecast for supervisors (pickers and packers per day, next 8 weeks). */
import { h, replace } from "../../ui.js";
import { get, table } from "../../staff/staff.js";
import { session, view } from "../shell.js";
import { warehouseCodes } from "./floor_kit.js";

const enc = encodeURIComponent;
const fixed = (x, digits = 2) => (x === null || x === undefined ? "—" : Number(x).toFixed(digits));
const KIND = { smooth: "smooth", intermittent: "intermittent (Croston family)", short: "too little history" };

let uplot = null;
async function loadUplot() {
  if (!uplot) {
    const [mod] = await Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]);
    uplot = mod.default;
  }
  return uplot;
}

export async function forecastsPage(params) {
  const codes = await warehouseCodes();
  const warehouse = params.get("warehouse") || session.me.warehouse || codes[0] || "";
  const sku = params.get("sku") || "";
  const choose = h("select", { id: "forecast-warehouse", testid: "forecast-warehouse",
    onchange: (e) => { location.hash = `#/forecasts?warehouse=${enc(e.target.value)}`; } },
  codes.map((c) => h("option", { value: c, selected: c === warehouse }, c)));
  const [list, staffing] = await Promise.all([
    get(`/forecasts?warehouse=${enc(warehouse)}`),
    get(`/staffing-forecast?warehouse=${enc(warehouse)}`),
  ]);
  const items = list.items || [];
  const detail = h("section", { testid: "forecast-detail" });
  replace(view,
    h("h2", {}, "Forecasts"),
    h("p", {}, h("label", { for: "forecast-warehouse" }, "Warehouse "), choose),
    detail,
    items.length
      ? table(`${items.length} SKUs forecast in ${warehouse}`, [
        ["SKU", (r) => h("a", { href: `#/forecasts?warehouse=${enc(r.warehouse)}&sku=${enc(r.sku)}` }, r.sku)],
        ["Model", (r) => r.model],
        ["Demand", (r) => KIND[r.kind] || r.kind],
        ["MASE", (r) => fixed(r.mase)],
        ["Next 28 days", (r) => String(r.next_28_days)],
      ], items, (r) => ({ testid: "forecast-row", "data-sku": r.sku }))
      : h("p", { testid: "forecast-none" }, "No forecasts yet: they are made nightly, or by `baton forecast`."),
    staffingSection(staffing));
  if (sku) await drawSeries(detail, warehouse, sku);
}

async function drawSeries(detail, warehouse, sku) {
  const data = await get(`/forecasts/series?warehouse=${enc(warehouse)}&sku=${enc(sku)}`);
  if (!data.model) {
    replace(detail, h("p", {}, `No forecast for ${sku} yet.`));
    return;
  }
  const Plot = await loadUplot();
  const holder = h("div", { testid: "forecast-chart" });
  const candidates = Object.entries(data.candidates || {}).sort((a, b) => a[1] - b[1]);
  replace(detail,
    h("h3", {}, `${sku} in ${warehouse}`),
    h("p", { testid: "forecast-model" },
      `Model: ${data.model} (${KIND[data.kind] || data.kind}${data.yearly ? ", yearly season" : ""}). `,
      data.mase === null
        ? "No error yet: too little history to test a model on past weeks."
        : `Error over the last 8 weeks: MASE ${fixed(data.mase)} (below 1 beats seasonal naive), MAE ${fixed(data.mae)} units a day.`),
    h("figure", {}, h("figcaption", {}, "Units ordered per day: actual, the model's forecasts on past weeks, and ahead"),
      holder),
    candidates.length
      ? table("Models tried (mean absolute error, rolling origin)", [
        ["Model", ([name]) => name], ["MAE", ([, mae]) => fixed(mae, 3)]], candidates)
      : "");
  const xs = data.days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  const width = Math.min(900, view.clientWidth || 640);
  new Plot({
    width,
    height: 260,
    series: [{}, { label: "actual", stroke: "#0d47a1", width: 1 },
      { label: "forecast (past weeks)", stroke: "#e65100", dash: [4, 4] },
      { label: "forecast", stroke: "#b71c1c", width: 2 }],
  }, [xs, data.actual, data.backtest, data.forecast], holder);
}

function staffingSection(plan) {
  const rate = (r, what) => `${fixed(r.rate, 1)} ${what} an hour (${r.measured ? `measured over ${fixed(r.hours, 1)} h of scans` : "planning figure: no scans yet"})`;
  return h("section", { testid: "staffing" },
    h("h3", {}, "Staffing, next 8 weeks"),
    plan.days.length
      ? [h("p", {}, `Pickers at ${rate(plan.pick_lines_per_hour, "lines")}; packers at `,
        `${rate(plan.orders_packed_per_hour, "orders")}; ${plan.shift_hours} productive hours a shift.`),
      table("Forecast work and people needed per day", [
        ["Date", (d) => d.date], ["Orders", (d) => fixed(d.orders, 1)], ["Lines", (d) => fixed(d.lines, 1)],
        ["Pickers", (d) => String(d.pickers)], ["Packers", (d) => String(d.packers)],
      ], plan.days, (d) => ({ testid: "staffing-day" }))]
      : h("p", {}, "No staffing forecast yet: it follows the nightly forecast."));
}
