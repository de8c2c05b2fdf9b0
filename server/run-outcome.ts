/**
 * How a run ended, in the runs' own words: the session sends it to the page as its `exit`
 * message, `npm run check` compares it with what the slide expects, and the bench counts it.
 */

/** Why a run ended, as shown at the end of its terminal. */
export const EXIT_REASONS = ['exit', 'stopped', 'timeout', 'output-limit', 'memory-limit', 'disconnected', 'shutdown', 'error'] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

export interface RunEnd {
  /** Exit code, or null when the run ended by a signal or never started. */
  readonly code: number | null;
  /** Signal name such as `SIGTERM`, or null. */
  readonly signal: string | null;
  readonly durationMs: number;
  readonly reason: ExitReason;
  /** What to tell the speaker when the reason is not a plain `exit` (`time limit of 30 s reached`). */
  readonly message?: string;
}
