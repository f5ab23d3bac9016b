/** JSON over /api/v1 with the session cookie; every failure is an ApiError (status 0 = no network). */

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

/** `onReach(ok)` hears whether the server answered at all, to show online/offline honestly. */
export function createApi({ onReach = () => {}, timeoutMs = 15000 } = {}) {
  /** `key`: an Idempotency-Key, so a retry of a change the server already made replays its answer. */
  async function request(method, path, body, key) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response;
    try {
      response = await fetch(`/api/v1${path}`, {
        method,
        credentials: "same-origin",
        // Every change is JSON, even an empty one: the server refuses other bodies from a cookie (CSRF).
        headers: method === "GET" ? { Accept: "application/json" }
          : { Accept: "application/json", "Content-Type": "application/json", ...(key ? { "Idempotency-Key": key } : {}) },
        body: method === "GET" ? undefined : JSON.stringify(body ?? {}),
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
    if (response.status === 204) return null;
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      const error = data?.error || {};
      throw new ApiError(response.status, error.code || `http_${response.status}`,
        error.message || response.statusText, error.details || {});
    }
    return data;
  }

  return {
    get: (path) => request("GET", path),
    post: (path, body = {}, { key } = {}) => request("POST", path, body, key),
  };
}
