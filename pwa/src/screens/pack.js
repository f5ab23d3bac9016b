/** Pack: tick off each item by scanning it, take the suggested box, weigh, confirm, print the label. */

import * as store from "../store.js";
import { h, replace, text } from "../ui.js";
import { orderedStops } from "../verdict.js";
import { manifestPart } from "./manifest.js";

const SUPERVISORS = new Set(["supervisor", "admin"]);

export function packScreen(ctx) {
  const { t } = ctx;
  const title = h("h1", {});
  const items = h("ul", { class: "pack-items", testid: "pack-items", "aria-label": t("pack_items") });
  const box = h("p", { class: "box", testid: "pack-box" });
  const parcels = h("p", { class: "hint" });
  const expected = h("p", { class: "hint", testid: "pack-expected" });
  const weights = h("div", { class: "stack" });
  const message = h("p", { class: "message", role: "status", testid: "pack-message" });
  const confirm = h("button", { type: "submit", class: "primary huge", testid: "pack-confirm" }, t("pack_confirm"));
  const form = h("form", {
    class: "stack",
    onsubmit: (event) => {
      event.preventDefault();
      for (const input of weights.querySelectorAll("input")) input.blur();
      ctx.work.confirmPack([...weights.querySelectorAll("input")].map((input) => input.value));
    },
  }, weights, confirm);

  const refusal = refusalPart(ctx);
  const missing = missingPart(ctx);
  const result = h("section", { class: "card stack", testid: "pack-result", hidden: true });
  const el = h("section", { class: "screen pack" }, title,
    h("h2", {}, t("pack_items")), items, missing.el,
    h("h2", {}, t("pack_box")), box, parcels, expected, form, message, refusal.el, result, manifestPart(ctx).el);

  let shownItems = "";
  let shownParcels = -1;
  let shownResult = null;

  function update(state) {
    const task = state.tasks[state.currentTaskId];
    if (!task) return;
    text(title, t("pack_title", { order: task.order || task.id }));
    const stops = orderedStops(task);
    const key = JSON.stringify(stops.map((s) => [s.id, s.picked, s.qty, s.short]));
    if (key !== shownItems) {
      shownItems = key;
      replace(items, stops.map((s) => itemRow(t, s)));
      missing.items(stops);
    }
    const suggested = task.data?.box;
    text(box, suggested ? `${suggested.name} (${suggested.code}) — ${suggested.inner_cm.join(" × ")} cm` : t("pack_box_none"));
    const n = Math.max(1, task.data?.parcels || 1);
    text(parcels, n > 1 ? t("pack_parcels", { n }) : "");
    const plan = task.data?.plan || [];
    text(expected, task.data?.expected_weight_kg ? t("pack_expected", { kg: task.data.expected_weight_kg }) : "");
    if (n !== shownParcels) {
      shownParcels = n;
      replace(weights, weightInputs(t, n, plan));
    }

    const pack = state.pack[task.id] || {};
    const worded = pack.code ? "" : pack.error || "";
    text(message, pack.status === "sending" ? t("pack_sending") : worded);
    refusal.update(task, pack);
    confirm.disabled = pack.status === "sending" || pack.status === "packed";
    form.hidden = pack.status === "packed";
    missing.el.hidden = pack.status === "packed";
    if (pack !== shownResult) {
      shownResult = pack;
      result.hidden = pack.status !== "packed";
      if (pack.status === "packed") replace(result, ...packedView(ctx, pack));
    }
  }

  return { el, update, onScan: (code) => ctx.work.scan(code) };
}

function itemRow(t, s) {
  const owed = s.qty - (s.short || 0);
  const checked = Math.min(s.picked, owed);
  const done = s.picked >= owed;
  return h("li", {
    class: done ? "done" : "", testid: "pack-item", "data-sku": s.sku, "data-qty": String(owed),
    "data-checked": String(checked), "data-done": String(done), "data-missing": String(s.short || 0),
  }, h("span", { class: "tick", "aria-hidden": "true" }, done ? "✔" : "○"),
  h("span", { class: "what" }, h("strong", {}, s.name || s.sku), h("br"), s.sku,
    s.short ? h("span", { class: "hint", testid: "pack-item-missing" }, ` — ${t("pack_item_missing", { n: s.short })}`) : null),
  h("span", { class: "count" }, `${checked} / ${owed}`));
}

/** One scale reading per parcel: the bench weighs each box it closes. */
function weightInputs(t, n, plan) {
  return Array.from({ length: n }, (_, i) => {
    const id = `pack-weight-${i + 1}`;
    const hint = plan[i] && n > 1 ? `≈ ${plan[i]}` : "";
    return [
      h("label", { for: id }, n > 1 ? t("pack_weight_n", { n: i + 1 }) : t("pack_weight")),
      h("input", {
        id, testid: "pack-weight", "data-parcel": String(i + 1), type: "number", inputmode: "decimal",
        min: "0.001", step: "0.001", placeholder: hint || undefined,
      }),
    ];
  });
}

