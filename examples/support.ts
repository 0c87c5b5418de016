/**
 * What the example stories share: a real control plane to report to, and small checks. The
 * stories run themselves against it (`npm run examples`) and fail loudly when a promise of the
 * SDK does not hold.
 */
import {
  type StoredEvent,
  startControlPlane,
  type TestControlPlane,
} from '../packages/sdk/src/testing/control-plane.js';

export type { StoredEvent };

/**
 * Starts the real Warden server on an embedded database in a temporary directory, with an
 * owner, a project and a project API key (scopes `ingest`, `policy:read`): what
 * `npm start` and the README's walkthrough give you, in-process.
 */
export function startLocalControlPlane(): Promise<TestControlPlane> {
  return startControlPlane();
}

/** Throws with `message` unless `condition` holds. */
export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`example check failed: ${message}`);
}

/** Polls the control plane until `predicate` holds for its stored events (at most 10 s). */
export async function waitForEvents(
  plane: TestControlPlane,
  predicate: (events: StoredEvent[]) => boolean,
): Promise<StoredEvent[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const events = await plane.events();
    if (predicate(events)) return events;
    if (Date.now() > deadline) {
      throw new Error(
        `example check failed: the control plane has ${events.length} events, not the ones expected: ${JSON.stringify(
          events.map((event) => [event.surface, event.decision, event.toolName, event.matchedRule]),
        )}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Prints one step of a story. */
export function say(story: string, line: string): void {
  console.log(`[${story}] ${line}`);
}

/** Prints what the control plane stored: each event's surface and decision. */
export function sayStored(story: string, events: readonly StoredEvent[]): void {
  say(
    story,
    `the control plane stored ${events.length} events: ${events.map((e) => `${e.surface}:${e.decision}`).join(', ')}`,
  );
}
