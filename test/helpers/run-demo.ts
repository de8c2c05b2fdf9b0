/**
 * Runs one demo file through the real runner registry, as the server would, and
 * collects everything it printed. For the tests that check a slide's claim.
 */
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import type { RuntimeName } from '../../server/protocol.ts';
import type { RunExit } from '../../server/runners/runner.ts';
import { createRunners, disposeRunners } from '../../server/runners/registry.ts';
import { defaultConfig, projectRoot } from '../../server/config.ts';
import type { RunnerRegistry } from '../../server/runners/runner.ts';


export interface DemoResult {
  /** Everything printed, with ANSI escapes and carriage returns removed. */
  readonly text: string;
  readonly raw: string;
  readonly exit: RunExit;
  readonly durationMs: number;
}

const ANSI = /\x1b\[[0-9;?]*[ -\/]*[@-~]|\x1b\][^\x07]*\x07|\r/g;

let shared: RunnerRegistry | null = null;

/** The runners of this test file, created at its first demo and disposed when the file's tests end. */
function runners(): RunnerRegistry {
  if (!shared) {
    const created = createRunners();
    shared = created;
    afterAll(() => disposeRunners(created));
  }
  return shared;
}

export async function runDemo(runtime: RuntimeName, demo: string, options: { demosDir?: string; timeoutMs?: number } = {}): Promise<DemoResult> {
  const file = path.resolve(options.demosDir ?? path.join(projectRoot, 'demos'), demo);
  const started = performance.now();
  const handle = await runners()[runtime].start({ file, cwd: path.dirname(file), cols: 120, rows: 40, memoryLimitBytes: defaultConfig.memoryLimitBytes });
  let raw = '';
  handle.onData((data) => {
    raw += data;
  });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const exit = await new Promise<RunExit>((resolve, reject) => {
    const timer = setTimeout(() => {
      void handle.kill();
      reject(new Error(`${demo} (${runtime}) did not finish within ${timeoutMs} ms; output so far:\n${raw}`));
    }, timeoutMs);
    handle.onExit((e) => {
      clearTimeout(timer);
      resolve(e);
    });
  });
  return { text: raw.replace(ANSI, ''), raw, exit, durationMs: performance.now() - started };
}

/** The number printed after `label:` in a demo's output, e.g. `lost updates: 1234`. */
export function figure(result: DemoResult, label: string): number {
  const match = new RegExp(`${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*[:=]\\s*(-?[0-9][0-9_,.]*)`, 'i').exec(result.text);
  if (!match?.[1]) throw new Error(`no "${label}: <number>" in the output:\n${result.text}`);
  return Number(match[1].replace(/[_,]/g, ''));
}

/** The terminal beside the code on a slide shows 16 rows of 64 columns. */
export const SLIDE_TERMINAL = { rows: 16, cols: 64 } as const;

/** The output has to fit the terminal on the slide: at most 16 lines of 64 columns. */
export function expectFitsSlide(result: DemoResult): void {
  const lines = result.text.replace(/\n+$/, '').split('\n');
  expect(lines.length, result.text).toBeLessThanOrEqual(SLIDE_TERMINAL.rows);
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(SLIDE_TERMINAL.cols);
}
