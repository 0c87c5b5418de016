import type { DetectorRule, PatternRule, Rule, RuleHit } from './rule.js';
import {
  type CommandSpec,
  type CommandWord,
  commandWordAt,
  findCommand,
  findSeparators,
  findSubstitutions,
  type NormalisedCommand,
  normaliseCommand,
  segmentEnd,
} from './tool-args-shell-lexer.js';

/*
 * Shell-argument rules. Real commands chain with `&&`, pipe into `sh` and delete build folders,
 * so the rules look for the structure of an injection rather than for metacharacters: a value
 * that *starts* by ending someone else's command, reconnaissance run through a separator or a
 * substitution, interactive shells wired to sockets, and commands whose only purpose is damage.
 * Risky-but-common habits (`curl | sh`, `rm -rf dir`, `sudo`) get their own low-severity ids.
 */

/** Sensitive files, as they appear in a command line. */
const SENSITIVE_FILE =
  /\/etc\/(?:passwd|shadow|gshadow|master\.passwd|sudoers|security\/opasswd)\b|\.ssh\/(?:id_[a-z0-9]+(?!\.pub)\b|authorized_keys)|\.aws\/credentials|\.azure\/accesstokens\.json|gcloud\/(?:credentials\.db|application_default_credentials\.json|access_tokens\.db)|\.kube\/config|\.docker\/config\.json|\.git-credentials|\.netrc\b|\.pgpass\b|\/proc\/(?:self|\d{1,7})\/environ|\\(?:repair|config)\\(?:sam|system|security)\b|\\boot\.ini\b|\\win\.ini\b|\.(?:bash|zsh|mysql|psql)_history\b/i;

/**
 * Commands that print, copy or ship a file's content. Not `echo` or `printf`: they print their
 * arguments, so `echo /etc/passwd` names the file without reading it.
 */
const FILE_READERS = new Set([
  'cat',
  'tac',
  'less',
  'more',
  'head',
  'tail',
  'nl',
  'base64',
  'xxd',
  'od',
  'hexdump',
  'strings',
  'type',
  'get-content',
  'gc',
  'cp',
  'copy',
  'scp',
  'rsync',
  'curl',
  'wget',
  'nc',
  'ncat',
  'netcat',
  'tar',
  'zip',
  '7z',
  'grep',
  'egrep',
  'awk',
  'sed',
  'sort',
  'uniq',
  'cut',
  'vi',
  'vim',
  'view',
  'nano',
  'openssl',
  'gzip',
  'bzip2',
  'xz',
  'python',
  'python3',
  'perl',
  'ruby',
  'php',
  'node',
  'system(',
]);

