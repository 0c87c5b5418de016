export { runCli, VERSION } from './cli.js';
export type { CommandIo } from './io.js';
export { loadPolicyFile } from './policy-file.js';
