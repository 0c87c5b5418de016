import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readOrCreateKeyFile } from '../crypto/key-file.js';
import { createSecretBox, parseSecretKeyRing, type SecretBox } from '../crypto/secret-box.js';
import type { Database, Queryable } from '../db/database.js';
import { errors } from '../errors.js';
import type { WebhookFormat } from './webhooks.js';
import { webhookUrlProblem } from './webhooks.js';

/** File name of the generated secrets key inside the data directory. */
export const SECRETS_KEY_FILE = 'secrets.key';

/**
 * The secret box for integration secrets: from WARDEN_SECRETS_KEY when set, else a key
 * generated once in the data directory (mode 0600). Keeping the key apart from the database
 * (in the environment or a secret manager) is what makes a stolen dump useless; the generated
 * file is the zero-configuration default of the embedded setup.
 * @example const box = await loadSecretBox({ configured: process.env.WARDEN_SECRETS_KEY, dataDir })
 */
export async function loadSecretBox(options: {
  configured: string | undefined;
  dataDir: string;
}): Promise<{ box: SecretBox; source: 'environment' | 'data-dir' }> {
  if (options.configured !== undefined && options.configured.trim() !== '') {
    return { box: createSecretBox(parseSecretKeyRing(options.configured)), source: 'environment' };
  }
  const path = join(options.dataDir, SECRETS_KEY_FILE);
  const stored = (
    await readOrCreateKeyFile(path, () => `k1:${randomBytes(32).toString('base64')}\n`)
  ).trim();
  return { box: createSecretBox(parseSecretKeyRing(stored, path)), source: 'data-dir' };
}

/**
 * Stores (or replaces) a secret, sealed, in the secrets table of the transaction's organisation.
 * @example await putSecret(tx, box, { organizationId, name: `webhook:${id}:signing` }, secret)
 */
export async function putSecret(
  tx: Queryable,
  box: SecretBox,
  context: { organizationId: string; name: string },
  plaintext: string,
): Promise<void> {
  const ciphertext = box.seal(plaintext, context);
  await tx.query(
    `INSERT INTO integration_secrets (org_id, name, ciphertext, key_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (org_id, name) DO UPDATE SET ciphertext = excluded.ciphertext, key_id = excluded.key_id, updated_at = now()`,
    [context.organizationId, context.name, ciphertext, box.activeKeyId],
  );
}

