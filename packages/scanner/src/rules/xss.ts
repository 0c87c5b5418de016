import type { Rule } from './rule.js';

export const xssRules: readonly Rule[] = [];
