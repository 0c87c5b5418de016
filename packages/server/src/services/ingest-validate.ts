import type { z } from 'zod';

/**
 * A fast acceptance check compiled from a zod schema: `true` only when zod would accept the value
 * and return it unchanged (a deep-equal copy), so the caller may use the value itself; `false`
 * when the value is invalid or anything about it is unusual, and the caller asks zod (which
 * decides, and words the errors). It reads the schema's own patterns, bounds and enum values, so
 * it cannot drift from the schema; a construct it does not know (a transform, a default, a
 * refinement, another string format, an object that strips unknown keys) makes `compileAcceptor`
 * return `undefined`, and then every value goes to zod.
 *
 * Ingestion validates each event of a batch on its own; zod's general machinery (issue
 * collection, a fresh output object per level) was ~10 % of the server's busy time under load.
 */
export type Acceptor = (value: unknown) => boolean;

// Zod's internals (`schema._zod.def`), as far as this reads them.
interface Definition {
  type: string;
  checks?: { _zod: { def: CheckDefinition } }[];
  format?: string;
  pattern?: RegExp;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  element?: Schema;
  innerType?: Schema;
  keyType?: Schema;
  valueType?: Schema;
  entries?: Record<string, unknown>;
  coerce?: boolean;
}
interface CheckDefinition {
  check: string;
  format?: string;
  pattern?: RegExp;
  value?: unknown;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
}
interface Schema {
  _zod: { def: Definition };
}

class Unsupported extends Error {}

// String formats whose only check is the format's pattern (zod's $ZodStringFormat default check).
const PATTERN_FORMATS = new Set(['uuid', 'datetime', 'regex']);

function own(pattern: RegExp): RegExp {
  // A copy without the g/y flags, so test() keeps no state between calls.
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function lengthCheck(checks: readonly CheckDefinition[]): (length: number) => boolean {
  let min = 0;
  let max = Number.POSITIVE_INFINITY;
  for (const check of checks) {
    if (check.check === 'min_length' && typeof check.minimum === 'number') min = check.minimum;
    else if (check.check === 'max_length' && typeof check.maximum === 'number') max = check.maximum;
    else throw new Unsupported(check.check);
  }
  return (length) => length >= min && length <= max;
}

function compile(schema: Schema): Acceptor {
  const def = schema._zod.def;
  if (def.coerce) throw new Unsupported('coerce');
  const checks = (def.checks ?? []).map((check) => check._zod.def);
  switch (def.type) {
    case 'string': {
      const patterns: RegExp[] = [];
      if (def.format !== undefined) {
        if (!PATTERN_FORMATS.has(def.format) || !(def.pattern instanceof RegExp))
          throw new Unsupported(`format ${def.format}`);
        patterns.push(own(def.pattern));
      }
      let max = Number.POSITIVE_INFINITY;
      let min = 0;
      for (const check of checks) {
        if (
          check.check === 'string_format' &&
          check.format === 'regex' &&
          check.pattern instanceof RegExp
        )
          patterns.push(own(check.pattern));
        else if (check.check === 'max_length' && typeof check.maximum === 'number')
          max = check.maximum;
        else if (check.check === 'min_length' && typeof check.minimum === 'number')
          min = check.minimum;
        else throw new Unsupported(check.check);
      }
      // Lengths in UTF-16 units: a string within the bound in units is within it in code
      // points too (zod counts code points); one over it in units goes to zod.
      return (value) => {
        if (typeof value !== 'string' || value.length > max || value.length < min) return false;
        for (const pattern of patterns) if (!pattern.test(value)) return false;
        return true;
      };
    }
    case 'number': {
      const bounds: ((value: number) => boolean)[] = [];
      for (const check of checks) {
        const bound = check.value;
        if (typeof bound !== 'number') throw new Unsupported(`${check.check} bound`);
        if (check.check === 'greater_than')
          bounds.push(check.inclusive ? (v) => v >= bound : (v) => v > bound);
        else if (check.check === 'less_than')
          bounds.push(check.inclusive ? (v) => v <= bound : (v) => v < bound);
        else throw new Unsupported(check.check);
      }
      return (value) => {
        if (typeof value !== 'number' || !Number.isFinite(value)) return false;
        for (const bound of bounds) if (!bound(value)) return false;
        return true;
      };
    }
    case 'enum': {
      if (checks.length > 0 || def.entries === undefined) throw new Unsupported('enum');
      const values = new Set(Object.values(def.entries));
      for (const value of values) if (typeof value !== 'string') throw new Unsupported('enum');
      return (value) => typeof value === 'string' && values.has(value);
    }
    case 'array': {
      const element = compile(def.element!);
      const length = lengthCheck(checks);
      return (value) => {
        if (!Array.isArray(value) || !length(value.length)) return false;
        for (let index = 0; index < value.length; index += 1)
          if (!element(value[index])) return false;
        return true;
      };
    }
    case 'optional': {
      if (checks.length > 0) throw new Unsupported('optional checks');
      // Present as undefined cannot come from JSON; leave that case to zod.
      const inner = compile(def.innerType!);
      return inner;
    }
    case 'nullable': {
      if (checks.length > 0) throw new Unsupported('nullable checks');
      const inner = compile(def.innerType!);
      return (value) => value === null || inner(value);
    }
    case 'object': {
      // Strict objects only: a stripping object's output differs from its input.
      if (checks.length > 0 || def.catchall?._zod.def.type !== 'never')
        throw new Unsupported('object mode');
      const fields = new Map<string, Acceptor>();
      const required: string[] = [];
      for (const [key, field] of Object.entries(def.shape!)) {
        fields.set(key, compile(field));
        if (field._zod.def.type !== 'optional') required.push(key);
      }
      return (value) => {
        if (!isPlainObject(value)) return false;
        for (const key in value) {
          if (!Object.hasOwn(value, key)) return false;
          const field = fields.get(key);
          const item = value[key];
          if (field === undefined || item === undefined || !field(item)) return false;
        }
        for (const key of required) if (!Object.hasOwn(value, key)) return false;
        if (Object.getOwnPropertySymbols(value).length > 0) return false;
        return true;
      };
    }
    case 'record': {
      if (checks.length > 0) throw new Unsupported('record checks');
      const keyDef = def.keyType!._zod.def;
      // Enum-keyed records fill in their keys; only free string keys here.
      if (keyDef.type !== 'string') throw new Unsupported('record key');
      const key = compile(def.keyType!);
      const item = compile(def.valueType!);
      return (value) => {
        if (!isPlainObject(value)) return false;
        for (const name in value) {
          // zod leaves a "__proto__" key out of its output.
          if (!Object.hasOwn(value, name) || name === '__proto__') return false;
          if (!key(name) || !item(value[name])) return false;
        }
        return Object.getOwnPropertySymbols(value).length === 0;
      };
    }
    default:
      throw new Unsupported(def.type);
  }
}

/**
 * Compiles `schema` into an `Acceptor`, or returns `undefined` when the schema uses something
 * the acceptor does not model (then validate with zod alone).
 */
export function compileAcceptor(schema: z.ZodType): Acceptor | undefined {
  try {
    return compile(schema as unknown as Schema);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}
