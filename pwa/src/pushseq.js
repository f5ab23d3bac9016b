/** Push sequence numbers (backend realtime/sequence.py): which pushes this phone was sent, and whether one is missing. */

/** Each server process numbers its pushes per room; a snapshot says where every process stood for this socket's
 * rooms. A push numbered past the next one expected from its process, in one of this socket's rooms, means a push
 * before it never arrived (Redis was down, say): the phone then fetches its tasks whole. */
export function createPushWatch() {
  let rooms = null; // the socket's rooms, from the last snapshot; unknown before it
  const marks = new Map(); // "origin room" -> the last number seen or announced

  const key = (origin, room) => `${origin} ${room}`;
  function raise(k, n) {
    if (n > (marks.get(k) || 0)) marks.set(k, n);
  }

  /** The marks of a snapshot. Kept as the highest of old and new: a push may overtake the snapshot it follows. */
  function snapshot(seq) {
    if (!seq || !Array.isArray(seq.rooms)) return;
    rooms = new Set(seq.rooms);
    for (const [origin, byRoom] of Object.entries(seq.marks || {})) {
      for (const [room, n] of Object.entries(byRoom || {})) if (Number.isInteger(n)) raise(key(origin, room), n);
    }
  }

  /** True when this push skipped a number in one of the socket's rooms. Late or repeated numbers are no gap. */
  function push(seq) {
    if (!seq || typeof seq.origin !== "string" || !seq.rooms || typeof seq.rooms !== "object") return false;
    let gap = false;
    for (const [room, n] of Object.entries(seq.rooms)) {
      if (!Number.isInteger(n)) continue;
      const k = key(seq.origin, room);
      if (rooms?.has(room) && n > (marks.get(k) || 0) + 1) gap = true;
      raise(k, n);
    }
    return gap;
  }

  return { snapshot, push };
}
