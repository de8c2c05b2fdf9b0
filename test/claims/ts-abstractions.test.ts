/**
 * Claims of the "abstractions" section on the TypeScript demos, in real worker threads:
 * a queue between threads (MessagePorts), an active object that rejects its caller's
 * Promise on failure and ends its thread after the queue, and a deadline (AbortSignal)
 * that cancels the jobs still waiting while Promise.allSettled waits for all of them.
 */
import { describe, expect, it } from 'vitest';
import { expectFitsSlide, figure, runDemo } from '../helpers/run-demo.ts';

describe('abstractions (TypeScript)', () => {
  it('a queue between worker threads delivers every item exactly once and every thread exits', async () => {
    const result = await runDemo('worker', 'abstractions/queue_workers.ts');
    expect(result.exit.code).toBe(0);
    expectFitsSlide(result);
    const put = figure(result, 'put');
    expect(put).toBe(1000);
    expect(figure(result, 'taken')).toBe(put);
    expect(figure(result, 'duplicates')).toBe(0);
    expect(figure(result, 'missing')).toBe(0);
    const perConsumer = [...result.text.matchAll(/consumer \d: ([\d,]+) items/g)].map((m) => Number(m[1]?.replace(/,/g, '')));
    expect(perConsumer).toHaveLength(3);
    expect(perConsumer.reduce((a, b) => a + b, 0)).toBe(put);
    expect(result.text).toContain('threads exited with code 0: 4 of 4');
    expect(result.raw).toContain('\x1b]7770;duplicates: 0, missing: 0\x07');
  });

  it('an active object in a worker thread: one request at a time, a failure rejects the caller, close() ends the thread after the queue', async () => {
    const result = await runDemo('worker', 'abstractions/active_object_worker.ts');
    expect(result.exit.code).toBe(0);
    expectFitsSlide(result);
    expect(figure(result, 'balance')).toBe(210);
    expect(result.text).toContain('balance: 210 (expected 210)');
    expect(figure(result, 'max concurrent access')).toBe(1);
    expect(result.text).toContain('deposit(-5) rejects:\n  RangeError: deposits must be positive');
    expect(result.text).toContain('close(): 3 of 3 queued deposits done,');
    expect(figure(result, 'owner thread exit code')).toBe(0);
  });

  it('one AbortSignal deadline cancels the jobs still waiting; allSettled waits for all', async () => {
    const result = await runDemo('worker', 'abstractions/taskgroup_timeout.ts');
    expect(result.exit.code).toBe(0);
    expectFitsSlide(result);
    const events = [...result.text.matchAll(/^\s+(\d+\.\d+) s\s+(mirror-\w): (done|cancelled)$/gm)].map((m) => ({ at: Number(m[1]), name: m[2], what: m[3] }));
    expect(events.map(({ name, what }) => `${name} ${what}`).sort()).toEqual(['mirror-a done', 'mirror-b done', 'mirror-c cancelled', 'mirror-d cancelled']);
    for (const { at, what } of events) {
      if (what === 'done') expect(at).toBeLessThan(0.5);
      else expect(at).toBeGreaterThanOrEqual(0.49); // timers may fire a hair early by performance.now()
    }
    const timedOut = Number(/^TimeoutError after (\d+\.\d+) s$/m.exec(result.text)?.[1]);
    expect(timedOut).toBeGreaterThanOrEqual(0.49);
    expect(timedOut).toBeLessThan(0.8);
    expect(figure(result, 'done')).toBe(2);
    expect(figure(result, 'cancelled')).toBe(2);
    expect(result.raw).toMatch(/\x1b\]7770;TimeoutError after \d\.\d\d s\x07/);
  });
});
