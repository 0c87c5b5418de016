import type { Rule } from './rule.js';

export const pathTraversalRules: readonly Rule[] = [];
