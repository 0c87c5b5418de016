import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, parseSecretKeyRing } from './secret-box.js';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const context = { organizationId: 'org-secret-box-1', name: 'webhook.signing' };

describe('secret box', () => {
  it('seals and opens a secret, with a fresh nonce each time', () => {
    const box = createSecretBox(parseSecretKeyRing(keyA));
    const first = box.seal('xoxb-token', context);
    const second = box.seal('xoxb-token', context);
    expect(first).not.toBe(second);
    expect(first).not.toContain('xoxb');
    expect(first.startsWith('wsb1.k1.')).toBe(true);
    expect(box.open(first, context)).toBe('xoxb-token');
    expect(box.open(second, context)).toBe('xoxb-token');
  });

  it('refuses a secret opened under another organisation or name (AAD)', () => {
    const box = createSecretBox(parseSecretKeyRing(keyA));
    const sealed = box.seal('s3cret', context);
    expect(() => box.open(sealed, { ...context, organizationId: 'org-other' })).toThrow(
      /does not authenticate/,
    );
    expect(() => box.open(sealed, { ...context, name: 'other' })).toThrow(/does not authenticate/);
  });

  it('detects altered ciphertext', () => {
    const box = createSecretBox(parseSecretKeyRing(keyA));
    const sealed = box.seal('s3cret', context);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => box.open(parts.join('.'), context)).toThrow(
      expect.objectContaining({ code: 'WARDEN_SECRET_UNREADABLE' }),
    );
    expect(() => box.open('garbage', context)).toThrow(/not a sealed secret/);
  });

  it('rotates keys: new secrets under the first key, old ones still open', () => {
    const old = createSecretBox(parseSecretKeyRing(`v1:${keyA}`));
    const sealed = old.seal('legacy', context);
    const rotated = createSecretBox(parseSecretKeyRing(`v2:${keyB},v1:${keyA}`));
    expect(rotated.activeKeyId).toBe('v2');
    expect(rotated.open(sealed, context)).toBe('legacy');
    expect(rotated.keyIdOf(rotated.seal('new', context))).toBe('v2');
    const without = createSecretBox(parseSecretKeyRing(`v2:${keyB}`));
    expect(() => without.open(sealed, context)).toThrow(
      /key "v1", which is not in the configured key ring/,
    );
  });

  it('names the variable and the problem for a bad key', () => {
    expect(() => parseSecretKeyRing('', 'WARDEN_SECRETS_KEY')).toThrow(/WARDEN_SECRETS_KEY: empty/);
    expect(() => parseSecretKeyRing(randomBytes(16).toString('base64'))).toThrow(
      /decodes to 16 bytes; AES-256 needs 32/,
    );
    expect(() => parseSecretKeyRing('not base64!')).toThrow(/not base64/);
    expect(() => parseSecretKeyRing(`a:${keyA},a:${keyB}`)).toThrow(/appears twice/);
    expect(() => parseSecretKeyRing(`bad id:${keyA}`)).toThrow(/key id/);
    expect(() => parseSecretKeyRing(keyA)).not.toThrow();
  });
});
