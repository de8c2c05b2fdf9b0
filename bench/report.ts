/** Turns bench results into the printed tables and the JSON record, each figure against its aim. */
import type { FanOutResult } from './fan-out.ts';
import type { LatencyResult } from './latency.ts';
import type { SoakResult } from './soak.ts';
import { round } from './stats.ts';
import type { StopResult } from './stop-latency.ts';
import type { ThroughputResult } from './throughput.ts';

export const AIMS = {
  /** deck run-to-first-output / bare runtime start, at most (issue "Harder and faster": interpreters wait warm before Run). */
  latencyRatio: 0.5,
  /** direct-into-xterm time / deck time, at least. */
  throughputRatio: 0.8,
  /** Server VmHWM growth over a flood, below. */
  serverPeakGrowthBytes: 64 * 1024 * 1024,
  /** Presenter page alone / the same page with the audience watching (one socket stalled), at least. */
  fanOutRatio: 0.9,
  /** Worst fan-out run (with its stalled audience socket) / the baseline run before it, at most. */
  stalledSlowdown: 1.5,
  /** `stop` sent to `exit` received, on a busy tree with grandchildren, at most. */
  stopLatencyMs: 100,
  /** Processes and server descriptors left after stops and soaks, at most. */
  leftovers: 0,
  /** Server VmRSS growth over a soak, after a settle, below. */
  soakRssGrowthBytes: 20 * 1024 * 1024,
} as const;

export interface Aim {
  readonly op: '<=' | '>=' | '<';
  readonly value: number;
}

/** One figure against its aim; its name is the same in every run, so two records compare line by line. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly aim: Aim;
  readonly ok: boolean;
}

/** Judged on the exact value; recorded rounded to `digits`. */
export function figure(name: string, value: number, unit: string, aim: Aim, digits = 2): Figure {
  const ok = aim.op === '<=' ? value <= aim.value : aim.op === '>=' ? value >= aim.value : value < aim.value;
  return { name, value: round(value, digits), unit, aim, ok };
}

const MiB = 1024 * 1024;

export function latencyFigures(results: readonly LatencyResult[]): Figure[] {
  return results.map((r) => figure(`latency ratio ${r.runtime}`, r.ratio, 'deck/bare', { op: '<=', value: AIMS.latencyRatio }, 3));
}

export function throughputFigures(results: readonly ThroughputResult[]): Figure[] {
  return results.flatMap((r) => [
    figure(`throughput ratio ${pathName(r)}`, r.ratio, 'direct/deck', { op: '>=', value: AIMS.throughputRatio }, 3),
    figure(`server memory growth ${pathName(r)}`, r.serverPeakGrowth / MiB, 'MiB', { op: '<', value: AIMS.serverPeakGrowthBytes / MiB }, 1),
  ]);
}

export function fanOutFigures(results: readonly FanOutResult[]): Figure[] {
  return results.flatMap((r) => [
    figure('fan-out throughput ratio', r.ratio, 'alone/fan-out', { op: '>=', value: AIMS.fanOutRatio }, 3),
    figure('fan-out server memory growth', r.serverPeakGrowth / MiB, 'MiB', { op: '<', value: AIMS.serverPeakGrowthBytes / MiB }, 1),
    figure('stalled audience slowdown', r.worstSlowdown, 'fan-out/alone, worst run', { op: '<=', value: AIMS.stalledSlowdown }, 3),
    figure('fan-out audience exits', r.liveExitsMin, `of ${r.liveSockets} live sockets, fewest in a run`, { op: '>=', value: r.liveSockets }, 0),
    figure('stalled audience fresh screens', r.stalledScreens, `of ${r.fanOutMs.length} runs`, { op: '>=', value: r.fanOutMs.length }, 0),
    figure('stalled audience bytes after resume', r.stalledBytesAfterResumeMax / MiB, 'MiB, most in a run', { op: '<', value: r.payloadBytes / MiB / 2 }, 1),
  ]);
}

