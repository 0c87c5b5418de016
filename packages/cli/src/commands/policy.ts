import { createScanner, DEFAULT_POLICY } from '@warden/scanner';
import { stringify } from 'yaml';
import { type CommandIo, EXIT, write } from '../io.js';
import { loadPolicyFile } from '../policy-file.js';

export const POLICY_HELP = `Usage:
  warden policy default            print the default policy as YAML (a starting point)
  warden policy validate FILE      check a JSON or YAML policy; prints each problem with its field
`;

/** `warden policy default | validate FILE`. */
export async function policyCommand(args: string[], io: CommandIo): Promise<number> {
  const [action, file] = args;
  if (action === 'default') {
    await write(io.stdout, stringify(DEFAULT_POLICY));
    return EXIT.ok;
  }
  if (action === 'validate' && file !== undefined) {
    const policy = await loadPolicyFile(file);
    // Rule ids are checked against the rule pack, so a typo never silently does nothing.
    createScanner({ policy });
    await write(io.stdout, `${file}: valid policy "${policy.name}" (${policy.mode} mode)\n`);
    return EXIT.ok;
  }
  await write(io.stderr, POLICY_HELP);
  return EXIT.usage;
}
