/** Sign-in and role gate shared by the board and office pages (pickers and packers are not allowed). */
import { request } from "../api.js";
import { h, replace } from "../ui.js";

export const STAFF_ROLES = ["admin", "supervisor", "office"];
const STAFF_TIMEOUT_MS = 30000; // desks sit on the office network; a long list may take a while

/** JSON over /api/v1 (the shared client in api.js): resolves with {data, headers}; throws an ApiError. */
export const api = (method, path, body) => request(method, path, body, { timeoutMs: STAFF_TIMEOUT_MS });

export const get = async (path) => (await api("GET", path)).data;

/** Resolves with the signed-in staff user; draws the sign-in form or "not allowed" into `root` until then. */
export async function requireStaff(root, title) {
  let me = null;
  try {
    me = await get("/auth/me");
  } catch (error) {
    if (error.status !== 401) throw error;
  }
  if (!me) me = await signInForm(root, title);
  if (!STAFF_ROLES.includes(me.role)) {
    replace(root, h("main", { class: "staff-main" },
      h("h1", {}, title),
      h("p", { testid: "not-allowed", role: "alert" },
        `Not allowed: ${me.username} is signed in as ${me.role}; this page is for supervisors and office staff.`),
      signOutButton()));
    return new Promise(() => {}); // never resolves: nothing else is drawn
  }
  return me;
}

function signInForm(root, title) {
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
          error.textContent = e.status === 401 ? "Wrong username or password." : e.message;
        }
      },
    },
    h("label", { for: "username" }, "Username"), username,
    h("label", { for: "password" }, "Password"), password,
    h("button", { type: "submit", testid: "signin-submit" }, "Sign in"),
    error);
    replace(root, h("main", { class: "staff-main", "data-screen": "signin" }, h("h1", {}, `${title}: sign in`), form));
  });
}

export function signOutButton() {
  return h("button", {
    type: "button",
    testid: "sign-out",
    onclick: async () => {
      await api("POST", "/auth/logout").catch(() => {});
      location.reload();
    },
  }, "Sign out");
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
