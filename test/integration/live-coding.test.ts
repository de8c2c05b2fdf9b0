/**
 * Live coding through the real server: edited code runs (imports resolving as for the
 * file), is checked first, reaches every screen, and is saved into its file at its place.
 * The server runs on a temporary copy of the server fixture deck, with the live-coding
 * fixtures added, so saves never touch the repository.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeckServer, type DeckServer } from '../../server/app.ts';
import { projectRoot } from '../../server/config.ts';
import { extractRegion } from '../../server/deck/regions.ts';
import { sourceVersion } from '../../server/deck/source-version.ts';
import { DeckSocket } from '../helpers/deck-socket.ts';

let root: string;
let server: DeckServer;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'live-coding-deck-'));
  await cp(path.join(projectRoot, 'test/fixtures/server-deck'), root, { recursive: true });
  for (const part of ['slides', 'demos']) await cp(path.join(projectRoot, 'test/fixtures/live-coding', part), path.join(root, part), { recursive: true });
  server = await startDeckServer({ root, port: 0, watch: true });
});
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

const presenter = (): Promise<DeckSocket> => DeckSocket.open(server.origin, server.token);
const audience = (): Promise<DeckSocket> => DeckSocket.open(server.origin, server.audienceToken);
const demoFile = (name: string): string => path.join(root, 'demos/live', name);

function shown(source: string, region: string): string {
  const result = extractRegion(source, region);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

/** Runs `demo` with `source` in place of its region; resolves with the run's output and exit. */
async function runEdited(socket: DeckSocket, demo: string, source: string): Promise<{ output: string; code: number | null }> {
  socket.watch(demo);
  socket.send({ type: 'run', demo, cols: 100, rows: 30, source });
  const starting = await socket.waitFor('starting', (m) => m.demo === demo);
  const exit = await socket.waitFor('exit', (m) => m.run === starting.run, 30_000);
  return { output: socket.output(starting.run), code: exit.code };
}

describe('running edited code', () => {
  it('runs an edited Python region, its sibling import resolving from the demo\'s folder, and writes nothing into demos/', async () => {
    const before = await readdir(path.join(root, 'demos/live'));
    const original = await readFile(demoFile('greet.py'), 'utf8');
    const socket = await presenter();
    const { output, code } = await runEdited(socket, 'python:live/greet.py#body', 'name = "live coding"\nprint(shout(f"hello, {name}"))');
    expect(output).toMatch(/HELLO, LIVE CODING!/);
    expect(code).toBe(0);
    expect(await socket.waitFor('diagnostics', (m) => m.demo === 'python:live/greet.py#body')).toMatchObject({ items: [] });
    expect(await readdir(path.join(root, 'demos/live'))).toEqual(before);
    expect(await readFile(demoFile('greet.py'), 'utf8')).toBe(original);
    socket.close();
  });

  it('runs an edited Python demo that starts processes with spawn (they import the edited copy and its sibling)', async () => {
    const socket = await presenter();
    const { output, code } = await runEdited(socket, 'python:live/squares.py#work', 'def work(n):\n    return n * 10');
    expect(output).toMatch(/SQUARES \[0, 10, 20, 30\]!/);
    expect(code).toBe(0);
    socket.close();
  });

  it.each(['worker', 'process'])('runs an edited TypeScript demo in the %s runtime, importing its sibling', async (runtime) => {
    const socket = await presenter();
    const { output, code } = await runEdited(socket, `${runtime}:live/greet.ts#body`, "const name: string = 'edited';\nconsole.log(shout(`hello, ${name}`));");
    expect(output).toMatch(/HELLO, EDITED!/);
    expect(output).toMatch(runtime === 'worker' ? /main thread: false/ : /main thread: true/);
    expect(code).toBe(0);
    socket.close();
  });

  it('runs the file again, not the edit, without source', async () => {
    const socket = await presenter();
    const id = await socket.run('worker:live/greet.ts#body');
    await socket.waitFor('exit', (m) => m.run === id);
    expect(socket.output(id)).toMatch(/HELLO, WORLD!/);
    socket.close();
  });
});

