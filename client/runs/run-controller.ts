/**
 * The protocol side of one demo on a page: it asks the server to run or stop the demo,
 * follows the demo's run (whichever screen started it) into its terminal view, acknowledges
 * what the view has drawn (which is what lets the server pause a demo that prints faster than
 * the page can draw), and sends keys and sizes. Everything it holds ends in `dispose()`.
 *
 * A run may be a replay of the demo's recording (asked for here, or played by the server in
 * place of a live run that failed): the view marks it plainly, with the recording's date and
 * why it plays, from its first line to its exit line.
 *
 * A traced run's events (`trace`) go to the demo's timeline, which it tells when a run begins
 * and ends; a run this page asks for while the timeline is shown is asked to be traced.
 */
import type { IDisposable } from '@xterm/xterm';
import { LIMITS } from '../../server/protocol.ts';
import type { RecordingMark, RunEnd, ServerMessageMap } from '../../server/protocol.ts';
import type { SocketClient } from '../socket-client.ts';
import { describeExit, DIM, formatSeconds, RED, RESET } from '../../server/describe-exit.ts';
import { formatRecordedDate, recordingLabel } from './recorded-date.ts';
import type { TerminalView } from './terminal-view.ts';
import type { TimelineController } from '../timeline/timeline-controller.ts';

export interface DemoSpec {
  /** The demo's key in the deck: all the server needs to know what to run, and under which limits. */
  readonly key: string;
  /** The demo reads keyboard input: the terminal takes the keys when this page runs it. */
  readonly input: boolean;
  /** The edited code the slide shows, to run in place of the file's; null when it shows the file's. */
  readonly editedSource?: () => string | null;
}

type Phase = 'idle' | 'requested' | 'starting' | 'running' | 'ended';

export class RunController implements IDisposable {
  private phase: Phase = 'idle';
  private run: string | null = null;
  /** This page asked for the current run: it sizes it, and may give it the keys. */
  private mine = false;
  private stopPending = false;
  private stopping = false;
  /** The current run is a replay of the demo's recording: its date, as the page's locale writes it. */
  private recordedOn: string | null = null;
  private startedAt = 0;
  private elapsedTimer: ReturnType<typeof setInterval> | null = null;
  /** Output of the current run that the view has drawn and the server has not yet been told of. */
  private drawnUnacked = 0;
  private readonly disposables: IDisposable[] = [];

  constructor(
    private readonly spec: DemoSpec,
    private readonly view: TerminalView,
    private readonly socket: SocketClient,
    private readonly timeline: TimelineController | null = null,
  ) {
    const mineOnly = <K extends keyof ServerMessageMap>(handler: (m: ServerMessageMap[K]) => void) => (m: ServerMessageMap[K]): void => {
      if ((m as { run?: string }).run === this.run) handler(m);
    };
    this.disposables.push(
      socket.on('starting', (m) => { if (m.demo === spec.key) this.onStarting(m); }),
      socket.on('screen', (m) => { if (m.demo === spec.key) this.onScreen(m); }),
      socket.on('started', mineOnly<'started'>(() => this.onStarted())),
      socket.on('output', mineOnly<'output'>((m) => this.onOutput(m.data))),
      socket.on('resized', mineOnly<'resized'>((m) => { if (!this.mine) view.resizeTo(m); })),
      socket.on('exit', mineOnly<'exit'>((m) => this.onExit(m))),
      socket.on('trace', mineOnly<'trace'>((m) => timeline?.add(m.run, m.from, m.events))),
      socket.on('error', (m) => this.onError(m)),
      socket.onStateChange((state) => { if (state !== 'open' && this.live) view.showStatus('reconnecting…'); }),
      view.onRun(() => this.start()),
      view.onStop(() => this.stop()),
      view.onInput((data) => this.sendInput(data)),
    );
  }

  get key(): string {
    return this.spec.key;
  }

  private get live(): boolean {
    return this.phase === 'starting' || this.phase === 'running';
  }

  /** Runs the demo (from the Run button or the `r` key). */
  start(): void {
    this.request(false);
  }

  /** Plays the demo's recording instead of running it (Shift+R, or the presenter screen's button). */
  playRecording(): void {
    this.request(true);
  }

  private request(recording: boolean): void {
    if (this.socket.role !== 'presenter' || this.phase === 'requested' || this.live) return;
    this.view.fit();
    const { cols, rows } = this.view.size;
    const source = recording ? null : (this.spec.editedSource?.() ?? null);
    const sent = this.socket.send({
      type: 'run',
      demo: this.spec.key,
      cols: Math.max(LIMITS.cols.min, cols),
      rows: Math.max(LIMITS.rows.min, rows),
      ...(source === null ? {} : { source }),
      ...(recording ? { recording } : {}),
      ...(this.timeline?.wantsTrace === true ? { trace: true } : {}),
    });
    if (!sent) {
      this.view.writeLine(`${RED}⚠ not connected to the server; try again in a moment${RESET}`);
      this.view.showPhase('idle', 'not connected');
      return;
    }
    this.phase = 'requested';
    this.stopPending = false;
    this.view.showPhase('starting', recording ? 'loading the recording…' : 'starting…');
  }

  /** Stops the demo's run (from the Stop button or the `.` key); also while it is still starting. */
  stop(): void {
    if (this.phase === 'requested') {
      this.stopPending = true;
    } else if (this.live && this.run !== null && !this.stopping) {
      this.stopping = true;
      this.socket.send({ type: 'stop', run: this.run });
    } else {
      return;
    }
    this.view.showPhase('stopping', 'stopping…');
  }

