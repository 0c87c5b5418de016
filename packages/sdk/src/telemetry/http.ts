/** What one request to the control plane came back with, or why none did. */
export type ControlPlaneResponse =
  | { ok: true; status: number; headers: Headers; body: unknown }
  | { ok: false; error: Error };

/**
 * One request with a deadline. Never throws: a network error, a timeout or an unreadable body
 * comes back as `{ ok: false }`, an HTTP error status as `{ ok: true, status }`.
 */
export async function requestControlPlane(
  fetchFunction: typeof fetch,
  url: string,
  init: { method: 'GET' | 'POST'; apiKey: string; body?: string; headers?: Record<string, string> },
  timeoutMs: number,
): Promise<ControlPlaneResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  timer.unref?.();
  try {
    const response = await fetchFunction(url, {
      method: init.method,
      headers: {
        authorization: `Bearer ${init.apiKey}`,
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: init.body }),
      signal: controller.signal,
    });
    const text = await response.text();
    let body: unknown = text;
    if (text !== '' && (response.headers.get('content-type') ?? '').includes('json')) {
      try {
        body = JSON.parse(text);
      } catch {
        // Kept as text: callers check the shape they need.
      }
    }
    return { ok: true, status: response.status, headers: response.headers, body };
  } catch (error) {
    const reason = controller.signal.aborted
      ? new Error(`no answer from ${url} within ${timeoutMs} ms`)
      : error instanceof Error
        ? error
        : new Error(String(error));
    return { ok: false, error: reason };
  } finally {
    clearTimeout(timer);
  }
}

/** Joins the control plane's base URL and an API path, whatever slashes the base ends with. */
export function controlPlaneUrl(endpoint: string, path: string): string {
  return `${endpoint.replace(/\/+$/, '')}${path}`;
}

/**
 * Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * a uniformly random delay up to min(cap, base × 2^attempt), which spreads the retries of many
 * clients after an outage instead of synchronising them.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(Math.random() * ceiling);
}

/**
 * Reads a Retry-After header: delay seconds or an HTTP date, in milliseconds from `now`;
 * undefined when absent or unreadable.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
