/**
 * `requires=` through the real server and the real python3: a demo that needs a newer Python
 * than the one here never starts (no process: the file it would write is not there); the
 * terminal gets an `error` saying what it needs, or, when the demo has a recording, the
 * recording plays with that as its reason.
 */
import { access, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startDeckServer, type DeckServer } from '../../server/app.ts';
import { projectRoot } from '../../server/config.ts';
import { probePython } from '../../server/runners/python-interpreter.ts';
import { DeckSocket } from '../helpers/deck-socket.ts';

const recordedFixture = path.join(projectRoot, 'test/fixtures/recorded-fallback/recordings');
// Writes a file beside itself when it runs: its absence says no process ran it.
const DEMO = 'import pathlib\npathlib.Path(__file__).with_suffix(".ran").write_text("ran")\nprint("count 1")\n';

let root = '';
let server: DeckServer;
let here = '';
let recordedAt = '';

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'deck-requires-'));
  await mkdir(path.join(root, 'slides'));
  await mkdir(path.join(root, 'demos'));
  await mkdir(path.join(root, 'recordings'));
  await writeFile(
    path.join(root, 'slides/01-requires.md'),
    '# Requires\n\n<<< python future.py requires=9.99\n\n---\n\n# Recorded\n\n<<< python recorded.py requires=9.99t\n\n---\n\n# Met\n\n<<< python met.py requires=3.0\n',
  );
  for (const name of ['future.py', 'recorded.py', 'met.py']) await writeFile(path.join(root, 'demos', name), DEMO);
  // The fixture's recording of count.py, as the recording of recorded.py.
  await cp(path.join(recordedFixture, 'count.py.python.cast'), path.join(root, 'recordings/recorded.py.python.cast'));
  const meta = JSON.parse(await readFile(path.join(recordedFixture, 'count.py.python.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(path.join(root, 'recordings/recorded.py.python.json'), JSON.stringify({ ...meta, demo: 'recorded.py', files: ['recorded.py'] }));
  recordedAt = String(meta['recordedAt']);
  const python = await probePython('python3');
  here = `${python.major}.${python.minor}${python.freeThreaded ? 't' : ''}`;
  server = await startDeckServer({ root, port: 0, watch: false });
});

afterAll(async () => {
  await server?.close();
  if (root !== '') await rm(root, { recursive: true, force: true });
});

async function open(): Promise<DeckSocket> {
  const socket = await DeckSocket.open(server.origin, server.token);
  onTestFinished(() => socket.close());
  await socket.waitFor('welcome');
  return socket;
}

const ran = (demo: string): Promise<boolean> => access(path.join(root, 'demos', demo.replace(/\.py$/, '.ran'))).then(() => true, () => false);

describe('requires=', () => {
  it('a demo without a recording does not start: its run ends in an error saying what it needs', async () => {
    const presenter = await open();
    const run = await presenter.run('python:future.py');
    const exit = await presenter.waitFor('exit', (m) => m.run === run);
    expect(exit).toMatchObject({ reason: 'error', message: `needs Python 9.99 or later; python3 here is ${here}` });
    expect(presenter.messages.some((m) => m.type === 'started' && m.run === run)).toBe(false);
    expect(await ran('future.py')).toBe(false);
  });

  it('a demo with a recording plays it, with the need as its reason', async () => {
    const presenter = await open();
    const live = await presenter.run('python:recorded.py');
    await presenter.waitFor('exit', (m) => m.run === live);
    const replay = await presenter.waitFor('starting', (m) => m.demo === 'python:recorded.py' && m.run !== live);
    expect(replay.recording).toEqual({ recordedAt, reason: `needs a free-threaded Python 9.99t or later; python3 here is ${here}` });
    const exit = await presenter.waitFor('exit', (m) => m.run === replay.run);
    expect(exit).toMatchObject({ code: 0, reason: 'exit' });
    expect(presenter.output(replay.run)).toContain('counted to three');
    expect(await ran('recorded.py')).toBe(false);
  });

  it('a requirement python3 meets runs as usual', async () => {
    const presenter = await open();
    const run = await presenter.run('python:met.py');
    await presenter.waitForOutput(run, /count 1/);
    expect(await presenter.waitFor('exit', (m) => m.run === run)).toMatchObject({ code: 0, reason: 'exit' });
    expect(await ran('met.py')).toBe(true);
  });
});
