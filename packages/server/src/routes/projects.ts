import { z } from 'zod';
import type { Queryable } from '../db/database.js';
import { withOrganization } from '../db/tenancy.js';
import { errors } from '../errors.js';
import type { RouteModule } from '../http/router.js';
import { audit, ERROR_RESPONSES, OrganizationParams, requireOrganization, Uuid } from './shared.js';

const Slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected lowercase letters, digits and dashes (at most 63)');
const Project = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  createdAt: z.date(),
});
const Agent = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  firstSeenAt: z.date().nullable(),
  lastSeenAt: z.date().nullable(),
  createdAt: z.date(),
});
const ProjectParams = z.strictObject({ orgId: Uuid, projectId: Uuid });
const AgentParams = z.strictObject({ orgId: Uuid, agentId: Uuid });

const PROJECT_COLUMNS = 'id, name, slug, created_at AS "createdAt"';
const AGENT_COLUMNS =
  'id, project_id AS "projectId", name, description, first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt", created_at AS "createdAt"';

function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return slug === '' ? 'project' : slug;
}

function conflictOnDuplicate(what: string) {
  return (error: unknown): never => {
    if ((error as { code?: string }).code === '23505')
      throw errors.conflict(`${what} already exists.`);
    throw error;
  };
}

/** Throws 404 unless the project exists in the transaction's organisation. */
export async function assertProject(tx: Queryable, projectId: string): Promise<void> {
  const found = await tx.query('SELECT 1 FROM projects WHERE id = $1', [projectId]);
  if (found.rows.length === 0) throw errors.notFound('Project');
}

