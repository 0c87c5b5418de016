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

/** Characters that end a sentence, in the scripts the rules cover. */
const SENTENCE_END = /[.!?\n;。！？؟।॥]/;
/** Characters that end a clause (a sentence end, or a comma or colon). */
const CLAUSE_END = /[.!?\n;:,，、：。！？؟।॥]/;

/** Text before `index` back to the previous sentence (or clause) end, at most `max` characters. */
export function textBefore(input: string, index: number, max: number, clause = false): string {
  const stop = clause ? CLAUSE_END : SENTENCE_END;
  const from = Math.max(0, index - max);
  let start = index;
  while (start > from) {
    const char = input[start - 1];
    // A full stop between letters or digits ("e.g.", "v1.2") does not end a sentence.
    if (char !== undefined && stop.test(char) && !isInnerDot(input, start - 1)) break;
    start--;
  }
  return input.slice(start, index);
}

/** Text after `index` up to the next sentence end, at most `max` characters. */
export function textAfter(input: string, index: number, max: number): string {
  const to = Math.min(input.length, index + max);
  let end = index;
  while (end < to) {
    const char = input[end];
    if (char !== undefined && SENTENCE_END.test(char) && !isInnerDot(input, end)) break;
    end++;
  }
  return input.slice(index, end);
}

function isInnerDot(input: string, at: number): boolean {
  if (input[at] !== '.') return false;
  const before = input[at - 1] ?? ' ';
  const after = input[at + 1] ?? ' ';
  return /[a-z0-9]/.test(before) && /[a-z0-9]/.test(after);
}

/**
 * A negation right before the phrase: "never ignore", "do not reveal", "不要忽略", "nunca ignores".
 * Kept close to the verb (it must sit in the last few words) so that an unrelated "not" earlier in
 * the sentence does not hide an attack.
 */
const NEGATION = folded(
  String.raw`(?:\bnever\b(?!\s*mind)|\bnot\b|n't\b|\bno\s+(?:matter|circumstances?|case)\b|\bunder\s+no\b|\bnor\b|\bcannot\b|\bwithout\b|\brefus\w*|\bdeclin\w*|\breject\w*|\bavoid\w*|\bresist\w*|\bprevent\w*|\bprohibit\w*|\bforbid\w*|\bjamais\b|\bne\b|\bn'|\bpas\b|\bnunca\b|\bno\b|\bnao\b|\bnon\b|\bmai\b|\bnicht\b|\bniemals\b|\bnie\b|\bkein\w*|никогда|нельзя|不要|不得|不可|不能|不会|切勿|绝不|絕不|决不|決不|永远不|永遠不|禁止|别|別|勿|拒绝|拒絕|절대|결코|कभी\s*न|मत|لا\s|أبدا|ابدا|إطلاقا)`,
);

/** Someone other than the writer is reported as asking: the writer is describing an attack. */
const REPORTED = folded(
  String.raw`(?:\b(?:if|when|whenever|should|once|in\s+case|unless)\s+(?:a|an|the|any|some|someone|anyone|somebody|users?|people|they|he|she|visitors?|customers?|players?|a\s+prompt|a\s+message|the\s+message)\b|\b(?:users?|someone|anyone|somebody|people|persons?|individuals?|visitors?|customers?|clients?|humans?|members?|they|attackers?|hackers?|others?)\s+(?:may|might|will|could|can|would|often|sometimes|try|tries|attempts?|asks?|says?|said|types?|sends?|writes?|wants?|request)\b|\b(?:may|might|will|could|can|would|often|sometimes)\s+(?:ask|tell|request|instruct|order|command|want|attempt|try|urge|beg)\s+(?:you|the\s+(?:ai|assistant|bot|model|gpt))\b|\b(?:attempts?|attempted|attempting|tries|tried|trying|try|requests?|requested|requesting|asks|asked|asking|tells|told|telling|persuad\w*|convinc\w*|trick\w*|manipulat\w*|coerc\w*|pressur\w*|lur\w*|fool\w*|instructions?|orders?|commands?|demands?|prompts?)\s+(?:(?:you|me|it|us|them|the\s+(?:ai|assistant|bot|model|gpt|agent|system))\s+)?(?:to|into|that|for)\b|\b(?:such\s+as|e\.g|i\.e|for\s+(?:example|instance)|like(?!\s+(?:you|u|to|me|this)\b)|similar\s+to|examples?\s+(?:of|like|include)|phrases?|sentences?|saying|says|said|keywords?|strings?|motto|slogan|quotes?)\b|用户|使用者|有人|任何人|别人|他人|要求你|让你|叫你|试图|企图|尝试|例如|比如|类似|諸如|诸如|ユーザー|利用者|誰か|場合|例えば|사용자|누군가|경우|usuario|utilisateur|benutzer|nutzer|usuario|utente|пользовател|कोई|उपयोगकर्ता|المستخدم)`,
);

