import type { DetectorRule, Rule, RuleHit } from './rule.js';
import { hasPercentEscape, percentDecodeRepeatedly } from './tool-args-decode.js';

/*
 * SQL-argument rules. Migrations drop tables and views union their selects, so keywords prove
 * nothing; the rules look for the shape of an injection instead: a value that starts by closing
 * someone else's string or clause, a comparison that is always true, a stacked statement after
 * an unbalanced quote, UNION SELECT probing column counts, and functions whose only use in a
 * query argument is timing, error or out-of-band extraction. NoSQL operator injection is here
 * too, because the same `query` arguments carry it.
 */

interface PreparedQuery {
  /** Percent-decoded text with inline comments turned into spaces. */
  text: string;
  exact: boolean;
  length: number;
}

/**
 * Replaces each closed block comment with a space, whatever its length, so neither
 * `UNION/**\/SELECT` hides a keyword nor prose in a long comment reads as SQL. MySQL runs the body
 * of a `/*!50000 ... *\/` comment, so that body is kept.
 */
function stripBlockComments(text: string): string {
  let open = text.indexOf('/*');
  if (open < 0) return text;
  let result = '';
  let index = 0;
  while (open >= 0) {
    const close = text.indexOf('*/', open + 2);
    if (close < 0) break;
    result += text.slice(index, open);
    const executable = /^!\d{0,6}/.exec(text.slice(open + 2, open + 10));
    result += executable === null ? ' ' : ` ${text.slice(open + 2 + executable[0].length, close)} `;
    index = close + 2;
    open = text.indexOf('/*', index);
  }
  return result + text.slice(index);
}

function prepare(value: string): PreparedQuery {
  let text = value;
  if (hasPercentEscape(text)) text = percentDecodeRepeatedly(text, 2);
  // Typographic quotes become real ones under some connection charsets.
  text = stripBlockComments(text)
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"');
  return { text, exact: text === value, length: value.length };
}

let lastValue: string | null = null;
let lastPrepared: PreparedQuery | null = null;
function prepared(value: string): PreparedQuery {
  if (lastValue !== value || lastPrepared === null) {
    lastPrepared = prepare(value);
    lastValue = value;
  }
  return lastPrepared;
}

function spanOf(query: PreparedQuery, start: number, end: number): RuleHit {
  return query.exact ? { start, end } : { start: 0, end: query.length };
}

