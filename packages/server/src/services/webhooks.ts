import { isIP } from 'node:net';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '../crypto/webhook-signature.js';
import {
  INTERNAL_ADDRESS_REFUSED,
  isInternalAddress,
  isInternalAddressRefusal,
  postWebhook,
  systemLookup,
  type WebhookLookup,
} from './webhook-transport.js';

export {
  INTERNAL_ADDRESS_REFUSED,
  isInternalAddress,
  systemLookup,
  type WebhookLookup,
} from './webhook-transport.js';

/** How an alert notification is shaped on the wire. */
export type WebhookFormat = 'warden' | 'slack';

/** What an alert tells its webhooks: metadata only, like the events behind it. */
export interface AlertNotification {
  type: 'alert.triggered';
  alertId: string;
  organizationId: string;
  rule: { id: string; name: string; kind: string };
  triggeredAt: string;
  summary: string;
  eventCount: number;
  /** Up to 20 ids of the events that triggered the alert. */
  eventIds: string[];
  categories: string[];
  agentIds: string[];
}

/**
 * The request body for a notification: the notification itself, or a Slack-compatible
 * `{ text, blocks }` message (Slack incoming webhooks and compatible chat tools).
 * @example const body = notificationBody(notification, 'slack')
 */
export function notificationBody(notification: AlertNotification, format: WebhookFormat): string {
  if (format === 'warden') return JSON.stringify(notification);
  const details = [
    `*Rule:* ${escapeSlack(notification.rule.name)} (${notification.rule.kind})`,
    `*Events:* ${notification.eventCount}`,
    notification.categories.length > 0
      ? `*Categories:* ${notification.categories.map(escapeSlack).join(', ')}`
      : undefined,
    notification.agentIds.length > 0
      ? `*Agents:* ${notification.agentIds.slice(0, 10).map(escapeSlack).join(', ')}`
      : undefined,
  ].filter((line): line is string => line !== undefined);
  const text = `Warden alert: ${escapeSlack(notification.summary)}`;
  return JSON.stringify({
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:rotating_light: *${text}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: details.join('\n') } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `alert ${notification.alertId} · ${notification.triggeredAt}`,
          },
        ],
      },
    ],
  });
}

// Slack reads <, > and & as markup; names come from users, so they are escaped.
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One attempt at delivering a webhook, as the delivery log records it. */
export interface DeliveryAttempt {
  attempt: number;
  startedAt: string;
  durationMs: number;
  /** HTTP status, or null when no response came (network error, timeout). */
  status: number | null;
  ok: boolean;
  /** Why it failed, in a few words; null when it succeeded. */
  error: string | null;
  /** Milliseconds waited before the next attempt; null after the last one. */
  nextDelayMs: number | null;
}

/** Options of deliverWebhook; everything but the target has a default. */
export interface DeliveryOptions {
  url: string;
  secret: string;
  body: string;
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number;
  /** First backoff in ms, doubled per retry. Default 1000. */
  baseDelayMs?: number;
  /** Backoff ceiling in ms. Default 60 000. */
  maxDelayMs?: number;
  /** Per-attempt timeout in ms. Default 10 000. */
  timeoutMs?: number;
  /** Stops further retries when aborted (graceful shutdown); the attempt under way finishes. */
  signal?: AbortSignal;
  /** Called after every attempt (the delivery log). */
  onAttempt?: (attempt: DeliveryAttempt) => void | Promise<void>;
  /**
   * Post to internal addresses too (WARDEN_WEBHOOK_ALLOW_INTERNAL). Default false: every address
   * the connection would use is checked when it connects, and an internal one refuses the send.
   */
  allowInternal?: boolean;
  /** Resolves the target's host name. Default: node:dns `lookup`. */
  lookup?: WebhookLookup;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

/** What one attempt takes: the target, the attempt number and the retry tuning. */
export interface AttemptOptions
  extends Omit<DeliveryOptions, 'signal' | 'onAttempt' | 'sleep' | 'maxAttempts'> {
  /** This attempt's number, the first being 1. */
  attempt: number;
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number;
}

/**
 * Posts a signed webhook once and says what happened, with the delay before the next attempt
 * (null when this one was the last: it succeeded, failed for good, or used the last attempt).
 * Network errors, timeouts, 408, 429 and 5xx are retryable; other 4xx, 3xx (redirects are not
 * followed) and a target on an internal address (unless `allowInternal`) are final.
 * @example const record = await attemptWebhook({ url, secret, body, attempt: 1 })
 */
export async function attemptWebhook(options: AttemptOptions): Promise<DeliveryAttempt> {
  const { attempt } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const started = now();
  let status: number | null = null;
  let error: string | null = null;
  let retryAfterMs: number | undefined;
  let refused = false;
  try {
    const response = await postWebhook({
      url: options.url,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Warden-Webhook/1',
        [WEBHOOK_SIGNATURE_HEADER]: signWebhook(
          options.secret,
          options.body,
          Math.floor(now() / 1000),
        ),
        'X-Warden-Delivery-Attempt': String(attempt),
      },
      body: options.body,
      timeoutMs,
      allowInternal: options.allowInternal ?? false,
      lookup: options.lookup ?? systemLookup,
    });
    status = response.status;
    retryAfterMs = parseRetryAfter(response.retryAfter, now());
    // Redirects are not followed (a 3xx is a final failure), so they cannot lead inside either.
    if (status < 200 || status > 299) error = `HTTP ${status}`;
  } catch (cause) {
    refused = isInternalAddressRefusal(cause);
    error = refused
      ? INTERNAL_ADDRESS_REFUSED
      : cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')
        ? `timed out after ${timeoutMs} ms`
        : `network error: ${cause instanceof Error ? cause.message : String(cause)}`;
  }
  const ok = error === null;
  // A refusal is final: sending again would meet the same check.
  const retryable =
    !ok && !refused && (status === null || status === 408 || status === 429 || status >= 500);
  const last = ok || !retryable || attempt >= maxAttempts;
  const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  const nextDelayMs = last
    ? null
    : Math.min(maxDelayMs, Math.max(retryAfterMs ?? 0, Math.floor(random() * backoff)));
  return {
    attempt,
    startedAt: new Date(started).toISOString(),
    durationMs: Math.max(0, now() - started),
    status,
    ok,
    error,
    nextDelayMs,
  };
}

