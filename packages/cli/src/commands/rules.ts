import { createScanner } from '@warden/scanner';
import { type CommandIo, EXIT, write } from '../io.js';

/** `warden rules`: lists every rule id with its category, severity and rationale. */
export async function rulesCommand(args: string[], io: CommandIo): Promise<number> {
  const scanner = createScanner();
  if (args.includes('--json')) {
    await write(io.stdout, `${JSON.stringify(scanner.rules, null, 2)}\n`);
    return EXIT.ok;
  }
  for (const rule of scanner.rules) {
    await write(
      io.stdout,
      `${rule.id.padEnd(36)} ${rule.category.padEnd(26)} ${rule.severity.padEnd(8)} ${rule.rationale}\n`,
    );
  }
  return EXIT.ok;
}
