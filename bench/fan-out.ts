/**
 * Fan-out: one presenter page (real Chromium, the deck's own terminal) runs the 20 MiB
 * Python flood while `audience` audience sockets watch the same demo, one of them stalled
 * (its TCP socket paused for the whole run), against the same page running the flood
 * alone, alternating, in one fresh server. The audience sockets are Node `ws` clients with
 * the audience token and the page's Origin; they read as fast as Node can (an output frame
 * is counted, not parsed). Every fan-out run has the stalled socket, so the throughput
 * ratio is also the stalled socket's cost; the worst single pair is its own figure.
 *
 * Memory: the server's VmHWM is reset (`/proc/<pid>/clear_refs` 5) before each fan-out run
 * and read after it; the growth is the highest of those peaks over the server's VmRSS before
 * the first fan-out run (the warm-up), so a one-time growth for 50 sockets counts too.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import WebSocket from 'ws';
import { decodeServerMessage } from '../server/protocol.ts';
import type { ServerMessage } from '../server/protocol.ts';
import type { RuntimeName } from '../server/runtimes.ts';
import { demoSelector } from '../test/helpers/browser.ts';
import { memoryOf } from '../test/helpers/process-table.ts';
import { spawnServer } from '../test/helpers/spawn-server.ts';
import type { SpawnedServer } from '../test/helpers/spawn-server.ts';
import { launchBarePage } from './bare-page.ts';
import type { BarePage } from './bare-page.ts';
import { benchFixture, flood } from './fixture-deck.ts';
import { median } from './stats.ts';
import { runDeck } from './throughput.ts';

export interface FanOutOptions {
  /** Measured runs of each kind (alone, fanned out), after one warm-up of each. */
  readonly runs: number;
  /** Audience sockets in a fan-out run, the stalled one included. */
  readonly audience: number;
}

/** What one fan-out run saw, besides the presenter's time. */
export interface FanOutRun {
  readonly presenterMs: number;
  /** The baseline run just before it (same page, no audience). */
  readonly baselineMs: number;
  /** Live (not stalled) audience sockets that learnt the run's end (its `exit`, or a screen with its end). */
  readonly liveExits: number;
  readonly liveSockets: number;
  /** Live sockets sent a fresh `screen` of this run (past their rate, or behind). */
  readonly liveFellBehind: number;
  /** Output frames' bytes per live socket, as received (JSON-encoded output). */
  readonly liveBytesMin: number;
  readonly liveBytesMedian: number;
  /** Ms from Run to the last live socket's `exit`. */
  readonly lastLiveExitMs: number | null;
  /** The stalled socket, once resumed after the run: bytes of output frames it still received. */
  readonly stalledBytesAfterResume: number;
  /** It was sent a `screen` of this run after resuming (a fresh snapshot, not the backlog). */
  readonly stalledGotScreen: boolean;
  /** It received the run's `exit`. */
  readonly stalledGotExit: boolean;
  /** The server closed the stalled socket (it answered no ping meanwhile). */
  readonly stalledClosed: boolean;
  /** Server VmRSS before this run and its peak (VmHWM, reset before it) during it, bytes. */
  readonly serverRssBefore: number;
  readonly serverPeak: number;
  /** The same for the baseline run before it. */
  readonly baselineRssBefore: number;
  readonly baselinePeak: number;
  /** CPU time (user + system) of the server process, and of this process (the audience sockets' reading, the DevTools connection), over the baseline and over this run. */
  readonly baselineServerCpuMs: number;
  readonly serverCpuMs: number;
  readonly baselineBenchCpuMs: number;
  readonly benchCpuMs: number;
  readonly warmup: boolean;
}

