import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  POLICY_BUNDLE_FORMAT,
  type PolicyBundle,
  policyBundleSigningInput,
  verifyPolicyBundle,
} from './policy-bundle.js';

const subtle = webcrypto.subtle;

async function signedBundle(policy: Record<string, unknown>) {
  const keys = (await subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const rawPublicKey = new Uint8Array(await subtle.exportKey('raw', keys.publicKey));
  const keyId = Buffer.from(await subtle.digest('SHA-256', rawPublicKey))
    .toString('hex')
    .slice(0, 16);
  const unsigned: Omit<PolicyBundle, 'signature'> = {
    format: POLICY_BUNDLE_FORMAT,
    organizationId: 'org-protocol-test',
    versionId: '2f9c1d2e-7a4b-4c3d-8e5f-6a7b8c9d0e1f',
    version: 1,
    contentHash: Buffer.from(
      await subtle.digest('SHA-256', new TextEncoder().encode(canonicalJson(policy))),
    ).toString('hex'),
    policy,
    issuedAt: '2026-11-26T00:00:00.000Z',
    algorithm: 'Ed25519',
    keyId,
  };
  const signature = await subtle.sign(
    { name: 'Ed25519' },
    keys.privateKey,
    new TextEncoder().encode(policyBundleSigningInput(unsigned)),
  );
  const bundle: PolicyBundle = {
    ...unsigned,
    signature: Buffer.from(signature).toString('base64url'),
  };
  return { bundle, publicKeys: { [keyId]: rawPublicKey } };
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: 'x' })).toBe('{"a":"x","b":[{"c":2,"d":1}]}');
  });

  it('writes numbers and strings as JSON does, and leaves undefined properties out', () => {
    expect(canonicalJson({ n: 1e21, f: 0.1, z: -0, s: 'é"\n', u: undefined })).toBe(
      '{"f":0.1,"n":1e+21,"s":"é\\"\\n","z":0}',
    );
    expect(canonicalJson([null, true, false])).toBe('[null,true,false]');
  });

  it('refuses what is not JSON', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/not JSON/);
    expect(() => canonicalJson({ x: 1n })).toThrow(/bigint/);
  });
});

describe('verifyPolicyBundle', () => {
  it('verifies with WebCrypto alone, and names what is wrong', async () => {
    const { bundle, publicKeys } = await signedBundle({ version: 1, mode: 'monitor' });
    expect(await verifyPolicyBundle(bundle, publicKeys, subtle)).toEqual({ ok: true, bundle });
    expect(await verifyPolicyBundle(bundle, publicKeys)).toMatchObject({ ok: true });
    expect(await verifyPolicyBundle({ ...bundle, version: 2 }, publicKeys)).toMatchObject({
      reason: 'bad-signature',
    });
    expect(
      await verifyPolicyBundle({ ...bundle, policy: { version: 1 } }, publicKeys),
    ).toMatchObject({
      reason: 'content-hash-mismatch',
    });
    expect(
      await verifyPolicyBundle({ ...bundle, keyId: 'f'.repeat(16) }, publicKeys),
    ).toMatchObject({ reason: 'unknown-key' });
    const malformed = await verifyPolicyBundle({ ...bundle, format: 'other' }, publicKeys);
    expect(malformed).toMatchObject({ ok: false, reason: 'malformed' });
    expect(!malformed.ok && malformed.message).toContain('format');
  });
});
