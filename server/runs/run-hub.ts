/**
 * Every run of the deck server. A run belongs to the server, not to the page that started
 * it: pages watch demos, and each run's output fans out to every page watching its demo.
 * Each run keeps its screen in a headless terminal, so a page that joins late, reloads or
 * comes back to the slide draws the current screen first and then follows the live stream;
 * the final screen stays after the run ends, until the demo runs again.
 *
 * Flow: presenter pages pace a run (it pauses while the slowest one, or the server's own
 * screen, is too far behind); an audience page never does: one that falls behind stops
 * getting output and is sent a fresh screen once its socket has drained.
 *
 * A run may be a replay of the demo's recording (`recordings/`), played by a `ReplayHandle`
 * in place of a runner's: when the speaker asks, or right after a live run of the file that
 * could not start or crashed where its slide expects none (`fallback-reason.ts`). A replay is
 * a run like any other for every screen, marked as a recording; it never falls back itself.
 *
 * A run may be traced (its demo line says `timeline`, or the page asks): its handle hands on
 * trace events (trace/trace-event.ts), which the run keeps and every watching page gets in
 * `trace` messages, each page from the index it has reached, so a page that joins late gets
 * the events so far right after its screen and then the rest as they come.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { encodeServerMessage, type ClientMessage, type Diagnostic, type ExitReason, type RecordingMark, type Role, type RunEnd, type RunRequest, type RunSummary, type RuntimeName, type ServerMessageMap, type ServerMessageType } from '../protocol.ts';
import type { PythonRequirement } from '../deck/model.ts';
import type { Recording } from '../recordings/recording.ts';
import { readRecording } from '../recordings/recording-store.ts';
import { ReplayHandle } from '../recordings/replay-handle.ts';
import { checkSource, type CheckSource } from '../runners/check-source.ts';
import type { RunHandle, RunnerRegistry } from '../runners/runner.ts';
import type { TraceEvent } from '../trace/trace-event.ts';
import { checkEdit, saveEdit } from './edited-source.ts';
import { fallbackReason } from './fallback-reason.ts';
import type { RunBudget } from './run-budget.ts';
import { RunScreen } from './run-screen.ts';
import { Run, type FlowOptions, type RunLimits } from './run.ts';

/** A page, as the hub sees it. */
export interface Viewer {
  readonly role: Role;
  send<K extends ServerMessageType>(type: K, payload: ServerMessageMap[K], written?: () => void): void;
  /** Sends a message already encoded by `encodeServerMessage`: one encoding for every page that gets it. */
  sendFrame(frame: string, written?: () => void): void;
  /** Bytes handed to `send` that have not left yet. */
  backlog(): number;
}

/** A demo of the deck, resolved to what the server runs. */
export interface RunTarget extends RunLimits {
  readonly runtime: RuntimeName;
  /** Absolute path inside `demos/`. */
  readonly file: string;
  /** Path relative to `demos/`, as the slide names it (for messages). */
  readonly path: string;
  /** The region the slide shows, or null for the whole file: where edited code goes. */
  readonly region: string | null;
  /** The demo's claim depends on timings: starting it while another run is busy warns. */
  readonly timing: boolean;
  /** The slide shows the demo's timeline: its live runs are traced. */
  readonly timeline: boolean;
  /** What the slide expects of a run: `fail` (a deadlock shown on purpose) is not a crash to replace. */
  readonly expect: 'ok' | 'fail';
  /** What the demo needs of its interpreter (`requires=`); an interpreter that does not meet it starts nothing. */
  readonly requires?: PythonRequirement | null;
}

export interface EndedRun {
  readonly demo: string;
  readonly end: RunEnd;
}