export interface FanOutResult {
  readonly demo: string;
  readonly runtime: RuntimeName;
  readonly payloadBytes: number;
  readonly audience: number;
  readonly baselineMs: number[];
  readonly fanOutMs: number[];
  readonly baselineMedianMs: number;
  readonly fanOutMedianMs: number;
  /** Baseline median / fan-out median: 1 means the audience costs the presenter nothing. */
  readonly ratio: number;
  /** Highest fan-out / paired baseline time over the measured runs (the stalled socket is in each). */
  readonly worstSlowdown: number;
  /** Server VmRSS before the first fan-out run, and the highest peak of any fan-out run, bytes. */
  readonly serverRssBefore: number;
  readonly serverPeak: number;
  readonly serverPeakGrowth: number;
  /** The most one baseline run grew the server (its peak over its VmRSS before it), and one fan-out run, for comparison. */
  readonly baselineRunGrowthMax: number;
  readonly fanOutRunGrowthMax: number;
  /** Median CPU ms of the server and of this process per run, alone and fanned out. */
  readonly serverCpuMs: { readonly alone: number; readonly fanOut: number };
  readonly benchCpuMs: { readonly alone: number; readonly fanOut: number };
  /** How the peaks were read: `hwm` (VmHWM reset per run) or `sampled` (VmRSS every 20 ms). */
  readonly peakMethod: 'hwm' | 'sampled';
  /** Fewest live sockets that received a measured run's exit, and how many were live. */
  readonly liveExitsMin: number;
  readonly liveSockets: number;
  /** Measured runs whose stalled socket was sent a fresh screen after resuming. */
  readonly stalledScreens: number;
  /** Most output bytes the stalled socket received after resuming, over the measured runs. */
  readonly stalledBytesAfterResumeMax: number;
  readonly runs: FanOutRun[];
}

const TARGET = flood.demos.find((d) => d.runtime === 'python') ?? flood.demos[0];
const WAIT_MS = 60_000;
/** An output frame as the server encodes it (`encodeServerMessage`: type first, then run). */
const OUTPUT_PREFIX = '{"type":"output","run":"';

export async function measureFanOut(options: FanOutOptions): Promise<FanOutResult[]> {
  const server = await spawnServer({ root: benchFixture, args: ['--no-watch'] });
  try {
    const page = await launchBarePage();
    try {
      return [await measure(page, server, options)];
    } finally {
      await page.close();
    }
  } finally {
    await server.stop();
  }
}

async function measure(page: BarePage, server: SpawnedServer, options: FanOutOptions): Promise<FanOutResult> {
  await page.openDeck(server.url);
  const selector = demoSelector(TARGET);
  await page.goToDemo(selector);
  const key = await page.evaluate<string | null>(`document.querySelector(${JSON.stringify(selector)}).getAttribute('data-demo-key')`);
  if (key === null) throw new Error(`${selector} has no data-demo-key`);
  const audienceToken = new URL(server.audienceUrl).searchParams.get('token');
  if (audienceToken === null) throw new Error(`no token in the audience URL ${server.audienceUrl}`);
  const peaks = new PeakMeter(server.pid);

  const runs: FanOutRun[] = [];
  for (let i = 0; i <= options.runs; i++) {
    const warmup = i === 0;
    // Alone: the page and nothing else watching.
    const baselineRssBefore = memoryOf(server.pid).rss;
    peaks.reset();
    const cpu = cpuMeter(server.pid);
    const baselineMs = await runDeck(page, TARGET);
    const { serverMs: baselineServerCpuMs, benchMs: baselineBenchCpuMs } = cpu();
    const baseline = { baselineMs, baselineRssBefore, baselinePeak: peaks.read(), baselineServerCpuMs, baselineBenchCpuMs };
    // Fanned out: the same page, and the audience with one socket stalled.
    runs.push(await fanOutRun(page, server, audienceToken, key, options.audience, peaks, baseline, warmup));
  }
  peaks.stop();
  if (page.errors.length > 0) throw new Error(`the page reported errors: ${page.errors.join('; ')}`);

  const measured = runs.filter((r) => !r.warmup);
  const baselineMs = measured.map((r) => r.baselineMs);
  const fanOutMs = measured.map((r) => r.presenterMs);
  const baselineMedianMs = median(baselineMs);
  const fanOutMedianMs = median(fanOutMs);
  const serverRssBefore = runs[0]?.serverRssBefore ?? NaN;
  const serverPeak = Math.max(...runs.map((r) => r.serverPeak));
  return {
    ...TARGET,
    payloadBytes: flood.bytes,
    audience: options.audience,
    baselineMs,
    fanOutMs,
    baselineMedianMs,
    fanOutMedianMs,
    ratio: baselineMedianMs / fanOutMedianMs,
    worstSlowdown: Math.max(...measured.map((r) => r.presenterMs / r.baselineMs)),
    serverRssBefore,
    serverPeak,
    serverPeakGrowth: serverPeak - serverRssBefore,
    baselineRunGrowthMax: Math.max(...runs.map((r) => r.baselinePeak - r.baselineRssBefore)),
    fanOutRunGrowthMax: Math.max(...runs.map((r) => r.serverPeak - r.serverRssBefore)),
    serverCpuMs: { alone: median(measured.map((r) => r.baselineServerCpuMs)), fanOut: median(measured.map((r) => r.serverCpuMs)) },
    benchCpuMs: { alone: median(measured.map((r) => r.baselineBenchCpuMs)), fanOut: median(measured.map((r) => r.benchCpuMs)) },
    peakMethod: peaks.method,
    liveExitsMin: Math.min(...measured.map((r) => r.liveExits)),
    liveSockets: options.audience - 1,
    stalledScreens: measured.filter((r) => r.stalledGotScreen).length,
    stalledBytesAfterResumeMax: Math.max(...measured.map((r) => r.stalledBytesAfterResume)),
    runs,
  };
}

