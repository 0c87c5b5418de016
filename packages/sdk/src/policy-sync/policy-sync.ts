import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type PolicyBundle, verifyPolicyBundle } from '@warden/protocol';
import { parsePolicy } from '@warden/scanner';
import { WardenSdkError } from '../errors.js';
import { ControlPlaneError, type ControlPlaneErrorCode } from '../telemetry/control-plane-error.js';
import { controlPlaneUrl, requestControlPlane } from '../telemetry/http.js';

/** Options of `createPolicySync`. */
export interface PolicySyncOptions {
  /** The control plane's base URL. */
  endpoint: string;
  /** A project API key with the `policy:read` scope. */
  apiKey: string;
  /** Keeps the last good bundle (and, without `publicKeys`, the keys trusted on first use). */
  cacheDir?: string;
  /**
   * Ed25519 public keys that may sign bundles, by key id (raw 32 bytes or base64url), as
   * `GET /v1/policy/keys` lists them. Recommended: without them the keys the control plane
   * presents the first time are trusted and kept (trust on first use).
   */
  publicKeys?: Record<string, Uint8Array | string>;
  /**
   * The organisation the bundles must belong to (from `GET /v1/sdk/config`, e.g. the
   * telemetry's identity). Without it, the first verified bundle's organisation is kept.
   */
  organizationId?: string | (() => string | undefined);
  /** How often to check for a new policy (default 30,000 ms; the timer never keeps the process alive). */
  intervalMs?: number;
  fetch?: typeof fetch;
  /** Deadline of one request (default 5,000 ms). */
  requestTimeoutMs?: number;
  /** Called with each new verified policy that `parsePolicy` accepts. */
  onPolicy: (policy: Record<string, unknown>, bundle: PolicyBundle) => void;
  /** Told about every failure and refused bundle. Default: nothing. */
  onError?: (error: Error) => void;
}

/** What a refresh did. */
export type PolicyRefreshOutcome = 'updated' | 'unchanged' | 'none' | 'failed';

/** Keeps the project's signed policy current. */
export interface PolicySync {
  /** Loads the cached bundle (verified again), then fetches once; a failed fetch does not reject. */
  start(): Promise<void>;
  /** Fetches now. Never rejects. */
  refresh(): Promise<PolicyRefreshOutcome>;
  /** Stops the periodic refresh. */
  stop(): void;
  /** The bundle in use, when there is one. */
  current(): PolicyBundle | undefined;
}

/** Files in the cache directory. */
export const POLICY_BUNDLE_FILE = 'policy-bundle.json';
export const POLICY_TRUST_FILE = 'policy-trust.json';

const BASE64URL_KEY = /^[A-Za-z0-9_-]{43}$/;

/**
 * Creates a policy sync: polls `GET /v1/policy` with `If-None-Match`, verifies each bundle's
 * Ed25519 signature, organisation, policy schema and recency before handing it to `onPolicy`,
 * and keeps the last good one on disk so a restart scans with it while the control plane is
 * unreachable. A bad bundle is refused through `onError`; the last good policy stays.
 * @example const sync = createPolicySync({ endpoint, apiKey, publicKeys, onPolicy: (p) => rebuild(p) }); await sync.start()
 */