/** Why the server would not close the parcel, with the scale's figures, and the supervisor's way past it. */
function refusalPart(ctx) {
  const { t } = ctx;
  const words = h("p", { class: "message", role: "alert", testid: "pack-refusal" });
  const open = h("button", { type: "button", class: "big", testid: "pack-override-open" }, t("pack_override_open"));
  const badge = h("input", { id: "pack-override-badge", testid: "pack-override-badge", autocomplete: "off" });
  const pin = h("input", { id: "pack-override-pin", testid: "pack-override-pin", type: "password", inputmode: "numeric", autocomplete: "off" });
  const note = h("input", { id: "pack-override-note", testid: "pack-override-note", maxlength: "200", required: true, minlength: "3" });
  const credentials = h("div", { class: "stack" },
    h("label", { for: "pack-override-badge" }, t("pack_override_badge")), badge,
    h("label", { for: "pack-override-pin" }, t("pack_override_pin")), pin);
  const form = h("form", {
    class: "card stack", testid: "pack-override", hidden: true,
    onsubmit: (event) => {
      event.preventDefault();
      const override = { note: note.value.trim() };
      if (!credentials.hidden) Object.assign(override, { badge: badge.value.trim(), pin: pin.value });
      pin.value = "";
      ctx.work.overridePack(override);
    },
  }, credentials, h("label", { for: "pack-override-note" }, t("pack_override_note")), note,
  h("button", { type: "submit", class: "primary big", testid: "pack-override-submit" }, t("pack_override_submit")));
  open.addEventListener("click", () => {
    form.hidden = false;
    open.hidden = true;
    (credentials.hidden ? note : badge).focus();
  });
  // A held parcel stays on the bench: the packer gets on with other work meanwhile.
  const next = h("button", { type: "button", class: "big", testid: "pack-held-next", onclick: () => ctx.sync.nextTask() }, t("next_task"));
  const el = h("div", { class: "stack", testid: "pack-refusal-box", hidden: true }, words, open, form, next);

  return {
    el,
    update(task, pack) {
      const code = pack.code || "";
      el.hidden = !code || pack.status === "packed";
      if (el.hidden) {
        form.hidden = true;
        open.hidden = false;
        return;
      }
      text(words, refusalWords(t, task, pack));
      const weight = ["weight_out_of_tolerance", "override_refused", "override_not_allowed"].includes(code);
      open.hidden = !weight || !form.hidden;
      if (!weight) form.hidden = true;
      next.hidden = code !== "held_until_complete";
      credentials.hidden = SUPERVISORS.has(store.get().user?.role);
    },
  };
}

function refusalWords(t, task, pack) {
  const d = pack.details || {};
  switch (pack.code) {
    case "weight_out_of_tolerance": {
      const figures = { weighed: d.weighed_kg, expected: d.expected_kg, tolerance: d.tolerance_kg, parcel: d.parcel };
      return t(d.parcel ? "pack_weight_refused_parcel" : "pack_weight_refused", figures);
    }
    case "held_until_complete":
      return t("pack_held", { order: task.order || task.id });
    case "override_refused":
      return t("pack_override_refused");
    case "override_not_allowed":
      return t("pack_override_not_allowed");
    case "items_not_checked":
      return t("pack_unchecked", { n: (d.items || []).reduce((n, i) => n + i.qty - i.checked, 0) });
    default:
      return pack.error || "";
  }
}

/** "Item missing": the packer says how many of which item are not at the bench; the parcel takes the rest. */
function missingPart(ctx) {
  const { t } = ctx;
  const open = h("button", { type: "button", class: "big", testid: "pack-missing-open" }, t("pack_missing_open"));
  const sku = h("select", { id: "pack-missing-sku", testid: "pack-missing-sku" });
  const qty = h("input", { id: "pack-missing-qty", testid: "pack-missing-qty", type: "number", inputmode: "numeric", min: "1", step: "1", value: "1" });
  const send = h("button", { type: "submit", class: "primary big", testid: "pack-missing-submit" }, t("pack_missing_submit"));
  const said = h("p", { class: "message", role: "status", testid: "pack-missing-result" });
  const form = h("form", {
    class: "card stack", testid: "pack-missing", hidden: true,
    onsubmit: async (event) => {
      event.preventDefault();
      send.disabled = true;
      const answer = await ctx.work.reportMissing(sku.value, Number.parseInt(qty.value, 10));
      send.disabled = false;
      if (!answer) return;
      if (answer.error) {
        text(said, missingError(t, answer.error));
        return;
      }
      text(said, missingWords(t, answer.result));
      form.hidden = true;
      open.hidden = false;
    },
  }, h("label", { for: "pack-missing-sku" }, t("pack_missing_sku")), sku,
  h("label", { for: "pack-missing-qty" }, t("pack_missing_qty")), qty, send);
  open.addEventListener("click", () => {
    form.hidden = false;
    open.hidden = true;
    text(said, "");
  });
  const el = h("div", { class: "stack" }, open, form, said);

  return {
    el,
    items(stops) {
      const owed = stops.filter((s) => s.qty - (s.short || 0) - s.picked > 0);
      const chosen = sku.value;
      replace(sku, owed.map((s) => h("option", { value: s.sku }, `${s.name || s.sku} (${s.sku})`)));
      if (owed.some((s) => s.sku === chosen)) sku.value = chosen;
      open.disabled = owed.length === 0;
    },
  };
}

