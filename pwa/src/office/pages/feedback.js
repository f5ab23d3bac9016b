/** Customer feedback in the office: the follow-up queue (ratings of 1 or 2), who is due to reorder, and the
 * satisfaction part of a customer's page. */
import { h, replace } from "../../ui.js";
import { api, get, table } from "../../staff/staff.js";
import { failed, redraw, say, session, view, when } from "../shell.js";

const pct = (value) => (value == null ? "no data" : `${value} %`);

async function act(path, body, done) {
  try {
    await api("POST", path, body);
    say(done);
    redraw();
  } catch (error) {
    failed(error);
  }
}

export async function followUpsPage(params) {
  const status = params.get("status") || "waiting";
  const rows = await get(`/follow-ups?status=${encodeURIComponent(status)}&page_size=100`);
  const filter = h("nav", { "aria-label": "Follow-up filter", class: "row" },
    [["waiting", "Waiting"], ["closed", "Closed"]].map(([value, label]) =>
      h("a", { href: `#/follow-ups?status=${value}`, "aria-current": value === status ? "page" : null }, label)));
  const actions = (f) => {
    if (f.status === "closed") return (f.notes || []).map((n) => `${n.by}: ${n.text}`).join(" · ");
    const note = h("input", { id: `fu-note-${f.id}`, testid: "follow-up-note", autocomplete: "off" });
    return h("form", { class: "staff-form inline", onsubmit: (e) => {
      e.preventDefault();
      if (note.value.trim()) act(`/follow-ups/${f.id}/notes`, { text: note.value.trim() }, "Note added.");
    } },
    h("label", { for: note.id }, "Note"), note, h("button", { type: "submit" }, "Add note"),
    f.assignee === session.me.username ? "" : h("button", { type: "button", testid: "follow-up-take",
      onclick: () => act(`/follow-ups/${f.id}/assign`, { username: session.me.username }, "Assigned to you.") }, "Take it"),
    h("button", { type: "button", testid: "follow-up-close",
      onclick: () => act(`/follow-ups/${f.id}/close`, { note: note.value.trim() }, "Closed.") }, "Close"),
    (f.notes || []).length ? h("p", { class: "muted" }, f.notes.map((n) => `${n.by}: ${n.text}`).join(" · ")) : "");
  };
  replace(view, h("h2", {}, "Follow-ups"), filter,
    h("p", { class: "muted" }, "A rating of 1 or 2 opens a follow-up: call the customer back, note what was done, close it."),
    table(`${rows.length} follow-ups`, [
      ["Order", (f) => h("a", { href: `#/orders/${f.order_id}` }, f.order)],
      ["Customer", (f) => h("a", { href: `#/customers/${f.customer_id}` }, f.customer)],
      ["Rating", (f) => `${f.score} of 5`], ["Comment", (f) => f.comment || "—"],
      ["Status", (f) => f.status], ["Assigned to", (f) => f.assignee ?? "—"], ["Opened", (f) => when(f.opened_at)],
      ["", actions],
    ], rows, (f) => ({ testid: "follow-up-row", "data-status": f.status })));
}

export async function dueToReorderPage(params) {
  const within = params.get("within_days") || "7";
  const { items } = await get(`/reorders/due?within_days=${encodeURIComponent(within)}`);
  replace(view, h("h2", {}, "Due to reorder"),
    h("p", { class: "muted" }, `Customers whose next order, by their usual interval (the median days between their orders), is due within ${within} days or overdue.`),
    table(`${items.length} customers`, [
      ["Customer", (c) => h("a", { href: `#/customers/${c.customer_id}` }, c.name)], ["Email", (c) => c.email],
      ["Orders", (c) => c.orders], ["Usual interval", (c) => `${c.interval_days} days`],
      ["Last order", (c) => when(c.last_order_at)], ["Due", (c) => when(c.due_at)],
      ["", (c) => (c.overdue_days > 0 ? `${c.overdue_days} days overdue` : c.overdue_days === 0 ? "due today" : `in ${-c.overdue_days} days`)],
    ], items, (c) => ({ testid: "reorder-row", "data-customer-id": c.customer_id })));
}

/** The customer's satisfaction and reorder habit, for the customer page. */
export async function satisfactionPart(customerId) {
  const s = await get(`/customers/${customerId}/satisfaction`).catch(() => null);
  if (!s) return "";
  const habit = s.reorder.interval_days == null ? `not enough orders yet (${s.reorder.orders})`
    : `every ${s.reorder.interval_days} days; next due ${when(s.reorder.due_at)}${s.reorder.due ? " (due now)" : ""}`;
  return h("section", { "aria-labelledby": "satisfaction-h", testid: "customer-satisfaction" },
    h("h3", { id: "satisfaction-h" }, "Satisfaction"),
    h("p", { testid: "customer-csat" }, h("strong", {}, "CSAT, 12 months: "),
      `${pct(s.csat.csat_pct)} (${s.csat.satisfied} of ${s.csat.ratings} ratings 4 or 5)`),
    h("p", {}, h("strong", {}, "Returns rate: "), s.returns_rate == null ? s.returns_note : `${s.returns_rate} % (${s.returns_note})`),
    h("p", { testid: "customer-reorder" }, h("strong", {}, "Reorders: "), habit),
    s.by_month.length ? table("CSAT by month", [["Month", (m) => m.month], ["Ratings", (m) => m.ratings],
      ["CSAT", (m) => pct(m.csat_pct)]], s.by_month) : "",
    s.ratings.length ? table("Latest ratings", [["Order", (r) => h("a", { href: `#/orders/${r.order_id}` }, r.order)],
      ["Rating", (r) => `${r.score} of 5`], ["Comment", (r) => r.comment || "—"], ["When", (r) => when(r.updated_at)]], s.ratings) : "");
}
