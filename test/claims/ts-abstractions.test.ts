/**
 * Claims of the "abstractions" section on the TypeScript demos: semaphore and event,
 * a producer/consumer queue, an active object, a worker pool and a message broker.
 */
import { describe, expect, it } from 'vitest';
import { expectFitsSlide, figure, runDemo } from '../helpers/run-demo.ts';
import { checkSpeedUp } from '../helpers/speed-up.ts';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

describe('abstractions (TypeScript)', () => {
  it('a semaphore of N lets at most N tasks in, and with enough tasks exactly N', async () => {
    const result = await runDemo('worker', 'abstractions/semaphore_async.ts');
    expectFitsSlide(result);
    expect(result.exit.code).toBe(0);
    const limit = figure(result, 'limit');
    expect(figure(result, 'tasks')).toBeGreaterThan(limit);
    expect(figure(result, 'max concurrent')).toBeLessThanOrEqual(limit);
    expect(figure(result, 'max concurrent')).toBe(limit);
    // The event: no task got in before it was set.
    expect(figure(result, 'inside before the start event')).toBe(0);
  });

  it('one set() of an event releases every waiting worker thread, and none before', async () => {
    const result = await runDemo('worker', 'abstractions/event_workers.ts');
    expectFitsSlide(result);
    expect(result.exit.code).toBe(0);
    expect(figure(result, 'released')).toBe(figure(result, 'workers waiting on the event'));
    expect(figure(result, 'released before set()')).toBe(0);
  });

  it('a queue between worker threads delivers every item exactly once and shuts down cleanly', async () => {
    const result = await runDemo('worker', 'abstractions/queue_workers.ts');
    expectFitsSlide(result);
    expect(result.exit.code).toBe(0);
    const produced = figure(result, 'produced');
    expect(produced).toBeGreaterThan(0);
    expect(figure(result, 'consumed')).toBe(produced);
    expect(figure(result, 'missing')).toBe(0);
    expect(figure(result, 'duplicates')).toBe(0);
    const exited = /workers exited with code 0: (\d+) of (\d+)/.exec(result.text);
    expect(exited?.[1]).toBeDefined();
    expect(exited?.[1]).toBe(exited?.[2]);
  });

  it('an active object serializes all access to its resource: max concurrent access 1', async () => {
    const result = await runDemo('worker', 'abstractions/active_object_worker.ts');
    expectFitsSlide(result);
    expect(result.exit.code).toBe(0);
    expect(figure(result, 'max concurrent access')).toBe(1);
    expect(figure(result, 'balance')).toBe(figure(result, 'expected balance'));
  });

  it('a worker pool of K threads runs all tasks, right, and faster than one thread', async (ctx) => {
    const result = await checkSpeedUp(ctx, 'abstractions/worker_pool.ts', 1.3);
    expectFitsSlide(result);
    expect(figure(result, 'tasks')).toBeGreaterThan(figure(result, 'workers'));
    expect(figure(result, 'workers')).toBeGreaterThanOrEqual(2);
    expect(result.text).toContain('same results as one thread: yes');
  });

  it('a broker in its own process delivers every message to the worker processes, and no process is left over', async () => {
    const result = await runDemo('process', 'abstractions/message_broker.ts');
    expectFitsSlide(result);
    expect(result.exit).toEqual({ code: 0, signal: null });
    const sent = figure(result, 'messages sent');
    expect(sent).toBeGreaterThan(0);
    expect(figure(result, 'messages delivered')).toBe(sent);
    const perWorker = [...result.text.matchAll(/worker \d+: pid \d+, (\d+) messages/g)].map((m) => Number(m[1]));
    expect(perWorker.length).toBeGreaterThanOrEqual(2);
    expect(perWorker.reduce((a, b) => a + b, 0)).toBe(sent);
    const exited = /processes exited with code 0: (\d+) of (\d+)/.exec(result.text);
    expect(exited?.[1]).toBe(exited?.[2]);
    const pids = (/pids: ([\d ]+)/.exec(result.text)?.[1] ?? '').trim().split(/\s+/).map(Number);
    expect(pids.length).toBe(perWorker.length + 1); // the broker and the workers
    expect(pids.filter(isAlive)).toEqual([]);
  });
});
