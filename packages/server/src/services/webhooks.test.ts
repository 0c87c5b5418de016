import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../crypto/webhook-signature.js';
import {
  type AlertNotification,
  attemptWebhook,
  type DeliveryAttempt,
  deliverWebhook,
  INTERNAL_ADDRESS_REFUSED,
  isInternalAddress,
  notificationBody,
  resolvesToPublicAddresses,
  type WebhookLookup,
  webhookUrlProblem,
} from './webhooks.js';

const notification: AlertNotification = {
  type: 'alert.triggered',
  alertId: 'alert-1',
  organizationId: 'org-webhooks-1',
  rule: { id: 'rule-1', name: 'Injection <burst> & more', kind: 'event_threshold' },
  triggeredAt: '2026-11-26T00:00:00.000Z',
  summary: '5 block event(s) of category prompt_injection within 10 minute(s)',
  eventCount: 5,
  eventIds: ['e1'],
  categories: ['prompt_injection'],
  agentIds: ['support-bot'],
};

// A real HTTP receiver that answers with the scripted statuses in turn.
let statuses: number[] = [];
const received: { headers: IncomingMessage['headers']; body: string }[] = [];
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => {
    body += chunk;
  });
  request.on('end', () => {
    received.push({ headers: request.headers, body });
    if (request.url === '/hang') return;
    const status = statuses.shift() ?? 200;
    response.writeHead(status, status === 429 ? { 'retry-after': '0' } : {});
    response.end('ok');
  });
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(
  () =>
    new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    }),
);

// Stands in for DNS: answers each lookup with the next scripted list (the last one repeats).
function scriptedLookup(...answers: string[][]): WebhookLookup & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (hostname: string): Promise<LookupAddress[]> => {
    calls.push(hostname);
    const answer = answers[Math.min(calls.length, answers.length) - 1] ?? [];
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(lookup, { calls });
}

describe('webhook delivery', () => {
  it('posts a signed body the receiver can verify', async () => {
    statuses = [200];
    received.length = 0;
    const body = notificationBody(notification, 'warden');
    const attempts = await deliverWebhook({
      url,
      secret: 'whsec-deliver',
      body,
      allowInternal: true,
    });
    expect(attempts).toMatchObject([{ attempt: 1, ok: true, status: 200, nextDelayMs: null }]);
    const [request] = received;
    expect(request!.body).toBe(body);
    expect(
      verifyWebhookSignature(
        'whsec-deliver',
        request!.headers['x-warden-signature'] as string,
        request!.body,
      ).ok,
    ).toBe(true);
  });

  it('retries 5xx and 429 with growing jittered backoff, logging every attempt', async () => {
    statuses = [503, 429, 500, 200];
    const delays: number[] = [];
    const logged: number[] = [];
    const attempts = await deliverWebhook({
      url,
      secret: 's',
      body: '{}',
      allowInternal: true,
      baseDelayMs: 100,
      random: () => 0.999,
      sleep: async (ms) => {
        delays.push(ms);
      },
      onAttempt: (attempt) => {
        logged.push(attempt.status ?? 0);
      },
    });
    expect(logged).toEqual([503, 429, 500, 200]);
    expect(attempts.at(-1)).toMatchObject({ ok: true, attempt: 4 });
    expect(delays).toEqual([99, 199, 399]);
  });

  it('stops at a 4xx other than 408/429, and after maxAttempts', async () => {
    statuses = [404];
    const refused = await deliverWebhook({
      url,
      secret: 's',
      body: '{}',
      allowInternal: true,
      sleep: async () => {},
    });
    expect(refused).toMatchObject([
      { ok: false, status: 404, error: 'HTTP 404', nextDelayMs: null },
    ]);
    statuses = [500, 500, 500];
    const exhausted = await deliverWebhook({
      url,
      secret: 's',
      body: '{}',
      allowInternal: true,
      maxAttempts: 3,
      sleep: async () => {},
    });
    expect(exhausted.map((attempt) => attempt.status)).toEqual([500, 500, 500]);
    expect(exhausted.at(-1)!.nextDelayMs).toBeNull();
  });

  it('records network errors as retryable attempts without a status', async () => {
    const attempts = await deliverWebhook({
      url: 'http://127.0.0.1:1/closed',
      secret: 's',
      body: '{}',
      allowInternal: true,
      maxAttempts: 2,
      sleep: async () => {},
    });
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatchObject({ ok: false, status: null });
    expect(attempts[0]!.error).toMatch(/network error/);
  });

  it('stops retrying once its signal is aborted (shutdown)', async () => {
    statuses = [500, 500, 500];
    const controller = new AbortController();
    const started = Date.now();
    const attempts = await deliverWebhook({
      url,
      secret: 's',
      body: '{}',
      allowInternal: true,
      baseDelayMs: 60_000,
      random: () => 0.999,
      signal: controller.signal,
      onAttempt: () => {
        setTimeout(() => controller.abort(), 10);
      },
    });
    expect(attempts).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    statuses = [];
  });

  it('builds a Slack-compatible payload with escaped names', () => {
    const slack = JSON.parse(notificationBody(notification, 'slack'));
    expect(typeof slack.text).toBe('string');
    expect(slack.text).toContain('Warden alert');
    expect(Array.isArray(slack.blocks)).toBe(true);
    expect(JSON.stringify(slack.blocks)).toContain('Injection &lt;burst&gt; &amp; more');
  });

  it('refuses URLs that are not https, carry credentials, or point inside', async () => {
    expect(webhookUrlProblem('https://hooks.example.com/x')).toBeNull();
    expect(webhookUrlProblem('http://hooks.example.com/x')).toMatch(/https/);
    expect(webhookUrlProblem('http://hooks.example.com/x', { allowHttp: true })).toBeNull();
    expect(webhookUrlProblem('https://user:pw@hooks.example.com')).toMatch(/credentials/);
    expect(webhookUrlProblem('nope')).toBe('not a URL');
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '169.254.169.254',
      '192.168.0.1',
      '172.20.0.1',
      '::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      '100.64.0.1',
      // IPv4 inside IPv6 (NAT64, 6to4), documentation, broadcast and junk.
      '64:ff9b::a9fe:a9fe',
      '2002:7f00:1::',
      '192.0.2.10',
      '2001:db8::1',
      '255.255.255.255',
      'not-an-address',
    ]) {
      expect(isInternalAddress(address), address).toBe(true);
    }
    expect(isInternalAddress('93.184.216.34')).toBe(false);
    expect(isInternalAddress('2606:4700:4700::1111')).toBe(false);
    expect(isInternalAddress('::ffff:5db8:d822')).toBe(false);
    expect(await resolvesToPublicAddresses(new URL('https://[::ffff:127.0.0.1]/').hostname)).toBe(
      false,
    );
    expect(await resolvesToPublicAddresses('127.0.0.1')).toBe(false);
    expect(await resolvesToPublicAddresses('[::1]')).toBe(false);
    expect(await resolvesToPublicAddresses('8.8.8.8')).toBe(true);
  });
});

