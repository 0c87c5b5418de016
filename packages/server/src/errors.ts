const MARKER = Symbol.for('warden.error');

/** Stable error codes of the control plane. Documented in docs/errors.md; never reused. */
export type ServerErrorCode =
  | 'WARDEN_CONFIG_INVALID'
  | 'WARDEN_REQUEST_INVALID'
  | 'WARDEN_UNAUTHENTICATED'
  | 'WARDEN_FORBIDDEN'
  | 'WARDEN_CSRF_FAILED'
  | 'WARDEN_NOT_FOUND'
  | 'WARDEN_CONFLICT'
  | 'WARDEN_PAYLOAD_TOO_LARGE'
  | 'WARDEN_UNSUPPORTED_MEDIA_TYPE'
  | 'WARDEN_INGEST_RATE_LIMITED'
  | 'WARDEN_RATE_LIMITED'
  | 'WARDEN_EVENT_INVALID'
  | 'WARDEN_POLICY_INVALID'
  | 'WARDEN_NOT_READY'
  | 'WARDEN_INTERNAL';

/** One problem with a request, with the path of the offending field (`events.3.risk`). */
export interface RequestIssue {
  path: string;
  message: string;
}

/**
 * An error the server answers with: an HTTP status, a stable code and the issues behind it.
 * Carries the same `Symbol.for('warden.error')` marker as the scanner's errors, so
 * `isWardenError` from `@warden/scanner` recognises it.
 * @example throw new ServerError('WARDEN_NOT_FOUND', 404, 'No project with this id in the organisation.')
 */
export class ServerError extends Error {
  readonly code: ServerErrorCode;
  readonly status: number;
  readonly issues: readonly RequestIssue[];
  readonly headers: Readonly<Record<string, string>>;
  readonly [MARKER] = true;

  constructor(
    code: ServerErrorCode,
    status: number,
    message: string,
    options: {
      issues?: readonly RequestIssue[];
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ServerError';
    this.code = code;
    this.status = status;
    this.issues = options.issues ?? [];
    this.headers = options.headers ?? {};
  }
}

/** True for a ServerError from any copy of this package. */
export function isServerError(value: unknown): value is ServerError {
  return (
    value instanceof Error &&
    (value as unknown as Record<symbol, unknown>)[MARKER] === true &&
    typeof (value as ServerError).status === 'number'
  );
}

/** The JSON body of every error response. */
export function errorBody(error: ServerError): {
  error: { code: ServerErrorCode; message: string; issues?: readonly RequestIssue[] };
} {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.issues.length > 0 ? { issues: error.issues } : {}),
    },
  };
}

/** Shorthand constructors for the common statuses. */
export const errors = {
  invalid: (message: string, issues: readonly RequestIssue[] = []) =>
    new ServerError('WARDEN_REQUEST_INVALID', 400, message, { issues }),
  unauthenticated: (message = 'Sign in (session cookie) or send an API key.') =>
    new ServerError('WARDEN_UNAUTHENTICATED', 401, message),
  forbidden: (message: string) => new ServerError('WARDEN_FORBIDDEN', 403, message),
  notFound: (what: string) =>
    new ServerError('WARDEN_NOT_FOUND', 404, `${what} not found (or not visible to you).`),
  conflict: (message: string) => new ServerError('WARDEN_CONFLICT', 409, message),
};
