/** Office: customer emails — what was sent per order, the ones that failed for good (resend), the demo mailbox. */
import "./emails.css";
import { h, replace } from "../../ui.js";
import { api, get } from "../../staff/staff.js";
import { failed, redraw, say, view } from "../shell.js";

const KIND = {
  confirmed: "Order confirmed",
  backordered: "Waiting for stock",
  shipped: "Shipped",
  delayed: "Running late",
  delivery_failed: "Delivery failed",
  out_for_delivery: "Out for delivery",
  delivered: "Delivered",
  purchase_order: "Purchase order to a supplier",
};
const STATUS = {
  pending: "Waiting to be sent",
  sent: "Sent",
  recorded: "Recorded, not sent (email is off)",
  skipped: "Not sent: the customer turned these emails off",
  dead: "Failed: gave up after retrying",
};
const when = (iso) => (iso ? new Date(iso).toLocaleString() : "—");

function setupNote(email) {
  return email.sending
    ? h("p", { class: "email-setup", testid: "email-setup", "data-sending": "true" },
      `Emails are sent through ${email.server}.`)
    : h("p", { class: "email-setup off", testid: "email-setup", "data-sending": "false" },
      "Email is off: no mail server is set (BATON_SMTP_URL), so emails are recorded here but not sent.");
}

/** Cards, one per email, with Resend where it makes sense. */
function noticeList(notices, label) {
  if (!notices.length) return h("p", { testid: "notices-empty" }, "No emails here.");
  return h("ul", { class: "notice-list", "aria-label": label }, notices.map((n) => {
    const resend = ["dead", "sent", "recorded", "skipped"].includes(n.status)
      ? h("button", { type: "button", testid: "notice-resend", onclick: async () => {
        try {
          await api("POST", `/notices/${n.id}/resend`);
          say(`${KIND[n.kind] || n.kind} email to ${n.recipient}: queued again`);
          redraw();
        } catch (e) { failed(e); }
      } }, n.status === "dead" ? "Try again" : "Send again")
      : "";
    return h("li", { testid: "notice-row", "data-status": n.status, "data-kind": n.kind, "data-order-id": n.order_id ?? "" },
      h("div", { class: "what" }, KIND[n.kind] || n.kind,
        n.order_id ? [" · ", h("a", { href: `#/orders/${n.order_id}` }, `order ${n.order_id}`)] : ""),
      h("div", { class: "to" }, `To ${n.recipient} (${n.language === "es" ? "Spanish" : "English"})`),
      h("div", { testid: "notice-status" }, STATUS[n.status] || n.status,
        n.status === "sent" ? ` ${when(n.sent_at)}` : "", n.attempts > 1 ? ` · ${n.attempts} tries` : ""),
      n.last_error && n.status !== "sent" ? h("div", { class: "problem" }, n.last_error) : "",
      resend);
  }));
}

/** #/emails — every email, or only the failed ones (?status=dead), and the demo's mailbox. */
export async function emailsPage(params) {
  const status = params.get("status") || "";
  const query = new URLSearchParams({ limit: "200" });
  if (status) query.set("status", status);
  const [answer, mailbox] = await Promise.all([get(`/notices?${query}`), get("/notices/mailbox")]);
  const counts = answer.counts || {};
  const filter = (value, label) => h("a", { href: value ? `#/emails?status=${value}` : "#/emails",
    "aria-current": status === value ? "page" : undefined, testid: `emails-filter-${value || "all"}` }, label);
  replace(view,
    h("h2", {}, "Customer emails"),
    setupNote(answer.email),
    h("p", { testid: "email-counts" },
      `Sent ${counts.sent || 0} · waiting ${counts.pending || 0} · failed ${counts.dead || 0}` +
      ` · recorded ${counts.recorded || 0} · turned off ${counts.skipped || 0}`),
    h("nav", { class: "email-filters", "aria-label": "Which emails" },
      filter("", "All emails"), filter("dead", `Failed (${counts.dead || 0})`), filter("pending", "Waiting")),
    h("h3", {}, status === "dead" ? "Failed emails" : status === "pending" ? "Waiting emails" : "Latest emails"),
    noticeList(answer.notices || [], "Customer emails"),
    mailbox.enabled ? mailboxSection(mailbox.messages) : "");
}

function mailboxSection(messages) {
  return h("section", { "aria-labelledby": "mailbox-h", testid: "demo-mailbox" },
    h("h3", { id: "mailbox-h" }, `Demo mailbox (${messages.length})`),
    h("p", { class: "muted" }, "What the demo's local mail server received — no email leaves this machine."),
    messages.length
      ? h("ul", { class: "mailbox-list" }, messages.map((m) => h("li", { testid: "mailbox-message" },
        h("details", {},
          h("summary", {}, h("strong", {}, m.subject), ` — to ${m.to}, ${when(m.date)}`),
          h("pre", {}, m.text)))))
      : h("p", {}, "Nothing received yet."));
}

/** The emails section of an order page. */
export async function orderEmails(orderId) {
  const answer = await get(`/notices?order_id=${orderId}`);
  return h("section", { "aria-labelledby": "order-emails-h", testid: "order-emails" },
    h("h3", { id: "order-emails-h" }, "Emails to the customer"),
    answer.email.sending ? "" : setupNote(answer.email),
    noticeList(answer.notices || [], "Emails for this order"));
}
