import { z } from 'zod';

// Present in every runtime the SDK targets; declared here because this package compiles
// without DOM or Node types.
declare const TextEncoder: new () => { encode(input: string): Uint8Array };

const HEX_DIGEST = /^[a-f0-9]{64}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The `format` tag of a policy bundle; a new format gets a new tag, never a changed meaning. */
export const POLICY_BUNDLE_FORMAT = 'warden.policy-bundle/1';

/**
 * A published policy version as SDKs and gateways pull it from `GET /v1/policy`: the policy
 * document, its SHA-256 content hash and an Ed25519 signature by the control plane over the
 * canonical JSON of every other field (see `policyBundleSigningInput`).
 */
export const PolicyBundleSchema = z
  .object({
    format: z.literal(POLICY_BUNDLE_FORMAT),
    /** The organisation the bundle belongs to; signed so a bundle cannot be replayed to another. */
    organizationId: z.string().min(1).max(128),
    /** Id of the immutable policy version (a UUID). */
    versionId: z.uuid(),
    /** Sequence number of the version within its policy, from 1. */
    version: z.number().int().min(1),
    /** SHA-256 (hex) of `canonicalJson(policy)`. */
    contentHash: z.string().regex(HEX_DIGEST),
    /** The policy document, as `parsePolicy` of `@warden/scanner` accepts it. */
    policy: z.record(z.string(), z.unknown()),
    issuedAt: z.iso.datetime({ offset: true }),
    algorithm: z.literal('Ed25519'),
    /** First 16 hex digits of the SHA-256 of the raw public key: which key to verify with. */
    keyId: z.string().regex(/^[a-f0-9]{16}$/),
    /** Ed25519 signature (base64url, no padding) of `policyBundleSigningInput(bundle)`. */
    signature: z.string().regex(BASE64URL).length(86),
  })
  .strict();

export type PolicyBundle = z.infer<typeof PolicyBundleSchema>;

/**
 * Serialises a JSON value canonically (RFC 8785 style): object keys sorted by UTF-16 code
 * units, no whitespace, numbers and strings as `JSON.stringify` writes them. Two parties that
 * hold the same value get the same bytes, which is what hashes and signatures need.
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not JSON`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        // Like JSON.stringify, a property holding undefined is absent.
        .filter((key) => record[key] !== undefined)
        .sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} is not JSON`);
  }
}

/**
 * The exact string a policy bundle's signature covers: the canonical JSON of the bundle
 * without its `signature` field.
 * @example const input = policyBundleSigningInput(bundle)
 */
export function policyBundleSigningInput(bundle: Omit<PolicyBundle, 'signature'>): string {
  const { signature: _signature, ...signed } = bundle as PolicyBundle;
  return canonicalJson(signed);
}

/** The parts of WebCrypto that verification needs (Node 20+, browsers, Deno, edge workers). */
export interface PolicyBundleSubtleCrypto {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
  importKey(
    format: 'raw',
    keyData: Uint8Array,
    algorithm: { name: 'Ed25519' },
    extractable: boolean,
    usages: ['verify'],
  ): Promise<unknown>;
  verify(
    algorithm: { name: 'Ed25519' },
    key: unknown,
    signature: Uint8Array,
    data: Uint8Array,
  ): Promise<boolean>;
}

/** Why a bundle was refused, or `ok: true`. Expected outcomes are data, not exceptions. */
export type PolicyBundleVerification =
  | { ok: true; bundle: PolicyBundle }
  | {
      ok: false;
      reason: 'malformed' | 'unknown-key' | 'content-hash-mismatch' | 'bad-signature';
      message: string;
    };

/**
 * Checks a bundle's shape, content hash and Ed25519 signature against the control plane's
 * public keys (raw 32-byte keys, keyed by key id), with WebCrypto only.
 * @example const result = await verifyPolicyBundle(json, { [keyId]: rawPublicKey }); if (!result.ok) keepLastPolicy()
 */
export async function verifyPolicyBundle(
  value: unknown,
  publicKeys: Readonly<Record<string, Uint8Array>>,
  subtle: PolicyBundleSubtleCrypto = (
    globalThis as unknown as { crypto: { subtle: PolicyBundleSubtleCrypto } }
  ).crypto.subtle,
): Promise<PolicyBundleVerification> {
  const parsed = PolicyBundleSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: 'malformed',
      message: `not a policy bundle: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`,
    };
  }
  const bundle = parsed.data;
  const publicKey = publicKeys[bundle.keyId];
  if (publicKey === undefined) {
    return { ok: false, reason: 'unknown-key', message: `no public key with id ${bundle.keyId}` };
  }
  const encoder = new TextEncoder();
  const digest = await subtle.digest('SHA-256', encoder.encode(canonicalJson(bundle.policy)));
  if (toHex(new Uint8Array(digest)) !== bundle.contentHash) {
    return {
      ok: false,
      reason: 'content-hash-mismatch',
      message: 'the policy does not match the bundle content hash',
    };
  }
  const key = await subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  const valid = await subtle.verify(
    { name: 'Ed25519' },
    key,
    fromBase64Url(bundle.signature),
    encoder.encode(policyBundleSigningInput(bundle)),
  );
  return valid
    ? { ok: true, bundle }
    : { ok: false, reason: 'bad-signature', message: 'the bundle signature does not verify' };
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// Decoded by hand: atob and Buffer are not available in every runtime the SDK targets.
function fromBase64Url(text: string): Uint8Array {
  const bytes = new Uint8Array(Math.floor((text.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let length = 0;
  for (const character of text) {
    buffer = (buffer << 6) | BASE64URL_ALPHABET.indexOf(character);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[length++] = (buffer >> bits) & 0xff;
    }
  }
  return bytes.subarray(0, length);
}
