/** The two events of a run handle, with the one rule they share: exit comes once, last, and ends both. */
import type { Disposable, RunExit } from './runner.ts';

export class RunEvents {
  private readonly dataListeners = new Set<(data: string) => void>();
  private readonly exitListeners = new Set<(exit: RunExit) => void>();
  private exitValue: RunExit | null = null;

  /** How the run ended, once it has. */
  get exit(): RunExit | null {
    return this.exitValue;
  }

  onData(listener: (data: string) => void): Disposable {
    this.dataListeners.add(listener);
    return { dispose: () => this.dataListeners.delete(listener) };
  }

  /** A listener added after the exit still hears of it, asynchronously. */
  onExit(listener: (exit: RunExit) => void): Disposable {
    const exit = this.exitValue;
    if (exit) {
      queueMicrotask(() => listener(exit));
      return { dispose: () => undefined };
    }
    this.exitListeners.add(listener);
    return { dispose: () => this.exitListeners.delete(listener) };
  }

  emitData(data: string): void {
    for (const listener of [...this.dataListeners]) listener(data);
  }

  emitExit(exit: RunExit): void {
    this.exitValue = exit;
    for (const listener of [...this.exitListeners]) listener(exit);
    this.exitListeners.clear();
    this.dataListeners.clear();
  }
}
