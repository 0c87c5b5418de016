import type { Rule } from './rule.js';

export const indirectInjectionRules: readonly Rule[] = [];
