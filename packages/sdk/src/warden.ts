import { randomUUID } from 'node:crypto';
import {
  type AsyncScanResult,
  createScanner,
  type Decision,
  isWardenError,
  type Layer,
  type ScanInput,
  type ScanKind,
  type Scanner,
  type ScannerOptions,
  type ScanResult,
} from '@warden/scanner';
import { WardenBlockedError, WardenSdkError } from './errors.js';
import {
  type AnonymizeOptions,
  anonymizeName,
  argumentValues,
  toIdentifier,
  toRuleId,
} from './identifiers.js';
import { createPolicySync, type PolicySync } from './policy-sync/index.js';
import {
  createTelemetry,
  type PendingEvent,
  type Telemetry,
  type TelemetryOptions,
  type TelemetryStats,
} from './telemetry/index.js';
import { SDK_VERSION } from './version.js';

/** What the guard does about a block on a surface: throw WardenBlockedError, or hand back a replacement. */
export type BlockBehavior = 'throw' | 'replace';

/** Where the control plane is and how to talk to it. */
export interface ControlPlaneOptions {
  /** Base URL of the control plane, e.g. `https://warden.example.com`. */
  endpoint: string;
  /** A project API key with scope `ingest` (and `policy:read` for policy sync). */
  apiKey: string;
  /** A directory for the durable event spool, the last good policy and the hash key. Default: memory only. */
  dataDir?: string;
  /** Pull the project's signed policy and scan with it (default true). */
  policySync?: boolean;
  /**
   * Ed25519 public keys that may sign policy bundles, by key id (raw bytes or base64url), as
   * `GET /v1/policy/keys` lists them. Pinning is stronger than the default, which trusts the
   * key the control plane presents on first use and then keeps it.
   */
  policyPublicKeys?: Record<string, Uint8Array | string>;
  /** How often to check for a new policy (default 30 s). */
  policyRefreshMs?: number;
  /** Fine-tuning of event delivery (batch size, queue bound, timeouts). */
  telemetry?: Omit<TelemetryOptions, 'endpoint' | 'apiKey' | 'spoolDir' | 'onError'>;
}

/** Options of createWarden. Every field is optional. */
export interface WardenOptions {
  /** `enforce` (default) blocks and redacts; `monitor` never does, but records what it would have done. */
  mode?: 'enforce' | 'monitor';
  /** The agent these checks belong to, as reported with events (default `default`). */
  agentId?: string;
  /** A local policy document (JSON or YAML parsed). A policy published on the control plane replaces it. */
  policy?: unknown;
  /** Scanner settings: layers, the L3 judge, custom rules. */
  scanner?: Omit<ScannerOptions, 'policy'>;
  /** Report events to a control plane and pull its policy. Absent: nothing leaves the process. */
  controlPlane?: ControlPlaneOptions;
  /**
   * What a block does per surface (default `throw` everywhere). `replace` hands back
   * `refusalMessage` in place of a model output, or of a tool result the model would have read.
   */
  onBlock?: { output?: BlockBehavior; toolResult?: BlockBehavior; document?: BlockBehavior };
  /** The text that replaces blocked content when `onBlock` says `replace`. */
  refusalMessage?: string;
  /** Pseudonyms for resource names in reported events. */
  anonymize?: AnonymizeOptions;
  /** Called after every check with its report (no text): for local logs and metrics. */
  onCheck?: (report: CheckReport) => void;
  /** Called when telemetry or policy sync fails. They never throw into the agent. Default: ignored. */
  onError?: (error: Error) => void;
}

/** Per-call details. */
export interface CheckContext {
  /** Overrides the guard's agent id for this check. */
  agentId?: string;
  /** Rejects a pending judge call (layer l3) with the signal's reason. */
  signal?: AbortSignal;
}

/** What a check decided, with the value to carry on with. */
export interface CheckOutcome<T> {
  /** What Warden did: in monitor mode never more than `alert`. */
  decision: Decision;
  /** What the policy says when enforced. */
  policyDecision: Decision;
  /** The value to use: the original, the redacted one, or the refusal message. */
  value: T;
  /** True when `value` is not the original (redacted or replaced). */
  changed: boolean;
  /** The id of the event recorded for this check. */
  eventId: string;
  /** Findings, scores, layers; never the text. */
  result: AsyncScanResult;
}