type Baseline = Pick<FanOutRun, 'baselineMs' | 'baselineRssBefore' | 'baselinePeak' | 'baselineServerCpuMs' | 'baselineBenchCpuMs'>;

async function fanOutRun(page: BarePage, server: SpawnedServer, token: string, key: string, count: number, peaks: PeakMeter, baseline: Baseline, warmup: boolean): Promise<FanOutRun> {
  // Before the audience connects: what 50 sockets and their first screens cost counts too.
  const serverRssBefore = memoryOf(server.pid).rss;
  peaks.reset();
  const sockets = await Promise.all(Array.from({ length: count }, () => AudienceSocket.open(server.origin, token)));
  try {
    // Watching: each is sent the screen of the demo's last run (the baseline just before).
    for (const socket of sockets) socket.watch(key);
    await Promise.all(sockets.map((socket) => socket.waitFor((m) => m.type === 'screen' && m.demo === key, 'the screen of the last run')));
    const [stalled, ...live] = sockets;
    if (stalled === undefined) throw new Error('BENCH_AUDIENCE must be at least 1');
    for (const socket of sockets) socket.forget();
    stalled.ws.pause();

    const cpu = cpuMeter(server.pid);
    const clicked = performance.now();
    const presenterMs = await runDeck(page, TARGET);
    const serverPeak = peaks.read();
    const { serverMs: serverCpuMs, benchMs: benchCpuMs } = cpu();

    const exits = await Promise.all(live.map((socket) => socket.waitFor(endsRun, 'the end of the run').then(() => true, () => false)));
    const liveRun = live.map((socket) => socket.runId()).find((id) => id !== null) ?? null;
    const exitTimes = live.map((socket) => socket.exitAt).filter((t): t is number => t !== null);
    const bytes = live.map((socket) => socket.outputBytes);

    // The stalled socket reads again: what the server still had for it, then a fresh screen.
    stalled.forgetBytes();
    stalled.ws.resume();
    const stalledGotScreen = await stalled.waitFor((m) => m.type === 'screen' && m.run === liveRun, 'a fresh screen').then(() => true, () => false);
    return {
      presenterMs,
      ...baseline,
      liveExits: exits.filter(Boolean).length,
      liveSockets: live.length,
      liveFellBehind: live.filter((socket) => socket.messages.some((m) => m.type === 'screen' && m.run === liveRun)).length,
      liveBytesMin: Math.min(...bytes),
      liveBytesMedian: median(bytes),
      lastLiveExitMs: exitTimes.length === 0 ? null : Math.max(...exitTimes) - clicked,
      stalledBytesAfterResume: stalled.outputBytes,
      stalledGotScreen,
      stalledGotExit: stalled.messages.some((m) => endsRun(m) && 'run' in m && m.run === liveRun),
      stalledClosed: stalled.closed,
      serverRssBefore,
      serverPeak,
      serverCpuMs,
      benchCpuMs,
      warmup,
    };
  } finally {
    await Promise.all(sockets.map((socket) => socket.close()));
  }
}

