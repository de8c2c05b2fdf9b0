import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DemoRef } from '../../server/deck/model.ts';
import { projectRoot } from '../../server/config.ts';
import { resolveRunTarget } from '../../server/runs/resolve-run-target.ts';

const demosDir = path.join(projectRoot, 'test/fixtures/server-deck/demos');
const defaults = { timeoutMs: 30_000, maxOutputBytes: 1024 };

function demo(runtime: DemoRef['runtime'], file: string, extra: Partial<DemoRef> = {}): DemoRef {
  return { runtime, path: file, region: null, steps: [], timeoutMs: null, maxOutputBytes: null, expect: 'ok', input: false, timing: false, timeline: false, typing: [], requires: null, line: 1, ...extra };
}

describe('resolveRunTarget', () => {
  it('takes the runtime, the file and the limits from the deck', () => {
    const demos = new Map([['python:forever.py', demo('python', 'forever.py', { timeoutMs: 5_000, timing: true })]]);
    expect(resolveRunTarget(demos, 'python:forever.py', demosDir, defaults)).toEqual({
      runtime: 'python',
      file: path.join(demosDir, 'forever.py'),
      path: 'forever.py',
      region: null,
      timeoutMs: 5_000,
      maxOutputBytes: 1024,
      expect: 'ok',
      timing: true,
      timeline: false,
      requires: null,
    });
  });

  it('refuses a key no slide shows', () => {
    expect(resolveRunTarget(new Map(), 'python:forever.py', demosDir, defaults)).toMatch(/unknown demo "python:forever\.py": no slide/);
  });

  it('enforces the runtime/extension rule when a run starts, not only when the deck is parsed', () => {
    const demos = new Map([['python:hello_worker.ts', demo('python', 'hello_worker.ts')]]);
    expect(resolveRunTarget(demos, 'python:hello_worker.ts', demosDir, defaults)).toMatch(/a python demo cannot run hello_worker\.ts/);
  });

  it('refuses a path out of demos/', () => {
    const demos = new Map([['python:../slides/x.py', demo('python', '../../server-deck/demos/../../../../etc/x.py')]]);
    expect(resolveRunTarget(demos, 'python:../slides/x.py', demosDir, defaults)).toMatch(/is not a file inside demos/);
  });
});
