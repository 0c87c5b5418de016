import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { join } from 'node:path';
import {
  canonicalJson,
  POLICY_BUNDLE_FORMAT,
  type PolicyBundle,
  policyBundleSigningInput,
} from '@warden/protocol';
import { CryptoError } from './crypto-error.js';
import { readOrCreateKeyFile } from './key-file.js';

/** File name of the generated key inside the data directory. */
export const POLICY_SIGNING_KEY_FILE = 'policy-signing-key.pem';

/** Signs policy bundles with one Ed25519 key. */
export interface PolicySigner {
  /** First 16 hex digits of the SHA-256 of the raw public key. */
  readonly keyId: string;
  /** The raw 32-byte public key, as `verifyPolicyBundle` of `@warden/protocol` takes it. */
  readonly publicKey: Uint8Array;
  /** The public key as SPKI PEM, for people and tools that want a file. */
  readonly publicKeyPem: string;
  /** Signs the canonical serialisation of a bundle's other fields. */
  sign(bundle: Omit<PolicyBundle, 'signature'>): PolicyBundle;
}

/** What a bundle is built from; the signer fills in the rest. */
export interface PolicyBundleContent {
  organizationId: string;
  versionId: string;
  version: number;
  policy: Record<string, unknown>;
  issuedAt: Date;
}

/**
 * Loads the signing key: from `configured` (PKCS#8 PEM, or its DER in base64) when given,
 * else from `<dataDir>/policy-signing-key.pem`, generated there (mode 0600) on first start.
 * @example const signer = await loadPolicySigner({ configured: env.WARDEN_POLICY_SIGNING_KEY, dataDir })
 */
export async function loadPolicySigner(options: {
  configured?: string | undefined;
  dataDir?: string | undefined;
  variable?: string;
}): Promise<PolicySigner> {
  const variable = options.variable ?? 'WARDEN_POLICY_SIGNING_KEY';
  if (options.configured !== undefined && options.configured.trim() !== '') {
    return createPolicySigner(parsePrivateKey(options.configured, variable));
  }
  if (options.dataDir === undefined) {
    throw new CryptoError(
      'WARDEN_POLICY_SIGNING_KEY_INVALID',
      `no policy signing key: set ${variable} (a PKCS#8 Ed25519 key) or give the server a data directory`,
    );
  }
  const path = join(options.dataDir, POLICY_SIGNING_KEY_FILE);
  const pem = await readOrCreateKeyFile(path, () =>
    generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  );
  return createPolicySigner(parsePrivateKey(pem, path));
}

/**
 * Wraps an Ed25519 private key as a policy signer.
 * @example const signer = createPolicySigner(generateKeyPairSync('ed25519').privateKey)
 */
export function createPolicySigner(privateKey: KeyObject): PolicySigner {
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new CryptoError(
      'WARDEN_POLICY_SIGNING_KEY_INVALID',
      `the policy signing key is ${privateKey.asymmetricKeyType ?? 'not asymmetric'}; expected Ed25519`,
    );
  }
  const publicKeyObject = createPublicKey(privateKey);
  const publicKey = rawPublicKey(publicKeyObject);
  const keyId = policyKeyId(publicKey);
  return {
    keyId,
    publicKey,
    publicKeyPem: publicKeyObject.export({ format: 'pem', type: 'spki' }).toString(),
    sign(bundle) {
      const signature = sign(
        null,
        Buffer.from(policyBundleSigningInput(bundle), 'utf8'),
        privateKey,
      );
      return { ...bundle, signature: signature.toString('base64url') };
    },
  };
}

/**
 * Builds and signs the bundle of one policy version.
 * @example const bundle = signPolicyBundle(signer, { organizationId, versionId, version: 3, policy, issuedAt: new Date() })
 */
export function signPolicyBundle(signer: PolicySigner, content: PolicyBundleContent): PolicyBundle {
  return signer.sign({
    format: POLICY_BUNDLE_FORMAT,
    organizationId: content.organizationId,
    versionId: content.versionId,
    version: content.version,
    contentHash: policyContentHash(content.policy),
    policy: content.policy,
    issuedAt: content.issuedAt.toISOString(),
    algorithm: 'Ed25519',
    keyId: signer.keyId,
  });
}

/**
 * SHA-256 (hex) of a policy document's canonical JSON: equal documents, equal hashes.
 * @example policyContentHash({ version: 1 })
 */
export function policyContentHash(policy: unknown): string {
  return createHash('sha256').update(canonicalJson(policy), 'utf8').digest('hex');
}

/**
 * Verifies a bundle's content hash and signature with node:crypto (the CLI and tests; SDKs use
 * `verifyPolicyBundle` of `@warden/protocol`, which needs only WebCrypto).
 * @example if (!verifyPolicyBundleWithKey(bundle, signer.publicKey)) throw new Error('tampered')
 */
export function verifyPolicyBundleWithKey(bundle: PolicyBundle, publicKey: Uint8Array): boolean {
  if (policyContentHash(bundle.policy) !== bundle.contentHash) return false;
  if (policyKeyId(publicKey) !== bundle.keyId) return false;
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk',
  });
  return verify(
    null,
    Buffer.from(policyBundleSigningInput(bundle), 'utf8'),
    key,
    Buffer.from(bundle.signature, 'base64url'),
  );
}

/** Key id of a raw Ed25519 public key: first 16 hex digits of its SHA-256. */
export function policyKeyId(publicKey: Uint8Array): string {
  return createHash('sha256').update(publicKey).digest('hex').slice(0, 16);
}

function rawPublicKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'));
}

function parsePrivateKey(text: string, source: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    key = trimmed.startsWith('-----BEGIN')
      ? createPrivateKey({ key: trimmed, format: 'pem' })
      : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new CryptoError(
      'WARDEN_POLICY_SIGNING_KEY_INVALID',
      `${source}: not a PKCS#8 private key (PEM, or DER in base64); generate one with \`openssl genpkey -algorithm ed25519\``,
      { cause },
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new CryptoError(
      'WARDEN_POLICY_SIGNING_KEY_INVALID',
      `${source}: an ${key.asymmetricKeyType ?? 'unknown'} key; the policy signing key must be Ed25519`,
    );
  }
  return key;
}
