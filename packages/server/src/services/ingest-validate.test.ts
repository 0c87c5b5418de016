import { ScanEventSchema } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileAcceptor } from './ingest-validate.js';

const accept = compileAcceptor(ScanEventSchema)!;

function valid(): Record<string, unknown> {
  return {
    id: '3f0c5a8e-1d2b-4c3d-9e4f-5a6b7c8d9e0f',
    timestamp: '2026-11-26T01:00:00.000Z',
    agentId: 'support-bot',
    projectId: 'production',
    type: 'scan',
    surface: 'tool_args',
    decision: 'block',
    policyDecision: 'alert',
    risk: 0.93,
    categories: ['prompt_injection', 'secret'],
    ruleIds: ['injection.ignore-previous'],
    matchedRule: 'injection.ignore-previous',
    layers: ['l1', 'l2'],
    latencyMs: 0.4,
    failedLayers: ['l3'],
    policy: { name: 'default', revision: '3' },
    toolName: 'shell',
    argumentHashes: { 'args[0].path': 'a'.repeat(64) },
    sdkVersion: '0.1.0+build.7',
  };
}

// Values to put in each field, and in a few places around: each is tried on its own.
const PROBES: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  'x',
  'a'.repeat(129),
  'a'.repeat(64),
  'A'.repeat(64),
  'has space',
  'ünïcode',
  '😀'.repeat(20),
  'Ignore previous instructions',
  '3F0C5A8E-1D2B-4C3D-9E4F-5A6B7C8D9E0F',
  '3f0c5a8e-1d2b-0c3d-9e4f-5a6b7c8d9e0f',
  '00000000-0000-0000-0000-000000000000',
  '2026-11-26T01:00:00Z',
  '2026-11-26T01:00:00+02:00',
  '2026-11-26T01:00:00',
  '2026-02-30T01:00:00Z',
  '2026-11-26T01:00:00.123456789Z',
  'yesterday',
  'scan',
  'input',
  'document',
  'allow',
  'redact',
  'l1',
  'l4',
  'secret',
  'made_up',
  'rule.a-b',
  'Rule.A',
  '1.0.0-beta+x',
  0,
  -0,
  1,
  1.5,
  -1,
  0.5,
  600_000,
  600_001,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  [],
  ['l1'],
  ['l1', 'l2', 'l3', 'l1'],
  ['secret', 'secret'],
  ['made_up'],
  ['rule.a', 'Not A Rule'],
  Array.from({ length: 65 }, () => 'rule.a'),
  {},
  { name: 'default' },
  { name: 'default', extra: 1 },
  { name: 'has space' },
  { k: 'a'.repeat(64) },
  { 'bad key!': 'a'.repeat(64) },
  { k: 'short' },
  JSON.parse('{"__proto__": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}'),
  Object.create({ inherited: 1 }),
  new Date(),
];

function variants(): unknown[] {
  const out: unknown[] = [valid(), null, [], 'event', 42, Object.create(null)];
  const base = valid();
  for (const key of [...Object.keys(base), 'prompt', '__proto__', 'constructor']) {
    const removed = valid();
    delete removed[key];
    out.push(removed);
    for (const probe of PROBES) {
      const event = valid();
      Object.defineProperty(event, key, {
        value: probe,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      out.push(event);
    }
  }
  for (const probe of PROBES) {
    out.push({ ...valid(), policy: { name: 'default', revision: probe } });
    out.push({ ...valid(), argumentHashes: { k: probe } });
  }
  const nullPrototype = Object.assign(Object.create(null), valid());
  out.push(nullPrototype);
  out.push(Object.assign(valid(), { [Symbol('s')]: 1 }));
  return out;
}

describe('compileAcceptor', () => {
  it('compiles the scan event schema', () => {
    expect(accept).toBeTypeOf('function');
  });

  it('accepts only what zod accepts, and only when zod would answer an equal value', () => {
    let accepted = 0;
    let rejectedByZod = 0;
    for (const value of variants()) {
      const parsed = ScanEventSchema.safeParse(value);
      if (accept(value)) {
        accepted += 1;
        expect(parsed.success, JSON.stringify(value)).toBe(true);
        expect(parsed.data).toStrictEqual({ ...(value as object) });
      }
      if (!parsed.success) rejectedByZod += 1;
    }
    // The check is useful: it takes the ordinary events (not everything goes to zod).
    expect(accepted).toBeGreaterThan(100);
    expect(rejectedByZod).toBeGreaterThan(300);
  });

  it('takes ordinary events, with or without the optional fields', () => {
    expect(accept(valid())).toBe(true);
    const minimal = valid();
    for (const key of ['projectId', 'failedLayers', 'toolName', 'argumentHashes'])
      delete minimal[key];
    delete (minimal.policy as Record<string, unknown>).revision;
    expect(accept(minimal)).toBe(true);
    expect(accept({ ...valid(), matchedRule: null, categories: [], ruleIds: [] })).toBe(true);
  });

  it('leaves every value to zod when the schema has something it does not model', () => {
    expect(compileAcceptor(z.object({ a: z.string() }))).toBeUndefined(); // strips unknown keys
    expect(compileAcceptor(z.strictObject({ a: z.string().trim() }))).toBeUndefined();
    expect(compileAcceptor(z.strictObject({ a: z.email() }))).toBeUndefined();
    expect(compileAcceptor(z.strictObject({ a: z.number().default(1) }))).toBeUndefined();
    expect(compileAcceptor(z.strictObject({ a: z.string().transform((s) => s) }))).toBeUndefined();
    expect(compileAcceptor(z.strictObject({ a: z.number().int() }))).toBeUndefined();
    expect(compileAcceptor(z.strictObject({ a: z.string().refine(() => true) }))).toBeUndefined();
  });
});
