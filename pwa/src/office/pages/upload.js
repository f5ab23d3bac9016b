/** CSV upload: check the file (every row's errors beside the row), then import it all or nothing in the
 * background, with a progress bar. Same rules as `baton import`. */
import { h, replace } from "../../ui.js";
import { ApiError } from "../../api.js";
import { get, table } from "../../staff/staff.js";
import { plainError } from "../../staff/words.js";
import { say, view } from "../shell.js";

const KINDS = {
  orders: ["Orders", "external_id, customer_id, ship_name, ship_line1, ship_line2?, ship_city, ship_region, ship_postal_code, ship_country, sku, qty, ship_policy?, priority?"],
  products: ["Products", "sku, name, unit_price, weight_kg, length_cm, width_cm, height_cm, handling?, food?, active?, barcode?, barcode_units?"],
  customers: ["Customers", "name, email, type?, ship_policy?, discount_pct?, credit_limit?, language?, terms?, address_label?, address_line1?, address_line2?, address_city?, address_region?, address_postal_code?, address_country?"],
  stock_counts: ["Stock counts", "warehouse, location, sku, counted, reason?"],
  suppliers: ["Suppliers", "name, email, lead_time_days, currency?, payment_terms?, address_line1?, address_line2?, address_city?, address_region?, address_postal_code?, address_country?"],
  supplier_items: ["Supplier items", "supplier, sku, unit_cost, supplier_sku?, moq?, pack_multiple?, lead_time_days?, preferred?, warehouse?"],
};
const POLL_MS = 400;
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The file as the body, labelled text/csv (the CSRF guard accepts it); answers like api(). */
async function send(kind, dryRun, text) {
  const response = await fetch(`/api/v1/imports?kind=${kind}&dry_run=${dryRun}`, {
    method: "POST", credentials: "same-origin", body: text,
    headers: { Accept: "application/json", "Content-Type": "text/csv", "Idempotency-Key": crypto.randomUUID() },
  }).catch(() => { throw new ApiError(0, "network", "No network."); });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data?.error?.code, data?.error?.message || response.statusText, data?.error?.details);
  return data;
}

export async function uploadPage(params) {
  const kind = h("select", { testid: "import-kind", id: "import-kind" },
    Object.entries(KINDS).map(([k, [label]]) => h("option", { value: k, selected: params.get("kind") === k }, label)));
  const columns = h("p", { class: "muted", testid: "import-columns" });
  const showColumns = () => { columns.textContent = `Columns (? = optional): ${KINDS[kind.value][1]}`; };
  kind.addEventListener("change", () => { showColumns(); reset(); });
  showColumns();
  const file = h("input", { type: "file", accept: ".csv,text/csv", id: "import-file", testid: "import-file",
    "aria-describedby": "import-columns-hint", onchange: () => reset() });
  const check = h("button", { type: "button", testid: "import-check", onclick: () => run(true) }, "Check the file");
  const doImport = h("button", { type: "button", testid: "import-run", disabled: true, onclick: () => run(false) }, "Import");
  const bar = h("progress", { class: "import-progress", max: "1", value: "0", testid: "import-progress", "aria-label": "Import progress", hidden: true });
  const progressText = h("p", { testid: "import-progress-text", role: "status" });
  const outcome = h("div", { testid: "import-outcome" });
  let checkedText = null;

  function reset() {
    checkedText = null;
    doImport.disabled = true;
    replace(outcome);
    progressText.textContent = "";
    bar.hidden = true;
  }

  async function run(dryRun) {
    const chosen = file.files?.[0];
    if (!chosen) { replace(outcome, h("p", { class: "staff-error", role: "alert", testid: "import-error" }, "Choose a CSV file first.")); return; }
    const text = await chosen.text();
    if (!dryRun && text !== checkedText) { reset(); replace(outcome, h("p", { role: "alert", class: "staff-error" }, "The file changed: check it again.")); return; }
    check.disabled = doImport.disabled = true;
    replace(outcome);
    bar.hidden = false;
    bar.value = 0;
    say(dryRun ? "Checking…" : "Importing…");
    try {
      let job = await send(kind.value, dryRun, text);
      while (job.status === "queued" || job.status === "running") {
        bar.max = Math.max(1, job.total);
        bar.value = job.done;
        progressText.textContent = `${dryRun ? "Checked" : "Imported"} ${job.done} of ${job.total} rows`;
        await wait(POLL_MS);
        job = await get(`/imports/${job.id}`);
      }
      bar.max = Math.max(1, job.total);
      bar.value = job.total;
      progressText.textContent = `${dryRun ? "Checked" : "Imported"} ${job.total} of ${job.total} rows`;
      showOutcome(job, text, dryRun);
      if (dryRun && job.status === "done") { checkedText = text; doImport.disabled = false; }
    } catch (err) {
      replace(outcome, h("p", { role: "alert", class: "staff-error", testid: "import-error" }, `Not done: ${plainError(err)}`));
      say(`Not done: ${plainError(err)}`);
    } finally {
      check.disabled = false;
    }
  }

  function showOutcome(job, text, dryRun) {
    if (job.status === "done") {
      const { created = 0, skipped = 0 } = job.result || {};
      const message = dryRun
        ? `No problems found: ${created} would be created, ${skipped} already there. Press Import to import them.`
        : `Imported: ${created} created, ${skipped} already there.`;
      replace(outcome, h("p", { testid: "import-done", "data-created": created, "data-dry-run": String(dryRun) }, message));
      say(message);
      return;
    }
    // Every row's errors beside the row's own text, in file order; row 0/1 are the file and its header.
    const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
    const byRow = new Map();
    for (const e of job.errors) byRow.set(e.row, [...(byRow.get(e.row) || []), e]);
    const rows = [...byRow.entries()].sort(([a], [b]) => a - b);
    const message = `Nothing imported: ${job.errors.length} problem(s) in ${rows.length} row(s). Fix the file and check it again.`;
    replace(outcome, h("p", { role: "alert", class: "staff-error", testid: "import-failed" }, message),
      table("Rows with problems", [
        ["Line", ([row]) => (row === 0 ? "file" : String(row))],
        ["Row", ([row]) => h("code", {}, row > 0 ? lines[row - 1] ?? "" : "")],
        ["Problems", ([, errs]) => h("ul", {}, errs.map((e) => h("li", { testid: "row-error-message", "data-field": e.field },
          `${e.field}: ${e.message}`)))],
      ], rows, ([row]) => ({ testid: "row-error", "data-row": row })));
    say(message);
  }

  replace(view, h("h2", {}, "Import a CSV file"),
    h("form", { class: "wide-form", testid: "import-form", "aria-label": "Import a CSV file", onsubmit: (e) => e.preventDefault() },
      h("div", { class: "row" }, h("div", {}, h("label", { for: "import-kind" }, "What the file holds"), kind),
        h("div", {}, h("label", { for: "import-file" }, "CSV file (UTF-8, header first)"), file)),
      h("div", { id: "import-columns-hint" }, columns),
      h("p", { class: "muted" }, "Check the file first: every problem is listed beside its row and nothing is imported. " +
        "Import takes all rows or none; rows already there are skipped."),
      h("div", { class: "actions" }, check, doImport), bar, progressText, outcome));
}
