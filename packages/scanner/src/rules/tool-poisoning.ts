import { foldRuleSource } from '../normalize/fold.js';
import { anyOf, type Clause, ClauseIndex, foldedRegExp } from './jailbreak-context.js';
import type { PatternRule, Rule } from './rule.js';

/**
 * Tool poisoning: orders hidden in a tool's own definition (description, parameter
 * descriptions) or in what it returns, aimed at the model that reads them. The classic shape is a
 * harmless description followed by a tagged block that makes reading a local secret a "required
 * step", has its content passed in a spare argument, and asks the model to keep quiet about it.
 * These rules run only on `tool_result` and `document`: a user may talk about all of this freely.
 * Every regular expression here is built with `rx` (bounded gaps only) and listed for the ReDoS
 * test; `validate` reads at most `REACH` characters either side of an anchor.
 */

const DATA_KINDS = ['tool_result', 'document'] as const;
const REACH = 320;

const own: RegExp[] = [];
/** A folded-view regular expression of this module (kept for the ReDoS test). */
function rx(source: string, flags = ''): RegExp {
  const regex = foldedRegExp(source, flags);
  own.push(regex);
  return regex;
}

/** Something a text can be tested against: a regular expression, or a head and tail pair. */
interface Test {
  test(text: string): boolean;
}

/**
 * A head and a tail: the tail (anchored) must match right after some match of the head. Keeps a
 * phrase with a long gap linear and provably safe: the head is short, the tail runs anchored.
 */
function pair(head: string, tail: string): Test {
  const first = rx(head, 'g');
  const rest = rx(`^(?:${tail})`);
  return {
    test(text) {
      first.lastIndex = 0;
      for (let found = first.exec(text); found !== null; found = first.exec(text)) {
        if (rest.test(text.slice(found.index + found[0].length))) return true;
        if (found[0].length === 0) first.lastIndex++;
      }
      return false;
    },
  };
}

/** A test for a clause written for `ClauseIndex` (one source, or a head and a tail). */
function clauseTest(clause: Clause): Test {
  return typeof clause === 'string' ? rx(clause) : pair(clause[0], clause[1]);
}

/** The regular expressions the rules of this module run in `validate`. */
export function toolPoisoningRegExps(): readonly RegExp[] {
  return own;
}

/** The text around an anchor, `reach` characters either side. */
function near(anchor: RegExpExecArray, reach = REACH): { before: string; after: string } {
  const input = anchor.input;
  const end = anchor.index + anchor[0].length;
  return {
    before: input.slice(Math.max(0, anchor.index - reach), anchor.index),
    after: input.slice(end, end + reach),
  };
}

/** From the last sentence break in `text` to its end. */
function sentenceTail(text: string): string {
  const cut = Math.max(
    text.lastIndexOf('. '),
    text.lastIndexOf('\n'),
    text.lastIndexOf('! '),
    text.lastIndexOf('? '),
    text.lastIndexOf('。'),
    text.lastIndexOf('>'),
  );
  return cut >= 0 ? text.slice(cut + 1) : text;
}

// Writing about the attack rather than carrying it: "poisoned descriptions tell the model to ...",
// "the agent is instructed not to ...". Read in the sentence before the match only.
const REPORTED_ABOUT = pair(
  /\b(?:attacks?|attackers?|payloads?|exploits?|poison(?:ed|ing)|malicious|adversar(?:y|ies|ial)|researchers?|examples? of)\b/
    .source,
  /[^.\n]{0,80}\b(?:tells?|told|asks?|asked|instructs?|instructed|directs?|orders?|makes?|made|tricks?|tricked|convinces?|coerces?|says?|claims?|can|could|may|might|would|often|typically|usually|includes?|contains?|hides?)\b/
    .source,
);
const REPORTED_PASSIVE = rx(
  /\b(?:model|agent|assistant|llm|ai|client)s? (?:is|are|was|were|gets?|got|being) (?:told|instructed|asked|ordered|directed|tricked)\b/
    .source,
);

function reported(anchor: RegExpExecArray): boolean {
  const sentence = sentenceTail(near(anchor, 200).before);
  return REPORTED_ABOUT.test(sentence) || REPORTED_PASSIVE.test(sentence);
}

// ---------------------------------------------------------------------------------------------
// Shared evidence: sensitive local files, the environment, arguments, prerequisites.

/** Files whose content is a secret: keys, agent and cloud configs, dotenv, shell history. */
const SENSITIVE_PATH_ANCHORS = [
  '.ssh/',
  '.ssh\\',
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
  'authorized_keys',
  'known_hosts',
  'mcp.json',
  '.cursor/',
  'claude_desktop_config',
  '.env',
  '.aws/',
  '.azure/',
  '.kube/',
  'kubeconfig',
  '.docker/config',
  '.npmrc',
  '.pypirc',
  '.netrc',
  '.pgpass',
  '.git-credentials',
  '.gnupg',
  'gcloud/',
  'credentials.json',
  'service-account',
  'wallet.dat',
  '/etc/passwd',
  '/etc/shadow',
  '_history',
  'keychain',
];

