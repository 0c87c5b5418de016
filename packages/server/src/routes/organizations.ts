import { z } from 'zod';
import { enterOrganization, withOrganization } from '../db/tenancy.js';
import { errors, ServerError } from '../errors.js';
import type { RouteModule } from '../http/router.js';
import { hasRole, ROLES, type Role } from '../services/roles.js';
import {
  createOrganization,
  createUser,
  listUserOrganizations,
  ORGANIZATION_COLUMNS,
  type OrganizationRow,
} from '../services/users.js';
import {
  audit,
  ERROR_RESPONSES,
  OrganizationParams,
  requireOrganization,
  requireUser,
  Uuid,
} from './shared.js';

const Organization = z.object({
  id: z.uuid(),
  name: z.string(),
  plan: z.string(),
  retentionDays: z.number(),
  createdAt: z.date(),
});
const OrganizationName = z.string().trim().min(1).max(100);
const Member = z.object({
  userId: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(ROLES),
  createdAt: z.date(),
});
const MemberParams = z.strictObject({ orgId: Uuid, userId: Uuid });

const MEMBER_SELECT = `SELECT m.user_id AS "userId", u.email, u.name, m.role, m.created_at AS "createdAt"
  FROM memberships m JOIN users u ON u.id = m.user_id`;

/** Organisations and their members. */
export const organizationRoutes: RouteModule = {
  name: 'organizations',
  register(router) {
    router.add(
      {
        method: 'get',
        path: '/v1/orgs',
        summary: 'Organisations the signed-in user belongs to',
        tag: 'organizations',
        auth: { kind: 'user' },
        responses: {
          200: {
            description: 'Organisations with your role',
            schema: z.object({
              organizations: z.array(Organization.extend({ role: z.enum(ROLES) })),
            }),
          },
          401: ERROR_RESPONSES[401],
        },
      },
      async (c) => {
        const organizations = await listUserOrganizations(
          c.get('services').db,
          requireUser(c).userId,
        );
        return c.json({ organizations });
      },
    );
    router.add(
      {
        method: 'post',
        path: '/v1/orgs',
        summary: 'Create an organisation; you become its owner',
        tag: 'organizations',
        auth: { kind: 'user' },
        body: z.strictObject({ name: OrganizationName }),
        responses: {
          201: { description: 'Created', schema: Organization },
          400: ERROR_RESPONSES[400],
        },
      },
      async (c, { body }) => {
        const organization = await createOrganization(
          c.get('services').db,
          { name: body.name, ownerId: requireUser(c).userId },
          (tx, created) =>
            audit(c, tx, {
              organizationId: created.id,
              action: 'organization.create',
              target: { type: 'organization', id: created.id },
              details: { name: created.name },
            }),
        );
        return c.json(organization, 201);
      },
    );
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId',
        summary: 'One organisation',
        tag: 'organizations',
        auth: { kind: 'member', role: 'viewer' },
        params: OrganizationParams,
        responses: {
          200: { description: 'The organisation', schema: Organization },
          404: ERROR_RESPONSES[404],
        },
      },
      async (c) => {
        const { id } = requireOrganization(c);
        const organization = await withOrganization(c.get('services').db, id, async (tx) => {
          const result = await tx.query<OrganizationRow>(
            `SELECT ${ORGANIZATION_COLUMNS} FROM organizations`,
          );
          return result.rows[0];
        });
        if (organization === undefined) throw errors.notFound('Organisation');
        return c.json(organization);
      },
    );
    router.add(
      {
        method: 'patch',
        path: '/v1/orgs/:orgId',
        summary: 'Rename an organisation or change its retention',
        tag: 'organizations',
        auth: { kind: 'member', role: 'owner' },
        params: OrganizationParams,
        body: z
          .strictObject({
            name: OrganizationName.optional(),
            retentionDays: z
              .union([z.literal(30), z.literal(90), z.literal(180), z.literal(365)])
              .optional(),
          })
          .refine((value) => value.name !== undefined || value.retentionDays !== undefined, {
            message: 'send name or retentionDays',
          }),
        responses: { 200: { description: 'Updated', schema: Organization }, ...ERROR_RESPONSES },
      },
      async (c, { body }) => {
        const { id } = requireOrganization(c);
        const organization = await withOrganization(c.get('services').db, id, async (tx) => {
          const result = await tx.query<OrganizationRow>(
            `UPDATE organizations SET name = coalesce($1, name), retention_days = coalesce($2, retention_days)
             RETURNING ${ORGANIZATION_COLUMNS}`,
            [body.name ?? null, body.retentionDays ?? null],
          );
          await audit(c, tx, {
            organizationId: id,
            action: 'organization.update',
            target: { type: 'organization', id },
            details: { ...body },
          });
          return result.rows[0];
        });
        return c.json(organization);
      },
    );

    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/members',
        summary: 'Members of the organisation with their roles',
        tag: 'members',
        auth: { kind: 'member', role: 'viewer' },
        params: OrganizationParams,
        responses: {
          200: { description: 'Members', schema: z.object({ members: z.array(Member) }) },
          404: ERROR_RESPONSES[404],
        },
      },
      async (c) => {
        const { id } = requireOrganization(c);
        const members = await withOrganization(c.get('services').db, id, async (tx) => {
          return (await tx.query(`${MEMBER_SELECT} ORDER BY m.created_at, u.email`)).rows;
        });
        return c.json({ members });
      },
    );
    router.add(
      {
        method: 'post',
        path: '/v1/orgs/:orgId/members',
        summary: 'Add a member by email; with a password, creates the account when there is none',
        tag: 'members',
        auth: { kind: 'member', role: 'admin' },
        params: OrganizationParams,
        body: z.strictObject({
          email: z.email().max(254),
          role: z.enum(ROLES),
          password: z.string().min(12, 'expected at least 12 characters').max(1024).optional(),
          name: z.string().trim().min(1).max(100).optional(),
        }),
        responses: {
          201: { description: 'Added', schema: Member },
          409: { description: 'Already a member' },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { body }) => {
        const organization = requireOrganization(c);
        if (body.role === 'owner' && organization.role !== 'owner') {
          throw errors.forbidden('Only an owner can add another owner.');
        }
        const { db } = c.get('services');
        const member = await db.transaction(async (tx) => {
          // System part first: find or create the account (accounts belong to no organisation).
          const existing = await tx.query<{ id: string }>(
            'SELECT id FROM users WHERE lower(email) = lower($1)',
            [body.email],
          );
          let userId = existing.rows[0]?.id;
          if (userId === undefined) {
            if (body.password === undefined) {
              throw errors.notFound('User with this email (send a password to create the account)');
            }
            userId = (
              await createUser(tx, { email: body.email, password: body.password, name: body.name })
            ).id;
          }
          await enterOrganization(tx, organization.id);
          const inserted = await tx.query(
            `INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
            [organization.id, userId, body.role],
          );
          if (inserted.rows.length === 0) throw errors.conflict('This user is already a member.');
          await audit(c, tx, {
            organizationId: organization.id,
            action: 'member.add',
            target: { type: 'user', id: userId },
            details: {
              email: body.email,
              role: body.role,
              accountCreated: existing.rows.length === 0,
            },
          });
          return (await tx.query(`${MEMBER_SELECT} WHERE m.user_id = $1`, [userId])).rows[0];
        });
        return c.json(member, 201);
      },
    );
    router.add(
      {
        method: 'patch',
        path: '/v1/orgs/:orgId/members/:userId',
        summary: "Change a member's role",
        tag: 'members',
        auth: { kind: 'member', role: 'admin' },
        params: MemberParams,
        body: z.strictObject({ role: z.enum(ROLES) }),
        responses: { 200: { description: 'Updated', schema: Member }, ...ERROR_RESPONSES },
      },
      async (c, { params, body }) => {
        const organization = requireOrganization(c);
        const member = await withOrganization(c.get('services').db, organization.id, async (tx) => {
          const current = await currentRole(tx, params.userId);
          guardOwnerChange(organization.role, current, body.role);
          if (current === 'owner' && body.role !== 'owner') await guardLastOwner(tx);
          await tx.query('UPDATE memberships SET role = $1 WHERE user_id = $2', [
            body.role,
            params.userId,
          ]);
          await audit(c, tx, {
            organizationId: organization.id,
            action: 'member.role_change',
            target: { type: 'user', id: params.userId },
            details: { from: current, to: body.role },
          });
          return (await tx.query(`${MEMBER_SELECT} WHERE m.user_id = $1`, [params.userId])).rows[0];
        });
        return c.json(member);
      },
    );
    router.add(
      {
        method: 'delete',
        path: '/v1/orgs/:orgId/members/:userId',
        summary: 'Remove a member from the organisation',
        tag: 'members',
        auth: { kind: 'member', role: 'admin' },
        params: MemberParams,
        responses: { 204: { description: 'Removed' }, ...ERROR_RESPONSES },
      },
      async (c, { params }) => {
        const organization = requireOrganization(c);
        await withOrganization(c.get('services').db, organization.id, async (tx) => {
          const current = await currentRole(tx, params.userId);
          guardOwnerChange(organization.role, current, undefined);
          if (current === 'owner') await guardLastOwner(tx);
          await tx.query('DELETE FROM memberships WHERE user_id = $1', [params.userId]);
          await audit(c, tx, {
            organizationId: organization.id,
            action: 'member.remove',
            target: { type: 'user', id: params.userId },
            details: { role: current },
          });
        });
        return c.body(null, 204);
      },
    );
  },
};

async function currentRole(
  tx: { query: <Row>(sql: string, parameters?: readonly unknown[]) => Promise<{ rows: Row[] }> },
  userId: string,
): Promise<Role> {
  const result = await tx.query<{ role: Role }>('SELECT role FROM memberships WHERE user_id = $1', [
    userId,
  ]);
  const role = result.rows[0]?.role;
  if (role === undefined) throw errors.notFound('Member');
  return role;
}

function guardOwnerChange(actorRole: Role, current: Role, next: Role | undefined): void {
  if ((current === 'owner' || next === 'owner') && !hasRole(actorRole, 'owner')) {
    throw errors.forbidden('Only an owner can change or remove an owner, or make one.');
  }
}

async function guardLastOwner(tx: {
  query: <Row>(sql: string, parameters?: readonly unknown[]) => Promise<{ rows: Row[] }>;
}): Promise<void> {
  const owners = await tx.query<{ count: string }>(
    `SELECT count(*) AS count FROM memberships WHERE role = 'owner'`,
  );
  if (Number(owners.rows[0]?.count ?? 0) <= 1) {
    throw new ServerError(
      'WARDEN_CONFLICT',
      409,
      'An organisation keeps at least one owner; make another owner first.',
    );
  }
}
