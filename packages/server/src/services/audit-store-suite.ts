import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../crypto/audit-chain.js';
import type { Database } from '../db/database.js';
import { withOrganization } from '../db/tenancy.js';
import { iterateAuditEntries, listAuditEntries, recordAudit } from './audit.js';
import { createTestOrganization, openTestDatabase } from './audit-test-support.js';

/** The audit store's behaviour, run against the embedded database here and PostgreSQL in the integration test. */
export function describeAuditStore(kind: 'embedded' | 'postgres', enabled: () => boolean) {
  describe(`audit log on ${kind}`, () => {
    let db: Database;
    let close: () => Promise<void>;
    beforeAll(async () => {
      if (!enabled()) return;
      ({ db, close } = await openTestDatabase(kind));
    });
    afterAll(async () => {
      await close?.();
    });

    it('chains entries per organisation, also under concurrent appends', async (context) => {
      if (!enabled()) return context.skip();
      const a = await createTestOrganization(db, 'audit-a');
      const b = await createTestOrganization(db, 'audit-b');
      await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          withOrganization(db, index % 3 === 0 ? b : a, (tx) =>
            recordAudit(tx, {
              organizationId: index % 3 === 0 ? b : a,
              actor: { userId: '00000000-0000-4000-8000-000000000001' },
              action: 'api_key.create',
              target: { type: 'api_key', id: `key-${index}` },
              details: { index, scopes: ['ingest'], nested: { z: 1, a: 1.5 } },
              ip: '203.0.113.9',
              userAgent: 'vitest',
            }),
          ),
        ),
      );
      const entriesA = await withOrganization(db, a, (tx) =>
        listAuditEntries(tx, a, { limit: 100 }),
      );
      const entriesB = await withOrganization(db, b, async (tx) => {
        const all = [];
        for await (const entry of iterateAuditEntries(tx, b, {}, 2)) all.push(entry);
        return all;
      });
      expect(entriesA.map((entry) => entry.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(entriesB.map((entry) => entry.sequence)).toEqual([1, 2, 3, 4]);
      expect(await verifyAuditChain(entriesA)).toMatchObject({ ok: true, entries: 8 });
      expect(await verifyAuditChain(entriesB)).toMatchObject({ ok: true, entries: 4 });
      expect(entriesA[0]!.actor).toEqual({
        type: 'user',
        id: '00000000-0000-4000-8000-000000000001',
      });
      // Row-level security: organisation A's transaction sees none of B's entries.
      const leaked = await withOrganization(db, a, (tx) => listAuditEntries(tx, b));
      expect(leaked).toEqual([]);
    });

    it('refuses updates, deletes and truncation, for the owner too', async (context) => {
      if (!enabled()) return context.skip();
      const organization = await createTestOrganization(db, 'audit-c');
      await withOrganization(db, organization, (tx) =>
        recordAudit(tx, {
          organizationId: organization,
          actor: { type: 'system', id: 'test' },
          action: 'policy.publish',
        }),
      );
      await expect(
        withOrganization(db, organization, (tx) => tx.query(`UPDATE audit_log SET action = 'x.y'`)),
      ).rejects.toThrow();
      await expect(
        db.query(`UPDATE audit_log SET action = 'x.y' WHERE org_id = $1`, [organization]),
      ).rejects.toThrow(/append-only/);
      await expect(
        db.query('DELETE FROM audit_log WHERE org_id = $1', [organization]),
      ).rejects.toThrow(/append-only/);
      await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
      const entries = await withOrganization(db, organization, (tx) =>
        listAuditEntries(tx, organization),
      );
      expect(entries).toHaveLength(1);
      expect(entries[0]!.action).toBe('policy.publish');
    });

    it('rolls back with the change it records, and refuses bad actions', async (context) => {
      if (!enabled()) return context.skip();
      const organization = await createTestOrganization(db, 'audit-d');
      await expect(
        withOrganization(db, organization, async (tx) => {
          await recordAudit(tx, {
            organizationId: organization,
            actor: { type: 'system', id: 't' },
            action: 'member.add',
          });
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      await expect(
        withOrganization(db, organization, (tx) =>
          recordAudit(tx, {
            organizationId: organization,
            actor: { type: 'system', id: 't' },
            action: 'Bad Action',
          }),
        ),
      ).rejects.toThrow(/noun.verb/);
      expect(
        await withOrganization(db, organization, (tx) => listAuditEntries(tx, organization)),
      ).toEqual([]);
    });
  });
}
