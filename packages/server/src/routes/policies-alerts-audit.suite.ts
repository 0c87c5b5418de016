import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyPolicyBundle } from '@warden/protocol';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditEntry, verifyAuditChain } from '../crypto/audit-chain.js';
import { createSecretBox, parseSecretKeyRing } from '../crypto/secret-box.js';
import { verifyWebhookSignature } from '../crypto/webhook-signature.js';
import { withOrganization } from '../db/tenancy.js';
import type { FeatureServices } from '../features.js';
import type { RunningServer } from '../server.js';
import { AlertEngine } from '../services/alerts.js';
import {
  listWebhooks,
  loadWebhookTarget,
  resealIntegrationSecrets,
  SECRETS_KEY_FILE,
} from '../services/integrations.js';
import { purgeExpiredData } from '../services/retention.js';
import {
  type Credentials,
  client,
  scanEvent,
  startTestServer,
  type TestServerOptions,
} from '../testing/harness.js';

type Session = Credentials & { userId: string; organizations: { id: string; role: string }[] };

/** A real HTTP receiver for webhooks: answers with the scripted statuses, then 200. */
async function startReceiver() {
  const requests: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const statuses: number[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      requests.push({ path: request.url ?? '', headers: request.headers, body });
      response.writeHead(statuses.shift() ?? 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    statuses,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const VALID_POLICY = { version: 1, name: 'support-bot', severityActions: { medium: 'block' } };

/**
 * Policies, alerts, webhooks, the audit log, retention and security.txt over real HTTP against
 * one database: run on the embedded database and on PostgreSQL.
 */
export function describeFeatures(
  name: string,
  options: () => Promise<TestServerOptions & { cleanup?: () => Promise<void> }>,
  enabled = true,
): void {
  (enabled ? describe : describe.skip)(name, () => {
    let server: RunningServer;
    let features: FeatureServices;
    let http: ReturnType<typeof client>;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let owner: Session;
    let outsider: Session;
    let orgA: string;
    let orgB: string;
    let projectA: string;
    let projectA2: string;
    let policyKeyA: string;
    let ingestKeyA: string;
    let policyKeyB: string;
    let cleanup: (() => Promise<void>) | undefined;
    let dataDir: string;

    const count = async (sql: string, parameters: unknown[] = []) =>
      Number((await server.services.db.query<{ n: string }>(sql, parameters)).rows[0]!.n);

    async function ingest(key: string, events: Record<string, unknown>[]) {
      const response = await http.request('POST', '/v1/events', { apiKey: key, body: { events } });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response;
    }

    // Ingestion hands stored events to the alert engine after acknowledging; wait for it.
    async function ingestAndEvaluate(key: string, events: Record<string, unknown>[]) {
      await ingest(key, events);
      await features.alerts.idle();
    }

    async function exportAudit(
      organizationId: string,
      format: string,
    ): Promise<{ status: number; text: string }> {
      const response = await fetch(
        `${server.url}/v1/orgs/${organizationId}/audit/export?format=${format}`,
        {
          headers: { cookie: owner.cookie! },
        },
      );
      return { status: response.status, text: await response.text() };
    }

    beforeAll(async () => {
      const { cleanup: drop, ...serverOptions } = await options();
      cleanup = drop;
      dataDir = await mkdtemp(join(tmpdir(), 'warden-features-'));
      server = await startTestServer({
        ...serverOptions,
        environment: {
          ...serverOptions.environment,
          WARDEN_DATA_DIR: dataDir,
          WARDEN_WEBHOOK_ALLOW_INTERNAL: 'true',
          WARDEN_SECURITY_CONTACT: 'mailto:security@example.test',
        },
      });
      features = server.services.features!;
      receiver = await startReceiver();
      http = client(server.url);
      owner = await http.login();
      orgA = owner.organizations[0]!.id;
      const project = async (session: Session, organizationId: string, projectName: string) =>
        (
          await http.request('POST', `/v1/orgs/${organizationId}/projects`, {
            ...session,
            body: { name: projectName },
          })
        ).body.id as string;
      const key = async (
        session: Session,
        organizationId: string,
        projectId: string,
        scopes: string[],
      ) =>
        (
          await http.request('POST', `/v1/orgs/${organizationId}/projects/${projectId}/keys`, {
            ...session,
            body: { name: scopes.join('-'), scopes },
          })
        ).body.key as string;
      projectA = await project(owner, orgA, 'Features A');
      projectA2 = await project(owner, orgA, 'Features A2');
      policyKeyA = await key(owner, orgA, projectA, ['policy:read']);
      ingestKeyA = await key(owner, orgA, projectA, ['ingest']);
      const email = `outsider-${randomUUID().slice(0, 8)}@example.test`;
      await http.request('POST', `/v1/orgs/${orgA}/members`, {
        ...owner,
        body: { email, role: 'viewer', password: 'another long password' },
      });
      outsider = await http.login(email, 'another long password');
      orgB = (await http.request('POST', '/v1/orgs', { ...outsider, body: { name: 'Features B' } }))
        .body.id;
      await http.request('DELETE', `/v1/orgs/${orgA}/members/${outsider.userId}`, owner);
      const projectB = await project(outsider, orgB, 'Features B app');
      policyKeyB = await key(outsider, orgB, projectB, ['policy:read', 'ingest']);
    }, 120_000);

    afterAll(async () => {
      await features?.close();
      await receiver?.close();
      await server?.close();
      await cleanup?.();
    }, 60_000);

    describe('policies', () => {
      let policyId: string;

      it('refuses an invalid policy naming the field, and creates nothing', async () => {
        const response = await http.request('POST', `/v1/orgs/${orgA}/policies`, {
          ...owner,
          body: { name: 'default', document: { version: 1, severityActions: { high: 'blok' } } },
        });
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe('WARDEN_POLICY_INVALID');
        expect(response.body.error.issues[0].path).toBe('body.document.severityActions.high');
        expect(response.body.error.issues[0].message).toContain('"blok"');
        expect(
          (await http.request('GET', `/v1/orgs/${orgA}/policies`, owner)).body.policies,
        ).toEqual([]);
        const malformed = await http.request('POST', `/v1/orgs/${orgA}/policies`, {
          ...owner,
          body: { name: 'has space', document: 'not an object' },
        });
        expect(malformed.status).toBe(400);
        expect(
          malformed.body.error.issues.map((issue: { path: string }) => issue.path).sort(),
        ).toEqual(['body.document', 'body.name']);
      });

      it('stores immutable versions with content hashes; an unchanged document adds none', async () => {
        const created = await http.request('POST', `/v1/orgs/${orgA}/policies`, {
          ...owner,
          body: { name: 'default', document: VALID_POLICY },
        });
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject({
          name: 'default',
          projectId: null,
          latestVersion: 1,
          publishedVersion: null,
        });
        policyId = created.body.id;
        const same = await http.request('POST', `/v1/orgs/${orgA}/policies/${policyId}/versions`, {
          ...owner,
          body: {
            document: { severityActions: { medium: 'block' }, name: 'support-bot', version: 1 },
          },
        });
        expect(same.status).toBe(200);
        expect(same.body.version).toBe(1);
        const second = await http.request(
          'POST',
          `/v1/orgs/${orgA}/policies/${policyId}/versions`,
          {
            ...owner,
            body: { document: { ...VALID_POLICY, minScore: 0.7 } },
          },
        );
        expect(second.status).toBe(201);
        expect(second.body).toMatchObject({
          version: 2,
          contentHash: expect.stringMatching(/^[a-f0-9]{64}$/),
        });
        const detail = await http.request('GET', `/v1/orgs/${orgA}/policies/${policyId}`, owner);
        expect(detail.body.versions.map((version: { version: number }) => version.version)).toEqual(
          [2, 1],
        );
        // The application role cannot change a version, whatever the route does.
        const role = await server.services.db
          .transaction(async (tx) => {
            await tx.query('SET LOCAL ROLE warden_app');
            await tx.query(`SELECT set_config('warden.org_id', $1, true)`, [orgA]);
            await tx.query(`UPDATE policy_versions SET version = 99`);
          })
          .then(
            () => 'updated',
            (error: Error) => error.message,
          );
        expect(role).toMatch(/permission denied/);
      });

      it('publishes a signed bundle that SDKs pull with ETag and 304', async () => {
        expect((await http.request('GET', '/v1/policy', { apiKey: policyKeyA })).status).toBe(404);
        const published = await http.request(
          'POST',
          `/v1/orgs/${orgA}/policies/${policyId}/versions/2/publish`,
          owner,
        );
        expect(published.status).toBe(201);
        const keys = (await http.request('GET', '/v1/policy/keys')).body.keys;
        const publicKeys = Object.fromEntries(
          keys.map((key: { keyId: string; publicKey: string }) => [
            key.keyId,
            new Uint8Array(Buffer.from(key.publicKey, 'base64url')),
          ]),
        );
        const pulled = await http.request('GET', '/v1/policy', { apiKey: policyKeyA });
        expect(pulled.status).toBe(200);
        expect(pulled.body.policy).toEqual({ ...VALID_POLICY, minScore: 0.7 });
        expect(pulled.body.organizationId).toBe(orgA);
        expect(await verifyPolicyBundle(pulled.body, publicKeys)).toMatchObject({ ok: true });
        const etag = pulled.headers.get('etag');
        expect(etag).toMatch(/^"[a-f0-9]{32}"$/);
        const again = await http.request('GET', '/v1/policy', {
          apiKey: policyKeyA,
          headers: { 'if-none-match': etag! },
        });
        expect(again.status).toBe(304);
        expect(again.body).toBe('');
        // Rolling back: publishing version 1 again changes the bundle and its ETag.
        await http.request(
          'POST',
          `/v1/orgs/${orgA}/policies/${policyId}/versions/1/publish`,
          owner,
        );
        const rolledBack = await http.request('GET', '/v1/policy', {
          apiKey: policyKeyA,
          headers: { 'if-none-match': etag! },
        });
        expect(rolledBack.status).toBe(200);
        expect(rolledBack.body.version).toBe(1);
      });

      it("serves a project's own policy before the organisation default", async () => {
        const own = await http.request('POST', `/v1/orgs/${orgA}/policies`, {
          ...owner,
          body: {
            name: 'a2-policy',
            projectId: projectA2,
            document: { version: 1, mode: 'monitor' },
          },
        });
        expect(own.status).toBe(201);
        await http.request(
          'POST',
          `/v1/orgs/${orgA}/policies/${own.body.id}/versions/1/publish`,
          owner,
        );
        const keyA2 = (
          await http.request('POST', `/v1/orgs/${orgA}/projects/${projectA2}/keys`, {
            ...owner,
            body: { name: 'p', scopes: ['policy:read'] },
          })
        ).body.key;
        expect((await http.request('GET', '/v1/policy', { apiKey: keyA2 })).body.policy).toEqual({
          version: 1,
          mode: 'monitor',
        });
        expect(
          (await http.request('GET', '/v1/policy', { apiKey: policyKeyA })).body.policy.name,
        ).toBe('support-bot');
        const duplicate = await http.request('POST', `/v1/orgs/${orgA}/policies`, {
          ...owner,
          body: { name: 'other', projectId: projectA2 },
        });
        expect(duplicate.status).toBe(409);
      });

      it('keeps policies to their organisation and scopes', async () => {
        expect((await http.request('GET', `/v1/orgs/${orgA}/policies`, outsider)).status).toBe(404);
        expect(
          (await http.request('GET', `/v1/orgs/${orgB}/policies/${policyId}`, outsider)).status,
        ).toBe(404);
        expect(
          (
            await http.request(
              'POST',
              `/v1/orgs/${orgB}/policies/${policyId}/versions/1/publish`,
              outsider,
            )
          ).status,
        ).toBe(404);
        expect((await http.request('GET', '/v1/policy', { apiKey: policyKeyB })).status).toBe(404);
        expect((await http.request('GET', '/v1/policy', { apiKey: ingestKeyA })).status).toBe(403);
        expect((await http.request('GET', '/v1/policy')).status).toBe(401);
        const badVersion = await http.request(
          'GET',
          `/v1/orgs/${orgA}/policies/${policyId}/versions/abc`,
          owner,
        );
        expect(badVersion.status).toBe(400);
        expect(badVersion.body.error.issues[0].path).toBe('params.version');
      });
    });

    describe('alerts and webhooks', () => {
      let webhookId: string;
      let webhookSecret: string;
      let slackWebhookId: string;

      it('stores webhook URLs and secrets only encrypted, apart from the webhook rows', async () => {
        const bad = await http.request('POST', `/v1/orgs/${orgA}/webhooks`, {
          ...owner,
          body: { name: 'x', url: 'ftp://example.com' },
        });
        expect(bad.status).toBe(400);
        expect(bad.body.error.issues[0].path).toBe('body.url');
        const created = await http.request('POST', `/v1/orgs/${orgA}/webhooks`, {
          ...owner,
          body: { name: 'pager', url: `${receiver.url}/hooks/secret-token-123` },
        });
        expect(created.status).toBe(201);
        webhookId = created.body.id;
        webhookSecret = created.body.secret;
        expect(webhookSecret).toMatch(/^whsec_/);
        expect(created.body.url).toBe(`${receiver.url}/…`);
        const slack = await http.request('POST', `/v1/orgs/${orgA}/webhooks`, {
          ...owner,
          body: {
            name: 'slack',
            url: `${receiver.url}/slack`,
            format: 'slack',
            secret: 'a-long-enough-secret',
          },
        });
        slackWebhookId = slack.body.id;
        const stored = await server.services.db.query<{ ciphertext: string }>(
          'SELECT ciphertext FROM integration_secrets WHERE org_id = $1',
          [orgA],
        );
        expect(stored.rows).toHaveLength(4);
        for (const row of stored.rows) {
          expect(row.ciphertext).toMatch(/^wsb1\./);
          expect(row.ciphertext).not.toContain('secret-token-123');
          expect(row.ciphertext).not.toContain(webhookSecret);
        }
        const listed = await http.request('GET', `/v1/orgs/${orgA}/webhooks`, owner);
        expect(JSON.stringify(listed.body)).not.toContain('secret-token-123');
        expect((await http.request('GET', `/v1/orgs/${orgA}/webhooks`, outsider)).status).toBe(404);
      });

      it('validates rules and refuses webhooks of another organisation', async () => {
        const invalid = await http.request('POST', `/v1/orgs/${orgA}/alert-rules`, {
          ...owner,
          body: {
            name: 'x',
            condition: { kind: 'event_threshold', category: 'nope', count: 0, windowMinutes: 5 },
          },
        });
        expect(invalid.status).toBe(400);
        expect(invalid.body.error.issues.map((issue: { path: string }) => issue.path)).toEqual([
          'body.condition.category',
          'body.condition.count',
        ]);
        const foreign = await http.request('POST', `/v1/orgs/${orgB}/alert-rules`, {
          ...outsider,
          body: { name: 'steal', condition: { kind: 'critical_finding' }, webhookIds: [webhookId] },
        });
        expect(foreign.status).toBe(400);
        expect(foreign.body.error.issues[0].path).toBe('body.webhookIds.0');
        expect(await count('SELECT count(*) AS n FROM alert_rules')).toBe(0);
      });

      it('fires one signed notification per burst and logs the delivery', async () => {
        const rule = await http.request('POST', `/v1/orgs/${orgA}/alert-rules`, {
          ...owner,
          body: {
            name: 'Injection burst',
            condition: {
              kind: 'event_threshold',
              category: 'prompt_injection',
              count: 3,
              windowMinutes: 10,
            },
            cooldownMinutes: 30,
            webhookIds: [webhookId],
          },
        });
        expect(rule.status).toBe(201);
        receiver.requests.length = 0;
        await ingestAndEvaluate(ingestKeyA, [scanEvent(), scanEvent()]);
        expect(receiver.requests).toHaveLength(0);
        await ingestAndEvaluate(ingestKeyA, [scanEvent(), scanEvent({ decision: 'allow' })]);
        expect(receiver.requests).toHaveLength(1);
        const [request] = receiver.requests;
        expect(request!.path).toBe('/hooks/secret-token-123');
        expect(
          verifyWebhookSignature(
            webhookSecret,
            request!.headers['x-warden-signature'] as string,
            request!.body,
          ).ok,
        ).toBe(true);
        const notification = JSON.parse(request!.body);
        expect(notification).toMatchObject({
          type: 'alert.triggered',
          organizationId: orgA,
          eventCount: 3,
          categories: ['prompt_injection'],
        });
        // The burst goes on: the cooldown holds further notifications back.
        await ingestAndEvaluate(ingestKeyA, [scanEvent(), scanEvent(), scanEvent()]);
        expect(receiver.requests).toHaveLength(1);
        const alerts = await http.request('GET', `/v1/orgs/${orgA}/alerts`, owner);
        expect(alerts.body.alerts).toHaveLength(1);
        const deliveries = await http.request(
          'GET',
          `/v1/orgs/${orgA}/webhooks/${webhookId}/deliveries`,
          owner,
        );
        expect(deliveries.body.deliveries).toMatchObject([
          { attempt: 1, ok: true, status: 200, alertId: alerts.body.alerts[0].id },
        ]);
        const acknowledged = await http.request(
          'PATCH',
          `/v1/orgs/${orgA}/alerts/${alerts.body.alerts[0].id}`,
          {
            ...owner,
            body: { status: 'acknowledged' },
          },
        );
        expect(acknowledged.body.status).toBe('acknowledged');
        expect(
          (await http.request('GET', `/v1/orgs/${orgB}/alerts`, outsider)).body.alerts,
        ).toEqual([]);
        expect(
          (
            await http.request('PATCH', `/v1/orgs/${orgB}/alerts/${alerts.body.alerts[0].id}`, {
              ...outsider,
              body: { status: 'resolved' },
            })
          ).status,
        ).toBe(404);
      });

      it('retries failed deliveries and sends Slack-compatible payloads for critical findings', async () => {
        await http.request('POST', `/v1/orgs/${orgA}/alert-rules`, {
          ...owner,
          body: {
            name: 'Critical',
            condition: { kind: 'critical_finding' },
            webhookIds: [slackWebhookId],
          },
        });
        receiver.requests.length = 0;
        receiver.statuses.push(503);
        await ingestAndEvaluate(ingestKeyA, [
          scanEvent({ risk: 0.8 }),
          scanEvent({ risk: 0.97, categories: ['jailbreak'] }),
        ]);
        expect(receiver.requests).toHaveLength(2);
        const message = JSON.parse(receiver.requests[1]!.body);
        expect(message.text).toContain('Warden alert');
        expect(message.blocks[0].type).toBe('section');
        const log = await http.request(
          'GET',
          `/v1/orgs/${orgA}/webhooks/${slackWebhookId}/deliveries`,
          owner,
        );
        expect(
          log.body.deliveries.map((row: { attempt: number; status: number }) => [
            row.attempt,
            row.status,
          ]),
        ).toEqual([
          [2, 200],
          [1, 503],
        ]);
      });

      it('tests, rotates and deletes webhooks; refuses internal targets unless allowed', async () => {
        receiver.requests.length = 0;
        const tested = await http.request(
          'POST',
          `/v1/orgs/${orgA}/webhooks/${webhookId}/test`,
          owner,
        );
        expect(tested.status).toBe(200);
        expect(tested.body.attempts).toMatchObject([{ ok: true, status: 200 }]);
        const rotated = await http.request(
          'POST',
          `/v1/orgs/${orgA}/webhooks/${webhookId}/rotate-secret`,
          owner,
        );
        expect(rotated.body.secret).not.toBe(webhookSecret);
        await http.request('POST', `/v1/orgs/${orgA}/webhooks/${webhookId}/test`, owner);
        const [, second] = receiver.requests;
        expect(
          verifyWebhookSignature(
            rotated.body.secret,
            second!.headers['x-warden-signature'] as string,
            second!.body,
          ).ok,
        ).toBe(true);
        expect(
          verifyWebhookSignature(
            webhookSecret,
            second!.headers['x-warden-signature'] as string,
            second!.body,
          ).ok,
        ).toBe(false);
        // Another engine with the default setting refuses a target on an internal address.
        const strict = new AlertEngine({
          db: server.services.db,
          secretBox: features.secretBox,
          logger: pino({ level: 'silent' }),
          allowInternalWebhooks: false,
        });
        const refused = await strict.notify(orgA, webhookId, null);
        expect(refused).toMatchObject([{ ok: false, status: null }]);
        expect(refused[0]!.error).toContain('internal address');
        expect(receiver.requests).toHaveLength(2);
        // Other organisations cannot touch the webhook.
        expect(
          (
            await http.request(
              'POST',
              `/v1/orgs/${orgB}/webhooks/${webhookId}/rotate-secret`,
              outsider,
            )
          ).status,
        ).toBe(404);
        expect(
          (await http.request('DELETE', `/v1/orgs/${orgB}/webhooks/${webhookId}`, outsider)).status,
        ).toBe(404);
        const temporary = await http.request('POST', `/v1/orgs/${orgA}/webhooks`, {
          ...owner,
          body: { name: 'temporary', url: `${receiver.url}/temporary` },
        });
        const ruleWithTemporary = await http.request('POST', `/v1/orgs/${orgA}/alert-rules`, {
          ...owner,
          body: {
            name: 'temp',
            condition: { kind: 'critical_finding' },
            webhookIds: [temporary.body.id],
            enabled: false,
          },
        });
        expect(
          (await http.request('DELETE', `/v1/orgs/${orgA}/webhooks/${temporary.body.id}`, owner))
            .status,
        ).toBe(204);
        expect(
          await count('SELECT count(*) AS n FROM integration_secrets WHERE name LIKE $1', [
            `webhook:${temporary.body.id}:%`,
          ]),
        ).toBe(0);
        const after = await http.request(
          'GET',
          `/v1/orgs/${orgA}/alert-rules/${ruleWithTemporary.body.id}`,
          owner,
        );
        expect(after.body.webhookIds).toEqual([]);
        const patched = await http.request(
          'PATCH',
          `/v1/orgs/${orgA}/alert-rules/${ruleWithTemporary.body.id}`,
          {
            ...owner,
            body: { enabled: true, cooldownMinutes: 5 },
          },
        );
        expect(patched.body).toMatchObject({ enabled: true, cooldownMinutes: 5, name: 'temp' });
        const empty = await http.request(
          'PATCH',
          `/v1/orgs/${orgA}/alert-rules/${ruleWithTemporary.body.id}`,
          { ...owner, body: {} },
        );
        expect(empty.status).toBe(400);
        await http.request(
          'DELETE',
          `/v1/orgs/${orgA}/alert-rules/${ruleWithTemporary.body.id}`,
          owner,
        );
      });

      it('fires once when two replicas evaluate the same burst', async () => {
        const rule = await http.request('POST', `/v1/orgs/${orgA}/alert-rules`, {
          ...owner,
          body: {
            name: 'Replicas',
            condition: {
              kind: 'critical_finding',
              riskAbove: 0.5,
              filter: { agentId: 'replica-bot' },
            },
          },
        });
        const replicas = [0, 1].map(
          () =>
            new AlertEngine({
              db: server.services.db,
              secretBox: features.secretBox,
              logger: pino({ level: 'silent' }),
              allowInternalWebhooks: true,
            }),
        );
        const burst = [scanEvent({ agentId: 'replica-bot', risk: 0.9 })] as never[];
        const fired = await Promise.all(
          replicas.map((replica) => replica.evaluate(orgA, projectA, burst)),
        );
        expect(fired.flat()).toHaveLength(1);
        const alerts = (await http.request('GET', `/v1/orgs/${orgA}/alerts`, owner)).body.alerts;
        expect(
          alerts.filter((alert: { ruleId: string }) => alert.ruleId === rule.body.id),
        ).toHaveLength(1);
        await http.request('DELETE', `/v1/orgs/${orgA}/alert-rules/${rule.body.id}`, owner);
      });

      it('alerts on scans that failed open', async () => {
        const rule = await http.request('POST', `/v1/orgs/${orgA}/alert-rules`, {
          ...owner,
          body: { name: 'Fail open', condition: { kind: 'policy_fail_open' } },
        });
        await ingestAndEvaluate(ingestKeyA, [
          scanEvent({
            decision: 'alert',
            policyDecision: 'alert',
            risk: 0.2,
            failedLayers: ['l1'],
            matchedRule: 'policy.fail-open',
          }),
        ]);
        const alerts = (await http.request('GET', `/v1/orgs/${orgA}/alerts`, owner)).body.alerts;
        expect(alerts.some((alert: { ruleId: string }) => alert.ruleId === rule.body.id)).toBe(
          true,
        );
        const removed = await http.request(
          'DELETE',
          `/v1/orgs/${orgA}/alert-rules/${rule.body.id}`,
          owner,
        );
        expect(removed.status).toBe(204);
        expect(
          (await http.request('GET', `/v1/orgs/${orgA}/alert-rules/${rule.body.id}`, owner)).status,
        ).toBe(404);
      });
    });

    describe('secret key rotation', () => {
      it('re-seals every secret with the new key, and back', async () => {
        const oldRing = (await readFile(join(dataDir, SECRETS_KEY_FILE), 'utf8')).trim();
        const newKey = `k2:${randomBytes(32).toString('base64')}`;
        const rotated = createSecretBox(parseSecretKeyRing(`${newKey},${oldRing}`));
        const moved = await resealIntegrationSecrets(server.services.db, rotated);
        expect(moved).toBe(await count('SELECT count(*) AS n FROM integration_secrets'));
        expect(await resealIntegrationSecrets(server.services.db, rotated)).toBe(0);
        expect(
          await count(`SELECT count(*) AS n FROM integration_secrets WHERE key_id <> 'k2'`),
        ).toBe(0);
        const newOnly = createSecretBox(parseSecretKeyRing(newKey));
        const webhooks = await withOrganization(server.services.db, orgA, listWebhooks);
        const target = await withOrganization(server.services.db, orgA, (tx) =>
          loadWebhookTarget(tx, newOnly, { organizationId: orgA, webhookId: webhooks[0]!.id }),
        );
        expect(target?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
        await expect(
          withOrganization(server.services.db, orgA, (tx) =>
            loadWebhookTarget(tx, features.secretBox, {
              organizationId: orgA,
              webhookId: webhooks[0]!.id,
            }),
          ),
        ).rejects.toThrow(/not in the configured key ring/);
        // Back to the server's key, so the rest of the suite runs on it.
        await resealIntegrationSecrets(
          server.services.db,
          createSecretBox(parseSecretKeyRing(`${oldRing},${newKey}`)),
        );
        expect(
          await count(`SELECT count(*) AS n FROM integration_secrets WHERE key_id <> 'k1'`),
        ).toBe(0);
      });
    });

    describe('audit log', () => {
      it('records every configuration change with who, what and from where', async () => {
        const response = await http.request('GET', `/v1/orgs/${orgA}/audit?limit=500`, {
          ...owner,
          headers: { 'user-agent': 'audit-test' },
        });
        expect(response.status).toBe(200);
        const actions = response.body.entries.map((entry: AuditEntry) => entry.action);
        expect(actions).toEqual(
          expect.arrayContaining([
            'policy.create',
            'policy.version_create',
            'policy.publish',
            'webhook.create',
            'alert_rule.create',
            'alert.status_change',
          ]),
        );
        const publish = response.body.entries.find(
          (entry: AuditEntry) => entry.action === 'policy.publish',
        );
        expect(publish.actor).toEqual({ type: 'user', id: owner.userId });
        expect(publish.ip).toMatch(/127\.0\.0\.1/);
        expect(publish.userAgent).not.toBeNull();
        expect((await http.request('GET', `/v1/orgs/${orgA}/audit`, outsider)).status).toBe(404);
        const bad = await http.request('GET', `/v1/orgs/${orgA}/audit?limit=abc&what=1`, owner);
        expect(bad.status).toBe(400);
      });

      it('exports JSON lines that verify, and CEF', async () => {
        const exported = await exportAudit(orgA, 'jsonl');
        expect(exported.status).toBe(200);
        const entries = exported.text
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as AuditEntry);
        expect(entries.length).toBeGreaterThan(5);
        expect(await verifyAuditChain(entries)).toMatchObject({ ok: true });
        const cef = await exportAudit(orgA, 'cef');
        const lines = cef.text.trim().split('\n');
        expect(lines.every((line) => line.startsWith('CEF:0|Warden|Warden Control Plane|'))).toBe(
          true,
        );
        expect(lines.some((line) => line.includes('|audit.export|'))).toBe(true);
        expect(
          (await http.request('GET', `/v1/orgs/${orgA}/audit/export?format=xml`, owner)).status,
        ).toBe(400);
      });

      it('shows tampering with a stored entry in the export', async () => {
        const db = server.services.db;
        await db.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
        try {
          await db.query(
            `UPDATE audit_log SET details = '{"forged":true}' WHERE org_id = $1 AND sequence = 2`,
            [orgA],
          );
        } finally {
          await db.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
        }
        const exported = await exportAudit(orgA, 'jsonl');
        const entries = exported.text
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as AuditEntry);
        expect(await verifyAuditChain(entries)).toMatchObject({
          ok: false,
          reason: 'hash-mismatch',
          brokenAt: { sequence: 2 },
        });
      });
    });

    describe('retention', () => {
      it('purges what is older than each organisation plan allows, one replica at a time', async () => {
        const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
        const events = [scanEvent({ timestamp: old }), scanEvent({ timestamp: old }), scanEvent()];
        await ingest(ingestKeyA, events);
        await ingest(policyKeyB, [scanEvent({ timestamp: old })]);
        // Organisation B is on a 90-day plan: its 40-day-old event stays.
        await server.services.db.query(
          'UPDATE organizations SET retention_days = 90 WHERE id = $1',
          [orgB],
        );
        const before = await count('SELECT count(*) AS n FROM events WHERE org_id = $1', [orgA]);
        const [first, second] = await Promise.all([
          purgeExpiredData(server.services.db, { intervalMs: 3_600_000 }),
          purgeExpiredData(server.services.db, { intervalMs: 3_600_000 }),
        ]);
        expect([first.ran, second.ran].sort()).toEqual([false, true]);
        const ran = first.ran ? first : second;
        expect(ran.events).toBe(2);
        expect(await count('SELECT count(*) AS n FROM events WHERE org_id = $1', [orgA])).toBe(
          before - 2,
        );
        expect(await count('SELECT count(*) AS n FROM events WHERE org_id = $1', [orgB])).toBe(1);
        expect(
          await count(
            `SELECT count(*) AS n FROM event_rollups WHERE org_id = $1 AND bucket < now() - interval '30 days'`,
            [orgA],
          ),
        ).toBe(0);
        // Within the lease, another round (any replica) does nothing.
        expect((await purgeExpiredData(server.services.db, { intervalMs: 3_600_000 })).ran).toBe(
          false,
        );
        const audit = await http.request(
          'GET',
          `/v1/orgs/${orgA}/audit?action=retention.purge`,
          owner,
        );
        expect(audit.body.entries[0]).toMatchObject({
          actor: { type: 'system', id: 'retention' },
          details: { deleted: { events: 2 } },
        });
      });
    });

    describe('OpenAPI', () => {
      it('documents the feature routes', async () => {
        const paths = Object.keys((await http.request('GET', '/openapi.json')).body.paths);
        expect(paths).toEqual(
          expect.arrayContaining([
            '/v1/policy',
            '/v1/policy/keys',
            '/v1/orgs/{orgId}/policies/{policyId}/versions/{version}/publish',
            '/v1/orgs/{orgId}/alert-rules',
            '/v1/orgs/{orgId}/webhooks/{webhookId}/deliveries',
            '/v1/orgs/{orgId}/audit/export',
            '/.well-known/security.txt',
          ]),
        );
      });
    });

    describe('security.txt', () => {
      it('serves RFC 9116 fields with an Expires in the future, and the policy page', async () => {
        const response = await http.request('GET', '/.well-known/security.txt');
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain('text/plain');
        const text = response.body as string;
        expect(text).toContain('Contact: mailto:security@example.test\n');
        expect(text).toContain(`Canonical: ${server.url}/.well-known/security.txt\n`);
        expect(text).toContain(`Policy: ${server.url}/security\n`);
        expect(text).toContain('Preferred-Languages: en\n');
        expect(Date.parse(/Expires: (.+)/.exec(text)![1]!)).toBeGreaterThan(Date.now());
        const page = await http.request('GET', '/security');
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toContain('text/html');
        expect(page.body).toContain('security@example.test');
      });
    });
  });
}
