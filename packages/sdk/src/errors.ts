import type { Category, Decision, ScanKind, ScanResult } from '@warden/scanner';

/** The marker `isWardenError` of @warden/scanner looks for: SDK errors answer to it too. */
const MARKER = Symbol.for('warden.error');

/** Stable codes of the errors the SDK throws. See docs/errors.md. */
export type WardenSdkErrorCode = 'WARDEN_BLOCKED' | 'WARDEN_SDK_OPTIONS_INVALID';

/** An error of the SDK's own: options that cannot work. */
export class WardenSdkError extends Error {
  override readonly name: string = 'WardenSdkError';
  readonly code: WardenSdkErrorCode;
  readonly [MARKER] = true;

  constructor(code: WardenSdkErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** One line per category: what a developer does when a legitimate call was blocked. */
const REMEDIATION: Record<Category, string> = {
  prompt_injection:
    'Treat the text as data, not instructions; if it is legitimate, lower the rule or category action in your policy.',
  jailbreak:
    'The input tries to switch off the model’s rules; refuse it, or relax the jailbreak category in your policy if this is a red-team run.',
  system_prompt_extraction:
    'The text asks for the system prompt; answer without it, or allow the rule in your policy if your prompt is public.',
  indirect_injection:
    'A tool result or document carries instructions for the model; drop it or quote it as data, and check the source.',
  data_exfiltration:
    'The text would send data to a third party (a link, an image URL); strip the link or allow the host in your policy.',
  secret:
    'A credential is in the text; rotate it and keep secrets out of prompts, outputs and tool arguments.',
  pii: 'Personal data is in the text; redact it before it reaches the model or the tool, or allow the category on this surface.',
  shell_injection:
    'The tool argument would run extra shell commands; pass arguments as a list, not a command string.',
  path_traversal:
    'The path leaves the allowed directory or names a sensitive file; resolve it against a fixed root first.',
  ssrf: 'The URL points at an internal or metadata address; allow-list the hosts this tool may reach.',
  sql_injection:
    'The SQL argument carries injected clauses; use parameterised queries for model-supplied values.',
  xss: 'The output carries markup that runs script; escape it before rendering.',
  obfuscation:
    'The text hides content in an encoding; decode and review it, or allow the rule if the encoding is expected.',
  tool_policy:
    'The policy does not allow this tool here; add it to `tools.allow` if the agent should call it.',
};

/** The one-line remediation hint for a category. */
export function remediationHint(category: Category | undefined): string {
  return category === undefined
    ? 'Review the finding; adjust the policy if the content is legitimate.'
    : REMEDIATION[category];
}

/**
 * Thrown when Warden blocks content in enforce mode. Carries what a handler needs to react
 * (rule id, category, surface, a remediation hint) and never the blocked text itself, so it is
 * safe to log.
 * @example try { await guarded() } catch (error) { if (isWardenBlockedError(error)) log(error.ruleId) }
 */
export class WardenBlockedError extends Error {
  override readonly name = 'WardenBlockedError';
  readonly code = 'WARDEN_BLOCKED' as const;
  readonly [MARKER] = true;
  /** The rule id or `policy.*` reason that set the decision. */
  readonly ruleId: string;
  /** The category of the deciding finding, when a finding decided. */
  readonly category: Category | undefined;
  readonly surface: ScanKind;
  readonly decision: Decision;
  /** For tool calls and results: the tool's name. */
  readonly tool: string | undefined;
  /** One line: what to do about it. */
  readonly hint: string;
  /** The id of the telemetry event recorded for this scan. */
  readonly eventId: string;
  /** The scan result (findings, spans, scores; no text). */
  readonly result: ScanResult;

  constructor(details: {
    surface: ScanKind;
    result: ScanResult;
    eventId: string;
    tool?: string | undefined;
  }) {
    const { result, surface, tool } = details;
    const ruleId = result.matchedRule ?? 'policy.blocked';
    const deciding =
      result.findings.find((finding) => finding.ruleId === ruleId) ??
      result.findings.find((finding) => finding.action === 'block');
    const category =
      deciding?.category ?? (ruleId.startsWith('policy.tool') ? 'tool_policy' : undefined);
    const where = surfaceLabel(surface, tool);
    const hint = remediationHint(category);
    super(
      `Warden blocked the ${where}: ${ruleId}${category === undefined ? '' : ` (${category})`}. ${hint}`,
    );
    this.ruleId = ruleId;
    this.category = category;
    this.surface = surface;
    this.decision = result.decision;
    this.tool = tool;
    this.hint = hint;
    this.eventId = details.eventId;
    this.result = result;
  }
}

/** True for a WardenBlockedError, also across package copies. */
export function isWardenBlockedError(error: unknown): error is WardenBlockedError {
  return (
    error instanceof WardenBlockedError ||
    (typeof error === 'object' &&
      error !== null &&
      (error as { code?: unknown }).code === 'WARDEN_BLOCKED' &&
      (error as { name?: unknown }).name === 'WardenBlockedError')
  );
}

function surfaceLabel(surface: ScanKind, tool: string | undefined): string {
  switch (surface) {
    case 'input':
      return 'user input';
    case 'output':
      return 'model output';
    case 'tool_args':
      return tool === undefined ? 'tool call' : `call of tool "${tool}"`;
    case 'tool_result':
      return tool === undefined ? 'tool result' : `result of tool "${tool}"`;
    case 'document':
      return 'document';
  }
}
