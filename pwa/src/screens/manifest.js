/** Close manifest: at the pack station, hand every labelled parcel waiting for a carrier over to its driver. */

import { h, replace, text } from "../ui.js";

// Who may close a carrier's day (the server says the same: api/manifests.py CLOSERS).
export const CLOSERS = new Set(["packer", "supervisor", "admin", "office"]);

function retryKey() {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

/** The control: choose a carrier among those with parcels waiting, see how many, confirm, get the PDF. */
export function manifestPart(ctx) {
  const { t, api } = ctx;
  const open = h("button", { type: "button", class: "big", testid: "manifest-open" }, t("manifest_open"));
  const panel = h("div", { class: "stack", testid: "manifest-panel", hidden: true });
  const said = h("p", { class: "message", role: "status", testid: "manifest-message" });
  const el = h("section", { class: "card stack", testid: "manifest", "aria-labelledby": "manifest-title" },
    h("h2", { id: "manifest-title" }, t("manifest_title")), open, panel, said);

  function failure(error, carrier) {
    if (error.code === "nothing_to_manifest") return t("manifest_nothing", { carrier });
    if (error.offline) return t("pack_needs_network");
    return t("manifest_failed", { message: error.message });
  }

  async function load() {
    open.disabled = true;
    text(said, t("manifest_loading"));
    let pending;
    try {
      pending = (await api.get("/manifests/pending")).pending || [];
    } catch (error) {
      text(said, failure(error, ""));
      return;
    } finally {
      open.disabled = false;
    }
    if (!pending.length) {
      panel.hidden = true;
      text(said, t("manifest_none"));
      return;
    }
    text(said, "");
    choose(pending);
  }

  function choose(pending) {
    const select = h("select", { id: "manifest-carrier", testid: "manifest-carrier" },
      pending.map((p, i) => h("option", { value: String(i), "data-carrier": p.carrier },
        t("manifest_option", { carrier: p.carrier_name || p.carrier, parcels: p.parcels, warehouse: p.warehouse }))));
    const confirm = h("button", { type: "submit", class: "primary big", testid: "manifest-confirm" });
    const label = () => {
      const p = pending[Number(select.value)];
      text(confirm, t("manifest_confirm", { parcels: p.parcels, carrier: p.carrier_name || p.carrier }));
    };
    select.addEventListener("change", label);
    label();
    const cancel = h("button", { type: "button", class: "quiet", testid: "manifest-cancel", onclick: () => {
      panel.hidden = true;
      open.hidden = false;
    } }, t("manifest_cancel"));
    const form = h("form", { class: "stack", onsubmit: (event) => {
      event.preventDefault();
      close(pending[Number(select.value)], confirm);
    } }, h("label", { for: "manifest-carrier" }, t("manifest_carrier")), select,
    h("p", { class: "hint" }, t("manifest_confirm_hint")), confirm, cancel);
    replace(panel, form);
    panel.hidden = false;
    open.hidden = true;
    select.focus();
  }

  async function close(choice, button) {
    button.disabled = true;
    text(said, t("manifest_closing"));
    const carrier = choice.carrier_name || choice.carrier;
    try {
      // One key per confirmation: a retry after a lost answer replays this manifest, never closes another.
      const manifest = await api.post("/manifests", { warehouse: choice.warehouse, carrier: choice.carrier }, { key: retryKey() });
      text(said, "");
      replace(panel, h("p", { class: "lead", testid: "manifest-result", "data-number": manifest.number },
        t("manifest_done", { number: manifest.number, parcels: manifest.parcel_count, carrier })),
      h("a", { class: "button big", testid: "manifest-pdf", href: manifest.pdf_url, target: "_blank", rel: "noopener" },
        t("manifest_pdf")));
      open.hidden = false;
    } catch (error) {
      button.disabled = false;
      text(said, failure(error, carrier));
    }
  }

  open.addEventListener("click", load);
  return { el };
}
