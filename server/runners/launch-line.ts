/**
 * The handshake between a pty runner and the bootstrap waiting in its terminal: the
 * bootstrap prints READY_MARKER and blocks reading one line from its terminal; the runner
 * writes the demo to run as that line; the terminal echoes it, the bootstrap prints
 * GO_MARKER, and from there on every byte is the demo's. The runner drops everything up to
 * GO_MARKER. It needs no terminal mode changes, so the demo gets its terminal exactly as a
 * fresh one.
 *
 * The line holds hex-encoded fields: cwd, file, trace, then the arguments. No quoting, no
 * JSON parser to load in the interpreter, and nothing in it the terminal's line editing
 * would act on. `trace` is the run's trace socket (trace-collector.ts), or `-` when the run
 * is not traced.
 */

/** Printed by the bootstrap when it waits for its line. Shared with python-bootstrap.py. */
export const READY_MARKER = '\x1b]697;ready\x07';
/** Printed by the bootstrap once it has read its line: what follows is the demo's. Shared with python-bootstrap.py. */
export const GO_MARKER = '\x1b]697;go\x07';

/** A canonical-mode terminal holds at most 4095 characters of a line. */
const MAX_LINE = 4000;

export interface Launch {
  /** Working directory of the demo. */
  readonly cwd: string;
  /** What the interpreter runs: the demo, or its compiled form. */
  readonly file: string;
  /** The traced run's side channel (a Unix socket path), or null. */
  readonly trace: string | null;
  readonly args: readonly string[];
}

const UNTRACED = '-';
const hex = (field: string): string => Buffer.from(field, 'utf8').toString('hex');
const unhex = (field: string): string => Buffer.from(field, 'hex').toString('utf8');

export function encodeLaunch(launch: Launch): string {
  const line = `${[hex(launch.cwd), hex(launch.file), launch.trace === null ? UNTRACED : hex(launch.trace), ...launch.args.map(hex)].join(' ')}\n`;
  if (line.length > MAX_LINE) throw new Error(`the demo's path is too long to hand to its interpreter (${line.length} > ${MAX_LINE} characters encoded)`);
  return line;
}

export function decodeLaunch(line: string): Launch {
  const [cwd = '', file = '', trace = UNTRACED, ...args] = line.trim().split(' ');
  return { cwd: unhex(cwd), file: unhex(file), trace: trace === UNTRACED ? null : unhex(trace), args: args.map(unhex) };
}
