import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries a webhook's signature. */
export const WEBHOOK_SIGNATURE_HEADER = 'X-Warden-Signature';

/** Receivers should refuse signatures older than this (replay window), in seconds. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * The signature header value for a body sent at `timestamp` (Unix seconds):
 * `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`. Signing the timestamp with the
 * body lets a receiver refuse replays of an old delivery.
 * @example headers[WEBHOOK_SIGNATURE_HEADER] = signWebhook(secret, body, Math.floor(Date.now() / 1000))
 */
export function signWebhook(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${webhookDigest(secret, body, timestamp)}`;
}

/** Why a signature was refused, or `ok: true`. */
export type WebhookSignatureVerification =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'malformed' | 'expired' | 'mismatch' };

/**
 * Checks a received signature header against the raw body, in constant time; several `v1`
 * values are accepted so a receiver can verify during a secret rotation.
 * @example const check = verifyWebhookSignature(secret, request.headers['x-warden-signature'], rawBody)
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined | null,
  body: string,
  options: { now?: number; toleranceSeconds?: number } = {},
): WebhookSignatureVerification {
  if (typeof header !== 'string') return { ok: false, reason: 'malformed' };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value !== undefined && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && value !== undefined && /^[a-f0-9]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return { ok: false, reason: 'malformed' };
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS)) {
    return { ok: false, reason: 'expired' };
  }
  const expected = Buffer.from(webhookDigest(secret, body, timestamp), 'hex');
  const matches = signatures.some((signature) =>
    timingSafeEqual(expected, Buffer.from(signature, 'hex')),
  );
  return matches ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}

function webhookDigest(secret: string, body: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}
