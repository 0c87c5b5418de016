import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.js';

describe('webhook signature', () => {
  const body = '{"type":"alert.triggered"}';
  it('signs with a timestamp and verifies in the tolerance window', () => {
    const header = signWebhook('whsec-1', body, 1_800_000_000);
    expect(header).toMatch(/^t=1800000000,v1=[a-f0-9]{64}$/);
    expect(verifyWebhookSignature('whsec-1', header, body, { now: 1_800_000_100 })).toEqual({
      ok: true,
      timestamp: 1_800_000_000,
    });
  });

  it('refuses a changed body, another secret, a replay and a malformed header', () => {
    const header = signWebhook('whsec-1', body, 1_800_000_000);
    const now = 1_800_000_000;
    expect(verifyWebhookSignature('whsec-1', header, `${body} `, { now })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyWebhookSignature('whsec-2', header, body, { now })).toMatchObject({ ok: false });
    expect(verifyWebhookSignature('whsec-1', header, body, { now: now + 301 })).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyWebhookSignature('whsec-1', 'v1=abc', body, { now })).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyWebhookSignature('whsec-1', undefined, body, { now }).ok).toBe(false);
  });

  it('accepts any of several v1 signatures (secret rotation)', () => {
    const fresh = signWebhook('new', body, 1_800_000_000);
    const old = signWebhook('old', body, 1_800_000_000).split(',')[1];
    expect(verifyWebhookSignature('old', `${fresh},${old}`, body, { now: 1_800_000_000 }).ok).toBe(
      true,
    );
  });
});
