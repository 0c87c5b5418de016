import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import type { RunningServer } from '../server.js';
import { AlertEngine } from '../services/alerts.js';
import {
  type Credentials,
  client,
  scanEvent,
  startTestServer,
  type TestServerOptions,
} from '../testing/harness.js';

type Session = Credentials & { organizations: { id: string }[] };

/** A webhook receiver answering the scripted responses in turn, then 200, after `delayMs`. */
async function startReceiver() {
  const settings = { delayMs: 0 };
  const requests: { path: string; attempt: string; body: string }[] = [];
  const responses: { status: number; retryAfter?: string }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      requests.push({
        path: request.url ?? '',
        attempt: String(request.headers['x-warden-delivery-attempt']),
        body,
      });
      const next = responses.shift() ?? { status: 200 };
      setTimeout(() => {
        response
          .writeHead(
            next.status,
            next.retryAfter === undefined ? {} : { 'retry-after': next.retryAfter },
          )
          .end('ok');
      }, settings.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    responses,
    settings,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Durable webhook deliveries (the outbox): retries, a restart between attempts, and several
 * dispatchers on one database. Run on the embedded database and on PostgreSQL.
 */
export function describeOutbox(
  name: string,
  options: () => Promise<
    Pick<TestServerOptions, 'databaseUrl' | 'db'> & { cleanup?: () => Promise<void> }
  >,
  enabled = true,
): void {
  (enabled ? describe : describe.skip)(name, () => {
    let database: Pick<TestServerOptions, 'databaseUrl' | 'db'>;
    let cleanup: (() => Promise<void>) | undefined;
    let dataDir: string;
    let server: RunningServer | undefined;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;

    // Servers share the database and the data directory (the key sealing webhook secrets).
    const start = () =>
      startTestServer({
        ...database,
        environment: { WARDEN_DATA_DIR: dataDir, WARDEN_WEBHOOK_ALLOW_INTERNAL: 'true' },
      });

    async function setUp(running: RunningServer, ruleName: string) {
      const http = client(running.url);
      const owner = (await http.login()) as Session;
      const orgId = owner.organizations[0]!.id;
      const project = await http.request('POST', `/v1/orgs/${orgId}/projects`, {
        ...owner,
        body: { name: `Outbox ${ruleName}` },
      });
      const key = await http.request('POST', `/v1/orgs/${orgId}/projects/${project.body.id}/keys`, {
        ...owner,
        body: { name: 'ingest', scopes: ['ingest'] },
      });
      const webhook = await http.request('POST', `/v1/orgs/${orgId}/webhooks`, {
        ...owner,
        body: { name: ruleName, url: `${receiver.url}/${ruleName}` },
      });
      expect(webhook.status).toBe(201);
      const agentId = `agent-${ruleName}`;
      const rule = await http.request('POST', `/v1/orgs/${orgId}/alert-rules`, {
        ...owner,
        body: {
          name: ruleName,
          condition: { kind: 'critical_finding', filter: { agentId } },
          cooldownMinutes: 0,
          webhookIds: [webhook.body.id],
        },
      });
      expect(rule.status).toBe(201);
      const fire = async () => {
        const response = await http.request('POST', '/v1/events', {
          apiKey: key.body.key,
          body: { events: [scanEvent({ risk: 0.97, agentId })] },
        });
        expect(response.status).toBe(200);
      };
      const log = async (on: RunningServer) =>
        (
          await client(on.url).request(
            'GET',
            `/v1/orgs/${orgId}/webhooks/${webhook.body.id}/deliveries`,
            owner,
          )
        ).body.deliveries.map((row: { attempt: number; status: number | null }) => [
          row.attempt,
          row.status,
        ]);
      return { orgId, webhookId: webhook.body.id as string, ruleId: rule.body.id, fire, log };
    }

    const outboxRows = async (db: Database) =>
      Number(
        (await db.query<{ n: string }>('SELECT count(*) AS n FROM webhook_outbox')).rows[0]!.n,
      );

    beforeAll(async () => {
      const { cleanup: drop, ...rest } = await options();
      database = rest;
      cleanup = drop;
      dataDir = await mkdtemp(join(tmpdir(), 'warden-outbox-'));
      receiver = await startReceiver();
    }, 60_000);

    afterAll(async () => {
      await server?.close();
      await receiver?.close();
      await cleanup?.();
      await rm(dataDir, { recursive: true, force: true });
    }, 60_000);

    it('retries a failing receiver until it works, and logs every attempt', async () => {
      server ??= await start();
      const { fire, log } = await setUp(server, 'retry');
      receiver.requests.length = 0;
      receiver.responses.push({ status: 503 }, { status: 502 });
      await fire();
      await server.services.features!.alerts.idle();
      expect(receiver.requests.map((request) => request.attempt)).toEqual(['1', '2', '3']);
      expect(await log(server)).toEqual([
        [3, 200],
        [2, 502],
        [1, 503],
      ]);
      expect(await outboxRows(server.services.db)).toBe(0);
    }, 30_000);

    it('delivers after a restart between attempts', async () => {
      server ??= await start();
      const { fire, log } = await setUp(server, 'restart');
      receiver.requests.length = 0;
      // The first attempt fails and asks for a pause: the server stops during it.
      receiver.responses.push({ status: 503, retryAfter: '1' });
      await fire();
      await eventually(() => receiver.requests.length === 1);
      const stopping = server;
      server = undefined;
      await stopping.close();
      expect(receiver.requests).toHaveLength(1);
      // A new server on the same database finds the row and sends it.
      server = await start();
      expect(await outboxRows(server.services.db)).toBe(1);
      const restarted = server;
      await eventually(async () => {
        await restarted.services.features!.alerts.dispatchDue();
        return receiver.requests.length === 2;
      });
      expect(receiver.requests.map((request) => request.attempt)).toEqual(['1', '2']);
      expect(receiver.requests[1]!.body).toBe(receiver.requests[0]!.body);
      expect(await log(server)).toEqual([
        [2, 200],
        [1, 503],
      ]);
      expect(await outboxRows(server.services.db)).toBe(0);
    }, 60_000);

    it('sends each row once when two dispatchers share the database', async () => {
      server ??= await start();
      const { orgId, webhookId, ruleId } = await setUp(server, 'replicas');
      const db = server.services.db;
      // Twenty fired alerts, each with a delivery due now (inserted as the schema owner).
      for (let index = 0; index < 20; index++) {
        const alert = await db.query<{ id: string }>(
          `INSERT INTO alerts (org_id, rule_id, triggered_at, summary, event_count, event_ids, categories, agent_ids)
           VALUES ($1, $2, now(), $3, 1, '{}', '{}', '{}') RETURNING id`,
          [orgId, ruleId, `alert ${index}`],
        );
        await db.query(
          `INSERT INTO webhook_outbox (org_id, webhook_id, alert_id, notification)
           VALUES ($1, $2, $3, $4::jsonb)`,
          [
            orgId,
            webhookId,
            alert.rows[0]!.id,
            JSON.stringify({
              type: 'alert.triggered',
              alertId: alert.rows[0]!.id,
              organizationId: orgId,
              rule: { id: ruleId, name: 'replicas', kind: 'critical_finding' },
              triggeredAt: new Date().toISOString(),
              summary: `alert ${index}`,
              eventCount: 1,
              eventIds: [],
              categories: [],
              agentIds: [],
            }),
          ],
        );
      }
      // Slow answers keep both dispatchers busy at once.
      receiver.settings.delayMs = 20;
      receiver.requests.length = 0;
      const features = server.services.features!;
      const dispatchers = [0, 1].map(
        () =>
          new AlertEngine({
            db,
            secretBox: features.secretBox,
            logger: pino({ level: 'silent' }),
            allowInternalWebhooks: true,
          }),
      );
      const sent = await Promise.all(dispatchers.map((dispatcher) => dispatcher.dispatchDue()));
      await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
      receiver.settings.delayMs = 0;
      expect(sent[0]! + sent[1]!).toBe(20);
      const alertIds = receiver.requests.map((request) => JSON.parse(request.body).alertId);
      expect(alertIds).toHaveLength(20);
      expect(new Set(alertIds).size).toBe(20);
      expect(await outboxRows(db)).toBe(0);
    }, 60_000);
  });
}