export interface RunHubOptions {
  readonly runners: RunnerRegistry;
  /** The deck's demo with this key, or why there is none. */
  readonly resolveDemo: (key: string) => RunTarget | string;
  readonly memoryLimitBytes: number;
  readonly flow: FlowOptions;
  /** Live runs one page may have started at once. */
  readonly maxRunsPerPage: number;
  /** Live runs of the whole server. */
  readonly budget: RunBudget;
  /** An audience page whose socket holds more than this gets a fresh screen instead. */
  readonly audienceMaxBacklog: number;
  /**
   * Output an audience page is sent live, per second; past it (a flood) the page gets a fresh
   * screen a few times a second instead, which costs the server and the room's network a
   * screenful however fast the demo prints.
   */
  readonly audienceMaxRate: number;
  /** How long runs go on once no presenter page is connected (a reload, a browser restart). */
  readonly orphanGraceMs: number;
  /** Called once per run, when it has ended. */
  readonly onRunEnded?: (run: EndedRun) => void;
  /** The static check edited source passes before it runs. Default: the runtime's own (`runners/check-source.ts`). */
  readonly checkSource?: CheckSource;
  /** Where the demos' recordings are (`recordings/`); without it, no recording is ever played. */
  readonly recordingsDir?: string;
}

/** What a run plays: the demo live (with edited source, or the file's when undefined), or its recording. */
type Play =
  | { readonly kind: 'live'; readonly source: string | undefined }
  | { readonly kind: 'replay'; readonly recording: Recording; readonly reason: string | null };

type SaveRequest = Extract<ClientMessage, { type: 'save' }>;

/** One page's view of one run. */
interface Watch {
  /** Output sent to a presenter page and not yet acknowledged. */
  unacked: number;
  /** Output held back while the page's screen is being taken; null when live. */
  held: string[] | null;
  /** The run ended while its screen was being taken. */
  exitHeld: boolean;
  /** An audience page that fell behind or past its rate: it gets nothing until a fresh screen. */
  stale: boolean;
  /** When it went stale (it is sent a fresh screen no sooner than `AUDIENCE_REFRESH_MS` later). */
  staleSince: number;
  /** Output sent live to an audience page in the current rate window, and when that window began. */
  windowBytes: number;
  windowStart: number;
  /** Trace events of the run sent to the page so far (their count). */
  traceSent: number;
}

/** The window over which an audience page's live output is counted against its rate. */
const AUDIENCE_WINDOW_MS = 250;
/** How often an audience page past its rate gets a fresh screen. */
const AUDIENCE_REFRESH_MS = 250;
/** Lines above the screen in an audience page's fresh screen (a page that joins gets them all). */
const AUDIENCE_REFRESH_SCROLLBACK = 200;

class HubRun {
  readonly id = randomUUID().replaceAll('-', '');
  readonly startedAt = performance.now();
  readonly watchers = new Map<Viewer, Watch>();
  run: Run | null = null;
  end: RunEnd | null = null;
  /** Why the run is to end as soon as its process is up (it was ended while still starting); the first reason wins. */
  endRequested: ExitReason | null = null;
  /** The run's trace events so far (a traced run's, or a replay's recorded ones). */
  readonly trace: TraceEvent[] = [];

  readonly screen: RunScreen;

  constructor(
    readonly demo: string,
    readonly by: Viewer,
    size: { readonly cols: number; readonly rows: number },
    /** Set when the run is a replay of the demo's recording. */
    readonly recording: RecordingMark | null,
    /** The run is traced (or replays a trace): its screens show a timeline. */
    readonly traced: boolean,
  ) {
    // The server's screen paces the run too: once it catches up, the run may go on.
    this.screen = new RunScreen(size.cols, size.rows, () => this.run?.reviewFlow());
  }

  get live(): boolean {
    return this.end === null;
  }

  summary(): RunSummary {
    return { run: this.id, demo: this.demo, elapsedMs: Math.round(performance.now() - this.startedAt) };
  }
}

export class RunHub {
  private readonly viewers = new Map<Viewer, Set<string>>();
  private readonly runs = new Map<string, HubRun>();
  /** The latest run of each demo, live or ended: what a page watching the demo shows. */
  private readonly latest = new Map<string, HubRun>();
  private readonly launches = new Set<Promise<void>>();
  /** The code shown for a demo as a presenter edits it, by demo: what every screen shows in place of the file's. */
  private readonly edits = new Map<string, string>();
  /** Counts the edits of each demo: a page whose screen was being taken meanwhile got the newer edit live already. */
  private readonly editCounts = new Map<string, number>();
  /** Demos whose edited source is being checked before it runs. */
  private readonly checking = new Set<string>();
  private orphanTimer: NodeJS.Timeout | null = null;
  private staleTimer: NodeJS.Timeout | null = null;
  private closing: ExitReason | null = null;

