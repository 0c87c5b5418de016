import { isWardenError } from '@warden/scanner';
import type { Logger } from 'pino';
import { loadPolicySigner, type PolicySigner } from './crypto/policy-signing.js';
import type { SecretBox } from './crypto/secret-box.js';
import type { Database } from './db/database.js';
import { ServerError } from './errors.js';
import { parseSecurityTxtConfig, type SecurityTxtConfig } from './routes/security-txt.js';
import { AlertEngine, type AlertEngineOptions } from './services/alerts.js';
import { loadSecretBox, resealIntegrationSecrets } from './services/integrations.js';
import { startRetentionJob } from './services/retention.js';

/** Settings of policies, alerts, integrations, retention and security.txt, parsed at start-up. */
export interface FeatureConfig {
  secretsKey: string | undefined;
  policySigningKey: string | undefined;
  allowInternalWebhooks: boolean;
  retentionIntervalMinutes: number;
  securityTxt: SecurityTxtConfig;
}

/** The environment variables FeatureConfig reads (for `warden serve --help` and the docs). */
export const FEATURE_ENVIRONMENT_VARIABLES = [
  'WARDEN_SECRETS_KEY',
  'WARDEN_POLICY_SIGNING_KEY',
  'WARDEN_WEBHOOK_ALLOW_INTERNAL',
  'WARDEN_RETENTION_INTERVAL_MINUTES',
  'WARDEN_PUBLIC_URL',
  'WARDEN_SECURITY_CONTACT',
  'WARDEN_SECURITY_TXT_EXPIRES_DAYS',
  'WARDEN_SECURITY_POLICY_URL',
  'WARDEN_SECURITY_LANGUAGES',
  'WARDEN_SECURITY_ENCRYPTION',
  'WARDEN_SECURITY_ACKNOWLEDGMENTS',
] as const;

function invalid(variable: string, message: string, cause?: unknown): ServerError {
  return new ServerError('WARDEN_CONFIG_INVALID', 500, `Invalid configuration: ${message}`, {
    issues: [{ path: variable, message }],
    cause,
  });
}

/**
 * Parses the feature settings; a bad value throws WARDEN_CONFIG_INVALID naming the variable.
 * @example const features = parseFeatureConfig(process.env)
 */
export function parseFeatureConfig(
  environment: Readonly<Record<string, string | undefined>>,
): FeatureConfig {
  const flag = environment.WARDEN_WEBHOOK_ALLOW_INTERNAL?.trim() ?? '';
  if (!['', 'true', 'false', '1', '0'].includes(flag)) {
    throw invalid(
      'WARDEN_WEBHOOK_ALLOW_INTERNAL',
      `WARDEN_WEBHOOK_ALLOW_INTERNAL: expected true or false, got "${flag}"`,
    );
  }
  const minutesText = environment.WARDEN_RETENTION_INTERVAL_MINUTES?.trim() ?? '';
  const minutes = minutesText === '' ? 60 : Number(minutesText);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
    throw invalid(
      'WARDEN_RETENTION_INTERVAL_MINUTES',
      `WARDEN_RETENTION_INTERVAL_MINUTES: expected whole minutes from 1 to 1440, got "${minutesText}"`,
    );
  }
  let securityTxt: SecurityTxtConfig;
  try {
    securityTxt = parseSecurityTxtConfig(environment);
  } catch (error) {
    const message = (error as Error).message;
    throw invalid(message.split(':')[0] ?? 'WARDEN_SECURITY_CONTACT', message, error);
  }
  const text = (name: string) => {
    const value = environment[name];
    return value === undefined || value.trim() === '' ? undefined : value;
  };
  return {
    secretsKey: text('WARDEN_SECRETS_KEY'),
    policySigningKey: text('WARDEN_POLICY_SIGNING_KEY'),
    allowInternalWebhooks: flag === 'true' || flag === '1',
    retentionIntervalMinutes: minutes,
    securityTxt,
  };
}

/** What the feature routes and the ingestion hook use; one per server process. */
export interface FeatureServices {
  config: FeatureConfig;
  policySigner: PolicySigner;
  secretBox: SecretBox;
  alerts: AlertEngine;
  /** Starts the retention job and the webhook outbox dispatcher; the returned function stops them. */
  startJobs(): () => Promise<void>;
  /** Drains queued alert work (graceful shutdown). */
  close(): Promise<void>;
}

declare module './http/types.js' {
  interface AppServices {
    /** Policies, alerts, integrations, retention: see src/features.ts. */
    features?: FeatureServices;
  }
}

/**
 * Loads keys (from configuration, else generated once in the data directory) and creates the
 * alert engine. A bad key stops the start-up with a message naming its variable.
 * @example const features = await createFeatureServices({ config: parseFeatureConfig(process.env), dataDir, db, logger })
 */
export async function createFeatureServices(options: {
  config: FeatureConfig;
  dataDir: string;
  db: Database;
  logger: Logger;
  delivery?: AlertEngineOptions['delivery'];
}): Promise<FeatureServices> {
  const { config, dataDir, db, logger } = options;
  let policySigner: PolicySigner;
  let secretBox: SecretBox;
  try {
    policySigner = await loadPolicySigner({ configured: config.policySigningKey, dataDir });
  } catch (error) {
    if (isWardenError(error)) throw invalid('WARDEN_POLICY_SIGNING_KEY', error.message, error);
    throw error;
  }
  try {
    const loaded = await loadSecretBox({ configured: config.secretsKey, dataDir });
    secretBox = loaded.box;
    if (loaded.source === 'data-dir' && db.kind === 'postgres') {
      logger.warn(
        'WARDEN_SECRETS_KEY is not set: integration secrets are sealed with a key generated in the data directory; set WARDEN_SECRETS_KEY (shared by every replica) for PostgreSQL deployments',
      );
    }
  } catch (error) {
    if (isWardenError(error)) throw invalid('WARDEN_SECRETS_KEY', error.message, error);
    throw error;
  }
  // After a key rotation, secrets still under an older key move to the active one; one that
  // does not open (its key left the ring) is logged, not fatal: the rest of the server works.
  try {
    const moved = await resealIntegrationSecrets(db, secretBox);
    if (moved > 0)
      logger.info(
        { moved, keyId: secretBox.activeKeyId },
        'integration secrets re-sealed with the active key',
      );
  } catch (error) {
    logger.error(
      { err: error },
      'could not re-seal integration secrets: is an older key missing from WARDEN_SECRETS_KEY?',
    );
  }
  if (config.policySigningKey === undefined && db.kind === 'postgres') {
    logger.warn(
      'WARDEN_POLICY_SIGNING_KEY is not set: policy bundles are signed with a key generated in the data directory; replicas must share one key, so set WARDEN_POLICY_SIGNING_KEY',
    );
  }
  const alerts = new AlertEngine({
    db,
    secretBox,
    logger,
    allowInternalWebhooks: config.allowInternalWebhooks,
    ...(options.delivery === undefined ? {} : { delivery: options.delivery }),
  });
  return {
    config,
    policySigner,
    secretBox,
    alerts,
    startJobs: () => {
      const stopRetention = startRetentionJob({
        db,
        logger,
        intervalMs: config.retentionIntervalMinutes * 60_000,
      });
      const stopDispatcher = alerts.startDispatcher();
      return async () => {
        stopDispatcher();
        await stopRetention();
      };
    },
    close: () => alerts.close(),
  };
}
