/**
 * How many cores something else keeps busy: a `timing` demo recorded then shows figures its
 * slide does not claim. Sampled over a short window while nothing of ours runs (the load
 * average would count the demos just recorded, which use every core themselves).
 */
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Cores busy, on average, over `ms` milliseconds (0 … the number of cores), after `settleMs`
 * in which what our last run left behind calms down (a runner starts its next interpreter
 * when a run ends).
 */
export async function measureBusyCores(ms = 500, settleMs = 500): Promise<number> {
  await sleep(settleMs);
  const before = cpuTimes();
  await sleep(ms);
  const after = cpuTimes();
  const total = after.total - before.total;
  if (total <= 0) return 0;
  return (1 - (after.idle - before.idle) / total) * after.cores;
}

function cpuTimes(): { idle: number; total: number; cores: number } {
  const all = cpus();
  let idle = 0;
  let total = 0;
  for (const { times } of all) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total, cores: all.length };
}
