/**
 * What a traced thread knows of itself: its writer, its pid and tid (the worker's
 * `threadId`; 0 on a process's main thread) and its flood budget. Every patch of the
 * tracer writes through one of these, so each event carries the right lane.
 */
import type { TraceArg, TraceEvent } from '../../trace/trace-event.ts';
import { FloodBudget } from './flood-budget.ts';
import { nowMicros } from './trace-writer.ts';
import type { TraceWriter } from './trace-writer.ts';

export class ThreadTrace {
  readonly pid = process.pid;
  readonly budget = new FloodBudget();

  constructor(
    readonly writer: TraceWriter,
    readonly tid: number,
  ) {
    writer.onFlush(() => this.reportSkipped());
  }

  emit(event: Omit<TraceEvent, 'pid' | 'tid' | 'ts'> & { readonly pid?: number; readonly tid?: number; readonly ts?: number }): void {
    this.writer.emit({ pid: this.pid, tid: this.tid, ts: nowMicros(), ...event });
  }

  /** Names the process (tid 0) or a thread of it. */
  name(kind: 'process_name' | 'thread_name', name: string, tid = this.tid): void {
    this.emit({ ph: 'M', name: kind, tid: kind === 'process_name' ? 0 : tid, ts: 0, args: { name } });
  }

  /** A lane begins (`B`) or ends (`E`, with its exit code when known). */
  lane(ph: 'B' | 'E', name: string, kind: 'process' | 'worker', tid = this.tid, args: Readonly<Record<string, TraceArg>> = {}): void {
    this.emit({ ph, cat: 'lane', name, tid, args: { kind, ...args } });
  }

  private reportSkipped(): void {
    for (const [what, skipped] of this.budget.takeSkipped()) {
      this.emit({ ph: 'i', cat: 'sampled', name: `${what} sampled`, tid: 0, s: 'p', args: { skipped, what } });
    }
  }
}