/** Opens a stored secret; undefined when there is none. */
export async function getSecret(
  tx: Queryable,
  box: SecretBox,
  context: { organizationId: string; name: string },
): Promise<string | undefined> {
  const result = await tx.query<{ ciphertext: string }>(
    'SELECT ciphertext FROM integration_secrets WHERE org_id = $1 AND name = $2',
    [context.organizationId, context.name],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : box.open(row.ciphertext, context);
}

/**
 * Re-seals every secret not sealed with the active key (after a rotation: new key first in
 * WARDEN_SECRETS_KEY, the old one after it). System path: it spans organisations. Once it
 * reports 0, the old key can leave the ring.
 * @example const moved = await resealIntegrationSecrets(db, box)
 */
export async function resealIntegrationSecrets(db: Database, box: SecretBox): Promise<number> {
  const stale = await db.query<{ org_id: string; name: string; ciphertext: string }>(
    'SELECT org_id, name, ciphertext FROM integration_secrets WHERE key_id <> $1',
    [box.activeKeyId],
  );
  let moved = 0;
  for (const row of stale.rows) {
    const context = { organizationId: row.org_id, name: row.name };
    const ciphertext = box.seal(box.open(row.ciphertext, context), context);
    // Only if nobody replaced it meanwhile.
    const updated = await db.query(
      `UPDATE integration_secrets SET ciphertext = $3, key_id = $4, updated_at = now()
        WHERE org_id = $1 AND name = $2 AND ciphertext = $5`,
      [row.org_id, row.name, ciphertext, box.activeKeyId, row.ciphertext],
    );
    moved += updated.rowCount;
  }
  return moved;
}

/** A webhook as the API shows it: the URL only as its origin, since the path often is a token. */
export interface WebhookRow {
  id: string;
  name: string;
  url: string;
  format: WebhookFormat;
  enabled: boolean;
  createdAt: Date;
}

const WEBHOOK_COLUMNS = 'id, name, url, format, enabled, created_at AS "createdAt"';

/** The parts of a webhook a delivery needs, secrets opened. */
export interface WebhookTarget {
  id: string;
  name: string;
  url: string;
  format: WebhookFormat;
  secret: string;
}

/** Shows only scheme and host of a URL: Slack-style URLs carry their token in the path. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}/…`;
}

/**
 * Creates a webhook: the URL and a signing secret (generated unless given) go to the secrets
 * table sealed; the secret is returned this once.
 * @example const { webhook, secret } = await createWebhook(tx, box, { organizationId, name: 'pager', url, format: 'warden' })
 */
export async function createWebhook(
  tx: Queryable,
  box: SecretBox,
  input: {
    organizationId: string;
    name: string;
    url: string;
    format: WebhookFormat;
    secret?: string | undefined;
    allowInternal: boolean;
  },
): Promise<{ webhook: WebhookRow; secret: string }> {
  const problem = webhookUrlProblem(input.url, { allowHttp: input.allowInternal });
  if (problem !== null)
    throw errors.invalid(`body.url: ${problem}`, [{ path: 'body.url', message: problem }]);
  const secret = input.secret ?? `whsec_${randomBytes(32).toString('base64url')}`;
  const inserted = await tx.query<WebhookRow>(
    `INSERT INTO webhooks (org_id, name, url, format) VALUES ($1, $2, $3, $4) RETURNING ${WEBHOOK_COLUMNS}`,
    [input.organizationId, input.name, redactUrl(input.url), input.format],
  );
  const webhook = inserted.rows[0]!;
  await putSecret(
    tx,
    box,
    { organizationId: input.organizationId, name: `webhook:${webhook.id}:url` },
    input.url,
  );
  await putSecret(
    tx,
    box,
    { organizationId: input.organizationId, name: `webhook:${webhook.id}:signing` },
    secret,
  );
  return { webhook, secret };
}

/** Replaces a webhook's signing secret; returns the new one (shown once). */
export async function rotateWebhookSecret(
  tx: Queryable,
  box: SecretBox,
  input: { organizationId: string; webhookId: string },
): Promise<string> {
  await getWebhook(tx, input.webhookId);
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  await putSecret(
    tx,
    box,
    { organizationId: input.organizationId, name: `webhook:${input.webhookId}:signing` },
    secret,
  );
  return secret;
}

/** The organisation's webhooks. */
export async function listWebhooks(tx: Queryable): Promise<WebhookRow[]> {
  return (
    await tx.query<WebhookRow>(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks ORDER BY created_at, id`)
  ).rows;
}

/** One webhook, or 404. */
export async function getWebhook(tx: Queryable, webhookId: string): Promise<WebhookRow> {
  const result = await tx.query<WebhookRow>(
    `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1`,
    [webhookId],
  );
  const row = result.rows[0];
  if (row === undefined) throw errors.notFound('Webhook');
  return row;
}

/** Deletes a webhook and its secrets; 404 when there is none. */
export async function deleteWebhook(tx: Queryable, webhookId: string): Promise<WebhookRow> {
  const webhook = await getWebhook(tx, webhookId);
  await tx.query('DELETE FROM integration_secrets WHERE name IN ($1, $2)', [
    `webhook:${webhookId}:url`,
    `webhook:${webhookId}:signing`,
  ]);
  await tx.query('DELETE FROM webhooks WHERE id = $1', [webhookId]);
  await tx.query('UPDATE alert_rules SET webhook_ids = array_remove(webhook_ids, $1::uuid)', [
    webhookId,
  ]);
  return webhook;
}

/** A webhook with its URL and secret opened, for a delivery; undefined when gone or disabled. */
export async function loadWebhookTarget(
  tx: Queryable,
  box: SecretBox,
  input: { organizationId: string; webhookId: string },
): Promise<WebhookTarget | undefined> {
  const result = await tx.query<WebhookRow>(
    `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1 AND enabled`,
    [input.webhookId],
  );
  const row = result.rows[0];
  if (row === undefined) return undefined;
  const url = await getSecret(tx, box, {
    organizationId: input.organizationId,
    name: `webhook:${row.id}:url`,
  });
  const secret = await getSecret(tx, box, {
    organizationId: input.organizationId,
    name: `webhook:${row.id}:signing`,
  });
  if (url === undefined || secret === undefined) return undefined;
  return { id: row.id, name: row.name, url, format: row.format, secret };
}

/** One delivery-log row as the API shows it. */
export interface DeliveryRow {
  id: string;
  webhookId: string;
  alertId: string | null;
  attempt: number;
  startedAt: Date;
  durationMs: number;
  status: number | null;
  ok: boolean;
  error: string | null;
  nextDelayMs: number | null;
}

/** The newest delivery attempts of a webhook. */
export async function listDeliveries(
  tx: Queryable,
  webhookId: string,
  limit: number,
): Promise<DeliveryRow[]> {
  await getWebhook(tx, webhookId);
  const result = await tx.query<DeliveryRow>(
    `SELECT id, webhook_id AS "webhookId", alert_id AS "alertId", attempt, started_at AS "startedAt",
            duration_ms AS "durationMs", status, ok, error, next_delay_ms AS "nextDelayMs"
       FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY started_at DESC, attempt DESC LIMIT $2`,
    [webhookId, limit],
  );
  return result.rows;
}