function missingWords(t, result) {
  const parts = [];
  if (result.reallocated) {
    parts.push(t("pack_missing_coming", { qty: result.reallocated, sku: result.sku, locations: result.from_locations.join(", ") }));
  }
  if (result.backordered) {
    parts.push(t(result.held ? "pack_missing_held" : "pack_missing_backordered", { qty: result.backordered, sku: result.sku }));
  }
  return parts.join(" ");
}

function missingError(t, error) {
  if (error.code === "invalid_missing") return t("pack_missing_too_many", { n: error.details?.unchecked ?? 0 });
  if (error.code === "nothing_to_pack") return t("pack_missing_everything");
  return error.error || error.message || "";
}

function packedView(ctx, pack) {
  const { t } = ctx;
  if (!pack.result) return [h("p", { class: "lead" }, t("pack_done_retry")), nextButton(ctx)];
  const parcels = pack.result.parcels || [];
  const first = parcels[0];
  return [
    h("p", { class: "lead" }, t("pack_done", { labels: parcels.map((p) => p.label_code).join(", ") })),
    ...parcels.map((p) => carrierLabel(ctx, p)),
    pack.result.ship_exception ? exceptionPart(t, pack.result.ship_exception) : null,
    h("button", { class: "primary huge", testid: "pack-print", onclick: () => ctx.work.printLabels(pack.result) }, t("pack_print")),
    first ? h("a", { class: "button big", testid: "pack-zpl", href: first.label_urls.zpl, download: `${first.label_code}.zpl` }, t("pack_zpl")) : null,
    nextButton(ctx),
  ];
}

/** What the carrier label says: carrier, service, tracking number and estimated delivery, and a reprint. */
function carrierLabel(ctx, parcel) {
  const { t } = ctx;
  const row = (key, value, testid) => [h("dt", {}, t(key)), h("dd", { testid }, value || "—")];
  const labelled = Boolean(parcel.tracking_number) && parcel.status !== "voided";
  return h("div", { class: "parcel-label stack", testid: "pack-label", "data-parcel": String(parcel.id), "data-status": parcel.status },
    h("h3", {}, t("pack_label_heading", { label: parcel.label_code })),
    labelled ? h("dl", { class: "facts" },
      ...row("pack_label_carrier", parcel.carrier, "pack-label-carrier"),
      ...row("pack_label_service", parcel.service, "pack-label-service"),
      ...row("pack_label_tracking", parcel.tracking_number, "pack-label-tracking"),
      ...row("pack_label_eta", deliveryDay(ctx, parcel.estimated_delivery), "pack-label-eta")) : null,
    h("button", { class: "big", testid: "pack-reprint", onclick: () => ctx.work.printLabels({ parcels: [parcel] }) }, t("pack_reprint")));
}

/** No carrier service can take the shipment: the parcel waits at the dock while the office chooses. */
function exceptionPart(t, reasons) {
  return h("div", { class: "message stack", role: "alert", testid: "pack-exception" },
    h("p", {}, t("pack_no_carrier")),
    h("p", {}, t("pack_no_carrier_reasons")),
    h("ul", { testid: "pack-exception-reasons" }, reasons.map((r) =>
      h("li", {}, r.carrier ? `${r.carrier} ${r.service}: ${r.reason}` : r.reason))));
}

function deliveryDay(ctx, iso) {
  if (!iso) return "";
  // A calendar day, not a moment: read at noon UTC so no time zone moves it to the day before.
  const day = new Date(`${iso}T12:00:00Z`);
  return day.toLocaleDateString(store.get().lang || "en",
    { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
}

function nextButton(ctx) {
  return h("button", { class: "big", testid: "next-task", onclick: () => ctx.sync.nextTask() }, ctx.t("next_task"));
}
