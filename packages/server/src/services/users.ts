import type { Database, Queryable } from '../db/database.js';
import { enterOrganization } from '../db/tenancy.js';
import { ServerError } from '../errors.js';
import { hashPassword } from './passwords.js';
import type { Role } from './roles.js';

/** A user as the API shows it. */
export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  createdAt: Date;
}

/** Finds a user and their password hash by email (case-insensitive). System path: sign-in. */
export async function findUserForLogin(
  db: Queryable,
  email: string,
): Promise<{ id: string; email: string; passwordHash: string } | undefined> {
  const result = await db.query<{ id: string; email: string; password_hash: string }>(
    'SELECT id, email, password_hash FROM users WHERE lower(email) = lower($1)',
    [email],
  );
  const row = result.rows[0];
  return row === undefined
    ? undefined
    : { id: row.id, email: row.email, passwordHash: row.password_hash };
}

/** Creates a user (system path: a new account belongs to no organisation yet). */
export async function createUser(
  db: Queryable,
  input: { email: string; password: string; name?: string | undefined },
): Promise<UserRow> {
  const passwordHash = await hashPassword(input.password);
  try {
    const result = await db.query<UserRow>(
      `INSERT INTO users (email, password_hash, name) VALUES ($1, $2, $3)
       RETURNING id, email, name, created_at AS "createdAt"`,
      [input.email, passwordHash, input.name ?? null],
    );
    return result.rows[0]!;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new ServerError('WARDEN_CONFLICT', 409, 'A user with this email already exists.');
    }
    throw error;
  }
}

/** An organisation as the API shows it. */
export interface OrganizationRow {
  id: string;
  name: string;
  plan: string;
  retentionDays: number;
  createdAt: Date;
}

export const ORGANIZATION_COLUMNS =
  'id, name, plan, retention_days AS "retentionDays", created_at AS "createdAt"';

/**
 * Creates an organisation with `ownerId` as its owner. System path (there is no organisation
 * context before the organisation exists); everything after it goes through withOrganization.
 */
export async function createOrganization(
  db: Database,
  input: { name: string; ownerId: string },
  /** Runs in the same transaction, scoped to the new organisation (e.g. the audit entry). */
  after?: (transaction: Queryable, organization: OrganizationRow) => Promise<void>,
): Promise<OrganizationRow> {
  return db.transaction(async (transaction) => {
    const created = await transaction.query<OrganizationRow>(
      `INSERT INTO organizations (name) VALUES ($1) RETURNING ${ORGANIZATION_COLUMNS}`,
      [input.name],
    );
    const organization = created.rows[0]!;
    await transaction.query(
      `INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'owner')`,
      [organization.id, input.ownerId],
    );
    if (after !== undefined) {
      await enterOrganization(transaction, organization.id);
      await after(transaction, organization);
    }
    return organization;
  });
}

/** The organisations a user belongs to, with their role (user-scoped system path). */
export async function listUserOrganizations(
  db: Database,
  userId: string,
): Promise<(OrganizationRow & { role: Role })[]> {
  const result = await db.query<OrganizationRow & { role: Role }>(
    `SELECT o.id, o.name, o.plan, o.retention_days AS "retentionDays", o.created_at AS "createdAt", m.role
       FROM memberships m JOIN organizations o ON o.id = m.org_id
      WHERE m.user_id = $1 ORDER BY o.created_at, o.id`,
    [userId],
  );
  return result.rows;
}