describe('diagnostics', () => {
  it('a Python syntax error is marked at its shown line, ends the attempt with an error, and starts nothing', async () => {
    const demo = 'python:live/greet.py#body';
    const socket = await presenter();
    const watcher = await audience();
    watcher.watch(demo);
    socket.watch(demo);
    socket.send({ type: 'run', demo, cols: 80, rows: 24, source: 'name = "x"\nprint(shout(name)\nprint("done")' });
    const error = await socket.waitFor('error', (m) => m.demo === demo);
    expect(error.message).toMatch(/^demos\/live\/greet\.py:\d+(:\d+)? \(line \d of the shown code\): .*not run$/);
    expect(error.message).not.toMatch(/Traceback|at /);
    const diagnostics = await socket.waitFor('diagnostics', (m) => m.demo === demo && m.items.length > 0);
    // CPython names the line of the unclosed bracket (3.10+) or the next one.
    expect(diagnostics.items[0]?.line).toBeGreaterThanOrEqual(2);
    expect(diagnostics.items[0]?.line).toBeLessThanOrEqual(3);
    expect(diagnostics.items[0]?.message).toMatch(/never closed|invalid syntax|was not closed/);
    await watcher.waitFor('diagnostics', (m) => m.demo === demo && m.items.length > 0);
    expect(socket.messages.some((m) => m.type === 'starting')).toBe(false);
    socket.close();
    watcher.close();
  });

  it('maps a Python error at the shown code\'s first line to line 1', async () => {
    const demo = 'python:live/greet.py#body';
    const socket = await presenter();
    socket.watch(demo);
    socket.send({ type: 'run', demo, cols: 80, rows: 24, source: 'name = = 1\nprint(name)' });
    const diagnostics = await socket.waitFor('diagnostics', (m) => m.demo === demo);
    expect(diagnostics.items).toEqual([expect.objectContaining({ line: 1, message: expect.stringMatching(/invalid syntax/) })]);
    // The file line: two lines above the region's first shown line, its marker and a blank line.
    expect((await socket.waitFor('error', (m) => m.demo === demo)).message).toMatch(/^demos\/live\/greet\.py:7:/);
    socket.close();
  });

  it.each(['worker', 'process'])('a TypeScript syntax error (%s) is marked at its shown line and starts nothing', async (runtime) => {
    const demo = `${runtime}:live/greet.ts#body`;
    const socket = await presenter();
    socket.watch(demo);
    socket.send({ type: 'run', demo, cols: 80, rows: 24, source: "const name = 'x';\nconsole.log(shout(name);\n" });
    const diagnostics = await socket.waitFor('diagnostics', (m) => m.demo === demo);
    expect(diagnostics.items[0]).toMatchObject({ line: 2, column: expect.any(Number) as number, message: expect.stringMatching(/Expected "\)"/) });
    expect((await socket.waitFor('error', (m) => m.demo === demo)).message).toMatch(/^demos\/live\/greet\.ts:6:\d+ \(line 2 of the shown code\): Expected "\)"/);
    expect(socket.messages.some((m) => m.type === 'starting')).toBe(false);
    socket.close();
  });
});

describe('edits on every screen', () => {
  it('an edit reaches the other presenter pages and the audience as `edited`, and a page that watches later gets it', async () => {
    const demo = 'python:live/greet.py#body';
    const editor = await presenter();
    const other = await presenter();
    const room = await audience();
    for (const socket of [editor, other, room]) socket.watch(demo);
    await other.waitFor('welcome');
    editor.send({ type: 'edit', demo, text: 'print("typed")' });
    await other.waitFor('edited', (m) => m.demo === demo && m.text === 'print("typed")');
    await room.waitFor('edited', (m) => m.demo === demo && m.text === 'print("typed")');
    const late = await audience();
    late.watch(demo);
    await late.waitFor('edited', (m) => m.demo === demo && m.text === 'print("typed")');
    // After the demo's screen when it has a run.
    await runEdited(editor, demo, 'print("ran")');
    const later = await audience();
    later.watch(demo);
    await later.waitFor('edited', (m) => m.demo === demo);
    const types = later.messages.map((m) => m.type).filter((t) => t === 'screen' || t === 'edited');
    expect(types).toEqual(['screen', 'edited']);
    expect(editor.messages.filter((m) => m.type === 'edited')).toEqual([]);
    editor.send({ type: 'edit', demo, text: null });
    await room.waitFor('edited', (m) => m.demo === demo && m.text === null);
    const fresh = await audience();
    fresh.watch(demo);
    await fresh.waitFor('welcome');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fresh.messages.some((m) => m.type === 'edited')).toBe(false);
    for (const socket of [editor, other, room, late, later, fresh]) socket.close();
  });

  it('refuses an edit of a demo no slide shows', async () => {
    const socket = await presenter();
    socket.send({ type: 'edit', demo: 'python:nowhere.py', text: 'x' });
    expect((await socket.waitFor('error')).message).toMatch(/unknown demo/);
    socket.close();
  });
});

