/** The marks and colours of the deck's command-line reports (`npm run check`, `npm run record`); plain text when not on a terminal. */

const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const YELLOW = '\x1b[33m';
export const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

export const color = process.stdout.isTTY ? (code: string, text: string): string => `${code}${text}${RESET}` : (_code: string, text: string): string => text;

export const PASS = color(GREEN, '✓');
export const FAIL = color(RED, '✗');
export const WARN = color(YELLOW, '⚠');
export const INFO = color(DIM, 'ℹ');

/** A demo's line label: its key padded to `width`, then where its slide embeds it, dimmed. */
export function demoLabel(key: string, width: number, where: string): string {
  return `${key.padEnd(width)}  ${color(DIM, where)}`;
}

/** A run's time as the reports give it: `1.7 s`. */
export function formatDuration(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
