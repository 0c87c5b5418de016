import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane). Algorithm 2 is Argon2id (a const enum
// in the typings, which verbatimModuleSyntax cannot import).
const OPTIONS = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Hashes a password with argon2id; the result carries its own salt and parameters. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** True when `password` matches `passwordHash`; false (never a throw) for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verified against when the email is unknown, so a login takes as long either way.
let decoyHash: Promise<string> | undefined;

/** Spends the time of one verification without a user (avoids telling emails apart by timing). */
export async function verifyDecoy(password: string): Promise<void> {
  decoyHash ??= hashPassword('warden-decoy-password');
  await verifyPassword(await decoyHash, password);
}
