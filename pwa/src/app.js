/** The app shell: status bar, notices, the one visible screen, the scan bar and the verdict overlay. */

import * as store from "./store.js";
import { LANGS, noticeText } from "./strings.js";
import { h, replace, text } from "./ui.js";
import { signinScreen } from "./screens/signin.js";
import { homeScreen } from "./screens/home.js";
import { pickScreen } from "./screens/pick.js";
import { putawayScreen } from "./screens/putaway.js";
import { sortScreen } from "./screens/sort.js";
import { packScreen } from "./screens/pack.js";
import { doneScreen } from "./screens/done.js";
import { countScreen } from "./screens/count.js";
import { receiveScreen } from "./screens/receive.js";
import { returnsScreen } from "./screens/returns.js";

const SCREENS = {
  signin: signinScreen, home: homeScreen, pick: pickScreen, putaway: putawayScreen, sort: sortScreen, pack: packScreen, count: countScreen, done: doneScreen,
  receive: receiveScreen, returns: returnsScreen,
};

export function createApp(root, ctx) {
  const { t } = ctx;
  const connection = h("p", { class: "connection", testid: "connection", role: "status" });
  const outboxCount = h("span", { class: "outbox-count", testid: "outbox-count" }, "0");
  const outboxCaption = h("span", { class: "caption" });
  const lang = h("select", {
    id: "lang", testid: "lang",
    onchange: () => store.set({ lang: lang.value }),
  }, Object.entries(LANGS).map(([code, name]) => h("option", { value: code, lang: code }, name)));
  const langLabel = h("label", { for: "lang", class: "visually-hidden" });
  const notice = h("div", { class: "notice", testid: "notice", role: "status", "aria-live": "polite" });
  const dismiss = h("button", { class: "dismiss", testid: "notice-dismiss", hidden: true, onclick: () => store.clearNotices() });
  const content = h("main", { class: "content", id: "content" });

  const video = h("video", { class: "camera-video", muted: true, playsinline: true, autoplay: true });
  const cameraPanel = h("div", { class: "camera", hidden: true }, video, h("p", { class: "camera-status", role: "status" }));
  const cameraButton = h("button", {
    type: "button", class: "camera-button", testid: "camera-button",
    onclick: () => (ctx.camera.active() || store.get().camera === "starting" ? ctx.camera.stop() : ctx.camera.start(video)),
  });
  const manual = h("input", { id: "manual-code", testid: "manual-code", autocomplete: "off", autocapitalize: "characters", spellcheck: "false", enterkeyhint: "send" });
  const manualLabel = h("label", { for: "manual-code", class: "visually-hidden" });
  const manualSubmit = h("button", { type: "submit", testid: "manual-submit" });
  const manualForm = h("form", {
    class: "manual",
    onsubmit: (event) => {
      event.preventDefault();
      const code = manual.value.trim();
      if (!code) return;
      manual.value = "";
      ctx.scan(code, "manual");
    },
  }, manualLabel, manual, manualSubmit);

  const header = h("header", { class: "bar" },
    h("span", { class: "brand" }, "Baton"), connection,
    h("p", { class: "outbox" }, outboxCount, " ", outboxCaption),
    h("span", {}, langLabel, lang));
  const footer = h("footer", { class: "scanbar" }, cameraPanel, h("div", { class: "row" }, cameraButton, manualForm));
  const app = h("div", { id: "app", class: "app" }, header, h("div", { class: "notices" }, notice, dismiss), content, footer, ctx.overlay.el);
  replace(root, app);

  let screen = null;
  let mounted = { name: null, lang: null };

  function chrome(state) {
    const online = state.online;
    connection.dataset.state = online ? "online" : "offline";
    connection.dataset.live = String(state.live);
    text(connection, online ? t("online") : t("offline"));
    text(outboxCount, state.outboxCount);
    outboxCount.dataset.count = String(state.outboxCount);
    text(outboxCaption, t("waiting"));
    if (lang.value !== state.lang) lang.value = state.lang;
    text(langLabel, t("language"));
    document.documentElement.lang = state.lang;
    const lines = state.notices.map((n) => (n.notice ? worded(n) : n.text));
    const shown = lines.join("\n");
    if (notice.dataset.shown !== shown) {
      notice.dataset.shown = shown;
      replace(notice, lines.map((line) => h("p", {}, line)));
    }
    dismiss.hidden = state.notices.length === 0;
    text(dismiss, t("dismiss"));
    const cam = state.camera;
    text(cameraButton, cam === "on" || cam === "starting" ? t("camera_stop") : t("camera_start"));
    cameraButton.setAttribute("aria-pressed", String(cam === "on" || cam === "starting"));
    cameraButton.title = t("camera_label");
    cameraPanel.hidden = cam === "off";
    video.setAttribute("aria-label", t("camera_preview"));
    text(cameraPanel.lastChild, cam === "starting" ? t("camera_starting") : cam === "error" ? state.cameraError : "");
    manual.placeholder = t("manual_placeholder");
    text(manualLabel, t("manual_label"));
    text(manualSubmit, t("manual_submit"));
  }

  /** A server notice in the phone's language (now, so that switching language rewords it). */
  function worded(n) {
    const words = noticeText(t, n.notice);
    return n.wrap ? t(n.wrap.key, { ...n.wrap.params, reason: words }) : words;
  }

  function render(state) {
    if (state.screen !== mounted.name || state.lang !== mounted.lang) {
      screen?.destroy?.();
      screen = SCREENS[state.screen](ctx);
      mounted = { name: state.screen, lang: state.lang };
      app.dataset.screen = state.screen;
      replace(content, screen.el);
      content.scrollTop = 0;
      window.scrollTo?.(0, 0);
    }
    chrome(state);
    screen.update?.(state);
  }

  store.subscribe(render);
  render(store.get());

  return {
    /** A scan from the wedge, the camera or the keyboard goes to whatever screen is showing. */
    dispatch(code) {
      if (screen?.onScan) return screen.onScan(code);
      store.notice(t("open_task_first"), "open-first");
      return null;
    },
  };
}
