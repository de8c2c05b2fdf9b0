/**
 * Runs one demo file through the real runner registry, as the server would, and
 * collects everything it printed. For the tests that check a slide's claim.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
import type { RuntimeName } from '../../server/protocol.ts';
import type { RunExit } from '../../server/runners/runner.ts';
import { createRunners, disposeRunners } from '../../server/runners/registry.ts';
import { defaultConfig, projectRoot } from '../../server/config.ts';
import { CONTENT_RULE } from '../../server/deck/demo-layout.ts';
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

/** A multiprocessing start method: Linux's default before 3.14, macOS's and Windows' default, Linux's default from 3.14. */
export type StartMethod = 'fork' | 'spawn' | 'forkserver';

/** The start methods and core counts a Python claim has to hold on: any laptop the talk may be given from. */
export const MACHINES: readonly { readonly startMethod: StartMethod; readonly cpus: number }[] = (['fork', 'spawn', 'forkserver'] as const).flatMap((startMethod) => [1, 2, 8].map((cpus) => ({ startMethod, cpus })));

const EMULATE_MACHINE = fileURLToPath(new URL('./emulate_machine.py', import.meta.url));

/**
 * Runs a Python demo (plain `python3`, no pty) with its start method forced and the core count
 * it sees set (`emulate_machine.py`): what the demo prints and how it ended.
 */
export async function runPythonOn(demo: string, machine: { readonly startMethod: StartMethod; readonly cpus: number }, options: { demosDir?: string; timeoutMs?: number } = {}): Promise<DemoResult> {
  const file = path.resolve(options.demosDir ?? path.join(projectRoot, 'demos'), demo);
  const started = performance.now();
  const child = spawn(process.env['DECK_PYTHON'] ?? 'python3', ['-u', EMULATE_MACHINE, machine.startMethod, String(machine.cpus), file], {
    cwd: path.dirname(file),
    env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let raw = '';
  child.stdout.setEncoding('utf8').on('data', (data: string) => { raw += data; });
  child.stderr.setEncoding('utf8').on('data', (data: string) => { raw += data; });
  const timeoutMs = options.timeoutMs ?? 60_000;
  const exit = await new Promise<RunExit>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${demo} (${machine.startMethod}, ${machine.cpus} cores) did not finish within ${timeoutMs} ms; output so far:\n${raw}`));
    }, timeoutMs);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal }); });
  });
  return { text: raw.replace(ANSI, ''), raw, exit, durationMs: performance.now() - started };
}

/** The number printed after `label:` in a demo's output, e.g. `lost updates: 1234`. */
export function figure(result: DemoResult, label: string): number {
  const match = new RegExp(`${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*[:=]\\s*(-?[0-9][0-9_,.]*)`, 'i').exec(result.text);
  if (!match?.[1]) throw new Error(`no "${label}: <number>" in the output:\n${result.text}`);
  return Number(match[1].replace(/[_,]/g, ''));
}

/**
 * What a demo's output may take of the terminal beside its code (server/deck/demo-layout.ts's
 * content rule): 12 lines of 44 columns, so the exit line and a spare row fit under it.
 */
export const SLIDE_TERMINAL = CONTENT_RULE.output;

/** The output has to fit the terminal on the slide: at most 12 lines of 44 columns. */
export function expectFitsSlide(result: DemoResult): void {
  const lines = result.text.replace(/\n+$/, '').split('\n');
  expect(lines.length, result.text).toBeLessThanOrEqual(SLIDE_TERMINAL.rows);
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(SLIDE_TERMINAL.cols);
}
