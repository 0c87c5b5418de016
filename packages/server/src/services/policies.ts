import { createHash } from 'node:crypto';
import { canonicalJson, type PolicyBundle } from '@warden/protocol';
import { isWardenError, parsePolicy } from '@warden/scanner';
import {
  type PolicySigner,
  policyContentHash,
  signPolicyBundle,
} from '../crypto/policy-signing.js';
import type { Queryable } from '../db/database.js';
import { errors, ServerError } from '../errors.js';

/** Largest policy document accepted, as canonical JSON (the default policy is about 2 KB). */
export const MAX_POLICY_DOCUMENT_BYTES = 256 * 1024;

/** A policy as the API shows it. */
export interface PolicyRow {
  id: string;
  name: string;
  projectId: string | null;
  createdAt: Date;
  latestVersion: number | null;
  publishedVersion: number | null;
  publishedAt: Date | null;
}

/** One immutable version of a policy. */
export interface PolicyVersionRow {
  id: string;
  policyId: string;
  version: number;
  document: Record<string, unknown>;
  contentHash: string;
  createdBy: string | null;
  createdAt: Date;
}

const POLICY_SELECT = `
SELECT p.id, p.name, p.project_id AS "projectId", p.created_at AS "createdAt",
       (SELECT max(v.version) FROM policy_versions v WHERE v.policy_id = p.id) AS "latestVersion",
       pub.version AS "publishedVersion", pub.published_at AS "publishedAt"
  FROM policies p
  LEFT JOIN LATERAL (
    SELECT v.version, pp.published_at FROM policy_publications pp
      JOIN policy_versions v ON v.id = pp.version_id
     WHERE pp.policy_id = p.id ORDER BY pp.published_at DESC LIMIT 1
  ) pub ON true`;

const VERSION_COLUMNS = `id, policy_id AS "policyId", version, document, content_hash AS "contentHash",
  created_by AS "createdBy", created_at AS "createdAt"`;

/**
 * Validates a policy document with the scanner's own parser, so the server accepts exactly what
 * SDKs and gateways will load; a bad document throws 400 WARDEN_POLICY_INVALID whose issues name
 * each field under `pathPrefix`.
 * @example validatePolicyDocument(body.document, 'body.document')
 */
