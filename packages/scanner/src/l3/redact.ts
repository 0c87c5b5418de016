import type { Finding, ScanInput } from '../types.js';

/** What is sent to the judge instead of the raw input. */
export interface RedactedText {
  text: string;
  /** Spans replaced by placeholders. */
  redactions: number;
}

/** `[SECRET]` for any secret; for PII the rule's kind: `pii.email` → `[EMAIL]`. */
export function placeholderFor(finding: Pick<Finding, 'ruleId' | 'category'>): string {
  if (finding.category === 'secret') return '[SECRET]';
  const kind = finding.ruleId.startsWith('pii.') ? finding.ruleId.slice(4) : '';
  return /^[a-z0-9-]{1,40}$/.test(kind) ? `[${kind.toUpperCase().replaceAll('-', '_')}]` : '[PII]';
}

const sensitive = (finding: Finding) => finding.category === 'secret' || finding.category === 'pii';

/** Replaces the spans of secret and PII findings in one value; overlapping spans merge. */
function redactValue(value: string, findings: readonly Finding[]): RedactedText {
  const spans = findings
    .map((finding) => ({ start: finding.span.start, end: finding.span.end, finding }))
    .filter((span) => span.end > span.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let text = '';
  let position = 0;
  let redactions = 0;
  for (let index = 0; index < spans.length; index++) {
    const span = spans[index]!;
    if (span.end <= position) continue;
    let end = span.end;
    // Swallow every span that overlaps this one, so one placeholder covers the union.
    while (index + 1 < spans.length && spans[index + 1]!.start < end) {
      end = Math.max(end, spans[index + 1]!.end);
      index++;
    }
    text += value.slice(position, Math.max(position, span.start));
    text += placeholderFor(span.finding);
    position = end;
    redactions++;
  }
  return { text: text + value.slice(position), redactions };
}

/**
 * The input as the judge will see it: every secret and PII span the local layers found replaced by
 * a placeholder, whatever the policy does with those findings (a user's own email in an input is
 * allowed by the default policy, and still never sent). Tool calls become their arguments' JSON.
 * @example redactForJudge({ kind: 'input', text: 'mail me at a@b.io' }, findings).text // 'mail me at [EMAIL]'
 */
export function redactForJudge(input: ScanInput, findings: readonly Finding[]): RedactedText {
  const secrets = findings.filter(sensitive);
  if (input.kind !== 'tool_args') return redactValue(input.text, secrets);
  let parsed: unknown = input.arguments;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      // Not JSON: the string itself is the one argument, as in scan().
    }
  }
  let redactions = 0;
  // Paths are built exactly as listArgumentValues builds them, so finding.path lines up.
  const visit = (value: unknown, path: string): unknown => {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
      const here = secrets.filter((finding) => (finding.path ?? '') === path);
      if (here.length === 0) return typeof value === 'bigint' ? String(value) : value;
      const redacted = redactValue(String(value), here);
      redactions += redacted.redactions;
      return redacted.text;
    }
    if (Array.isArray(value)) return value.map((item, index) => visit(item, `${path}[${index}]`));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          visit(item, path === '' ? key : `${path}.${key}`),
        ]),
      );
    }
    return value;
  };
  const redacted = visit(parsed, '');
  const text = typeof redacted === 'string' ? redacted : (JSON.stringify(redacted) ?? '');
  return { text, redactions };
}
