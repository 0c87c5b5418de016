import type { Rule } from './rule.js';

export const sqlInjectionRules: readonly Rule[] = [];
