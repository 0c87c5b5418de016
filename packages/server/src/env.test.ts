import { availableParallelism } from 'node:os';
import { isWardenError } from '@warden/scanner';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './env.js';

function failure(environment: Record<string, string>): {
  code: string;
  message: string;
  paths: string[];
} {
  try {
    loadConfig(environment);
  } catch (error) {
    if (!isWardenError(error)) throw error;
    return {
      code: error.code,
      message: error.message,
      paths: error.issues.map((issue) => issue.path),
    };
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('defaults to the embedded database on port 8787 in ./.warden', () => {
    const config = loadConfig({});
    expect(config.WARDEN_PORT).toBe(8787);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.WARDEN_DATA_DIR).toMatch(/\.warden$/);
    expect(config.WARDEN_COOKIE_SECURE).toBe(true);
  });

  it('lets flags override the environment', () => {
    const config = loadConfig(
      { WARDEN_PORT: '9000' },
      { WARDEN_PORT: '9100', WARDEN_DATA_DIR: '/tmp/w' },
    );
    expect(config.WARDEN_PORT).toBe(9100);
    expect(config.WARDEN_DATA_DIR).toBe('/tmp/w');
  });

  it('names the variable of a bad value', () => {
    expect(failure({ WARDEN_PORT: 'eighty' })).toMatchObject({
      code: 'WARDEN_CONFIG_INVALID',
      paths: ['WARDEN_PORT'],
    });
    expect(failure({ WARDEN_PORT: '70000' }).paths).toEqual(['WARDEN_PORT']);
    expect(failure({ DATABASE_URL: 'mysql://x' }).message).toContain('DATABASE_URL');
    expect(failure({ REDIS_URL: 'localhost:6379' }).paths).toEqual(['REDIS_URL']);
    expect(failure({ WARDEN_COOKIE_SECURE: 'yes' }).paths).toEqual(['WARDEN_COOKIE_SECURE']);
    expect(failure({ WARDEN_LOG_LEVEL: 'loud' }).paths).toEqual(['WARDEN_LOG_LEVEL']);
  });

  it('runs one worker unless told; auto is one per CPU; more than one needs PostgreSQL', () => {
    expect(loadConfig({}).WARDEN_WORKERS).toBe(1);
    const postgres = { DATABASE_URL: 'postgres://localhost/warden' };
    expect(loadConfig({ ...postgres, WARDEN_WORKERS: '4' }).WARDEN_WORKERS).toBe(4);
    expect(loadConfig(postgres, { WARDEN_WORKERS: 'auto' }).WARDEN_WORKERS).toBe(
      availableParallelism(),
    );
    expect(failure({ ...postgres, WARDEN_WORKERS: '0' }).paths).toEqual(['WARDEN_WORKERS']);
    expect(failure({ ...postgres, WARDEN_WORKERS: 'many' }).paths).toEqual(['WARDEN_WORKERS']);
    const embedded = failure({ WARDEN_WORKERS: '2' });
    expect(embedded).toMatchObject({ code: 'WARDEN_CONFIG_INVALID', paths: ['WARDEN_WORKERS'] });
    expect(embedded.message).toContain('DATABASE_URL');
    expect(loadConfig({ WARDEN_WORKERS: '1' }).WARDEN_WORKERS).toBe(1);
  });

  it('prefixes Redis keys with warden unless told; the prefix is a plain name', () => {
    expect(loadConfig({}).WARDEN_REDIS_PREFIX).toBe('warden');
    expect(loadConfig({ WARDEN_REDIS_PREFIX: 'staging:eu' }).WARDEN_REDIS_PREFIX).toBe(
      'staging:eu',
    );
    expect(failure({ WARDEN_REDIS_PREFIX: 'two words' }).paths).toEqual(['WARDEN_REDIS_PREFIX']);
  });

  it('wants the three bootstrap variables together, with a real email and a long password', () => {
    expect(failure({ WARDEN_BOOTSTRAP_EMAIL: 'a@example.test' }).message).toContain(
      'must be set together',
    );
    expect(
      failure({
        WARDEN_BOOTSTRAP_EMAIL: 'nope',
        WARDEN_BOOTSTRAP_PASSWORD: 'short',
        WARDEN_BOOTSTRAP_ORG: 'x',
      }).paths,
    ).toEqual(['WARDEN_BOOTSTRAP_EMAIL', 'WARDEN_BOOTSTRAP_PASSWORD']);
  });
});