/** True when the argument list of `word` makes it a reconnaissance command on its own. */
function isReconnaissance(word: CommandWord): boolean {
  const args = word.args.toLowerCase();
  switch (word.name) {
    case 'whoami':
    case 'ifconfig':
    case 'ipconfig':
    case 'systeminfo':
    case 'sysinfo':
    case 'netstat':
    case 'netsh':
    case 'phpinfo':
    case 'phpinfo()':
      return true;
    case 'id':
      // `id -u` feeds `--user $(id -u)` in every Dockerfile; bare `id` is the probe.
      return args === '' || args === '-a' || /^[;|&'"`)]/.test(args);
    case 'uname':
      return args === '' || args.startsWith('-a');
    case 'net':
      return /^(?:user|localgroup|group|view|share|use|accounts|session)\b/.test(args);
    case 'reg':
      return /^(?:add|query|save|export|delete)\b/.test(args);
    case 'nc':
    case 'ncat':
    case 'netcat':
      return /(?:^|\s)-[a-z]*[elc]/.test(args);
    default:
      return FILE_READERS.has(word.name) && SENSITIVE_FILE.test(args);
  }
}

/** Commands with no use after a separator at the very start of a value except probing. */
const PROBE_COMMANDS = new Set([
  'ls',
  'dir',
  'pwd',
  'sleep',
  'timeout',
  'ping',
  'nslookup',
  'dig',
  'telnet',
  'route',
  'arp',
  'hostname',
  'tasklist',
  'ps',
  'env',
  'printenv',
  'type',
  'phpinfo',
  'phpinfo()',
  'powershell',
  'cmd',
  'wmic',
  'certutil',
  'bitsadmin',
  'mshta',
  'rundll32',
  'regsvr32',
  'schtasks',
  'useradd',
  'net',
  'reg',
  'nc',
  'ncat',
  'netcat',
  'socat',
  'ver',
  'id',
  'whoami',
  'uname',
  'ifconfig',
  'ipconfig',
  'systeminfo',
  'sysinfo',
  'netstat',
  'netsh',
]);

/** Probe commands plus those that do real work but never start a legitimate value. */
const INJECTED_COMMANDS = new Set([
  ...PROBE_COMMANDS,
  'curl',
  'wget',
  'echo',
  'cat',
  'rm',
  'del',
  'touch',
  'chmod',
  'perl',
  'ruby',
  'php',
  'system',
  'exec',
  'eval',
  'passthru',
  'shell_exec',
]);

/** Commands that read standard input: a leading `| jq` is a continuation line, not an attack. */
const PIPE_CONTINUATIONS = new Set(['perl', 'ruby', 'php', 'cat']);

/** Shell keywords and builtins that follow `;` in ordinary scripts (`; then`, `; do`). */
const SHELL_KEYWORDS = new Set([
  'then',
  'do',
  'done',
  'fi',
  'else',
  'elif',
  'esac',
  'break',
  'continue',
  'exit',
  'return',
  'true',
  'false',
  'wait',
  'shift',
]);

/** `perl -e '...'`: interpreter code injected as a command, not a filter reading stdin. */
function isInterpreterOneLiner(word: CommandWord): boolean {
  return (
    (word.name === 'perl' || word.name === 'ruby' || word.name === 'php') &&
    /^-[a-z]{0,3}[er]\b/i.test(word.args) &&
    !/^-[a-z]*[npi]/i.test(word.args) &&
    !/stdin|<>|\$_\b|argf/i.test(word.args)
  );
}

/**
 * A value that starts with a separator, after at most a short prefix that closes the host
 * command's argument (`a);id`, `"|id|"`, `$;id`).
 */
const LEADING_SEPARATOR = /^[ \t]{0,8}([^\s;|&]{0,16})[ \t]{0,8}(\|\||&&|[;|&]|[\r\n][\s]{0,8})/;

/** The shell is likely to see this word as a command name (not `"$VAR"`, not `{`). */
function isCommandName(name: string): boolean {
  return /^[a-z_][a-z0-9_.()-]{0,40}$/.test(name);
}

interface PreparedCommand extends NormalisedCommand {
  /** Length of the original value, for hits that cannot be mapped back exactly. */
  length: number;
}

/** Caches the normalised form of the last value, shared by every shell detector. */
let lastValue: string | null = null;
let lastPrepared: PreparedCommand | null = null;
function normalised(value: string): PreparedCommand {
  if (lastValue !== value || lastPrepared === null) {
    lastPrepared = { ...normaliseCommand(value), length: value.length };
    lastValue = value;
  }
  return lastPrepared;
}

function spanOf(command: PreparedCommand, start: number, end: number, score?: number): RuleHit {
  const hit: RuleHit = command.exact ? { start, end } : { start: 0, end: command.length };
  if (score !== undefined) hit.score = score;
  return hit;
}

/**
 * The first line is a markdown table row (`| a | b |`, `"| --- | --- |",`): cells between single
 * pipes, pipe at both ends. A table quoted into a command is data, not a pipeline.
 */
function isMarkdownTableRow(text: string): boolean {
  const newline = text.indexOf('\n');
  const line = (newline < 0 ? text : text.slice(0, newline))
    .trim()
    .replace(/^["'`]/, '')
    .replace(/["'`],?$|,$/, '')
    .trim();
  if (line.length < 5 || line[0] !== '|' || line[line.length - 1] !== '|') return false;
  if (line.includes('||')) return false;
  let pipes = 0;
  for (let index = 0; index < line.length; index += 1) if (line[index] === '|') pipes += 1;
  return pipes >= 3;
}

/** Leading separator: the value begins by terminating the command it is spliced into. */
function leadingInjection(command: PreparedCommand): RuleHit | null {
  const { text } = command;
  const match = LEADING_SEPARATOR.exec(text);
  if (match === null) return null;
  if (match[2] === '|' && isMarkdownTableRow(text)) return null;
  const prefix = match[1] ?? '';
  const separator = match[2] ?? '';
  const word = commandWordAt(text, match[0].length);
  if (word === null || !isCommandName(word.name)) return null;
  // `ready=1; echo` and `${BIN}; then` are ordinary scripts, not a spliced-in payload, and
  // `whoami && pwd` is a command of its own followed by another.
  if (/[=${}]/.test(prefix.replace(/^\$$/, '')) && !isReconnaissance(word)) return null;
  if (
    /^[a-z][\w.-]{1,15}$/i.test(prefix) &&
    /^\S+[ \t]/.test(match[0]) &&
    !isReconnaissance(word)
  ) {
    return null;
  }
  const breakout = /["'`)]/.test(prefix);
  let flagged: boolean;
  if (isReconnaissance(word) || isInterpreterOneLiner(word)) flagged = true;
  else if (breakout || separator === ';') flagged = !SHELL_KEYWORDS.has(word.name);
  else if (/^[\r\n]/.test(separator)) flagged = command.encoded && INJECTED_COMMANDS.has(word.name);
  else if (separator === '&') flagged = INJECTED_COMMANDS.has(word.name);
  else if (separator === '|') {
    flagged = INJECTED_COMMANDS.has(word.name) && !PIPE_CONTINUATIONS.has(word.name);
  } else flagged = PROBE_COMMANDS.has(word.name);
  return flagged ? spanOf(command, 0, word.end) : null;
}

const commandChaining: DetectorRule = {
  id: 'shell.command-chaining',
  type: 'detector',
  category: 'shell_injection',
  severity: 'high',
  rationale:
    'The argument closes the command it is spliced into and chains its own (a leading ; | & or encoded newline, or reconnaissance after a separator): classic command injection.',
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  detect(text) {
    const command = normalised(text);
    const hits: RuleHit[] = [];
    const leading = leadingInjection(command);
    if (leading !== null) hits.push(leading);
    for (const separator of findSeparators(command.text)) {
      if (separator.start === 0) continue;
      const word = commandWordAt(command.text, separator.end);
      if (word !== null && isReconnaissance(word)) {
        hits.push(spanOf(command, separator.start, word.end, 0.85));
      }
    }
    return hits.slice(0, 8);
  },
};

/** Substitution token is part of a URL or host name: the output is being shipped out. */
function substitutionInUrl(text: string, start: number, end: number): boolean {
  let tokenStart = start;
  while (tokenStart > 0 && start - tokenStart < 300 && !/[\s"']/.test(text[tokenStart - 1] ?? '')) {
    tokenStart -= 1;
  }
  const before = text.slice(tokenStart, start);
  const after = /^[^\s"']{0,100}/.exec(text.slice(end))?.[0] ?? '';
  return /:\/\/|[?&]\w{0,30}=/.test(before) || /^\.[a-z0-9-]{1,63}\.[a-z]{2,}/i.test(after);
}

const commandSubstitution: DetectorRule = {
  id: 'shell.command-substitution',
  type: 'detector',
  category: 'shell_injection',
  severity: 'high',
  rationale:
    'A $(...) or backtick substitution runs a reconnaissance command as the whole argument, at command position, or inside a URL that ships its output out.',
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: ['$(', '`'],
  detect(text) {
    const command = normalised(text);
    const hits: RuleHit[] = [];
    const whole = command.text.trim();
    for (const substitution of findSubstitutions(command.text)) {
      const inner = substitution.inner.trim();
      if (inner.startsWith('`') || inner.startsWith('$(')) {
        hits.push(spanOf(command, substitution.start, substitution.end));
        continue;
      }
      const word = commandWordAt(inner, 0);
      if (word === null) continue;
      const isWhole = whole === command.text.slice(substitution.start, substitution.end).trim();
      const before = command.text.slice(0, substitution.start).trimEnd();
      const atCommandPosition = before === '' || /[;|&\n]$/.test(before);
      const probing = PROBE_COMMANDS.has(word.name) || isReconnaissance(word);
      if (
        (probing && (isWhole || atCommandPosition)) ||
        (isReconnaissance(word) &&
          substitutionInUrl(command.text, substitution.start, substitution.end))
      ) {
        hits.push(spanOf(command, substitution.start, substitution.end));
      }
    }
    return hits.slice(0, 8);
  },
};

/** Shell and interpreter tokens that mean "run a shell on this stream". */
const INTERACTIVE_SHELL =
  /\/bin\/(?:ba|z|k|da|tc|c)?sh\b|\b(?:ba|z|k|da)?sh\s+-[a-z]*i\b|\bcmd(?:\.exe)?\b|\bpowershell\b|\bpty\.spawn\b|\bos\.dup2\b|\bsubprocess\b|\bproc_open\b|\bpopen\b|\bshell_exec\b|\bspawn\s*\(|\bexec\s*\(|\bexec\s+["']?\/bin|\bsystem\s*\(|\biex\b|\binvoke-expression\b|\bgetstream\s*\(/i;

/** Network sockets opened by an interpreter one-liner. */
const SOCKET_OPEN =
  /\bsocket\s*\(|\bsocket\.socket\b|\buse\s+socket\b|\bfsockopen\s*\(|\btcpsocket\b|\bnet\.sockets\.tcpclient\b|\bnet\.socket\b|\bnet\.connect\s*\(|\bsocket\.tcp\s*\(|\bio::socket/i;

const DEV_TCP = /\/dev\/(?:tcp|udp)\/[^\s/]{1,253}\/\d{1,5}/i;
const DEV_TCP_REDIRECT = /[<>]&\s{0,3}\d|\d[<>]&|>&\s{0,3}\//;
const NETCAT_EXEC: CommandSpec = {
  command: /\b(?:nc|ncat|netcat)(?:\.exe)?\s/gi,
  args: /(?:^|\s)-[a-z]{0,6}[ec](?:\s|$)|--(?:sh-)?exec\b/i,
};
const NETCAT_TOKEN = /\b(?:nc|ncat|netcat|telnet|openssl\s+s_client)\b/i;
const FIFO = /\bmk(?:fifo|nod)\b/i;
const SOCAT_EXEC: CommandSpec = { command: /\bsocat\s/gi, args: /\b(?:exec|system):/i };
const XTERM_DISPLAY = /\bxterm\s{1,4}-display\s{1,4}[\w.-]{1,100}:\d/i;
const AWK_INET = /\/inet\/(?:tcp|udp)\//i;
const TELNET = /\btelnet\s/gi;

/** `telnet host port | /bin/sh | telnet host port`: a shell between two connections. */
function hasTelnetShell(command: string): boolean {
  TELNET.lastIndex = 0;
  let match = TELNET.exec(command);
  while (match !== null) {
    const pipe = segmentEnd(command, match.index + match[0].length, 120);
    if (
      command[pipe] === '|' &&
      /^\|\s{0,4}\/bin\/(?:ba)?sh\b/.test(command.slice(pipe, pipe + 20))
    ) {
      return true;
    }
    match = TELNET.exec(command);
  }
  return false;
}

const reverseShell: DetectorRule = {
  id: 'shell.reverse-shell',
  type: 'detector',
  category: 'shell_injection',
  severity: 'critical',
  rationale:
    'The command wires an interactive shell to a network socket (bash /dev/tcp, nc -e, socat exec, mkfifo pipes, interpreter socket one-liners): a remote shell for whoever listens.',
  score: 0.97,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: [
    '/dev/tcp',
    '/dev/udp',
    'nc ',
    'nc.exe',
    'ncat',
    'netcat',
    'mkfifo',
    'mknod',
    'socat',
    'socket',
    'fsockopen',
    'tcpclient',
    'tcpsocket',
    'net.connect',
    'telnet',
    'xterm',
    '/inet/',
  ],
  detect(text) {
    const { text: command } = normalised(text);
    const interactive = INTERACTIVE_SHELL.test(command);
    const found =
      (DEV_TCP.test(command) && (interactive || DEV_TCP_REDIRECT.test(command))) ||
      findCommand(command, NETCAT_EXEC) !== null ||
      (FIFO.test(command) && NETCAT_TOKEN.test(command) && interactive) ||
      findCommand(command, SOCAT_EXEC) !== null ||
      (SOCKET_OPEN.test(command) && interactive) ||
      hasTelnetShell(command) ||
      XTERM_DISPLAY.test(command) ||
      AWK_INET.test(command);
    return found ? [{ start: 0, end: text.length }] : [];
  },
};

/** Download commands and where their output goes. */
const DOWNLOADER =
  /\b(?:curl|wget|fetch|iwr|irm|invoke-webrequest|invoke-restmethod)\b|\(new-object\s+(?:system\.)?net\.webclient\)|downloadstring\s*\(/gi;
const SHELL_SINK =
  /^\|\s{0,4}(?:sudo\s+(?:-\S+\s+){0,3})?(?:env\s+\S+\s+)?(?:(?:\/usr)?\/bin\/)?(?:ba|z|k|da|fi)?sh\b|^\|\s{0,4}(?:sudo\s+)?(?:python\d?(?:\.\d+)?|perl|ruby|node|php|iex|invoke-expression)\b(?!\s+-[a-z]*[ecm]\b)/i;
const PROCESS_SUBSTITUTION_SINK =
  /\b(?:ba|z|k|da)?sh\s{1,4}(?:-s\s{1,4})?<\(\s{0,4}(?:curl|wget)\b|\b(?:ba|z|k|da)?sh\s{1,4}-c\s{1,4}["']?\$\(\s{0,4}(?:curl|wget)\b|(?:\bsource|(?:^|\s)\.)\s{1,4}<\(\s{0,4}(?:curl|wget)\b|\biex\s{0,4}(?:\(\s{0,4})?(?:\(new-object|iwr|irm|invoke-webrequest|invoke-restmethod)/i;
const URL_HOST_IP = /\bhttps?:\/\/(?:[^\s/@'"]{1,100}@)?(\d{1,3}(?:\.\d{1,3}){3})\b/i;

interface PipeToShellFinding {
  start: number;
  end: number;
  fromIpLiteral: boolean;
}

/** Finds downloads whose output is executed by a shell or interpreter. */
function findPipeToShell(command: string): PipeToShellFinding[] {
  const found: PipeToShellFinding[] = [];
  DOWNLOADER.lastIndex = 0;
  let match = DOWNLOADER.exec(command);
  while (match !== null && found.length < 8) {
    const lineEnd = command.indexOf('\n', match.index);
    const limit = Math.min(lineEnd < 0 ? command.length : lineEnd, match.index + 600);
    // The first pipe after the download is where its output goes.
    let pipe = command.indexOf('|', match.index);
    while (pipe >= 0 && pipe < limit && command[pipe + 1] === '|') {
      pipe = command.indexOf('|', pipe + 2);
    }
    if (pipe >= 0 && pipe < limit && SHELL_SINK.test(command.slice(pipe, pipe + 80))) {
      const segment = command.slice(match.index, pipe);
      found.push({
        start: match.index,
        end: pipe + 1,
        fromIpLiteral: URL_HOST_IP.test(segment),
      });
    }
    match = DOWNLOADER.exec(command);
  }
  const substitution = PROCESS_SUBSTITUTION_SINK.exec(command);
  if (substitution !== null) {
    const rest = command.slice(substitution.index, substitution.index + 400);
    found.push({
      start: substitution.index,
      end: substitution.index + substitution[0].length,
      fromIpLiteral: URL_HOST_IP.test(rest),
    });
  }
  return found;
}

const pipeToShell: DetectorRule = {
  id: 'shell.pipe-to-shell',
  type: 'detector',
  category: 'shell_injection',
  severity: 'low',
  rationale:
    'A script downloaded from the network is executed unseen (curl | sh, bash <(curl ...), iex DownloadString); common for installers, so a policy decides.',
  score: 0.6,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: ['curl', 'wget', 'fetch', 'iwr', 'irm', 'invoke-web', 'invoke-rest', 'webclient'],
  detect(text) {
    const command = normalised(text);
    return findPipeToShell(command.text)
      .filter((finding) => !finding.fromIpLiteral)
      .map((finding) => spanOf(command, finding.start, finding.end));
  },
};

const remoteScriptFromIp: DetectorRule = {
  id: 'shell.remote-script-from-ip',
  type: 'detector',
  category: 'shell_injection',
  severity: 'high',
  rationale:
    'A script fetched from a bare IP address is piped into a shell: the dropper pattern of malware, not of package installers, which use named hosts.',
  score: 0.85,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: ['curl', 'wget', 'fetch', 'iwr', 'irm', 'invoke-web', 'invoke-rest', 'webclient'],
  detect(text) {
    const command = normalised(text);
    return findPipeToShell(command.text)
      .filter((finding) => finding.fromIpLiteral)
      .map((finding) => spanOf(command, finding.start, finding.end));
  },
};

/** Paths whose recursive deletion destroys the system or the user's home. */
const CRITICAL_DELETE_TARGET =
  /^["']?(?:\/|\/\*|~\/?\*?|\$\{?home\}?\/?\*?|\/(?:bin|boot|dev|etc|home|lib|lib64|opt|proc|root|sbin|srv|sys|usr|var|mnt)\/?\*?|[a-z]:\\?\*?|[a-z]:\\(?:windows|users|program files)\\?\*?)["']?$/i;

interface DeleteFinding {
  start: number;
  end: number;
  critical: boolean;
}

const RM_COMMAND = /(?:^|[\s;|&(`])(?:sudo\s+)?(rm|rmdir|rd|del|erase|remove-item)\s/gi;

/** Finds recursive deletions and whether they target the root, a system tree or the home. */
function findRecursiveDeletes(command: string): DeleteFinding[] {
  const found: DeleteFinding[] = [];
  RM_COMMAND.lastIndex = 0;
  let match = RM_COMMAND.exec(command);
  while (match !== null && found.length < 8) {
    const start = match.index + match[0].length;
    let end = start;
    while (end < command.length && end - start < 400 && !/[;|&\n`)]/.test(command[end] ?? '')) {
      end += 1;
    }
    const tokens = command.slice(start, end).trim().split(/\s+/);
    const program = (match[1] ?? '').toLowerCase();
    let recursive = false;
    let noPreserveRoot = false;
    const targets: string[] = [];
    for (const token of tokens) {
      const lower = token.toLowerCase();
      if (lower === '--no-preserve-root') noPreserveRoot = true;
      if (program === 'rm' && /^-[a-z]*r/i.test(token)) recursive = true;
      else if (lower === '--recursive' || lower === '-recurse' || lower === '/s') recursive = true;
      else if (token.startsWith('-') || (program !== 'rm' && token.startsWith('/'))) continue;
      else if (token.length > 0) targets.push(token);
    }
    if (recursive) {
      const critical =
        noPreserveRoot || targets.some((target) => CRITICAL_DELETE_TARGET.test(target));
      found.push({ start: match.index, end, critical });
    }
    match = RM_COMMAND.exec(command);
  }
  return found;
}

/** Commands that destroy a disk, a filesystem or the whole tree, checked on their arguments. */
const DESTRUCTIVE_COMMANDS: readonly CommandSpec[] = [
  {
    command: /\bdd\s/gi,
    args: /\bof=\/dev\/(?:sd|hd|vd|xvd|nvme|mmcblk|disk|md|mapper\/)/i,
  },
  { command: /\bmkfs(?:\.[a-z0-9]{1,10})?\s/gi, args: /\/dev\// },
  { command: /\b(?:shred|wipefs)\s/gi, args: /\/dev\// },
  { command: /\bfind\s{1,4}\/\s/gi, args: /(?:^|\s)-delete\b|-exec\s{1,4}rm\b/ },
  { command: /\bchmod\s{1,4}(?:-R|--recursive)\s/gi, args: /^[0-7]{3,4}\s{1,4}\/$/ },
  { command: /\bchown\s{1,4}(?:-R|--recursive)\s/gi, args: /^\S{1,64}\s{1,4}\/$/ },
  { command: /\bformat\s/gi, args: /^[a-z]:(?:\s|$)/i },
];
const DISK_REDIRECT = />\s{0,4}\/dev\/(?:sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d)/;
const BATCH_OR_PERL_BOMB = /%0\s{0,2}\|\s{0,2}%0|\bfork\s{1,4}while\s{1,4}fork\b/i;

/** Finds `name(){ name|name& };name` fork bombs without a backreference. */
function hasForkBomb(command: string): boolean {
  let index = command.indexOf('()');
  let checked = 0;
  while (index >= 0 && checked < 32) {
    checked += 1;
    const nameMatch = /([\w:.]{1,20})\s*$/.exec(command.slice(Math.max(0, index - 20), index));
    const name = nameMatch?.[1];
    if (name !== undefined) {
      const body = command.slice(index + 2, index + 80).replace(/\s+/g, '');
      if (body.startsWith(`{${name}|${name}&`)) return true;
    }
    index = command.indexOf('()', index + 2);
  }
  return false;
}

const destructiveCommand: DetectorRule = {
  id: 'shell.destructive-command',
  type: 'detector',
  category: 'shell_injection',
  severity: 'critical',
  rationale:
    'The command destroys the system or its data: recursive delete of / or a system tree, mkfs or dd onto a disk, a fork bomb, chmod -R of the root.',
  score: 0.95,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: [
    'rm',
    'rd',
    'del',
    'erase',
    'remove-item',
    'dd',
    '/dev/',
    'mkfs',
    'shred',
    'wipefs',
    'format',
    'find',
    'chmod',
    'chown',
    '()',
    '%0',
    'fork',
  ],
  detect(text) {
    const command = normalised(text);
    const hits: RuleHit[] = findRecursiveDeletes(command.text)
      .filter((finding) => finding.critical)
      .map((finding) => spanOf(command, finding.start, finding.end));
    for (const spec of DESTRUCTIVE_COMMANDS) {
      const found = findCommand(command.text, spec);
      if (found !== null) hits.push(spanOf(command, found.start, found.end));
    }
    const redirect = DISK_REDIRECT.exec(command.text);
    if (redirect !== null) {
      hits.push(spanOf(command, redirect.index, redirect.index + redirect[0].length));
    }
    if (hasForkBomb(command.text) || BATCH_OR_PERL_BOMB.test(command.text)) {
      hits.push({ start: 0, end: text.length });
    }
    return hits;
  },
};

const recursiveDelete: DetectorRule = {
  id: 'shell.recursive-delete',
  type: 'detector',
  category: 'shell_injection',
  severity: 'low',
  rationale:
    'A recursive delete of a project or temporary folder: routine in build scripts, recorded so a policy can require approval.',
  score: 0.5,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: ['rm', 'rd', 'del', 'erase', 'remove-item'],
  detect(text) {
    const command = normalised(text);
    return findRecursiveDeletes(command.text)
      .filter((finding) => !finding.critical)
      .map((finding) => spanOf(command, finding.start, finding.end));
  },
};

const sudo: PatternRule = {
  id: 'shell.sudo',
  type: 'pattern',
  category: 'shell_injection',
  severity: 'low',
  rationale:
    'The command escalates privileges with sudo, su or doas; normal in CI images, worth a policy decision for an agent.',
  score: 0.5,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: ['sudo', 'su ', 'doas'],
  pattern: /(?:^|[\s;|&(`])(?:sudo|doas|su\s+(?:-\s|-c\b|root\b))(?=\s|$)/,
};

const sensitiveFileRead: DetectorRule = {
  id: 'shell.sensitive-file-read',
  type: 'detector',
  category: 'shell_injection',
  severity: 'high',
  rationale:
    'The command prints or ships a credential or account file (/etc/shadow, /etc/passwd, SSH keys, cloud credentials, the SAM hive).',
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: [
    'passwd',
    'shadow',
    'sudoers',
    '.ssh',
    '.aws',
    '.azure',
    'gcloud',
    '.kube',
    '.docker',
    'credentials',
    '.netrc',
    '.pgpass',
    'environ',
    'sam',
    'system',
    'security',
    'boot.ini',
    'win.ini',
    '_history',
  ],
  detect(text) {
    const command = normalised(text);
    const hits: RuleHit[] = [];
    const pattern = new RegExp(SENSITIVE_FILE.source, 'gi');
    let match = pattern.exec(command.text);
    while (match !== null && hits.length < 8) {
      const before = command.text.slice(Math.max(0, match.index - 200), match.index);
      // Writing (`> file`, `>> file`) or setting permissions is not reading.
      const redirectedInto = /[>]\s{0,3}["']?[~\w./\\:${}-]{0,120}$/.test(before);
      const segmentStart = Math.max(
        before.lastIndexOf(';'),
        before.lastIndexOf('|'),
        before.lastIndexOf('&'),
        before.lastIndexOf('\n'),
        before.lastIndexOf('`'),
        before.lastIndexOf('$('),
        before.lastIndexOf('"'),
        before.lastIndexOf("'"),
      );
      const segment = before.slice(segmentStart + 1);
      const word = commandWordAt(segment, 0);
      const inputRedirect = /(?:<|@)\s{0,3}["']?[~\w./\\:-]{0,120}$/.test(before);
      if (!redirectedInto && ((word !== null && FILE_READERS.has(word.name)) || inputRedirect)) {
        hits.push(spanOf(command, match.index, match.index + match[0].length));
      }
      match = pattern.exec(command.text);
    }
    return hits;
  },
};

const codeInjection: PatternRule = {
  id: 'shell.code-injection',
  type: 'pattern',
  category: 'shell_injection',
  severity: 'high',
  rationale:
    'Script-language code in a shell argument (PHP system/eval, PHP dollar-brace interpolation, a server-side include exec): the payload of a code-injection probe.',
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: [
    '<?php',
    '{${',
    '${@',
    '@{[',
    '#exec',
    'phpinfo',
    'phpversion',
    '{$_',
    'system(',
    'system (',
    'eval(',
    'exec(',
    'passthru(',
    'shell_exec(',
    'popen(',
  ],
  pattern:
    /<\?php\b[^?]{0,300}?(?:system|exec|passthru|shell_exec|popen|proc_open|eval|assert|include|require|\$_(?:get|post|request|cookie|server))\b|\{\$\{|\$\{@|\{\$_(?:get|post|request|cookie)\[|@\{\[\s{0,4}system\b|#exec(?:\s|%20){1,4}(?:cmd|cgi)=|\bphp(?:info|version)\s*\(\s*\)|(?:^|[;|&'"`:]\s{0,4})(?:system|eval|exec|passthru|shell_exec|popen)\s{0,4}\(\s{0,4}["'$]/i,
};

const shellshock: PatternRule = {
  id: 'shell.shellshock',
  type: 'pattern',
  category: 'shell_injection',
  severity: 'high',
  rationale:
    'A Shellshock function-definition prefix, () { :; };, which makes old bash run the trailing command.',
  score: 0.95,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: ['() {', '(){'],
  pattern: /\(\)\s{0,4}\{\s{0,4}[:_a-z]{0,8}\s{0,4};?\s{0,4}\}\s{0,4};/i,
};

const OBFUSCATION_PATTERNS: readonly RegExp[] = [
  // $IFS glued to words stands in for a space.
  /[\w/]\$\{?IFS\}?|\$\{?IFS\}?(?:\$\d)?[\w/-]/,
  // Brace expansion used to avoid spaces: {cat,/etc/passwd}.
  /(?:^|[\s;|&`(])\{(?:cat|ls|id|nc|ncat|wget|curl|bash|sh|echo|base64|whoami|uname|rm|chmod|python\d?|perl|ping),[^{}\s]{1,100}\}/,
  // ANSI-C quoted hex spelling a command.
  /\$'(?:\\x[0-9a-f]{2}){2,}/i,
];

/** A decoder whose output goes straight into a shell: base64 -d | sh, xxd -r | bash, rev | sh. */
const DECODER =
  /\b(?:base64\s{1,4}(?:-d|-D|--decode)|xxd\s{1,4}-r|openssl\s{1,4}(?:enc\s{1,4})?(?:-base64\s{1,4})?-d|rev)\b/g;
const SHELL_AFTER_PIPE = /^\|\s{0,4}(?:ba|z|k|da)?sh\b/;
const SHELL_C_SUBSTITUTION = /\b(?:ba|z|k|da)?sh\s{1,4}-c\s{1,4}["']?\$\(/g;
const DECODE_IN_SUBSTITUTION = /\|\s{0,4}(?:base64\s{1,4}(?:-d|--decode)|xxd\s{1,4}-r|rev)\b/;

function decodesIntoShell(command: string): boolean {
  DECODER.lastIndex = 0;
  let match = DECODER.exec(command);
  while (match !== null) {
    const pipe = command.indexOf('|', match.index + match[0].length);
    if (
      pipe >= 0 &&
      pipe - match.index < 120 &&
      SHELL_AFTER_PIPE.test(command.slice(pipe, pipe + 16))
    ) {
      return true;
    }
    match = DECODER.exec(command);
  }
  SHELL_C_SUBSTITUTION.lastIndex = 0;
  match = SHELL_C_SUBSTITUTION.exec(command);
  while (match !== null) {
    const close = command.indexOf(')', match.index);
    const inner = command.slice(match.index, close < 0 ? match.index + 400 : close);
    if (DECODE_IN_SUBSTITUTION.test(inner)) return true;
    match = SHELL_C_SUBSTITUTION.exec(command);
  }
  return false;
}

/** Command words spelt with wildcards or quote splits: only useful to dodge filters. */
function disguisedCommandWord(command: string): boolean {
  const starts = [0, ...findSeparators(command).map((separator) => separator.end)];
  for (const start of starts.slice(0, 64)) {
    const word = commandWordAt(command, start);
    if (word === null) continue;
    if (
      /^\/[\w?*/]{0,40}[?*]/.test(word.raw) &&
      /^\/(?:[\w?*]{1,10}\/){1,3}[\w?*]{1,12}$/.test(word.raw)
    ) {
      return true;
    }
    const split = /[a-z](?:''|""|'[a-z]{1,8}'|"[a-z]{1,8}"|\\[a-z]|\$[@*])/i.test(word.raw);
    if (split && (PROBE_COMMANDS.has(word.name) || INJECTED_COMMANDS.has(word.name))) return true;
  }
  return false;
}

const obfuscation: DetectorRule = {
  id: 'shell.obfuscation',
  type: 'detector',
  category: 'shell_injection',
  severity: 'high',
  rationale:
    'The command hides its own text ($IFS for spaces, {cmd,arg} expansion, w"h"o"am"i splits, /???/??t globs, base64 decoded into a shell): only filter evasion needs that.',
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  detect(text) {
    if (OBFUSCATION_PATTERNS.some((pattern) => pattern.test(text)) || decodesIntoShell(text)) {
      return [{ start: 0, end: text.length }];
    }
    return disguisedCommandWord(normalised(text).text) ? [{ start: 0, end: text.length }] : [];
  },
};

const templateInjection: PatternRule = {
  id: 'shell.template-injection',
  type: 'pattern',
  category: 'shell_injection',
  severity: 'medium',
  rationale:
    'A server-side template probe or exploit ({{7*7}}, <%= 7*7 %>, __class__.__mro__ chains, {{config}}, {% for %}): tests whether the value is evaluated as a template, or abuses it.',
  score: 0.75,
  kinds: ['tool_args'],
  roles: ['shell', 'text'],
  target: 'raw',
  keywords: [
    '{{',
    '${',
    '#{',
    '<%',
    '__class',
    '__ class',
    '__globals',
    '__builtins',
    '__subclasses',
    '{%',
  ],
  // Beyond arithmetic: the objects Jinja and Flask exploits start from, a template statement, and
  // a function called with a string (`{{ read("/etc/passwd") }}`). `${{ }}` (GitHub Actions),
  // `{{ .Field }}` (Go) and `{{ name.attr }}` (cookiecutter) stay quiet.
  pattern:
    /(?:\{\{|\$\{|#\{|<%=?)\s{0,3}\d{1,6}\s{0,3}[*+/-]\s{0,3}\d{1,6}\s{0,3}(?:\}\}?|%>)|__\s{0,2}(?:class|mro|subclasses|globals|builtins|base)\s{0,2}__|(?:^|[^$])\{\{\s{0,3}(?:config|self|request|lipsum|cycler|joiner|namespace|url_for|get_flashed_messages)\b|(?:^|[^$])\{\{\s{0,3}[a-z_][\w.]{0,40}\(\s{0,3}["'][^"'{}]{1,100}["']\s{0,3}\)\s{0,3}\}\}|\{%\s{0,3}(?:for|if|set|import|include|print|debug|macro|from)\s/i,
};

/** Creating or promoting accounts and planting login keys. */
const ACCOUNT_COMMANDS: readonly CommandSpec[] = [
  { command: /\bnet\s{1,4}user\s/gi, args: /\s\/add\b/i },
  {
    command: /\bnet\s{1,4}localgroup\s{1,4}(?:administrators|"remote desktop users")\s/gi,
    args: /\/add\b/i,
  },
  {
    command: /\b(?:useradd|adduser)\s/gi,
    args: /(?:^|\s)-u\s{0,4}0\b|(?:^|\s)-g\s{0,4}(?:0|root)\b|(?:^|\s)-G\s{0,4}(?:sudo|wheel|root|admin)\b/,
  },
  { command: /\busermod\s/gi, args: /-a?G\s{1,4}(?:sudo|wheel|root|admin)\b/ },
  { command: /\bchpasswd\b/gi, args: /^/ },
];
const KEY_OR_ACCOUNT_FILE_APPEND =
  />>\s{0,3}["']?(?:~|\$HOME|\$\{HOME\}|\/root|\/home\/[\w.-]{1,32})\/\.ssh\/authorized_keys|>>?\s{0,3}\/etc\/(?:passwd|shadow)(?![\w.-])/;

const accountManipulation: DetectorRule = {
  id: 'shell.account-manipulation',
  type: 'detector',
  category: 'shell_injection',
  severity: 'high',
  rationale:
    'The command creates or promotes an account or plants a login key (net user /add, administrators group, uid 0, authorized_keys): persistence for an intruder.',
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: [
    'net ',
    'useradd',
    'adduser',
    'usermod',
    'authorized_keys',
    'chpasswd',
    '/etc/passwd',
    '/etc/shadow',
  ],
  detect(text) {
    const command = normalised(text);
    const hits: RuleHit[] = [];
    for (const spec of ACCOUNT_COMMANDS) {
      const found = findCommand(command.text, spec);
      if (found !== null) hits.push(spanOf(command, found.start, found.end));
    }
    const append = KEY_OR_ACCOUNT_FILE_APPEND.exec(command.text);
    if (append !== null) hits.push(spanOf(command, append.index, append.index + append[0].length));
    return hits;
  },
};

/** Switching off defences and wiping traces. */
const EVASION_COMMANDS: readonly CommandSpec[] = [
  { command: /\bnetsh\s{1,4}(?:adv)?firewall\s{1,4}set\s/gi, args: /\bdisable\b|\boff\b/i },
  {
    command: /\breg\s{1,4}add\s/gi,
    args: /fDenyTSConnections|DisableAntiSpyware|DisableRealtimeMonitoring|EnableLUA/i,
  },
  { command: /\b(?:set|add)-mppreference\s/gi, args: /-(?:disable|exclusion)\w{1,40}/i },
  {
    command: /\bsystemctl\s{1,4}(?:stop|disable|mask)\s/gi,
    args: /\b(?:firewalld|apparmor|auditd|ufw)\b/,
  },
  { command: /\bbcdedit\s{1,4}\/set\s/gi, args: /recoveryenabled\s{1,4}no\b/i },
];
const EVASION_PATTERN =
  /\bufw\s{1,4}disable\b|\bsetenforce\s{1,4}0\b|\biptables\s{1,4}(?:-F|--flush)\b|\bhistory\s{1,4}-c\b|\bunset\s{1,4}HISTFILE\b|\bHISTFILE=\/dev\/null|\bHISTSIZE=0\b|\bwevtutil\s{1,4}cl\b|\bclear-eventlog\b|\bvssadmin\s{1,4}delete\s{1,4}shadows\b|\bwmic\s{1,4}shadowcopy\s{1,4}delete\b|(?:^|[^>])>\s{0,3}\/var\/log\/(?:auth\.log|secure|syslog|messages|wtmp|btmp|lastlog)\b/i;

const defenseEvasion: DetectorRule = {
  id: 'shell.defense-evasion',
  type: 'detector',
  category: 'shell_injection',
  severity: 'high',
  rationale:
    'The command switches off a defence or erases traces (firewall off, Defender off, RDP opened, history or event logs wiped, shadow copies deleted).',
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: [
    'netsh',
    'reg ',
    'mppreference',
    'ufw',
    'setenforce',
    'iptables',
    'systemctl',
    'history',
    'histfile',
    'histsize',
    'wevtutil',
    'clear-eventlog',
    'vssadmin',
    'shadowcopy',
    'bcdedit',
    '/var/log/',
  ],
  detect(text) {
    const command = normalised(text);
    const hits: RuleHit[] = [];
    for (const spec of EVASION_COMMANDS) {
      const found = findCommand(command.text, spec);
      if (found !== null) hits.push(spanOf(command, found.start, found.end));
    }
    const pattern = EVASION_PATTERN.exec(command.text);
    if (pattern !== null)
      hits.push(spanOf(command, pattern.index, pattern.index + pattern[0].length));
    return hits;
  },
};

/** Dev-everyday commands that are also an intruder's first look around. */
const RECON_ONLY =
  /^(?:uname(?:\s{1,4}-[a-z]{1,4})?|hostname|which\s{1,4}(?:wget|curl|python\d?|perl|gcc)|cat\s{1,4}\/etc\/(?:hosts|issue|hostname|resolv\.conf|os-release)|ls(?:\s{1,4}-[a-z]{1,6})?(?:\s{1,4}\/(?:(?:etc|tmp|var)[^\s]{0,60})?)?|ps\s{1,4}(?:aux|-ef)|pwd)$/i;

/**
 * Identity, account, domain and network enumeration that a coding agent has no everyday need
 * for: on the 2,716 benign CI and Dockerfile commands of shell-commands/train none is a whole
 * command of its own, while payload lists open with them.
 */
const ENUMERATION_ONLY =
  /^(?:whoami(?:\s{1,4}\/(?:priv|all|groups))?|id|ifconfig(?:\s{1,4}-a)?|ipconfig|netstat(?:\s{1,4}-[a-z]{1,6})?|route(?:\s{1,4}-n)?|net\s{1,4}(?:user|localgroup|group|view|share|accounts|session|use)(?:\s{1,4}\S{1,40}){0,3}|systeminfo|sysinfo|ipconfig\s{1,4}\/all|arp\s{1,4}-a|route\s{1,4}print|tasklist(?:\s{1,4}\/svc)?|query\s{1,4}user|nltest\s{1,4}\S{1,40}|dsquery\s{1,4}\S{1,40}|which\s{1,4}(?:nc|ncat|netcat|socat|nmap|tcpdump)|getent\s{1,4}(?:passwd|shadow|group)|dir\s{1,4}[a-z]:\\[^\n]{0,80}|ls(?:\s{1,4}-[a-z]{1,6})?\s{1,4}\/(?:home|root)[^\s]{0,60})$/i;

/** Bare commands are short; longer values are scripts, where these rules say nothing. */
function bareCommand(text: string, pattern: RegExp): RuleHit[] {
  if (text.length > 200) return [];
  const trimmed = text.trim();
  if (!pattern.test(trimmed)) return [];
  const start = text.indexOf(trimmed);
  return [{ start, end: start + trimmed.length }];
}

const reconCommand: DetectorRule = {
  id: 'shell.recon-command',
  type: 'detector',
  category: 'shell_injection',
  severity: 'low',
  rationale:
    "A bare look-around command (uname -a, hostname, which python, ls /etc, ps aux): routine for a developer, an intruder's first step; recorded for context.",
  score: 0.4,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  detect: (text) => bareCommand(text, RECON_ONLY),
};

const hostEnumeration: DetectorRule = {
  id: 'shell.host-enumeration',
  type: 'detector',
  category: 'shell_injection',
  severity: 'medium',
  rationale:
    'A bare identity, account, domain or network enumeration command (whoami, id, ifconfig, netstat, net user, systeminfo, which nc): post-exploitation discovery rather than development work.',
  score: 0.7,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  // No keywords: the check is one anchored regex on values of at most 200 characters.
  detect: (text) => bareCommand(text, ENUMERATION_ONLY),
};

const overflowProbe: PatternRule = {
  id: 'shell.overflow-probe',
  type: 'pattern',
  category: 'shell_injection',
  severity: 'medium',
  rationale:
    'An interpreter one-liner that prints one character repeated hundreds of times (perl -e \'print "A"x4096\'): a buffer-overflow fuzzing probe, not a task.',
  score: 0.75,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: ['perl', 'python', 'ruby'],
  pattern:
    /\b(?:perl|ruby)\s{1,4}-e\s{1,4}["']\s{0,4}(?:print|puts)\s{0,4}\(?\s{0,4}(?:"[^"\s]{1,4}"|'[^'\s]{1,4}')\s{0,4}(?:x|\*)\s{0,4}\d{3,7}|\bpython[\d.]{0,4}\s{1,4}-c\s{1,4}["']\s{0,4}print\s{0,4}\(?\s{0,4}(?:"[^"\s]{1,4}"|'[^'\s]{1,4}')\s{0,4}\*\s{0,4}\d{3,7}/i,
};

const metacharacterProbe: PatternRule = {
  id: 'shell.metacharacter-probe',
  type: 'pattern',
  category: 'shell_injection',
  severity: 'medium',
  rationale:
    'The whole argument is a lone quote, separator or encoded newline: a fuzzing probe checking whether input reaches a shell unescaped, never a command.',
  score: 0.7,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: [],
  // Bounded: a probe is a handful of characters.
  pattern: /^\s{0,4}(?:[;|&`'"]|%0[ad]|\\[nr]|\$\(|\)){1,8}\s{0,4}$/i,
};

const terminalEscape: PatternRule = {
  id: 'shell.terminal-escape',
  type: 'pattern',
  category: 'shell_injection',
  severity: 'medium',
  rationale:
    'Terminal escape sequences that move the cursor or conceal text can make a reviewer see a different command from the one that runs.',
  score: 0.7,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: ['\\033[', '\\x1b[', '\\e[', '\\u001b[', '\x1b['],
  pattern: /(?:\\033|\\x1b|\\e|\\u001b|\x1b)\[(?:\d{0,4}[AFHf]|\d{1,4};\d{1,4}[Hf]|8m)/i,
};

export const shellRules: readonly Rule[] = [
  commandChaining,
  commandSubstitution,
  reverseShell,
  destructiveCommand,
  sensitiveFileRead,
  codeInjection,
  shellshock,
  obfuscation,
  accountManipulation,
  defenseEvasion,
  remoteScriptFromIp,
  templateInjection,
  terminalEscape,
  metacharacterProbe,
  overflowProbe,
  pipeToShell,
  recursiveDelete,
  hostEnumeration,
  sudo,
  reconCommand,
];
