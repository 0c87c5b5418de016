import { isWardenError } from '@warden/scanner';
import { auditCommand } from './commands/audit.js';
import { demoCommand } from './commands/demo.js';
import { policyCommand } from './commands/policy.js';
import { rulesCommand } from './commands/rules.js';
import { scanCommand } from './commands/scan.js';
import { serveCommand } from './commands/serve.js';
import { type CommandIo, EXIT, write } from './io.js';

export const VERSION = '0.1.0';

const HELP = `warden ${VERSION}: runtime security for AI agents

Usage: warden <command> [options]

Commands:
  scan [TEXT]        scan text, standard input or a JSONL batch (warden scan --help)
  demo               scan a few example attacks and print what Warden finds
  rules              list every detection rule (--json for machines)
  policy             print the default policy or validate one (warden policy --help)
  serve              run the control plane (warden serve --help)
  audit verify       verify the audit log's hash chain (warden audit --help)

Options:
  -h, --help         show this help
  -v, --version      print the version
`;

/**
 * Runs the warden command line with the given arguments and streams; resolves to the exit code.
 * @example process.exitCode = await runCli(process.argv.slice(2), process)
 */
export async function runCli(args: string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'scan':
        return await scanCommand(rest, io);
      case 'demo':
        return await demoCommand(io);
      case 'rules':
        return await rulesCommand(rest, io);
      case 'policy':
        return await policyCommand(rest, io);
      case 'serve':
        return await serveCommand(rest, io);
      case 'audit':
        return await auditCommand(rest, io);
      case '-v':
      case '--version':
        await write(io.stdout, `${VERSION}\n`);
        return EXIT.ok;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        await write(io.stdout, HELP);
        return EXIT.ok;
      default:
        await write(io.stderr, `warden: unknown command "${command}"\n\n${HELP}`);
        return EXIT.usage;
    }
  } catch (error) {
    if (isWardenError(error)) {
      await write(io.stderr, `warden: ${error.code}: ${error.message}\n`);
      return EXIT.usage;
    }
    if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      await write(io.stderr, `warden: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
