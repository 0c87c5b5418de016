import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server.js';
import { ARGUMENT_HASH_KEY_SECRET } from '../services/sdk-config.js';
import {
  type Credentials,
  client,
  startTestServer,
  type TestServerOptions,
} from '../testing/harness.js';

type Session = Credentials & { userId: string; organizations: { id: string; role: string }[] };

/** `GET /v1/sdk/config` over real HTTP: run on the embedded database and on PostgreSQL. */
export function describeSdkConfig(
  name: string,
  options: () => Promise<TestServerOptions & { cleanup?: () => Promise<void> }>,
  enabled = true,
): void {
  (enabled ? describe : describe.skip)(name, () => {
    let server: RunningServer;
    let http: ReturnType<typeof client>;
    let owner: Session;
    let orgA: string;
    let orgB: string;
    let projectA: string;
    let ingestKeyA: string;
    let ingestKeyA2: string;
    let policyOnlyKeyA: string;
    let ingestKeyB: string;
    let cleanup: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      const { cleanup: drop, ...serverOptions } = await options();
      cleanup = drop;
      server = await startTestServer(serverOptions);
      http = client(server.url);
      owner = await http.login();
      orgA = owner.organizations[0]!.id;
      orgB = (await http.request('POST', '/v1/orgs', { ...owner, body: { name: 'SDK B' } })).body
        .id;
      const project = async (organizationId: string, projectName: string) =>
        (
          await http.request('POST', `/v1/orgs/${organizationId}/projects`, {
            ...owner,
            body: { name: projectName },
          })
        ).body.id as string;
      const key = async (organizationId: string, projectId: string, scopes: string[]) =>
        (
          await http.request('POST', `/v1/orgs/${organizationId}/projects/${projectId}/keys`, {
            ...owner,
            body: { name: scopes.join('-'), scopes },
          })
        ).body.key as string;
      projectA = await project(orgA, 'SDK A');
      const projectA2 = await project(orgA, 'SDK A2');
      const projectB = await project(orgB, 'SDK B app');
      ingestKeyA = await key(orgA, projectA, ['ingest', 'policy:read']);
      ingestKeyA2 = await key(orgA, projectA2, ['ingest']);
      policyOnlyKeyA = await key(orgA, projectA, ['policy:read']);
      ingestKeyB = await key(orgB, projectB, ['ingest']);
    }, 120_000);

    afterAll(async () => {
      await server?.close();
      await cleanup?.();
    }, 60_000);

    it("returns the organisation's argument hash key, the same on every call and project", async () => {
      const first = await http.request('GET', '/v1/sdk/config', { apiKey: ingestKeyA });
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('no-store');
      expect(first.body).toEqual({
        organizationId: orgA,
        projectId: projectA,
        argumentHashKey: {
          id: expect.stringMatching(/^[a-f0-9]{16}$/),
          key: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        },
      });
      const raw = Buffer.from(first.body.argumentHashKey.key, 'base64url');
      expect(raw.length).toBe(32);
      expect(first.body.argumentHashKey.id).toBe(
        createHash('sha256').update(raw).digest('hex').slice(0, 16),
      );
      const again = await http.request('GET', '/v1/sdk/config', { apiKey: ingestKeyA });
      expect(again.body.argumentHashKey).toEqual(first.body.argumentHashKey);
      const otherProject = await http.request('GET', '/v1/sdk/config', { apiKey: ingestKeyA2 });
      expect(otherProject.body.argumentHashKey).toEqual(first.body.argumentHashKey);
    });

    it('makes one key per organisation even when first requests race', async () => {
      const responses = await Promise.all(
        Array.from({ length: 5 }, () =>
          http.request('GET', '/v1/sdk/config', { apiKey: ingestKeyB }),
        ),
      );
      const keys = new Set(responses.map((response) => response.body.argumentHashKey.key));
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
      expect(keys.size).toBe(1);
      const keyA = (await http.request('GET', '/v1/sdk/config', { apiKey: ingestKeyA })).body
        .argumentHashKey.key;
      expect(keys.has(keyA)).toBe(false);
      expect(responses[0]!.body.organizationId).toBe(orgB);
    });

    it('stores the key sealed, never in the clear', async () => {
      const key = (await http.request('GET', '/v1/sdk/config', { apiKey: ingestKeyA })).body
        .argumentHashKey.key as string;
      const rows = await server.services.db.query<{ ciphertext: string }>(
        'SELECT ciphertext FROM integration_secrets WHERE org_id = $1 AND name = $2',
        [orgA, ARGUMENT_HASH_KEY_SECRET],
      );
      expect(rows.rows).toHaveLength(1);
      expect(rows.rows[0]!.ciphertext).toMatch(/^wsb1\./);
      expect(rows.rows[0]!.ciphertext).not.toContain(key);
    });

    it('refuses a missing key with 401 and a key without the ingest scope with 403', async () => {
      const anonymous = await http.request('GET', '/v1/sdk/config');
      expect(anonymous.status).toBe(401);
      const wrong = await http.request('GET', '/v1/sdk/config', {
        apiKey: 'wdn_AAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      });
      expect(wrong.status).toBe(401);
      const policyOnly = await http.request('GET', '/v1/sdk/config', { apiKey: policyOnlyKeyA });
      expect(policyOnly.status).toBe(403);
      expect(policyOnly.body.error.message).toContain('ingest');
      const session = await http.request('GET', '/v1/sdk/config', owner);
      expect(session.status).toBe(401);
    });

    it('is described in the OpenAPI document', async () => {
      const document = (await http.request('GET', '/openapi.json')).body;
      const operation = document.paths['/v1/sdk/config'].get;
      expect(Object.keys(operation.responses)).toEqual(
        expect.arrayContaining(['200', '401', '403']),
      );
    });
  });
}
