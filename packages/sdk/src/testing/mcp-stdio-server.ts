/**
 * The fixture MCP server over stdio, for tests that run it as a child process:
 * `node --import tsx packages/sdk/src/testing/mcp-stdio-server.ts`. Each tool handler that
 * runs appends a JSON line to the file named by WARDEN_MCP_CALL_LOG, when set.
 */
import { appendFileSync } from 'node:fs';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createFixtureServer } from './mcp-server.js';

const log = process.env.WARDEN_MCP_CALL_LOG;
const server = createFixtureServer((call) => {
  if (log !== undefined && log !== '') appendFileSync(log, `${JSON.stringify(call)}\n`);
});
await server.connect(new StdioServerTransport());
