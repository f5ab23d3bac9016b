// Signing in when the server's hashing slots are all taken (429 sign_in_busy) is not a lockout.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "../src/api.js";
import { createSession } from "../src/session.js";
import * as store from "../src/store.js";
import { translator } from "../src/strings.js";

const busy = () => new ApiError(429, "sign_in_busy", "Sign-ins are busy; try again in a second.", { retry_after_s: 2 });
const locked = () => new ApiError(429, "too_many_attempts", "Too many tries.", { retry_after_s: 60 });
const MARIA = { id: 5, username: "maria", role: "picker" };

/** A phone whose server answers sign-ins from `answers` in turn; what it showed and waited is recorded. */
function phone(answers, lang = "en") {
  const seen = { posts: 0, waits: [], messages: [] };
  const api = {
    post: async () => {
      seen.posts += 1;
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    },
    get: async () => [],
  };
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.signinError && state.signinError !== previous.signinError) seen.messages.push(state.signinError);
  });
  store.set({ lang, user: null, lastUser: null, screen: "signin", signinError: "" });
  const session = createSession({
    api,
    outbox: { load: async () => {}, flush: () => {} },
    socket: { connect: () => {}, disconnect: () => {} },
    sync: { loadMine: async () => {} },
    t: translator(lang),
    wait: async (ms) => { seen.waits.push(ms); },
  });
  return { session, seen, unsubscribe };
}

test("a busy server is waited out for its Retry-After and the sign-in tried once more", async () => {
  const { session, seen, unsubscribe } = phone([busy(), MARIA]);
  await session.signIn({ badge: "B-1", pin: "4321" });
  unsubscribe();
  assert.equal(seen.posts, 2);
  assert.deepEqual(seen.waits, [2000]);
  assert.deepEqual(seen.messages, ["The server is busy: trying again…"]);
  assert.equal(store.get().screen, "home");
  assert.equal(store.get().signinError, "");
});

test("still busy after the second try: say busy in the phone's language, not locked", async () => {
  const { session, seen, unsubscribe } = phone([busy(), busy()], "es");
  await session.signIn({ badge: "B-1", pin: "4321" });
  unsubscribe();
  assert.equal(seen.posts, 2);
  assert.equal(store.get().signinError, "El servidor sigue ocupado: vuelve a probar en un momento.");
  assert.equal(store.get().screen, "signin");
});

test("a real lockout is still a lockout and is not retried", async () => {
  const { session, seen, unsubscribe } = phone([locked()]);
  await session.signIn({ badge: "B-1", pin: "4321" });
  unsubscribe();
  assert.equal(seen.posts, 1);
  assert.deepEqual(seen.waits, []);
  assert.equal(store.get().signinError, "Too many tries: wait a minute, then try again.");
});
