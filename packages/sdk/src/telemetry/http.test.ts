import { describe, expect, it } from 'vitest';
import { backoffDelay, controlPlaneUrl, retryAfterMs } from './http.js';

describe('control plane HTTP helpers', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-26T10:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Thu, 26 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Thu, 26 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('draws full-jitter delays under the exponential ceiling and the cap', () => {
    for (let attempt = 0; attempt < 40; attempt += 1) {
      const delay = backoffDelay(attempt, 500, 30_000);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(30_000, 500 * 2 ** attempt));
    }
  });

  it('joins base URLs with or without a trailing slash', () => {
    expect(controlPlaneUrl('http://h:1/', '/v1/events')).toBe('http://h:1/v1/events');
    expect(controlPlaneUrl('http://h:1/warden', '/v1/events')).toBe('http://h:1/warden/v1/events');
  });
});
