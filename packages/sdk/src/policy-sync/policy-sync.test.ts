import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  canonicalJson,
  POLICY_BUNDLE_FORMAT,
  type PolicyBundle,
  policyBundleSigningInput,
} from '@warden/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type TestControlPlane } from '../testing/control-plane.js';
import {
  createPolicySync,
  POLICY_BUNDLE_FILE,
  POLICY_TRUST_FILE,
  type PolicySync,
  type PolicySyncOptions,
} from './policy-sync.js';

const POLICY_V1 = { version: 1, name: 'sdk-sync', severityActions: { medium: 'block' } };
const POLICY_V2 = { ...POLICY_V1, minScore: 0.7 };

function codes(errors: Error[]): string[] {
  return errors.map((error) => (error as { code?: string }).code ?? error.message);
}

describe('policy sync against the control plane', () => {
  let plane: TestControlPlane;
  let directory: string;
  const syncs: PolicySync[] = [];

  beforeAll(async () => {
    plane = await startControlPlane();
    directory = await mkdtemp(join(tmpdir(), 'warden-policy-sync-'));
  }, 60_000);

  afterAll(async () => {
    for (const sync of syncs) sync.stop();
    await plane?.close();
    await rm(directory, { recursive: true, force: true });
  }, 30_000);

  function open(options: Partial<PolicySyncOptions> = {}) {
    const received: { policy: Record<string, unknown>; bundle: PolicyBundle }[] = [];
    const errors: Error[] = [];
    const sync = createPolicySync({
      endpoint: plane.url,
      apiKey: plane.apiKey,
      requestTimeoutMs: 2000,
      onPolicy: (policy, bundle) => received.push({ policy, bundle }),
      onError: (error) => errors.push(error),
      ...options,
    });
    syncs.push(sync);
    return { sync, received, errors };
  }

  it('keeps the built-in policy while none is published, then takes the signed one', async () => {
    const cacheDir = join(directory, 'tofu');
    const { sync, received, errors } = open({ cacheDir });
    await sync.start();
    expect(sync.current()).toBeUndefined();
    expect(await sync.refresh()).toBe('none');

    await plane.publishPolicy(POLICY_V1);
    expect(await sync.refresh()).toBe('updated');
    expect(received.map((entry) => entry.policy)).toEqual([POLICY_V1]);
    expect(sync.current()).toMatchObject({
      organizationId: plane.organizationId,
      version: 1,
      format: POLICY_BUNDLE_FORMAT,
    });
    // ETag and If-None-Match: nothing new, nothing delivered.
    expect(await sync.refresh()).toBe('unchanged');
    await plane.publishPolicy(POLICY_V2);
    expect(await sync.refresh()).toBe('updated');
    expect(received.map((entry) => entry.bundle.version)).toEqual([1, 2]);
    expect(errors).toEqual([]);
    // Trust on first use: the key and organisation are kept beside the bundle, privately.
    const trust = JSON.parse(await readFile(join(cacheDir, POLICY_TRUST_FILE), 'utf8'));
    expect(trust.organizationId).toBe(plane.organizationId);
    expect(Object.keys(trust.keys)).toEqual([sync.current()!.keyId]);
    sync.stop();
  });

  it('starts from the verified cache while the control plane is down', async () => {
    const cacheDir = join(directory, 'tofu');
    await plane.stop();
    try {
      const { sync, received, errors } = open({ cacheDir });
      await sync.start();
      expect(received.map((entry) => entry.policy)).toEqual([POLICY_V2]);
      expect(sync.current()?.version).toBe(2);
      expect(codes(errors)).toEqual(['WARDEN_POLICY_SYNC_UNAVAILABLE']);
      sync.stop();
    } finally {
      await plane.restart();
    }
  });

  it('refuses a tampered cache file and keeps the built-in policy', async () => {
    const cacheDir = join(directory, 'tofu');
    const path = join(cacheDir, POLICY_BUNDLE_FILE);
    const cached = JSON.parse(await readFile(path, 'utf8'));
    const tamperedDir = join(directory, 'tampered');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(tamperedDir, { recursive: true });
    await writeFile(
      join(tamperedDir, POLICY_BUNDLE_FILE),
      JSON.stringify({
        ...cached,
        bundle: { ...cached.bundle, policy: { ...cached.bundle.policy, minScore: 0.99 } },
      }),
    );
    await writeFile(
      join(tamperedDir, POLICY_TRUST_FILE),
      await readFile(join(cacheDir, POLICY_TRUST_FILE)),
    );
    await plane.stop();
    try {
      const { sync, received, errors } = open({ cacheDir: tamperedDir });
      await sync.start();
      expect(received).toEqual([]);
      expect(sync.current()).toBeUndefined();
      expect(codes(errors)[0]).toBe('WARDEN_POLICY_SYNC_CACHE_INVALID');
      expect(errors[0]!.message).toContain('content hash');
      sync.stop();
    } finally {
      await plane.restart();
    }
  });

  it('verifies with pinned keys: a bundle signed by another key is refused, the last good one stays', async () => {
    const { keys } = (await (await fetch(`${plane.url}/v1/policy/keys`)).json()) as {
      keys: { keyId: string; publicKey: string }[];
    };
    const pinned = open({
      publicKeys: Object.fromEntries(keys.map((key) => [key.keyId, key.publicKey])),
    });
    expect(await pinned.sync.refresh()).toBe('updated');

    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
    const wrong = open({ publicKeys: { '0000000000000000': other } });
    expect(await wrong.sync.refresh()).toBe('failed');
    expect(codes(wrong.errors)).toEqual(['WARDEN_POLICY_SYNC_REJECTED']);
    expect(wrong.errors[0]!.message).toContain('not pinned');
    expect(wrong.sync.current()).toBeUndefined();
  });

  it('refuses a bundle of another organisation', async () => {
    const { sync, errors } = open({ organizationId: randomUUID() });
    expect(await sync.refresh()).toBe('failed');
    expect(codes(errors)).toEqual(['WARDEN_POLICY_SYNC_REJECTED']);
    expect(errors[0]!.message).toContain(plane.organizationId);
  });

  it('reports a key without policy:read', async () => {
    const { sync, errors } = open({ apiKey: await plane.createApiKey(['ingest']) });
    expect(await sync.refresh()).toBe('failed');
    expect(codes(errors)).toEqual(['WARDEN_POLICY_SYNC_UNAUTHORIZED']);
  });
});

