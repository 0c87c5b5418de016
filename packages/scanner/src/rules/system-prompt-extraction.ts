import type { Rule } from './rule.js';

export const systemPromptExtractionRules: readonly Rule[] = [];