  constructor(private readonly options: RunHubOptions) {}

  /** The runs going on anywhere in the deck. */
  activity(): RunSummary[] {
    return [...this.runs.values()].filter((run) => run.live).map((run) => run.summary());
  }

  attach(viewer: Viewer): void {
    this.viewers.set(viewer, new Set());
    if (viewer.role === 'presenter' && this.orphanTimer !== null) {
      clearTimeout(this.orphanTimer);
      this.orphanTimer = null;
    }
  }

  detach(viewer: Viewer): void {
    if (!this.viewers.delete(viewer)) return;
    for (const run of this.runs.values()) {
      if (run.watchers.delete(viewer)) run.run?.reviewFlow();
    }
    const presenters = [...this.viewers.keys()].filter((v) => v.role === 'presenter').length;
    if (viewer.role === 'presenter' && presenters === 0 && this.orphanTimer === null && this.activity().length > 0) {
      this.orphanTimer = setTimeout(() => {
        this.orphanTimer = null;
        for (const run of this.runs.values()) this.endRun(run, 'disconnected');
      }, this.options.orphanGraceMs);
    }
  }

  /** The demos `viewer` shows now: each newly watched one with a run gets its screen, then the live stream. */
  watch(viewer: Viewer, demos: readonly string[]): void {
    const before = this.viewers.get(viewer);
    if (before === undefined) return;
    const after = new Set(demos);
    this.viewers.set(viewer, after);
    for (const demo of before) {
      const run = this.latest.get(demo);
      if (!after.has(demo) && run?.watchers.delete(viewer)) run.run?.reviewFlow();
    }
    for (const demo of after) {
      if (before.has(demo)) continue;
      const run = this.latest.get(demo);
      if (run === undefined) {
        this.sendEdit(viewer, demo);
        continue;
      }
      const watch = newWatch();
      run.watchers.set(viewer, watch);
      const edits = this.editCounts.get(demo);
      void this.sendScreen(run, [[viewer, watch]]).then(() => {
        if (this.editCounts.get(demo) === edits) this.sendEdit(viewer, demo);
      });
    }
  }

  /** A presenter edits the code shown for `demo` (null: back to the file's): every other page watching it follows. */
  edit(viewer: Viewer, demo: string, text: string | null): void {
    const target = this.options.resolveDemo(demo);
    if (typeof target === 'string') return viewer.send('error', { demo, message: target });
    this.holdEdit(demo, text);
    this.toDemoWatchers(demo, encodeServerMessage('edited', { demo, text }), viewer);
  }

  /** Writes edited code into the demo's file, if it is still the version the page edited; the held edit is then the file's. */
  save(viewer: Viewer, request: SaveRequest): void {
    const { demo } = request;
    const target = this.options.resolveDemo(demo);
    if (typeof target === 'string') return viewer.send('error', { demo, message: target });
    const saving = saveEdit(target, request.source, request.version).then((saved) => {
      if (!saved.ok) return viewer.send('error', { demo, message: saved.message });
      viewer.send('saved', { demo, version: saved.version });
      this.holdEdit(demo, null);
      this.toDemoWatchers(demo, encodeServerMessage('edited', { demo, text: null }), viewer);
    });
    this.track(saving);
  }

  start(viewer: Viewer, request: RunRequest): void {
    const { demo } = request;
    const fail = (message: string): void => viewer.send('error', { demo, message });
    if (this.closing !== null) return fail('the server is shutting down');
    if (this.latest.get(demo)?.live) return fail(`${demo} is already running`);
    if (this.checking.has(demo)) return fail(`${demo} is already starting`);
    const target = this.options.resolveDemo(demo);
    if (typeof target === 'string') return fail(target);
    if (request.recording === true) return this.replay(viewer, request, target);
    if (request.source === undefined) return this.begin(viewer, request, target, { kind: 'live', source: undefined });
    // Edited code is checked first: a syntax error is shown at its line, and nothing starts.
    this.checking.add(demo);
    const checking = checkEdit(target, request.source, this.options.checkSource ?? checkSource).then((checked) => {
      this.checking.delete(demo);
      this.diagnose(viewer, demo, checked.ok ? [] : checked.diagnostics);
      if (!checked.ok) return fail(checked.message);
      this.begin(viewer, request, target, { kind: 'live', source: checked.source });
    });
    this.track(checking);
  }

