import { isMention, textBefore } from './prompt-injection-context.js';
import { overrideKeywords, overrideSource } from './prompt-injection-override.js';
import type { PatternRule, Rule } from './rule.js';

/**
 * Direct prompt injection: text that tries to replace the instructions an assistant was given.
 * Each rule looks for one move an attacker makes (override the earlier instructions, claim
 * authority, fake the end of the user's turn, announce new instructions, hijack the task) in the
 * languages listed in `prompt-injection-override.ts`, and each `validate` drops the phrase when it
 * is only mentioned: refused by a deployer, quoted as an example, or asked about.
 */

/** Nouns that name instructions themselves, as opposed to any earlier message or question. */
const INSTRUCTION_NOUN =
  /instruc|instrution|direction|directive|command|rule|guideline|guidance|prompt|programming|training|polic|setting|configuration|order|task|requirement|specification|consigne|regle|instrucci|indicaci|reglas|directriz|instruc|istruzion|regol|anweisung|befehl|regeln|vorgabe|richtlinie|инструкц|указани|команд|правил|директив|指令|指示|命令|规则|規則|设定|設定|ルール|プロンプト|지시|지침|명령|규칙|تعليمات|الأوامر|الاوامر|निर्देश|आदेश|नियम/;

/** First-person objects: a user taking back their own words ("forget my previous question"). */
const OWN_WORDS = /\b(?:my|i(?:['’]ve|\s+have)?\s+(?:said|wrote|told|asked|gave))\b|\bmes\b|\bmis\b|\bmeine\b|\bmoj|мо[йиюе]|我的|私の|내\s/;

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
function isImperative(input: string, index: number): boolean {
  const clause = textBefore(input, index, 80, true);
  let unknown = 0;
  for (const word of clause.split(/[^a-z0-9'’]+/)) {
    if (word === '' || /^\d+$/.test(word)) continue;
    if (!LEAD_IN.has(word.replace(/['’]/g, ''))) unknown++;
  }
  return unknown <= 1;
}

const ENGLISH_START = /^(?:ignor|disregard|forget|overlook|neglect|discard|dismiss|set\s|pay\s|do\s|don|stop|cease|quit|no\s)/;

const ignorePrevious: PatternRule = {
  id: 'pi.ignore-previous',
  category: 'prompt_injection',
  severity: 'high',
  rationale:
    'Telling the model to ignore or forget the instructions it was given is the core move of a prompt injection.',
  score: 0.9,
  target: 'folded',
  type: 'pattern',
  keywords: overrideKeywords(),
  pattern: new RegExp(overrideSource()),
  validate(match) {
    const input = match.input;
    const text = match[0];
    if (isMention(input, match.index, match.index + text.length)) return false;
    const groups = match.groups ?? {};
    const english = ENGLISH_START.test(text);
    const imperative = !english || isImperative(input, match.index);
    let score: number;
    if (groups.prior !== undefined) {
      score = INSTRUCTION_NOUN.test(text) ? 0.9 : 0.8;
      if (!imperative) score -= 0.2;
    } else {
      // A bare pointer ("ignore the above") or a question swapped for an order: only as an order.
      if (!imperative) return false;
      score = groups.above !== undefined ? 0.85 : 0.8;
    }
    if (OWN_WORDS.test(text)) score = Math.min(score, INSTRUCTION_NOUN.test(text) ? 0.7 : 0.5);
    return score;
  },
};

export const promptInjectionRules: readonly Rule[] = [ignorePrevious];
