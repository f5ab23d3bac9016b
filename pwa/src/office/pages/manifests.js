/** Office: carrier manifests — parcels waiting for each carrier's pickup, closing a manifest, the scan forms. */
import "./manifests.css";
import { h, replace } from "../../ui.js";
import { request } from "../../api.js";
import { get, table } from "../../staff/staff.js";
import { failed, redraw, say, view, when } from "../shell.js";

/** A table in a box that scrolls sideways (and takes focus, so a keyboard can scroll it too). */
const scrolling = (label, content) => h("div", { class: "manifest-scroll", tabindex: "0", role: "region", "aria-label": label },
  content);

const retryKey = () => globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(16).slice(2)}`;

/** A row's "Close manifest": asks once more (the parcels leave for good), then closes. */
function closeControl(p) {
  const what = `${p.parcels} parcels to ${p.carrier_name || p.carrier} from ${p.warehouse}`;
  const confirm = h("button", { type: "button", class: "primary", testid: "manifest-close-confirm", hidden: true,
    onclick: async () => {
      confirm.disabled = true;
      try {
        const { data } = await request("POST", "/manifests", { warehouse: p.warehouse, carrier: p.carrier },
          { key: retryKey(), timeoutMs: 30000 });
        say(`Manifest ${data.number} closed: ${data.parcel_count} parcels to ${data.carrier_name || data.carrier}.`);
        redraw();
      } catch (error) {
        confirm.disabled = false;
        failed(error);
      }
    } }, `Hand ${what} over`);
  const ask = h("button", { type: "button", testid: "manifest-close", onclick: () => {
    ask.hidden = true;
    confirm.hidden = false;
    confirm.focus();
  } }, "Close manifest");
  return h("span", {}, ask, confirm);
}

/** #/manifests — what waits for each carrier, and the manifests closed (newest first). */
export async function manifestsPage(params) {
  const query = new URLSearchParams();
  if (params.get("warehouse")) query.set("warehouse", params.get("warehouse"));
  const [waiting, closed] = await Promise.all([get(`/manifests/pending?${query}`), get(`/manifests?${query}`)]);
  const pending = waiting.pending || [];
  const manifests = closed.manifests || [];
  replace(view,
    h("h2", {}, "Manifests"),
    h("p", { class: "muted" }, "Close a carrier's manifest when its driver takes the parcels: they are shipped, " +
      "their units leave the dock and each customer gets the shipped email."),
    pending.length
      ? scrolling("Parcels waiting for a manifest", table(`Waiting for a manifest: ${pending.reduce((n, p) => n + p.parcels, 0)} parcels`, [
        ["Warehouse", (p) => p.warehouse],
        ["Carrier", (p) => p.carrier_name || p.carrier],
        ["Parcels", (p) => String(p.parcels)],
        ["Shipments", (p) => String(p.shipments)],
        ["Weight (kg)", (p) => p.weight_kg],
        ["Labelled since", (p) => when(p.oldest_labelled_at)],
        ["", closeControl],
      ], pending, (p) => ({ testid: "manifest-pending-row", "data-carrier": p.carrier, "data-warehouse": p.warehouse })))
      : h("p", { testid: "manifest-pending-none" }, "No labelled parcels are waiting for a carrier."),
    scrolling("Manifests closed", table(`${manifests.length} manifests closed`, [
      ["Manifest", (m) => h("a", { href: m.pdf_url, target: "_blank", rel: "noopener", testid: "manifest-pdf" }, m.number)],
      ["Warehouse", (m) => m.warehouse],
      ["Carrier", (m) => m.carrier_name || m.carrier],
      ["Parcels", (m) => String(m.parcel_count)],
      ["Weight (kg)", (m) => m.weight_kg],
      ["Closed by", (m) => m.closed_by || "—"],
      ["When", (m) => when(m.created_at)],
    ], manifests, (m) => ({ testid: "manifest-row", "data-number": m.number, "data-carrier": m.carrier }))));
}
