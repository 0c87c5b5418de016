/**
 * Helpers shared by the jailbreak rules: reading the text around a match, and telling a request
 * that *uses* a jailbreak from a question *about* one.
 */

/** The text around a match, `before` characters before it and `after` characters after it. */
export function around(match: RegExpExecArray, before: number, after: number): string {
  const start = Math.max(0, match.index - before);
  return match.input.slice(start, match.index + match[0].length + after);
}

/** Text before a match, up to `length` characters. */
export function preceding(match: RegExpExecArray, length: number): string {
  return match.input.slice(Math.max(0, match.index - length), match.index);
}

// Asking what a jailbreak is, or studying one, rather than running one.
const ABOUT_JAILBREAKS =
  /\b(?:what (?:is|are|was|does)|what's|explain|define|definition|describe|tell me about|history of|how (?:do|does|did|can|could|to) (?:i |we |you )?(?:detect|spot|recogni[sz]e|prevent|defend|block|stop|mitigate|classify)|research|paper|article|classifier|detector|examples? of)\b/;
// Addressing the model and giving it a role or an order: what a jailbreak does.
const DIRECT_ORDER =
  /\b(?:from now on|you (?:are|will|must|shall|should|can|have)|you'(?:re|ll)|act as|pretend|roleplay|role-play|stay in|respond|reply|answer (?:as|me|my|every|all|in)|let's play|immerse yourself)\b/;

/**
 * True when the text reads like a question or study about a jailbreak ("What is a DAN prompt?")
 * and does not itself order the model to take the role.
 */
export function isAboutJailbreaks(text: string): boolean {
  return ABOUT_JAILBREAKS.test(text) && !DIRECT_ORDER.test(text);
}
