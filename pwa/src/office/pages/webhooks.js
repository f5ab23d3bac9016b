/** Office (admins): outbound webhooks — subscribe a URL to events, see its secret once, pause, resume, delete,
 * and read each webhook's delivery log with the receiver's answers; redeliver an event. */
import "./webhooks.css";
import { h, replace } from "../../ui.js";
import { api, get } from "../../staff/staff.js";
import { fieldErrors } from "../../staff/words.js";
import { failed, redraw, say, view, when } from "../shell.js";

const FAMILY = { order: "Orders", shipment: "Shipments", stock: "Stock" };
const STATUS = { pending: "Waiting to be sent", delivered: "Delivered", failed: "Failed: every attempt failed" };
// The secret of the webhook just created, shown once above the list (it is never shown again).
let justCreated = null;

/** #/webhooks — the list and the form; #/webhooks/ID — that webhook's delivery log. */
export async function webhooksPage(id) {
  if (id) return deliveriesPage(id);
  const [{ webhooks }, known] = await Promise.all([get("/webhooks"), get("/webhooks/events")]);
  const secret = justCreated;
  justCreated = null;
  const switchedOff = webhooks.filter((w) => !w.enabled && w.disabled_reason.startsWith("Switched off by Baton"));
  replace(view,
    h("h2", {}, "Webhooks"),
    h("p", { class: "muted" }, "Baton POSTs its events to these addresses (your ERP, your shop), signed per ",
      "Standard Webhooks, and tries again for more than a day when a receiver is down."),
    switchedOff.length ? h("p", { class: "webhook-alert", role: "alert", testid: "webhooks-switched-off" },
      `Baton switched off ${switchedOff.length} webhook${switchedOff.length > 1 ? "s" : ""} after a day of failed `,
      "deliveries. Fix the receiver, then switch it on again: what waited is sent then.") : "",
    secret ? h("div", { class: "webhook-secret", testid: "webhook-secret", role: "status" },
      h("p", {}, h("strong", {}, "Signing secret for "), secret.url,
        " — copy it now, it is not shown again. Your receiver verifies each request with it."),
      h("code", { testid: "webhook-secret-value" }, secret.secret)) : "",
    webhookList(webhooks),
    webhookForm(known));
}

function webhookList(webhooks) {
  if (!webhooks.length) return h("p", { testid: "webhooks-empty" }, "No webhooks yet.");
  return h("ul", { class: "webhook-list", "aria-label": "Webhooks" }, webhooks.map((w) => {
    const confirm = h("button", { type: "button", class: "danger", hidden: true, testid: "webhook-delete-confirm",
      onclick: () => change(w, "DELETE", undefined, "deleted") }, "Delete for good");
    return h("li", { testid: "webhook-row", "data-id": w.id, "data-enabled": String(w.enabled) },
      h("div", { class: "url" }, w.url),
      h("div", {}, "Events: ", w.events.join(", ")),
      h("div", { class: w.enabled ? "" : "off", testid: "webhook-state" },
        w.enabled ? (w.consecutive_failures ? `On · ${w.consecutive_failures} failed attempts in a row` : "On")
          : `Off: ${w.disabled_reason || "switched off"}`),
      h("div", { class: "webhook-actions" },
        h("a", { href: `#/webhooks/${w.id}`, testid: "webhook-log" }, "Delivery log"),
        h("button", { type: "button", testid: "webhook-toggle",
          onclick: () => change(w, "PATCH", { enabled: !w.enabled }, w.enabled ? "paused" : "switched on") },
        w.enabled ? "Pause" : "Switch on"),
        h("button", { type: "button", class: "danger", testid: "webhook-delete",
          onclick: (e) => { e.target.hidden = true; confirm.hidden = false; confirm.focus(); } }, "Delete"),
        confirm));
  }));
}

async function change(webhook, method, body, done) {
  try {
    await api(method, `/webhooks/${webhook.id}`, body);
    say(`Webhook ${webhook.url}: ${done}`);
    redraw();
  } catch (e) { failed(e); }
}

