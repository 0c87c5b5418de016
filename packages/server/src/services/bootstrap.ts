import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import type { ServerConfig } from '../env.js';
import { recordAudit } from './audit.js';
import { hashPassword } from './passwords.js';

const BOOTSTRAP_LOCK = 7_366_003;

/**
 * Creates the first owner and organisation from WARDEN_BOOTSTRAP_* when the database has no
 * user yet; does nothing otherwise (safe with several replicas starting at once).
 * @example const outcome = await bootstrap(db, config) // 'created' | 'skipped' | 'not-configured'
 */
export async function bootstrap(
  db: Database,
  config: Pick<
    ServerConfig,
    'WARDEN_BOOTSTRAP_EMAIL' | 'WARDEN_BOOTSTRAP_PASSWORD' | 'WARDEN_BOOTSTRAP_ORG'
  >,
): Promise<'created' | 'skipped' | 'not-configured'> {
  const email = config.WARDEN_BOOTSTRAP_EMAIL;
  const password = config.WARDEN_BOOTSTRAP_PASSWORD;
  const organizationName = config.WARDEN_BOOTSTRAP_ORG;
  if (email === undefined || password === undefined || organizationName === undefined) {
    return 'not-configured';
  }
  const passwordHash = await hashPassword(password);
  return db.transaction(async (transaction) => {
    await transaction.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
    const any = await transaction.query('SELECT 1 FROM users LIMIT 1');
    if (any.rows.length > 0) return 'skipped';
    const user = await transaction.query<{ id: string }>(
      'INSERT INTO users (email, password_hash) VALUES ($1, $2) RETURNING id',
      [email, passwordHash],
    );
    const organization = await transaction.query<{ id: string }>(
      'INSERT INTO organizations (name) VALUES ($1) RETURNING id',
      [organizationName],
    );
    await transaction.query(
      `INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'owner')`,
      [organization.rows[0]!.id, user.rows[0]!.id],
    );
    await recordAudit(transaction, {
      organizationId: organization.rows[0]!.id,
      actor: { type: 'system', id: 'bootstrap' },
      action: 'organization.bootstrap',
      target: { type: 'organization', id: organization.rows[0]!.id },
      details: { name: organizationName, ownerEmail: email, ownerId: user.rows[0]!.id },
    });
    return 'created';
  });
}

/** Logs what `bootstrap` did (nothing when it was not configured). */
export function logBootstrap(
  logger: Logger,
  outcome: Awaited<ReturnType<typeof bootstrap>>,
  email: string | undefined,
): void {
  if (outcome === 'created')
    logger.info({ email }, 'bootstrap: created the first owner and organisation');
  if (outcome === 'skipped')
    logger.info('bootstrap: users exist already, WARDEN_BOOTSTRAP_* ignored');
}
