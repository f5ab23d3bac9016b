/** Office: the exception queue — packed shipments no carrier service could take, each with every service's
 * reason, and the office's own carrier/service choice (its labels are bought at once). */
import "./shipments.css";
import { h, replace } from "../../ui.js";
import { api, get } from "../../staff/staff.js";
import { failed, redraw, say, view } from "../shell.js";

const day = (iso) => (iso ? new Date(iso).toLocaleDateString() : "none");

/** #/exceptions */
export async function exceptionsPage() {
  // Only the office chooses carriers (and reads their tariffs); a supervisor sees the queue and the reasons.
  const [answer, carriers] = await Promise.all([get("/shipments/exceptions"), get("/carriers").catch(() => null)]);
  const queue = answer.exceptions || [];
  replace(view, h("h2", {}, "Shipments no carrier can take"),
    h("p", { class: "muted" }, "Rate shopping found no service for these. Choose one: its labels are bought at once."),
    queue.length
      ? h("ul", { class: "exception-list", "aria-label": "Exception queue" }, queue.map((s) => exceptionCard(s, carriers)))
      : h("p", { testid: "exceptions-empty" }, "No shipment is waiting for a carrier."));
}

function exceptionCard(s, carriers) {
  const id = s.fulfillment_id ?? s.id;
  const reasons = s.reasons || s.ship_exception || [];
  return h("li", { testid: "exception-row", "data-shipment-id": id, "data-order": s.order },
    h("div", {}, h("a", { href: `#/orders/${s.order_id}` }, `Order ${s.order}`), ` · ${s.warehouse} · due ${day(s.due_at)}`,
      ` · ${(s.parcels || []).length} parcels`),
    h("ul", { "aria-label": `Why no service takes order ${s.order}` }, reasons.map((r) => h("li", { testid: "exception-reason" },
      typeof r === "string" ? r : `${[r.carrier, r.service].filter(Boolean).join(" ") || "Every service"}: ${r.reason}`))),
    carriers ? choiceForm(id, s.order, carriers) : "");
}

/** Carrier, then one of its services; the services follow the carrier chosen. */
function choiceForm(id, order, carriers) {
  const carrier = h("select", { id: `choice-carrier-${id}`, testid: "choice-carrier", required: true },
    h("option", { value: "" }, "Choose a carrier"), carriers.map((c) => h("option", { value: c.code }, c.name)));
  const service = h("select", { id: `choice-service-${id}`, testid: "choice-service", required: true });
  const fillServices = () => {
    const chosen = carriers.find((c) => c.code === carrier.value);
    replace(service, h("option", { value: "" }, chosen ? "Choose a service" : "Choose a carrier first"),
      (chosen?.services || []).map((sv) => h("option", { value: sv.code }, `${sv.name} (${sv.kind || "parcel"})`)));
  };
  carrier.addEventListener("change", fillServices);
  fillServices();
  return h("form", { class: "choice-form", "aria-label": `Carrier for order ${order}`, onsubmit: async (e) => {
    e.preventDefault();
    if (!carrier.value || !service.value) { say("Choose a carrier and a service."); return; }
    say(`Buying labels for order ${order}…`);
    try {
      await api("POST", `/shipments/${id}/carrier-choice`, { carrier: carrier.value, service: service.value });
      say(`Order ${order}: labels bought with ${carrier.value} ${service.value}`);
      redraw();
    } catch (error) { failed(error); }
  } },
  h("div", {}, h("label", { for: carrier.id }, "Carrier"), carrier),
  h("div", {}, h("label", { for: service.id }, "Service"), service),
  h("button", { type: "submit", testid: "choice-submit" }, "Use this service"));
}
