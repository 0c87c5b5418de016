import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ServerError } from './errors.js';

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const integer = (fallback: number, minimum: number) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? String(fallback) : value))
    .pipe(z.string().regex(/^[0-9]+$/, 'expected a whole number'))
    .transform(Number)
    .pipe(z.number().int().min(minimum));
const positiveInteger = (fallback: number) => integer(fallback, 1);

const booleanFlag = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value === '' ? String(fallback) : value))
    .pipe(z.enum(['true', 'false', '1', '0'], { message: 'expected true or false' }))
    .transform((value) => value === 'true' || value === '1');

const EnvironmentSchema = z.object({
  // 0 asks the system for a free port (tests).
  WARDEN_PORT: integer(8787, 0).pipe(z.number().max(65_535)),
  WARDEN_HOST: optionalString.transform((value) => value ?? '0.0.0.0'),
  WARDEN_DATA_DIR: optionalString.transform((value) => path.resolve(value ?? '.warden')),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATABASE_POOL_SIZE: positiveInteger(10),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL')
      .optional(),
  ),
  WARDEN_LOG_LEVEL: optionalString
    .transform((value) => value ?? 'info')
    .pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  WARDEN_BODY_LIMIT_BYTES: positiveInteger(2 * 1024 * 1024),
  WARDEN_MAX_BATCH_EVENTS: positiveInteger(1000),
  WARDEN_RATE_LIMIT_KEY_EVENTS_PER_SECOND: positiveInteger(20_000),
  WARDEN_RATE_LIMIT_ORG_EVENTS_PER_SECOND: positiveInteger(100_000),
  WARDEN_RATE_LIMIT_LOGIN_PER_MINUTE: positiveInteger(10),
  /** Prefix of Warden's keys and channels in Redis: separates deployments sharing one Redis. */
  WARDEN_REDIS_PREFIX: optionalString
    .transform((value) => value ?? 'warden')
    .pipe(
      z
        .string()
        .regex(
          /^[A-Za-z0-9_.:-]{1,100}$/,
          'expected up to 100 letters, digits, "_", ".", ":" or "-"',
        ),
    ),
  WARDEN_SESSION_TTL_HOURS: positiveInteger(12),
  WARDEN_COOKIE_SECURE: booleanFlag(true),
  WARDEN_TRUST_PROXY: booleanFlag(false),
  WARDEN_SHUTDOWN_TIMEOUT_MS: positiveInteger(10_000),
  /** HTTP worker processes (node:cluster) sharing the port; `auto`: one per available CPU. */
  WARDEN_WORKERS: optionalString
    .transform((value) => (value === 'auto' ? String(availableParallelism()) : (value ?? '1')))
    .pipe(z.string().regex(/^[0-9]+$/, 'expected a whole number or auto'))
    .transform(Number)
    .pipe(z.number().int().min(1).max(256)),
  /** When set, /metrics wants `Authorization: Bearer <token>` (it names routes and volumes). */
  WARDEN_METRICS_TOKEN: optionalString.pipe(
    z.string().min(16, 'expected at least 16 characters').optional(),
  ),
  WARDEN_BOOTSTRAP_EMAIL: optionalString.pipe(z.email('expected an email address').optional()),
  WARDEN_BOOTSTRAP_PASSWORD: optionalString.pipe(
    z.string().min(12, 'expected at least 12 characters').optional(),
  ),
  WARDEN_BOOTSTRAP_ORG: optionalString.pipe(z.string().max(100).optional()),
});

/** The server's configuration, parsed once at start-up from the environment and flags. */
export type ServerConfig = z.output<typeof EnvironmentSchema>;

/** The environment variable names the server reads. */
export const ENVIRONMENT_VARIABLES = Object.keys(EnvironmentSchema.shape) as readonly string[];

/**
 * Parses and validates the configuration; a bad value throws WARDEN_CONFIG_INVALID naming the
 * variable. Flags (already mapped to variable names) take precedence over the environment.
 * @example const config = loadConfig(process.env, { WARDEN_PORT: '9000' })
 */
export function loadConfig(
  environment: Record<string, string | undefined>,
  overrides: Record<string, string | undefined> = {},
): ServerConfig {
  const input: Record<string, string | undefined> = {};
  for (const name of ENVIRONMENT_VARIABLES) input[name] = overrides[name] ?? environment[name];
  const parsed = EnvironmentSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
    const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw new ServerError('WARDEN_CONFIG_INVALID', 500, `Invalid configuration: ${summary}`, {
      issues,
    });
  }
  const config = parsed.data;
  const bootstrapSet = [
    config.WARDEN_BOOTSTRAP_EMAIL,
    config.WARDEN_BOOTSTRAP_PASSWORD,
    config.WARDEN_BOOTSTRAP_ORG,
  ].filter((value) => value !== undefined).length;
  if (bootstrapSet !== 0 && bootstrapSet !== 3) {
    throw new ServerError(
      'WARDEN_CONFIG_INVALID',
      500,
      'Invalid configuration: WARDEN_BOOTSTRAP_EMAIL, WARDEN_BOOTSTRAP_PASSWORD and WARDEN_BOOTSTRAP_ORG must be set together.',
      { issues: [{ path: 'WARDEN_BOOTSTRAP_EMAIL', message: 'set all three or none' }] },
    );
  }
  if (config.WARDEN_WORKERS > 1 && config.DATABASE_URL === undefined) {
    throw new ServerError(
      'WARDEN_CONFIG_INVALID',
      500,
      `Invalid configuration: WARDEN_WORKERS=${config.WARDEN_WORKERS} needs DATABASE_URL (PostgreSQL): the embedded database belongs to one process, so run it with one worker.`,
      { issues: [{ path: 'WARDEN_WORKERS', message: 'more than one worker needs DATABASE_URL' }] },
    );
  }
  return config;
}
