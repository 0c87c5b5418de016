const MARKER = Symbol.for('warden.error');

/** Stable error codes. Documented in docs/errors.md; never reused for another meaning. */
export type WardenErrorCode =
  | 'WARDEN_POLICY_INVALID'
  | 'WARDEN_RULE_INVALID'
  | 'WARDEN_INPUT_INVALID'
  | 'WARDEN_RULE_FAILED'
  | 'WARDEN_JUDGE_FAILED'
  | 'WARDEN_MODEL_INVALID';

/** One problem found while validating input, with the path of the offending field. */
export interface ValidationIssue {
  /** Dotted path to the field, e.g. `categories.secret.action`; empty for the root. */
  path: string;
  message: string;
}

/**
 * Misuse of the scanner (bad policy, bad rule, bad input) is thrown as a WardenError.
 * Expected outcomes (a block, a rule that failed at scan time) are returned as data instead.
 * @example if (isWardenError(error) && error.code === 'WARDEN_POLICY_INVALID') console.error(error.issues)
 */
export class WardenError extends Error {
  readonly code: WardenErrorCode;
  readonly issues: readonly ValidationIssue[];
  readonly [MARKER] = true;

  constructor(
    code: WardenErrorCode,
    message: string,
    options: { issues?: readonly ValidationIssue[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WardenError';
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

/** True for a WardenError from any copy of this package. */
export function isWardenError(value: unknown): value is WardenError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[MARKER] === true
  );
}