/** Projects and the agents in them. */
export const projectRoutes: RouteModule = {
  name: 'projects',
  register(router) {
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/projects',
        summary: 'Projects of the organisation',
        tag: 'projects',
        auth: { kind: 'member', role: 'viewer' },
        params: OrganizationParams,
        responses: {
          200: { description: 'Projects', schema: z.object({ projects: z.array(Project) }) },
          404: ERROR_RESPONSES[404],
        },
      },
      async (c) => {
        const projects = await withOrganization(
          c.get('services').db,
          requireOrganization(c).id,
          async (tx) =>
            (await tx.query(`SELECT ${PROJECT_COLUMNS} FROM projects ORDER BY created_at, id`))
              .rows,
        );
        return c.json({ projects });
      },
    );
    router.add(
      {
        method: 'post',
        path: '/v1/orgs/:orgId/projects',
        summary: 'Create a project',
        tag: 'projects',
        auth: { kind: 'member', role: 'admin' },
        params: OrganizationParams,
        body: z.strictObject({ name: z.string().trim().min(1).max(100), slug: Slug.optional() }),
        responses: {
          201: { description: 'Created', schema: Project },
          409: { description: 'Slug taken' },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { body }) => {
        const organization = requireOrganization(c);
        const project = await withOrganization(
          c.get('services').db,
          organization.id,
          async (tx) => {
            const result = await tx.query(
              `INSERT INTO projects (org_id, name, slug) VALUES ($1, $2, $3) RETURNING ${PROJECT_COLUMNS}`,
              [organization.id, body.name, body.slug ?? slugOf(body.name)],
            );
            const project = result.rows[0] as { id: string; slug: string };
            await audit(c, tx, {
              organizationId: organization.id,
              action: 'project.create',
              target: { type: 'project', id: project.id },
              details: { name: body.name, slug: project.slug },
            });
            return project;
          },
        ).catch(conflictOnDuplicate('A project with this slug'));
        return c.json(project, 201);
      },
    );
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/projects/:projectId',
        summary: 'One project',
        tag: 'projects',
        auth: { kind: 'member', role: 'viewer' },
        params: ProjectParams,
        responses: { 200: { description: 'The project', schema: Project }, ...ERROR_RESPONSES },
      },
      async (c, { params }) => {
        const project = await withOrganization(
          c.get('services').db,
          requireOrganization(c).id,
          async (tx) =>
            (
              await tx.query(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = $1`, [
                params.projectId,
              ])
            ).rows[0],
        );
        if (project === undefined) throw errors.notFound('Project');
        return c.json(project);
      },
    );
    router.add(
      {
        method: 'patch',
        path: '/v1/orgs/:orgId/projects/:projectId',
        summary: 'Rename a project or change its slug',
        tag: 'projects',
        auth: { kind: 'member', role: 'admin' },
        params: ProjectParams,
        body: z
          .strictObject({
            name: z.string().trim().min(1).max(100).optional(),
            slug: Slug.optional(),
          })
          .refine((value) => value.name !== undefined || value.slug !== undefined, {
            message: 'send name or slug',
          }),
        responses: { 200: { description: 'Updated', schema: Project }, ...ERROR_RESPONSES },
      },
      async (c, { params, body }) => {
        const organization = requireOrganization(c);
        const project = await withOrganization(
          c.get('services').db,
          organization.id,
          async (tx) => {
            const updated = (
              await tx.query(
                `UPDATE projects SET name = coalesce($2, name), slug = coalesce($3, slug) WHERE id = $1 RETURNING ${PROJECT_COLUMNS}`,
                [params.projectId, body.name ?? null, body.slug ?? null],
              )
            ).rows[0];
            if (updated !== undefined) {
              await audit(c, tx, {
                organizationId: organization.id,
                action: 'project.update',
                target: { type: 'project', id: params.projectId },
                details: { ...body },
              });
            }
            return updated;
          },
        ).catch(conflictOnDuplicate('A project with this slug'));
        if (project === undefined) throw errors.notFound('Project');
        return c.json(project);
      },
    );
    router.add(
      {
        method: 'delete',
        path: '/v1/orgs/:orgId/projects/:projectId',
        summary: 'Delete a project, its agents and its API keys (its events stay until retention)',
        tag: 'projects',
        auth: { kind: 'member', role: 'admin' },
        params: ProjectParams,
        responses: { 204: { description: 'Deleted' }, ...ERROR_RESPONSES },
      },
      async (c, { params }) => {
        const organization = requireOrganization(c);
        const deleted = await withOrganization(
          c.get('services').db,
          organization.id,
          async (tx) => {
            const result = await tx.query<{ name: string }>(
              'DELETE FROM projects WHERE id = $1 RETURNING name',
              [params.projectId],
            );
            if (result.rows.length > 0) {
              await audit(c, tx, {
                organizationId: organization.id,
                action: 'project.delete',
                target: { type: 'project', id: params.projectId },
                details: { name: result.rows[0]!.name },
              });
            }
            return result.rows.length;
          },
        );
        if (deleted === 0) throw errors.notFound('Project');
        return c.body(null, 204);
      },
    );

    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/agents',
        summary:
          'Agents of the organisation (registered, or seen in events), optionally of one project',
        tag: 'agents',
        auth: { kind: 'member', role: 'viewer' },
        params: OrganizationParams,
        query: z.strictObject({ projectId: Uuid.optional() }),
        responses: {
          200: { description: 'Agents', schema: z.object({ agents: z.array(Agent) }) },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { query }) => {
        const agents = await withOrganization(
          c.get('services').db,
          requireOrganization(c).id,
          async (tx) =>
            (
              await tx.query(
                `SELECT ${AGENT_COLUMNS} FROM agents WHERE ($1::uuid IS NULL OR project_id = $1) ORDER BY name, id`,
                [query.projectId ?? null],
              )
            ).rows,
        );
        return c.json({ agents });
      },
    );
    router.add(
      {
        method: 'post',
        path: '/v1/orgs/:orgId/projects/:projectId/agents',
        summary: 'Register an agent ahead of its first event',
        tag: 'agents',
        auth: { kind: 'member', role: 'member' },
        params: ProjectParams,
        body: z.strictObject({
          name: z
            .string()
            .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'expected the agentId events report'),
          description: z.string().trim().max(500).optional(),
        }),
        responses: {
          201: { description: 'Registered', schema: Agent },
          409: { description: 'Already registered' },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { params, body }) => {
        const organization = requireOrganization(c);
        const agent = await withOrganization(c.get('services').db, organization.id, async (tx) => {
          await assertProject(tx, params.projectId);
          const created = (
            await tx.query<{ id: string }>(
              `INSERT INTO agents (org_id, project_id, name, description) VALUES ($1, $2, $3, $4) RETURNING ${AGENT_COLUMNS}`,
              [organization.id, params.projectId, body.name, body.description ?? null],
            )
          ).rows[0]!;
          await audit(c, tx, {
            organizationId: organization.id,
            action: 'agent.create',
            target: { type: 'agent', id: created.id },
            details: { name: body.name, projectId: params.projectId },
          });
          return created;
        }).catch(conflictOnDuplicate('An agent with this name in this project'));
        return c.json(agent, 201);
      },
    );
    router.add(
      {
        method: 'patch',
        path: '/v1/orgs/:orgId/agents/:agentId',
        summary: "Change an agent's description",
        tag: 'agents',
        auth: { kind: 'member', role: 'member' },
        params: AgentParams,
        body: z.strictObject({ description: z.string().trim().max(500).nullable() }),
        responses: { 200: { description: 'Updated', schema: Agent }, ...ERROR_RESPONSES },
      },
      async (c, { params, body }) => {
        const organization = requireOrganization(c);
        const agent = await withOrganization(c.get('services').db, organization.id, async (tx) => {
          const updated = (
            await tx.query(
              `UPDATE agents SET description = $2 WHERE id = $1 RETURNING ${AGENT_COLUMNS}`,
              [params.agentId, body.description],
            )
          ).rows[0];
          if (updated !== undefined) {
            await audit(c, tx, {
              organizationId: organization.id,
              action: 'agent.update',
              target: { type: 'agent', id: params.agentId },
              details: { description: body.description },
            });
          }
          return updated;
        });
        if (agent === undefined) throw errors.notFound('Agent');
        return c.json(agent);
      },
    );
    router.add(
      {
        method: 'delete',
        path: '/v1/orgs/:orgId/agents/:agentId',
        summary: 'Forget an agent (it comes back if it reports again)',
        tag: 'agents',
        auth: { kind: 'member', role: 'admin' },
        params: AgentParams,
        responses: { 204: { description: 'Deleted' }, ...ERROR_RESPONSES },
      },
      async (c, { params }) => {
        const organization = requireOrganization(c);
        const deleted = await withOrganization(
          c.get('services').db,
          organization.id,
          async (tx) => {
            const result = await tx.query<{ name: string }>(
              'DELETE FROM agents WHERE id = $1 RETURNING name',
              [params.agentId],
            );
            if (result.rows.length > 0) {
              await audit(c, tx, {
                organizationId: organization.id,
                action: 'agent.delete',
                target: { type: 'agent', id: params.agentId },
                details: { name: result.rows[0]!.name },
              });
            }
            return result.rows.length;
          },
        );
        if (deleted === 0) throw errors.notFound('Agent');
        return c.body(null, 204);
      },
    );
  },
};
