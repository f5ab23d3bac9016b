/** A type-ahead for office forms: typing asks the server, the matches appear as buttons below the input. */
import { h, replace } from "../../ui.js";

/** find(q) → rows; show(row) → text; pick(row) when one is chosen. Returns the element holding the choices. */
export function typeAhead({ input, find, show, pick, testid, label }) {
  const list = h("ul", { class: "choices", "aria-label": label, testid: `${testid}-list` });
  let timer = null;
  let asked = 0;
  const close = () => replace(list);
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) { close(); return; }
    timer = setTimeout(async () => {
      const mine = ++asked; // an older, slower answer must not replace a newer one
      const rows = await find(q).catch(() => []);
      if (mine !== asked) return;
      replace(list, rows.length ? rows.map((row) => h("li", {}, h("button", { type: "button", testid, onclick: () => {
        close();
        pick(row);
      } }, show(row)))) : h("li", { class: "muted", testid: `${testid}-none` }, `Nothing found for “${q}”.`));
    }, 200);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
    if (e.key === "ArrowDown") { e.preventDefault(); list.querySelector("button")?.focus(); }
  });
  return list;
}
