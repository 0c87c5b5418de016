import { errors } from '../errors.js';
import { APPLICATION_ROLE, type Database, type Queryable } from './database.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The single choke point for organisation data: runs `work` in a transaction as the unprivileged
 * `warden_app` role with `warden.org_id` set, so row-level security limits every statement to
 * `organizationId`'s rows (reads and writes) whatever the SQL says.
 * @example const projects = await withOrganization(db, orgId, (tx) => tx.query('SELECT * FROM projects'))
 */
export async function withOrganization<T>(
  db: Database,
  organizationId: string,
  work: (transaction: Queryable) => Promise<T>,
): Promise<T> {
  return db.transaction(work, organizationPrelude(organizationId));
}

/**
 * The statement that scopes a transaction to `organizationId` (SET LOCAL ROLE and the
 * organisation setting). The id is checked to be a UUID before it is written into the SQL, so
 * the statement needs no parameters and can travel with BEGIN.
 */
function organizationPrelude(organizationId: string): string {
  if (!UUID.test(organizationId)) throw errors.notFound('Organisation');
  return `SELECT set_config('role', '${APPLICATION_ROLE}', true), set_config('warden.org_id', '${organizationId}', true)`;
}

/**
 * Switches an open transaction to `organizationId`'s scope until it ends (for the few paths
 * that first do system work, e.g. creating a user account, then organisation work).
 */
export async function enterOrganization(
  transaction: Queryable,
  organizationId: string,
): Promise<void> {
  if (!UUID.test(organizationId)) throw errors.notFound('Organisation');
  // One round trip: set_config('role', …, true) is SET LOCAL ROLE.
  await transaction.query(
    `SELECT set_config('role', '${APPLICATION_ROLE}', true), set_config('warden.org_id', $1, true)`,
    [organizationId],
  );
}

/** True when `value` is a UUID (ids in paths are checked before they reach SQL). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