  /** The speaker asked for the demo's recording: it plays in place of a run. */
  private replay(viewer: Viewer, request: RunRequest, target: RunTarget): void {
    const { demo } = request;
    this.checking.add(demo);
    const loading = this.loadRecording(target).then((recording) => {
      this.checking.delete(demo);
      if (recording instanceof Error) return viewer.send('error', { demo, message: recording.message });
      if (recording === null) return viewer.send('error', { demo, message: `${target.path} has no recording (${target.runtime}): \`npm run record\` makes one` });
      this.begin(viewer, request, target, { kind: 'replay', recording, reason: null });
    });
    this.track(loading);
  }

  /**
   * A live run of the file's code that could not start or crashed unexpectedly gives way to
   * the demo's recording, if it has one, at once and on every screen. Edited code's failures
   * stay on screen (they are the speaker's to fix), and a replay never falls back.
   */
  private fallBack(failed: HubRun, request: RunRequest, target: RunTarget, play: Play, reason: string | null): void {
    if (reason === null || play.kind !== 'live' || play.source !== undefined || this.closing !== null || this.options.recordingsDir === undefined) return;
    const loading = this.loadRecording(target).then((recording) => {
      // Run pressed again meanwhile: the speaker's new run stands.
      if (recording === null || this.closing !== null || this.latest.get(failed.demo) !== failed) return;
      if (recording instanceof Error) {
        this.toWatchers(failed, 'error', { run: failed.id, demo: failed.demo, message: recording.message });
        return;
      }
      this.begin(failed.by, request, target, { kind: 'replay', recording, reason });
    });
    this.track(loading);
  }

