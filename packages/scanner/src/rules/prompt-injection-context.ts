/**
 * Context checks shared by the prompt-injection and system-prompt-extraction rules.
 *
 * The phrases those rules look for ("ignore previous instructions", "reveal your system prompt")
 * are also written by people who are not attacking anything: deployers who tell their assistant
 * to refuse them, and users who ask what they mean. What tells the two apart is the clause around
 * the phrase: a negation ("never reveal"), reported speech ("if the user asks you to ignore"), a
 * quotation introduced as an example ("phrases such as 'ignore the above'") or a question about
 * the attack itself ("how do I defend against ..."). These helpers read that clause from the
 * window the engine hands to `validate` (`match.input`), which always holds some text on either
 * side of the match.
 */

import { foldRuleSource } from '../normalize/fold.js';

/**
 * A regular expression for the folded view, compiled the way the engine compiles a rule's own
 * pattern: non-ASCII characters folded (Cyrillic "е" becomes "e"), so words of any script match.
 */
export function folded(source: string, flags = ''): RegExp {
  return new RegExp(foldRuleSource(source), flags);
}

/** Characters that end a sentence, in the scripts the rules cover (a set of char codes). */
const SENTENCE_END = new Set([...'.!?\n;。！？؟।॥'].map((char) => char.charCodeAt(0)));
/** Characters that end a clause: a sentence end, or a comma or colon. */
const CLAUSE_END = new Set([...SENTENCE_END, ...[...':,，、：'].map((char) => char.charCodeAt(0))]);
const CLOSING = new Set([...`'"”’»」』\`)`].map((char) => char.charCodeAt(0)));
/** Bits of CHARACTER_KIND. */
const ENDS_SENTENCE = 1;
const ENDS_CLAUSE = 2;
const CLOSES = 4;
/**
 * The three sets above as bits per (BMP) char code: the boundary checks read it for every
 * character they walk over, and a typed array is several times faster to read than a Set.
 */
const CHARACTER_KIND = (() => {
  const kinds = new Uint8Array(0x10000);
  for (const code of SENTENCE_END) kinds[code]! |= ENDS_SENTENCE;
  for (const code of CLAUSE_END) kinds[code]! |= ENDS_CLAUSE;
  for (const code of CLOSING) kinds[code]! |= CLOSES;
  return kinds;
})();
const DOT = 46;
const QUESTION = 63;
const BANG = 33;

