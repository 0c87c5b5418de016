import { type ValidationIssue, WardenError } from '../errors.js';
import { CATEGORIES, SEVERITIES } from '../types.js';
import { DEFAULT_POLICY } from './default-policy.js';
import type { CategoryPolicy, JudgePolicy, Policy, RulePolicy, ToolPolicy } from './types.js';

const DECISIONS = ['allow', 'alert', 'redact', 'block'] as const;
const KINDS = ['input', 'output', 'tool_args', 'tool_result', 'document'] as const;
const LAYERS = ['l1', 'l2', 'l3'] as const;
const FAIL_MODES = ['open', 'closed'] as const;
const TOP_LEVEL = [
  'version',
  'name',
  'revision',
  'mode',
  'severityActions',
  'minScore',
  'categories',
  'rules',
  'tools',
  'failMode',
  'judge',
];
const CATEGORY_FIELDS = ['enabled', 'action', 'surfaces', 'minScore', 'minSeverity', 'redact'];
const RULE_FIELDS = ['enabled', 'action', 'minScore'];
const TOOL_FIELDS = ['default', 'allow', 'deny', 'allowTags', 'denyTags', 'tags'];
const JUDGE_FIELDS = ['escalate', 'band', 'categories', 'surfaces', 'tools'];
const ESCALATIONS = ['never', 'band', 'always'] as const;

type Record_ = Record<string, unknown>;

class Checker {
  readonly issues: ValidationIssue[] = [];

  fail(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  object(value: unknown, path: string): Record_ | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record_;
    this.fail(path, `expected an object, got ${describe(value)}`);
    return undefined;
  }

