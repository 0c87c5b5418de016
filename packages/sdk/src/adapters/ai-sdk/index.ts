/**
 * Warden for the Vercel AI SDK (`ai` v6, language-model middleware specification v3):
 * `wardenMiddleware` for `wrapLanguageModel`, and `guardTools` to gate tool execution.
 * @example
 * import { wrapLanguageModel } from 'ai';
 * import { guardTools, wardenMiddleware } from '@warden/sdk/ai-sdk';
 * const model = wrapLanguageModel({ model: openai('gpt-4o'), middleware: wardenMiddleware(warden) });
 */
export type { WardenLanguageModelMiddleware, WardenMiddlewareOptions } from './middleware.js';
export { wardenMiddleware } from './middleware.js';
export type { GuardToolsOptions } from './tools.js';
export { guardTools } from './tools.js';
