/** Keeps the screen on while a task is open (Screen Wake Lock), and takes the lock again after the phone wakes. */

export function createWakeLock() {
  let wanted = false;
  let sentinel = null;

  async function acquire() {
    if (!wanted || sentinel || !("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    try {
      sentinel = await navigator.wakeLock.request("screen");
      sentinel.addEventListener("release", () => {
        sentinel = null;
      });
    } catch {
      sentinel = null; // refused (battery saver, no user gesture yet): the task still works
    }
  }

  document.addEventListener("visibilitychange", acquire);

  return {
    want(on) {
      if (on === wanted) return;
      wanted = on;
      if (on) acquire();
      else {
        sentinel?.release().catch(() => {});
        sentinel = null;
      }
    },
  };
}