/**
 * Posts a signed webhook, retrying network errors, timeouts, 408, 429 and 5xx with exponential
 * backoff and full jitter (a `Retry-After` a receiver sends is honoured up to the ceiling).
 * Other 4xx are final: the receiver refused this request, sending it again changes nothing.
 * Retries wait in this process (test notifications); alert notifications go through the durable
 * outbox (./webhook-outbox.ts), which makes one `attemptWebhook` per due row.
 * @example const attempts = await deliverWebhook({ url, secret, body, onAttempt: log })
 */
export async function deliverWebhook(options: DeliveryOptions): Promise<DeliveryAttempt[]> {
  const maxAttempts = options.maxAttempts ?? 5;
  const sleep =
    options.sleep ??
    ((ms: number) =>
      new Promise<void>((done) => {
        const timer = setTimeout(done, ms);
        options.signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            done();
          },
          { once: true },
        );
      }));
  const { signal: _signal, onAttempt: _onAttempt, sleep: _sleep, ...tuning } = options;
  const attempts: DeliveryAttempt[] = [];
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const record = await attemptWebhook({ ...tuning, maxAttempts, attempt });
    attempts.push(record);
    await options.onAttempt?.(record);
    if (record.nextDelayMs === null || options.signal?.aborted) break;
    await sleep(record.nextDelayMs);
    if (options.signal?.aborted) break;
  }
  return attempts;
}

function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Why a webhook URL was refused, or null when it may be used. */
export function webhookUrlProblem(
  url: string,
  options: { allowHttp?: boolean } = {},
): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'https:' && !(options.allowHttp && parsed.protocol === 'http:')) {
    return options.allowHttp ? 'expected an http or https URL' : 'expected an https URL';
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return 'credentials in the URL are not allowed; use the signing secret';
  }
  if (url.length > 2048) return 'longer than 2048 characters';
  return null;
}

/**
 * True when a host name resolves only to public addresses. Webhook targets are user-supplied,
 * so by default the server refuses to post to loopback, private, link-local (cloud metadata)
 * and other internal ranges (SSRF); WARDEN_WEBHOOK_ALLOW_INTERNAL turns this off for on-premise
 * receivers. An early answer only: `attemptWebhook` checks again the addresses it connects to,
 * so a name that resolves differently the second time (DNS rebinding) is refused there.
 * @example if (!(await resolvesToPublicAddresses(new URL(url).hostname))) refuse()
 */
export async function resolvesToPublicAddresses(
  hostname: string,
  options: { lookup?: WebhookLookup } = {},
): Promise<boolean> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const lookup = options.lookup ?? systemLookup;
  const addresses = isIP(host)
    ? [host]
    : (await lookup(host).catch(() => [])).map((entry) => entry.address);
  return addresses.length > 0 && addresses.every((address) => !isInternalAddress(address));
}
