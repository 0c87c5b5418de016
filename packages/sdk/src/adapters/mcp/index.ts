/**
 * Warden for MCP clients (`@modelcontextprotocol/sdk` v1): `@warden/sdk/mcp`.
 * @example import { wrapMcpClient } from '@warden/sdk/mcp';
 */
export {
  type McpClientLike,
  type McpGuardOptions,
  type PoisonedTool,
  refusedMcpTools,
  wrapMcpClient,
} from './client.js';
