import type { Finding, ScanResult } from '@warden/scanner';

const DECISION_LABEL: Record<ScanResult['decision'], string> = {
  allow: 'ALLOW ',
  alert: 'ALERT ',
  redact: 'REDACT',
  block: 'BLOCK ',
};

/** A short, printable excerpt of what a finding matched. Secrets are masked even on screen. */
export function excerpt(text: string, finding: Finding, width = 60): string {
  let piece = text.slice(finding.span.start, finding.span.end);
  if (finding.category === 'secret' && piece.length > 8)
    piece = `${piece.slice(0, 4)}${'*'.repeat(8)}`;
  piece = piece.replace(
    /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g,
    (char) => {
      if (char === '\n') return '\\n';
      if (char === '\t') return '\\t';
      return `\\u{${char.codePointAt(0)!.toString(16)}}`;
    },
  );
  piece = piece.replace(
    /[\u{e0000}-\u{e007f}]/gu,
    (char) => `\\u{${char.codePointAt(0)!.toString(16)}}`,
  );
  return piece.length > width ? `${piece.slice(0, width - 1)}…` : piece;
}

/** Human-readable scan result, one finding per line. */
export function formatResult(result: ScanResult, textFor: (finding: Finding) => string): string {
  const lines: string[] = [];
  const monitor = result.mode === 'monitor' && result.policyDecision !== result.decision;
  lines.push(
    `${DECISION_LABEL[result.decision]} risk ${result.risk.toFixed(2)}  policy ${result.policy.name}` +
      (monitor ? `  (monitor mode: enforce would ${result.policyDecision})` : '') +
      (result.matchedRule === null ? '' : `  by ${result.matchedRule}`),
  );
  for (const finding of result.findings) {
    const where = finding.path === undefined ? '' : ` ${finding.path}`;
    const decoded = finding.encodings === undefined ? '' : ` via ${finding.encodings.join('>')}`;
    lines.push(
      `  ${finding.ruleId}  ${finding.category}/${finding.severity}  score ${finding.score.toFixed(2)}` +
        `  at${where} ${finding.span.start}-${finding.span.end}${decoded}  "${excerpt(textFor(finding), finding)}"`,
    );
    lines.push(`      ${finding.message}`);
  }
  for (const error of result.errors)
    lines.push(`  ERROR ${error.ruleId} ${error.code}: ${error.message}`);
  if (result.redactedText !== undefined) lines.push(`  redacted: ${result.redactedText}`);
  if (result.redactedArguments !== undefined)
    lines.push(`  redacted: ${JSON.stringify(result.redactedArguments)}`);
  lines.push(
    `  ${result.findings.length} finding(s), layers ${result.layers.join(',')}, ${result.latencyMs.toFixed(3)} ms`,
  );
  return `${lines.join('\n')}\n`;
}
