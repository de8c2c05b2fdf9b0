/** The last line a run leaves in its terminal, and the short status beside its buttons: for the page, the recordings and the PDF alike. Pure. */
import type { RunEnd } from './run-outcome.ts';

export const DIM = '\x1b[2m';
export const RED = '\x1b[31m';
export const YELLOW = '\x1b[33m';
export const RESET = '\x1b[0m';

export function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function describeExit(end: RunEnd): { line: string; status: string } {
  const time = formatSeconds(end.durationMs);
  const signal = end.signal === null ? '' : ` (${end.signal})`;
  switch (end.reason) {
    case 'exit': {
      const code = end.code ?? 0;
      const color = code === 0 ? DIM : RED;
      return { line: `${color}⏎ exit ${code}${signal} · ${time}${RESET}`, status: `exit ${code}` };
    }
    case 'stopped':
      return { line: `${YELLOW}■ stopped${signal} · ${time}${RESET}`, status: 'stopped' };
    case 'timeout':
      return { line: `${YELLOW}⏱ stopped: time limit${signal} · ${time}${RESET}`, status: 'time limit' };
    case 'output-limit':
      return { line: `${YELLOW}⏹ stopped: output limit${signal} · ${time}${RESET}`, status: 'output limit' };
    case 'memory-limit':
      return { line: `${YELLOW}⏹ stopped: memory limit${signal} · ${time}${RESET}`, status: 'memory limit' };
    case 'disconnected':
      return { line: `${RED}⚠ no presenter page left · ${time}${RESET}`, status: 'ended: no presenter' };
    case 'shutdown':
      return { line: `${YELLOW}⏻ server shutting down · ${time}${RESET}`, status: 'server stopped' };
    case 'error':
      return { line: `${RED}✖ error${signal} · ${time}${RESET}`, status: 'error' };
  }
}