function webhookForm(known) {
  const errors = {};
  const error = (name) => (errors[name] = h("span", { id: `webhook-${name}-error`, class: "staff-error field-error",
    testid: "field-error", "data-field": name }));
  const url = h("input", { id: "webhook-url", type: "url", required: true, autocomplete: "off", testid: "webhook-url",
    placeholder: "https://erp.example.com/baton", "aria-describedby": "webhook-url-error" });
  const secret = h("input", { id: "webhook-own-secret", type: "text", autocomplete: "off", testid: "webhook-own-secret",
    "aria-describedby": "webhook-secret-error" });
  const boxes = [];
  const box = (value, label) => {
    const input = h("input", { type: "checkbox", value, testid: "webhook-event", "data-event": value });
    boxes.push(input);
    return h("label", {}, input, label);
  };
  const alert = h("p", { role: "alert", class: "staff-error", testid: "form-error" });
  const groups = known.families.map((family) => h("fieldset", {},
    h("legend", {}, FAMILY[family] || family),
    h("div", { class: "events" }, box(`${family}.*`, `All ${(FAMILY[family] || family).toLowerCase()} events`),
      known.events.filter((e) => e.startsWith(`${family}.`)).map((e) => box(e, e)))));
  return h("form", { class: "staff-form webhook-form", testid: "webhook-form", "aria-labelledby": "webhook-form-h",
    novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      alert.textContent = "";
      for (const span of Object.values(errors)) span.textContent = "";
      url.removeAttribute("aria-invalid");
      const body = { url: url.value.trim(), events: boxes.filter((b) => b.checked).map((b) => b.value) };
      if (secret.value.trim()) body.secret = secret.value.trim();
      say("Saving…");
      try {
        const { data } = await api("POST", "/webhooks", body);
        justCreated = data;
        say(`Webhook ${data.url}: created`);
        redraw();
      } catch (err) {
        const marked = fieldErrors(err.details?.fields || {});
        for (const [name, message] of Object.entries(marked)) {
          const key = name.split(".")[0];
          if (errors[key]) errors[key].textContent = message;
        }
        if (marked.url) url.setAttribute("aria-invalid", "true");
        alert.textContent = `Not saved: ${Object.keys(marked).length ? "check the marked fields." : err.message}`;
        say(alert.textContent);
        (marked.url ? url : marked.secret ? secret : boxes[0])?.focus();
      }
    } },
  h("h3", { id: "webhook-form-h" }, "New webhook"),
  h("div", {}, h("label", { for: "webhook-url" }, "Receiver URL (http or https)"), url, error("url")),
  h("div", { role: "group", "aria-labelledby": "webhook-events-h" },
    h("h4", { id: "webhook-events-h" }, "Events to send"), groups, error("events")),
  h("div", {}, h("label", { for: "webhook-own-secret" }, "Signing secret (leave empty and Baton makes one)"),
    secret, error("secret")),
  alert,
  h("button", { type: "submit", testid: "webhook-create" }, "Create webhook"));
}

/** #/webhooks/ID — what was sent, what the receiver answered, and Redeliver. */
async function deliveriesPage(id) {
  const [webhook, { deliveries }] = await Promise.all([get(`/webhooks/${id}`), get(`/webhooks/${id}/deliveries?limit=200`)]);
  replace(view,
    h("p", {}, h("a", { href: "#/webhooks" }, "← All webhooks")),
    h("h2", {}, "Delivery log"),
    h("p", { class: "url", testid: "webhook-url-shown" }, webhook.url),
    webhook.enabled ? "" : h("p", { class: "webhook-alert", testid: "webhook-off" },
      `This webhook is off: ${webhook.disabled_reason}`),
    deliveries.length ? h("ul", { class: "delivery-list", "aria-label": "Deliveries" }, deliveries.map((d) =>
      h("li", { testid: "delivery-row", "data-status": d.status, "data-type": d.type, "data-event-id": d.event_id },
        h("div", {}, h("strong", {}, d.type), ` · ${when(d.created_at)}`),
        h("div", { class: "id" }, `Event id ${d.event_id}`),
        h("div", { testid: "delivery-status" }, STATUS[d.status] || d.status,
          d.status === "delivered" ? ` ${when(d.delivered_at)}` : "",
          ` · ${d.attempts} attempt${d.attempts === 1 ? "" : "s"}`,
          d.response_code ? ` · answer ${d.response_code}` : "",
          d.duration_ms != null ? ` · ${d.duration_ms} ms` : "",
          d.status === "pending" && d.attempts ? ` · next try ${when(d.next_attempt_at)}` : ""),
        d.error ? h("div", { class: "problem" }, d.error) : "",
        d.log.length ? h("details", {}, h("summary", {}, "Attempts"),
          h("ol", {}, d.log.map((a) => h("li", { testid: "delivery-attempt" },
            `${when(a.at)}: ${a.response_code ?? "no answer"} in ${a.duration_ms} ms${a.error ? ` — ${a.error}` : ""}`)))) : "",
        webhook.enabled ? h("button", { type: "button", testid: "delivery-redeliver", onclick: async () => {
          try {
            await api("POST", `/webhooks/${id}/deliveries/${d.id}/redeliver`);
            say(`${d.type} ${d.event_id}: queued again`);
            redraw();
          } catch (e) { failed(e); }
        } }, "Redeliver") : ""))) : h("p", { testid: "deliveries-empty" }, "Nothing sent yet."));
}
