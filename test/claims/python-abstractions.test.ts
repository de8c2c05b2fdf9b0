/**
 * Claims of the "abstractions" section, checked on the real CPython: a bounded queue with
 * worker threads hands out every item exactly once and shuts down on sentinels; an active
 * object (a one-thread executor) serializes access, carries the printer's exception to the
 * caller and shuts down cleanly; an asyncio TaskGroup under asyncio.timeout cancels the
 * tasks still waiting at the deadline and leaves none behind. Each demo runs through the
 * deck's own runner and, with plain python3, on emulated machines (start method and cores).
 */
import { describe, expect, it } from 'vitest';
import { expectFitsSlide, figure, MACHINES, runDemo, runPythonOn } from '../helpers/run-demo.ts';
import type { DemoResult } from '../helpers/run-demo.ts';

const ok = { code: 0, signal: null };

/** Thread and asyncio demos: the machines contract section 5 names (spawn and forkserver on 2 cores, fork on 1 and 8). */
const THREAD_MACHINES = MACHINES.filter(({ startMethod, cpus }) => (startMethod === 'fork' ? cpus === 1 || cpus === 8 : cpus === 2));

const RUNS: readonly [string, (demo: string) => Promise<DemoResult>][] = [
  ['the deck runner', (demo) => runDemo('python', demo)],
  ...THREAD_MACHINES.map(({ startMethod, cpus }): [string, (demo: string) => Promise<DemoResult>] => [`${startMethod}, ${cpus} cores`, (demo) => runPythonOn(demo, { startMethod, cpus })]),
];

describe.each(RUNS)('abstractions (python), %s', (_, run) => {
  it('a bounded queue with one sentinel per worker: every item taken exactly once, no worker left running', async () => {
    const result = await run('abstractions/queue_workers.py');
    expect(result.exit).toEqual(ok);
    expectFitsSlide(result);
    const put = figure(result, 'put');
    expect(put).toBe(60);
    expect(figure(result, 'taken')).toBe(put);
    expect(figure(result, 'duplicates')).toBe(0);
    expect(figure(result, 'missing')).toBe(0);
    expect(figure(result, 'workers still running')).toBe(0);
    const perWorker = [...result.text.matchAll(/worker \d: (\d+) items/g)].map((m) => Number(m[1]));
    expect(perWorker).toHaveLength(3);
    expect(perWorker.reduce((a, b) => a + b, 0)).toBe(put);
    expect(result.raw).toContain('\x1b]7770;duplicates: 0, missing: 0\x07');
  });

  it('an active object serializes access, re-raises the printer\'s error in the caller and shuts down after its queue', async () => {
    const result = await run('abstractions/active_object.py');
    expect(result.exit).toEqual(ok);
    expectFitsSlide(result);
    expect(figure(result, 'pages printed')).toBe(8 * 25);
    expect(figure(result, 'distinct page numbers')).toBe(8 * 25);
    expect(figure(result, 'max concurrent access')).toBe(1);
    expect(result.raw).toContain('\x1b]7770;max concurrent access: 1\x07');
    // The exception raised in the printer's thread reaches the caller through its future.
    expect(result.text).toContain('print_page("") -> result() raises:\n  ValueError: empty page');
    // close() finished the queued requests, then ended the one thread.
    expect(result.text).toContain('close(): 3 of 3 queued pages done,');
    expect(figure(result, 'printer threads left')).toBe(0);
  });

  it('a TaskGroup under asyncio.timeout: tasks done before the deadline finish, the rest are cancelled at it, TimeoutError, no task left', async () => {
    const result = await run('abstractions/taskgroup_timeout.py');
    expect(result.exit).toEqual(ok);
    expectFitsSlide(result);
    const events = [...result.text.matchAll(/^\s+(\d+\.\d+) s\s+(mirror-\w): (done|cancelled)$/gm)].map((m) => ({ at: Number(m[1]), name: m[2], what: m[3] }));
    expect(events.map(({ name, what }) => `${name} ${what}`).sort()).toEqual(['mirror-a done', 'mirror-b done', 'mirror-c cancelled', 'mirror-d cancelled']);
    const timedOut = Number(/^TimeoutError after (\d+\.\d+) s$/m.exec(result.text)?.[1]);
    console.log(`task group: ${events.map(({ at, name, what }) => `${name} ${what} at ${at}`).join(', ')}; TimeoutError after ${timedOut} s`);
    for (const { at, what } of events) {
      if (what === 'done') expect(at).toBeLessThan(0.5);
      else expect(at).toBeGreaterThanOrEqual(0.5);
    }
    expect(timedOut).toBeGreaterThanOrEqual(0.5);
    expect(timedOut).toBeLessThan(0.8); // cancelled at the deadline, not when the slow ones would have ended
    expect(figure(result, 'tasks still running')).toBe(0);
    expect(result.raw).toMatch(/\x1b\]7770;TimeoutError after \d\.\d\d s\x07/);
  });
});