/** CPU time (user + system) of `pid` and of this process from now to the call of the function returned. */
function cpuMeter(pid: number): () => { serverMs: number; benchMs: number } {
  const server = cpuMsOf(pid);
  const bench = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(bench);
    return { serverMs: cpuMsOf(pid) - server, benchMs: (used.user + used.system) / 1000 };
  };
}

/** utime + stime of /proc/<pid>/stat, in ms (Linux counts them in ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * An audience socket as fast as Node reads: output frames are counted by their prefix,
 * never parsed or kept; every other message is parsed and kept.
 */
/** An audience page learns that a run ended from its `exit`, or (past its rate) from a fresh screen that carries the end. */
function endsRun(message: ServerMessage): boolean {
  return message.type === 'exit' || (message.type === 'screen' && message.end !== null);
}

class AudienceSocket {
  readonly messages: ServerMessage[] = [];
  outputBytes = 0;
  exitAt: number | null = null;
  closed = false;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      if (buffer.toString('latin1', 0, OUTPUT_PREFIX.length) === OUTPUT_PREFIX) {
        this.outputBytes += buffer.length;
        return;
      }
      const decoded = decodeServerMessage(buffer.toString('utf8'));
      if (!decoded.ok) return;
      if (endsRun(decoded.message)) this.exitAt = performance.now();
      this.messages.push(decoded.message);
      this.wake();
    });
    ws.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static async open(origin: string, token: string): Promise<AudienceSocket> {
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`, { headers: { Origin: origin } });
    const socket = new AudienceSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await socket.waitFor((m) => m.type === 'welcome', 'welcome');
    const welcome = socket.messages.find((m) => m.type === 'welcome');
    if (welcome?.type === 'welcome' && welcome.role !== 'audience') throw new Error(`the audience token gave the role ${welcome.role}`);
    return socket;
  }

  watch(key: string): void {
    this.ws.send(JSON.stringify({ type: 'watch', demos: [key] }));
  }

  /** Drops what came before the run to measure. */
  forget(): void {
    this.messages.length = 0;
    this.forgetBytes();
    this.exitAt = null;
  }

  forgetBytes(): void {
    this.outputBytes = 0;
  }

  /** The id of the run this socket was told of (`starting`). */
  runId(): string | null {
    const starting = this.messages.find((m) => m.type === 'starting');
    return starting?.type === 'starting' ? starting.run : null;
  }

  waitFor(match: (m: ServerMessage) => boolean, what: string, timeoutMs = WAIT_MS): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`an audience socket got no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = (): void => {
        const found = this.messages.find(match);
        if (found === undefined && !this.closed) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        if (found === undefined) reject(new Error(`an audience socket closed before its ${what}`));
        else resolve(found);
      };
      this.waiters.push(check);
      check();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const done = new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
    this.ws.resume();
    this.ws.terminate();
    await done;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/**
 * The server's peak resident memory over a stretch: VmHWM after resetting it (writing 5 to
 * /proc/<pid>/clear_refs, which the owner of the process may do), or, where that is refused,
 * the highest VmRSS sampled every 20 ms.
 */
class PeakMeter {
  method: 'hwm' | 'sampled' = 'hwm';
  private sampled = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly pid: number) {}

  reset(): void {
    if (this.method === 'hwm') {
      try {
        writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
        const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
        if (/^VmHWM:/m.test(status)) return;
      } catch {
        // Refused (or no such file): sample instead.
      }
      this.method = 'sampled';
    }
    this.sampled = memoryOf(this.pid).rss;
    this.timer ??= setInterval(() => {
      this.sampled = Math.max(this.sampled, memoryOf(this.pid).rss);
    }, 20);
  }

  read(): number {
    const now = memoryOf(this.pid);
    if (this.method === 'hwm') return now.peak;
    this.sampled = Math.max(this.sampled, now.rss);
    return this.sampled;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
