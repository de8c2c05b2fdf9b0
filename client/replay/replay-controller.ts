/**
 * A demo's recording played into its terminal view, where the live page would run it: Run
 * plays it at its recorded pace (from the start, or on from where Stop paused it), Stop
 * pauses, Skip to end writes the rest at once; the end is the exit line the live page
 * writes. The terminal is drawn at the recording's size, so its lines wrap as they did.
 * It knows nothing of a server: the recording comes from `load`, the pace from CastPlayer.
 * A traced run's recording replays its trace into the demo's timeline, in step with the output.
 */
import type { IDisposable } from '@xterm/xterm';
import { CastPlayer } from '../../server/recordings/cast-player.ts';
import type { Recording } from '../../server/recordings/recording.ts';
import { describeExit, DIM, formatSeconds, RED, RESET } from '../../server/describe-exit.ts';
import { listen } from '../runs/terminal-view.ts';
import type { TerminalView } from '../runs/terminal-view.ts';
import type { TimelineController } from '../timeline/timeline-controller.ts';

/** Output the terminal has not drawn yet past which the player waits for it (a flood must not pile up in xterm). */
const BACKLOG_HIGH_CHARS = 256 * 1024;
const BACKLOG_LOW_CHARS = 64 * 1024;

export class ReplayController implements IDisposable {
  private player: CastPlayer | null = null;
  private loading: Promise<CastPlayer | null> | null = null;
  /** The viewer paused (Stop); the player may also be held while xterm catches up. */
  private paused = false;
  private heldForTerminal = false;
  private backlog = 0;
  private progressTimer: ReturnType<typeof setInterval> | null = null;
  private readonly skipButton: HTMLButtonElement;
  private readonly disposables: IDisposable[] = [];
  private disposed = false;
  /** Plays of this controller, each a run of its own for the timeline. */
  private plays = 0;

  constructor(
    private readonly view: TerminalView,
    name: string,
    private readonly load: () => Promise<Recording | null>,
    private readonly timeline: TimelineController | null = null,
  ) {
    this.skipButton = view.addButton('Skip to end', `Skip to the end of ${name}`, 'demo-skip');
    this.disposables.push(
      view.onRun(() => this.play()),
      view.onStop(() => this.pause()),
      listen(this.skipButton, 'click', () => this.skipToEnd()),
    );
  }

  /** Plays the recording from the start, or on from where it was paused (Run, or `r`). */
  play(): void {
    void this.withPlayer((player) => {
      this.paused = false;
      this.showPlaying();
      if (!this.heldForTerminal) player.play();
    });
  }

  /** Pauses a playing recording (Stop, or `.`). */
  pause(): void {
    const player = this.player;
    if (player === null || player.done || this.paused) return;
    this.paused = true;
    player.pause();
    this.stopProgress();
    this.view.showPhase('idle', `paused · ${formatSeconds(player.positionMs)}`);
  }

  /** Writes the rest of the recording at once, and its end. */
  skipToEnd(): void {
    void this.withPlayer((player) => player.skipToEnd());
  }

  /** Whether its demo is on `slide`. */
  isOn(slide: Element | undefined): boolean {
    return this.view.isOn(slide);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.player?.dispose();
    this.stopProgress();
    this.timeline?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.view.dispose();
  }

  /** Acts on the current playback, or on a fresh one from the start when there is none (or it ended). */
  private async withPlayer(action: (player: CastPlayer) => void): Promise<void> {
    const current = this.player;
    const player = current !== null && !current.done ? current : await this.begin();
    if (player !== null && !this.disposed && player === this.player) action(player);
  }

  private begin(): Promise<CastPlayer | null> {
    this.loading ??= this.load().then(
      (recording) => {
        this.loading = null;
        if (this.disposed) return null;
        if (recording === null) {
          this.view.writeLine(`${DIM}No recording of this demo.${RESET}`);
          this.view.showPhase('idle', 'no recording');
          return null;
        }
        return this.start(recording);
      },
      (error: unknown) => {
        this.loading = null;
        if (!this.disposed) {
          this.view.writeLine(`${RED}✖ ${error instanceof Error ? error.message : String(error)}${RESET}`);
          this.view.showPhase('idle', 'not loaded');
        }
        return null;
      },
    );
    return this.loading;
  }

  private start(recording: Recording): CastPlayer {
    this.player?.dispose();
    this.paused = false;
    this.heldForTerminal = false;
    this.backlog = 0;
    this.view.reset({ cols: recording.header.width, rows: recording.header.height });
    this.skipButton.disabled = false;
    const run = `replay-${++this.plays}`;
    let traced = 0;
    this.timeline?.begin(run, (recording.trace?.length ?? 0) > 0, 0);
    const player: CastPlayer = new CastPlayer(
      recording.events,
      {
        output: (data) => this.write(player, data),
        trace: (events) => {
          this.timeline?.add(run, traced, events);
          traced += events.length;
        },
        end: () => this.end(recording),
      },
      undefined,
      recording.trace,
    );
    this.player = player;
    return player;
  }

  /** Writes output, holding the player while xterm has much of it still to draw. */
  private write(player: CastPlayer, data: string): void {
    this.backlog += data.length;
    this.view.write(data, () => {
      this.backlog -= data.length;
      if (!this.heldForTerminal || this.backlog > BACKLOG_LOW_CHARS || player !== this.player) return;
      this.heldForTerminal = false;
      if (!this.paused) player.play();
    });
    if (this.backlog > BACKLOG_HIGH_CHARS && player.playing) {
      this.heldForTerminal = true;
      player.pause();
    }
  }

  private end(recording: Recording): void {
    const { end } = recording.meta;
    const { line, status } = describeExit(end);
    const note = end.message !== undefined && end.message !== '' ? `${DIM}${end.message}${RESET}\r\n` : '';
    this.stopProgress();
    this.timeline?.end();
    this.view.writeLine(line, note);
    this.view.finish();
    this.view.showPhase('idle', status);
    this.skipButton.disabled = true;
  }

  /** While it plays, the status shows how far into the recording it is. */
  private showPlaying(): void {
    this.view.showPhase('running', 'playing');
    this.stopProgress();
    this.progressTimer = setInterval(() => {
      const player = this.player;
      if (player !== null && !player.done && !this.paused) this.view.showStatus(`playing · ${formatSeconds(player.positionMs)}`);
    }, 500);
  }

  private stopProgress(): void {
    if (this.progressTimer !== null) clearInterval(this.progressTimer);
    this.progressTimer = null;
  }
}
