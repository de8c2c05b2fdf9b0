/**
 * `npm run bench`: measures the deck against the bare runtimes it wraps and prints the
 * figures against their aims. A measurement, not a test: a missed aim prints MISSED and
 * still exits 0; only a bench that could not measure exits 1.
 *
 *   BENCH_SAMPLES=15        latency samples per runtime (after BENCH_WARMUPS=2); 0 skips latency
 *   BENCH_RUNS=5            throughput and fan-out runs per path (after one warm-up)
 *   BENCH_FLOODS=python,worker   which floods to measure; empty skips the browser part
 *   BENCH_FANOUT=1          0 skips the fan-out part (the python flood to one page and BENCH_AUDIENCE=50 audience sockets)
 *   BENCH_STOPS=10          stops of a busy tree per runtime (after one warm-up); 0 skips them
 *   BENCH_TRACE_ROUNDS=5    traced and untraced runs of each demo of trace-cost.ts (Python and one worker demo) (after a warm-up); 0 skips them
 *   --soak                  also runs BENCH_SOAK_RUNS=1000 demos back to back (BENCH_SOAK_MINUTES=20 at most)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { RuntimeName } from '../server/runtimes.ts';
import { isRuntimeName } from '../server/runtimes.ts';
import { measureFanOut } from './fan-out.ts';
import type { FanOutResult } from './fan-out.ts';
import { measureLatency } from './latency.ts';
import type { LatencyResult } from './latency.ts';
import { initialWeight, measurePageWeight, PAGE_WEIGHT_AIM_GZIP_BYTES, pageWeightTable } from './page-weight.ts';
import { fanOutFigures, fanOutTable, figure, figuresTable, formatRecord, latencyFigures, latencyTable, record, soakFigures, soakTable, stopFigures, stopTable, throughputFigures, throughputTable } from './report.ts';
import type { Figure } from './report.ts';
import { runSoak } from './soak.ts';
import type { SoakResult } from './soak.ts';
import { measureStopLatency } from './stop-latency.ts';
import type { StopResult } from './stop-latency.ts';
import { measureThroughput } from './throughput.ts';
import { measureTraceCost, traceCostFigures, traceCostTable } from './trace-cost.ts';
import type { TraceCostResult } from './trace-cost.ts';
import type { ThroughputResult } from './throughput.ts';

const resultsFile = fileURLToPath(new URL('./results/latest.json', import.meta.url));

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not "${process.env[name]}"`);
  return value;
}

function floodsFromEnv(): RuntimeName[] {
  const names = (process.env['BENCH_FLOODS'] ?? 'python,worker').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = names.filter((n) => !isRuntimeName(n));
  if (unknown.length > 0) throw new Error(`BENCH_FLOODS: unknown runtime ${unknown.join(', ')}`);
  return names.filter(isRuntimeName);
}

async function main(): Promise<number> {
  const settings = {
    latencySamples: numberFromEnv('BENCH_SAMPLES', 15),
    latencyWarmups: numberFromEnv('BENCH_WARMUPS', 2),
    throughputRuns: Math.max(1, numberFromEnv('BENCH_RUNS', 5)),
    floods: floodsFromEnv(),
    fanOut: numberFromEnv('BENCH_FANOUT', 1) > 0,
    audience: Math.max(1, numberFromEnv('BENCH_AUDIENCE', 50)),
    stopSamples: numberFromEnv('BENCH_STOPS', 10),
    soakRuns: parseArgs({ options: { soak: { type: 'boolean', default: false } }, strict: true }).values.soak ? numberFromEnv('BENCH_SOAK_RUNS', 1000) : 0,
    soakMaxMinutes: numberFromEnv('BENCH_SOAK_MINUTES', 20),
    traceRounds: numberFromEnv('BENCH_TRACE_ROUNDS', 5),
  };
  const machine = { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, loadavgAtStart: os.loadavg() };
  const errors: string[] = [];

  /** A part that cannot be measured is reported and recorded; the other part still runs. */
  const attempt = async <T>(part: string, measure: () => Promise<T[]>, table: (results: T[]) => string): Promise<T[]> => {
    try {
      const results = await measure();
      console.log(`\n${table(results)}\n`);
      return results;
    } catch (error) {
      errors.push(`${part}: ${describe(error)}`);
      console.error(`ERROR (${part}): ${describe(error)}`);
      return [];
    }
  };
  let latency: LatencyResult[] = [];
  if (settings.latencySamples > 0) {
    console.log(`latency: run to first output, ${settings.latencySamples} samples per runtime after ${settings.latencyWarmups} warm-ups, bare and deck alternating`);
    latency = await attempt('latency', () => measureLatency({ samples: settings.latencySamples, warmups: settings.latencyWarmups }), latencyTable);
  }

  let throughput: ThroughputResult[] = [];
  if (settings.floods.length > 0) {
    console.log(`throughput: 20 MiB into xterm.js in headless chromium, ${settings.throughputRuns} runs per path after a warm-up, direct and deck alternating`);
    throughput = await attempt('throughput', () => measureThroughput({ runs: settings.throughputRuns, runtimes: settings.floods }), throughputTable);
  }
  let fanOut: FanOutResult[] = [];
  if (settings.fanOut) {
    console.log(`fan-out: the python flood to one presenter page in headless chromium, alone and with ${settings.audience} audience sockets watching (one stalled), ${settings.throughputRuns} runs of each after a warm-up, alternating`);
    fanOut = await attempt('fan-out', () => measureFanOut({ runs: settings.throughputRuns, audience: settings.audience }), fanOutTable);
  }
  console.log('page weight: what the page loads first, as the server sends it (dist/client as built)');
  const pageWeight = await attempt('page weight', () => measurePageWeight(), pageWeightTable);

  let stop: StopResult[] = [];
  if (settings.stopSamples > 0) {
    console.log(`stop: \`stop\` to \`exit\` on a busy tree of five spinning processes, ${settings.stopSamples} stops per runtime after a warm-up, then every pid out of /proc`);
    stop = await attempt('stop', () => measureStopLatency({ samples: settings.stopSamples, warmups: 1 }), stopTable);
  }
  let traceCost: TraceCostResult[] = [];
  if (settings.traceRounds > 0) {
    console.log(`trace cost: demos traced for the timeline against untraced, ${settings.traceRounds} runs of each after a warm-up, alternating`);
    traceCost = await attempt('trace cost', () => measureTraceCost({ rounds: settings.traceRounds, demosDir: fileURLToPath(new URL('../demos/', import.meta.url)), onProgress: (line) => console.log(line) }), traceCostTable);
  }
  let soak: SoakResult[] = [];
  if (settings.soakRuns > 0) {
    console.log(`soak: ${settings.soakRuns} runs back to back through the real server, every runtime, ended by themselves, by stop and by their limits (at most ${settings.soakMaxMinutes} minutes)`);
    soak = await attempt('soak', async () => [await runSoak({ runs: settings.soakRuns, maxMinutes: settings.soakMaxMinutes, onProgress: (line) => console.log(line) })], soakTable);
  }

  const figures: Figure[] = [
    ...latencyFigures(latency),
    ...throughputFigures(throughput),
    ...fanOutFigures(fanOut),
    ...(pageWeight.length > 0 ? [figure('page weight', initialWeight(pageWeight).gzipBytes / 1000, 'kB gzip', { op: '<=', value: PAGE_WEIGHT_AIM_GZIP_BYTES / 1000 }, 1)] : []),
    ...stopFigures(stop),
    ...traceCostFigures(traceCost),
    ...soakFigures(soak),
  ];
  console.log(`${figuresTable(figures)}\n`);
  const missed = figures.filter((f) => !f.ok).map((f) => f.name);
  console.log(missed.length === 0 ? 'every aim met' : `MISSED: ${missed.join(', ')}`);
  console.log(`(load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores: figures from a busy machine are noisy; ratios are within one run)`);

  await mkdir(path.dirname(resultsFile), { recursive: true });
  const json = record({ figures, latency, throughput, fanOut, stop, soak, traceCost, errors, settings, machine: { ...machine, loadavgAtEnd: os.loadavg() } });
  await writeFile(resultsFile, formatRecord(json));
  console.log(`wrote ${path.relative(process.cwd(), resultsFile)}`);
  return errors.length === 0 ? 0 : 1;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${describe(error)}`);
    process.exit(1);
  },
);
