import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditEntry, auditEntryToJsonLine, hashAuditEntry } from '@warden/server/audit';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../testing/capture-io.js';
import { auditCommand } from './audit.js';

function chain(count: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let previousHash = '0'.repeat(64);
  for (let sequence = 1; sequence <= count; sequence++) {
    const content: Omit<AuditEntry, 'hash'> = {
      id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
      organizationId: '11111111-1111-4111-8111-111111111111',
      sequence,
      occurredAt: new Date(Date.UTC(2026, 10, 26, 1, sequence)).toISOString(),
      actor: { type: 'user', id: 'user-1' },
      action: 'member.add',
      target: { type: 'user', id: `user-${sequence}` },
      details: { role: 'viewer' },
      ip: '198.51.100.4',
      userAgent: 'cli-test',
      previousHash,
    };
    const entry = { ...content, hash: hashAuditEntry(content) };
    entries.push(entry);
    previousHash = entry.hash;
  }
  return entries;
}

const run = (args: string[], stdin = '') => runCaptured((io) => auditCommand(args, io), stdin);

describe('warden audit verify', () => {
  it('accepts an intact export and prints the last hash', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'warden-audit-cli-'));
    const entries = chain(4);
    const file = join(directory, 'audit.jsonl');
    await writeFile(file, entries.map(auditEntryToJsonLine).join(''));
    const result = await run(['verify', file]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(
      `4 entries verified, chain intact; last hash ${entries[3]!.hash}`,
    );
    const piped = await run(['verify', '-'], entries.map(auditEntryToJsonLine).join(''));
    expect(piped.code).toBe(0);
  });

  it('exits 1 naming the first altered or removed entry', async () => {
    const entries = chain(5);
    const altered = entries.map((entry) =>
      entry.sequence === 3 ? { ...entry, details: { role: 'owner' } } : entry,
    );
    const changed = await run(['verify', '-'], altered.map(auditEntryToJsonLine).join(''));
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain('TAMPERED: entry 3 (id 00000000-0000-4000-8000-000000000003');
    const removed = await run(
      ['verify', '-'],
      entries
        .filter((entry) => entry.sequence !== 2)
        .map(auditEntryToJsonLine)
        .join(''),
    );
    expect(removed.code).toBe(1);
    expect(removed.stderr).toContain('expected sequence 2');
  });

  it('exits 2 on usage errors and unreadable input', async () => {
    expect((await run(['verify'])).code).toBe(2);
    expect((await run(['verify', '/nonexistent/audit.jsonl'])).stderr).toContain('cannot read');
    const garbage = await run(['verify', '-'], 'not json\n');
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toContain('line 1: not JSON');
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['verify', '--data-dir', '/nonexistent'])).stderr).toContain(
      'holds no Warden database',
    );
  });
});

describe('warden audit verify on a stored database', () => {
  it('verifies every organisation of an embedded database and finds a changed row', async () => {
    const { openDatabase, withOrganization } = await import('@warden/server');
    const { recordAudit } = await import('@warden/server/audit');
    const dataDir = await mkdtemp(join(tmpdir(), 'warden-audit-db-'));
    const db = await openDatabase({
      WARDEN_DATA_DIR: dataDir,
      DATABASE_URL: undefined,
      DATABASE_POOL_SIZE: 1,
    });
    const organizations: string[] = [];
    for (const name of ['one', 'two']) {
      const id = (
        await db.query<{ id: string }>(
          'INSERT INTO organizations (name) VALUES ($1) RETURNING id',
          [name],
        )
      ).rows[0]!.id;
      organizations.push(id);
      for (let index = 0; index < 3; index++) {
        await withOrganization(db, id, (tx) =>
          recordAudit(tx, {
            organizationId: id,
            actor: { type: 'system', id: 'test' },
            action: 'project.create',
            details: { index },
          }),
        );
      }
    }
    await db.close();
    const intact = await run(['verify', '--data-dir', dataDir]);
    expect(intact.code).toBe(0);
    expect(intact.stdout.match(/3 entries verified, chain intact/g)).toHaveLength(2);

    const reopened = await openDatabase({
      WARDEN_DATA_DIR: dataDir,
      DATABASE_URL: undefined,
      DATABASE_POOL_SIZE: 1,
    });
    // Tampering needs the append-only trigger off: only a superuser can do that, and it shows.
    await reopened.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await reopened.query(
      `UPDATE audit_log SET actor_id = 'someone-else' WHERE org_id = $1 AND sequence = 2`,
      [organizations[1]],
    );
    await reopened.close();
    const tampered = await run(['verify', '--data-dir', dataDir, '--org', organizations[1]!]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain(`TAMPERED: entry 2`);
    expect(tampered.stderr).toContain(`organisation ${organizations[1]}`);
  }, 120_000);
});
