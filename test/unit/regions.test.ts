import { describe, expect, it } from 'vitest';
import { extractRegion, readMarker } from '../../server/deck/regions.ts';

const python = `import threading

# region race
counter = 0

def work():
    # region inner
    global counter
    counter += 1
    # endregion inner
# endregion

#region main
threading.Thread(target=work).start()
#endregion
`;

const typescript = `import { Worker } from 'node:worker_threads';
// #region spawn
const worker = new Worker(url);
// # endregion
function helper() {
  // #region body
  return 1;
  // #endregion body
}
`;

describe('readMarker', () => {
  it.each([
    ['# region race', { kind: 'region', name: 'race' }],
    ['#region race', { kind: 'region', name: 'race' }],
    ['    # endregion', { kind: 'endregion', name: null }],
    ['// #region spawn', { kind: 'region', name: 'spawn' }],
    ['//#region spawn', { kind: 'region', name: 'spawn' }],
    ['// # region spawn', { kind: 'region', name: 'spawn' }],
    ['// #endregion spawn', { kind: 'endregion', name: 'spawn' }],
  ])('%s is a marker', (line, marker) => {
    expect(readMarker(line)).toEqual(marker);
  });

  it.each(['# region', '# region where threads collide', 'x = 1  # region a', '/* #region a */', '# regions a'])('%s is not a marker', (line) => {
    expect(readMarker(line)).toBeNull();
  });
});

describe('extractRegion', () => {
  it('shows one region without any marker lines, dedented', () => {
    expect(extractRegion(python, 'race')).toEqual({ ok: true, value: 'counter = 0\n\ndef work():\n    global counter\n    counter += 1' });
    expect(extractRegion(python, 'inner')).toEqual({ ok: true, value: 'global counter\ncounter += 1' });
    expect(extractRegion(python, 'main')).toEqual({ ok: true, value: 'threading.Thread(target=work).start()' });
  });

  it('shows the whole file without the marker lines of any region', () => {
    const whole = extractRegion(python, null);
    expect(whole).toEqual({
      ok: true,
      value: 'import threading\n\ncounter = 0\n\ndef work():\n    global counter\n    counter += 1\n\nthreading.Thread(target=work).start()',
    });
  });

  it('reads TypeScript markers', () => {
    expect(extractRegion(typescript, 'spawn')).toEqual({ ok: true, value: 'const worker = new Worker(url);' });
    expect(extractRegion(typescript, 'body')).toEqual({ ok: true, value: 'return 1;' });
    expect(extractRegion(typescript.replace(/\n/g, '\r\n'), 'body')).toEqual({ ok: true, value: 'return 1;' });
  });

  it('fails on a missing region, or markers that do not pair up', () => {
    expect(extractRegion(python, 'nope')).toEqual({ ok: false, error: 'region "nope" not found' });
    expect(extractRegion('# region a\nx\n', 'a')).toEqual({ ok: false, error: 'region "a" is never closed by #endregion' });
    expect(extractRegion('x\n# endregion\n', null)).toMatchObject({ ok: false, error: expect.stringMatching(/without #region at line 2/) as string });
    expect(extractRegion('# region a\n# endregion\n# region a\n# endregion', 'a')).toMatchObject({ ok: false, error: expect.stringMatching(/defined twice/) as string });
    expect(extractRegion('# region a\n# region b\n# endregion a\n# endregion', 'a')).toMatchObject({ ok: false, error: expect.stringMatching(/closes region "b"/) as string });
  });
});
