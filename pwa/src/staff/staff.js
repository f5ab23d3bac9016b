/** Sign-in and role gate shared by the board and office pages (pickers and packers are not allowed). */
import { request } from "../api.js";
import { h, replace } from "../ui.js";
import { format } from "../langs.js";
import { STAFF_EN } from "./staff_words.js";

export const STAFF_ROLES = ["admin", "supervisor", "office"];
const STAFF_TIMEOUT_MS = 30000; // desks sit on the office network; a long list may take a while

/** JSON over /api/v1 (the shared client in api.js): resolves with {data, headers}; throws an ApiError. */
export const api = (method, path, body) => request(method, path, body, { timeoutMs: STAFF_TIMEOUT_MS });

export const get = async (path) => (await api("GET", path)).data;

// The office's words: English (a page in another language passes its own say(key, params)).
const english = (key, params) => format(STAFF_EN[key], params);

/** Resolves with the signed-in staff user; draws the sign-in form or "not allowed" into `root` until then. */
export async function requireStaff(root, title, say = english) {
  let me = null;
  try {
    me = await get("/auth/me");
  } catch (error) {
    if (error.status !== 401) throw error;
  }
  if (!me) me = await signInForm(root, title, say);
  if (!STAFF_ROLES.includes(me.role)) {
    replace(root, h("main", { class: "staff-main" },
      h("h1", {}, title),
      h("p", { testid: "not-allowed", role: "alert" }, say("not_allowed_role", { user: me.username, role: me.role })),
      signOutButton(say)));
    return new Promise(() => {}); // never resolves: nothing else is drawn
  }
  return me;
}

function signInForm(root, title, say) {
  return new Promise((resolve) => {
    const username = h("input", { id: "username", name: "username", autocomplete: "username", required: true,
      testid: "username" });
    const password = h("input", { id: "password", name: "password", type: "password", required: true,
      autocomplete: "current-password", testid: "password" });
    const error = h("p", { testid: "signin-error", role: "alert", class: "staff-error" });
    const form = h("form", {
      class: "staff-form",
      onsubmit: async (event) => {
        event.preventDefault();
        error.textContent = "";
        try {
          const { data } = await api("POST", "/auth/login", { username: username.value, password: password.value });
          resolve(data);
        } catch (e) {
          error.textContent = e.status === 401 ? say("signin_wrong") : e.message;
        }
      },
    },
    h("label", { for: "username" }, say("username")), username,
    h("label", { for: "password" }, say("password")), password,
    h("button", { type: "submit", testid: "signin-submit" }, say("sign_in")),
    error);
    replace(root, h("main", { class: "staff-main", "data-screen": "signin" }, h("h1", {}, say("signin_title", { title })), form));
  });
}

export function signOutButton(say = english) {
  return h("button", {
    type: "button",
    testid: "sign-out",
    onclick: async () => {
      await api("POST", "/auth/logout").catch(() => {});
      location.reload();
    },
  }, say("sign_out"));
}

/** A labelled table: columns [[header, (row) => cell]]; rowAttrs(row) adds attributes to each <tr>. */
export function table(caption, columns, rows, rowAttrs = () => ({})) {
  return h("table", { class: "staff-table" },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, columns.map(([name]) => h("th", { scope: "col" }, name)))),
    // data-label: on a phone each row becomes a card and each cell says which column it is (staff.css).
    h("tbody", {}, rows.map((row) => h("tr", rowAttrs(row), columns.map(([name, cell]) => h("td", { "data-label": name }, cell(row)))))));
}

export function minutes(seconds) {
  const m = Math.floor((seconds || 0) / 60);
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m} min`;
}