export function validatePolicyDocument(
  document: unknown,
  pathPrefix: string,
): Record<string, unknown> {
  try {
    parsePolicy(document);
  } catch (error) {
    if (isWardenError(error) && error.code === 'WARDEN_POLICY_INVALID') {
      const issues = error.issues.map((issue) => ({
        path: issue.path === '' ? pathPrefix : `${pathPrefix}.${issue.path}`,
        message: issue.message,
      }));
      throw new ServerError(
        'WARDEN_POLICY_INVALID',
        400,
        `The policy document is invalid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
        { issues, cause: error },
      );
    }
    throw error;
  }
  const canonical = canonicalJson(document);
  if (Buffer.byteLength(canonical, 'utf8') > MAX_POLICY_DOCUMENT_BYTES) {
    throw new ServerError(
      'WARDEN_POLICY_INVALID',
      400,
      `The policy document is larger than ${MAX_POLICY_DOCUMENT_BYTES} bytes.`,
      {
        issues: [{ path: pathPrefix, message: `larger than ${MAX_POLICY_DOCUMENT_BYTES} bytes` }],
      },
    );
  }
  return JSON.parse(canonical) as Record<string, unknown>;
}

/** Lists the organisation's policies with their latest and published versions. */
export async function listPolicies(tx: Queryable): Promise<PolicyRow[]> {
  const result = await tx.query<PolicyRow>(
    `${POLICY_SELECT} ORDER BY p.project_id NULLS FIRST, p.name`,
  );
  return result.rows.map(normalizePolicy);
}

/** One policy, or 404. */
export async function getPolicy(tx: Queryable, policyId: string): Promise<PolicyRow> {
  const result = await tx.query<PolicyRow>(`${POLICY_SELECT} WHERE p.id = $1`, [policyId]);
  const row = result.rows[0];
  if (row === undefined) throw errors.notFound('Policy');
  return normalizePolicy(row);
}

function normalizePolicy(row: PolicyRow): PolicyRow {
  return {
    ...row,
    latestVersion: row.latestVersion === null ? null : Number(row.latestVersion),
    publishedVersion: row.publishedVersion === null ? null : Number(row.publishedVersion),
  };
}

/**
 * Creates a policy: the organisation's default (no project) or one project's. At most one of each.
 * @example const policy = await createPolicy(tx, { organizationId, name: 'default', projectId: null, createdBy })
 */
export async function createPolicy(
  tx: Queryable,
  input: {
    organizationId: string;
    name: string;
    projectId: string | null;
    createdBy: string | null;
  },
): Promise<PolicyRow> {
  if (input.projectId !== null) {
    const project = await tx.query('SELECT 1 FROM projects WHERE id = $1', [input.projectId]);
    if (project.rows.length === 0) throw errors.notFound('Project');
  }
  const taken = await tx.query<{ name: string; project_id: string | null }>(
    'SELECT name, project_id FROM policies WHERE name = $1 OR project_id IS NOT DISTINCT FROM $2',
    [input.name, input.projectId],
  );
  const clash = taken.rows[0];
  if (clash !== undefined) {
    throw errors.conflict(
      clash.name === input.name
        ? `A policy named "${input.name}" already exists.`
        : input.projectId === null
          ? 'The organisation already has a default policy; add a version to it instead.'
          : 'This project already has a policy; add a version to it instead.',
    );
  }
  const inserted = await tx.query<{ id: string }>(
    'INSERT INTO policies (org_id, name, project_id, created_by) VALUES ($1, $2, $3, $4) RETURNING id',
    [input.organizationId, input.name, input.projectId, input.createdBy],
  );
  return getPolicy(tx, inserted.rows[0]!.id);
}

/**
 * Adds an immutable version to a policy (validated first). A document equal to the latest
 * version's (same content hash) adds nothing and returns that version with `created: false`.
 * @example const { version } = await addPolicyVersion(tx, { organizationId, policyId, document, createdBy })
 */
export async function addPolicyVersion(
  tx: Queryable,
  input: { organizationId: string; policyId: string; document: unknown; createdBy: string | null },
): Promise<{ version: PolicyVersionRow; created: boolean }> {
  const document = validatePolicyDocument(input.document, 'body.document');
  // Locks the policy row: concurrent additions get consecutive version numbers.
  const policy = await tx.query('SELECT id FROM policies WHERE id = $1 FOR UPDATE', [
    input.policyId,
  ]);
  if (policy.rows.length === 0) throw errors.notFound('Policy');
  const contentHash = policyContentHash(document);
  const latest = await tx.query<PolicyVersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM policy_versions WHERE policy_id = $1 ORDER BY version DESC LIMIT 1`,
    [input.policyId],
  );
  const previous = latest.rows[0];
  if (previous !== undefined && previous.contentHash === contentHash) {
    return { version: previous, created: false };
  }
  const inserted = await tx.query<PolicyVersionRow>(
    `INSERT INTO policy_versions (org_id, policy_id, version, document, content_hash, created_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${VERSION_COLUMNS}`,
    [
      input.organizationId,
      input.policyId,
      (previous?.version ?? 0) + 1,
      JSON.stringify(document),
      contentHash,
      input.createdBy,
    ],
  );
  return { version: inserted.rows[0]!, created: true };
}

/** The versions of a policy, newest first (documents left out). */
export async function listPolicyVersions(
  tx: Queryable,
  policyId: string,
): Promise<Omit<PolicyVersionRow, 'document'>[]> {
  await getPolicy(tx, policyId);
  const result = await tx.query<PolicyVersionRow>(
    `SELECT id, policy_id AS "policyId", version, content_hash AS "contentHash", created_by AS "createdBy",
            created_at AS "createdAt"
       FROM policy_versions WHERE policy_id = $1 ORDER BY version DESC`,
    [policyId],
  );
  return result.rows;
}

/** One version with its document, or 404. */
export async function getPolicyVersion(
  tx: Queryable,
  policyId: string,
  version: number,
): Promise<PolicyVersionRow> {
  const result = await tx.query<PolicyVersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM policy_versions WHERE policy_id = $1 AND version = $2`,
    [policyId, version],
  );
  const row = result.rows[0];
  if (row === undefined) throw errors.notFound('Policy version');
  return row;
}

/**
 * Publishes a version: signs its bundle now and records the publication, which makes it what
 * `GET /v1/policy` serves. Publishing an older version again is how a policy is rolled back.
 * @example const { bundle } = await publishPolicyVersion(tx, signer, { organizationId, policyId, version: 2, publishedBy })
 */
export async function publishPolicyVersion(
  tx: Queryable,
  signer: PolicySigner,
  input: { organizationId: string; policyId: string; version: number; publishedBy: string | null },
): Promise<{ bundle: PolicyBundle; etag: string; publicationId: string }> {
  const version = await getPolicyVersion(tx, input.policyId, input.version);
  const bundle = signPolicyBundle(signer, {
    organizationId: input.organizationId,
    versionId: version.id,
    version: version.version,
    policy: version.document,
    issuedAt: new Date(),
  });
  const etag = bundleEtag(bundle);
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO policy_publications (org_id, policy_id, version_id, bundle, etag, published_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [
      input.organizationId,
      input.policyId,
      version.id,
      JSON.stringify(bundle),
      etag,
      input.publishedBy,
    ],
  );
  return { bundle, etag, publicationId: inserted.rows[0]!.id };
}

/** A strong ETag for a bundle: its signature changes whenever anything in it does. */
export function bundleEtag(bundle: PolicyBundle): string {
  return `"${createHash('sha256').update(bundle.signature).digest('hex').slice(0, 32)}"`;
}

/**
 * The bundle an SDK of `projectId` should run: its project's published policy, else the
 * organisation default's; undefined when neither is published (the SDK keeps its built-in one).
 * @example const current = await currentPolicyBundle(tx, apiKey.projectId)
 */
export async function currentPolicyBundle(
  tx: Queryable,
  projectId: string,
): Promise<{ bundle: PolicyBundle; etag: string } | undefined> {
  const result = await tx.query<{ bundle: PolicyBundle | string; etag: string }>(
    `SELECT pp.bundle, pp.etag FROM policy_publications pp JOIN policies p ON p.id = pp.policy_id
      WHERE p.project_id = $1 OR p.project_id IS NULL
      ORDER BY (p.project_id IS NULL), pp.published_at DESC LIMIT 1`,
    [projectId],
  );
  const row = result.rows[0];
  if (row === undefined) return undefined;
  return {
    bundle: typeof row.bundle === 'string' ? JSON.parse(row.bundle) : row.bundle,
    etag: row.etag,
  };
}
