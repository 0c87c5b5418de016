export type { ValidationIssue, WardenErrorCode } from './errors.js';
export { isWardenError, WardenError } from './errors.js';
export type {
  AbortSignalLike,
  AsyncScanResult,
  JudgeCategory,
  JudgeFetch,
  JudgeOptions,
  JudgeProvider,
  JudgeReport,
  JudgeRequestInit,
  JudgeResponse,
  JudgeStatus,
  JudgeTrigger,
  JudgeVerdict,
  ScanAsyncOptions,
  StructuredOutput,
} from './l3/index.js';
export { DEFAULT_POLICY } from './policy/default-policy.js';
export { parsePolicy } from './policy/parse.js';
export type {
  CategoryPolicy,
  FailMode,
  JudgePolicy,
  Policy,
  PolicyInput,
  RulePolicy,
  ToolPolicy,
} from './policy/types.js';
export { builtinRules } from './rules/index.js';
export type {
  DetectorRule,
  PatternRule,
  Rule,
  RuleContext,
  RuleHit,
  RuleTarget,
} from './rules/rule.js';
export type { Scanner, ScannerOptions, ScanResult } from './scanner.js';
export { createScanner } from './scanner.js';
export type {
  ArgumentRole,
  Category,
  Decision,
  Finding,
  Layer,
  ScanError,
  ScanInput,
  ScanKind,
  Severity,
  Span,
  TextScanInput,
  ToolArgsScanInput,
} from './types.js';
export { CATEGORIES, SEVERITIES } from './types.js';