/** The report given to `onCheck`. */
export interface CheckReport {
  surface: ScanKind;
  tool?: string;
  decision: Decision;
  policyDecision: Decision;
  eventId: string;
  result: ScanResult;
}

/** A tool call as the model produced it. */
export interface ToolCall {
  tool: string;
  /** The arguments object, or the JSON string of it. */
  arguments: unknown;
  /** Tags of the tool, merged with the policy's. */
  tags?: readonly string[];
}

/** A tool's result, before the model reads it. */
export interface ToolResult {
  tool: string;
  text: string;
}

/**
 * Checks a model output while it streams. `push` each delta before passing it on: it throws
 * WardenBlockedError as soon as the text seen so far is blocked. `end` checks the whole text.
 */
export interface OutputStreamGuard {
  push(delta: string): void;
  end(): Promise<CheckOutcome<string>>;
  /** The text pushed so far. */
  readonly text: string;
}

/** Counters of the guard's life so far. */
export interface WardenStats {
  checks: number;
  blocked: number;
  /** Checks that would have blocked in enforce mode (monitor mode). */
  wouldBlock: number;
  redacted: number;
  /** Policy in use: its name and where it came from. */
  policy: { name: string; revision?: string; source: 'default' | 'local' | 'control-plane' };
  telemetry?: TelemetryStats;
}

/** The guard: checks for each surface of an agent's traffic. */
export interface Warden {
  readonly mode: 'enforce' | 'monitor';
  /** The scanner in use (it changes when a new policy arrives). */
  readonly scanner: Scanner;
  /** Checks what a user sent before the model reads it. */
  checkInput(text: string, context?: CheckContext): Promise<CheckOutcome<string>>;
  /** Checks what the model answered before the user or a renderer sees it. */
  checkOutput(text: string, context?: CheckContext): Promise<CheckOutcome<string>>;
  /** Checks a tool call before it runs; the outcome's value is the arguments to run it with. */
  checkToolCall(call: ToolCall, context?: CheckContext): Promise<CheckOutcome<unknown>>;
  /** Checks a tool result before the model reads it. */
  checkToolResult(result: ToolResult, context?: CheckContext): Promise<CheckOutcome<string>>;
  /** Checks a retrieved document (RAG) before the model reads it. */
  checkDocument(text: string, context?: CheckContext): Promise<CheckOutcome<string>>;
  /** Checks a model output as it streams. */
  guardOutputStream(context?: CheckContext): OutputStreamGuard;
  /** Adds confirmed attacks as signatures; they survive policy updates. */
  addSignatures(
    texts: readonly string[],
    options?: Parameters<Scanner['addSignatures']>[1],
  ): number;
  stats(): WardenStats;
  /** Resolves once a first policy pull finished (or failed): optional, checks never wait for it. */
  ready(): Promise<void>;
  /** Delivers queued events now. Never throws. */
  flush(options?: { timeoutMs?: number }): Promise<void>;
  /** Stops timers and delivers what it can. Checks keep working afterwards, without telemetry. */
  shutdown(options?: { timeoutMs?: number }): Promise<void>;
}

const DECISION_ORDER: readonly Decision[] = ['allow', 'alert', 'redact', 'block'];
const STREAM_SCAN_EVERY = 256;
const STREAM_WINDOW = 4096;
const DEFAULT_REFUSAL = '[Warden withheld this content: it was blocked by policy.]';

