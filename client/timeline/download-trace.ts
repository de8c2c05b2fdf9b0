/**
 * Saves a run's trace as `<demo>.trace.json`: the JSON object file (`traceEvents`) that
 * Perfetto (ui.perfetto.dev, Open trace file) and chrome://tracing open as they are.
 */
import { traceFile } from '../../server/trace/trace-event.ts';
import type { TraceEvent } from '../../server/trace/trace-event.ts';

export function downloadTrace(demo: string, run: string, events: readonly TraceEvent[]): void {
  const file = traceFile(events, { demo, run });
  const url = URL.createObjectURL(new Blob([JSON.stringify(file)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = traceFileName(demo);
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file by the time the click's task is over.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** `concepts/deadlock.py` → `deadlock.py.trace.json`. */
export function traceFileName(demo: string): string {
  const base = demo.split('/').pop() ?? '';
  return `${base === '' ? 'demo' : base}.trace.json`;
}
