/**
 * Warden for LangChain.js (`@langchain/core` v1): `guardChatModel` and `guardTool` wrap a chat
 * model and tools so that blocks really stop them (and redaction applies), and
 * `WardenCallbackHandler` observes any run (it can stop tools and model calls only with
 * `enforce: true`, and never redacts).
 * @example
 * import { guardChatModel, guardTool } from '@warden/sdk/langchain';
 * const model = guardChatModel(new ChatOpenAI({ model: 'gpt-4o' }), warden).bindTools(tools);
 */
export type { WardenCallbackHandlerOptions } from './callback-handler.js';
export { WardenCallbackHandler } from './callback-handler.js';
export type { GuardChatModelOptions } from './guard-chat-model.js';
export { guardChatModel } from './guard-chat-model.js';
export type { GuardToolOptions } from './guard-tool.js';
export { guardTool } from './guard-tool.js';
export type { LangChainGuardOptions } from './messages.js';
