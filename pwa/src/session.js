/** Who is signed in: badge + PIN or user name + password (session cookie), kept on the phone across reloads. */

import * as store from "./store.js";

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `wait` is how long to sit out a busy server's Retry-After (tests pass a quicker one). */
export function createSession({ api, outbox, socket, sync, t, wait = pause }) {
  /** The server's hashing slots were all taken (`sign_in_busy`, not a lockout): say so, wait, try once more. */
  async function login(credentials) {
    try {
      return await api.post("/auth/login", credentials);
    } catch (error) {
      if (error.status !== 429 || error.code !== "sign_in_busy") throw error;
      store.set({ signinError: t("signin_busy_retrying") });
      await wait(1000 * Math.max(1, Number(error.details?.retry_after_s) || 1));
      store.set({ signinError: "" });
      return api.post("/auth/login", credentials);
    }
  }

  async function signIn(credentials) {
    const values = Object.values(credentials);
    if (values.some((v) => !v)) return store.set({ signinError: t("signin_incomplete") });
    store.set({ busy: true, signinError: "" });
    try {
      const user = await login(credentials);
      const previous = store.get().user || store.get().lastUser;
      const sameUser = previous && previous.id === user.id;
      store.set({
        user, lastUser: user, screen: "home", signinError: "", homeMessage: "",
        ...(sameUser ? {} : { tasks: {}, currentTaskId: null, warehouse: null, pack: {} }),
      });
      await started({ fresh: true });
    } catch (error) {
      const message = error.offline ? t("signin_offline")
        : error.code === "sign_in_busy" ? t("signin_busy")
          : error.status === 429 ? t("signin_locked")
            : error.status === 401 ? t("signin_wrong") : error.message;
      store.set({ signinError: message });
    } finally {
      store.set({ busy: false });
    }
  }

  /** Signed in (now, or still from before): count what waits, send it, go live, fetch my tasks. */
  async function started({ fresh = false } = {}) {
    await outbox.load();
    outbox.flush();
    socket.connect({ fresh });
    await Promise.all([sync.loadMine(), loadVocabulary()]);
  }

  /** The server's words (stop statuses, task types...), kept for offline use. */
  async function loadVocabulary() {
    try {
      store.set({ vocabulary: await api.get("/vocabulary") });
    } catch {
      // offline: the copy kept from last time still holds
    }
  }

  /** On start and when the network returns: is the cookie still good? */
  async function check() {
    if (!store.get().user || !navigator.onLine) return;
    try {
      const user = await api.get("/auth/me");
      store.set({ user: { ...store.get().user, ...user } });
      await started();
    } catch (error) {
      if (error.status === 401) expired();
    }
  }

  /** The server forgot us (expired, password changed): sign in again; queued actions wait for this user. */
  function expired() {
    socket.disconnect();
    store.set({ user: null, screen: "signin", signinError: t("session_ended") });
  }

  async function signOut() {
    socket.disconnect();
    api.post("/auth/logout").catch(() => {});
    store.set({ user: null, screen: "signin", currentTaskId: null, doneTask: null, signinError: "", homeMessage: "" });
    await outbox.load();
  }

  return { signIn, signOut, check, expired, started };
}
