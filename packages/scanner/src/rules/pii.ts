import type { Rule } from './rule.js';

export const piiRules: readonly Rule[] = [];