/** A question or discussion about the attack rather than the attack itself. */
const ABOUT =
  /(?:\b(?:what|why|how|which|whether|does|is|are|can|could|should)\s+(?:is|are|was|were|does|do|did|can|could|should|would|to|might|happens?|means?|a|an|the|it|this|i|we|you)\b|\b(?:explain\w*|describ\w*|defin\w*|meaning|against|regarding|about|detect\w*|flag\w*|block\w*|filter\w*|classif\w*|recogni[sz]\w*|identif\w*|defend\w*|protect\w*|guard\w*|mitigat\w*|handl\w*|spot\w*|catch\w*|injection|injections|attacks?|attackers?|jailbreak\w*|adversar\w*|malicious|vulnerab\w*|exploit\w*|sanitiz\w*|research\w*|study|studies|paper|dataset|benchmark|example|examples)\b)/;

/** After a quoted phrase: it is named as an example ("... attacks", "... or similar"). */
const NAMED_AFTER =
  /^\s*(?:['"”’»」』`)\]]\s*)?(?:[,.]?\s*)?(?:\(|or\b|and\s+(?:similar|the\s+like|other)|etc\b|\betc\.|attacks?|injections?|prompts?|phrases?|style|type|technique|tricks?|commands?|messages?|payloads?|jailbreaks?|strings?|requests?|keywords?|のような|などの|などと|ような|という|といった|같은|등의|라는|와\s*같은|जैसे|जैसी|等|之类|这样|這樣|这类|這類|типа|такие|и\s+т\.|مثل)/;

/** Opening quotation marks. */
const OPEN_QUOTE = /['"“‘«「『`]\s*$/;

/**
 * Whether the phrase at `index..end` of `input` is mentioned rather than used: negated, reported,
 * quoted as an example or asked about.
 */
export function isMention(input: string, index: number, end: number): boolean {
  const sentence = textBefore(input, index, 160);
  const near = sentence.slice(-24);
  if (NEGATION.test(near)) return true;
  if (REPORTED.test(sentence)) return true;
  const clause = textBefore(input, index, 80, true);
  if (ABOUT.test(clause)) return true;
  const after = input.slice(end, end + 40);
  if (OPEN_QUOTE.test(sentence) || /^\s*['"”’»」』]/.test(after)) {
    // A quoted phrase: an example if the sentence introduces it or names it afterwards.
    if (ABOUT.test(sentence) || NAMED_AFTER.test(afterQuote(after))) return true;
  }
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
function escape(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A pattern matching any of the words, as a prefix tree: a space stands for any run of spaces,
 * an apostrophe is optional. A tree is tested once per position; a flat list of alternatives is
 * tested word by word.
 */
export function wordTree(words: readonly string[]): string {
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
  const piece = (char: string) => (char === ' ' ? String.raw`\s+` : char === "'" ? "['’]?" : escape(char));
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

/**
 * Phrases checked around cheap anchors. A rule's pattern is only the anchor words (a prefix tree,
 * one test per position) followed by a few words, so its span covers the phrase; `find` then runs
 * the full phrase pattern on a bounded slice around the anchor. The phrase pattern is costly per
 * position, but it only ever sees the few hundred characters around an anchor.
 */
export class AnchoredPhrases {
  /** The rule's keywords: the anchors, folded by the engine. */
  readonly keywords: readonly string[];
  /** The rule's pattern: an anchor, then up to a few words (group `anchor` is the anchor). */
  readonly pattern: RegExp;
  private readonly phrase: RegExp;

  constructor(
    anchors: readonly string[],
    phraseSource: string,
    private readonly before: number,
    private readonly after: number,
  ) {
    this.keywords = [...new Set(anchors)].sort((a, b) => b.length - a.length);
    this.pattern = new RegExp(String.raw`(?<anchor>${wordTree(this.keywords)})\S*(?:\s+\S+){0,6}`);
    this.phrase = folded(phraseSource, 'g');
  }

  /** Phrases that overlap the anchor of `match`, nearest first. */
  find(match: RegExpExecArray): FoundPhrase[] {
    const input = match.input;
    const anchorEnd = match.index + (match.groups?.anchor?.length ?? match[0].length);
    const from = Math.max(0, match.index - this.before);
    const slice = input.slice(from, Math.min(input.length, match.index + match[0].length + this.after));
    const found: FoundPhrase[] = [];
    this.phrase.lastIndex = 0;
    for (let phrase = this.phrase.exec(slice); phrase !== null; phrase = this.phrase.exec(slice)) {
      if (phrase[0].length === 0) {
        this.phrase.lastIndex++;
        continue;
      }
      const start = from + phrase.index;
      const end = start + phrase[0].length;
      // The phrase must contain the anchor or a later word of the matched span.
      if (start < match.index + match[0].length && end > match.index && (start <= anchorEnd || start < match.index + match[0].length)) {
        found.push({ match: phrase, start, end });
      }
    }
    return found;
  }
}
