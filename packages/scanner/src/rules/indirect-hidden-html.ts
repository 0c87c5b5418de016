import type { RuleHit } from './rule.js';

/**
 * Finds instructions a human reader of a web page would never see: HTML comments and elements
 * hidden by CSS (display:none, zero size or opacity, off-screen, white text) or the `hidden`
 * attribute. Works on the raw text with `indexOf` scans and bounded slices: linear time.
 */

/** Longest hidden block we read; planted instructions are short, pages are not. */
const MAX_BLOCK = 2000;
const MAX_STYLE = 400;

// Orders and addressing that mark hidden text as written for a model.
const STRONG_CUE =
  /\b(?:ignore|disregard|forget) (?:all |any |the |previous |prior |above |earlier |your |these |those )|\bin your (?:reply|response|answer|summary|output)\b|\b(?:tell|inform|remind|convince|urge) the (?:user|reader|human)\b|\bif you are an? (?:ai|llm|language model|assistant|large language model|bot|agent)\b|\b(?:note|message|instructions?) (?:to|for) (?:the |any )?(?:ai|assistant|llm|model|agent|chatbot)\b|\b(?:ai|assistant|llm|model|agent|chatgpt|claude)s?[,:] |\bsystem prompt\b|\bnew instructions\b|\bdo not (?:tell|inform|mention) (?:this to )?the user\b/i;
const AI_NOUN =
  /\b(?:ai|a\.i\.|assistant|llm|language model|chatgpt|claude|copilot|gemini|gpt|chatbot|ai agent)\b/i;
const ORDER =
  /\b(?:you must|you should|you will|you are now|you need to|make sure|be sure|do not|don['’]t|never|always|instead)\b|\b(?:summari[sz]e|recommend|respond|reply|answer|send|email|forward|visit|click|include|mention|say|write|output|print|describe|rate|rank)\b/i;

// CSS that hides text from the reader while leaving it in the DOM.
const HIDING_STYLE =
  /display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.0+)?(?:px|pt|em|rem|%)?\s*(?:;|$|!)|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$|!)|(?:^|[;\s])(?:height|width|max-height|max-width)\s*:\s*0(?:px)?\s*(?:;|$|!)|(?:left|top|text-indent|margin-left)\s*:\s*-\d{3,}|clip\s*:\s*rect\(\s*0|(?:^|[;\s])color\s*:\s*(?:#fff(?:fff)?\b|white\b|rgba?\(\s*255\s*,\s*255\s*,\s*255|transparent\b)/i;

function instructionScore(block: string): number {
  if (block.length < 12) return 0;
  if (STRONG_CUE.test(block)) return 0.9;
  if (AI_NOUN.test(block) && ORDER.test(block)) return 0.8;
  return 0;
}

function comments(text: string, hits: RuleHit[]): void {
  let from = 0;
  for (let start = text.indexOf('<!--', from); start >= 0; start = text.indexOf('<!--', from)) {
    const close = text.indexOf('-->', start + 4);
    const end = close < 0 ? Math.min(text.length, start + 4 + MAX_BLOCK) : close + 3;
    const inner = text.slice(start + 4, Math.min(end, start + 4 + MAX_BLOCK));
    const score = instructionScore(inner);
    if (score > 0) hits.push({ start, end, score });
    from = end;
  }
}

/** The text content of the element whose opening tag ends at `tagEnd`, tags stripped. */
function elementText(text: string, tagEnd: number): { content: string; end: number } {
  const limit = Math.min(text.length, tagEnd + MAX_BLOCK);
  const slice = text.slice(tagEnd, limit);
  // Stop at the first closing tag: hidden blocks are usually one element deep.
  const close = slice.indexOf('</');
  const body = close < 0 ? slice : slice.slice(0, close);
  return {
    content: body.replace(/<[^>]{0,200}>/g, ' '),
    end: tagEnd + (close < 0 ? slice.length : close),
  };
}

function hiddenElements(text: string, lower: string, hits: RuleHit[]): void {
  let from = 0;
  for (let at = lower.indexOf('style=', from); at >= 0; at = lower.indexOf('style=', from)) {
    from = at + 6;
    const quote = text[at + 6];
    const valueStart = quote === '"' || quote === "'" ? at + 7 : at + 6;
    const valueEnd = quote === '"' || quote === "'" ? text.indexOf(quote, valueStart) : -1;
    const style = text.slice(
      valueStart,
      valueEnd < 0 ? valueStart + MAX_STYLE : Math.min(valueEnd, valueStart + MAX_STYLE),
    );
    if (!HIDING_STYLE.test(style)) continue;
    const tagEnd = text.indexOf('>', valueStart + style.length);
    if (tagEnd < 0) continue;
    const { content, end } = elementText(text, tagEnd + 1);
    const score = instructionScore(content);
    // White text may sit on a dark background: weaker evidence than display:none.
    if (score > 0)
      hits.push({
        start: at,
        end,
        score:
          /color/i.test(style) && !/none|hidden|font-size|opacity/i.test(style)
            ? score - 0.1
            : score,
      });
    from = Math.max(from, end);
  }
  from = 0;
  for (let at = lower.indexOf(' hidden', from); at >= 0; at = lower.indexOf(' hidden', from)) {
    from = at + 7;
    // Only the bare `hidden` attribute inside a tag: `<div hidden>` or `<p hidden class=...>`.
    const next = lower[at + 7];
    if (next !== '>' && next !== ' ' && next !== '=' && next !== '/') continue;
    const tagStart = lower.lastIndexOf('<', at);
    const tagClose = lower.lastIndexOf('>', at);
    if (tagStart < 0 || tagClose > tagStart || at - tagStart > 200) continue;
    const tagEnd = text.indexOf('>', at);
    if (tagEnd < 0) continue;
    const { content, end } = elementText(text, tagEnd + 1);
    const score = instructionScore(content);
    if (score > 0) hits.push({ start: tagStart, end, score });
    from = Math.max(from, end);
  }
}

/** Hidden blocks of the text that carry instructions, with a score per block. */
export function findHiddenInstructions(text: string): RuleHit[] {
  const hits: RuleHit[] = [];
  comments(text, hits);
  const lower = text.toLowerCase();
  if (lower.includes('style=') || lower.includes(' hidden')) hiddenElements(text, lower, hits);
  return hits;
}