describe('connection-time address check', () => {
  // Names under .test never resolve for real: only the scripted lookup answers them.
  const hookAt = (host: string) => url.replace('127.0.0.1', host);

  it('refuses a name that rebinds to loopback after the early check', async () => {
    received.length = 0;
    statuses = [];
    const lookup = scriptedLookup(['93.184.216.34'], ['127.0.0.1']);
    expect(await resolvesToPublicAddresses('hooks.rebind.test', { lookup })).toBe(true);
    const logged: DeliveryAttempt[] = [];
    const attempts = await deliverWebhook({
      url: hookAt('hooks.rebind.test'),
      secret: 's',
      body: '{}',
      lookup,
      sleep: async () => {},
      onAttempt: (attempt) => {
        logged.push(attempt);
      },
    });
    expect(attempts).toEqual(logged);
    expect(attempts).toMatchObject([
      { attempt: 1, ok: false, status: null, error: INTERNAL_ADDRESS_REFUSED, nextDelayMs: null },
    ]);
    expect(lookup.calls).toEqual(['hooks.rebind.test', 'hooks.rebind.test']);
    expect(received).toHaveLength(0);
  });

  it('refuses a name that resolves to public and internal addresses alike', async () => {
    received.length = 0;
    // 192.0.2.0/24 is documentation space: never connected to, whatever the check does.
    const lookup = scriptedLookup(['192.0.2.10', '127.0.0.1']);
    expect(await resolvesToPublicAddresses('hooks.mixed.test', { lookup })).toBe(false);
    const attempt = await attemptWebhook({
      url: hookAt('hooks.mixed.test'),
      secret: 's',
      body: '{}',
      lookup,
      timeoutMs: 2_000,
      attempt: 1,
    });
    expect(attempt).toMatchObject({
      ok: false,
      status: null,
      error: INTERNAL_ADDRESS_REFUSED,
      nextDelayMs: null,
    });
    expect(received).toHaveLength(0);
  });

  it('refuses an internal address literal without a lookup', async () => {
    received.length = 0;
    const lookup = scriptedLookup(['93.184.216.34']);
    const attempt = await attemptWebhook({ url, secret: 's', body: '{}', lookup, attempt: 1 });
    expect(attempt).toMatchObject({ ok: false, error: INTERNAL_ADDRESS_REFUSED });
    expect(lookup.calls).toEqual([]);
    expect(received).toHaveLength(0);
  });

  it('connects to whatever the name resolves to when internal targets are allowed', async () => {
    received.length = 0;
    statuses = [200];
    const lookup = scriptedLookup(['127.0.0.1']);
    const attempt = await attemptWebhook({
      url: hookAt('hooks.on-premise.test'),
      secret: 's',
      body: '{"on":"premise"}',
      lookup,
      allowInternal: true,
      attempt: 1,
    });
    expect(attempt).toMatchObject({ ok: true, status: 200, error: null });
    expect(received.map((request) => request.body)).toEqual(['{"on":"premise"}']);
    expect(received[0]!.headers.host).toBe(new URL(hookAt('hooks.on-premise.test')).host);
  });

  it('does not follow redirects, and records a timeout', async () => {
    received.length = 0;
    statuses = [302];
    const redirected = await attemptWebhook({
      url,
      secret: 's',
      body: '{}',
      allowInternal: true,
      attempt: 1,
    });
    expect(redirected).toMatchObject({
      ok: false,
      status: 302,
      error: 'HTTP 302',
      nextDelayMs: null,
    });
    expect(received).toHaveLength(1);
    const hung = await attemptWebhook({
      url: url.replace('/hook', '/hang'),
      secret: 's',
      body: '{}',
      allowInternal: true,
      timeoutMs: 200,
      attempt: 1,
      maxAttempts: 2,
    });
    expect(hung).toMatchObject({ ok: false, status: null, error: 'timed out after 200 ms' });
    expect(hung.nextDelayMs).not.toBeNull();
  });
});
