/** JSON over /api/v1 with the session cookie, for the phone, the board and the office alike; every failure is an
 * ApiError (status 0 = no network). */

export class ApiError extends Error {
  constructor(status, code, message, details = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  get offline() {
    return this.status === 0;
  }

  /** Worth trying again later: no answer, or the server was busy or broken. */
  get retryable() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

const READS = new Set(["GET", "HEAD"]);

/**
 * One request: resolves with {data, headers, status}. Every write carries a JSON body and its Content-Type,
 * `{}` when there is nothing to say (the server refuses a cross-site write without it).
 * `onReach(ok)` hears whether the server answered at all, to show online/offline honestly. `key`: an
 * Idempotency-Key, so a retry of a change the server already made replays its answer.
 */
export async function request(method, path, body, { timeoutMs = 15000, onReach = () => {}, key } = {}) {
  const write = !READS.has(method);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      credentials: "same-origin",
      headers: write ? { Accept: "application/json", "Content-Type": "application/json", ...(key ? { "Idempotency-Key": key } : {}) }
        : { Accept: "application/json" },
      body: write ? JSON.stringify(body ?? {}) : undefined,
      signal: controller.signal,
      cache: "no-store",
    });
  } catch (error) {
    onReach(false);
    throw new ApiError(0, "network", error?.name === "AbortError" ? "The server did not answer in time." : "No network.");
  } finally {
    clearTimeout(timer);
  }
  onReach(true);
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = data?.error || {};
    throw new ApiError(response.status, error.code || `http_${response.status}`,
      error.message || response.statusText, error.details || {});
  }
  return { data, headers: response.headers, status: response.status };
}

/** The phone's client: answers with the body only. */
export function createApi({ onReach = () => {}, timeoutMs = 15000 } = {}) {
  const send = async (method, path, body, key) => (await request(method, path, body, { onReach, timeoutMs, key })).data;
  return {
    get: (path) => send("GET", path),
    post: (path, body = {}, { key } = {}) => send("POST", path, body, key),
    put: (path, body = {}) => send("PUT", path, body),
    patch: (path, body = {}) => send("PATCH", path, body),
  };
}
