/**
 * A recording played as if it were a run: a `RunHandle` whose output is the recording's, at
 * its recorded pace, and whose exit is the recorded one. The run hub runs it like any other
 * handle, so a replay has a `Run` (limits, batching, flow control) and reaches every screen
 * that watches its demo, late joiners included. Nothing executes: there is no process, no
 * input and no size to change.
 */
import type { Disposable, RunExit, RunHandle } from '../runners/runner.ts';
import type { TraceEvent } from '../trace/trace-event.ts';
import { CastPlayer } from './cast-player.ts';
import type { CastEvent, Recording } from './recording.ts';

/** What a replay ended by Stop reports: what a stopped process reports. */
const STOPPED: RunExit = { code: null, signal: 'SIGTERM' };

export class ReplayHandle implements RunHandle {
  readonly pid = null;
  private readonly dataListeners = new Set<(data: string) => void>();
  private readonly exitListeners = new Set<(exit: RunExit) => void>();
  private readonly traceListeners = new Set<(events: readonly TraceEvent[]) => void>();
  private readonly player: CastPlayer;
  private readonly startTimer: ReturnType<typeof setTimeout>;
  private exit: RunExit | null = null;
  private paused = false;

  constructor(recording: Pick<Recording, 'events' | 'meta' | 'trace'>) {
    const { end } = recording.meta;
    const recorded: RunExit = { code: end.code, signal: end.signal };
    this.player = new CastPlayer(withExitAt(recording.events, end.durationMs), {
      output: (data) => {
        for (const listener of this.dataListeners) listener(data);
      },
      trace: (events) => {
        for (const listener of this.traceListeners) listener(events);
      },
      end: () => this.exitWith(recorded),
    }, undefined, recording.trace);
    // Played from the next turn, as a process would print: the caller attaches its listeners first.
    this.startTimer = setTimeout(() => {
      if (!this.paused) this.player.play();
    }, 0);
  }

  onData(listener: (data: string) => void): Disposable {
    this.dataListeners.add(listener);
    return { dispose: () => this.dataListeners.delete(listener) };
  }

  onExit(listener: (exit: RunExit) => void): Disposable {
    this.exitListeners.add(listener);
    return { dispose: () => this.exitListeners.delete(listener) };
  }

  onTrace(listener: (events: readonly TraceEvent[]) => void): Disposable {
    this.traceListeners.add(listener);
    return { dispose: () => this.traceListeners.delete(listener) };
  }

  /** A recording reads no keys. */
  write(): void {}

  /** A recording keeps the size it was recorded at. */
  resize(): void {}

  pause(): void {
    this.paused = true;
    this.player.pause();
  }

  resume(): void {
    this.paused = false;
    if (this.exit === null) this.player.play();
  }

  kill(): Promise<void> {
    clearTimeout(this.startTimer);
    this.player.dispose();
    this.exitWith(STOPPED);
    return Promise.resolve();
  }

  private exitWith(exit: RunExit): void {
    if (this.exit !== null) return;
    this.exit = exit;
    for (const listener of this.exitListeners) listener(exit);
    this.dataListeners.clear();
    this.exitListeners.clear();
  }
}

/**
 * The events, and an empty one at the run's end when it came after the last output (a demo
 * that waited before exiting): the player ends then, and the exit follows at its recorded time.
 */
function withExitAt(events: readonly CastEvent[], durationMs: number): readonly CastEvent[] {
  const last = events.at(-1)?.[0] ?? 0;
  const end = durationMs / 1000;
  return end > last ? [...events, [end, 'o', '']] : events;
}
