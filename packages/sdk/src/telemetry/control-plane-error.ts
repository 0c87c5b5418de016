/** The marker `isWardenError` of @warden/scanner looks for: these errors answer to it too. */
const MARKER = Symbol.for('warden.error');

/** Stable codes of what telemetry and policy sync report through `onError`. See docs/errors.md. */
export type ControlPlaneErrorCode =
  | 'WARDEN_TELEMETRY_UNAVAILABLE'
  | 'WARDEN_TELEMETRY_UNAUTHORIZED'
  | 'WARDEN_TELEMETRY_RATE_LIMITED'
  | 'WARDEN_TELEMETRY_REJECTED'
  | 'WARDEN_TELEMETRY_ARGUMENTS_DROPPED'
  | 'WARDEN_TELEMETRY_SPOOL_FAILED'
  | 'WARDEN_POLICY_SYNC_UNAVAILABLE'
  | 'WARDEN_POLICY_SYNC_UNAUTHORIZED'
  | 'WARDEN_POLICY_SYNC_REJECTED'
  | 'WARDEN_POLICY_SYNC_CACHE_INVALID';

/**
 * What went wrong talking to the control plane, handed to `onError` (never thrown into the
 * agent). `status` is the HTTP status when there was one.
 * @example onError: (error) => { if (error instanceof ControlPlaneError) metrics.inc(error.code) }
 */
export class ControlPlaneError extends Error {
  override readonly name = 'ControlPlaneError';
  readonly code: ControlPlaneErrorCode;
  readonly status: number | undefined;
  readonly [MARKER] = true;

  constructor(
    code: ControlPlaneErrorCode,
    message: string,
    options: { cause?: unknown; status?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
  }
}
