import { exfiltrationRules } from './exfiltration.js';
import { indirectInjectionRules } from './indirect-injection.js';
import { jailbreakRules } from './jailbreak.js';
import { obfuscationRules } from './obfuscation.js';
import { pathTraversalRules } from './path-traversal.js';
import { piiRules } from './pii.js';
import { promptInjectionRules } from './prompt-injection.js';
import type { Rule } from './rule.js';
import { secretsRules } from './secrets.js';
import { shellRules } from './shell.js';
import { sqlInjectionRules } from './sql-injection.js';
import { ssrfRules } from './ssrf.js';
import { systemPromptExtractionRules } from './system-prompt-extraction.js';
import { toolPoisoningRules } from './tool-poisoning.js';
import { xssRules } from './xss.js';

/** Every built-in L1 rule, in a stable order. */
export const builtinRules: readonly Rule[] = [
  ...promptInjectionRules,
  ...jailbreakRules,
  ...systemPromptExtractionRules,
  ...indirectInjectionRules,
  ...toolPoisoningRules,
  ...exfiltrationRules,
  ...secretsRules,
  ...piiRules,
  ...shellRules,
  ...pathTraversalRules,
  ...ssrfRules,
  ...sqlInjectionRules,
  ...xssRules,
  ...obfuscationRules,
];
