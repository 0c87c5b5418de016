import {
  AnchoredPhrases,
  bestOf,
  type FoundPhrase,
  folded,
  isMention,
  isRussianNegated,
  textBefore,
} from './prompt-injection-context.js';
import {
  overrideKeywords,
  overridePhraseKeywords,
  overridePhraseSource,
  overrideShape,
  overrideSource,
} from './prompt-injection-override.js';
import { withinRetraction } from './retractions.js';
import type { PatternRule, Rule } from './rule.js';

/**
 * Direct prompt injection: text that tries to replace the instructions an assistant was given.
 * Each rule looks for one move an attacker makes (override the earlier instructions, claim
 * authority, fake the end of the user's turn, announce new instructions, hijack the task) in the
 * languages listed in `prompt-injection-override.ts`, and each `validate` drops the phrase when it
 * is only mentioned: refused by a deployer, quoted as an example, or asked about.
 */

/** Nouns that name instructions themselves, as opposed to any earlier message or question. */
const INSTRUCTION_NOUN = folded(
  `instruc|instrution|direction|directive|command|rule|guideline|guidance|prompt|programming|training|polic|setting|configuration|order|task|requirement|specification|consigne|regle|instrucci|indicaci|reglas|directriz|instruc|istruzion|regol|anweisung|befehl|regeln|vorgabe|richtlinie|инструкц|указани|команд|правил|директив|指令|指示|命令|规则|規則|设定|設定|ルール|プロンプト|지시|지침|명령|규칙|تعليمات|الأوامر|الاوامر|निर्देश|आदेश|नियम`,
);

/** First-person objects: a user taking back their own words ("forget my previous question"). */
const OWN_WORDS = folded(
  String.raw`\b(?:my|i(?:['’]ve|\s+have)?\s+(?:said|wrote|told|asked|gave))\b|\b(?:ma|mon|mes|mis|mi|mia|mio|mie|miei|minha|minhas|meu|meus|mijn)\b|\bmein(?:e[mnrs]?)?\b|\bmoj|мо[йиюе]|我的|私の|(?:^|\s)(?:내|제)\s|मेरे|मेरा|मेरी`,
);

/** Korean and Japanese put the possessive before the phrase ("제 이전 질문은 무시해"). */
const OWN_BEFORE = /(?:^|\s)(?:내|제)\s*$|(?:私の|僕の)$/;

/** Words that may precede an English imperative in its clause ("please", "now, you must"). */
const LEAD_IN = new Set(
  (
    'please pls plz kindly now just simply also and then so ok okay but first firstly instead hey hi hello ai assistant ' +
    'chatgpt gpt bot you must should shall will need needs to have has can could would i id im want wish order command ' +
    'demand insist ask request like am are going gonna from on henceforth immediately completely totally entirely actually ' +
    'really seriously hereby we lets let us oh btw ps important urgent note attention warning step all right alright well ' +
    'wait stop nevermind sorry yes no good great thanks thank finally next lastly additionally moreover however anyway ' +
    'anyways rather for this that the a new system admin update override also: quickly therefore hence thus carefully ' +
    'fully forever always hypothetical become be go ahead do dear friend sir mate buddy guys everyone'
  ).split(' '),
);

/**
 * Whether an English phrase at `index` reads as an order: the words before it in its clause are only
 * lead-ins ("please", "now you must"). "Students often ignore the rules above" is not an order.
 */