export function stopFigures(results: readonly StopResult[]): Figure[] {
  const ms = { op: '<=', value: AIMS.stopLatencyMs } as const;
  return results.flatMap((r) => [
    figure(`stop latency ${r.runtime} median`, r.medianMs, 'ms', ms, 1),
    figure(`stop latency ${r.runtime} max`, r.maxMs, 'ms', ms, 1),
    figure(`stop leftovers ${r.runtime}`, r.leftovers.length, 'processes', { op: '<=', value: AIMS.leftovers }, 0),
  ]);
}

export function soakFigures(results: readonly SoakResult[]): Figure[] {
  return results.flatMap((r) => [
    figure('soak runs completed', r.completed, 'runs', { op: '>=', value: r.planned }, 0),
    figure('soak runs ended otherwise than planned', r.unplannedCount, 'runs', { op: '<=', value: 0 }, 0),
    figure('soak processes left', r.processesLeft, 'processes', { op: '<=', value: AIMS.leftovers }, 0),
    figure('soak descriptors left', r.descriptorsAfter - r.descriptorsBefore, 'descriptors', { op: '<=', value: AIMS.leftovers }, 0),
    figure('soak server memory growth', (r.rssAfter - r.rssBefore) / MiB, 'MiB', { op: '<', value: AIMS.soakRssGrowthBytes / MiB }, 1),
  ]);
}

export function latencyTable(results: readonly LatencyResult[]): string {
  return table(
    ['runtime', 'bare ms', 'deck ms', 'ratio', 'aim', 'ok?', 'deck: to started', 'bare in a pty'],
    results.map((r) => [
      r.runtime,
      r.bareMedianMs.toFixed(1),
      r.deckMedianMs.toFixed(1),
      r.ratio.toFixed(2),
      `≤ ${AIMS.latencyRatio}`,
      verdict(r.ratio <= AIMS.latencyRatio),
      `${r.deckStartedMedianMs.toFixed(1)} ms`,
      r.ptyMedianMs === null ? '-' : `${r.ptyMedianMs.toFixed(1)} ms`,
    ]),
  );
}

export function throughputTable(results: readonly ThroughputResult[]): string {
  const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const rows: string[][] = [];
  for (const r of results) {
    rows.push([`direct xterm (${r.cols}x${r.rows})`, r.directMBps.toFixed(2), '', '', '', '']);
    rows.push([
      `deck ${pathName(r)}`,
      r.deckMBps.toFixed(2),
      r.ratio.toFixed(2),
      mb(r.serverPeakGrowth),
      `ratio ≥ ${AIMS.throughputRatio}, growth < ${mb(AIMS.serverPeakGrowthBytes)}`,
      [verdict(r.ratio >= AIMS.throughputRatio, 'ratio'), verdict(r.serverPeakGrowth < AIMS.serverPeakGrowthBytes, 'memory')].join(' '),
    ]);
  }
  return table(['path', 'MB/s', 'ratio', 'server peak growth', 'aim', 'ok?'], rows);
}

