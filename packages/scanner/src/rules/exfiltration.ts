import type { Rule } from './rule.js';

export const exfiltrationRules: readonly Rule[] = [];
