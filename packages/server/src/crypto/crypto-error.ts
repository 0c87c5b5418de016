const MARKER = Symbol.for('warden.error');

/** Stable codes of the server's cryptography; documented in docs/errors.md. */
export type CryptoErrorCode =
  | 'WARDEN_CONFIG_INVALID'
  | 'WARDEN_SECRET_UNREADABLE'
  | 'WARDEN_POLICY_SIGNING_KEY_INVALID';

/**
 * Misconfiguration or a ciphertext that cannot be opened. Carries the same `Symbol.for` marker
 * as the scanner's WardenError, so `isWardenError` recognises it too.
 * @example throw new CryptoError('WARDEN_CONFIG_INVALID', 'WARDEN_SECRETS_KEY: expected 32 bytes')
 */
export class CryptoError extends Error {
  readonly code: CryptoErrorCode;
  readonly [MARKER] = true;

  constructor(code: CryptoErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CryptoError';
    this.code = code;
  }
}
