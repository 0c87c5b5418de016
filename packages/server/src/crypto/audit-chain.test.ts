import { describe, expect, it } from 'vitest';
import {
  AUDIT_GENESIS_HASH,
  type AuditEntry,
  auditEntryToCef,
  auditEntryToJsonLine,
  escapeCefExtension,
  escapeCefHeader,
  hashAuditEntry,
  verifyAuditChain,
} from './audit-chain.js';

function chain(organizationId: string, count: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let previousHash = AUDIT_GENESIS_HASH;
  for (let sequence = 1; sequence <= count; sequence++) {
    const content: Omit<AuditEntry, 'hash'> = {
      id: `${organizationId}-entry-${sequence}`,
      organizationId,
      sequence,
      occurredAt: new Date(Date.UTC(2026, 10, 26, 0, sequence)).toISOString(),
      actor: { type: 'user', id: 'user-1' },
      action: 'api_key.create',
      target: { type: 'api_key', id: `key-${sequence}` },
      details: { scopes: ['ingest'], name: `key ${sequence}` },
      ip: '203.0.113.7',
      userAgent: 'curl/8',
      previousHash,
    };
    const entry = { ...content, hash: hashAuditEntry(content) };
    entries.push(entry);
    previousHash = entry.hash;
  }
  return entries;
}

describe('audit hash chain', () => {
  it('verifies an intact chain, also interleaved across organisations', async () => {
    const a = chain('org-audit-a', 5);
    const b = chain('org-audit-b', 3);
    expect(await verifyAuditChain(a)).toEqual({ ok: true, entries: 5, lastHash: a[4]!.hash });
    const interleaved = [a[0]!, b[0]!, a[1]!, b[1]!, b[2]!, a[2]!, a[3]!, a[4]!];
    expect((await verifyAuditChain(interleaved)).ok).toBe(true);
  });

  it('names the first altered entry', async () => {
    const entries = chain('org-audit-c', 6);
    entries[3] = { ...entries[3]!, details: { scopes: ['ingest', 'policy:read'] } };
    const result = await verifyAuditChain(entries);
    expect(result).toMatchObject({
      ok: false,
      entries: 3,
      reason: 'hash-mismatch',
      brokenAt: { sequence: 4, id: 'org-audit-c-entry-4' },
    });
  });

  it('detects a re-hashed altered entry at the next link', async () => {
    const entries = chain('org-audit-d', 4);
    const altered = { ...entries[1]!, action: 'api_key.revoke' };
    entries[1] = { ...altered, hash: hashAuditEntry(altered) };
    expect(await verifyAuditChain(entries)).toMatchObject({
      ok: false,
      reason: 'previous-hash-mismatch',
      brokenAt: { sequence: 3 },
    });
  });

  it('detects a removed entry and a forged genesis', async () => {
    const entries = chain('org-audit-e', 4);
    expect(await verifyAuditChain([entries[0]!, entries[2]!, entries[3]!])).toMatchObject({
      ok: false,
      reason: 'sequence-gap',
      brokenAt: { sequence: 3 },
    });
    const forged = { ...entries[0]!, previousHash: 'f'.repeat(64) };
    expect(await verifyAuditChain([{ ...forged, hash: hashAuditEntry(forged) }])).toMatchObject({
      ok: false,
      reason: 'previous-hash-mismatch',
      brokenAt: { sequence: 1 },
    });
  });

  it('verifies a partial export from a known anchor', async () => {
    const entries = chain('org-audit-f', 5);
    const from = new Map([['org-audit-f', { sequence: 2, hash: entries[1]!.hash }]]);
    expect((await verifyAuditChain(entries.slice(2), { from })).ok).toBe(true);
    const wrong = new Map([['org-audit-f', { sequence: 2, hash: 'a'.repeat(64) }]]);
    expect((await verifyAuditChain(entries.slice(2), { from: wrong })).ok).toBe(false);
  });

  it('exports JSON lines that parse back to the entry', () => {
    const [entry] = chain('org-audit-g', 1);
    const line = auditEntryToJsonLine(entry!);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(entry);
  });

  it('writes CEF with header and extension escaping', () => {
    expect(escapeCefHeader('a|b\\c\nd')).toBe('a\\|b\\\\c d');
    expect(escapeCefExtension('a=b\\c\nd\re')).toBe('a\\=b\\\\c\\nd\\re');
    const [entry] = chain('org-audit-h', 1);
    const tricky: AuditEntry = {
      ...entry!,
      action: 'policy.publish',
      userAgent: 'evil=1 agent|x\nsecond line',
      details: { note: 'a=b' },
    };
    const line = auditEntryToCef(tricky);
    expect(line.split('\n')).toHaveLength(2);
    expect(line).toMatch(
      /^CEF:0\|Warden\|Warden Control Plane\|0\.1\.0\|policy\.publish\|Warden audit: policy\.publish\|5\|rt=\d+ /,
    );
    expect(line).toContain('requestClientApplication=evil\\=1 agent|x\\nsecond line');
    expect(line).toContain('cs3={"note":"a\\=b"}');
    expect(line).toContain('cs1=org-audit-h');
    expect(line).toContain(`cs4=${entry!.hash}`);
    // Every unescaped = separates a key: count them against the extension pairs.
    const extension = line.split('|').slice(7).join('|');
    expect(extension.match(/(?<!\\)=/g)).toHaveLength(extension.match(/ ?[A-Za-z0-9]+=/g)!.length);
  });
});

describe('whole chains', () => {
  it('requires sequence 1 first when asked to, so a removed head shows', async () => {
    const entries = chain('org-audit-i', 3);
    expect((await verifyAuditChain(entries.slice(1))).ok).toBe(true);
    expect(await verifyAuditChain(entries.slice(1), { requireGenesis: true })).toMatchObject({
      ok: false,
      reason: 'sequence-gap',
      brokenAt: { sequence: 2 },
    });
  });
});
