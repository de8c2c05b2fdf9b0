/** Turns bench results into the printed tables and the JSON record, each figure against its aim. */
import type { LatencyResult } from './latency.ts';
import { round } from './stats.ts';
import type { ThroughputResult } from './throughput.ts';

export const AIMS = {
  /** deck run-to-first-output / bare runtime start, at most. */
  latencyRatio: 1.2,
  /** direct-into-xterm time / deck time, at least. */
  throughputRatio: 0.5,
  /** Server VmHWM growth over a flood, below. */
  serverPeakGrowthBytes: 64 * 1024 * 1024,
} as const;

export interface Verdicts {
  readonly latency: { runtime: string; ok: boolean }[];
  readonly throughput: { path: string; ratioOk: boolean; memoryOk: boolean }[];
}

export function judge(latency: readonly LatencyResult[], throughput: readonly ThroughputResult[]): Verdicts {
  return {
    latency: latency.map((r) => ({ runtime: r.runtime, ok: r.ratio <= AIMS.latencyRatio })),
    throughput: throughput.map((r) => ({
      path: pathName(r),
      ratioOk: r.ratio >= AIMS.throughputRatio,
      memoryOk: r.serverPeakGrowth < AIMS.serverPeakGrowthBytes,
    })),
  };
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

/** The JSON record: every raw sample, the medians, the aims and the verdicts. */
export function record(parts: {
  latency: readonly LatencyResult[];
  throughput: readonly ThroughputResult[];
  errors: readonly string[];
  settings: Record<string, unknown>;
  machine: Record<string, unknown>;
}): unknown {
  const ms = (values: readonly number[]): number[] => values.map((v) => round(v, 2));
  return {
    when: new Date().toISOString(),
    machine: parts.machine,
    settings: parts.settings,
    aims: AIMS,
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
    errors: parts.errors,
  };
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
