import type { Rule } from './rule.js';

export const secretsRules: readonly Rule[] = [];
