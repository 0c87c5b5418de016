import { describe, expect, it } from 'vitest';
import { isWardenError, type ValidationIssue } from '../errors.js';
import { DEFAULT_POLICY } from './default-policy.js';
import { parsePolicy } from './parse.js';

function issuesOf(document: unknown): ValidationIssue[] {
  try {
    parsePolicy(document);
  } catch (error) {
    if (isWardenError(error) && error.code === 'WARDEN_POLICY_INVALID') return [...error.issues];
    throw error;
  }
  throw new Error('expected the policy to be rejected');
}

describe('parsePolicy', () => {
  it('fills in defaults from the default policy', () => {
    const policy = parsePolicy({ version: 1, name: 'team-a', mode: 'monitor' });
    expect(policy).toMatchObject({
      name: 'team-a',
      mode: 'monitor',
      severityActions: DEFAULT_POLICY.severityActions,
    });
    expect(policy.categories.secret).toEqual(DEFAULT_POLICY.categories.secret);
  });

  it('accepts the default policy itself', () => {
    expect(parsePolicy(DEFAULT_POLICY)).toEqual(DEFAULT_POLICY);
  });

  it('names every offending field and what it expects', () => {
    expect(
      issuesOf({
        version: 2,
        mode: 'enforcing',
        minScore: 3,
        severityActions: { high: 'blok' },
        categories: {
          secrets: {},
          pii: { action: 'redact', surfaces: { chat: 'allow' }, redact: 'yes' },
        },
        tools: { deny: 'rm' },
        failMode: { l3: 'sideways' },
        colour: 'blue',
      }),
    ).toEqual([
      { path: 'colour', message: expect.stringContaining('unknown field') },
      { path: 'version', message: 'expected 1 (the only policy format version), got number 2' },
      { path: 'mode', message: 'expected one of "enforce", "monitor", got "enforcing"' },
      { path: 'minScore', message: 'expected a number from 0 to 1, got number 3' },
      {
        path: 'severityActions.high',
        message: 'expected one of "allow", "alert", "redact", "block", got "blok"',
      },
      { path: 'categories.secrets', message: expect.stringContaining('unknown field') },
      { path: 'categories.pii.surfaces.chat', message: expect.stringContaining('unknown field') },
      {
        path: 'categories.pii.redact',
        message: 'expected true or false, got string yes'.replace('string yes', '"yes"'),
      },
      { path: 'tools.deny', message: 'expected a list of strings, got "rm"' },
      { path: 'failMode.l3', message: 'expected one of "open", "closed", got "sideways"' },
    ]);
  });

  it('rejects a document that is not an object', () => {
    expect(issuesOf('version: 1')).toEqual([
      { path: '', message: 'expected an object, got "version: 1"' },
    ]);
    expect(issuesOf(null)[0]?.message).toBe('expected an object, got null');
  });

  it('puts every issue in the error message', () => {
    try {
      parsePolicy({ version: 1, mode: 'x' });
    } catch (error) {
      expect((error as Error).message).toBe(
        'Invalid policy:\n  - mode: expected one of "enforce", "monitor", got "x"',
      );
    }
  });
});