export function createPolicySync(options: PolicySyncOptions): PolicySync {
  try {
    new URL(options.endpoint);
  } catch (cause) {
    throw new WardenSdkError(
      'WARDEN_SDK_OPTIONS_INVALID',
      `policy sync endpoint "${options.endpoint}" is not a URL`,
      { cause },
    );
  }
  const pinned = options.publicKeys === undefined ? undefined : decodeKeys(options.publicKeys);
  const intervalMs = options.intervalMs ?? 30_000;
  if (!Number.isInteger(intervalMs) || intervalMs < 1) {
    throw new WardenSdkError(
      'WARDEN_SDK_OPTIONS_INVALID',
      `policy sync intervalMs must be a positive whole number; got ${intervalMs}`,
    );
  }
  const fetchFunction = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.requestTimeoutMs ?? 5000;
  const onError = options.onError ?? (() => {});
  let trust: { keys: Record<string, Uint8Array>; organizationId?: string } = { keys: {} };
  let current: PolicyBundle | undefined;
  let etag: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let started: Promise<void> | undefined;
  let inFlight: Promise<PolicyRefreshOutcome> | undefined;
  let stopped = false;

  function report(code: ControlPlaneErrorCode, message: string, cause?: unknown, status?: number) {
    try {
      onError(
        new ControlPlaneError(code, message, {
          ...(cause === undefined ? {} : { cause }),
          ...(status === undefined ? {} : { status }),
        }),
      );
    } catch {
      // A throwing handler must not stop the sync.
    }
  }

  function expectedOrganization(): string | undefined {
    const configured =
      typeof options.organizationId === 'function'
        ? options.organizationId()
        : options.organizationId;
    return configured ?? trust.organizationId;
  }

  /** Everything but the transport: signature, organisation, schema, recency. Error message or bundle. */
  async function check(value: unknown): Promise<{ bundle: PolicyBundle } | { problem: string }> {
    const verification = await verifyPolicyBundle(value, pinned ?? trust.keys);
    if (!verification.ok) {
      return {
        problem:
          verification.reason === 'unknown-key'
            ? `${verification.message}: the bundle is signed by a key that is not pinned; add it to publicKeys${pinned === undefined && options.cacheDir !== undefined ? ` (or delete ${join(options.cacheDir, POLICY_TRUST_FILE)} to trust the control plane's current keys)` : ''}`
            : verification.message,
      };
    }
    const { bundle } = verification;
    const organizationId = expectedOrganization();
    if (organizationId !== undefined && bundle.organizationId !== organizationId) {
      return {
        problem: `the bundle belongs to organisation ${bundle.organizationId}, not ${organizationId}`,
      };
    }
    try {
      parsePolicy(bundle.policy);
    } catch (error) {
      return { problem: `the bundle's policy is invalid: ${(error as Error).message}` };
    }
    return { bundle };
  }

  function accept(bundle: PolicyBundle): void {
    current = bundle;
    try {
      options.onPolicy(bundle.policy, bundle);
    } catch (error) {
      report('WARDEN_POLICY_SYNC_REJECTED', 'onPolicy threw while applying a new policy', error);
    }
  }

  async function loadCache(directory: string): Promise<void> {
    if (pinned === undefined) {
      const stored = await readJson(join(directory, POLICY_TRUST_FILE));
      if (stored !== undefined) {
        const parsed = parseTrust(stored);
        if (parsed === undefined) {
          report(
            'WARDEN_POLICY_SYNC_CACHE_INVALID',
            `${join(directory, POLICY_TRUST_FILE)} is not a trust file; ignoring it`,
          );
        } else trust = parsed;
      }
    } else {
      // The organisation pinned with the first bundle still counts with pinned keys.
      const stored = await readJson(join(directory, POLICY_TRUST_FILE));
      const parsed = stored === undefined ? undefined : parseTrust(stored);
      if (parsed?.organizationId !== undefined) trust.organizationId = parsed.organizationId;
    }
    const cached = await readJson(join(directory, POLICY_BUNDLE_FILE));
    if (cached === undefined) return;
    const record = (cached ?? {}) as { etag?: unknown; bundle?: unknown };
    const outcome = await check(record.bundle);
    if ('problem' in outcome) {
      report(
        'WARDEN_POLICY_SYNC_CACHE_INVALID',
        `the cached policy in ${join(directory, POLICY_BUNDLE_FILE)} was refused (${outcome.problem}); keeping the built-in policy until the control plane answers`,
      );
      return;
    }
    etag = typeof record.etag === 'string' ? record.etag : undefined;
    accept(outcome.bundle);
  }

  async function saveTrust(): Promise<void> {
    if (options.cacheDir === undefined) return;
    await writeJson(options.cacheDir, POLICY_TRUST_FILE, {
      keys: Object.fromEntries(
        Object.entries(trust.keys).map(([id, key]) => [id, Buffer.from(key).toString('base64url')]),
      ),
      ...(trust.organizationId === undefined ? {} : { organizationId: trust.organizationId }),
    });
  }

  /** Trust on first use: the keys the control plane lists now, kept from then on. */
  async function trustKeys(): Promise<boolean> {
    const response = await requestControlPlane(
      fetchFunction,
      controlPlaneUrl(options.endpoint, '/v1/policy/keys'),
      { method: 'GET', apiKey: options.apiKey },
      timeoutMs,
    );
    const keys: Record<string, Uint8Array> = {};
    if (response.ok && response.status === 200) {
      const listed = (response.body as { keys?: unknown }).keys;
      for (const entry of Array.isArray(listed) ? listed : []) {
        const { keyId, publicKey } = entry as { keyId?: unknown; publicKey?: unknown };
        if (
          typeof keyId === 'string' &&
          typeof publicKey === 'string' &&
          BASE64URL_KEY.test(publicKey)
        ) {
          keys[keyId] = new Uint8Array(Buffer.from(publicKey, 'base64url'));
        }
      }
    }
    if (Object.keys(keys).length === 0) {
      report(
        'WARDEN_POLICY_SYNC_UNAVAILABLE',
        `could not fetch the policy signing keys from ${options.endpoint}/v1/policy/keys (${response.ok ? response.status : response.error.message})`,
        response.ok ? undefined : response.error,
      );
      return false;
    }
    trust.keys = keys;
    await saveTrust().catch((error: unknown) =>
      report('WARDEN_POLICY_SYNC_CACHE_INVALID', 'could not keep the trusted keys', error),
    );
    return true;
  }

  async function fetchPolicy(): Promise<PolicyRefreshOutcome> {
    const response = await requestControlPlane(
      fetchFunction,
      controlPlaneUrl(options.endpoint, '/v1/policy'),
      {
        method: 'GET',
        apiKey: options.apiKey,
        ...(etag === undefined || current === undefined
          ? {}
          : { headers: { 'if-none-match': etag } }),
      },
      timeoutMs,
    );
    if (!response.ok) {
      report(
        'WARDEN_POLICY_SYNC_UNAVAILABLE',
        `could not fetch the policy from ${options.endpoint}: ${response.error.message}; scanning with the ${current === undefined ? 'built-in' : 'last good'} policy`,
        response.error,
      );
      return 'failed';
    }
    const { status } = response;
    if (status === 304) return 'unchanged';
    if (status === 404) return 'none';
    if (status === 401 || status === 403) {
      report(
        'WARDEN_POLICY_SYNC_UNAUTHORIZED',
        `the control plane refused the API key for policy sync (${status}); use a project key with the policy:read scope`,
        undefined,
        status,
      );
      return 'failed';
    }
    if (status !== 200) {
      report(
        'WARDEN_POLICY_SYNC_UNAVAILABLE',
        `the control plane answered ${status} to GET /v1/policy`,
        undefined,
        status,
      );
      return 'failed';
    }
    if (pinned === undefined && Object.keys(trust.keys).length === 0 && !(await trustKeys())) {
      return 'failed';
    }
    const outcome = await check(response.body);
    if ('problem' in outcome) {
      report(
        'WARDEN_POLICY_SYNC_REJECTED',
        `refused the policy bundle from ${options.endpoint}: ${outcome.problem}; keeping the ${current === undefined ? 'built-in' : 'last good'} policy`,
      );
      return 'failed';
    }
    const { bundle } = outcome;
    if (
      current !== undefined &&
      bundle.versionId === current.versionId &&
      bundle.issuedAt === current.issuedAt
    ) {
      etag = response.headers.get('etag') ?? etag;
      return 'unchanged';
    }
    // A bundle signed before the one in use is a replay (publishing an older version again is
    // signed anew, so it carries a newer issuedAt and is accepted).
    if (current !== undefined && Date.parse(bundle.issuedAt) < Date.parse(current.issuedAt)) {
      report(
        'WARDEN_POLICY_SYNC_REJECTED',
        `refused a policy bundle issued at ${bundle.issuedAt}, older than the one in use (${current.issuedAt}): a replayed bundle; keeping the current policy`,
      );
      return 'failed';
    }
    etag = response.headers.get('etag') ?? undefined;
    if (trust.organizationId === undefined) {
      trust.organizationId = bundle.organizationId;
      await saveTrust().catch((error: unknown) =>
        report('WARDEN_POLICY_SYNC_CACHE_INVALID', 'could not keep the organisation id', error),
      );
    }
    if (options.cacheDir !== undefined) {
      await writeJson(options.cacheDir, POLICY_BUNDLE_FILE, {
        ...(etag === undefined ? {} : { etag }),
        bundle,
      }).catch((error: unknown) =>
        report('WARDEN_POLICY_SYNC_CACHE_INVALID', 'could not keep the policy bundle', error),
      );
    }
    accept(bundle);
    return 'updated';
  }

  const sync: PolicySync = {
    start() {
      started ??= (async () => {
        if (options.cacheDir !== undefined) {
          await loadCache(options.cacheDir).catch((error: unknown) =>
            report('WARDEN_POLICY_SYNC_CACHE_INVALID', 'could not read the policy cache', error),
          );
        }
        await sync.refresh();
        if (!stopped) {
          timer = setInterval(() => {
            sync.refresh().catch(() => {});
          }, intervalMs);
          timer.unref();
        }
      })();
      return started;
    },
    refresh() {
      if (stopped) return Promise.resolve('failed');
      inFlight ??= fetchPolicy()
        .catch((error: unknown): PolicyRefreshOutcome => {
          report('WARDEN_POLICY_SYNC_UNAVAILABLE', 'policy refresh failed', error);
          return 'failed';
        })
        .finally(() => {
          inFlight = undefined;
        });
      return inFlight;
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
    current: () => current,
  };
  return sync;
}

function decodeKeys(keys: Record<string, Uint8Array | string>): Record<string, Uint8Array> {
  const decoded: Record<string, Uint8Array> = {};
  for (const [keyId, key] of Object.entries(keys)) {
    const bytes = typeof key === 'string' ? new Uint8Array(Buffer.from(key, 'base64url')) : key;
    if (bytes.length !== 32) {
      throw new WardenSdkError(
        'WARDEN_SDK_OPTIONS_INVALID',
        `publicKeys.${keyId} is ${bytes.length} bytes; an Ed25519 public key is 32 (raw, or base64url as GET /v1/policy/keys lists it)`,
      );
    }
    decoded[keyId] = bytes;
  }
  return decoded;
}

function parseTrust(
  value: unknown,
): { keys: Record<string, Uint8Array>; organizationId?: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as { keys?: unknown; organizationId?: unknown };
  if (typeof record.keys !== 'object' || record.keys === null) return undefined;
  const keys: Record<string, Uint8Array> = {};
  for (const [keyId, key] of Object.entries(record.keys as Record<string, unknown>)) {
    if (typeof key !== 'string' || !BASE64URL_KEY.test(key)) return undefined;
    keys[keyId] = new Uint8Array(Buffer.from(key, 'base64url'));
  }
  return {
    keys,
    ...(typeof record.organizationId === 'string' ? { organizationId: record.organizationId } : {}),
  };
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return null; // present but unreadable: refused by the caller's checks
  }
}

async function writeJson(directory: string, name: string, value: unknown): Promise<void> {
  await mkdir(directory, { recursive: true });
  const path = join(directory, name);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(value), { mode: 0o600 });
  await rename(temporary, path);
}