describe('saving', () => {
  it('writes only the region, answers with the new version, clears the held edit, and the deck reloads', async () => {
    const demo = 'python:live/greet.py#body';
    const file = demoFile('greet.py');
    const original = await readFile(file, 'utf8');
    const editor = await presenter();
    const other = await presenter();
    other.watch(demo);
    editor.watch(demo);
    editor.send({ type: 'edit', demo, text: 'name = "saved"' });
    await other.waitFor('edited', (m) => m.text === 'name = "saved"');
    const edited = 'name = "saved"\nprint(shout(f"hello, {name}"))';
    editor.send({ type: 'save', demo, source: edited, version: sourceVersion(original) });
    const saved = await editor.waitFor('saved', (m) => m.demo === demo);
    const now = await readFile(file, 'utf8');
    expect(saved.version).toBe(sourceVersion(now));
    expect(now).toBe(original.replace('    name = "world"\n', '    name = "saved"\n'));
    expect(shown(now, 'body')).toBe(edited);
    await other.waitFor('edited', (m) => m.demo === demo && m.text === null);
    await other.waitFor('deck-changed');
    expect((await readdir(path.dirname(file))).filter((name) => name.startsWith('.'))).toEqual([]);
    editor.close();
    other.close();
  });

  it('refuses a save after the file changed on disk, and leaves the file alone', async () => {
    const demo = 'worker:live/greet.ts#body';
    const file = demoFile('greet.ts');
    const opened = await readFile(file, 'utf8');
    const changed = opened.replace('main thread', 'main thread (changed)');
    await writeFile(file, changed);
    const socket = await presenter();
    socket.send({ type: 'save', demo, source: 'console.log(1);', version: sourceVersion(opened) });
    const error = await socket.waitFor('error', (m) => m.demo === demo);
    expect(error.message).toBe('demos/live/greet.ts changed on disk since you opened it: not saved; your edit is kept');
    expect(await readFile(file, 'utf8')).toBe(changed);
    expect(socket.messages.some((m) => m.type === 'saved')).toBe(false);
    socket.close();
  });
});

describe('the audience', () => {
  it('is refused edit, save and run with source', async () => {
    const demo = 'python:live/greet.py#body';
    const file = demoFile('greet.py');
    const before = await readFile(file, 'utf8');
    const socket = await audience();
    const other = await presenter();
    other.watch(demo);
    socket.watch(demo);
    socket.send({ type: 'edit', demo, text: 'print("hijack")' });
    socket.send({ type: 'save', demo, source: 'print("hijack")', version: sourceVersion(before) });
    socket.send({ type: 'run', demo, cols: 80, rows: 24, source: 'print("hijack")' });
    await socket.until(() => (socket.messages.filter((m) => m.type === 'error').length === 3 ? true : undefined), 'three errors', 10_000);
    const errors = socket.messages.flatMap((m) => (m.type === 'error' ? [m.message] : []));
    expect(errors).toEqual([
      expect.stringMatching(/audience page cannot edit/),
      expect.stringMatching(/audience page cannot save/),
      expect.stringMatching(/audience page cannot run/),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(other.messages.some((m) => m.type === 'edited' || m.type === 'starting')).toBe(false);
    expect(await readFile(file, 'utf8')).toBe(before);
    socket.close();
    other.close();
  });
});