/** Bundles signed by a key of the test's own, served by node:http: cases the real server never produces. */
describe('policy sync refusing bad bundles', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const keyId = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  const organizationId = randomUUID();

  function signed(policy: Record<string, unknown>, issuedAt: string): PolicyBundle {
    const unsigned = {
      format: POLICY_BUNDLE_FORMAT as typeof POLICY_BUNDLE_FORMAT,
      organizationId,
      versionId: randomUUID(),
      version: 1,
      contentHash: createHash('sha256').update(canonicalJson(policy)).digest('hex'),
      policy,
      issuedAt,
      algorithm: 'Ed25519' as const,
      keyId,
    };
    const signature = sign(
      null,
      Buffer.from(policyBundleSigningInput(unsigned)),
      privateKey,
    ).toString('base64url');
    return { ...unsigned, signature };
  }

  it('refuses a policy the scanner rejects, and a replayed older bundle', async () => {
    const served: PolicyBundle[] = [];
    const server = createServer((_request, response) => {
      const bundle = served.shift();
      if (bundle === undefined) response.writeHead(404).end();
      else
        response
          .writeHead(200, { 'content-type': 'application/json', etag: `"${bundle.versionId}"` })
          .end(JSON.stringify(bundle));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const received: Record<string, unknown>[] = [];
      const errors: Error[] = [];
      const sync = createPolicySync({
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        apiKey: 'wdn_test',
        publicKeys: { [keyId]: new Uint8Array(raw) },
        onPolicy: (policy) => received.push(policy),
        onError: (error) => errors.push(error),
      });
      served.push(
        signed({ version: 1, severityActions: { high: 'blok' } }, '2026-11-26T10:00:00Z'),
      );
      expect(await sync.refresh()).toBe('failed');
      expect(errors[0]!.message).toContain('policy is invalid');

      served.push(signed(POLICY_V1, '2026-11-26T11:00:00Z'));
      expect(await sync.refresh()).toBe('updated');
      served.push(signed(POLICY_V2, '2026-11-26T09:00:00Z'));
      expect(await sync.refresh()).toBe('failed');
      expect(errors[1]!.message).toContain('older than the one in use');
      served.push(signed(POLICY_V2, '2026-11-26T12:00:00Z'));
      expect(await sync.refresh()).toBe('updated');
      expect(received).toEqual([POLICY_V1, POLICY_V2]);
      expect(codes(errors)).toEqual(['WARDEN_POLICY_SYNC_REJECTED', 'WARDEN_POLICY_SYNC_REJECTED']);
      sync.stop();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses pinned keys that are not 32-byte Ed25519 keys', () => {
    expect(() =>
      createPolicySync({
        endpoint: 'http://127.0.0.1:1',
        apiKey: 'k',
        publicKeys: { a: 'c2hvcnQ' },
        onPolicy: () => {},
      }),
    ).toThrow(/32/);
  });
});