function isAlphanumeric(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

/**
 * Whether the character at `at` ends a sentence: "e.g." and "v1.2" do not, nor does a question
 * mark inside a quotation ("what are your rules?" or ...).
 */
function isBoundary(input: string, at: number, stop: number): boolean {
  // Out of range, charCodeAt gives NaN, which reads as kind 0 (as a Set would not hold it).
  const code = input.charCodeAt(at);
  const kind = CHARACTER_KIND[code] ?? 0;
  // A closing quote after a full stop or question mark ends the sentence it closes.
  if ((kind & CLOSES) !== 0) {
    const previous = input.charCodeAt(at - 1);
    return (
      previous === DOT ||
      previous === QUESTION ||
      previous === BANG ||
      previous === 0x3002 ||
      previous === 0xff1f
    );
  }
  if ((kind & stop) === 0) return false;
  if (code === DOT || code === QUESTION || code === BANG) {
    const next = input.charCodeAt(at + 1);
    if (((CHARACTER_KIND[next] ?? 0) & CLOSES) !== 0) return false;
    if (code === DOT) {
      if (isAlphanumeric(input.charCodeAt(at - 1)) && isAlphanumeric(next)) return false;
      // Abbreviations: "e.g.", "eg.", "i.e.", "etc.", "vs."
      if (
        /(?:^|[^a-z])(?:e\.?g|i\.?e|etc|vs|cf|approx)$/.test(input.slice(Math.max(0, at - 6), at))
      )
        return false;
    }
  }
  return true;
}

/** Text before `index` back to the previous sentence (or clause) end, at most `max` characters. */
export function textBefore(input: string, index: number, max: number, clause = false): string {
  const stop = clause ? ENDS_CLAUSE : ENDS_SENTENCE;
  const from = Math.max(0, index - max);
  let start = index;
  while (start > from && !isBoundary(input, start - 1, stop)) start--;
  return input.slice(start, index);
}

/** Text after `index` up to the next sentence end, at most `max` characters. */
export function textAfter(input: string, index: number, max: number): string {
  const to = Math.min(input.length, index + max);
  let end = index;
  while (end < to && !isBoundary(input, end, ENDS_SENTENCE)) end++;
  return input.slice(index, end);
}

/**
 * A negation right before the phrase: "never ignore", "do not reveal", "不要忽略", "nunca ignores".
 * Kept close to the verb (it must sit in the last few words) so that an unrelated "not" earlier in
 * the sentence does not hide an attack.
 */
const NEGATION = folded(
  String.raw`(?:\bnever\b(?!\s*mind)|\bnot\b|(?<!\bwhy\s+(?:do|wo))n't\b|\bno\s+(?:matter|circumstances?|case)\b|\bunder\s+no\b|\bnor\b|\bcannot\b|\bwithout\b|\brefus\w*|\bdeclin\w*|\breject\w*|\bavoid\w*|\bresist\w*|\bprevent\w*|\bprohibit\w*|\bforbid\w*|\bjamais\b|\bne\b|\bn'|\bpas\b|\bnunca\b|\bno\b(?!\s*[,;!]|\s+(?:wait|time|worries|problem|hurry|rush)\b)|\bnao\b|\bnon\b|\bmai\b|\bnicht\b|\bniemals\b|\bnie\b|\bkein\w*|никогда|нельзя|不要|不得|不可|不能|不会|切勿|绝不|絕不|决不|決不|永远不|永遠不|禁止|别|別|勿|拒绝|拒絕|절대|결코|कभी\s*न|मत|لا\s|أبدا|ابدا|إطلاقا)`,
);

/** Someone other than the writer is reported as asking: the writer is describing an attack. */
const REPORTED = folded(
  String.raw`(?:\b(?:if|when|whenever|should|once|in\s+case|unless)\s+(?:a|an|the|any|some|someone|anyone|somebody|users?|people|they|he|she|visitors?|customers?|players?|a\s+prompt|a\s+message|the\s+message)\b|\b(?:users?|someone|anyone|somebody|people|persons?|individuals?|visitors?|customers?|clients?|humans?|members?|they|attackers?|hackers?|others?)\s+(?:may|might|will|could|can|would|often|sometimes|try|tries|attempts?|asks?|says?|said|types?|sends?|writes?|wants?|request)\b|\b(?:may|might|will|could|can|would|often|sometimes)\s+(?:ask|tell|request|instruct|order|command|want|attempt|try|urge|beg)\s+(?:you|the\s+(?:ai|assistant|bot|model|gpt))\b|\b(?:attempts?|attempted|attempting|tries|tried|trying|try|requests?|requested|requesting|asks|asked|asking|tells|told|telling|persuad\w*|convinc\w*|trick\w*|manipulat\w*|coerc\w*|pressur\w*|lur\w*|fool\w*|instructions?|orders?|commands?|demands?|prompts?)\s+(?:(?:you|me|it|us|them|the\s+(?:ai|assistant|bot|model|gpt|agent|system))\s+)?(?:to|into|that|for)\b|\b(?:such\s+as|e\.?g|i\.e|for\s+(?:example|instance)|like(?!\s+(?:you|u|to|me|this)\b)|similar\s+to|examples?\s+(?:of|like|include)|phrases?|saying|says|said|keywords?|strings?|motto|slogan|quotes?)\b|用户|使用者|有人|任何人|别人|他人|要求你|让你|叫你|试图|企图|尝试|例如|比如|类似|諸如|诸如|ユーザー|利用者|誰か|場合|例えば|사용자|누군가|경우|usuario|utilisateur|benutzer|nutzer|usuario|utente|пользовател|कोई|उपयोगकर्ता|المستخدم)`,
);

/** A question or discussion about the attack rather than the attack itself. */
const ABOUT =
  /(?:\b(?!(?:can|could)\s+you\b|is\s+it\s+possible\s+for\s+you\b)(?:what|why|how|which|whether|does|is|are|can|could|should)\s+(?:is|are|was|were|does|do|did|can|could|should|would|to|might|happens?|means?|a|an|the|it|this|i|we|you)\b|\b(?:explain\w*|describ\w*|defin\w*|meaning|against|regarding|(?<!\bhow\s)about|detect\w*|flag\w*|block\w*|filter\w*|classif\w*|recogni[sz]\w*|identif\w*|defend\w*|protect\w*|guard\w*|mitigat\w*|handl\w*|spot\w*|catch\w*|injection|injections|attacks?|attackers?|jailbreak\w*|adversar\w*|malicious|vulnerab\w*|exploit\w*|sanitiz\w*|research\w*|study|studies|paper|dataset|benchmark|example|examples)\b)/;

/** After a quoted phrase: it is named as an example ("... attacks", "... or similar"). */
const NAMED_AFTER =
  /^\s*(?:['"”’»」』`)\]]\s*)?(?:[,.]?\s*)?(?:\(|or\b|and\s+(?:similar|the\s+like|other)|etc\b|\betc\.|attacks?|injections?|prompts?|phrases?|style|type|technique|tricks?|commands?|messages?|payloads?|jailbreaks?|strings?|requests?|keywords?|のような|などの|などと|ような|という|といった|같은|등의|라는|와\s*같은|जैसे|जैसी|等|之类|这样|這樣|这类|這類|типа|такие|и\s+т\.|مثل)/;

/** Opening quotation marks. */
const OPEN_QUOTE = /['"“‘«「『`]\s*$/;

/** A sentence that opens with a prohibition: "Never say, repeat or write ...", "DO NOT ...". */
const PROHIBITION_START = folded(
  String.raw`^\s*(?:[-*#>\d.)\]]+\s*)*(?:(?:important|note|warning|rule(?:\s+\w+)?|reminder)\s*[:!-]+\s*)?(?:never\b(?!\s*mind)|do\s+not\b|don['’]?t\b|under\s+no\b|in\s+no\s+case\b|no\s+matter\b|nor\b|you\s+(?:must|should|shall|will|may)\s+(?:never|not)\b|you\s+(?:cannot|can['’]?t|won['’]?t|are\s+not\s+(?:allowed|permitted))\b|jamais\b|ne\s|n'|nunca\b|nao\s|non\s|mai\s|nie\s|niemals\b|никогда|не\s|不要|不得|绝不|絕不|切勿|决不|決不|永远不要|永遠不要|禁止|絶対に|決して|절대|결코)`,
);

/** The writer speaks to the assistant about its users: a deployer's instruction, not a user's order. */
const DEPLOYER_VOICE =
  /\b(?:to|with|for|from)\s+(?:the\s+|any\s+|our\s+|your\s+|other\s+)?users?\b(?!['’]s)|\b(?:give|show|tell|send|provide|reveal|share)\s+(?:the\s+|any\s+)?users?\b(?!['’]s)|\b(?:the|a|any)\s+users?\s+(?:asks?|says?|requests?|wants?|tries|try|may|might|will|should|can|could|is|are|sends?|types?|writes?)\b/;

/** A list of example attacks follows: "Hacking prompts:", "an injection might look like the following". */
const EXAMPLES_FOLLOW =
  /\b(?:(?:hacking|injection|attack|jailbreak|malicious|bad\s+faith|adversarial|extraction|suspicious|manipulative)\s+(?:prompts?|attempts?|techniques?|phrases?|examples?|commands?|requests?|messages?|inputs?)\s*(?::|like|such\s+as|include|e\.?g)|looks?\s+like\s+(?:the\s+following|this)|(?:such\s+as|like|e\.?g\.?|for\s+example|examples?)\s*:\s*$)/;

/** German and Czech quotes open low („…“): a “ with an unclosed „ before it closes a quotation. */
function closesLowQuote(input: string, at: number, from: number): boolean {
  for (let before = at - 1; before >= from; before--) {
    const char = input[before];
    if (char === '„') return true;
    if (char === '“' || char === '”' || char === '\n') return false;
  }
  return false;
}

/**
 * The start of the quotation the phrase sits in, or -1: an opening “ „ « 「 without its closing
 * mark, or an odd number of straight double quotes on the line before the phrase.
 */
function quotationStart(input: string, index: number): number {
  const from = Math.max(0, index - 300);
  // Char codes, not one-character strings: this walks up to 300 characters per validation.
  for (let at = index - 1; at >= from; at--) {
    const code = input.charCodeAt(at);
    if (code === 0x201d || code === 0xbb || code === 0x300d || code === 0x300f || code === 10)
      break;
    if (code === 0x201c && closesLowQuote(input, at, from)) break;
    if (code === 0x201c || code === 0x201e || code === 0xab || code === 0x300c || code === 0x300e)
      return at;
    if (code === 39 || code === 0x2018 || code === 0x2019) {
      const previous = input[at - 1] ?? ' ';
      const next = input[at + 1] ?? ' ';
      // An apostrophe sits between letters; an opening quote follows a space, a closing one a word.
      if (/[\s(:[]/.test(previous) && /[a-z0-9]/.test(next)) return at;
      if (/[^\s]/.test(previous) && /[\s.,;:!?)]/.test(next)) break;
    }
  }
  const lineStart = input.lastIndexOf('\n', index - 1) + 1;
  let count = 0;
  let last = -1;
  for (
    let at = input.indexOf('"', Math.max(lineStart, from));
    at !== -1 && at < index;
    at = input.indexOf('"', at + 1)
  ) {
    count++;
    last = at;
  }
  return count % 2 === 1 ? last : -1;
}

/** Quotation marks that open a passage, each with the mark that closes it. */
export const CLOSER_OF: Readonly<Record<string, string>> = {
  '“': '”',
  '„': '“',
  '«': '»',
  '「': '」',
  '『': '』',
  "'": "'",
  '‘': '’',
  '"': '"',
};

/**
 * Before a quotation, in its sentence: someone other than the speaker wrote or said it ("someone
 * replied", "an essay that had the sentence", "a card that says", "una carta che dice", "c'è
 * scritto", "steht", "написано", "写着").
 */
const QUOTES_SOMEONE = folded(
  String.raw`(?:\b(?:someone|somebody|a\s+(?:user|stranger|guy|student|customer|colleague|coworker|friend|kid)|he|she|they|it|people|my\s+\w+|our\s+\w+|the\s+(?:bot|email|e-mail|message|text|note|sign|card|essay|comment|reply|post|tweet|review|page|letter))\s+(?:replied|replies|wrote|writes|posted|posts|commented|tweeted|texted|sent|said|says|typed|left|put|added|hid|hides)\b|\b(?:had|has|with|contains|contained|containing|saying|reading|reads|read)\s+(?:the|a|this|that)\s+(?:sentence|line|phrase|text|words?|message|note|instruction)\b|\b(?:that|which|che|qui|que|der|die|das)\s+(?:says|said|reads|read|dice|diceva|dit|disait|dice|decia|sagt|sagte)\b|\b(?:c['’]e\s+scritto|steht|stand|написано|написал|написала)\b|说|写着|寫著)`,
);
/** How far before a quotation its frame may start ("someone replied … under my post: '…'"). */
const QUOTE_FRAME_REACH = 60;
/** After a quotation, in languages that report after it: 「…」とだけメールが来ました, "…"라고 했어요. */
const QUOTED_THEN_REPORTED =
  /^\s*(?:と(?:だけ)?(?:メール|メッセージ|連絡|言われ|書いて|書かれ|返信|コメント)|(?:이)?라고\s*(?:했|말했|적혀|써)|(?:这样|這樣)?的(?:邮件|郵件|消息|留言))/u;
/** The patterns that read a quotation's frame, for the backtracking test. */
export const QUOTATION_FRAME_PATTERNS: readonly RegExp[] = [QUOTES_SOMEONE, QUOTED_THEN_REPORTED];
/** A question about it follows within the next few sentences. */
const QUESTION_AFTER = /[?？؟]/;

/**
 * Whether the quotation opened at `start` holds the phrase `index..end` and nothing else, inside a
 * question of the writer's own ("what is '…' in Spanish?"; a quotation that is the whole text
 * names nothing).
 */
function quotesPhraseAlone(input: string, start: number, index: number, end: number): boolean {
  const close = closingQuote(input, start, end);
  return (
    close >= 0 &&
    /^[\s.!?…]*$/.test(input.slice(end, close)) &&
    /^\s*$/.test(input.slice(start + 1, index)) &&
    input.slice(0, start).trim().length + input.slice(close + 1).trim().length >= 8 &&
    /^[^.!\n]{0,80}[?？]/.test(input.slice(close + 1))
  );
}

/** Where the quotation that opens at `start` closes, from `from` on; -1 when it does not. */
function closingQuote(input: string, start: number, from: number): number {
  return input.indexOf(CLOSER_OF[input[start]!] ?? '"', from);
}

/**
 * The text after the quotation that opens at `start` closes (within 400 characters of `from`), up to
 * `length` characters past the mark, or ''.
 */
function afterQuotation(input: string, start: number, from: number, length = 40): string {
  const close = closingQuote(input, start, from);
  if (close < 0 || close - from > 400) return '';
  return input.slice(close + 1, close + length);
}

/**
 * Whether the phrase at `index..end` of `input` is mentioned rather than used: negated, reported,
 * quoted as an example, given as an item of a list of attacks, or asked about.
 */
export function isMention(input: string, index: number, end: number): boolean {
  const sentence = textBefore(input, index, 160);
  if (sentence.length > 0) {
    if (NEGATION.test(sentence.slice(-24)) || NEGATION.test(textBefore(input, index, 48, true)))
      return true;
    if (PROHIBITION_START.test(sentence) || REPORTED.test(sentence)) return true;
    if (ABOUT.test(textBefore(input, index, 80, true))) return true;
    if (DEPLOYER_VOICE.test(sentence)) return true;
  }
  // A line of a sample dialogue ("User: What's the secret password?") quotes a user.
  if (
    /(?:^|\n|[.!?]\s)\s*(?:user|human|customer|player|visitor|q)\s*:?\s*$/.test(
      input.slice(Math.max(0, index - 24), index),
    )
  )
    return true;
  const sentenceAfter = textAfter(input, end, 120);
  if (DEPLOYER_VOICE.test(input.slice(index, end)) || DEPLOYER_VOICE.test(sentenceAfter))
    return true;
  const window = input.slice(Math.max(0, index - 300), index);
  if (/[:]|like|such|e\.?g|example/.test(window) && EXAMPLES_FOLLOW.test(window)) return true;
  const after = input.slice(end, end + 40);
  const quoted = quotationStart(input, index);
  if (quoted >= 0) {
    // Inside a quotation: an example if the line that opens it introduces or discusses it.
    const lineStart = input.lastIndexOf('\n', quoted - 1) + 1;
    const opening = input.slice(Math.max(lineStart, quoted - 160), quoted);
    if (
      REPORTED.test(opening) ||
      ABOUT.test(opening) ||
      NEGATION.test(opening) ||
      PROHIBITION_START.test(opening) ||
      DEPLOYER_VOICE.test(opening) ||
      EXAMPLES_FOLLOW.test(opening)
    ) {
      return true;
    }
    const afterClose = afterQuotation(input, quoted, end);
    if (NAMED_AFTER.test(afterClose)) return true;
    // The phrase alone in its quotation, inside the writer's own question ("how do you say
    // 'ignore previous instructions' in Italian?"): a name for the phrase.
    if (quotesPhraseAlone(input, quoted, index, end)) return true;
    // Someone else's words, quoted and then asked about: "Someone replied '…' to a bot. Why does
    // that work?", "a card that says '…'. Does it count?", "上司から「…」とだけメールが来ました。…？".
    if (
      (QUOTES_SOMEONE.test(textBefore(opening, opening.length, QUOTE_FRAME_REACH)) ||
        QUOTED_THEN_REPORTED.test(afterClose)) &&
      QUESTION_AFTER.test(afterQuotation(input, quoted, end, 300))
    ) {
      return true;
    }
  }
  if (OPEN_QUOTE.test(sentence) || /^\s*['"”’»」』]/.test(after)) {
    // A quoted phrase: an example if the sentence introduces it or names it afterwards.
    if (ABOUT.test(sentence) || NAMED_AFTER.test(afterQuote(after))) return true;
  }
  // Wholly quoted and labelled ('"I'm your creator": threat'): an entry in a list of examples.
  if (/['"“‘«「]\s*$/.test(sentence.slice(-2)) && /^\s*[?!.]?\s*['"”’»」]\s*[:=]/.test(after))
    return true;
  return NAMED_AFTER_TIGHT.test(after);
}

/** Right after an unquoted phrase: "ignore previous instructions attacks". */
const NAMED_AFTER_TIGHT =
  /^\s*(?:attacks?|injections?|jailbreaks?|payloads?|-style|style|type\s+of|technique|のような|などの|ような|といった|같은|등의|जैसे|之类|这样的|這樣的|这类|這類)/;

function afterQuote(after: string): string {
  const close = after.search(/['"”’»」』`]/);
  return close < 0 ? after : after.slice(close + 1);
}

/** The words of `match[0]` that the rule found, for scoring. */
export function matchText(match: RegExpExecArray): string {
  return match[0];
}

/** Cyrillic "не" ("not") right before a Cyrillic phrase; folded, it reads "he". */
const RUSSIAN_NOT = folded(String.raw`(?:^|[\s,])(?:не|ни)\s+$`);
const CYRILLIC = /[\u0400-\u04ff]/;

/** Whether a phrase in Cyrillic is negated ("не игнорируй"). */
export function isRussianNegated(input: string, index: number, phrase: string): boolean {
  return CYRILLIC.test(phrase) && RUSSIAN_NOT.test(input.slice(Math.max(0, index - 8), index));
}

/** Escapes a literal for a regular expression. */
function escapeLiteral(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A pattern matching any of the words, as a prefix tree (a tree is tested once per position; a
 * flat list of alternatives is tested word by word). When `flexible`, a space stands for any run
 * of spaces and an apostrophe is optional.
 */
export function wordTree(words: readonly string[], flexible = true): string {
  interface Node {
    end: boolean;
    next: Map<string, Node>;
  }
  const root: Node = { end: false, next: new Map() };
  for (const word of words) {
    let node = root;
    for (const char of word) {
      let child = node.next.get(char);
      if (child === undefined) {
        child = { end: false, next: new Map() };
        node.next.set(char, child);
      }
      node = child;
    }
    node.end = true;
  }
  const piece = (char: string) =>
    flexible && char === ' '
      ? String.raw`\s+`
      : flexible && char === "'"
        ? "['’]?"
        : escapeLiteral(char);
  const build = (node: Node): string => {
    const branches = [...node.next].map(([char, child]) => piece(char) + build(child));
    if (branches.length === 0) return '';
    const body = branches.length === 1 ? branches[0]! : `(?:${branches.join('|')})`;
    if (!node.end) return body;
    return branches.length === 1 ? `(?:${body})?` : `${body}?`;
  };
  return build(root);
}

/** One phrase found around an anchor, in the coordinates of the anchor match's input. */
export interface FoundPhrase {
  match: RegExpExecArray;
  start: number;
  end: number;
}

/** Options of `AnchoredPhrases`. */
export interface AnchoredPhrasesOptions {
  /** Literals every phrase contains: the rule's keywords. */
  anchors: readonly string[];
  /** Phrases that open at, or a few words before, the anchor (tried at those word starts only). */
  forward?: string;
  /** Phrases that may open well before the anchor (searched in a slice around it). */
  backward?: string;
  /** When given, the backward search runs only for these anchors. */
  backwardAnchors?: readonly string[];
  /** Characters before and after the anchor that the backward search reads. */
  before?: number;
  after?: number;
}

const WORD_CHAR = /[\p{L}\p{N}_'’]/u;

function isWordChar(input: string, at: number): boolean {
  const code = input.charCodeAt(at);
  if (code < 128) return isAlphanumeric(code) || code === 95 || code === 39;
  return WORD_CHAR.test(input[at] ?? ' ');
}

/** A word starts at `at`: a word character not preceded by one. */
function isWordStart(input: string, at: number): boolean {
  return isWordChar(input, at) && (at === 0 || !isWordChar(input, at - 1));
}
/** How far before an anchor a forward phrase may open ("do not follow", "ne tenez pas compte"). */
const FORWARD_REACH = 24;

/**
 * Phrases checked around cheap anchors. A rule's pattern is only the anchor words (a prefix tree,
 * one test per position), so the span of a finding is the anchor's word; `find` then checks the
 * full phrase patterns at the anchor. Those are costly per position, so they never scan a text:
 * forward phrases are tried only at the word starts just before the anchor (sticky), backward
 * ones only on a bounded slice around it.
 */
export class AnchoredPhrases {
  /** The rule's keywords: the anchors (the engine folds them). */
  readonly keywords: readonly string[];
  /** The rule's pattern: an anchor (group `anchor`) and the rest of its word. */
  readonly pattern: RegExp;
  private readonly anchor: RegExp;
  private readonly forward: RegExp | null;
  private readonly backward: RegExp | null;
  private readonly backwardAnchors: ReadonlySet<string> | null;
  private readonly before: number;
  private readonly after: number;
  /** `pattern` searching a whole text (`findAll`), made on first use. */
  private anywhere: RegExp | null = null;

  constructor(options: AnchoredPhrasesOptions) {
    this.keywords = [...new Set(options.anchors)].sort((a, b) => b.length - a.length);
    // The prefilter found the keywords literally, so the anchor pattern matches them literally too.
    const tree = wordTree(this.keywords, false);
    // The rest of the anchor's word joins the span ("ignor" -> "ignore"); more would make the
    // pattern slow to analyse for ReDoS and blur where one anchor ends and the next begins.
    this.pattern = new RegExp(`(?<anchor>${tree})[a-z]{0,16}`);
    this.anchor = folded(tree, 'g');
    this.forward = options.forward === undefined ? null : folded(options.forward, 'y');
    this.backward = options.backward === undefined ? null : folded(options.backward, 'g');
    this.backwardAnchors =
      options.backwardAnchors === undefined
        ? null
        : new Set(options.backwardAnchors.map((anchor) => foldRuleSource(anchor)));
    this.before = options.before ?? 160;
    this.after = options.after ?? 40;
  }

  /**
   * Every phrase in a folded text, anchor by anchor: for a rule's helpers that read a whole
   * (bounded) text rather than the one match the engine hands `validate`.
   */
  findAll(text: string): FoundPhrase[] {
    this.anywhere ??= new RegExp(this.pattern.source, 'g');
    const found: FoundPhrase[] = [];
    this.anywhere.lastIndex = 0;
    for (let match = this.anywhere.exec(text); match !== null; match = this.anywhere.exec(text)) {
      found.push(...this.find(match));
    }
    return found;
  }

  /** Phrases that overlap the span of `match` (the anchor and the words after it). */
  find(match: RegExpExecArray): FoundPhrase[] {
    const input = match.input;
    const spanEnd = match.index + match[0].length;
    const found: FoundPhrase[] = [];
    const keep = (phrase: RegExpExecArray, start: number) => {
      const end = start + phrase[0].length;
      if (
        phrase[0].length > 0 &&
        start < spanEnd &&
        end > match.index &&
        !found.some((other) => other.start === start)
      ) {
        found.push({ match: phrase, start, end });
      }
    };
    if (this.forward !== null) {
      // Every anchor in the span: at the anchor first (most verbs open with their keyword),
      // then at the word starts just before it ("do not follow", "ne tenez pas compte").
      this.anchor.lastIndex = match.index;
      for (
        let next = this.anchor.exec(input);
        next !== null && next.index < spanEnd;
        next = this.anchor.exec(input)
      ) {
        const from = Math.max(0, next.index - FORWARD_REACH);
        let hit = false;
        for (let at = next.index; at >= from && !hit; at--) {
          if (at !== next.index && !isWordStart(input, at)) continue;
          this.forward.lastIndex = at;
          const phrase = this.forward.exec(input);
          if (phrase !== null) {
            keep(phrase, at);
            hit = true;
          }
        }
        if (next[0].length === 0) this.anchor.lastIndex++;
      }
    }
    const anchor = (match.groups?.anchor ?? match[0]).replace(/\s+/g, ' ');
    if (
      this.backward !== null &&
      (this.backwardAnchors === null || this.backwardAnchors.has(anchor))
    ) {
      const from = Math.max(0, match.index - this.before);
      const slice = input.slice(from, Math.min(input.length, spanEnd + this.after));
      this.backward.lastIndex = 0;
      for (
        let phrase = this.backward.exec(slice);
        phrase !== null;
        phrase = this.backward.exec(slice)
      ) {
        if (phrase[0].length === 0) {
          this.backward.lastIndex++;
          continue;
        }
        keep(phrase, from + phrase.index);
      }
    }
    return found;
  }
}

/** The best score of the phrases found around an anchor, or false when none counts. */
export function bestOf(
  found: readonly FoundPhrase[],
  input: string,
  score: (found: FoundPhrase, input: string) => number | false,
): number | false {
  let best: number | false = false;
  for (const phrase of found) {
    const value = score(phrase, input);
    if (value !== false && (best === false || value > best)) best = value;
  }
  return best;
}

/**
 * The top-level alternatives of a pattern (and of a lone named group), for checking big phrase
 * patterns for catastrophic backtracking one alternative at a time.
 */
export function patternAlternatives(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let index = 0; index < source.length; index++) {
    const char = source[index];
    if (char === '\\') {
      index++;
    } else if (inClass) {
      if (char === ']') inClass = false;
    } else if (char === '[') {
      inClass = true;
    } else if (char === '(') {
      depth++;
    } else if (char === ')') {
      depth--;
    } else if (char === '|' && depth === 0) {
      parts.push(source.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(source.slice(start));
  if (parts.length > 1) return parts.flatMap(patternAlternatives);
  const group = /^\(\?<\w+>([\s\S]*)\)$/.exec(source);
  return group !== null && patternAlternatives(group[1]!).length > 1
    ? patternAlternatives(group[1]!)
    : parts;
}
