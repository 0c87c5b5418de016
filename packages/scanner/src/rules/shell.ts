import type { DetectorRule, PatternRule, Rule, RuleHit } from './rule.js';
import {
  type CommandWord,
  commandWordAt,
  findSeparators,
  findSubstitutions,
  type NormalisedCommand,
  normaliseCommand,
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

/** Commands that print, copy or ship a file's content. */
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
  'echo',
  'printf',
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
const LEADING_SEPARATOR = /^[ \t]*([^\s;|&]{0,16})[ \t]*(\|\||&&|[;|&]|[\r\n]\s*)/;

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

/** Leading separator: the value begins by terminating the command it is spliced into. */
function leadingInjection(command: PreparedCommand): RuleHit | null {
  const { text } = command;
  const match = LEADING_SEPARATOR.exec(text);
  if (match === null) return null;
  const prefix = match[1] ?? '';
  const separator = match[2] ?? '';
  const word = commandWordAt(text, match[0].length);
  if (word === null || !isCommandName(word.name)) return null;
  // `ready=1; echo` and `${BIN}; then` are ordinary scripts, not a spliced-in payload.
  if (/[=${}]/.test(prefix.replace(/^\$$/, '')) && !isReconnaissance(word)) return null;
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
const NETCAT_EXEC = /\b(?:nc|ncat|netcat)(?:\.exe)?\s[^;|&\n]{0,160}?(?:\s-[a-z]{0,6}[ec]\s{0,4}\S|--(?:sh-)?exec\b)/i;
const NETCAT_TOKEN = /\b(?:nc|ncat|netcat|telnet|openssl\s+s_client)\b/i;
const FIFO = /\bmk(?:fifo|nod)\b/i;
const SOCAT_EXEC = /\bsocat\b[^\n;|]{0,200}?\b(?:exec|system):/i;
const TELNET_PIPE = /\btelnet\s[^|\n]{0,100}\|\s{0,4}\/bin\/(?:ba)?sh\b/i;
const XTERM_DISPLAY = /\bxterm\s+-display\s+\S{1,100}:\d/i;
const AWK_INET = /\/inet\/(?:tcp|udp)\//i;

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
      (DEV_TCP.test(command) && (interactive || /[<>]&\s{0,3}\d|\d[<>]&|>&\s{0,3}\//.test(command))) ||
      NETCAT_EXEC.test(command) ||
      (FIFO.test(command) && NETCAT_TOKEN.test(command) && interactive) ||
      SOCAT_EXEC.test(command) ||
      (SOCKET_OPEN.test(command) && interactive) ||
      TELNET_PIPE.test(command) ||
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
  /\b(?:ba|z|k|da)?sh\s+(?:-s\s+)?<\(\s{0,4}(?:curl|wget)\b|\b(?:ba|z|k|da)?sh\s+-c\s+["']?\$\(\s{0,4}(?:curl|wget)\b|\b(?:source|\.)\s+<\(\s{0,4}(?:curl|wget)\b|\biex\s*\(?\s*(?:\(new-object|iwr|irm|invoke-webrequest|invoke-restmethod)/i;
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
      const critical = noPreserveRoot || targets.some((target) => CRITICAL_DELETE_TARGET.test(target));
      found.push({ start: match.index, end, critical });
    }
    match = RM_COMMAND.exec(command);
  }
  return found;
}

const DISK_WRITE =
  /\bdd\b[^;|&\n]{0,200}?\bof=\/dev\/(?:sd|hd|vd|xvd|nvme|mmcblk|disk|md|mapper\/)|>\s{0,4}\/dev\/(?:sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d)|\bmkfs(?:\.[a-z0-9]{1,10})?\s[^;|&\n]{0,100}?\/dev\/|\b(?:shred|wipefs)\s[^;|&\n]{0,100}?\/dev\/|\bformat\s+[a-z]:(?:\s|$)|\bfind\s+\/\s[^;|&\n]{0,100}?-delete\b|\bchmod\s+(?:-r|--recursive)\s+[0-7]{3,4}\s+\/(?:\s|$)|\bchown\s+(?:-r|--recursive)\s+\S{1,64}\s+\/(?:\s|$)|%0\s{0,2}\|\s{0,2}%0|\bfork\s+while\s+fork\b/i;

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
    const disk = DISK_WRITE.exec(command.text);
    if (disk !== null) hits.push(spanOf(command, disk.index, disk.index + disk[0].length));
    if (hasForkBomb(command.text)) hits.push({ start: 0, end: text.length });
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
      const redirectedInto = /[>]\s{0,3}["']?[~\w./\\:-]{0,120}$/.test(before);
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
    'Script-language code in a shell argument (PHP system/eval, ${@...} and {${...}} interpolation, a server-side include exec): the payload of a code-injection probe.',
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
  /(?:^|[\s;|&`(])\{(?:cat|ls|id|nc|ncat|wget|curl|bash|sh|echo|base64|whoami|uname|rm|chmod|python\d?|perl|ping),[^}\s]{1,100}\}/,
  // Decoding into a shell: base64 -d | sh, xxd -r | bash, rev | sh.
  /\b(?:base64\s+(?:-d|-D|--decode)|xxd\s+-r|openssl\s+(?:enc\s+)?(?:-base64\s+)?-d|rev)\b[^|\n]{0,100}\|\s{0,4}(?:ba|z|k|da)?sh\b/,
  /\b(?:ba|z|k|da)?sh\s+-c\s+["']?\$\(\s{0,4}(?:echo|printf)\s[^)]{0,400}?\|\s{0,4}(?:base64\s+(?:-d|--decode)|xxd\s+-r|rev)\b/,
  // ANSI-C quoted hex spelling a command.
  /\$'(?:\\x[0-9a-f]{2}){2,}/i,
];

/** Command words spelt with wildcards or quote splits: only useful to dodge filters. */
function disguisedCommandWord(command: string): boolean {
  const starts = [0, ...findSeparators(command).map((separator) => separator.end)];
  for (const start of starts.slice(0, 64)) {
    const word = commandWordAt(command, start);
    if (word === null) continue;
    if (/^\/[\w?*/]{0,40}[?*]/.test(word.raw) && /^\/(?:[\w?*]{1,10}\/){1,3}[\w?*]{1,12}$/.test(word.raw)) {
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
    if (OBFUSCATION_PATTERNS.some((pattern) => pattern.test(text))) {
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
    'A server-side template probe ({{7*7}}, ${7*7}, <%= 7*7 %>, __class__.__mro__ chains): tests whether the value is evaluated as a template.',
  score: 0.75,
  kinds: ['tool_args'],
  roles: ['shell', 'text'],
  target: 'raw',
  keywords: ['{{', '${', '#{', '<%', '__class', '__ class', '__globals', '__builtins', '__subclasses'],
  pattern:
    /(?:\{\{|\$\{|#\{|<%=?)\s{0,3}\d{1,6}\s{0,3}[*+/-]\s{0,3}\d{1,6}\s{0,3}(?:\}\}?|%>)|__\s{0,2}(?:class|mro|subclasses|globals|builtins|base)\s{0,2}__/i,
};

const accountManipulation: PatternRule = {
  id: 'shell.account-manipulation',
  type: 'pattern',
  category: 'shell_injection',
  severity: 'high',
  rationale:
    'The command creates or promotes an account or plants a login key (net user /add, administrators group, uid 0, authorized_keys): persistence for an intruder.',
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: ['net user', 'net localgroup', 'useradd', 'adduser', 'usermod', 'authorized_keys', 'chpasswd', '/etc/passwd', '/etc/shadow'],
  pattern:
    /\bnet\s+user\s+\S{1,64}\s+\S{1,64}\s+\/add\b|\bnet\s+localgroup\s+(?:administrators|"remote desktop users")\s+\S{1,64}\s+\/add\b|\b(?:useradd|adduser)\b[^;|&\n]{0,100}?(?:-o\s+-u\s*0\b|-u\s*0\s+-o\b|-g\s*(?:0|root)\b|-G\s*(?:sudo|wheel|root|admin)\b)|\busermod\s+-a?G\s+(?:sudo|wheel|root|admin)\b|>>\s{0,3}["']?(?:~|\$HOME|\/root|\/home\/[\w.-]{1,32})\/\.ssh\/authorized_keys|>>?\s{0,3}\/etc\/(?:passwd|shadow)\b|\bchpasswd\b/i,
};

const defenseEvasion: PatternRule = {
  id: 'shell.defense-evasion',
  type: 'pattern',
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
    'fdenytsconnections',
    'set-mppreference',
    'add-mppreference',
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
  pattern:
    /\bnetsh\s+(?:adv)?firewall\s+set\s+[^;|&\n]{0,60}?(?:disable|\boff\b)|\breg\s+add\s[^;|&\n]{0,200}?(?:fDenyTSConnections|DisableAntiSpyware|DisableRealtimeMonitoring|EnableLUA)|\b(?:set|add)-mppreference\s+-(?:disable\w{1,40}|exclusion\w{1,20})|\bufw\s+disable\b|\bsetenforce\s+0\b|\biptables\s+(?:-F|--flush)\b|\bsystemctl\s+(?:stop|disable|mask)\s+(?:firewalld|apparmor|auditd|ufw)\b|\bhistory\s+-c\b|\bunset\s+HISTFILE\b|\bHISTFILE=\/dev\/null|\bHISTSIZE=0\b|\bwevtutil\s+cl\b|\bclear-eventlog\b|\bvssadmin\s+delete\s+shadows\b|\bwmic\s+shadowcopy\s+delete\b|\bbcdedit\s+\/set\s+\S{1,40}\s+recoveryenabled\s+no\b|(?:^|[^>])>\s{0,3}\/var\/log\/(?:auth\.log|secure|syslog|messages|wtmp|btmp|lastlog)\b/i,
};

/** Dev-everyday commands that are also an intruder's first look around. */
const RECON_ONLY =
  /^\s*(?:whoami|id|uname(?:\s+-[a-z]{1,4})?|hostname|ifconfig(?:\s+-a)?|ipconfig|netstat(?:\s+-[a-z]{1,6})?|route(?:\s+-n)?|which\s+(?:wget|curl|python\d?|perl|gcc)|cat\s+\/etc\/(?:hosts|issue|hostname|resolv\.conf|os-release)|ls\s+(?:-[a-z]{1,6}\s+)?(?:\/(?:etc|tmp|var)\S{0,60}|\/)|ps\s+(?:aux|-ef)|pwd|ls)\s*$/i;

const reconCommand: PatternRule = {
  id: 'shell.recon-command',
  type: 'pattern',
  category: 'shell_injection',
  severity: 'low',
  rationale:
    'A bare reconnaissance command (whoami, id, uname -a, ifconfig, ls /etc): routine for a developer, an intruder\'s first step; recorded for context.',
  score: 0.4,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: [],
  pattern: RECON_ONLY,
};

/** Account, domain and network enumeration that a coding agent has no everyday need for. */
const ENUMERATION =
  /^\s*(?:whoami\s+\/(?:priv|all|groups)|net\s+(?:user|localgroup|group|view|share|accounts|session|use)(?:\s+[^/\n]{0,60})?|systeminfo|sysinfo|ipconfig\s+\/all|arp\s+-a|route\s+print|tasklist(?:\s+\/svc)?|query\s+user|nltest\s+\S{1,40}|dsquery\s+\S{1,40}|which\s+(?:nc|ncat|netcat|socat|nmap|tcpdump)|getent\s+(?:passwd|shadow|group)|dir\s+[a-z]:\\(?:users|documents and settings)?[^\n]{0,60}|dir\s+[a-z]:\\|ls\s+(?:-[a-z]{1,6}\s+)?\/(?:home|root)\S{0,60})\s*$/i;

const hostEnumeration: PatternRule = {
  id: 'shell.host-enumeration',
  type: 'pattern',
  category: 'shell_injection',
  severity: 'medium',
  rationale:
    'A bare account, domain or network enumeration command (net user, net view, systeminfo, ipconfig /all, which nc): post-exploitation discovery rather than development work.',
  score: 0.7,
  kinds: ['tool_args'],
  roles: ['shell'],
  target: 'raw',
  keywords: [
    'whoami',
    'net ',
    'systeminfo',
    'sysinfo',
    'ipconfig',
    'arp',
    'route',
    'tasklist',
    'query',
    'nltest',
    'dsquery',
    'which',
    'getent',
    'dir ',
    'ls ',
  ],
  pattern: ENUMERATION,
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
  pipeToShell,
  recursiveDelete,
  hostEnumeration,
  sudo,
  reconCommand,
];
