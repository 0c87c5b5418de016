/** Markdown helpers shared by the output rules (exfiltration, XSS). */

const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})/;

/**
 * Replaces the content of fenced code blocks with spaces, keeping every other offset. Code shown
 * as code is not rendered: an image there is never fetched and a script never runs.
 *
 * @example blankFencedCode('a\n```\n<script>\n```') // 'a\n```\n        \n```'
 */
export function blankFencedCode(text: string): string {
  if (text.indexOf('```') < 0 && text.indexOf('~~~') < 0) return text;
  const lines = text.split('\n');
  let fence: string | null = null;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const marker = FENCE.exec(line)?.[1];
    if (fence === null) {
      if (marker !== undefined) fence = marker;
      continue;
    }
    if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) {
      fence = null;
      continue;
    }
    lines[index] = ' '.repeat(line.length);
  }
  return lines.join('\n');
}
