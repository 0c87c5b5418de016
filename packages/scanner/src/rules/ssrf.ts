import type { Rule } from './rule.js';

export const ssrfRules: readonly Rule[] = [];