  knownKeys(value: Record_, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.fail(join(path, key), `unknown field; expected one of ${allowed.join(', ')}`);
      }
    }
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | undefined {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
      return value as T;
    this.fail(
      path,
      `expected one of ${allowed.map((item) => `"${item}"`).join(', ')}, got ${describe(value)}`,
    );
    return undefined;
  }

  score(value: unknown, path: string): number | undefined {
    if (typeof value === 'number' && value >= 0 && value <= 1) return value;
    this.fail(path, `expected a number from 0 to 1, got ${describe(value)}`);
    return undefined;
  }

  boolean(value: unknown, path: string): boolean | undefined {
    if (typeof value === 'boolean') return value;
    this.fail(path, `expected true or false, got ${describe(value)}`);
    return undefined;
  }

  string(value: unknown, path: string): string | undefined {
    if (typeof value === 'string' && value.trim().length > 0 && value.length <= 200) return value;
    this.fail(
      path,
      `expected a non-empty string of at most 200 characters, got ${describe(value)}`,
    );
    return undefined;
  }

  list<T extends string>(value: unknown, path: string, allowed: readonly T[]): T[] | undefined {
    if (!Array.isArray(value)) {
      this.fail(path, `expected a list, got ${describe(value)}`);
      return undefined;
    }
    const out: T[] = [];
    value.forEach((item, index) => {
      const checked = this.oneOf(item, `${path}[${index}]`, allowed);
      if (checked !== undefined && !out.includes(checked)) out.push(checked);
    });
    return out;
  }

  strings(value: unknown, path: string): string[] | undefined {
    if (!Array.isArray(value)) {
      this.fail(path, `expected a list of strings, got ${describe(value)}`);
      return undefined;
    }
    const out: string[] = [];
    value.forEach((item, index) => {
      const checked = this.string(item, `${path}[${index}]`);
      if (checked !== undefined) out.push(checked);
    });
    return out;
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** The fields a rule override and a category share: enabled, action, minScore. */
function parseCommonFields(check: Checker, object: Record_, path: string): RulePolicy {
  const out: RulePolicy = {};
  if (object.enabled !== undefined) {
    const enabled = check.boolean(object.enabled, join(path, 'enabled'));
    if (enabled !== undefined) out.enabled = enabled;
  }
  if (object.action !== undefined) {
    const action = check.oneOf(object.action, join(path, 'action'), DECISIONS);
    if (action !== undefined) out.action = action;
  }
  if (object.minScore !== undefined) {
    const minScore = check.score(object.minScore, join(path, 'minScore'));
    if (minScore !== undefined) out.minScore = minScore;
  }
  return out;
}

function parseCategory(check: Checker, value: unknown, path: string): CategoryPolicy | undefined {
  const object = check.object(value, path);
  if (object === undefined) return undefined;
  check.knownKeys(object, path, CATEGORY_FIELDS);
  const out: CategoryPolicy = parseCommonFields(check, object, path);
  if (object.surfaces !== undefined) {
    const surfaces = check.object(object.surfaces, join(path, 'surfaces'));
    if (surfaces !== undefined) {
      check.knownKeys(surfaces, join(path, 'surfaces'), KINDS);
      out.surfaces = {};
      for (const kind of KINDS) {
        if (surfaces[kind] === undefined) continue;
        const action = check.oneOf(surfaces[kind], join(path, `surfaces.${kind}`), DECISIONS);
        if (action !== undefined) out.surfaces[kind] = action;
      }
    }
  }
  if (object.minSeverity !== undefined) {
    const minSeverity = check.oneOf(object.minSeverity, join(path, 'minSeverity'), SEVERITIES);
    if (minSeverity !== undefined) out.minSeverity = minSeverity;
  }
  if (object.redact !== undefined) {
    const redact = check.boolean(object.redact, join(path, 'redact'));
    if (redact !== undefined) out.redact = redact;
  }
  return out;
}

function parseRule(check: Checker, value: unknown, path: string): RulePolicy | undefined {
  const object = check.object(value, path);
  if (object === undefined) return undefined;
  check.knownKeys(object, path, RULE_FIELDS);
  return parseCommonFields(check, object, path);
}

function parseTools(check: Checker, value: unknown): ToolPolicy {
  const object = check.object(value, 'tools');
  if (object === undefined) return {};
  check.knownKeys(object, 'tools', TOOL_FIELDS);
  const out: ToolPolicy = {};
  if (object.default !== undefined) {
    const fallback = check.oneOf(object.default, 'tools.default', ['allow', 'deny'] as const);
    if (fallback !== undefined) out.default = fallback;
  }
  for (const key of ['allow', 'deny', 'allowTags', 'denyTags'] as const) {
    if (object[key] === undefined) continue;
    const list = check.strings(object[key], `tools.${key}`);
    if (list !== undefined) out[key] = list;
  }
  if (object.tags !== undefined) {
    const tags = check.object(object.tags, 'tools.tags');
    if (tags !== undefined) {
      out.tags = {};
      for (const [tool, list] of Object.entries(tags)) {
        const checked = check.strings(list, `tools.tags.${tool}`);
        if (checked !== undefined) out.tags[tool] = checked;
      }
    }
  }
  return out;
}

/** The judge section: fields left out keep their default (unlike categories, it is one setting). */
function parseJudge(check: Checker, value: unknown): JudgePolicy {
  const defaults = DEFAULT_POLICY.judge;
  const out: JudgePolicy = {
    ...defaults,
    band: [...defaults.band],
    categories: [...defaults.categories],
    surfaces: [...defaults.surfaces],
    tools: [...defaults.tools],
  };
  if (value === undefined) return out;
  const object = check.object(value, 'judge');
  if (object === undefined) return out;
  check.knownKeys(object, 'judge', JUDGE_FIELDS);
  if (object.escalate !== undefined) {
    const escalate = check.oneOf(object.escalate, 'judge.escalate', ESCALATIONS);
    if (escalate !== undefined) out.escalate = escalate;
  }
  if (object.band !== undefined) {
    const band = object.band;
    if (!Array.isArray(band) || band.length !== 2) {
      check.fail('judge.band', `expected a list of two scores [low, high], got ${describe(band)}`);
    } else {
      const low = check.score(band[0], 'judge.band[0]');
      const high = check.score(band[1], 'judge.band[1]');
      if (low !== undefined && high !== undefined) {
        if (low > high) check.fail('judge.band', `expected low <= high, got [${low}, ${high}]`);
        else out.band = [low, high];
      }
    }
  }
  if (object.categories !== undefined) {
    const list = check.list(object.categories, 'judge.categories', CATEGORIES);
    if (list !== undefined) out.categories = list;
  }
  if (object.surfaces !== undefined) {
    const list = check.list(object.surfaces, 'judge.surfaces', KINDS);
    if (list !== undefined) out.surfaces = list;
  }
  if (object.tools !== undefined) {
    const list = check.strings(object.tools, 'judge.tools');
    if (list !== undefined) out.tools = list;
  }
  return out;
}

/**
 * Validates a policy document (already parsed from JSON or YAML) and fills in defaults from
 * DEFAULT_POLICY. Never partially applies: any problem throws WARDEN_POLICY_INVALID listing every
 * offending field.
 * @example parsePolicy({ version: 1, mode: 'monitor' }).severityActions.high // 'block'
 */
export function parsePolicy(document: unknown): Policy {
  const check = new Checker();
  const object = check.object(document, '');
  if (object === undefined) throw invalidPolicy(check.issues);
  check.knownKeys(object, '', TOP_LEVEL);
  if (object.version !== 1) {
    check.fail(
      'version',
      `expected 1 (the only policy format version), got ${describe(object.version)}`,
    );
  }
  const policy: Policy = {
    ...DEFAULT_POLICY,
    categories: { ...DEFAULT_POLICY.categories },
    rules: {},
    tools: {},
    failMode: { ...DEFAULT_POLICY.failMode },
  };
  if (object.name !== undefined) {
    const name = check.string(object.name, 'name');
    if (name !== undefined) policy.name = name;
  }
  if (object.revision !== undefined) {
    const revision = check.string(object.revision, 'revision');
    if (revision !== undefined) policy.revision = revision;
  }
  if (object.mode !== undefined) {
    const mode = check.oneOf(object.mode, 'mode', ['enforce', 'monitor'] as const);
    if (mode !== undefined) policy.mode = mode;
  }
  if (object.minScore !== undefined) {
    const minScore = check.score(object.minScore, 'minScore');
    if (minScore !== undefined) policy.minScore = minScore;
  }
  if (object.severityActions !== undefined) {
    const actions = check.object(object.severityActions, 'severityActions');
    if (actions !== undefined) {
      check.knownKeys(actions, 'severityActions', SEVERITIES);
      const merged = { ...DEFAULT_POLICY.severityActions };
      for (const severity of SEVERITIES) {
        if (actions[severity] === undefined) continue;
        const action = check.oneOf(actions[severity], `severityActions.${severity}`, DECISIONS);
        if (action !== undefined) merged[severity] = action;
      }
      policy.severityActions = merged;
    }
  }
  if (object.categories !== undefined) {
    const categories = check.object(object.categories, 'categories');
    if (categories !== undefined) {
      check.knownKeys(categories, 'categories', CATEGORIES);
      for (const category of CATEGORIES) {
        if (categories[category] === undefined) continue;
        const parsed = parseCategory(check, categories[category], `categories.${category}`);
        // A category written by the user replaces the default one as a whole: no hidden merging.
        if (parsed !== undefined) policy.categories[category] = parsed;
      }
    }
  }
  if (object.rules !== undefined) {
    const rules = check.object(object.rules, 'rules');
    if (rules !== undefined) {
      for (const [ruleId, value] of Object.entries(rules)) {
        const parsed = parseRule(check, value, `rules.${ruleId}`);
        if (parsed !== undefined) policy.rules[ruleId] = parsed;
      }
    }
  }
  policy.tools =
    object.tools === undefined ? { ...DEFAULT_POLICY.tools } : parseTools(check, object.tools);
  if (object.failMode !== undefined) {
    const failMode = check.object(object.failMode, 'failMode');
    if (failMode !== undefined) {
      check.knownKeys(failMode, 'failMode', LAYERS);
      for (const layer of LAYERS) {
        if (failMode[layer] === undefined) continue;
        const mode = check.oneOf(failMode[layer], `failMode.${layer}`, FAIL_MODES);
        if (mode !== undefined) policy.failMode[layer] = mode;
      }
    }
  }
  policy.judge = parseJudge(check, object.judge);
  if (check.issues.length > 0) throw invalidPolicy(check.issues);
  return policy;
}

function invalidPolicy(issues: readonly ValidationIssue[]): WardenError {
  const lines = issues.map(
    (issue) => `  - ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`,
  );
  return new WardenError('WARDEN_POLICY_INVALID', `Invalid policy:\n${lines.join('\n')}`, {
    issues,
  });
}
