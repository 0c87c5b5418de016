import type { Rule } from './rule.js';
import { genericSecretRules } from './secrets-generic.js';
import { providerTokenRules } from './secrets-providers.js';
import { structuredSecretRules } from './secrets-structured.js';

/**
 * Secret detection: provider token formats (recognised by prefix and shape), structured secrets
 * (private keys, JWTs, credentials in URLs, headers and command lines) and credential-named
 * assignments judged by entropy. Every rule matches the raw text.
 */
export const secretsRules: readonly Rule[] = [
  ...providerTokenRules,
  ...structuredSecretRules,
  ...genericSecretRules,
];
