/** Live pushes: Socket.IO over WebSocket only, same origin, signed in by the session cookie. */

export const EVENTS = [
  "tasks.snapshot", "task.assigned", "task.updated", "task.cancelled", "task.created", "wave.released",
  "scan.mismatch", "shortage.reported",
];

/** onEvent(name, payload) for every server event; onLive(up) when the connection comes and goes. */
export function createSocket({ onEvent, onLive }) {
  let socket = null;
  let loading = null;

  /** `fresh`: after a new sign-in the cookie changed, so reconnect for the server to see who this is now. */
  async function connect({ fresh = false } = {}) {
    if (socket) {
      if (fresh) socket.disconnect().connect();
      else if (!socket.connected) socket.connect();
      return;
    }
    // Loaded after the first screen: it is not needed to sign in or to work offline.
    loading ||= import("socket.io-client");
    const { io } = await loading;
    if (socket) return;
    socket = io({
      path: "/socket.io",
      transports: ["websocket"], // no polling: no sticky sessions needed behind a proxy
      withCredentials: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 15000,
      timeout: 10000,
    });
    socket.on("connect", () => onLive(true));
    socket.on("disconnect", () => onLive(false));
    socket.on("connect_error", () => onLive(false));
    for (const name of EVENTS) socket.on(name, (payload) => onEvent(name, payload || {}));
  }

  function disconnect() {
    socket?.disconnect();
    socket = null;
    onLive(false);
  }

  return { connect, disconnect };
}
