import type { Rule } from './rule.js';

export const promptInjectionRules: readonly Rule[] = [];
