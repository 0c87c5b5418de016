import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanEvent } from '@warden/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testEvent } from '../testing/events.js';
import { Spool } from './spool.js';

function scanEvent(): ScanEvent {
  return testEvent({ agentId: 'spool-test' });
}

describe('event spool', () => {
  let directory: string;
  const errors: Error[] = [];
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'warden-spool-'));
    errors.length = 0;
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  /** A spool whose live set is the array the test keeps (as Telemetry keeps its queue). */
  async function openSpool(live: ScanEvent[] = [], compactMinBytes?: number) {
    const opened = await Spool.open({
      directory,
      live: () => live,
      onError: (error) => errors.push(error),
      ...(compactMinBytes === undefined ? {} : { compactMinBytes }),
    });
    await opened.spool.start();
    return { ...opened, live };
  }

  it('replays appended events that were not acknowledged', async () => {
    const { spool, live } = await openSpool();
    const events = [scanEvent(), scanEvent(), scanEvent()];
    for (const event of events) {
      live.push(event);
      spool.append(event);
    }
    live.shift();
    spool.acknowledge(events[0]!.id);
    await spool.settle();
    expect(spool.count).toBe(2);
    // A crash: no close(); the lock stays with this (live) process, so free it by hand.
    await rm(join(spool.slot, 'lock'));
    const reopened = await openSpool();
    expect(reopened.events.map((event) => event.id)).toEqual([events[1]!.id, events[2]!.id]);
    expect(reopened.spool.slot).toBe(spool.slot);
    await reopened.spool.close();
    await spool.close();
  });

  it('skips a torn last line (a crash mid-write) and rewrites the spool clean', async () => {
    const slot = join(directory, 'slot-0');
    await mkdir(slot, { recursive: true });
    const kept = scanEvent();
    await writeFile(
      join(slot, 'segment-00000001.jsonl'),
      `{"e":${JSON.stringify(kept)}}\n{"e":{"id":"${randomUUID()}","timest`,
    );
    const { spool, events, skippedLines } = await openSpool([kept]);
    expect(events.map((event) => event.id)).toEqual([kept.id]);
    expect(skippedLines).toBe(1);
    const segments = (await readdir(slot)).filter((name) => name.startsWith('segment-'));
    expect(segments).toEqual(['segment-00000002.jsonl']);
    expect(await readFile(join(slot, segments[0]!), 'utf8')).toBe(
      `{"e":${JSON.stringify(kept)}}\n`,
    );
    await spool.close();
  });

  it('never loads a line that carries raw argument values', async () => {
    const slot = join(directory, 'slot-0');
    await mkdir(slot, { recursive: true });
    await writeFile(
      join(slot, 'segment-00000001.jsonl'),
      `{"e":${JSON.stringify({ ...scanEvent(), argumentValues: { a: 'secret' } })}}\n`,
    );
    const { spool, events, skippedLines } = await openSpool();
    expect(events).toEqual([]);
    expect(skippedLines).toBe(1);
    await spool.close();
  });

  it('compacts so the files stay near the live events, however many pass through', async () => {
    const { spool, live } = await openSpool([], 16 * 1024);
    for (let round = 0; round < 2000; round += 1) {
      const event = scanEvent();
      live.push(event);
      spool.append(event);
      if (live.length > 10) spool.acknowledge(live.shift()!.id);
      if (round % 100 === 0) await spool.settle();
    }
    await spool.settle();
    let bytes = 0;
    for (const name of await readdir(spool.slot))
      bytes += (await stat(join(spool.slot, name))).size;
    // 2,000 events of ~330 bytes went through (~650 kB); at most the threshold and a bit stay.
    expect(bytes).toBeLessThan(40 * 1024);
    await spool.close();
    const reopened = await openSpool();
    expect(reopened.events.map((event) => event.id)).toEqual(live.map((event) => event.id));
    await reopened.spool.close();
  });

  it('gives each process on one directory a slot of its own, and takes over a dead one’s', async () => {
    const first = await openSpool();
    const second = await openSpool();
    expect(first.spool.slot).not.toBe(second.spool.slot);
    // A process that died: its lock names a pid that no longer runs.
    const deadSlot = join(directory, 'slot-5');
    await mkdir(deadSlot, { recursive: true });
    await writeFile(join(deadSlot, 'lock'), '2147483646 dead\n');
    const orphan = scanEvent();
    await writeFile(join(deadSlot, 'segment-00000003.jsonl'), `{"e":${JSON.stringify(orphan)}}\n`);
    const third = await Spool.open({ directory, live: () => [orphan], onError: () => {} });
    expect(third.adoptedSlots).toBe(1);
    expect(third.events.map((event) => event.id)).toEqual([orphan.id]);
    await third.spool.start();
    // The orphan's events now live in the new owner's slot; the dead slot is gone.
    expect((await readdir(directory)).includes('slot-5')).toBe(false);
    await Promise.all([first.spool.close(), second.spool.close(), third.spool.close()]);
    expect(errors).toEqual([]);
  });
});