  /** The demo's recording; null when it has none; an `Error` naming the file when it does not parse. */
  private async loadRecording(target: RunTarget): Promise<Recording | null | Error> {
    const dir = this.options.recordingsDir;
    if (dir === undefined) return null;
    try {
      return await readRecording(dir, target.runtime, target.path);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /** Work the hub waits for before it closes. */
  private track(work: Promise<void>): void {
    const tracked = work.finally(() => this.launches.delete(tracked));
    this.launches.add(tracked);
  }

  /** Starts a run of `target` (live, edited or replayed), if the limits allow it now. */
  private begin(viewer: Viewer, request: RunRequest, target: RunTarget, play: Play): void {
    const { demo } = request;
    const fail = (message: string): void => viewer.send('error', { demo, message });
    if (this.closing !== null) return fail('the server is shutting down');
    const current = this.latest.get(demo);
    if (current?.live) return fail(`${demo} is already running`);
    const mine = [...this.runs.values()].filter((run) => run.live && run.by === viewer).length;
    if (mine >= this.options.maxRunsPerPage) return fail(`too many runs: a page may have ${this.options.maxRunsPerPage} at once; stop one first`);
    // A replay starts no process: the server's budget of runs is for those.
    if (play.kind === 'live' && !this.options.budget.take()) return fail(`too many runs: the server runs at most ${this.options.budget.max} at once; stop one first`);

    const busy = this.activity();
    // A recording keeps the size it was recorded at: its output was laid out for it.
    const size = play.kind === 'replay' ? { cols: play.recording.meta.cols, rows: play.recording.meta.rows } : { cols: request.cols, rows: request.rows };
    const mark = play.kind === 'replay' ? { recordedAt: play.recording.meta.recordedAt, reason: play.reason } : null;
    const traced = play.kind === 'replay' ? (play.recording.trace?.length ?? 0) > 0 : target.timeline || request.trace === true;
    const run = new HubRun(demo, viewer, size, mark, traced);
    if (current !== undefined) this.forget(current);
    this.latest.set(demo, run);
    this.runs.set(run.id, run);
    for (const [other, demos] of this.viewers) {
      if (demos.has(demo)) run.watchers.set(other, newWatch());
    }
    // A replay shows timings as they were recorded, whatever else runs now.
    const warning = play.kind === 'live' && target.timing && busy.length > 0 ? `${busy.map((b) => b.demo).join(', ')} ${busy.length === 1 ? 'is' : 'are'} still running: timings may be off` : undefined;
    this.toWatchers(run, 'starting', { run: run.id, demo, ...size, ...(warning === undefined ? {} : { warning }), ...(mark === null ? {} : { recording: mark }), ...(traced ? { traced } : {}) });
    if (warning !== undefined) this.fanOut(run, `\x1b[33m⚠ ${warning}\x1b[0m\r\n`);
    this.broadcastActivity();
    this.track(play.kind === 'live' ? this.launch(run, target, request, play) : this.launchReplay(run, target, play.recording));
  }

  stop(viewer: Viewer, id: string): void {
    const run = this.runs.get(id);
    if (run === undefined || !run.live) {
      viewer.send('error', { run: id, message: `no run "${id}" is going on` });
      return;
    }
    this.endRun(run, 'stopped');
  }

  input(viewer: Viewer, id: string, data: string): void {
    const run = this.runs.get(id);
    if (run?.live) run.run?.write(data);
    else viewer.send('error', { run: id, message: `no run "${id}" is going on` });
  }

  /** Only the page that started a run sizes it; the others draw it at its size. A replay keeps its recorded size. */
  resize(viewer: Viewer, id: string, cols: number, rows: number): void {
    const run = this.runs.get(id);
    if (run === undefined || !run.live || run.by !== viewer || run.recording !== null) return;
    run.run?.resize(cols, rows);
    run.screen.resize(cols, rows);
    this.toWatchers(run, 'resized', { run: id, cols, rows });
  }

  /** `viewer` has written `bytes` more of the run's output into its terminal. */
  acknowledge(viewer: Viewer, id: string, bytes: number): void {
    const run = this.runs.get(id);
    const watch = run?.watchers.get(viewer);
    if (run === undefined || watch === undefined) return;
    watch.unacked = Math.max(0, watch.unacked - bytes);
    run.run?.reviewFlow();
  }

  /** Ends every run for `reason` (the server is stopping) and resolves once all have exited. */
  async close(reason: ExitReason): Promise<void> {
    this.closing = reason;
    if (this.orphanTimer !== null) clearTimeout(this.orphanTimer);
    if (this.staleTimer !== null) clearInterval(this.staleTimer);
    await Promise.all(this.launches);
    await Promise.all([...this.runs.values()].map((run) => run.run?.end(reason)));
    for (const run of this.runs.values()) run.screen.dispose();
  }

  private async launch(run: HubRun, target: RunTarget, request: RunRequest, play: Play & { kind: 'live' }): Promise<void> {
    const { source } = play;
    let handle: RunHandle;
    try {
      handle = await this.options.runners[target.runtime].start({
        file: target.file,
        cwd: path.dirname(target.file),
        cols: request.cols,
        rows: request.rows,
        memoryLimitBytes: this.options.memoryLimitBytes,
        requires: target.requires,
        trace: run.traced,
        ...(source === undefined ? {} : { source }),
      });
    } catch (error) {
      this.options.budget.give();
      const end: RunEnd = { code: null, signal: null, durationMs: 0, reason: 'error', message: error instanceof Error ? error.message : String(error) };
      this.finish(run, end);
      this.fallBack(run, request, target, play, fallbackReason(target, end, error));
      return;
    }
    await this.follow(run, handle, target, (end) => {
      this.options.budget.give();
      this.finish(run, end);
      this.fallBack(run, request, target, play, fallbackReason(target, end));
    });
  }

  /**
   * Plays the recording as the run's process. Its limits are the slide's, stretched to the
   * recording's own length and output; it ends with the recorded exit when it plays to its end.
   */
  private async launchReplay(run: HubRun, target: RunTarget, recording: Recording): Promise<void> {
    const recorded = recording.meta.end;
    const length = recording.events.reduce((sum, event) => sum + event[2].length, 0);
    const limits = { timeoutMs: target.timeoutMs + recorded.durationMs, maxOutputBytes: Math.max(target.maxOutputBytes, length) };
    await this.follow(run, new ReplayHandle(recording), limits, (end) => this.finish(run, end.reason === 'exit' ? recorded : end));
  }

  /** The hub's `Run` of a handle: its output to every watcher, paced by the slowest; `exit` once it ended. */
  private async follow(run: HubRun, handle: RunHandle, limits: RunLimits, exit: (end: RunEnd) => void): Promise<void> {
    run.run = new Run(handle, limits, this.options.flow, {
      output: (data) => this.fanOut(run, data),
      lag: () => this.lagOf(run),
      exit,
    });
    // Not the `Run`'s: the last events may come after the exit, once the run's processes are gone.
    handle.onTrace?.((events) => this.addTrace(run, events));
    this.toWatchers(run, 'started', { run: run.id, pid: run.run.pid });
    if (this.closing !== null) await run.run.end(this.closing);
    else if (run.endRequested !== null) await run.run.end(run.endRequested);
  }

  private endRun(run: HubRun, reason: ExitReason): void {
    if (!run.live) return;
    if (run.run === null) run.endRequested ??= reason;
    else void run.run.end(reason);
  }

  private fanOut(run: HubRun, data: string): void {
    run.screen.write(data);
    // Encoded once, sent as the same string to every page (a flood's batches are 64 KiB each).
    let frame: string | null = null;
    const encoded = (): string => (frame ??= encodeServerMessage('output', { run: run.id, data }));
    for (const [viewer, watch] of run.watchers) {
      if (watch.held !== null) watch.held.push(data);
      else if (!watch.stale) this.deliver(viewer, run, watch, data, encoded);
    }
  }

  /** Keeps a batch of the run's trace events and sends every page watching it what it has not had yet. */
  private addTrace(run: HubRun, events: readonly TraceEvent[]): void {
    for (const event of events) run.trace.push(event);
    // A page whose screen is being taken gets the events so far after it.
    for (const [viewer, watch] of run.watchers) if (watch.held === null) this.sendTrace(viewer, run, watch);
  }

  private sendTrace(viewer: Viewer, run: HubRun, watch: Watch): void {
    const from = watch.traceSent;
    if (from >= run.trace.length) return;
    watch.traceSent = run.trace.length;
    viewer.send('trace', { run: run.id, from, events: run.trace.slice(from) });
  }

  private deliver(viewer: Viewer, run: HubRun, watch: Watch, data: string, encoded: () => string): void {
    if (viewer.role === 'audience') {
      const now = performance.now();
      if (now - watch.windowStart >= AUDIENCE_WINDOW_MS) {
        watch.windowStart = now;
        watch.windowBytes = 0;
      }
      const allowed = (this.options.audienceMaxRate * AUDIENCE_WINDOW_MS) / 1000;
      if (viewer.backlog() > this.options.audienceMaxBacklog || watch.windowBytes + data.length > allowed) {
        watch.stale = true;
        watch.staleSince = now;
        this.watchStale();
        return;
      }
      watch.windowBytes += data.length;
      viewer.sendFrame(encoded());
      return;
    }
    watch.unacked += data.length;
    viewer.sendFrame(encoded(), () => run.run?.reviewFlow());
  }

  /** The slowest of the run's pacers: its own screen and every presenter page watching it. */
  private lagOf(run: HubRun): number {
    let lag = run.screen.lag;
    for (const [viewer, watch] of run.watchers) {
      if (viewer.role === 'presenter') lag = Math.max(lag, watch.unacked, viewer.backlog());
    }
    return lag;
  }

  private finish(run: HubRun, end: RunEnd): void {
    run.end = end;
    run.screen.freeze();
    const frame = encodeServerMessage('exit', { run: run.id, ...end });
    for (const [viewer, watch] of run.watchers) {
      // A page whose screen is being taken gets the exit after it; a page that fell behind, in its fresh screen.
      if (watch.held !== null) watch.exitHeld = true;
      else if (!watch.stale) viewer.sendFrame(frame);
    }
    this.broadcastActivity();
    this.options.onRunEnded?.({ demo: run.demo, end });
  }

  /**
   * The run's screen to some pages, then what they missed meanwhile, then (if it ended
   * meanwhile) its exit. One snapshot and one encoding serve every page of the group.
   */
  private async sendScreen(run: HubRun, group: readonly (readonly [Viewer, Watch])[], scrollback?: number): Promise<void> {
    const endedBefore = run.end;
    for (const [, watch] of group) {
      watch.held = [];
      watch.exitHeld = false;
      watch.unacked = 0;
    }
    const snapshot = await run.screen.snapshot(scrollback);
    const frame = encodeServerMessage('screen', {
      demo: run.demo,
      run: run.id,
      ...snapshot,
      elapsedMs: endedBefore?.durationMs ?? run.summary().elapsedMs,
      end: endedBefore,
      ...(run.recording === null ? {} : { recording: run.recording }),
      ...(run.traced ? { traced: true } : {}),
    });
    for (const [viewer, watch] of group) {
      if (run.watchers.get(viewer) !== watch) continue;
      viewer.sendFrame(frame);
      this.sendTrace(viewer, run, watch);
      const held = (watch.held ?? []).join('');
      watch.held = null;
      watch.windowStart = performance.now();
      watch.windowBytes = 0;
      if (held !== '') this.deliver(viewer, run, watch, held, () => encodeServerMessage('output', { run: run.id, data: held }));
      if (watch.exitHeld && run.end !== null && !watch.stale) viewer.send('exit', { run: run.id, ...run.end });
      watch.exitHeld = false;
    }
  }

  /** Sends stale audience pages, once their sockets have drained, a fresh screen a few times a second (one per run for all of them). */
  private watchStale(): void {
    if (this.staleTimer !== null) return;
    this.staleTimer = setInterval(() => {
      let waiting = false;
      const now = performance.now();
      for (const run of this.runs.values()) {
        const ready: [Viewer, Watch][] = [];
        for (const [viewer, watch] of run.watchers) {
          if (!watch.stale) continue;
          if (viewer.backlog() > this.options.audienceMaxBacklog / 4 || now - watch.staleSince < AUDIENCE_REFRESH_MS) {
            waiting = true;
            continue;
          }
          watch.stale = false;
          ready.push([viewer, watch]);
        }
        if (ready.length > 0) void this.sendScreen(run, ready, AUDIENCE_REFRESH_SCROLLBACK);
      }
      if (!waiting && this.staleTimer !== null) {
        clearInterval(this.staleTimer);
        this.staleTimer = null;
      }
    }, 50);
  }

  /** A run replaced by a newer run of its demo. */
  private forget(run: HubRun): void {
    this.runs.delete(run.id);
    // A screen of it still being taken for a page must not follow the new run's `starting`.
    run.watchers.clear();
    run.screen.dispose();
  }

  private holdEdit(demo: string, text: string | null): void {
    if (text === null) this.edits.delete(demo);
    else this.edits.set(demo, text);
    this.editCounts.set(demo, (this.editCounts.get(demo) ?? 0) + 1);
  }

  /** The held edit of `demo`, if any, to a page that has just started watching it. */
  private sendEdit(viewer: Viewer, demo: string): void {
    const text = this.edits.get(demo);
    if (text !== undefined && this.viewers.get(viewer)?.has(demo)) viewer.send('edited', { demo, text });
  }

  /** Edited code's problems (none: clear the marks) to every page watching the demo, and to the page that ran it. */
  private diagnose(viewer: Viewer, demo: string, items: readonly Diagnostic[]): void {
    const frame = encodeServerMessage('diagnostics', { demo, items: [...items] });
    this.toDemoWatchers(demo, frame);
    if (!this.viewers.get(viewer)?.has(demo)) viewer.sendFrame(frame);
  }

  /** An encoded message to every page watching `demo` (whether or not it has a run), but `except`. */
  private toDemoWatchers(demo: string, frame: string, except?: Viewer): void {
    for (const [viewer, demos] of this.viewers) {
      if (viewer !== except && demos.has(demo)) viewer.sendFrame(frame);
    }
  }

  private toWatchers<K extends ServerMessageType>(run: HubRun, type: K, payload: ServerMessageMap[K]): void {
    const frame = encodeServerMessage(type, payload);
    for (const viewer of run.watchers.keys()) viewer.sendFrame(frame);
  }

  private broadcastActivity(): void {
    const frame = encodeServerMessage('activity', { runs: this.activity() });
    for (const viewer of this.viewers.keys()) viewer.sendFrame(frame);
  }
}

function newWatch(): Watch {
  return { unacked: 0, held: null, exitHeld: false, stale: false, staleSince: 0, windowBytes: 0, windowStart: 0, traceSent: 0 };
}