function validateOptions(options: WardenOptions): void {
  const problems: string[] = [];
  if (options.mode !== undefined && options.mode !== 'enforce' && options.mode !== 'monitor')
    problems.push(`mode: expected "enforce" or "monitor", got ${JSON.stringify(options.mode)}`);
  if (
    options.agentId !== undefined &&
    (typeof options.agentId !== 'string' || options.agentId === '')
  )
    problems.push('agentId: expected a non-empty string');
  for (const [surface, behavior] of Object.entries(options.onBlock ?? {})) {
    if (behavior !== 'throw' && behavior !== 'replace')
      problems.push(
        `onBlock.${surface}: expected "throw" or "replace", got ${JSON.stringify(behavior)}`,
      );
  }
  const plane = options.controlPlane;
  if (plane !== undefined) {
    try {
      const url = new URL(plane.endpoint);
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        problems.push(`controlPlane.endpoint: expected an http(s) URL, got ${url.protocol}`);
    } catch {
      problems.push(`controlPlane.endpoint: not a URL: ${JSON.stringify(plane.endpoint)}`);
    }
    if (typeof plane.apiKey !== 'string' || plane.apiKey.trim() === '')
      problems.push('controlPlane.apiKey: expected the project API key (a non-empty string)');
  }
  if (problems.length > 0)
    throw new WardenSdkError(
      'WARDEN_SDK_OPTIONS_INVALID',
      `Invalid Warden options: ${problems.join('; ')}`,
    );
}

function buildScanner(options: WardenOptions, policy: unknown): Scanner {
  try {
    return createScanner({ ...options.scanner, ...(policy === undefined ? {} : { policy }) });
  } catch (error) {
    if (isWardenError(error))
      throw new WardenSdkError(
        'WARDEN_SDK_OPTIONS_INVALID',
        `Invalid Warden options: ${error.message}`,
        {
          cause: error,
        },
      );
    throw error;
  }
}

/**
 * Creates the guard. With `controlPlane`, events (metadata only) are reported and the
 * project's signed policy is pulled; without it nothing leaves the process.
 * @example const warden = createWarden({ controlPlane: { endpoint, apiKey } });
 * await warden.checkInput(userMessage); // throws WardenBlockedError on an attack
 */
