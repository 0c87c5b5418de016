import type { ScanKind } from '../types.js';

/**
 * A value the model keeps per surface it reads: user prompts, and data (documents, tool results).
 * Thresholds and blend weights are each chosen per surface on leave-source-out folds.
 */
export interface PerSurface<T> {
  prompt: T;
  document: T;
}

/**
 * The value for text of this kind: prompts (`input`) get `prompt`, every kind of data `document`.
 * @example forSurface({ prompt: 0.3, document: 0.4 }, 'tool_result') // 0.4
 */
export function forSurface<T>(values: PerSurface<T>, kind: ScanKind): T {
  return kind === 'input' ? values.prompt : values.document;
}