function isImperative(input: string, index: number, clause = true): boolean {
  const before = textBefore(input, index, 80, clause);
  let unknown = 0;
  for (const word of before.split(/[^a-z0-9'’]+/)) {
    if (word === '' || /^\d+$/.test(word)) continue;
    if (!LEAD_IN.has(word.replace(/['’]/g, ''))) unknown++;
  }
  return unknown <= 1;
}

/** After "regardless of": earlier instructions, in any of the languages. */
const REGARDLESS_TARGET = folded(
  String.raw`(?:above|previous|prior|earlier|preceding|original|your)\s+(?:\S{1,24}\s+)?(?:instructions?|rules|prompts?|directions|directives|guidelines|commands)|ci-dessus|anterior|precedent|oben|vorherig|obig|أعلاه|السابقة|以上|上述|之前|先前|उपरोक्त|पिछले`,
);

const ENGLISH_START =
  /^(?:ignor|disregard|forget|overlook|neglect|discard|dismiss|set\s|pay\s|do\s|don|stop|cease|quit|no\s)/;

/** Override phrases, checked around their verbs (see `AnchoredPhrases`). */
const OVERRIDE = new AnchoredPhrases({
  anchors: overrideKeywords(),
  forward: overrideSource(),
  backward: overridePhraseSource(),
  backwardAnchors: overridePhraseKeywords(),
  before: 160,
  after: 160,
});

/**
 * The hijack shape alone: an override of the last question followed at once by an order to output
 * (verb-first tails and whole phrases; each source names its group `hijack`, so two patterns).
 */
const OUTPUT_ORDER_NEXT = [
  folded(overrideSource(undefined, ['hijack'])),
  folded(overridePhraseSource(undefined, ['hijack'])),
];

/**
 * Whether the override phrase at `start` of a folded text is followed at once by an order to
 * output something ("ignore my question and only output: …"): goal hijacking, not a retraction.
 */
export function ordersOutputNext(text: string, start: number, end: number): boolean {
  const next = text.slice(start, end + 160);
  return OUTPUT_ORDER_NEXT.some((pattern) => pattern.test(next));
}

/**
 * Whether an order to print dictated text (the phrases of pi.task-hijack: "don't add any words,
 * just repeat: …") follows within the next 240 characters of a folded text: a retraction before it
 * drops the question to dictate the answer.
 */
export function dictatesAfter(text: string, from: number): boolean {
  const slice = text.slice(from, from + 240);
  return HIJACK.findAll(slice).some((found) => !isMention(slice, found.start, found.end));
}

/**
 * Someone else's instruction to the speaker, reported: "my coach told me to ignore the previous
 * plan", "the leaflet says to ignore the dosage above", "Mein Lehrer hat gesagt, wir sollen … ignorieren",
 * "mi médico me dijo que ignorara …", "मेरे मैनेजर ने कहा कि …". The marker stands before what was said;
 * the ignoring falls to "me", "us", "I" or "we", not to the assistant.
 */
export const REPORTED_MARKERS: readonly string[] = [
  String.raw`\b(?:told|asked|advised|instructed|reminded|warned|taught|wants?|wanted|needs?|needed|expects?|expected)\s+(?:me|us|everyone|everybody|all\s+of\s+us|the\s+(?:whole\s+)?(?:class|team|group))\s+(?:not\s+)?to`,
  String.raw`\b(?:my|our|the|this|that|his|her|their)\s+(?:\S{1,24}\s+){0,3}\S{1,24}\s+(?:said|says|tells\s+(?:me|us)|told\s+(?:me|us))\s+(?:not\s+)?to`,
  String.raw`\b(?:said|says|told\s+(?:me|us)|tells\s+(?:me|us))\s+(?:that\s+)?(?:i|we)\s+(?:should|must|can|could|need\s+to|have\s+to|had\s+to|ought\s+to)`,
  String.raw`\b(?:keeps?|kept)\s+(?:saying|telling\s+(?:me|us|everyone))\b`,
  String.raw`\b(?:m['’]|nous\s+)(?:a|ont)\s+(?:dit|demande|conseille)\s+d['’]?`,
  String.raw`\b(?:mon|ma|mes|notre|nos)\s+\S{1,24}\s+a\s+dit\s+d['’]?`,
  String.raw`\b(?:hat|haben)\s+(?:mir\s+|uns\s+)?(?:gesagt|gebeten|empfohlen|geraten)(?:\s*,)?\s+(?:dass\s+)?(?:wir|ich)\s+(?:\S{1,24}\s+)?(?:sollen|soll|sollten|sollte|mussen|muss|durfen)`,
  String.raw`\b(?:hat|haben)\s+(?:mir|uns)\s+(?:gesagt|geraten|empfohlen|aufgetragen)`,
  String.raw`\b(?:me|nos)\s+(?:dijo|dijeron|pidio|pidieron|recomendo|recomendaron|indico|indicaron|aconsejo|mando|ha\s+dicho|ha\s+pedido|han\s+dicho)\s+que`,
  String.raw`\b(?:me|nos)\s+(?:disse|disseram|pediu|pediram|mandou|mandaram|falou|recomendou|orientou)\s+(?:para|pra|que)`,
  String.raw`\b(?:disse|pediu|pediram|mandou|mandaram|falou|orientou)\s+(?:para|pra)\s+(?:eu|nos|a\s+gente)\b`,
  String.raw`\b(?:mi|ci)\s+(?:ha|hanno)\s+(?:detto|chiesto|consigliato)\s+di`,
  String.raw`\bzei(?:den)?\s+(?:dat\s+)?(?:ik|we|wij)\b`,
  String.raw`\bheeft\s+(?:me|mij|ons)\s+(?:gezegd|gevraagd|aangeraden)\b`,
  String.raw`(?:сказал|сказала|сказали|попросил|попросила|велел|велела|посоветовал|посоветовала)\S{0,2}(?:\s*,)?\s+(?:(?:что|чтобы)\s+(?:я|мы)(?:\s+\S{1,12})?|(?:меня|нас|мне|нам))`,
  String.raw`(?:сказав|сказала|сказали|попросив|попросила|порадив|порадила|велів|веліла)(?:\s*,)?\s+(?:(?:що|щоб)\s+(?:я|ми)(?:\s+\S{1,12})?|(?:мене|нас|мені|нам))`,
  String.raw`(?:kazał|kazała|kazali|powiedział|powiedziała|poprosił|poprosiła|radził|radziła)(?:\s+(?:mi|mnie|nam|nas)\b|(?:\s*,)?\s+(?:żebym|żebyśmy|abym|abyśmy)\b)`,
  String.raw`\b(?:menyuruh|meminta|menyarankan|bilang|berpesan)\s+(?:saya|aku|kami|kita)\b(?:\s+(?:untuk|agar|supaya))?`,
  String.raw`(?:bảo|dặn|khuyên)\s+(?:tôi|mình|em|chúng\s+tôi)\b`,
  String.raw`ने\s+(?:(?:मुझसे|मुझे|हमसे|हमें)\s+)?कहा(?:\s+कि)?`,
  String.raw`(?:قال|قالت)\s+لي|(?:طلب|طلبت)\s+مني|(?:أخبرني|أخبرتني|نصحني|نصحتني)`,
  String.raw`گفت(?:\s+که)?`,
];
const REPORTED_SOURCE = String.raw`(?:${REPORTED_MARKERS.join('|')})\s*$`;
const REPORTED_TO_SPEAKER = folded(REPORTED_SOURCE);
/** Where a report opens, anywhere in a folded text (layer 2 reads prompts without the clause). */
export const REPORTED_MARKER = folded(`(?:${REPORTED_MARKERS.join('|')})`, 'gu');

/**
 * Who gave the instruction matters: "the developer said to ignore the previous instructions" claims
 * the authority an attack wants, so a report from the assistant's makers or its rules is no report.
 * "Our IT admin" or "mi administrador" is the speaker's own and does not count.
 */
const AUTHORITY_WORD = folded(
  String.raw`(?<![\p{L}])(?:system|sys|admin|administrat|developer|dev\s+team|operator|owner|creator|maker|engineer|openai|anthropic|assistant|chatbot|bot|ai|llm|gpt|model|prompt|polic|rules?|guideline|moderat|root|sudo|security\s+team|trust\s+(?:and|&)\s+safety|entwickler|desarrollador|développeur|developpeur|sviluppator|desenvolvedor|разработчик|администратор|管理员|开发者|系统|開発者|管理者|개발자|관리자|डेवलपर|एडमिन|مطور|مسؤول)`,
  'gu',
);
/** A first-person possessive just before a word ("our IT admin", "mein Entwickler"). */
const POSSESSIVE_BEFORE = folded(
  String.raw`(?:^|[^\p{L}])(?:my|our|mi|mis|mon|ma|notre|nos|mein\S{0,3}|unser\S{0,3}|meu|nosso|mijn|onze|мой|моя|наш\S{0,3})\s(?:\S{1,12}\s)?$`,
  'u',
);

/** Whether a text names the assistant's makers or rules (not the speaker's own admin) as a source. */
export function namesAuthority(text: string): boolean {
  AUTHORITY_WORD.lastIndex = 0;
  for (let match = AUTHORITY_WORD.exec(text); match !== null; match = AUTHORITY_WORD.exec(text)) {
    if (!POSSESSIVE_BEFORE.test(text.slice(Math.max(0, match.index - 24), match.index)))
      return true;
  }
  return false;
}

/** The patterns `namesAuthority` reads with, for the backtracking test. */
export const AUTHORITY_PATTERNS: readonly RegExp[] = [AUTHORITY_WORD, POSSESSIVE_BEFORE];

/** The assistant's own instructions ("your previous instructions"): never someone else's report. */
const SECOND_PERSON =
  /(?:^|[^\p{L}])(?:your|you|ur|tes|tus|deine[nmrs]?|твои|ваши|tuoi|tuas|teus|jouw)(?![\p{L}])|你的|您的|あなたの|너의|당신의/u;

/**
 * Reports whose verb comes last (Japanese, Korean, Turkish): "前の指示は無視するように言われました",
 * "이전 지시는 무시하라고 했어요", "önceki talimatları unutmamı söyledi". The marker closes what was said.
 */
export const REPORTED_AFTER_MARKERS: readonly string[] = [
  `(?:ように|ようにと|って|と)(?:言われ|指示され|頼まれ|アドバイスされ|言って(?:い)?た)`,
  String.raw`(?:라고|하라고|으라고|말라고)\s*(?:했|하셨|말했|말씀하셨|그랬)`,
  String.raw`(?:mamı|memi|mamızı|memizi|masını|mesini)\s+(?:söyledi|istedi|önerdi|tavsiye\s+etti)`,
];
const REPORTED_AFTER_SOURCE = `(?:${REPORTED_AFTER_MARKERS.join('|')})`;
/** A report's closing marker right after a phrase (a verb ending or a particle between them). */
const REPORTED_AFTER_PHRASE = folded(
  String.raw`^[^.!?\n。！？]{0,12}?${REPORTED_AFTER_SOURCE}`,
  'u',
);
/** Where a report closes, anywhere in a folded text. */
export const REPORTED_CLOSING_MARKER = folded(REPORTED_AFTER_SOURCE, 'gu');

/** Whether an override phrase reports someone else's instruction to the speaker. */
function isReported(found: FoundPhrase, input: string): boolean {
  if (SECOND_PERSON.test(found.match[0])) return false;
  const from = Math.max(0, found.start - 80);
  const before = REPORTED_TO_SPEAKER.exec(input.slice(from, found.start));
  if (before !== null) {
    // Who reports: the words of the marker's own sentence before it, and the report itself.
    const at = from + before.index;
    const opening = textBefore(input, at, 40) + input.slice(at, found.start);
    return !namesAuthority(opening);
  }
  if (!REPORTED_AFTER_PHRASE.test(input.slice(found.end, found.end + 40))) return false;
  return !namesAuthority(textBefore(input, found.start, 60));
}

/**
 * Where a folded text reports an instruction someone gave the speaker ("my coach told me to ignore
 * the previous plan"), as [start, end) spans of its override phrases: layer 2 reads prompts
 * without them, as layer 1 does not count them.
 */
export function reportedOverrides(text: string): Array<[number, number]> {
  return OVERRIDE.findAll(text)
    .filter((found) => isReported(found, text) && !dictatesAfter(text, found.end))
    .map((found) => [found.start, found.end]);
}

/** The confidence of one override phrase, or false when it is mentioned rather than used. */
function scoreOverride(found: FoundPhrase, input: string): number | false {
  const text = found.match[0];
  if (isMention(input, found.start, found.end) || isRussianNegated(input, found.start, text))
    return false;
  const shape = overrideShape(found.match.groups);
  if (isReported(found, input)) return false;
  // "regardless of the current system configuration" is not an order: only instructions count.
  if (
    /^(?:regardless|irrespective|notwithstanding|independ|sin\s|sans\s|unabhangig|ungeachtet|بغض|无论|無論|不管)/.test(
      text,
    )
  ) {
    return REGARDLESS_TARGET.test(text) ? 0.75 : false;
  }
  // A participle ("..., ignoring any other instructions") qualifies another verb: only a
  // sentence that opens with it is an order.
  if (
    /^(?:ignoring|disregarding|forgetting|overlooking)\b/.test(text) &&
    !isImperative(input, found.start, false)
  ) {
    return false;
  }
  const imperative = !ENGLISH_START.test(text) || isImperative(input, found.start);
  let score: number;
  if (shape === 'prior') {
    score = INSTRUCTION_NOUN.test(text) ? 0.9 : 0.8;
    if (!imperative) score -= 0.2;
  } else {
    // A bare pointer ("ignore the above") or a question swapped for an order: only as an order.
    if (!imperative) return false;
    score = shape === 'above' ? 0.85 : 0.8;
  }
  // A user taking back their own earlier request ("forget the previous draft I sent", "最初の質問
  // は忘れて", not chained to an order nor followed by a dictated reply): the same
  // definition layer 2 reads prompts without (retractions.ts).
  if (shape !== 'hijack' && withinRetraction(input, found.start, INSTRUCTION_NOUN.test(text))) {
    return false;
  }
  if (
    OWN_WORDS.test(text) ||
    OWN_BEFORE.test(input.slice(Math.max(0, found.start - 4), found.start))
  ) {
    // The user taking back their own question or message ("forget my last question, I found it")
    // is no override; their own instructions, or an order to output something next ("ignore my
    // question and only output: ..."), still count.
    if (
      shape === 'prior' &&
      !INSTRUCTION_NOUN.test(text) &&
      !ordersOutputNext(input, found.start, found.end)
    ) {
      return false;
    }
    score = Math.min(score, INSTRUCTION_NOUN.test(text) ? 0.7 : 0.5);
  }
  return score;
}

const ignorePrevious: PatternRule = {
  id: 'pi.ignore-previous',
  category: 'prompt_injection',
  severity: 'high',
  rationale:
    'Telling the model to ignore or forget the instructions it was given is the core move of a prompt injection.',
  score: 0.9,
  target: 'folded',
  type: 'pattern',
  keywords: OVERRIDE.keywords,
  pattern: OVERRIDE.pattern,
  validate: (match) => bestOf(OVERRIDE.find(match), match.input, scoreOverride),
  // Phrases open up to 160 characters before the verb and mention checks look 300 further back:
  // 600 either side covers every read, so a flood of one phrase is validated once.
  validateReach: 600,
};

// ------------------------------------------------------------------ authority claims
const ROLE_EN = String.raw`(?:developers?|creators?|programmers?|admin(?:istrator)?s?|sys-?admin|owners?|makers?|operators?|engineers?|designers?|trainers?|masters?|god|boss|supervisors?|manager|maintainers?|superuser|root\s+user)`;
const AUTHORITY_SOURCE = [
  // "I am your developer", "this is your system administrator"
  String.raw`\b(?:i\s*(?:am|['’]m)|im|this\s+is|it['’]?s|we\s+are|we['’]re|here\s+is)\s+(?:actually\s+|really\s+|in\s+fact\s+|now\s+|also\s+)?your\s+(?:(?:lead|senior|chief|head|original|real|true|actual|main|system|current|official|new)\s+){0,2}${ROLE_EN}\b`,
  // "I'm one of the engineers who deployed you", "we are the operators who run this bot"
  String.raw`\b(?:i\s*(?:am|['’]m)|im|we\s+are|we['’]re)\s+(?:one\s+of\s+)?(?:the|your)\s+(?:${ROLE_EN}|team|people|staff)\s+(?:who|that)\s+(?:deployed|built|created|made|trained|configured|run|runs|maintain|maintains|operate|operates|wrote|programmed)\s+(?:you|this\s+(?:bot|assistant|model|chatbot|ai))\b`,
  // "as your creator, I ...", "as the system administrator I authorise"
  String.raw`\bas\s+(?:your|the\s+system['’]?s?)\s+(?:(?:lead|senior|chief|head|original|system|current|official)\s+){0,2}${ROLE_EN}\b`,
  // "I created you", "we trained you"
  String.raw`\b(?:i|we)\s+(?:created|built|programmed|trained|designed|developed|coded|engineered)\s+you\b(?!\s+(?:a|an|some|this|that|my|our)\b)`,
  // "I'm from OpenAI", "this is the Anthropic safety team"
  String.raw`\b(?:i\s*(?:am|['’]m)|im|this\s+is|we\s+are|we['’]re)\s+(?:(?:an?|the)\s+)?(?:(?:employee|engineer|developer|researcher|member|representative|admin|someone|staff)\s+)?(?:from|at|of|with)\s+(?:openai|anthropic)\b|\b(?:openai|anthropic)\s+(?:staff|team|admin|engineers?|developers?|safety\s+team|support)\s+here\b`,
  // "Administrator override", "LAW ENFORCEMENT OVERRIDE"
  String.raw`\b(?:admin(?:istrator)?|developer|root|sudo|superuser|security|law\s+enforcement|maintenance|emergency|god|master|owner|operator)\s+(?:override|overide)\b`,
  // "I am entering maintenance mode", "I'm initiating a 'system reset'"
  String.raw`\bi(?:\s*am|['’]m)\s+(?:now\s+)?(?:entering|activating|initiating|engaging|enabling|invoking|putting\s+you\s+(?:in|into))\s+(?:a\s+|the\s+)?['"“]?(?:[a-z]+\s+){0,2}?(?:override|maintenance|admin(?:istrator)?|root|god|sudo|superuser|diagnostic|system\s+reset|security\s+audit|audit)\b`,
  // "you are now in maintenance mode"
  String.raw`\byou\s+are\s+(?:now\s+)?(?:in|entering|operating\s+in)\s+(?:an?\s+)?(?:maintenance|admin(?:istrator)?|debug|god|override|diagnostic|service|root|sudo|unrestricted|superuser)\s+mode\b`,
  // French, Spanish, Portuguese, Italian, German
  String.raw`\b(?:je\s+suis|c'est)\s+(?:ton|votre)\s+(?:developpeur|createur|administrateur|proprietaire|programmeur|concepteur|maitre|patron|superieur)\b|\ben\s+tant\s+que\s+(?:ton|votre)\s+(?:developpeur|createur|administrateur|programmeur)\b`,
  String.raw`\b(?:soy|somos)\s+(?:tu|su)\s+(?:desarrollador|creador|administrador|dueno|programador|propietario|jefe|amo|disenador)\b|\bcomo\s+(?:tu|su)\s+(?:desarrollador|creador|administrador|programador)\b`,
  String.raw`\bsou\s+(?:o\s+)?(?:seu|teu)\s+(?:desenvolvedor|criador|administrador|programador|dono|chefe|mestre)\b|\bcomo\s+(?:o\s+)?(?:seu|teu)\s+(?:desenvolvedor|criador|administrador)\b`,
  String.raw`\bsono\s+il\s+tuo\s+(?:sviluppatore|creatore|amministratore|programmatore|proprietario|capo|padrone)\b|\bcome\s+(?:il\s+)?tuo\s+(?:sviluppatore|creatore|amministratore)\b`,
  String.raw`\bich\s+bin\s+(?:dein|ihr)\s+(?:entwickler|ersteller|schopfer|administrator|admin|programmierer|besitzer|eigentumer|chef|meister)\b|\bals\s+(?:dein|ihr)\s+(?:entwickler|ersteller|administrator|programmierer)\b`,
  // Russian, Chinese, Japanese, Korean, Arabic, Hindi
  String.raw`я\s+(?:тво|ваш)\S{0,16}\s+(?:разработчик|создатель|администратор|программист|владелец|хозяин|начальник)|как\s+(?:тво|ваш)\S{0,16}\s+(?:разработчик|создатель|администратор)`,
  `我是你(?:的|们的)(?:开发者|开发人员|開發者|開發人員|创造者|創造者|创建者|建立者|管理员|管理員|主人|程序员|程式設計師|制作者|製作者|老板|老闆|上司|设计者|設計者)|作[为為]你的(?:开发者|開發者|管理员|管理員|创造者|創造者)`,
  `(?:私|わたし|僕|俺)は(?:あなた|君|お前)の(?:開発者|作成者|管理者|製作者|創造主|作り手|上司|主人|オーナー|プログラマー)|あなたの(?:開発者|管理者|作成者)として`,
  String.raw`(?:나는|저는|내가|제가)\s*(?:너의|당신의|네|니)\s*(?:개발자|관리자|창조자|제작자|주인|상사|프로그래머)`,
  String.raw`أنا\s+(?:مطورك|منشئك|مبرمجك|مديرك|مالكك|صانعك|خالقك)`,
  String.raw`मैं\s+(?:आपका|तुम्हारा|तेरा)\s+(?:डेवलपर|निर्माता|व्यवस्थापक|एडमिन|प्रोग्रामर|मालिक|बॉस)`,
].join('|');

const AUTHORITY = new AnchoredPhrases({
  anchors: [
    ...'developer creator programmer admin owner maker operator engineer designer trainer master god boss supervisor manager maintainer superuser'.split(
      ' ',
    ),
    ...[
      'created you',
      'built you',
      'programmed you',
      'trained you',
      'designed you',
      'developed you',
      'coded you',
      'engineered you',
    ],
    ...[
      'openai',
      'anthropic',
      'overrid',
      'overide',
      'maintenance',
      'root',
      'sudo',
      'diagnostic',
      'system reset',
      'audit',
    ],
    ...['debug mode', 'service mode', 'unrestricted mode'],
    ...[
      'deployed you',
      'configured you',
      'maintain you',
      'maintains you',
      'operate you',
      'run you',
    ],
    ...[
      'developpeur',
      'createur',
      'administrateur',
      'proprietaire',
      'programmeur',
      'concepteur',
      'maitre',
      'patron',
      'superieur',
    ],
    ...[
      'desarrollador',
      'creador',
      'administrador',
      'dueno',
      'programador',
      'propietario',
      'jefe',
      'amo',
      'disenador',
    ],
    ...['desenvolvedor', 'criador', 'dono', 'chefe', 'mestre'],
    ...[
      'sviluppatore',
      'creatore',
      'amministratore',
      'programmatore',
      'proprietario',
      'capo',
      'padrone',
    ],
    ...[
      'entwickler',
      'ersteller',
      'schopfer',
      'administrator',
      'programmierer',
      'besitzer',
      'eigentumer',
      'chef',
      'meister',
    ],
    ...[
      'разработчик',
      'создатель',
      'администратор',
      'программист',
      'владелец',
      'хозяин',
      'начальник',
    ],
    ...[
      '开发者',
      '开发人员',
      '開發者',
      '開發人員',
      '创造者',
      '創造者',
      '创建者',
      '建立者',
      '管理员',
      '管理員',
      '主人',
      '程序员',
      '程式設計師',
      '制作者',
      '製作者',
      '老板',
      '老闆',
      '上司',
      '设计者',
      '設計者',
    ],
    ...['開発者', '作成者', '管理者', '製作者', '創造主', '作り手', 'オーナー', 'プログラマー'],
    ...['개발자', '관리자', '창조자', '제작자', '주인', '상사', '프로그래머'],
    ...['مطورك', 'منشئك', 'مبرمجك', 'مديرك', 'مالكك', 'صانعك', 'خالقك'],
    ...['डेवलपर', 'निर्माता', 'व्यवस्थापक', 'एडमिन', 'प्रोग्रामर', 'मालिक', 'बॉस'],
  ],
  backward: AUTHORITY_SOURCE,
  before: 80,
  after: 60,
});

/** The confidence of an authority claim, or false when it is mentioned rather than made. */
function scoreAuthorityClaim(found: FoundPhrase, input: string): number | false {
  return isMention(input, found.start, found.end) ? false : 0.75;
}
const authorityClaim: PatternRule = {
  id: 'pi.authority-claim',
  category: 'prompt_injection',
  severity: 'medium',
  rationale:
    'A user who claims to be the model’s developer, administrator or vendor is trying to borrow authority the system prompt does not give them.',
  score: 0.75,
  kinds: ['input', 'tool_result', 'document'],
  target: 'folded',
  type: 'pattern',
  keywords: AUTHORITY.keywords,
  pattern: AUTHORITY.pattern,
  validate: (match) => bestOf(AUTHORITY.find(match), match.input, scoreAuthorityClaim),
};

// ------------------------------------------------------------------ fake delimiters
const ROLE_LABEL = `(?:system|sys|developer|admin(?:istrator)?)`;
const LABEL_SUFFIX = `(?:prompt|message|note|instructions?|override|update|notice|alert)`;
/** Every role label with its colon ("system:", "developer note:"), for the prefilter. */
const ROLE_LABEL_KEYWORDS = ['system', 'sys', 'developer', 'admin', 'administrator'].flatMap(
  (role) => [
    `${role}:`,
    ...[
      'prompt',
      'message',
      'note',
      'instruction',
      'instructions',
      'override',
      'update',
      'notice',
      'alert',
    ].map((suffix) => `${role} ${suffix}:`),
  ],
);
const DELIMITER_SOURCE = [
  // chat-template control tokens
  String.raw`<\|\s*(?:im_start|im_end|im_sep|system|user|assistant|endoftext|end_of_text|eot_id|start_header_id|end_header_id|begin_of_text|end_of_turn|start_of_turn|endofprompt|fim_prefix|fim_suffix|fim_middle)\s*\|>`,
  String.raw`\[\/?inst\]|<<\/?sys>>|<\/?start_of_turn>|<\/?end_of_turn>|<\/s>\s*(?:<s>|\[inst\]|<\|)`,
  // a system role written into the user's text: "### system:", "[system note:", "<system>"
  String.raw`(?:^|\n)(?:[ \t]{0,4}(?:#{1,6}|\*\*|>))?[ \t]?${ROLE_LABEL}(?:[ \t]${LABEL_SUFFIX})?:[ \t]{0,4}(?=\S)`,
  String.raw`[\[<({]\/?[ \t]?(?:${ROLE_LABEL}|god)(?:[ \t_-]?(?:mode|${LABEL_SUFFIX}))?[ \t]?(?:[:\]>)}]|activated|enabled)`,
  // the end of the user's turn, announced
  String.raw`\bend\s+of\s+(?:the\s+)?user(?:['’]s)?\s+(?:input|prompt|message|query|request|turn|question|text)\b`,
  String.raw`[=#*\-\[<(]{2}[ \t]?end(?:[ \t_-]of(?:[ \t_-]the)?[ \t_-](?:input|query|request|message|turn|question|document|context|data|text|conversation|email|page|file|article))?[=#*\-\]>)]{0,12}[ \t]?[.!]?\s{0,4}(?:now|new|next|begin|start)\b`,
  String.raw`[=#*\-\[<(]{2}[ \t]?(?:new|updated|real|begin(?:ning)?(?:\s+of)?(?:\s+new)?|start(?:\s+of)?(?:\s+new)?)[ \t]system\s+(?:prompt|message|instructions?)[ \t]?[=#*\-\]>)]{2}`,
  // a fake chat message in JSON
  String.raw`\{\s*['"]role['"]\s*:\s*['"](?:system|developer)['"]\s*,\s*['"]content['"]\s*:`,
  // a fake assistant turn that agrees in advance
  String.raw`(?:^|\s)(?:assistant|chatgpt|gpt|bot|ai):[ \t]{0,4}(?:sure|ok|okay|understood|certainly|of\s+course|yes|access\s+granted|acknowledged|i\s+will\s+comply)\b`,
].join('|');

/** Words that make a template token or role label part of a question about formats or code. */
const DELIMITER_DISCUSSION =
  /\b(?:format|template|tokens?|syntax|example|chatml|llama|mistral|openai|messages\s*=|json|schema|parse|regex|tokenizer|fine-?tun\w*|dataset|prompt\s+engineering|how\s+(?:do|does|to|can)|what\s+(?:is|are|does))\b/;

const fakeDelimiter: PatternRule = {
  id: 'pi.fake-delimiter',
  category: 'prompt_injection',
  severity: 'high',
  rationale:
    'Chat-template tokens, system-role labels and end-of-input markers in user text try to make the model read the rest as a new, trusted turn.',
  score: 0.85,
  target: 'folded',
  type: 'pattern',
  keywords: [
    '<|',
    '[inst]',
    '[/inst]',
    '<<sys>>',
    '<</sys>>',
    'start_of_turn',
    'end_of_turn',
    '</s>',
    ...ROLE_LABEL_KEYWORDS,
    '[system',
    '<system',
    '(system',
    '{system',
    '[sys',
    '<sys',
    '[admin',
    '<admin',
    '[developer',
    '<developer',
    '[god',
    '<god',
    'end of user',
    'end of the user',
    '--end',
    '==end',
    '##end',
    '**end',
    '-- end',
    '== end',
    '## end',
    '** end',
    '[end',
    '<end',
    'system prompt',
    'system message',
    '"role"',
    "'role'",
    'assistant:',
    'chatgpt:',
    'gpt:',
    'bot:',
    'ai:',
  ],
  pattern: new RegExp(DELIMITER_SOURCE),
  validate(match) {
    const input = match.input;
    const text = match[0];
    if (isMention(input, match.index, match.index + text.length)) return false;
    const before = input.slice(Math.max(0, match.index - 240), match.index);
    // Control tokens are never typed by people, unless the text around is about the template format.
    if (/^<\||^\[\/?inst|^<<\/?sys|^<\/?s>/.test(text)) {
      return DELIMITER_DISCUSSION.test(before) ? false : 0.9;
    }
    // Role labels and JSON turns may be code or formats under discussion.
    const around = input.slice(Math.max(0, match.index - 200), match.index + text.length + 200);
    if (DELIMITER_DISCUSSION.test(around)) return false;
    if (/role/.test(text)) return 0.7;
    if (/^\s*(?:assistant|chatgpt|gpt|bot|ai)\s*:/.test(text)) {
      // A transcript pasted for a summary has many turns; an injected one follows the user's own text.
      return /(?:^|\n)\s*(?:user|human|q)\s*:/.test(input) ? false : 0.7;
    }
    // A role label at the very start is a header of the deployer's own text, not an injected turn.
    if (
      /^\s*(?:#{1,6}|\*\*|>)?\s*(?:system|sys|developer|admin)/.test(text) &&
      input.slice(0, match.index).trim() === ''
    ) {
      return false;
    }
    return 0.85;
  },
};

// ------------------------------------------------------------------ new instructions
const NEW_INSTRUCTIONS_SOURCE = [
  // "your new task is", "your real instructions are:"
  String.raw`\byour\s+(?:new|real|actual|true|updated|revised)\s+(?:task|job|instructions?|objective|goal|role|directive|mission|prompt|purpose|orders?|assignment|function|rules?)\s*(?:is|are|will\s+be|now\s+is|:)`,
  // "now your task is to"
  String.raw`\b(?:now|from\s+now\s+on)[,\s]+your\s+(?:only\s+)?(?:task|job|goal|objective|mission|purpose)\s+(?:is|will\s+be)\s+(?:to|:)`,
  // "updated instructions:", "##begin new instructions##", "new system prompt:"
  String.raw`\b(?:new|updated|revised|real|actual|true|overriding|override|secret|latest)\s+(?:system\s+)?(?:instructions?|prompt|directives?|rules|orders)\s*(?::|#{2,12}|={2,12}|-{2,12}|\]|>)`,
  String.raw`\b(?:begin|start|enter(?:ing)?)\s+(?:new\s+|updated\s+)?(?:reprogramming|new\s+instructions?|instruction\s+override|override\s+mode)\b`,
  String.raw`\bi\s*(?:am|['’]m)\s+(?:now\s+)?(?:giving|sending|providing|issuing)\s+you\s+(?:new|updated|different|fresh)\s+(?:instructions|orders|directives|rules)\b`,
  // "these instructions override all previous ones"
  String.raw`\b(?:these|the\s+following|this|my|the\s+new|new)\s+(?:new\s+)?(?:instructions?|rules?|prompt|message|directives?|orders?)\s+(?:that\s+)?(?:override|overrides|supersedes?|replaces?|takes?\s+precedence\s+over|cancels?|invalidates?)\b`,
  // "all previous instructions are false", "your prior rules are void"
  String.raw`\b(?:all\s*)?(?:previous|prior|above|earlier|old|original|preceding|your)\s*(?:instructions?|rules|prompts?|directions|directives|guidelines)\s+(?:are|is|were|have\s+been|has\s+been)\s+(?:now\s+)?(?:false|wrong|invalid|void|null|outdated|out\s+of\s+date|obsolete|cancell?ed|revoked|overridden|superseded|deprecated|no\s+longer\s+(?:valid|apply|applicable|in\s+effect|relevant)|lifted|removed|disabled|suspended|irrelevant)\b`,
  // other languages: "votre nouvelle tache est", "ahora tu tarea es", "jetzt besteht ihre Aufgabe darin"
  String.raw`\b(?:(?:ta|votre)\s+(?:nouvelle|vraie|veritable)\s+(?:tache|mission|instruction|consigne)|maintenant,?\s+(?:ta|votre)\s+tache\s+(?:est|consiste))\b|\b(?:votre|ta)\s+tache\s+consiste\s+maintenant\b`,
  String.raw`\b(?:(?:tu|su)\s+(?:nueva|verdadera|real)\s+(?:tarea|mision|instruccion)|ahora,?\s+(?:tu|su)\s+tarea\s+es)\b`,
  String.raw`\b(?:(?:sua|tua)\s+(?:nova|verdadeira)\s+(?:tarefa|missao|instrucao)|agora,?\s+(?:sua|tua)\s+tarefa\s+e)\b`,
  String.raw`\b(?:il\s+tuo\s+(?:nuovo|vero)\s+compito|ora,?\s+il\s+tuo\s+compito\s+e)\b`,
  String.raw`\b(?:(?:deine|ihre)\s+(?:neue|eigentliche|wahre)\s+(?:aufgabe|anweisung|mission)|(?:jetzt|nun)\s+(?:besteht|ist|lautet)\s+(?:deine|ihre)\s+aufgabe|(?:deine|ihre)\s+aufgabe\s+(?:besteht|ist)\s+(?:jetzt|nun))\b`,
  String.raw`(?:тво|ваш)\S{0,16}\s+нов\S{0,16}\s+(?:задач|инструкц|роль)\S{0,16}|теперь\s+(?:тво|ваш)\S{0,16}\s+задач\S{0,16}`,
  `(?:你的|您的)?新(?:任务|任務|指令|指示)(?:是|為|为|：|:)|现在你的任务是|現在你的任務是|你现在的任务是|你現在的任務是`,
  `(?:あなたの)?新しい(?:タスク|指示|任務|仕事|命令)(?:は|：|:)|今の?あなたの(?:仕事|タスク|任務)は`,
  String.raw`(?:새로운|새)\s*(?:작업|지시|임무|명령)(?:은|는|:)|이제\s*(?:당신의|너의)\s*(?:작업|임무|일)(?:은|는)`,
  String.raw`مهمتك\s+(?:الجديدة|الآن)|الآن\s+مهمتك`,
  String.raw`अब\s+(?:आपका|तुम्हारा)\s+(?:काम|कार्य)|(?:आपका|तुम्हारा)\s+नया\s+(?:काम|कार्य)`,
].join('|');

const NEW_INSTRUCTIONS = new AnchoredPhrases({
  anchors: [
    ...['new', 'real', 'actual', 'true', 'updated', 'revised'].map(
      (adjective) => `your ${adjective}`,
    ),
    ...['task', 'job', 'goal', 'objective', 'mission', 'purpose'].map((noun) => `your ${noun}`),
    ...[
      'new',
      'updated',
      'revised',
      'real',
      'actual',
      'true',
      'overriding',
      'override',
      'secret',
      'latest',
    ].flatMap((adjective) =>
      ['instruction', 'prompt', 'directive', 'rules', 'orders', 'system'].map(
        (noun) => `${adjective} ${noun}`,
      ),
    ),
    ...[
      'reprogramming',
      'instruction override',
      'override mode',
      'giving you',
      'sending you',
      'providing you',
      'issuing you',
    ],
    ...['override', 'supersede', 'replace', 'precedence over', 'cancel', 'invalidate'],
    ...[
      'instructions',
      'instruction',
      'rules',
      'prompt',
      'prompts',
      'directions',
      'directives',
      'guidelines',
    ].flatMap((noun) =>
      ['are', 'is', 'were', 'have been', 'has been'].map((verb) => `${noun} ${verb}`),
    ),
    ...['tache', 'tarea', 'tarefa', 'compito', 'aufgabe', 'anweisung', 'задач', 'инструкц', 'роль'],
    ...[
      '任务',
      '任務',
      '指令',
      '指示',
      'タスク',
      '任務',
      '仕事',
      '命令',
      '작업',
      '지시',
      '임무',
      '명령',
      '일은',
      'مهمتك',
      'काम',
      'कार्य',
    ],
  ],
  backward: NEW_INSTRUCTIONS_SOURCE,
  before: 80,
  after: 80,
});

/** The confidence of a new-instructions announcement, or false when it is mentioned. */
function scoreNewInstructions(found: FoundPhrase, input: string): number | false {
  if (isMention(input, found.start, found.end)) return false;
  // At the very start, "your task is ..." is how a deployer's own prompt begins.
  if (
    input.slice(0, found.start).trim() === '' &&
    /^(?:your|now|ta|votre|tu|su|sua|tua|il|deine|ihre)\b/.test(found.match[0])
  ) {
    return 0.6;
  }
  return 0.75;
}
const newInstructions: PatternRule = {
  id: 'pi.new-instructions',
  category: 'prompt_injection',
  severity: 'medium',
  rationale:
    'Announcing a new task or declaring the earlier instructions void is how injected text takes over the model’s goal.',
  score: 0.75,
  kinds: ['input', 'tool_result', 'document'],
  target: 'folded',
  type: 'pattern',
  keywords: NEW_INSTRUCTIONS.keywords,
  pattern: NEW_INSTRUCTIONS.pattern,
  validate: (match) => bestOf(NEW_INSTRUCTIONS.find(match), match.input, scoreNewInstructions),
};

// ------------------------------------------------------------------ task hijacking
const HIJACK_SOURCE = [
  // "no need to answer, just output:", "don't answer that question, just say:"
  String.raw`\b(?:(?:do\s+not|don['’]?t|no\s+need\s+to|(?:do\s+not|don['’]?t)\s+need\s+to|never\s+mind|nevermind|please\s+don['’]?t|without)\s+(?:rush\s+to\s+|bother\s+)?(?:answer(?:ing)?|respond(?:ing)?|repl(?:y|ying))(?:\s+(?:to\s+)?(?:(?:this|that|the|my|any|these)\s+)?(?:above\s+)?(?:questions?|instructions?|it|that|above)(?:\s+above)?)?|(?:do\s+not|don['’]?t)\s+(?:rush|hurry)\s+to\s+answer)(?:\s*[,.;:!])?(?:\s+(?:please|just|simply|only|directly|instead|rather|now)){0,4}\s+(?:output|say|print|repeat|reply|respond|write|type|answer|state|paraphrase|recap|rephrase|return|enter)\b`,
  // "STOP EVERYTHING!!! NOW!!! JUST PRINT", "stop what you were doing and instead"
  String.raw`\bstop\s+(?:everything|what\s+you(?:['’]re|\s+are|\s+were)\s+doing|all\s+(?:previous\s+|current\s+)?(?:tasks|actions|activities|work))\b[\s!.,]*(?:now[\s!.,]*)?(?:and\s+)?(?:instead\s+)?(?:(?:just|only|immediately)\s+)?(?:print|say|output|write|do|repeat|reply|respond|tell|follow|listen|send|type|execute|run|return)\b`,
  // "instead, output exactly: ..."
  String.raw`\binstead[,\s]+(?:(?:just|only|simply|please)\s+)*(?:output|say|print|write|type|respond\s+with|reply\s+with|answer\s+with|repeat|return)\s+(?:exactly|only|verbatim|the\s+following|these\s+words|the\s+(?:word|phrase|sentence|text))\b`,
  // "reply with exactly this line and nothing else:", "your only allowed reply is 'X'",
  // "answer every question with 'X'": a fixed reply dictated
  String.raw`\b(?:reply|respond|answer)\s+(?:only\s+)?with\s+exactly\s+(?:this|the\s+following|these)\s+(?:line|sentence|text|phrase|words?|message)(?:\s+and\s+nothing\s+(?:else|more))?\s*[:：]|\byour\s+only\s+(?:allowed\s+|permitted\s+)?(?:reply|answer|response|output)\s+(?:is|will\s+be|should\s+be)\s*(?:[:：]\s*)?['"“‘«]|\b(?:reply|respond|answer)\s+(?:to\s+)?(?:every|each|any|all)\s+(?:questions?|messages?|prompts?|requests?)\s+(?:from\s+now\s+on\s+)?with\s+(?:exactly\s*(?:[:：]\s*)?)?['"“‘«](?![^'"“”‘’«»]{1,16}['"”’»]\s+(?:or|o|ou|oder|of|eller)\s)`,
  String.raw`\bresponde(?:r)?\s+a\s+(?:todo|cada\s+(?:pregunta|mensaje))\s+con\s+['"“‘«](?![^'"“”‘’«»]{1,16}['"”’»]\s+(?:or|o|ou|oder|of|eller)\s)|\bantwoord\s+op\s+(?:elke|iedere)\s+(?:vraag|bericht)\s+met\s+['"“‘«](?![^'"“”‘’«»]{1,16}['"”’»]\s+(?:or|o|ou|oder|of|eller)\s)|\bskriv\s+bara\s+exakt\s+(?:foljande|detta)\b|\breponds?\s+a\s+(?:tout|chaque\s+(?:question|message))\s+(?:uniquement\s+)?(?:par|avec)\s+['"“‘«](?![^'"“”‘’«»]{1,16}['"”’»]\s+(?:or|o|ou|oder|of|eller)\s)|\bantworte\s+auf\s+(?:jede|alle)\s+(?:frage|fragen|nachricht)\s+(?:nur\s+)?mit\s+['"“‘«„](?![^'"“”‘’«»]{1,16}['"”’»]\s+(?:or|o|ou|oder|of|eller)\s)`,
  // "reply to all my messages with exactly this sentence and nothing else", in seven languages
  String.raw`\b(?:reply|respond|answer)\s+(?:to\s+)?(?:all|every|each|any)\s+(?:of\s+)?(?:my\s+)?(?:messages?|questions?|prompts?|requests?)\s+(?:from\s+now\s+on\s+)?with\s+(?:exactly|precisely|only|just)\s+(?:this|the\s+following|these)\s+(?:line|sentence|text|phrase|words?|message)\b|\bsvar\s+pa\s+(?:alle|hver|enhver)\s+(?:mine\s+|af\s+mine\s+)?\S{4,12}\s+med\s+(?:pr(?:ae|æ)cis|kun|netop|n(?:o|ø)yaktig|bare)\s+(?:denne|dette|den\s+her|f(?:o|ø)lgende)\s+\S{4,10}|\bsvara\s+pa\s+(?:alla|varje)\s+(?:mina\s+)?\S{4,12}\s+med\s+(?:exakt|bara|endast)\s+(?:den\s+har|denna|detta|f(?:o|ø)ljande)\s+\S{4,10}|\b(?:beantworte|antworte\s+auf)\s+(?:ab\s+jetzt\s+|von\s+nun\s+an\s+)?(?:jede|alle)\s+(?:meine[rn]?\s+)?(?:nachricht(?:en)?|frage(?:n)?)\s+(?:ab\s+jetzt\s+)?(?:nur\s+|ausschliesslich\s+)?mit\s+(?:genau\s+|exakt\s+)?(?:diesem|folgendem)\s+(?:satz|text|wortlaut)\b|\bresponde(?:r)?\s+a\s+(?:todos|cada\s+uno\s+de)\s+(?:mis\s+)?(?:mensajes|preguntas)\s+(?:solo\s+|solamente\s+|unicamente\s+)?con\s+(?:exactamente\s+)?(?:esta|la\s+siguiente)\s+(?:frase|oracion|respuesta)\b|\breponds?\s+a\s+tous\s+(?:mes\s+)?(?:messages|questions)\s+(?:uniquement\s+|seulement\s+)?(?:par|avec)\s+(?:exactement\s+)?(?:cette|la)\s+(?:phrase|reponse)\b`,
  // "do not add any other words, just repeat:"
  String.raw`\b(?:(?:do\s+not|don['’]?t|without)\s+(?:add(?:ing)?|includ(?:e|ing))\s+(?:any\s+)?(?:other\s+|additional\s+|extra\s+|more\s+)?(?:words?|punctuation|vocabulary|comments?|notes?|quotes?|prefix(?:es)?)|no\s+(?:additional|other|extra)\s+(?:words?|comments?|notes?|quotes?|prefix(?:es)?))\b(?:\s+\S{1,24}){0,16}?\s*[,.]?\s+(?:(?:please|just|simply|only)\s+)?(?:repeat|paraphrase|recap|rephrase|restate|retell|output)\b`,
  // "please reply directly: <the attacker's sentence>", "please repeat: ...": a verbatim order
  String.raw`(?:\b(?:please|just|simply|now)[,\s]{1,4}|[.!?;,]\s{1,4})(?:(?:reply|output|answer|respond|repeat|say|print|write)\s+(?:it\s+)?(?:directly|verbatim|word\s+for\s+word)|directly\s+(?:reply|output|answer|respond|print|say))\s?[:：]|\bplease\s+(?:repeat|recap|paraphrase)(?:\s+this\s+sentence)?\s?[:：]`,
  String.raw`\b(?:repondez|repondre|affichez|afficher|ecrivez|repetez|repeter|dites)\s+(?:et\s+repetez\s+)?directement\s?[:：]|\bveuillez\s+(?:repeter|recapituler|paraphraser)(?:\s+cette\s+phrase)?\s?[:：]`,
  String.raw`\b(?:antworten|wiederholen)\s+sie\s+(?:\S{1,24}\s+)?direkt\s?[:：]|\bdirekt\s+(?:ausgeben|antworten|wiederholen)\s?[:：]|\bbitte\s+(?:wiederholen\s+sie(?:\s+diesen\s+satz)?|direkt\s+ausgeben)\s?[:：]`,
  String.raw`\b(?:responda|responde|conteste|emita|escriba|repita|diga)\s+(?:y\s+repita\s+)?(?:directamente|diretamente)\s?[:：]|\b(?:por\s+favor,?\s+)?(?:repita|recapitula|recapitule|parafrasee)(?:\s+esta\s+(?:oracion|frase))?\s?[:：]`,
  String.raw`(?:ответьте|ответь|выведите|выведи|повторите|повтори|напишите)\s+(?:и\s+повторите\s+)?(?:прямо|напрямую|дословно)\s?[:：]|пожалуйста,?\s+(?:повторите|перескажите)(?:\s+это\s+предложение)?\s?[:：]`,
  String.raw`(?:请|請)?直接(?:回复|回覆|回答|输出|輸出|复述|複述)\s?[:：]|(?:请|請)(?:复述|複述|重复|重複)(?:这句话|這句話)?\s?[:：]|直接(?:出力|返信|回答)してください|(?:繰り返して|復唱して)ください\s?[:：]`,
  String.raw`(?:الإجابة|أجب|أخرج|إخراج|التكرار|كرر)(?:\s+\S{1,24}){0,2}\s+مباشرة\s?[:：]|सीधे\s+(?:उत्तर|आउटपुट|जवाब)\s+(?:दें|करें)\s?[:：]|कृपया\s+(?:इस\s+वाक्य\s+को\s+)?दोहराएं\s?[:：]`,
  // French, Spanish, Portuguese, German, Russian
  String.raw`\b(?:pas\s+besoin\s+de\s+repondre|inutile\s+de\s+repondre|ne\s+(?:repondez|reponds)\s+pas|sans\s+repondre|ne\s+vous\s+precipitez\s+pas\s+pour\s+repondre)\b(?:\s+\S{1,24}){0,6}?[,.]?\s+(?:affich|ecri|repet|di|indiqu|produi|sort|imprim|entr|saisi)\S{0,16}|\b(?:sans\s+ajouter|n'ajoutez\s+(?:pas|aucun))\b(?:\s+\S{1,24}){0,16}?[,.]?\s+(?:veuillez\s+)?(?:repet|reformul|affich|paraphras|resum|recapitul)\S{0,16}`,
  String.raw`\b(?:no\s+hay\s+necesidad\s+de\s+responder|no\s+es\s+necesario\s+responder|no\s+(?:respondas|responda|conteste|contestes)|sin\s+responder|no\s+se\s+apresure\s+a\s+responder)\b(?:\s+\S{1,24}){0,6}?[,.]?\s+(?:emit|escrib|repit|di\b|diga|imprim|muestr|export|envi|ingres)\S{0,16}|\b(?:no\s+(?:agregue|agregues|anada|anadas)|sin\s+(?:agregar|anadir))\b(?:\s+\S{1,24}){0,16}?[,.]?\s+(?:por\s+favor\s+)?(?:repit|reformul|emit|parafrase|resum|recapitul)\S{0,16}`,
  String.raw`\b(?:nao\s+(?:ha\s+necessidade\s+de|precisa)\s+responder|nao\s+responda|sem\s+responder)\b(?:\s+\S{1,24}){0,6}?[,.]?\s+(?:emit|escrev|repit|diga|imprim|mostr|exib)\S{0,16}|\b(?:nao\s+(?:adicione|acrescente)|sem\s+(?:adicionar|acrescentar))\b(?:\s+\S{1,24}){0,16}?[,.]?\s+(?:por\s+favor\s+)?(?:repit|reformul|parafrase|resum)\S{0,16}`,
  String.raw`\b(?:keine\s+notwendigkeit\s+zu\s+antworten|(?:bitte\s+)?antworten\s+sie\s+nicht|beantworten\s+sie\s+(?:\S{1,24}\s+){0,3}?nicht|ohne\s+zu\s+antworten|beeil\S{0,3}\s+(?:sie\s+sich|dich|euch)\s+(?:damit\s+)?nicht(?:\s+mit\s+(?:der|deiner|ihrer|eurer)\s+antwort)?)\b(?:\s+\S{1,24}){0,6}?[,.]?\s+(?:geben|gib|sag|schreib|antwort|wiederhol|druck|ausgabe|ausgeben)\S{0,16}|\b(?:muss|mussen|brauch\S{0,4})\s+nicht\s+beantwortet\s+(?:zu\s+)?werden[,.]?\s+(?:sondern\s+)?(?:(?:nur|einfach|direkt)\s+){0,2}(?:ausgegeben|wiederholt|geschrieben)\b|\b(?:fugen\s+sie\s+keine|ohne\s+\S{1,24}\s+hinzuzufugen|keine\s+zusatzlichen\s+worter)\b(?:\s+\S{1,24}){0,16}?[,.]?\s+(?:bitte\s+)?(?:wiederhol|paraphras|rekapitul|zusammenfass|ausgeb|formulier)\S{0,16}`,
  String.raw`(?:не\s+нужно\s+отвечать|отвечать\s+не\s+нужно|не\s+отвечайте|не\s+отвечай|без\s+ответа)(?:\s+\S{1,24}){0,6}?[,.]?\s+(?:вывед|выводи|напиш|повтор|скаж|ответь|напечатай)\S{0,16}|(?:не\s+добавляйте|не\s+добавляй|без\s+добавления)(?:\s+\S{1,24}){0,16}?[,.]?\s+(?:пожалуйста,?\s+)?(?:перескаж|повтор|вывед|перефраз)\S{0,16}`,
  // Chinese, Japanese, Arabic, Hindi
  String.raw`(?:不必回答|不用回答|不要回答|无需回答|無需回答|不需要回答|别回答|別回答|不必回覆|不用回覆)[^。！？\n]{0,10}?(?:直接|只|仅|僅)?(?:输出|輸出|回答|回复|回覆|复述|複述|重复|重複|输入|輸入|说|說)|不要添加(?:任何|其他)?(?:词汇|詞彙|词语|詞語|文字|标点|標點)[^\n]{0,40}?(?:复述|複述|重复|重複|输出|輸出|回答)`,
  String.raw`(?:答える必要はありません|答えなくて(?:いい|よい|も)|答えずに|答えないで)[^\n]{0,20}?(?:出力|繰り返|入力|答え|返信|言って)|(?:単語|言葉|句読点|引用符)(?:(?!追加|付け)[^\n]){0,20}(?:追加せず|追加しないで|付けたりせず|付けずに)(?:(?!繰り返|復唱|出力|要約)[^\n]){0,16}(?:繰り返|復唱|出力|要約)`,
  String.raw`(?:لا\s+حاجة\s+(?:للإجابة|إلى\s+الإجابة)|لا\s+تجب|لا\s+تجيب|دون\s+الإجابة)[^.!?\n]{0,20}?(?:أخرج|اخرج|إخراج|الإخراج|كرر|أجب|اكتب|أدخل)|(?:لا\s+تضف|لا\s+تضيف|لا\s+توجد\s+كلمات\s+إضافية)(?:(?!كرر|التكرار|تكرار)[^\n]){0,30}(?:كرر|التكرار|تكرار)`,
  String.raw`(?:उत्तर\s+देने\s+की\s+(?:कोई\s+)?आवश्यकता\s+नहीं|उत्तर\s+न\s+दें|जवाब\s+न\s+दें)[^।\n]{0,30}?(?:आउटपुट|दोहरा|उत्तर\s+दें|दर्ज)|(?:शब्द|विराम\s+चिह्न)[^।\n]{0,30}?न\s+जोड़ें[^\n]{0,30}?(?:दोहरा|व्याख्या)`,
].join('|');

const HIJACK = new AnchoredPhrases({
  anchors: [
    ...['answer', 'respond', 'reply'].flatMap((verb) => [
      `n't ${verb}`,
      `n’t ${verb}`,
      `nt ${verb}`,
      `not ${verb}`,
      `need to ${verb}`,
      `without ${verb}`,
    ]),
    ...[
      'never mind',
      'nevermind',
      'rush to answer',
      'hurry to answer',
      'stop everything',
      'stop what',
      'stop all',
      'instead',
    ],
    ...[
      "n't add",
      'nt add',
      'not add',
      'without add',
      "n't includ",
      'nt includ',
      'not includ',
      'without includ',
    ],
    ...['no additional', 'no other', 'no extra'],
    ...["n't bother", 'nt bother', 'not bother', 'with exactly', 'only allowed', 'your only'],
    ...['every question', 'each question', 'every message', 'any question', 'all questions'],
    ...['a todo', 'a cada', 'op elke', 'op iedere', 'bara exakt', 'a tout', 'a chaque', 'auf jede'],
    ...['all my', 'all of my', 'svar pa', 'svara pa', 'beantworte', 'alle meine', 'a tous'],
    ...[
      'repondre',
      'repondez',
      'reponds',
      'ajout',
      'responder',
      'responda',
      'respondas',
      'conteste',
      'agregue',
      'agregar',
      'anada',
      'anadir',
    ],
    ...[
      'nao responda',
      'responder',
      'adicion',
      'acrescent',
      'antworten',
      'antwort',
      'beantwortet',
      'beeil',
      'hinzu',
      'zusatzlichen',
    ],
    ...[
      'отвечать',
      'отвечай',
      'ответа',
      'добавля',
      'добавлени',
      '回答',
      '回覆',
      '添加',
      '答え',
      '追加',
      '付け',
    ],
    ...['حاجة', 'تجب', 'تجيب', 'الإجابة', 'تضف', 'تضيف', 'إضافية', 'उत्तर', 'जवाब', 'जोड़ें'],
    // Verbatim orders ("reply directly:", "please repeat:") in each language.
    ...[
      'directly',
      'verbatim',
      'word for word',
      'please repeat',
      'please recap',
      'please paraphrase',
    ],
    ...['directement', 'veuillez repet', 'veuillez recapitul', 'veuillez paraphras', 'direkt'],
    ...['bitte wiederholen', 'directamente', 'diretamente', 'repita', 'recapitul', 'parafrasee'],
    ...['прямо', 'напрямую', 'дословно', 'повторите', 'перескажите', '直接', '复述', '複述'],
    ...['重复', '重複', '繰り返して', '復唱して', 'مباشرة', 'सीधे', 'दोहराएं'],
  ],
  backward: HIJACK_SOURCE,
  before: 40,
  after: 160,
});

/** The confidence of a task hijack, or false when it is mentioned rather than used. */
function scoreTaskHijack(found: FoundPhrase, input: string): number | false {
  return isMention(input, found.start, found.end) ? false : 0.7;
}
const taskHijack: PatternRule = {
  id: 'pi.task-hijack',
  category: 'prompt_injection',
  severity: 'medium',
  rationale:
    'Dropping the question that was asked in favour of an order to print fixed text is how goal hijacking makes a model say what the attacker wants.',
  score: 0.7,
  kinds: ['input', 'tool_result', 'document'],
  target: 'folded',
  type: 'pattern',
  keywords: HIJACK.keywords,
  pattern: HIJACK.pattern,
  validate: (match) => bestOf(HIJACK.find(match), match.input, scoreTaskHijack),
};

/** The phrase patterns `validate` runs around anchors, by rule, for the ReDoS test. */
export const PHRASE_SOURCES: Readonly<Record<string, string>> = {
  'pi.ignore-previous (verb first)': overrideSource(),
  'pi.ignore-previous (phrases)': overridePhraseSource(),
  'pi.authority-claim': AUTHORITY_SOURCE,
  'pi.new-instructions': NEW_INSTRUCTIONS_SOURCE,
  'pi.task-hijack': HIJACK_SOURCE,
  // One alternative per marker (the test analyses top-level alternatives one at a time).
  'pi.ignore-previous (reported)': REPORTED_MARKERS.map(
    (marker) => String.raw`(?:${marker})\s*$`,
  ).join('|'),
  'pi.ignore-previous (reported, verb last)': REPORTED_AFTER_SOURCE,
};

export const promptInjectionRules: readonly Rule[] = [
  ignorePrevious,
  authorityClaim,
  fakeDelimiter,
  newInstructions,
  taskHijack,
];
