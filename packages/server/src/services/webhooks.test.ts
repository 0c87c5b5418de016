import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../crypto/webhook-signature.js';
import {
  type AlertNotification,
  deliverWebhook,
  isInternalAddress,
  notificationBody,
  resolvesToPublicAddresses,
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
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('webhook delivery', () => {
  it('posts a signed body the receiver can verify', async () => {
    statuses = [200];
    received.length = 0;
    const body = notificationBody(notification, 'warden');
    const attempts = await deliverWebhook({ url, secret: 'whsec-deliver', body });
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
    const refused = await deliverWebhook({ url, secret: 's', body: '{}', sleep: async () => {} });
    expect(refused).toMatchObject([
      { ok: false, status: 404, error: 'HTTP 404', nextDelayMs: null },
    ]);
    statuses = [500, 500, 500];
    const exhausted = await deliverWebhook({
      url,
      secret: 's',
      body: '{}',
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
      '100.64.0.1',
    ]) {
      expect(isInternalAddress(address), address).toBe(true);
    }
    expect(isInternalAddress('93.184.216.34')).toBe(false);
    expect(await resolvesToPublicAddresses('127.0.0.1')).toBe(false);
    expect(await resolvesToPublicAddresses('[::1]')).toBe(false);
    expect(await resolvesToPublicAddresses('8.8.8.8')).toBe(true);
  });
});
