import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, PolicyBundleSchema, verifyPolicyBundle } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import {
  createPolicySigner,
  loadPolicySigner,
  POLICY_SIGNING_KEY_FILE,
  policyContentHash,
  signPolicyBundle,
  verifyPolicyBundleWithKey,
} from './policy-signing.js';

const content = {
  organizationId: 'org-policy-signing-1',
  versionId: '0b0f6a52-3d6e-4a8e-9a57-0a6a2f1d9c11',
  version: 3,
  policy: { version: 1, name: 'support-bot', severityActions: { high: 'block', medium: 'alert' } },
  issuedAt: new Date('2026-11-26T00:00:00.000Z'),
};

describe('policy signing', () => {
  it('signs a bundle that node:crypto and WebCrypto both verify', async () => {
    const signer = createPolicySigner(generateKeyPairSync('ed25519').privateKey);
    const bundle = signPolicyBundle(signer, content);
    expect(PolicyBundleSchema.parse(bundle)).toEqual(bundle);
    expect(bundle.contentHash).toBe(policyContentHash(content.policy));
    expect(verifyPolicyBundleWithKey(bundle, signer.publicKey)).toBe(true);
    const verified = await verifyPolicyBundle(JSON.parse(JSON.stringify(bundle)), {
      [signer.keyId]: signer.publicKey,
    });
    expect(verified.ok).toBe(true);
  });

  it('refuses a changed policy, a changed field, another key and a malformed bundle', async () => {
    const signer = createPolicySigner(generateKeyPairSync('ed25519').privateKey);
    const other = createPolicySigner(generateKeyPairSync('ed25519').privateKey);
    const bundle = signPolicyBundle(signer, content);
    const keys = { [signer.keyId]: signer.publicKey };
    const changedPolicy = { ...bundle, policy: { ...bundle.policy, name: 'evil' } };
    expect(await verifyPolicyBundle(changedPolicy, keys)).toMatchObject({
      ok: false,
      reason: 'content-hash-mismatch',
    });
    const rehashed = { ...changedPolicy, contentHash: policyContentHash(changedPolicy.policy) };
    expect(await verifyPolicyBundle(rehashed, keys)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyPolicyBundleWithKey(rehashed, signer.publicKey)).toBe(false);
    const replayed = { ...bundle, organizationId: 'org-other' };
    expect(await verifyPolicyBundle(replayed, keys)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
    expect(await verifyPolicyBundle(bundle, { [other.keyId]: other.publicKey })).toMatchObject({
      ok: false,
      reason: 'unknown-key',
    });
    expect(verifyPolicyBundleWithKey(bundle, other.publicKey)).toBe(false);
    expect(await verifyPolicyBundle({ ...bundle, extra: 1 }, keys)).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });

  it('hashes equal documents equally whatever their key order', () => {
    expect(policyContentHash({ a: 1, b: { d: [1, 2], c: 'x' } })).toBe(
      policyContentHash({ b: { c: 'x', d: [1, 2] }, a: 1 }),
    );
    expect(canonicalJson({ b: 1, a: [true, null, 'é'] })).toBe('{"a":[true,null,"é"],"b":1}');
  });

  it('generates a key in the data dir once (mode 0600) and reuses it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'warden-signing-'));
    const [first, second] = await Promise.all([
      loadPolicySigner({ dataDir }),
      loadPolicySigner({ dataDir }),
    ]);
    const third = await loadPolicySigner({ dataDir });
    expect(first.keyId).toBe(second.keyId);
    expect(third.keyId).toBe(first.keyId);
    const mode = (await stat(join(dataDir, POLICY_SIGNING_KEY_FILE))).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it('takes a key from configuration as PEM or base64 DER, and names a bad one', async () => {
    const privateKey = generateKeyPairSync('ed25519').privateKey;
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const fromPem = await loadPolicySigner({ configured: pem });
    const fromDer = await loadPolicySigner({ configured: der });
    expect(fromPem.keyId).toBe(fromDer.keyId);
    await expect(loadPolicySigner({ configured: 'nope' })).rejects.toThrow(
      /WARDEN_POLICY_SIGNING_KEY: not a PKCS#8 private key/,
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    await expect(loadPolicySigner({ configured: rsa.toString() })).rejects.toThrow(
      /must be Ed25519/,
    );
    await expect(loadPolicySigner({})).rejects.toThrow(/no policy signing key/);
    const dataDir = await mkdtemp(join(tmpdir(), 'warden-signing-'));
    await writeFile(join(dataDir, POLICY_SIGNING_KEY_FILE), 'corrupt');
    await expect(loadPolicySigner({ dataDir })).rejects.toThrow(
      /policy-signing-key.pem: not a PKCS#8/,
    );
    expect(await readFile(join(dataDir, POLICY_SIGNING_KEY_FILE), 'utf8')).toBe('corrupt');
  });
});