/** What may follow a quote that closes the host query's string: more SQL, not more words. */
const CONTINUATION =
  /^(?:(?:or|and|xor|not|union|select|having|where|limit|procedure|into|waitfor|exec|execute|insert|update|delete|drop|create|alter|truncate|shutdown|declare|grant|revoke|backup|like|rlike|regexp|sleep|benchmark|pg_sleep|if|case|when|then|else|end|is|in|between|as|return|collate|div|mod)\b|order\s+by\b|group\s+by\b|;|--|#|\/\*|\|\||&&|[+=<>,^*/%!-]|\)\s*(?:or|and|union|;|--|#|,|\)))/i;

/** A short token before the breakout quote, like `admin'` or `1'`. */
const BREAKOUT_PREFIX = /^\s{0,8}[\w@.$-]{0,24}/;
const QUOTE_RUN = /^(?:['"`)]\s{0,4}){1,8}/;

/** `admin' --`, `') or ('1'='1`, `"))) waitfor delay`: the value closes a string first. */
function findQuoteBreakout(text: string): { start: number; end: number } | null {
  const prefix = BREAKOUT_PREFIX.exec(text)?.[0] ?? '';
  const rest = text.slice(prefix.length);
  const quotes = QUOTE_RUN.exec(rest);
  if (quotes === null || !/['"`]/.test(quotes[0])) {
    // A lone `)` also closes a clause, but only counts before structure, not words.
    if (quotes === null) return null;
  }
  const after = rest.slice(quotes[0].length);
  const continuation = CONTINUATION.exec(after);
  if (continuation === null) return null;
  const end = prefix.length + quotes[0].length + continuation[0].length;
  return { start: 0, end };
}

/** Values that start with a clause meant to be appended to a numeric context or a WHERE. */
const APPENDED_CLAUSE =
  /^\s{0,8}(?:-?\d{1,12}\s{0,4})?(?:(?:or|and|xor|&&|\|\|)\s{1,4}(?:not\s{1,4})?(?:[\d'"(]|true\b|false\b|null\b|sleep\b|benchmark\b|pg_sleep\b|[a-z_][\w.]{0,30}\s{0,4}(?:=|<|>|!=|like\b|rlike\b|regexp\b|is\b|in\s{0,4}\(|\())|union(?:\s{1,4}(?:all|distinct))?\s{1,4}select\b|(?:order|group)\s{1,4}by\s{1,4}\d|having\s{1,4}\d|as\s{1,4}\w{1,30}\s{1,4}where\b|where\s{1,4}\d{1,12}\s{0,4}=|limit\s{1,4}\d{1,12}\s{0,4}(?:,|offset|--|#|$)|procedure\s{1,4}analyse|into\s{1,4}(?:out|dump)file|rlike\s{0,4}\(|;\s{0,4}(?:drop|delete|truncate|shutdown|exec|execute|select|insert|update|declare|waitfor)\b|if\s{0,4}\(\s{0,4}\d{1,12}\s{0,4}=\s{0,4}\d{1,12}\s{0,4}\))/i;

const quoteBreakout: DetectorRule = {
  id: 'sql.quote-breakout',
  type: 'detector',
  category: 'sql_injection',
  severity: 'high',
  rationale:
    "The value starts by closing a string or bracket it never opened and carries on with SQL (admin'--, ') or ('1'='1): written to be spliced into someone else's query.",
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['sql'],
  target: 'raw',
  keywords: ["'", '"', '`', ')', '%2', '%6'],
  detect(text) {
    const query = prepared(text);
    const found = findQuoteBreakout(query.text);
    return found === null ? [] : [spanOf(query, found.start, found.end)];
  },
};

const appendedClause: DetectorRule = {
  id: 'sql.appended-clause',
  type: 'detector',
  category: 'sql_injection',
  severity: 'high',
  rationale:
    'The value is not a statement but a clause to append to one (OR 1=1, AND SLEEP(5), UNION SELECT, ORDER BY 10--): the shape of an injection into a numeric or WHERE context.',
  score: 0.85,
  kinds: ['tool_args'],
  roles: ['sql'],
  target: 'raw',
  detect(text) {
    const query = prepared(text);
    const found = APPENDED_CLAUSE.exec(query.text);
    return found === null ? [] : [spanOf(query, found.index, found.index + found[0].length)];
  },
};

interface Operand {
  value: string;
  kind: 'string' | 'number' | 'name';
  end: number;
}

/** Reads a literal or name, tolerating the unterminated string an injection leaves open. */
function readOperand(text: string, start: number): Operand | null {
  let index = start;
  while (index < text.length && index - start < 8 && /[\s(]/.test(text[index] ?? '')) index += 1;
  const char = text[index];
  if (char === "'" || char === '"') {
    const close = text.indexOf(char, index + 1);
    const end = close < 0 || close - index > 64 ? Math.min(text.length, index + 65) : close + 1;
    const value = text.slice(index + 1, close < 0 || close - index > 64 ? end : close);
    if (close < 0 && /[\s=]/.test(value)) return null;
    return { value, kind: 'string', end };
  }
  const match = /^(?:-?\d{1,18}(?:\.\d{1,8})?|[a-z_][\w.]{0,40})/i.exec(
    text.slice(index, index + 60),
  );
  if (match === null) return null;
  const kind = /^-?\d/.test(match[0]) ? 'number' : 'name';
  return { value: match[0].toLowerCase(), kind, end: index + match[0].length };
}

const COMPARISON = /^\s{0,4}(?:\){0,4}\s{0,4})(<=>|==|=|<>|!=|>=|<=|>|<|like\b|is\b)/i;
const CONSTANT_TRUE = /^\s{0,4}(?:true|not\s{1,4}false|\d{1,12})\s{0,4}(?:--|#|\/\*|;|\)|$)/i;

interface Comparison {
  start: number;
  end: number;
  alwaysTrue: boolean;
  constant: boolean;
}

/** Evaluates `<left> <op> <right>` when both sides are constants or the same column. */
function evaluateComparison(text: string, start: number): Comparison | null {
  const trivially = CONSTANT_TRUE.exec(text.slice(start, start + 40));
  if (trivially !== null) {
    return { start, end: start + trivially[0].length, alwaysTrue: true, constant: true };
  }
  const left = readOperand(text, start);
  if (left === null) return null;
  const operator = COMPARISON.exec(text.slice(left.end, left.end + 20));
  if (operator === null) return null;
  const right = readOperand(text, left.end + operator[0].length);
  if (right === null) return null;
  const op = (operator[1] ?? '').toLowerCase();
  // `name LIKE '%'` matches every non-null row whatever the column.
  if (
    op === 'like' &&
    right.kind === 'string' &&
    /^%+$/.test(right.value) &&
    // `LIKE '%' || :term || '%'` is a search, not a tautology.
    !/^\s{0,4}(?:\|\||\+|concat\b)/i.test(text.slice(right.end, right.end + 12))
  ) {
    return { start, end: right.end, alwaysTrue: true, constant: true };
  }
  const sameName = left.kind === 'name' && right.kind === 'name' && left.value === right.value;
  const constant = (left.kind !== 'name' && right.kind !== 'name') || sameName;
  if (!constant) return null;
  let alwaysTrue: boolean;
  if (left.kind === 'number' && right.kind === 'number') {
    const a = Number(left.value);
    const b = Number(right.value);
    alwaysTrue =
      op === '<>' || op === '!='
        ? a !== b
        : op === '>'
          ? a > b
          : op === '<'
            ? a < b
            : op === '>='
              ? a >= b
              : op === '<='
                ? a <= b
                : a === b;
  } else {
    const equal = left.value === right.value;
    alwaysTrue = op === '<>' || op === '!=' ? !equal : equal;
  }
  return { start, end: right.end, alwaysTrue, constant };
}

const BOOLEAN_OPERATOR = /(?:\b(?:or|xor|and)\b|\|\||&&)\s{0,4}(?:not\s{1,4})?/gi;

interface BooleanFinding {
  start: number;
  end: number;
  tautology: boolean;
}

/** Finds `OR <always true>` and `AND <constant>` comparisons. */
function findBooleanInjections(text: string): BooleanFinding[] {
  const found: BooleanFinding[] = [];
  BOOLEAN_OPERATOR.lastIndex = 0;
  let match = BOOLEAN_OPERATOR.exec(text);
  while (match !== null && found.length < 8) {
    const keyword = match[0].trim().toLowerCase();
    const negated = /not\s*$/.test(keyword);
    const comparison = evaluateComparison(text, match.index + match[0].length);
    if (comparison !== null) {
      const isOr =
        keyword.startsWith('or') || keyword.startsWith('||') || keyword.startsWith('xor');
      const truth = negated ? !comparison.alwaysTrue : comparison.alwaysTrue;
      found.push({ start: match.index, end: comparison.end, tautology: isOr && truth });
    }
    match = BOOLEAN_OPERATOR.exec(text);
  }
  return found;
}

const tautology: DetectorRule = {
  id: 'sql.tautology',
  type: 'detector',
  category: 'sql_injection',
  severity: 'high',
  rationale:
    'An OR with a comparison that is always true (\' or 1=1, " or ""=", or \'a\'=\'a): the classic way to make a WHERE clause match every row.',
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['sql'],
  target: 'raw',
  keywords: ['or', '||'],
  detect(text) {
    const query = prepared(text);
    return findBooleanInjections(query.text)
      .filter((finding) => finding.tautology)
      .map((finding) => spanOf(query, finding.start, finding.end));
  },
};

const booleanProbe: DetectorRule = {
  id: 'sql.boolean-probe',
  type: 'detector',
  category: 'sql_injection',
  severity: 'medium',
  rationale:
    'An AND with a constant comparison (AND 1=1, AND 1=2, AND 7300=7300): a boolean-blind probe comparing true and false answers.',
  score: 0.7,
  kinds: ['tool_args'],
  roles: ['sql'],
  target: 'raw',
  keywords: ['and', '&&'],
  detect(text) {
    const query = prepared(text);
    return findBooleanInjections(query.text)
      .filter(
        (finding) => !finding.tautology && /^(?:and|&&)/i.test(query.text.slice(finding.start)),
      )
      .map((finding) => spanOf(query, finding.start, finding.end));
  },
};

const UNION_SELECT =
  /\bunion(?:\s{1,8}|\+|\()(?:all\s{1,4}|distinct\s{1,4})?\(?\s{0,4}select(?=[\s(@'"0-9]|char|null|concat|version|user|database)/gi;
/** Column lists used to probe how many columns the host query returns, or to read metadata. */
const PROBE_COLUMNS =
  /^\s{0,4}(?:(?:null|\d{1,4}|'[^',]{0,20}'|0x[0-9a-f]{1,40})\s{0,4},\s{0,4}){1,60}(?:null|\d{1,4}|'[^',]{0,20}'|0x[0-9a-f]{1,40})\b|@@\w|\b(?:version|user|current_user|database|schema|system_user|session_user|sleep|benchmark|load_file|concat|group_concat|concat_ws)\s{0,4}\(|information_schema|\bfrom\s{1,4}dual\b|\bchar\s{0,4}\(|\|\|/i;

const unionSelect: DetectorRule = {
  id: 'sql.union-select',
  type: 'detector',
  category: 'sql_injection',
  severity: 'high',
  rationale:
    'A UNION SELECT that probes column counts (NULL,NULL,..., 1,2,3) or reads server metadata (@@version, user(), information_schema): data extraction through the host query.',
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['sql'],
  target: 'raw',
  keywords: ['union'],
  detect(text) {
    const query = prepared(text);
    const hits: RuleHit[] = [];
    UNION_SELECT.lastIndex = 0;
    let match = UNION_SELECT.exec(query.text);
    for (let tries = 0; match !== null && hits.length < 4 && tries < 16; tries += 1) {
      const end = match.index + match[0].length;
      const columns = query.text.slice(end, end + 300);
      const atStart = query.text.slice(0, match.index).trim().length === 0;
      // Right after a quote or bracket the value itself never opened.
      const before = /(['")])\s{0,4}$/.exec(
        query.text.slice(Math.max(0, match.index - 8), match.index),
      );
      const closer = before?.[1];
      const afterBreakout =
        before !== null &&
        closer !== undefined &&
        (closer === ')'
          ? closesForeignBracket(query.text, match.index)
          : quoteOpensString(query.text, match.index - before[0].length));
      if (atStart || afterBreakout || PROBE_COLUMNS.test(columns))
        hits.push(spanOf(query, match.index, end));
      match = UNION_SELECT.exec(query.text);
    }
    return hits;
  },
};

const TIME_DELAY =
  /\b(?:sleep|pg_sleep)\s{0,4}\(\s{0,4}['"]?\d|\bbenchmark\s{0,4}\(\s{0,4}\d{4,}|\bwaitfor\s{1,8}(?:delay|time)\s{1,8}['"]|\bdbms_lock\.sleep\s{0,4}\(|\bdbms_pipe\.receive_message\s{0,4}\(|\brandomblob\s{0,4}\(\s{0,4}\d{6,}|\bwhile\s{0,4}\(\s{0,4}\w{1,10}\s{0,4}-\s{0,4}\w{1,10}\s{0,4}<\s{0,4}\d{3,}\)/i;

const timeBased: DetectorRule = {
  id: 'sql.time-based',
  type: 'detector',
  category: 'sql_injection',
  severity: 'high',
  rationale:
    'A deliberate delay (SLEEP(5), pg_sleep, BENCHMARK, WAITFOR DELAY, heavy RANDOMBLOB): a time-based blind injection reading data one yes/no at a time.',
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['sql'],
  target: 'raw',
  keywords: ['sleep', 'benchmark', 'waitfor', 'dbms_lock', 'dbms_pipe', 'randomblob', 'while'],
  detect(text) {
    const query = prepared(text);
    const found = TIME_DELAY.exec(query.text);
    return found === null ? [] : [spanOf(query, found.index, found.index + found[0].length)];
  },
};

const ERROR_BASED =
  /\b(?:extractvalue|updatexml)\s{0,4}\(|\butl_inaddr\.get_host_(?:address|name)\b|\bctxsys\.drithsx\.sn\b|\bdbms_xmlgen\b|\bxmltype\s{0,4}\(|\bexp\s{0,4}\(\s{0,4}~|\bfloor\s{0,4}\(\s{0,4}rand\s{0,4}\(\s{0,4}0?\s{0,4}\)\s{0,4}\*\s{0,4}2\s{0,4}\)|\bconvert\s{0,4}\(\s{0,4}int\s{0,4},\s{0,4}(?:\(|@@|db_name|user|char|\()|\bname_const\s{0,4}\(|\b(?:geometrycollection|multipoint|polygon|linestring|multilinestring|multipolygon)\s{0,4}\(\s{0,4}\(\s{0,4}select\b/i;

const errorBased: DetectorRule = {
  id: 'sql.error-based',
  type: 'detector',
  category: 'sql_injection',
  severity: 'high',
  rationale:
    'A function used to smuggle query results out through error messages (EXTRACTVALUE, UPDATEXML, utl_inaddr, CONVERT(INT, @@version), floor(rand(0)*2)).',
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['sql'],
  target: 'raw',
  keywords: [
    'extractvalue',
    'updatexml',
    'utl_inaddr',
    'drithsx',
    'dbms_xmlgen',
    'xmltype',
    'exp',
    'rand',
    'convert',
    'name_const',
    'geometrycollection',
    'multipoint',
    'polygon',
    'linestring',
  ],
  detect(text) {
    const query = prepared(text);
    const found = ERROR_BASED.exec(query.text);
    return found === null ? [] : [spanOf(query, found.index, found.index + found[0].length)];
  },
};

/** A quote, maybe closing brackets, then `;` and a new statement. */
const STACKED =
  /(['"])\s{0,4}\){0,4}\s{0,4};\s{0,4}(?:drop|delete|truncate|alter|exec|execute|shutdown|insert|update|create|declare|grant|revoke|copy|select|waitfor|set|use|begin)\b/gi;

/**
 * True when the quote at `index` would open a string if the value were a whole statement, so it
 * can only be closing a string that the host query opened: the breakout. Doubled quotes (`''`)
 * and backslash escapes inside strings are honoured, so `'Robert''); DROP ...'` stays one literal.
 */
function quoteOpensString(text: string, index: number): boolean {
  let quote: string | null = null;
  let cursor = 0;
  while (cursor < index) {
    const char = text[cursor];
    if (quote === null) {
      if (char === "'" || char === '"') quote = char;
      cursor += 1;
      continue;
    }
    if (char === '\\') {
      cursor += 2;
      continue;
    }
    if (char === quote) {
      if (text[cursor + 1] === quote) {
        cursor += 2;
        continue;
      }
      quote = null;
    }
    cursor += 1;
  }
  // Landing inside an escape pair (`''`) also means "not an opening quote".
  return quote === null && cursor === index;
}

/** More `)` than `(` before `index`: the value closes a bracket it never opened. */
function closesForeignBracket(text: string, index: number): boolean {
  let depth = 0;
  for (let cursor = 0; cursor < index; cursor += 1) {
    if (text[cursor] === '(') depth += 1;
    else if (text[cursor] === ')') depth -= 1;
    if (depth < 0) return true;
  }
  return false;
}

const stackedQuery: DetectorRule = {
  id: 'sql.stacked-query',
  type: 'detector',
  category: 'sql_injection',
  severity: 'high',
  rationale:
    "A new statement stacked after a quote the value never opened ('; DROP TABLE users--): the injected text ends the host query and runs its own.",
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['sql'],
  target: 'raw',
  keywords: [';'],
  detect(text) {
    const query = prepared(text);
    const hits: RuleHit[] = [];
    STACKED.lastIndex = 0;
    let match = STACKED.exec(query.text);
    // Each check lexes from the start, so only the first few candidates are examined.
    for (let tries = 0; match !== null && hits.length < 4 && tries < 16; tries += 1) {
      if (quoteOpensString(query.text, match.index)) {
        hits.push(spanOf(query, match.index, match.index + match[0].length));
      }
      match = STACKED.exec(query.text);
    }
    return hits;
  },
};

const COMMAND_EXECUTION =
  /\bxp_(?:cmdshell|regread|regwrite|dirtree|fileexist|subdirs)\b|\bsp_(?:oacreate|oamethod|execute_external_script|configure\s{1,4}['"]?xp_cmdshell)\b|\bcopy\s{1,4}[\w."]{1,64}\s{1,4}(?:from|to)\s{1,4}program\b|\bcopy\s{1,4}[\w."]{1,64}\s{1,4}to\s{1,4}['"]?\/|\binto\s{1,4}(?:out|dump)file\b|\bcopy\s{1,4}[\w."]{1,64}\s{1,4}from\s{1,4}['"]\/(?:etc|proc|root|home|var\/log)\/|\bload_file\s{0,4}\(|\bload\s{1,4}data\s{1,4}(?:local\s{1,4})?infile\b|\blo_(?:import|export)\s{0,4}\(|\bsys_(?:exec|eval)\s{0,4}\(|\butl_(?:http|file|tcp)\.|\bdbms_java\b|\bopen(?:rowset|datasource)\s{0,4}\(|\bmaster\.\.xp_|\bexec\s{1,4}master\./i;

const commandExecution: DetectorRule = {
  id: 'sql.command-execution',
  type: 'detector',
  category: 'sql_injection',
  severity: 'critical',
  rationale:
    'The query reaches outside the database: OS commands (xp_cmdshell, COPY ... PROGRAM, sys_exec), server files (INTO OUTFILE, LOAD_FILE, COPY TO) or the network (UTL_HTTP, OPENROWSET).',
  score: 0.95,
  kinds: ['tool_args'],
  roles: ['sql'],
  target: 'raw',
  keywords: [
    'xp_',
    'sp_',
    'copy',
    'outfile',
    'dumpfile',
    'load_file',
    'infile',
    'lo_import',
    'lo_export',
    'sys_exec',
    'sys_eval',
    'utl_',
    'dbms_java',
    'openrowset',
    'opendatasource',
    'master.',
  ],
  detect(text) {
    const query = prepared(text);
    const found = COMMAND_EXECUTION.exec(query.text);
    return found === null ? [] : [spanOf(query, found.index, found.index + found[0].length)];
  },
};

/**
 * Query operators in URL-parameter syntax, operators with match-everything operands, an
 * operator object where a scalar belongs, or an operator on a credential field.
 */
const NOSQL_OPERATOR =
  /\[\$(?:ne|eq|gt|gte|lt|lte|nin|in|regex|where|exists|not|or|and|nor|expr|elemmatch)\]|\$where\b|["']?\$(?:ne|gt|gte|lt|lte|nin|regex|exists|not)["']?\s{0,4}:\s{0,4}(?:undefined\b|""|''|["']\.\*["']|["']\^["'])|^\s{0,4}\{\s{0,4}["']?\$(?:ne|gt|gte|lt|lte|nin|regex|exists|not|eq)["']?\s{0,4}:|["']?(?:password|passwd|pass|pwd|token|secret|username|user|login|email)["']?\s{0,4}:\s{0,4}\{\s{0,4}["']?\$(?:ne|gt|gte|regex|exists|nin|not)\b|\$(?:accumulator|function)\b/i;
/** JavaScript injected into a server-side query function ($where, mapReduce). */
const NOSQL_JAVASCRIPT =
  /['"]\s{0,4}(?:;|\)\s{0,4};)\s{0,4}(?:return\b|sleep\s{0,4}\(|it\s{0,4}=\s{0,4}new\s{1,4}date|while\s{0,4}\(|var\s)|['"]\s{0,4}(?:\|\||&&)\s{0,4}(?:['"][^'"]{0,20}['"]\s{0,4}={2,3}|this\.|\d{1,10}\s{0,4}={2,3})|\bthis\.\w{1,40}\.match\s{0,4}\(|^\s{0,4}\d{1,10}\s{0,4};\s{0,4}return\s{1,4}true\b|\bdb\.\w{1,64}\.(?:insert|remove|drop|update|mapreduce|find)\s{0,4}\(|\|\|\s{0,4}\d{1,10}\s{0,4}={2,3}\s{0,4}\d/i;

const nosqlInjection: DetectorRule = {
  id: 'sql.nosql-injection',
  type: 'detector',
  category: 'sql_injection',
  severity: 'high',
  rationale:
    'NoSQL operator or JavaScript injection ([$ne]=1, {"$gt": ""}, $where, \'; return true): turns a lookup into match-everything or runs code in the database.',
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['sql'],
  target: 'raw',
  keywords: ['$', 'return', 'this.', 'db.', '||', '&&', 'sleep', 'while'],
  detect(text) {
    const query = prepared(text);
    const found = NOSQL_OPERATOR.exec(query.text) ?? NOSQL_JAVASCRIPT.exec(query.text);
    return found === null ? [] : [spanOf(query, found.index, found.index + found[0].length)];
  },
};

const obfuscation: DetectorRule = {
  id: 'sql.obfuscation',
  type: 'detector',
  category: 'sql_injection',
  severity: 'high',
  rationale:
    "The query hides its own keywords (EXEC('SEL'+'ECT'), CHAR(83)+CHAR(69)... chains, /*!50000SELECT*/ versioned comments): only filter evasion needs that.",
  score: 0.85,
  kinds: ['tool_args'],
  roles: ['sql'],
  target: 'raw',
  keywords: ['exec', 'char', 'chr', '/*!'],
  detect(text) {
    const found = SQL_OBFUSCATION.exec(text) ?? SQL_OBFUSCATION.exec(prepared(text).text);
    return found === null ? [] : [{ start: 0, end: text.length }];
  },
};

const SQL_OBFUSCATION =
  /\bexec(?:ute)?\s{0,4}\(\s{0,4}['"][^'"]{0,20}['"]\s{0,4}\+|\b(?:char|chr)\s{0,4}\(\s{0,4}(?:\d{1,3}|0x[0-9a-f]{1,4})\s{0,4}\)\s{0,4}(?:\+|\|\|)\s{0,4}(?:char|chr)\s{0,4}\(|\/\*!\d{0,5}\s{0,4}(?:select|union|and|or|from|where|sleep)\b/i;

/** A bare quote, backslash or comment opener: a probe for whether input reaches SQL unescaped. */
const METACHARACTER_PROBE =
  /^\s{0,4}\w{0,12}\s{0,2}(?:['"`\\]|\/\*[^*]{0,12}\*\/|['"]\s{0,2}[&|+]\s{0,2}['"]){1,6}\s{0,4}$/;

const metacharacterProbe: DetectorRule = {
  id: 'sql.metacharacter-probe',
  type: 'detector',
  category: 'sql_injection',
  severity: 'medium',
  rationale:
    "The whole value is a lone quote, backslash or comment (', 1\", ``, 1/*'*/): a probe for whether input reaches the database unescaped, never a query.",
  score: 0.7,
  kinds: ['tool_args'],
  roles: ['sql'],
  target: 'raw',
  keywords: ["'", '"', '`', '\\', '/*'],
  detect(text) {
    return text.length <= 40 && METACHARACTER_PROBE.test(text)
      ? [{ start: 0, end: text.length }]
      : [];
  },
};

export const sqlInjectionRules: readonly Rule[] = [
  quoteBreakout,
  appendedClause,
  tautology,
  unionSelect,
  stackedQuery,
  timeBased,
  errorBased,
  commandExecution,
  nosqlInjection,
  obfuscation,
  metacharacterProbe,
  booleanProbe,
];
