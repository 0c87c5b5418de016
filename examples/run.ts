/**
 * Runs every example story (`npm run examples`); exits non-zero when one of them fails its checks.
 */
import { run as aiSdkAgent } from './ai-sdk-agent.js';
import { run as mcpClient } from './mcp-client.js';
import { run as openaiAgent } from './openai-agent.js';

const stories: [string, () => Promise<void>][] = [
  ['openai-agent', openaiAgent],
  ['ai-sdk-agent', aiSdkAgent],
  ['mcp-client', mcpClient],
];

let failed = 0;
for (const [name, run] of stories) {
  const started = performance.now();
  try {
    await run();
    console.log(`ok   ${name} (${Math.round(performance.now() - started)} ms)\n`);
  } catch (error) {
    failed += 1;
    console.error(
      `FAIL ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
}
console.log(
  failed === 0
    ? `All ${stories.length} examples passed.`
    : `${failed} of ${stories.length} examples failed.`,
);
process.exitCode = failed === 0 ? 0 : 1;