export function createWarden(options: WardenOptions = {}): Warden {
  validateOptions(options);
  const mode = options.mode ?? 'enforce';
  const agentId = options.agentId ?? 'default';
  let scanner = buildScanner(options, options.policy);
  let policySource: WardenStats['policy']['source'] =
    options.policy === undefined ? 'default' : 'local';
  const counters = { checks: 0, blocked: 0, wouldBlock: 0, redacted: 0 };
  const onError = options.onError ?? (() => {});
  const plane = options.controlPlane;
  let telemetry: Telemetry | undefined;
  let policySync: PolicySync | undefined;
  let readyPromise: Promise<void> = Promise.resolve();
  let stopped = false;
  const anonymizeKey = options.anonymize?.key ?? `warden.anonymize:${plane?.apiKey ?? ''}`;
  const toolMode =
    options.anonymize === undefined ? 'none' : (options.anonymize.tools ?? 'resources');

  if (plane !== undefined) {
    telemetry = createTelemetry({
      ...plane.telemetry,
      endpoint: plane.endpoint,
      apiKey: plane.apiKey,
      ...(plane.dataDir === undefined ? {} : { spoolDir: plane.dataDir }),
      onError,
    });
    if (plane.policySync !== false) {
      policySync = createPolicySync({
        endpoint: plane.endpoint,
        apiKey: plane.apiKey,
        ...(plane.dataDir === undefined ? {} : { cacheDir: plane.dataDir }),
        ...(plane.policyPublicKeys === undefined ? {} : { publicKeys: plane.policyPublicKeys }),
        ...(plane.policyRefreshMs === undefined ? {} : { intervalMs: plane.policyRefreshMs }),
        ...(plane.telemetry?.fetch === undefined ? {} : { fetch: plane.telemetry.fetch }),
        // A bundle signed for another organisation than the API key's is refused.
        organizationId: () => telemetry?.identity()?.organizationId,
        onPolicy: (policy) => {
          try {
            const next = buildScanner(options, policy);
            const signatures = scanner.exportSignatures();
            if (signatures.byteLength > 0) next.importSignatures(signatures);
            scanner = next;
            policySource = 'control-plane';
          } catch (error) {
            onError(error instanceof Error ? error : new Error(String(error)));
          }
        },
        onError,
      });
      readyPromise = policySync.start().catch((error: unknown) => {
        onError(error instanceof Error ? error : new Error(String(error)));
      });
    }
  }

  function reportedName(name: string, anonymize: 'resources' | 'all' | 'none'): string {
    return toIdentifier(anonymize === 'none' ? name : anonymizeName(name, anonymize, anonymizeKey));
  }

  function record(
    surface: ScanKind,
    result: ScanResult,
    decision: Decision,
    context: CheckContext | undefined,
    tool: string | undefined,
    args: unknown,
  ): string {
    const id = randomUUID();
    if (telemetry === undefined || stopped) return id;
    const ruleIds: string[] = [];
    for (const finding of result.findings) {
      const ruleId = toRuleId(finding.ruleId);
      if (ruleId !== undefined && !ruleIds.includes(ruleId)) ruleIds.push(ruleId);
      if (ruleIds.length === 64) break;
    }
    const failed = [...new Set(result.errors.map((error) => error.layer))];
    const layers: Layer[] = result.layers.length > 0 ? [...result.layers] : ['l1'];
    const event: PendingEvent = {
      id,
      timestamp: new Date().toISOString(),
      agentId: options.anonymize?.agent
        ? reportedName(context?.agentId ?? agentId, 'all')
        : toIdentifier(context?.agentId ?? agentId),
      type: 'scan',
      surface,
      decision,
      policyDecision: result.policyDecision,
      risk: Math.min(1, Math.max(0, result.risk)),
      categories: [...result.categories],
      ruleIds,
      matchedRule: result.matchedRule === null ? null : (toRuleId(result.matchedRule) ?? null),
      layers,
      latencyMs: Math.min(600_000, Math.max(0, result.latencyMs)),
      ...(failed.length > 0 ? { failedLayers: failed } : {}),
      policy: {
        name: toIdentifier(result.policy.name),
        ...(result.policy.revision === undefined
          ? {}
          : { revision: toIdentifier(result.policy.revision) }),
      },
      ...(tool === undefined ? {} : { toolName: reportedName(tool, toolMode) }),
      ...(args === undefined ? {} : { argumentValues: argumentValues(args) }),
      sdkVersion: SDK_VERSION,
    };
    telemetry.record(event);
    return id;
  }

  /** The decision Warden acts on: the scanner's, capped at `alert` in monitor mode. */
  function effectiveDecision(result: ScanResult): Decision {
    if (mode === 'enforce') return result.decision;
    const policy = result.policyDecision;
    return DECISION_ORDER.indexOf(policy) > DECISION_ORDER.indexOf('alert') ? 'alert' : policy;
  }

  function finish<T>(
    surface: ScanKind,
    result: AsyncScanResult,
    original: T,
    context: CheckContext | undefined,
    tool: string | undefined,
    args: unknown,
  ): CheckOutcome<T> {
    counters.checks += 1;
    let decision = effectiveDecision(result);
    let value = original;
    let changed = false;
    if (mode === 'monitor' && result.policyDecision === 'block') counters.wouldBlock += 1;
    if (decision === 'redact') {
      const redacted = surface === 'tool_args' ? result.redactedArguments : result.redactedText;
      if (redacted === undefined) {
        // Nothing to redact with (e.g. the finding has no span): block rather than let it through.
        decision = 'block';
      } else {
        value = redacted as T;
        changed = true;
        counters.redacted += 1;
      }
    }
    const eventId = record(surface, result, decision, context, tool, args);
    const report: CheckReport = {
      surface,
      decision,
      policyDecision: result.policyDecision,
      eventId,
      result,
      ...(tool === undefined ? {} : { tool }),
    };
    if (decision === 'block') {
      counters.blocked += 1;
      const behavior = blockBehavior(surface);
      options.onCheck?.(report);
      if (behavior === 'throw') throw new WardenBlockedError({ surface, result, eventId, tool });
      return {
        decision,
        policyDecision: result.policyDecision,
        value: (options.refusalMessage ?? DEFAULT_REFUSAL) as T,
        changed: true,
        eventId,
        result,
      };
    }
    options.onCheck?.(report);
    return { decision, policyDecision: result.policyDecision, value, changed, eventId, result };
  }

  function blockBehavior(surface: ScanKind): BlockBehavior {
    if (surface === 'output') return options.onBlock?.output ?? 'throw';
    if (surface === 'tool_result') return options.onBlock?.toolResult ?? 'throw';
    if (surface === 'document') return options.onBlock?.document ?? 'throw';
    return 'throw';
  }

  async function check<T>(
    input: ScanInput,
    original: T,
    context: CheckContext | undefined,
    tool: string | undefined,
    args: unknown,
  ): Promise<CheckOutcome<T>> {
    const result = await scanner.scanAsync(
      input,
      context?.signal === undefined ? undefined : { signal: context.signal },
    );
    return finish(input.kind, result, original, context, tool, args);
  }

  function requireText(value: unknown, what: string): string {
    if (typeof value !== 'string')
      throw new WardenSdkError(
        'WARDEN_SDK_OPTIONS_INVALID',
        `${what}: expected a string, got ${typeof value}`,
      );
    return value;
  }

  function requireTool(value: unknown, what: string): string {
    if (typeof value !== 'string' || value === '')
      throw new WardenSdkError(
        'WARDEN_SDK_OPTIONS_INVALID',
        `${what}: expected the tool name (a non-empty string)`,
      );
    return value;
  }

  return {
    mode,
    get scanner() {
      return scanner;
    },
    async checkInput(text, context) {
      const value = requireText(text, 'checkInput');
      return check({ kind: 'input', text: value }, value, context, undefined, undefined);
    },
    async checkOutput(text, context) {
      const value = requireText(text, 'checkOutput');
      return check({ kind: 'output', text: value }, value, context, undefined, undefined);
    },
    async checkDocument(text, context) {
      const value = requireText(text, 'checkDocument');
      return check({ kind: 'document', text: value }, value, context, undefined, undefined);
    },
    async checkToolCall(call, context) {
      const tool = requireTool(call?.tool, 'checkToolCall');
      return check(
        {
          kind: 'tool_args',
          tool,
          arguments: call.arguments,
          ...(call.tags === undefined ? {} : { tags: call.tags }),
        },
        call.arguments,
        context,
        tool,
        call.arguments ?? {},
      );
    },
    async checkToolResult(toolResult, context) {
      const tool = requireTool(toolResult?.tool, 'checkToolResult');
      const text = requireText(toolResult.text, 'checkToolResult.text');
      return check({ kind: 'tool_result', tool, text }, text, context, tool, undefined);
    },
    guardOutputStream(context) {
      let text = '';
      let scannedUpTo = 0;
      let ended = false;
      return {
        get text() {
          return text;
        },
        push(delta) {
          if (ended) throw new WardenSdkError('WARDEN_SDK_OPTIONS_INVALID', 'push after end()');
          text += delta;
          if (text.length - scannedUpTo < STREAM_SCAN_EVERY) return;
          scannedUpTo = text.length;
          const window =
            text.length > STREAM_WINDOW ? text.slice(text.length - STREAM_WINDOW) : text;
          const result = scanner.scan({ kind: 'output', text: window });
          if (effectiveDecision(result) === 'block') {
            ended = true;
            // A stream cannot take back what it already passed on: it stops, whatever onBlock says.
            const outcome = finish('output', result, text, context, undefined, undefined);
            throw new WardenBlockedError({ surface: 'output', result, eventId: outcome.eventId });
          }
        },
        async end() {
          ended = true;
          const result = await scanner.scanAsync(
            { kind: 'output', text },
            context?.signal === undefined ? undefined : { signal: context.signal },
          );
          return finish('output', result, text, context, undefined, undefined);
        },
      };
    },
    addSignatures(texts, signatureOptions) {
      return scanner.addSignatures(texts, signatureOptions);
    },
    stats() {
      return {
        ...counters,
        policy: {
          name: scanner.policy.name,
          ...(scanner.policy.revision === undefined ? {} : { revision: scanner.policy.revision }),
          source: policySource,
        },
        ...(telemetry === undefined ? {} : { telemetry: telemetry.stats() }),
      };
    },
    ready() {
      return readyPromise;
    },
    async flush(flushOptions) {
      await telemetry?.flush(flushOptions);
    },
    async shutdown(shutdownOptions) {
      if (stopped) return;
      policySync?.stop();
      await telemetry?.shutdown(shutdownOptions);
      stopped = true;
    },
  };
}
