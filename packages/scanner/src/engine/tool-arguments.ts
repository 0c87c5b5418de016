import type { ArgumentRole } from '../types.js';

/** One string value inside a tool call's arguments. */
export interface ArgumentValue {
  /** Path from the arguments root, e.g. `command`, `options.urls[1]`. Empty for a bare string. */
  path: string;
  /** The nearest property name above the value ('' when there is none). */
  name: string;
  value: string;
}

const MAX_DEPTH = 32;
const MAX_VALUES = 10_000;

/** Lists every string (and number) value of a tool call's arguments, depth-first, bounded. */
export function listArgumentValues(argumentsValue: unknown): ArgumentValue[] {
  const values: ArgumentValue[] = [];
  const visit = (value: unknown, path: string, name: string, depth: number) => {
    if (values.length >= MAX_VALUES || depth > MAX_DEPTH) return;
    if (typeof value === 'string') {
      values.push({ path, name, value });
    } else if (typeof value === 'number' || typeof value === 'bigint') {
      values.push({ path, name, value: String(value) });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => {
        visit(item, `${path}[${index}]`, name, depth + 1);
      });
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        visit(item, path === '' ? key : `${path}.${key}`, key, depth + 1);
      }
    }
  };
  visit(argumentsValue, '', '', 0);
  return values;
}

const SHELL_ARGUMENT =
  /^(?:command|commands|cmd|script|shell|shell_?command|command_?line|bash|sh|powershell|exec|run)$/i;
const PATH_ARGUMENT =
  /^(?:path|paths|file|files|file_?path|file_?name|filename|dir|directory|folder|target_?file|source|src|destination|dest|target|cwd|working_?directory|root)$/i;
const URL_ARGUMENT =
  /^(?:url|urls|uri|href|link|endpoint|website|webhook|webhook_?url|base_?url|callback_?url|image_?url|src_?url)$/i;
const SQL_ARGUMENT = /^(?:query|sql|statement|sql_?query|where|filter_?sql)$/i;

const SHELL_TOOL =
  /(?:^|[^a-z])(?:shell|bash|zsh|sh|exec|execute|terminal|command|cmd|powershell|subprocess|run_?command|console)(?:$|[^a-z])/i;
const SQL_TOOL =
  /(?:^|[^a-z])(?:sql|query|database|db|postgres|mysql|sqlite|bigquery|snowflake)(?:$|[^a-z])/i;
const URL_TOOL =
  /(?:^|[^a-z])(?:fetch|http|https|browse|browser|url|request|download|curl|wget|web|scrape|crawl)(?:$|[^a-z])/i;
const PATH_TOOL =
  /(?:^|[^a-z])(?:file|files|fs|read|write|path|dir|directory|open|cat|ls|list_?dir)(?:$|[^a-z])/i;
const URL_VALUE = /^\s*[a-z][a-z0-9+.-]{1,15}:\/\//i;

/**
 * What an argument is used as, from its name first, then the tool's name, then the value's shape.
 * @example inferArgumentRole('run_shell', 'command', 'ls -la') // 'shell'
 */
export function inferArgumentRole(tool: string, name: string, value: string): ArgumentRole {
  const normalizedTool = tool.replace(/([a-z])([A-Z])/g, '$1_$2');
  const normalizedName = name.replace(/([a-z])([A-Z])/g, '$1_$2');
  if (SHELL_ARGUMENT.test(normalizedName)) return 'shell';
  if (URL_ARGUMENT.test(normalizedName)) return 'url';
  if (SQL_ARGUMENT.test(normalizedName)) {
    // "query" is also a search box: only SQL when the tool or the value says so.
    if (
      SQL_TOOL.test(normalizedTool) ||
      /^\s*(?:select|insert|update|delete|with|create|drop|alter)\b/i.test(value)
    ) {
      return 'sql';
    }
    return normalizedName.toLowerCase() === 'query' ? 'text' : 'sql';
  }
  if (PATH_ARGUMENT.test(normalizedName)) return URL_VALUE.test(value) ? 'url' : 'path';
  if (URL_VALUE.test(value)) return 'url';
  if (SHELL_TOOL.test(normalizedTool)) return 'shell';
  if (SQL_TOOL.test(normalizedTool)) return 'sql';
  if (URL_TOOL.test(normalizedTool)) return 'url';
  if (PATH_TOOL.test(normalizedTool) && !/\s/.test(value.trim())) return 'path';
  return 'text';
}