  /** The view's box changed size: a run this page started follows it. */
  fit(): void {
    const size = this.view.fit();
    if (size !== null && this.mine && this.live && this.run !== null && this.recordedOn === null) this.socket.send({ type: 'resize', run: this.run, ...size });
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.stopElapsed();
    this.timeline?.dispose();
    this.view.dispose();
  }

  private onStarting(m: ServerMessageMap['starting']): void {
    this.mine = this.phase === 'requested';
    // A recording keeps the size it was recorded at, whoever asked for it.
    this.begin(m.run, this.mine && m.recording === undefined ? null : m, m.recording);
    this.timeline?.begin(m.run, m.traced === true, 0);
    this.phase = 'starting';
    this.view.showPhase('starting', m.warning === undefined ? 'starting…' : 'starting… (another run is busy)');
    if (this.stopPending) this.stop();
  }

  private onStarted(): void {
    this.phase = 'running';
    if (!this.stopping) this.view.showPhase('running', this.runningText);
    if (this.mine && this.spec.input && this.recordedOn === null) this.view.takeKeys();
  }

  private get runningText(): string {
    return this.recordedOn === null ? 'running' : 'playing';
  }

  /** The run's screen as the server has it: drawn first, then the live stream. */
  private onScreen(m: ServerMessageMap['screen']): void {
    this.mine = this.mine && m.run === this.run;
    this.begin(m.run, this.mine && m.recording === undefined ? null : m, m.recording);
    this.startedAt = performance.now() - m.elapsedMs;
    this.timeline?.begin(m.run, m.traced === true, m.elapsedMs);
    this.view.write(m.data);
    if (m.end === null) {
      this.phase = 'running';
      this.view.showPhase('running', this.runningText);
    } else {
      this.end(m.end);
    }
  }

  private begin(run: string, pin: { cols: number; rows: number } | null, recording: RecordingMark | undefined): void {
    this.run = run;
    this.stopping = false;
    this.drawnUnacked = 0;
    this.startedAt = performance.now();
    this.view.reset(pin === null ? null : { cols: pin.cols, rows: pin.rows });
    this.markRecording(recording);
    this.startElapsed();
  }

  /** A replay says so in the toolbar and in its first line (when and why); a live run clears the mark. */
  private markRecording(recording: RecordingMark | undefined): void {
    const date = recording === undefined ? null : formatRecordedDate(recording.recordedAt);
    this.recordedOn = date;
    this.view.showRecording(recording === undefined ? null : recordingLabel(recording.recordedAt));
    if (recording === undefined || date === null) return;
    const why = recording.reason === null ? '' : ` — ${recording.reason}`;
    this.view.write(`${DIM}▶ recording of ${date}${why}${RESET}\r\n`);
  }

  private onOutput(data: string): void {
    const run = this.run;
    const bytes = data.length;
    this.view.write(data, () => this.acknowledge(run, bytes));
  }

  private onExit(m: ServerMessageMap['exit']): void {
    this.end(m);
  }

  private end(end: RunEnd): void {
    const { line, status } = describeExit(end);
    const note = end.message !== undefined && end.message !== '' ? `${DIM}${end.message}${RESET}\r\n` : '';
    const recorded = this.recordedOn === null ? '' : `${DIM} · recorded ${this.recordedOn}${RESET}`;
    this.view.writeLine(`${line}${recorded}`, note);
    this.view.finish();
    this.timeline?.end();
    this.phase = 'ended';
    this.stopping = false;
    this.stopElapsed();
    this.view.showPhase('idle', status);
  }

  /** A run this page asked for that could not start (unknown demo, too many runs), or a refused message. */
  private onError(m: ServerMessageMap['error']): void {
    const forMe = (m.demo === this.spec.key && this.phase === 'requested') || (m.run !== undefined && m.run === this.run);
    if (!forMe) return;
    this.view.writeLine(`${RED}✖ ${m.message}${RESET}`);
    if (this.phase === 'requested') {
      this.phase = 'idle';
      this.view.showPhase('idle', 'not started');
    }
  }

  /**
   * xterm calls back once per chunk it has drawn, and draws several chunks in one slice of
   * its work: the chunks of one slice are acknowledged in one message, sent as the slice ends.
   * Audience pages never pace a run, so they do not acknowledge.
   */
  private acknowledge(run: string | null, bytes: number): void {
    if (run === null || run !== this.run || this.socket.role !== 'presenter') return;
    const scheduled = this.drawnUnacked > 0;
    this.drawnUnacked += bytes;
    if (scheduled) return;
    queueMicrotask(() => {
      const drawn = this.drawnUnacked;
      this.drawnUnacked = 0;
      if (this.run === run && drawn > 0) this.socket.send({ type: 'ack', run, bytes: drawn });
    });
  }

  private sendInput(data: string): void {
    if (!this.live || this.run === null) return;
    for (let i = 0; i < data.length; i += LIMITS.maxInputChars) {
      this.socket.send({ type: 'input', run: this.run, data: data.slice(i, i + LIMITS.maxInputChars) });
    }
  }

  /** While a run is silent, its status still shows that it is alive: the time since it started. */
  private startElapsed(): void {
    this.stopElapsed();
    this.elapsedTimer = setInterval(() => {
      if (this.phase === 'running' && !this.stopping) this.view.showStatus(`${this.runningText} · ${formatSeconds(performance.now() - this.startedAt)}`);
    }, 1000);
  }

  private stopElapsed(): void {
    if (this.elapsedTimer !== null) clearInterval(this.elapsedTimer);
    this.elapsedTimer = null;
  }
}
