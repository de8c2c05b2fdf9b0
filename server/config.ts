/** Every server option, with a doc line and a default, in one place. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DeckConfig {
  /** Folder that holds `slides/` and `demos/`. */
  root: string;
  /** Address to listen on. Anything but loopback needs `--host`, which prints a warning. */
  host: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** The presenter's access token (runs code; loopback only); generated when not given. */
  token: string | null;
  /** The audience's read-only token (follows the talk; from any address the server listens on); generated when not given. */
  audienceToken: string | null;
  /** Record a rehearsal: time per slide and run, written to `rehearsalsDir` when it ends. */
  rehearse: boolean;
  /** Where rehearsals are written and read (the last one paces the presenter screen); default `<root>/rehearsals`. */
  rehearsalsDir: string | null;
  /** Where the demos' recordings are read (`npm run record` writes them): played on stage when a live run cannot start or crashes, or when the speaker asks; default `<root>/recordings`. */
  recordingsDir: string | null;
  /** Reload the open pages when a slide or demo changes. */
  watch: boolean;
  /** Time limit of a run that names none. */
  defaultTimeoutMs: number;
  /** Output limit of a run that names none, in UTF-16 code units. */
  defaultMaxOutputBytes: number;
  /** Runs one page may have at once. */
  maxRunsPerPage: number;
  /** Runs the server has at once, over all pages. */
  maxRuns: number;
  /** Resident memory a run's processes may use together before the run is ended. */
  memoryLimitBytes: number;
  /** Unacknowledged output at which a run is paused… */
  highWatermark: number;
  /**
   * …and below which it resumes. Close to the high watermark: the page still has this much
   * to write while the resume travels to the demo and its next output back, so xterm never waits.
   */
  lowWatermark: number;
  /** An audience page whose socket holds more unsent output than this is sent a fresh screen instead. */
  audienceMaxBacklog: number;
  /** Output per second an audience page is sent live; past it (a flood) it gets a fresh screen four times a second instead. */
  audienceMaxRate: number;
  /** How long runs go on once no presenter page is connected (enough for a reload or a browser restart). */
  orphanGraceMs: number;
  /** Output is gathered for this long before it is sent, so a flood travels in few frames. */
  batchIntervalMs: number;
  /** A batch is sent at once when it reaches this size. */
  maxBatchBytes: number;
  /** Folder of the built client. */
  clientDir: string;
}

export const projectRoot = path.resolve(fileURLToPath(new URL('..', import.meta.url)));

export const defaultConfig: DeckConfig = {
  root: projectRoot,
  host: '127.0.0.1',
  port: 3030,
  token: null,
  audienceToken: null,
  rehearse: false,
  rehearsalsDir: null,
  recordingsDir: null,
  watch: true,
  defaultTimeoutMs: 30_000,
  defaultMaxOutputBytes: 64 * 1024 * 1024,
  memoryLimitBytes: 1024 * 1024 * 1024,
  maxRunsPerPage: 8,
  maxRuns: 16,
  highWatermark: 512 * 1024,
  lowWatermark: 384 * 1024,
  audienceMaxBacklog: 1024 * 1024,
  audienceMaxRate: 256 * 1024,
  orphanGraceMs: 15_000,
  batchIntervalMs: 4,
  maxBatchBytes: 64 * 1024,
  clientDir: path.join(projectRoot, 'dist', 'client'),
};
