import type { Rule } from './rule.js';

export const jailbreakRules: readonly Rule[] = [];
