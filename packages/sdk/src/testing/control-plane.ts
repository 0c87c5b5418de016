import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanEvent } from '@warden/protocol';
import { loadConfig, type RunningServer, startServer } from '@warden/server';
import { client, OWNER_EMAIL, OWNER_PASSWORD } from '@warden/server/testing';

/** A stored event as `GET /v1/orgs/:orgId/events` lists it. */
export type StoredEvent = Omit<ScanEvent, 'argumentHashes' | 'toolName'> & {
  toolName: string | null;
  argumentHashes: Record<string, string> | null;
};

/** A real control plane for SDK tests, with a project and an API key. */
export interface TestControlPlane {
  /** Base URL; the same across `restart()`. */
  readonly url: string;
  /** A key of the project with the `ingest` and `policy:read` scopes. */
  readonly apiKey: string;
  readonly organizationId: string;
  readonly projectId: string;
  /** The data directory (embedded PostgreSQL on disk, keys). */
  readonly dataDir: string;
  /** Another key of the project with the given scopes. */
  createApiKey(scopes: ('ingest' | 'policy:read')[]): Promise<string>;
  /** Adds the document as the project's next policy version and publishes it. */
  publishPolicy(policy: object): Promise<void>;
  /** Every stored event of the organisation from the last day, newest first. */
  events(): Promise<StoredEvent[]>;
  /** Stops the server (connections refused from then on); the data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same data directory and port. */
  restart(): Promise<void>;
  /** Stops it and deletes its data. */
  close(): Promise<void>;
}

/**
 * Starts the real Warden server (embedded PostgreSQL in a temporary data directory on disk, so
 * a restart keeps the data) with a bootstrapped owner, a project and an API key, over HTTP on
 * 127.0.0.1. For SDK tests: no part of the server is mocked.
 * @example const plane = await startControlPlane(); const telemetry = createTelemetry({ endpoint: plane.url, apiKey: plane.apiKey })
 */
export async function startControlPlane(): Promise<TestControlPlane> {
  const dataDir = await mkdtemp(join(tmpdir(), 'warden-sdk-plane-'));
  let port = 0;
  let server: RunningServer | undefined;

  async function start(): Promise<RunningServer> {
    const environment: Record<string, string> = {
      WARDEN_PORT: String(port),
      WARDEN_HOST: '127.0.0.1',
      WARDEN_DATA_DIR: dataDir,
      WARDEN_BOOTSTRAP_EMAIL: OWNER_EMAIL,
      WARDEN_BOOTSTRAP_PASSWORD: OWNER_PASSWORD,
      WARDEN_BOOTSTRAP_ORG: 'SDK Test Org',
      WARDEN_LOG_LEVEL: 'silent',
    };
    const started = await startServer({
      config: loadConfig(environment),
      environment,
      processMetrics: false,
    });
    port = started.port;
    return started;
  }

  server = await start();
  const url = server.url;
  const http = client(url);
  let session = await http.login();
  const organizationId = session.organizations[0]?.id;
  if (organizationId === undefined) throw new Error('the bootstrapped owner has no organisation');
  const project = await http.request('POST', `/v1/orgs/${organizationId}/projects`, {
    ...session,
    body: { name: 'SDK tests' },
  });
  if (project.status !== 201) throw new Error(`creating a project: ${project.status}`);
  const projectId = project.body.id as string;

  async function createApiKey(scopes: ('ingest' | 'policy:read')[]): Promise<string> {
    const response = await http.request(
      'POST',
      `/v1/orgs/${organizationId}/projects/${projectId}/keys`,
      { ...session, body: { name: scopes.join('-'), scopes } },
    );
    if (response.status !== 201) throw new Error(`creating an API key: ${response.status}`);
    return response.body.key as string;
  }

  const apiKey = await createApiKey(['ingest', 'policy:read']);
  let policyId: string | undefined;

  /** A request in the owner's session, signing in again once if the session is gone. */
  async function asOwner(method: string, path: string, body?: unknown) {
    let response = await http.request(method, path, {
      ...session,
      ...(body === undefined ? {} : { body }),
    });
    if (response.status === 401) {
      session = await http.login();
      response = await http.request(method, path, {
        ...session,
        ...(body === undefined ? {} : { body }),
      });
    }
    return response;
  }

  return {
    url,
    apiKey,
    organizationId,
    projectId,
    dataDir,
    createApiKey,
    async publishPolicy(policy) {
      let version: number;
      if (policyId === undefined) {
        const created = await asOwner('POST', `/v1/orgs/${organizationId}/policies`, {
          name: 'sdk-tests',
          projectId,
          document: policy,
        });
        if (created.status !== 201) {
          throw new Error(`creating the policy: ${created.status} ${JSON.stringify(created.body)}`);
        }
        policyId = created.body.id as string;
        version = created.body.latestVersion as number;
      } else {
        const added = await asOwner(
          'POST',
          `/v1/orgs/${organizationId}/policies/${policyId}/versions`,
          { document: policy },
        );
        if (added.status !== 201 && added.status !== 200) {
          throw new Error(`adding a policy version: ${added.status} ${JSON.stringify(added.body)}`);
        }
        version = added.body.version as number;
      }
      const published = await asOwner(
        'POST',
        `/v1/orgs/${organizationId}/policies/${policyId}/versions/${version}/publish`,
      );
      if (published.status !== 201) throw new Error(`publishing: ${published.status}`);
    },
    async events() {
      const events: StoredEvent[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
        const page = await asOwner('GET', `/v1/orgs/${organizationId}/events?limit=500${query}`);
        if (page.status !== 200) throw new Error(`listing events: ${page.status}`);
        events.push(...(page.body.events as StoredEvent[]));
        cursor = page.body.nextCursor as string | null;
      } while (cursor !== null);
      return events;
    },
    async stop() {
      await server?.close();
      server = undefined;
    },
    async restart() {
      await server?.close();
      server = await start();
    },
    async close() {
      await server?.close();
      server = undefined;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
