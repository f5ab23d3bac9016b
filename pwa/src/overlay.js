/** The full-screen verdict: green or red, the reason in words; the server's verdict replaces the phone's. */

import { h, text } from "./ui.js";
import { noticeText } from "./strings.js";

const SHOW_MS = { good: 1200, bad: 3500, disagree: 5000 };
const SERVER_WINDOW_MS = 15000; // a server answer later than this goes to the notice instead

export function createOverlay({ t }) {
  const icon = h("p", { class: "verdict-icon", "aria-hidden": "true" });
  const title = h("p", { class: "verdict-title" });
  const message = h("p", { class: "verdict-message" });
  const source = h("p", { class: "verdict-source" });
  const disagreement = h("p", { class: "verdict-disagreement", testid: "verdict-disagreement", hidden: true });
  const el = h("div", { class: "verdict", testid: "verdict", role: "status", "aria-live": "assertive", hidden: true },
    icon, title, message, disagreement, source);
  let current = null; // {id, at, local}
  let timer = null;

  el.addEventListener("click", hide);

  function hide() {
    clearTimeout(timer);
    el.hidden = true;
  }

  function paint(verdict, words, from, ms, key = null) {
    const good = verdict === "match";
    el.dataset.verdict = verdict;
    el.dataset.source = from;
    el.classList.toggle("good", good);
    el.classList.toggle("bad", !good);
    text(icon, good ? "✔" : "✖");
    // A refusal with its own headline ("Scan the bin first") says that rather than the verdict's name.
    const headline = key && t(`v_${key}`) !== `v_${key}` ? `v_${key}` : `v_${verdict}`;
    text(title, t(headline));
    text(message, words);
    text(source, from === "server" ? t("v_server") : t("v_phone"));
    el.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(hide, ms);
  }

  return {
    el,
    hide,
    /** The phone's own verdict, painted in the same frame as the scan. */
    show(verdict) {
      current = { id: verdict.id, at: performance.now(), local: verdict };
      disagreement.hidden = true;
      paint(verdict.verdict, t(verdict.key, verdict.fields), "local", verdict.verdict === "match" ? SHOW_MS.good : SHOW_MS.bad, verdict.key);
    },
    /** The server's verdict on scan `id`. Returns false when that scan is no longer on screen. */
    server(id, result, local) {
      if (!current || current.id !== id || performance.now() - current.at > SERVER_WINDOW_MS) return false;
      const agree = result.verdict === local.verdict && (result.units ?? 0) === (local.units ?? 0);
      if (agree) {
        // Same verdict: keep the phone's (translated) words, but say the server confirmed it.
        el.dataset.source = "server";
        text(source, t("v_server"));
        return true;
      }
      text(disagreement, t("disagree", { local: t(`v_${local.verdict}`), server: t(`v_${result.verdict}`) }));
      disagreement.hidden = false;
      paint(result.verdict, result.notice ? noticeText(t, result.notice) : result.message, "server", SHOW_MS.disagree);
      return true;
    },
  };
}
