import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CryptoError } from './crypto-error.js';

const FORMAT = 'wsb1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** What a secret is bound to: opening it under another organisation or name fails. */
export interface SecretContext {
  organizationId: string;
  name: string;
}

/** Encrypts and decrypts integration secrets (AES-256-GCM) under a ring of configured keys. */
export interface SecretBox {
  /** Id of the key new secrets are sealed with. */
  readonly activeKeyId: string;
  /** Seals a secret: `wsb1.<keyId>.<nonce>.<ciphertext+tag>`, base64url parts. */
  seal(plaintext: string, context: SecretContext): string;
  /** Opens a sealed secret; throws WARDEN_SECRET_UNREADABLE when the key, context or bytes are wrong. */
  open(sealed: string, context: SecretContext): string;
  /** Id of the key a sealed value was made with (to find secrets still under an old key). */
  keyIdOf(sealed: string): string;
}

/**
 * Parses a key ring from configuration: `id:base64key[,id:base64key…]`, the first one active
 * (older keys stay to open secrets sealed before a rotation), or one bare base64 key (id `k1`).
 * Each key is 32 random bytes, e.g. from `openssl rand -base64 32`.
 * @example const box = createSecretBox(parseSecretKeyRing(env.WARDEN_SECRETS_KEY, 'WARDEN_SECRETS_KEY'))
 */
export function parseSecretKeyRing(
  value: string,
  variable = 'WARDEN_SECRETS_KEY',
): { activeKeyId: string; keys: Map<string, Buffer> } {
  const entries = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  if (entries.length === 0) {
    throw new CryptoError('WARDEN_CONFIG_INVALID', `${variable}: empty; expected a base64 key`);
  }
  const keys = new Map<string, Buffer>();
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? 'k1' : entry.slice(0, colon);
    const encoded = colon < 0 ? entry : entry.slice(colon + 1);
    if (!KEY_ID.test(id)) {
      throw new CryptoError(
        'WARDEN_CONFIG_INVALID',
        `${variable}: key id "${id}" must be 1 to 32 letters, digits, _ or -`,
      );
    }
    if (keys.has(id)) {
      throw new CryptoError('WARDEN_CONFIG_INVALID', `${variable}: key id "${id}" appears twice`);
    }
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) {
      throw new CryptoError(
        'WARDEN_CONFIG_INVALID',
        `${variable}: key "${id}" is not base64; generate one with \`openssl rand -base64 32\``,
      );
    }
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32) {
      throw new CryptoError(
        'WARDEN_CONFIG_INVALID',
        `${variable}: key "${id}" decodes to ${key.length} bytes; AES-256 needs 32 (\`openssl rand -base64 32\`)`,
      );
    }
    keys.set(id, key);
  }
  return { activeKeyId: [...keys.keys()][0]!, keys };
}

/**
 * Creates a secret box over a key ring. The nonce is random per seal (12 bytes: safe for far
 * more than the 2^32 messages NIST SP 800-38D allows per key), and the organisation id and
 * secret name are authenticated as associated data.
 * @example const sealed = box.seal(token, { organizationId, name: 'slack.webhook' })
 */
export function createSecretBox(ring: {
  activeKeyId: string;
  keys: Map<string, Buffer>;
}): SecretBox {
  const active = ring.keys.get(ring.activeKeyId);
  if (active === undefined) {
    throw new CryptoError('WARDEN_CONFIG_INVALID', `no key with the active id ${ring.activeKeyId}`);
  }
  return {
    activeKeyId: ring.activeKeyId,
    seal(plaintext, context) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', active, nonce);
      cipher.setAAD(associatedData(ring.activeKeyId, context));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const sealed = Buffer.concat([ciphertext, cipher.getAuthTag()]);
      return [
        FORMAT,
        ring.activeKeyId,
        nonce.toString('base64url'),
        sealed.toString('base64url'),
      ].join('.');
    },
    open(sealed, context) {
      const { keyId, nonce, body } = split(sealed);
      const key = ring.keys.get(keyId);
      if (key === undefined) {
        throw new CryptoError(
          'WARDEN_SECRET_UNREADABLE',
          `the secret was sealed with key "${keyId}", which is not in the configured key ring; add it back to WARDEN_SECRETS_KEY after the active key`,
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, nonce);
        decipher.setAAD(associatedData(keyId, context));
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
        return Buffer.concat([
          decipher.update(body.subarray(0, body.length - TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch (cause) {
        throw new CryptoError(
          'WARDEN_SECRET_UNREADABLE',
          'the secret does not authenticate: wrong key, or it belongs to another organisation or name, or it was altered',
          { cause },
        );
      }
    },
    keyIdOf(sealed) {
      return split(sealed).keyId;
    },
  };
}

function associatedData(keyId: string, context: SecretContext): Buffer {
  // JSON of a fixed array: no separator an id could contain can make two contexts collide.
  return Buffer.from(JSON.stringify([FORMAT, keyId, context.organizationId, context.name]), 'utf8');
}

function split(sealed: string): { keyId: string; nonce: Buffer; body: Buffer } {
  const parts = sealed.split('.');
  const [format, keyId, nonce, body] = parts;
  if (
    parts.length !== 4 ||
    format !== FORMAT ||
    keyId === undefined ||
    !KEY_ID.test(keyId) ||
    nonce === undefined ||
    body === undefined
  ) {
    throw new CryptoError(
      'WARDEN_SECRET_UNREADABLE',
      'not a sealed secret (expected wsb1.<key>.<nonce>.<data>)',
    );
  }
  const nonceBytes = Buffer.from(nonce, 'base64url');
  const bodyBytes = Buffer.from(body, 'base64url');
  if (nonceBytes.length !== NONCE_BYTES || bodyBytes.length < TAG_BYTES) {
    throw new CryptoError('WARDEN_SECRET_UNREADABLE', 'sealed secret is truncated');
  }
  return { keyId, nonce: nonceBytes, body: bodyBytes };
}