export function fanOutTable(results: readonly FanOutResult[]): string {
  const mb = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MB`;
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const rows: string[][] = [];
  for (const r of results) {
    for (const [i, run] of r.runs.entries()) {
      rows.push([
        run.warmup ? 'warm-up' : String(i),
        s(run.baselineMs),
        s(run.presenterMs),
        (run.baselineMs / run.presenterMs).toFixed(2),
        `${run.liveExits}/${run.liveSockets}${run.liveFellBehind > 0 ? ` (${run.liveFellBehind} sent screens)` : ''}`,
        run.lastLiveExitMs === null ? '-' : s(run.lastLiveExitMs),
        `${mb(run.liveBytesMin)}`,
        `${mb(run.stalledBytesAfterResume)}${run.stalledGotScreen ? ', screen' : ', NO screen'}${run.stalledClosed ? ', closed' : ''}`,
        `${mb(run.baselinePeak - run.baselineRssBefore)} / ${mb(run.serverPeak - run.serverRssBefore)}`,
        `${s(run.baselineServerCpuMs)} / ${s(run.serverCpuMs)}`,
        `${s(run.baselineBenchCpuMs)} / ${s(run.benchCpuMs)}`,
      ]);
    }
  }
  const detail = table(['run', 'alone', 'fan-out', 'ratio', 'live exits', 'last live exit', 'live got (min)', 'stalled after resume', 'server peak growth alone / fan-out', 'server CPU alone / fan-out', 'bench CPU alone / fan-out'], rows);
  const summary = results.map(
    (r) =>
      `${r.runtime} ${r.demo}, ${r.audience} audience sockets (1 stalled): alone ${s(r.baselineMedianMs)}, fan-out ${s(r.fanOutMedianMs)} (medians), ratio ${r.ratio.toFixed(2)} (aim ≥ ${AIMS.fanOutRatio}) ${verdict(r.ratio >= AIMS.fanOutRatio)}; ` +
      `server ${mb(r.serverRssBefore)} before, peak ${mb(r.serverPeak)} (growth ${mb(r.serverPeakGrowth)}, aim < ${mb(AIMS.serverPeakGrowthBytes)}; ${r.peakMethod === 'hwm' ? 'VmHWM reset per run' : 'VmRSS sampled'}); ` +
      `CPU per run (medians): server ${s(r.serverCpuMs.alone)} alone, ${s(r.serverCpuMs.fanOut)} fanned out; this process (the audience sockets) ${s(r.benchCpuMs.alone)}, ${s(r.benchCpuMs.fanOut)}`,
  );
  return [detail, ...summary].join('\n');
}

export function stopTable(results: readonly StopResult[]): string {
  return table(
    ['runtime', 'median ms', 'max ms', 'aim', 'ok?', 'tree', 'alive at exit', 'left over'],
    results.map((r) => [
      r.runtime,
      r.medianMs.toFixed(1),
      r.maxMs.toFixed(1),
      `≤ ${AIMS.stopLatencyMs} ms, ${AIMS.leftovers} left`,
      [verdict(r.maxMs <= AIMS.stopLatencyMs, 'stop'), verdict(r.leftovers.length <= AIMS.leftovers, 'pids')].join(' '),
      `${Math.max(0, ...r.treeSizes)} processes`,
      String(r.aliveAtExit),
      r.leftovers.length === 0 ? '0' : `${r.leftovers.length}: ${r.leftovers.slice(0, 3).join('; ')}`,
    ]),
  );
}

export function soakTable(results: readonly SoakResult[]): string {
  return results
    .map((r) => {
      const endings = Object.entries(r.endings).map(([kind, counts]) => `${kind}: ${Object.entries(counts).map(([reason, n]) => `${n} ${reason}`).join(', ')}`);
      const lines = [
        `${r.completed} of ${r.planned} runs in ${r.seconds.toFixed(0)} s (load average ${r.loadavgAtEnd.map((l) => l.toFixed(2)).join(' ')} at the end)`,
        ...endings.map((line) => `  ${line}`),
        ...r.unplanned.map((line) => `  ended otherwise: ${line}`),
        `stop to exit under the soak: ${Object.entries(r.stop).map(([runtime, s]) => `${runtime} median ${s.medianMs.toFixed(1)} ms, max ${s.maxMs.toFixed(1)} ms`).join('; ')}`,
        `server: ${r.serverProcessesBefore.length} processes under it before, ${r.serverProcessesAfter.length} after; ${r.descriptorsBefore} descriptors before, ${r.descriptorsAfter} after; RSS ${(r.rssBefore / MiB).toFixed(1)} MiB before, ${(r.rssAfter / MiB).toFixed(1)} MiB after (peak ${(r.peakAfter / MiB).toFixed(1)} MiB)`,
        ...r.leftovers.slice(0, 10).map((line) => `  left over: ${line}`),
      ];
      return lines.join('\n');
    })
    .join('\n\n');
}

export function figuresTable(figures: readonly Figure[]): string {
  return table(
    ['figure', 'value', 'aim', 'ok?'],
    figures.map((f) => [f.name, `${f.value} ${f.unit}`, `${f.aim.op} ${f.aim.value}`, verdict(f.ok)]),
  );
}

/** The JSON record: every figure against its aim, then every raw sample and median. */
export function record(parts: {
  figures: readonly Figure[];
  latency: readonly LatencyResult[];
  throughput: readonly ThroughputResult[];
  fanOut: readonly FanOutResult[];
  stop: readonly StopResult[];
  soak: readonly SoakResult[];
  /** Raw samples of the trace cost (bench/trace-cost.ts), as it measured them. */
  traceCost?: readonly unknown[];
  errors: readonly string[];
  settings: Record<string, unknown>;
  machine: Record<string, unknown>;
}): BenchRecord {
  const ms = (values: readonly number[]): number[] => values.map((v) => round(v, 2));
  return {
    figures: parts.figures,
    when: new Date().toISOString(),
    machine: parts.machine,
    settings: parts.settings,
    latency: parts.latency.map((r) => ({
      runtime: r.runtime,
      bareMedianMs: round(r.bareMedianMs),
      deckMedianMs: round(r.deckMedianMs),
      deckStartedMedianMs: round(r.deckStartedMedianMs),
      ptyMedianMs: r.ptyMedianMs === null ? null : round(r.ptyMedianMs),
      ratio: round(r.ratio, 3),
      ok: r.ratio <= AIMS.latencyRatio,
      bareMs: ms(r.bareMs),
      deckMs: ms(r.deckMs),
      deckStartedMs: ms(r.deckStartedMs),
      ptyMs: ms(r.ptyMs),
    })),
    throughput: parts.throughput.map((r) => ({
      ...r,
      directMs: ms(r.directMs),
      deckMs: ms(r.deckMs),
      directMedianMs: round(r.directMedianMs),
      deckMedianMs: round(r.deckMedianMs),
      directMBps: round(r.directMBps),
      deckMBps: round(r.deckMBps),
      ratio: round(r.ratio, 3),
      ratioOk: r.ratio >= AIMS.throughputRatio,
      memoryOk: r.serverPeakGrowth < AIMS.serverPeakGrowthBytes,
    })),
    fanOut: parts.fanOut.map((r) => ({
      ...r,
      baselineMs: ms(r.baselineMs),
      fanOutMs: ms(r.fanOutMs),
      baselineMedianMs: round(r.baselineMedianMs),
      fanOutMedianMs: round(r.fanOutMedianMs),
      ratio: round(r.ratio, 3),
      worstSlowdown: round(r.worstSlowdown, 3),
      runs: r.runs.map((run) => ({ ...run, presenterMs: round(run.presenterMs), baselineMs: round(run.baselineMs), baselineBenchCpuMs: round(run.baselineBenchCpuMs), benchCpuMs: round(run.benchCpuMs), lastLiveExitMs: run.lastLiveExitMs === null ? null : round(run.lastLiveExitMs) })),
    })),
    stop: parts.stop.map((r) => ({ ...r, stopMs: ms(r.stopMs), medianMs: round(r.medianMs), maxMs: round(r.maxMs) })),
    soak: parts.soak[0] ?? null,
    traceCost: parts.traceCost ?? [],
    errors: parts.errors,
  };
}

export interface BenchRecord {
  readonly figures: readonly Figure[];
  readonly [part: string]: unknown;
}

/** The record as JSON, one figure per line, so `diff` of two records shows each figure that moved on a line of its own. */
export function formatRecord(json: BenchRecord): string {
  const { figures, ...rest } = json;
  const body = JSON.stringify(rest, null, 2).replace(/^\{\n?/, '');
  const lines = figures.map((f) => `    ${JSON.stringify(f)}`).join(',\n');
  return `{\n  "figures": [\n${lines}\n  ],${body === '}' ? '' : '\n'}${body}\n`;
}

function pathName(r: ThroughputResult): string {
  return `${r.runtime} ${r.demo}`;
}

function verdict(ok: boolean, what = ''): string {
  const label = what === '' ? '' : `${what} `;
  return ok ? `${label}ok` : `${label}MISSED`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}