// ".env" the file (not ".env.example", not "process.env").
const DOTENV_OK = rx(
  /^\.env(?!\.(?:example|sample|template|dist|defaults?|local\.example))\b/.source,
);

/** A verb or phrase right before a path that reads it: "read ~/.ssh/id_rsa", "contents of .env". */
const READS_PATH = rx(
  /(?:\b(?:read|open|cat|load|fetch|grab|get|retrieve|copy|dump|print|include|attach|upload|send|take|extract|parse|lee|lea|lire|lis|lisez|lies|liest|lesen|leia|leggi|leggere|abre|ouvre|offne)|\b(?:contents?|text|data|body|value|contenido|contenu|inhalt|conteudo|contenuto)(?: of| de| du| von| des| di| del| do| da)?|содержимое|прочитай|прочти|прочитайте|读取|打开|の内容|を読み)(?: the| your| their| its| all| le| la| el| o| il| die| den| das)?(?: (?:full|entire|whole|raw|complete|file|files|config|configuration|fichier|archivo|arquivo|datei|file|файл|файла))?(?: (?:at|in|from|under|en|dans|unter|em|in))?\s?[`'"(]?[~a-z0-9_./\\-]{0,60}$/
    .source,
);
const READS_PATH_AFTER = rx(
  /^[a-z0-9_./\\-]{0,40}[`'")]?(?:['’]s)? (?:contents?|file contents?|text)\b|^[a-z0-9_./\\-]{0,40}[`'")]?\s?(?:の内容|を読|内容)/
    .source,
);

/** "API keys from the environment", "all the user's passwords". */
const SECRET_ORIGIN = rx(
  /^[^.\n]{0,40}\b(?:from|out of|stored in|kept in) (?:the |your |their |its |this )?(?:(?:shell|system|local|process|user['’]?s?) )?(?:environment|env|\.env|shell|machine|computer|keychain|disk|home (?:directory|folder)|config(?:uration)? files?|local files?|password manager|browser)\b/
    .source,
);
const SECRET_BULK = rx(
  /\b(?:all|every|each|any) (?:of )?(?:the |your |their )?(?:user['’]?s?|stored|saved|available|local)? ?$/
    .source,
);

/** The content goes into an argument: "pass its content as 'sidenote'", "put them into this field". */
const ARGUMENT =
  '(?:(?:the |this |that |an? |its |a separate |an extra |the extra )?(?:[`\'"][a-z0-9_.-]{1,32}[`\'"]|[a-z0-9_]{1,32}) (?:parameter|param|argument|arg|field|input|property)\\b|(?:the |this |that |an? |an extra |a spare |a separate )?(?:parameter|param|argument|arg|field|input|property)\\b|(?:the )?[`\'"][a-z0-9_.-]{1,32}[`\'"])';
const FLOW_OBJECT = rx(
  `\\b(?:pass|put|place|insert|include|add|append|attach|send|provide|supply|copy|paste|embed|enter|write|set|submit|forward|use)\\b (?:it|them|this|that|everything|all of (?:it|them)|its (?:full |entire |whole |raw |complete )?(?:contents?|text|value)|their (?:contents?|values?|text)|the (?:full |entire |whole |raw |complete )?(?:contents?|text|file|output|keys?|tokens?|values?|data|result)|(?:the )?file(?:['’]s)? (?:contents?|text))(?: [a-z]+){0,3}? (?:verbatim |unchanged |as is )?(?:as|in|into|to|inside|within|via|through|under) ${ARGUMENT}`,
);
const FLOW_TARGET = rx(`^[^.\\n]{0,80}?\\b(?:as|in|into|to|inside|within|via|under) ${ARGUMENT}`);
const IMPERATIVE_OPEN = rx(
  /^\s*(?:[a-z]+[:!]\s*)?(?:also|please|then|now|first|and|next|finally|always)?,? ?(?:put|pass|include|insert|add|append|attach|send|provide|supply|copy|paste|embed|fill|set|enter|write|submit|forward|read|collect|gather|grab|take|list|dump)\b/
    .source,
);
const FILL = rx(
  /\bfill (?:in )?(?:it|this|this (?:field|parameter|argument|value)|the [`'"]?[a-z0-9_.-]{1,32}[`'"]? (?:field|parameter|argument))\b[^.\n]{0,20}\bwith\b/
    .source,
);
// Argument words in the other languages, near a content word: "pasa su contenido como parámetro".
const CONTENT_WORDS = '(?:contenido|contenu|inhalt|conteudo|contenuto|содержимое|内容|中身)';
const ARGUMENT_WORDS =
  '(?:parametro|parametre|argumento|argomento|campo|champ|feld|параметр|аргумент|поле|参数|字段|引数|パラメータ|フィールド)';
const FLOW_OTHER_FORWARD = pair(CONTENT_WORDS, `[^.\\n。]{0,60}${ARGUMENT_WORDS}`);
const FLOW_OTHER_BACKWARD = pair(ARGUMENT_WORDS, `[^.\\n。]{0,60}${CONTENT_WORDS}`);
const FLOW_OTHER: Test = {
  test: (text) => FLOW_OTHER_FORWARD.test(text) || FLOW_OTHER_BACKWARD.test(text),
};

/** A hidden prerequisite: "before using this tool, ...", "otherwise the tool will not work". */
const PREREQUISITE = rx(
  /\bbefore (?:you )?(?:using|calling|invoking|running|executing|use|call|invoke|run|execute)\b (?:this|the|any|each) (?:tool|function|command|action)\b|\b(?:otherwise|or else|if not|if you don['’]?t|without (?:it|this|that|doing so))\b[^.\n]{0,30}\b(?:tool|function|it|call|request|this|everything)\b (?:will|would|may|might|does|can)(?:n['’]?t| not)? (?:not |never )?(?:work|fail|function|crash|break|error|be able)\b|\b(?:tool|function) (?:will|would|does|can)(?: not|n['’]t) (?:work|function|run)\b|\brequired for (?:the |this )?(?:tool|function) to (?:work|function|run)\b|\bantes de (?:usar|utilizar|llamar|invocar) (?:esta|la) (?:herramienta|funcion)\b|\bavant d['’](?:utiliser|appeler|invoquer) (?:cet|l['’])outil\b|\bbevor (?:du |sie )?(?:dieses|das) (?:tool|werkzeug)\b|\bantes de (?:usar|utilizar|chamar) (?:esta|a) ferramenta\b|\bprima di (?:usare|utilizzare|chiamare) (?:questo|lo) strumento\b|перед (?:использованием|вызовом) (?:этого |данного )?инструмента|(?:使用|调用)(?:此|该|这个)工具(?:之)?前|このツールを(?:使う|使用する|呼び出す)前に|\b(?:de lo contrario|sinon|sonst|caso contrario|senao|altrimenti)\b|иначе инструмент|否则(?:工具|该工具|此工具)?(?:将)?(?:无法|不能)|さもないと/
    .source,
);

/** Whether the text around a secret's source also sends it into an argument or makes it a prerequisite. */
function flowsIntoArgument(before: string, after: string, sentence: string): boolean {
  const local = `${before} ${after}`;
  if (FLOW_OBJECT.test(local) || FILL.test(local) || FLOW_OTHER.test(local)) return true;
  if (PREREQUISITE.test(local)) return true;
  // "Put the user's API keys from the environment into this field."
  return IMPERATIVE_OPEN.test(sentence) && FLOW_TARGET.test(after);
}

// ---------------------------------------------------------------------------------------------
// indirect.credential-harvest: read a local secret and hand it over as a tool argument.

const SECRET_NOUN_ANCHORS = [
  'api key',
  'api_key',
  'apikey',
  'api token',
  'access token',
  'auth token',
  'session token',
  'secret key',
  'private key',
  'ssh key',
  'passwords',
  'credentials',
  'secrets',
];
const ENVIRONMENT_ANCHORS = [
  'environment variable',
  'env var',
  'printenv',
  'process.env',
  'os.environ',
  'variables de entorno',
  "variables d'environnement",
  'umgebungsvariablen',
  'variaveis de ambiente',
  'variabili di ambiente',
  "variabili d'ambiente",
  'переменные окружения',
  'переменных окружения',
  '环境变量',
  '環境変数',
];
const PATHS = new Set(SENSITIVE_PATH_ANCHORS);
const ENVIRONMENT = new Set(ENVIRONMENT_ANCHORS.map((anchor) => foldRuleSource(anchor)));
// Which environment: all of it, or read out ("dump the environment variables").
const ENVIRONMENT_READ = rx(
  /(?:\b(?:all|every|each)(?: (?:of )?(?:the|your|their|current|user['’]?s))?(?: current)?|\b(?:read|collect|dump|list|copy|include|gather|print|grab|send|output of|values of|contents? of)(?: (?:the|all|your|their))?(?: current)?|todas las|toutes les|alle|todas as|tutte le|все|所有|全部|すべての) ?$/
    .source,
);
const HARVEST_ANCHORS = [...SENSITIVE_PATH_ANCHORS, ...SECRET_NOUN_ANCHORS, ...ENVIRONMENT_ANCHORS];

/** The path token the anchor sits in: back to the previous space, quote or bracket. */
function pathStart(input: string, index: number): number {
  let start = index;
  while (start > 0 && start > index - 80 && !/[\s`'"(<[]/.test(input[start - 1]!)) start--;
  return start;
}

function checkHarvest(anchor: RegExpExecArray): number | false {
  const key = anchor[0];
  const input = anchor.input;
  const end = anchor.index + key.length;
  let sourceStart = anchor.index;
  if (PATHS.has(key)) {
    if (key === '.env' && !DOTENV_OK.test(input.slice(anchor.index, anchor.index + 24)))
      return false;
    if (
      key === '.env' &&
      /[a-z0-9_]$/.test(input.slice(Math.max(0, anchor.index - 1), anchor.index))
    )
      return false;
    sourceStart = pathStart(input, anchor.index);
    const head = input.slice(Math.max(0, sourceStart - 80), sourceStart);
    const tail = input.slice(end, end + 60);
    if (!READS_PATH.test(head) && !READS_PATH_AFTER.test(tail)) return false;
  } else if (ENVIRONMENT.has(key)) {
    if (!ENVIRONMENT_READ.test(input.slice(Math.max(0, anchor.index - 40), anchor.index)))
      return false;
  } else {
    // A secret noun: read from somewhere local, or all of them at once.
    const tail = input.slice(end, end + 60);
    const head = input.slice(Math.max(0, anchor.index - 40), anchor.index);
    if (!SECRET_ORIGIN.test(tail) && !SECRET_BULK.test(head)) return false;
  }
  const { before, after } = near(anchor);
  const sentence = `${sentenceTail(input.slice(Math.max(0, sourceStart - 240), sourceStart))}${key}`;
  if (!flowsIntoArgument(before, after, sentence)) return false;
  return reported(anchor) ? false : 0.9;
}

const CREDENTIAL_HARVEST: PatternRule = {
  type: 'pattern',
  id: 'indirect.credential-harvest',
  category: 'indirect_injection',
  severity: 'critical',
  rationale:
    'A tool description or result that has the model read a local secret (SSH key, .env, agent config, environment) and pass it in an argument is stealing it through the tool call.',
  score: 0.9,
  kinds: DATA_KINDS,
  target: 'folded',
  keywords: HARVEST_ANCHORS,
  pattern: anyOf([...HARVEST_ANCHORS].sort((a, b) => b.length - a.length)),
  window: REACH + 80,
  validate: (anchor) => checkHarvest(anchor),
  validateReach: REACH + 80,
};

// ---------------------------------------------------------------------------------------------
// indirect.conceal-from-user: "do not mention this to the user", with an action to hide.

const NEGATION =
  "(?:do not|don['’]?t|dont|never|must not|mustn['’]?t|should not|shouldn['’]?t|avoid)";
const USER = '(?:the |your |this |any )?(?:end[ -]?)?(?:users?|humans?)\\b';
const TELL_VERBS =
  '(?:mention(?:ing)?|tell(?:ing)?|inform(?:ing)?|notify(?:ing)?|alert(?:ing)?|warn(?:ing)?|let(?:ting)?)';
const SAY_VERBS =
  '(?:mention|reveal|disclose|say|show|explain|admit|bring|point|expose|report|surface|acknowledge)(?:s|ing)?';
const HIDDEN_THING =
  '(?:(?:any of )?(?:this|it|that|these|them|anything)|the (?:fact|step|steps|request|requirement|instructions?|note|reason|extra|additional|sidenote|parameter|process|action|read)|what you(?: did| have done| read| sent)?)';

const CONCEAL_EN = [
  // "do not tell the user", "never let the user know"
  `\\b${NEGATION} (?:ever )?${TELL_VERBS} ${USER}`,
  // "do not mention this to the user", "don't bring it up with the user"
  `\\b${NEGATION} (?:ever )?${SAY_VERBS} ${HIDDEN_THING}(?: [a-z]+){0,3}? (?:to|with|in front of) ${USER}`,
  // "never reveal to the user that ..."
  `\\b${NEGATION} (?:ever )?${SAY_VERBS} (?:this |it |anything )?to ${USER}`,
  // "without informing the user", "without the user noticing"
  `\\bwithout (?:ever )?(?:telling|informing|notifying|alerting|warning|letting|asking|consulting|mentioning (?:it |this |that )?to) ${USER}`,
  "\\bwithout (?:the |your )?(?:users?|humans?)(?:['’]s?)? (?:knowing|noticing|knowledge|seeing|realizing|realising|being (?:aware|told|informed))\\b|\\bbehind (?:the |your )?users?['’]s? back\\b",
  // "the user must not know", "the user doesn't need to know"
  "\\b(?:the |your )?(?:end[ -]?)?users? (?:must|should|shall|may|can|need|is to)(?: not|n['’]t| never) (?:ever )?(?:know|see|notice|learn|find out|discover|suspect|be (?:told|informed|notified|made aware|aware|alerted|shown))\\b",
  "\\b(?:the |your )?users? (?:does not|doesn['’]t|do not|don['’]t) need to (?:know|see|be (?:told|informed|bothered))\\b|\\b(?:the |your )?users? need not (?:know|see|be)\\b",
  // "hide this from the user", "keep this step to yourself"
  `\\b(?:hide|conceal|keep) (?:this|it|that|these [a-z]+|the [a-z]+)(?: [a-z]+)?(?: hidden| secret| private)? from ${USER}`,
  '\\bkeep (?:this|it|that|these [a-z]+|the [a-z]+)(?: [a-z]+)? to yourself\\b',
];
const CONCEAL_OTHER: readonly Clause[] = [
  // Spanish
  '\\bno (?:se lo |se la |le |les |lo |la )?(?:menciones|mencione|digas|diga|cuentes|cuente|informes|informe|reveles|revele|avises|avise|comentes|comente|muestres|muestre|notifiques|notifique|expliques|explique)\\b[^.\\n]{0,40}\\b(?:al|a los|a tu|a su) usuarios?\\b',
  '\\bsin (?:decirle|decirselo|decir|informar|avisar|notificar|comunicar|mencionar|mencionarselo|consultar)(?:le|les)? (?:nada |esto |eso )?(?:al|a los) usuarios?\\b|\\bsin que (?:el|los) usuarios? (?:lo )?(?:sepa|sepan|note|noten|vea|vean|se entere|se enteren|perciba|se de cuenta)\\b|\\b(?:el|los) usuarios? no (?:debe|deben|tiene que|tienen que|puede|pueden|necesita|necesitan) (?:saber(?:lo)?|enterarse|verlo|ver|notar(?:lo)?|ser informad[oa]s?)\\b|\\ba espaldas del usuario\\b',
  // French
  "\\bn(?:e |['’])(?:(?:le|la|les|lui|leur|en|rien) |l['’])?(?:(?:le|la|les|lui|leur|en) )?(?:mentionne|mentionnez|dis|dites|revele|revelez|signale|signalez|informe|informez|previens|prevenez|parle|parlez|montre|montrez|explique|expliquez|avertis|avertissez)(?: surtout)? (?:pas|jamais|rien)\\b[^.\\n]{0,40}(?:l['’]utilisateur|les utilisateurs|aux utilisateurs)",
  "\\bsans (?:en )?(?:informer|prevenir|avertir|aviser|alerter|le dire a|le signaler a|en parler a|consulter|notifier) (?:l['’]utilisateur|les utilisateurs)|\\ba l['’]insu de l['’]utilisateur|\\bsans que l['’]utilisateur (?:ne )?(?:le )?(?:sache|remarque|voie|s['’]en (?:apercoive|rende compte))|\\bl['’]utilisateur ne (?:doit|devrait|peut) (?:pas|jamais|surtout pas) (?:le )?(?:savoir|voir|remarquer|apprendre|etre (?:informe|prevenu|au courant))",
  // German
  [
    '\\b(?:erwahne|erwahnt|sag|sage|sagt|verrate|verratet|teile|teilt|zeige|zeig|zeigt|informiere|informiert|benachrichtige|erzahle|erzahl)\\b',
    '^[^.\\n]{0,40}\\b(?:nutzer|nutzerin|benutzer|benutzerin|anwender|anwenderin|user)(?:s|n|in)?\\b[^.\\n]{0,30}\\b(?:nicht|nichts|niemals|keinesfalls)\\b',
  ],
  [
    '\\b(?:erwahne|erwahnt|sag|sage|sagt|verrate|verratet|teile|teilt|zeige|zeig|zeigt|informiere|informiert|erzahle|erzahl)\\b',
    '^[^.\\n]{0,30}\\b(?:nicht|nichts|niemals|keinesfalls)\\b[^.\\n]{0,40}\\b(?:nutzer|nutzerin|benutzer|benutzerin|anwender|anwenderin|user)(?:s|n|in)?\\b',
  ],
  '\\bohne (?:den|die|dass der|dass die) (?:nutzer|nutzerin|benutzer|benutzerin|anwender|anwenderin)\\b[^.\\n]{0,30}\\b(?:zu (?:informieren|benachrichtigen|fragen|warnen)|(?:es |davon |etwas )?(?:merkt|weiss|erfahrt|bemerkt|mitbekommt))\\b|\\b(?:der|die) (?:nutzer|nutzerin|benutzer|benutzerin|anwender|anwenderin) (?:darf|soll|muss) (?:davon |das |es )?(?:nichts|nicht|niemals) (?:davon )?(?:wissen|erfahren|merken|sehen|bemerken|mitbekommen)\\b',
  // Portuguese
  '\\bnao (?:o |lhe |lhes )?(?:mencione|mencionar|diga|dizer|conte|contar|revele|revelar|informe|informar|avise|avisar|mostre|mostrar|comente|comentar)\\b[^.\\n]{0,40}\\b(?:ao|aos|para o|para os) (?:usuarios?|utilizador(?:es)?)\\b',
  '\\bsem (?:informar|avisar|contar|dizer|notificar|consultar|mencionar)(?: nada)? (?:ao|aos|o|os) (?:usuarios?|utilizador(?:es)?)\\b|\\bsem que o (?:usuario|utilizador) (?:saiba|perceba|veja|note)\\b|\\bo (?:usuario|utilizador) nao (?:deve|pode|precisa) (?:saber|ver|perceber|notar|ser informado)\\b',
  // Italian
  "\\bnon (?:(?:lo|gli|le) )?(?:menzionare|menzionarlo|dire|dirlo|dirgli|rivelare|rivelarlo|informare|avvisare|mostrare|mostrarlo|comunicare|comunicarlo|segnalare|segnalarlo|riferire)\\b[^.\\n]{0,40}(?:all['’]utente|l['’]utente|agli utenti|gli utenti)",
  "\\bsenza (?:informare|avvisare|avvertire|dirlo a|dire nulla a|consultare|notificare) (?:l['’]utente|gli utenti)|\\ball['’]insaputa dell['’]utente|\\bsenza che l['’]utente (?:lo )?(?:sappia|noti|veda|se ne accorga)\\b|\\bl['’]utente non (?:deve|dovrebbe|puo) (?:saperlo|sapere|saperne|accorgersene|vedere|notare|essere informato)\\b",
  // Russian
  'не (?:говори|говорите|сообщай|сообщайте|упоминай|упоминайте|рассказывай|рассказывайте|показывай|показывайте|раскрывай|раскрывайте|сообщать|говорить|упоминать)[^.\\n]{0,40}пользовател|без ведома пользовател|не (?:сообщая|уведомляя|говоря|предупреждая|информируя)[^.\\n]{0,20}пользовател|пользователь не должен (?:об этом |этого |ничего )?(?:знать|узнать|видеть|заметить)|чтобы пользователь не (?:узнал|заметил|увидел)',
  // Chinese
  '(?:不要|别|勿|切勿|不得|不可|千万不要)(?:向|对|跟|和|给)?(?:用户|使用者)(?:提及|透露|说明|提起|显示|告知|说|讲|提|解释)|(?:不要|别|勿|切勿|不得|不可|千万不要)(?:告诉|通知|提醒|让|告知)(?:用户|使用者)|(?:不要|别|勿)让(?:用户|使用者)(?:知道|发现|察觉|看到)|(?:用户|使用者)(?:不应|不能|不得|不需要|无需|不必)(?:知道|察觉|发现|看到|了解)|瞒着(?:用户|使用者)|在(?:用户|使用者)不知情的情况下',
  // Japanese
  '(?:ユーザー|ユーザ|利用者)に(?:は)?(?:言わ|伝え|知らせ|教え|通知し|見せ|話さ|報告し|言及し|説明し)(?:ない|ず)|(?:ユーザー|ユーザ|利用者)に(?:は)?(?:知られ|気づかれ|気付かれ|悟られ)(?:ない|ず)|(?:ユーザー|ユーザ|利用者)に(?:は)?秘密|(?:ユーザー|ユーザ|利用者)(?:に|へ)(?:の)?(?:言及|報告|説明)(?:は)?(?:不要|しないで|禁止)',
];

const CONCEAL_ANCHORS_EN = [
  ...['not ', "n't ", 'n’t ', 'never ', 'avoid '].flatMap((negation) =>
    [
      'mention',
      'tell',
      'inform',
      'notify',
      'alert',
      'warn',
      'let',
      'reveal',
      'disclose',
      'say',
      'show',
      'explain',
      'admit',
      'bring',
      'point',
      'expose',
      'report',
      'surface',
      'acknowledge',
    ].map((verb) => `${negation}${verb}`),
  ),
  'dont tell',
  'dont mention',
  'without telling',
  'without informing',
  'without notifying',
  'without alerting',
  'without warning',
  'without letting',
  'without asking',
  'without consulting',
  'without mentioning',
  'without ever',
  'without the user',
  'without the human',
  'without your user',
  "behind the user's",
  'behind the user’s',
  'user must not',
  'user should not',
  'user shall not',
  'user may not',
  'user can not',
  'user cannot',
  'user need not',
  'user is to never',
  "user mustn't",
  "user shouldn't",
  "user can't",
  'user must never',
  'user should never',
  'user does not need',
  "user doesn't need",
  'users must not',
  'users should not',
  'users do not need',
  "users don't need",
  'from the user',
  'from the users',
  'from your user',
  'from the human',
  'to yourself',
];
const CONCEAL_ANCHORS_OTHER = [
  'no se lo',
  'no le ',
  'no menciones',
  'no mencione',
  'no digas',
  'no diga',
  'no cuentes',
  'no informes',
  'no reveles',
  'no avises',
  'no comentes',
  'no muestres',
  'sin decir',
  'sin informar',
  'sin avisar',
  'sin notificar',
  'sin comunicar',
  'sin mencionar',
  'sin consultar',
  'sin que el usuario',
  'sin que los usuarios',
  'usuario no debe',
  'usuarios no deben',
  'usuario no tiene',
  'usuario no puede',
  'usuario no necesita',
  'a espaldas',
  'utilisateur',
  'nutzer',
  'benutzer',
  'anwender',
  'nao mencione',
  'nao diga',
  'nao conte',
  'nao revele',
  'nao informe',
  'nao avise',
  'nao mostre',
  'nao comente',
  'nao o ',
  'nao lhe',
  'sem informar',
  'sem avisar',
  'sem contar',
  'sem dizer',
  'sem notificar',
  'sem consultar',
  'sem mencionar',
  'sem que o',
  'usuario nao',
  'utilizador nao',
  "l'utente",
  'l’utente',
  'agli utenti',
  'gli utenti',
  'пользовател',
  '用户',
  '使用者',
  'ユーザー',
  'ユーザ',
  '利用者',
];
const CONCEAL_INDEX = new ClauseIndex([
  { anchors: CONCEAL_ANCHORS_EN, clauses: CONCEAL_EN, reach: 80 },
  { anchors: CONCEAL_ANCHORS_OTHER, clauses: CONCEAL_OTHER, reach: 80 },
]);
const CONCEAL_ALL = [...CONCEAL_EN, ...CONCEAL_OTHER].map(clauseTest);

/** "Do not tell the user the password": keeping data from the user, not hiding an act. */
const DATA_OBJECT = rx(
  /^ (?:the|your|their|his|her|its|our|my|an?)\s(?!(?:fact|step|steps|reason|instructions?|note|requirement|extra|additional|process)\b)/
    .source,
);
/** "Never send data without informing the user": a duty to inform, not concealment. */
const NEGATED_HEAD = rx(/\b(?:never|not|no|don['’]?t|cannot|can['’]t|won['’]t)\b/.source);

/** What the concealment covers: a secret, a file, an argument, an address, a prerequisite. */
const ACTION_EVIDENCE: readonly Test[] = [
  rx(
    /(?:~\/|\.ssh|id_rsa|id_ed25519|mcp\.json|\.cursor\/|\.aws\/|\.npmrc|\.netrc|\/etc\/(?:passwd|shadow)|\.env\b)|\b(?:sidenote|side note|api[ _-]?keys?|passwords?|credentials?|access tokens?|private keys?|ssh keys?|secret keys?|environment variables?|contents? of (?:the |this |that |your )?(?:file|config)|bcc|exfiltrat\w*)\b|\bbefore (?:using|calling|invoking|running) (?:this|the) (?:tool|function)\b|\b(?:datei|archivo|fichier|arquivo|ficheiro|contrasena|mot de passe|passwort|senha|credenciales|identifiants|zugangsdaten|credenciais|credenziali|contenido|contenu|inhalt|conteudo|contenuto)\b|файл|пароль|ключ|содержимое|文件|密码|密钥|凭据|内容|ファイル|パスワード|認証情報/
      .source,
  ),
  // Into an argument: "put it in the notes field", "als Parameter".
  pair(
    /\b(?:pass|put|place|include|add|insert|fill|send|set|attach|append|embed|provide|supply|copy)\b/
      .source,
    /[^.\n]{0,60}\b(?:parameters?|params?|arguments?|fields?)\b/.source,
  ),
  rx(
    /\b(?:parametro|parametre|argumento|argomento|campo|champ|feld)\b|параметр|аргумент|参数|字段|引数|パラメータ|フィールド/
      .source,
  ),
  // Out to an address: "forward a copy to audit@…".
  pair(
    /\b(?:send|forward|bcc|cc|redirect|copy|email|mail|upload|post)\b/.source,
    /[^.\n]{0,60}@[a-z0-9-]+\.[a-z]/.source,
  ),
];

/** The model's own instructions kept secret: a deployer's prompt, not a planted order. */
const OWN_INSTRUCTIONS = rx(
  /\b(?:these|the|your|my|its|our|any|those) (?:instructions|prompts?|rules|guidelines|system prompt|system message|configuration)\b/
    .source,
);
/** After "tell the user": "to run …" asks for an instruction to the user, not silence. */
const TELLS_TO_DO = rx(/^ (?:to|how to|what to)\b/.source);
/** After "let the user": only "know", "see", "notice" make it concealment. */
const LET_KNOW = rx(/^ (?:know|see|notice|find out|learn|realize|realise|discover)\b/.source);

function checkConceal(anchor: RegExpExecArray): number | false {
  const match = CONCEAL_INDEX.find(anchor, 80);
  if (match === null) return false;
  const following = match.input.slice(
    match.index + match[0].length,
    match.index + match[0].length + 40,
  );
  if (/(?:users?|humans?)$/.test(match[0])) {
    if (DATA_OBJECT.test(following) || TELLS_TO_DO.test(following)) return false;
    if (/\blet(?:ting)? (?:the |your |this |any )?(?:end[ -]?)?(?:users?|humans?)$/.test(match[0]))
      if (!LET_KNOW.test(following)) return false;
  }
  if (OWN_INSTRUCTIONS.test(match[0])) return false;
  if (match[0].startsWith('without')) {
    const head = sentenceTail(anchor.input.slice(Math.max(0, anchor.index - 200), anchor.index));
    if (NEGATED_HEAD.test(head)) return false;
  }
  const { before, after } = near(anchor);
  const local = `${before} ${anchor[0]} ${after}`;
  if (!ACTION_EVIDENCE.some((evidence) => evidence.test(local))) return false;
  return reported(anchor) ? false : 0.85;
}

const CONCEAL_FROM_USER: PatternRule = {
  type: 'pattern',
  id: 'indirect.conceal-from-user',
  category: 'indirect_injection',
  severity: 'high',
  rationale:
    'A tool description or result that tells the model to keep an action (reading a file, filling an extra argument) from the user is hiding what it makes the agent do.',
  score: 0.85,
  kinds: DATA_KINDS,
  target: 'folded',
  keywords: CONCEAL_INDEX.keywords,
  pattern: CONCEAL_INDEX.pattern,
  window: REACH + 80,
  validate: (anchor) => checkConceal(anchor),
  validateReach: REACH + 80,
};

// ---------------------------------------------------------------------------------------------
// indirect.tagged-order: an <IMPORTANT> or <SYSTEM> block in data that gives the model orders.

const TAG_NAMES = [
  'important',
  'system',
  'critical',
  'mandatory',
  'urgent',
  'secret',
  'hidden',
  'admin',
  'override',
  'priority',
  'required',
  'instruction',
  'instructions',
  'assistant',
  'ai',
  'llm',
  'model',
  'agent',
];
const TAG_ANCHORS = TAG_NAMES.map((name) => `<${name}`);
const TAG_OPEN = rx(`^<(${TAG_NAMES.join('|')})(?:[\\s_-][a-z_ ="'-]{0,40})?>`);

/** Orders to the model that make a tagged block more than an admonition for human readers. */
const TAGGED_ORDERS: readonly Test[] = [
  PREREQUISITE,
  FLOW_OBJECT,
  FILL,
  FLOW_OTHER,
  rx(
    /\b(?:ignore|disregard|forget|override)\b (?:all |any |the |your |these )?(?:previous|prior|above|earlier|other|original|user['’]?s?|system|safety)\b/
      .source,
  ),
  rx(
    /\b(?:always|first|instead|must|should|make sure to|be sure to|remember to|you need to|you have to)\b[^.\n]{0,24}\b(?:call|invoke|use|run|execute)\b[^.\n]{0,30}\b(?:tool|function)\b/
      .source,
  ),
  pair(
    /\b(?:send|forward|bcc|cc|redirect|route|copy|email|mail|upload|post)\b/.source,
    /[^.\n]{0,60}(?:@[a-z0-9-]+\.[a-z]|https?:\/\/)/.source,
  ),
  pair(
    /\b(?:read|open|cat|load|include|attach|collect)\b/.source,
    /[^.\n]{0,40}(?:~\/|\.ssh|id_rsa|mcp\.json|\.cursor\/|\.aws\/|\.npmrc|\.netrc|\/etc\/passwd|\.env\b|credentials|environment variables)/
      .source,
  ),
];

function checkTag(anchor: RegExpExecArray): number | false {
  const input = anchor.input;
  const open = TAG_OPEN.exec(input.slice(anchor.index, anchor.index + 64));
  if (open === null) return false;
  const bodyStart = anchor.index + open[0].length;
  const close = input.indexOf(`</${open[1]}`, bodyStart);
  const body = input.slice(
    bodyStart,
    close >= 0 ? Math.min(close, bodyStart + 600) : bodyStart + 600,
  );
  const ordered =
    TAGGED_ORDERS.some((regex) => regex.test(body)) ||
    (CONCEAL_ALL.some((regex) => regex.test(body)) &&
      ACTION_EVIDENCE.some((evidence) => evidence.test(body)));
  if (!ordered) return false;
  return reported(anchor) ? false : 0.85;
}

const TAGGED_ORDER: PatternRule = {
  type: 'pattern',
  id: 'indirect.tagged-order',
  category: 'indirect_injection',
  severity: 'high',
  rationale:
    'An IMPORTANT- or SYSTEM-tagged block in a tool description or result that orders the model to read files, fill arguments, call tools or ignore its instructions is planted to steer the agent.',
  score: 0.85,
  kinds: DATA_KINDS,
  target: 'folded',
  keywords: TAG_ANCHORS,
  pattern: anyOf([...TAG_ANCHORS].sort((a, b) => b.length - a.length)),
  window: 680,
  validate: (anchor) => checkTag(anchor),
  validateReach: 680,
};

export const toolPoisoningRules: readonly Rule[] = [
  CREDENTIAL_HARVEST,
  CONCEAL_FROM_USER,
  TAGGED_ORDER,
];
