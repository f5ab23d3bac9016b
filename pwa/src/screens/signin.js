/** Sign-in: scan a badge (wedge or camera) and type the PIN, or a user name and password. */

import { h, text } from "../ui.js";

export function signinScreen(ctx) {
  const { t } = ctx;
  const badge = h("input", { id: "badge", testid: "badge", name: "badge", autocomplete: "off", autocapitalize: "characters", spellcheck: "false" });
  const pin = h("input", { id: "pin", testid: "pin", name: "pin", type: "password", inputmode: "numeric", autocomplete: "off" });
  const username = h("input", { id: "username", testid: "username", name: "username", autocomplete: "username", autocapitalize: "none", spellcheck: "false" });
  const password = h("input", { id: "password", testid: "password", name: "password", type: "password", autocomplete: "current-password" });
  const error = h("p", { class: "error", testid: "signin-error", role: "alert" });
  const badgeSubmit = h("button", { type: "submit", class: "primary big", testid: "signin-badge-submit" }, t("signin_badge_submit"));
  const passwordSubmit = h("button", { type: "submit", class: "big", testid: "signin-password-submit" }, t("signin_password_submit"));

  // A scanner typing into the badge box ends with Enter: go on to the PIN instead of submitting half a form.
  badge.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && badge.value && !pin.value) {
      event.preventDefault();
      pin.focus();
    }
  });

  const badgeForm = h("form", {
    class: "card stack", "aria-labelledby": "signin-title",
    onsubmit: (event) => {
      event.preventDefault();
      ctx.session.signIn({ badge: badge.value.trim(), pin: pin.value.trim() });
    },
  },
  h("p", { class: "hint" }, t("signin_hint")),
  h("label", { for: "badge" }, t("badge")), badge,
  h("label", { for: "pin" }, t("pin")), pin,
  badgeSubmit);

  const passwordForm = h("form", {
    class: "card stack", "aria-label": t("signin_or"),
    onsubmit: (event) => {
      event.preventDefault();
      ctx.session.signIn({ username: username.value.trim(), password: password.value });
    },
  },
  h("h2", {}, t("signin_or")),
  h("label", { for: "username" }, t("username")), username,
  h("label", { for: "password" }, t("password")), password,
  passwordSubmit);

  const el = h("section", { class: "screen signin" }, h("h1", { id: "signin-title" }, t("signin_title")), error, badgeForm, passwordForm);

  function update(state) {
    text(error, state.signinError);
    error.hidden = !state.signinError;
    badgeSubmit.disabled = passwordSubmit.disabled = state.busy;
  }

  return {
    el,
    update,
    onScan(code) {
      badge.value = code;
      pin.focus();
      return true;
    },
  };
}
