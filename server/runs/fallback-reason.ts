/**
 * When a live run of a demo gives way to its recording on stage, and what the terminal says
 * about it. Only a run that could not start, or one that ended in a way its slide does not
 * expect (a crash of an `expect=ok` demo), falls back: a Stop or a limit is the speaker's
 * or the slide's own doing, and an `expect=fail` demo is meant to fail. Pure.
 */
import type { RunEnd } from '../run-outcome.ts';
import { RequirementUnmetError } from '../runners/python-requirement.ts';
import { RunnerUnavailableError } from '../runners/runner.ts';
import type { RuntimeName } from '../runtimes.ts';

/** What a speaker would install to run a demo of each runtime. */
const INTERPRETER: Readonly<Record<RuntimeName, string>> = { python: 'python3', worker: 'node', process: 'node' };

/**
 * Why the live run is to be replaced by the recording (`python3 is not available here`,
 * `the live run crashed (exit 1)`), or null when its end stays as it is. `cause`: what the
 * runner threw when the run could not start.
 */
export function fallbackReason(demo: { readonly runtime: RuntimeName; readonly expect: 'ok' | 'fail' }, end: RunEnd, cause?: unknown): string | null {
  if (end.reason === 'error') {
    // "needs Python 3.14 or later; python3 here is 3.11": the reason as it stands.
    if (cause instanceof RequirementUnmetError) return cause.message;
    if (cause instanceof RunnerUnavailableError) return `${INTERPRETER[demo.runtime]} is not available here`;
    const first = (end.message ?? '').split('\n').find((line) => line.trim() !== '')?.trim();
    return first === undefined ? 'the live run could not start' : `the live run could not start: ${first}`;
  }
  if (end.reason !== 'exit' || demo.expect === 'fail') return null;
  if (end.signal !== null) return `the live run crashed (${end.signal})`;
  if (end.code !== 0) return `the live run crashed (exit ${end.code ?? '?'})`;
  return null;
}
