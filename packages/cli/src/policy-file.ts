import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { type Policy, parsePolicy, WardenError } from '@warden/scanner';
import { parse as parseYaml, YAMLParseError } from 'yaml';

/**
 * Reads a policy from a JSON or YAML file (by extension; unknown extensions try JSON, then YAML)
 * and validates it. Throws WARDEN_POLICY_INVALID with the file name and the offending field.
 */
export async function loadPolicyFile(path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new WardenError(
      'WARDEN_POLICY_INVALID',
      `Cannot read policy file ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const extension = extname(path).toLowerCase();
  let document: unknown;
  try {
    document =
      extension === '.json'
        ? JSON.parse(text)
        : parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const where = error instanceof YAMLParseError ? 'YAML' : 'JSON';
    throw new WardenError(
      'WARDEN_POLICY_INVALID',
      `Policy file ${path} is not valid ${where}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  try {
    return parsePolicy(document);
  } catch (error) {
    if (error instanceof WardenError) {
      throw new WardenError(error.code, `${path}: ${error.message}`, {
        issues: error.issues,
        cause: error,
      });
    }
    throw error;
  }
}
