import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/config.ts';
import { extractRegion, readMarker } from '../../server/deck/regions.ts';
import { regionStartLine, spliceRegion, spliceRegionMapped } from '../../server/deck/splice-region.ts';

function splice(source: string, region: string | null, shown: string): string {
  const result = spliceRegion(source, region, shown);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function shown(source: string, region: string | null): string {
  const result = extractRegion(source, region);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

const python = `import threading

def work():
    # region race

    global counter
    # region inner
    counter += 1
    # endregion inner
    done()

    # endregion
# region tail
print(counter)
# endregion`;

describe('spliceRegion', () => {
  it('puts an edited line back with the region\'s indentation, keeping blank edges and inner markers', () => {
    expect(shown(python, 'race')).toBe('global counter\ncounter += 1\ndone()');
    const result = splice(python, 'race', 'global counter\ncounter += 2\ndone()');
    expect(result).toBe(python.replace('counter += 1', 'counter += 2'));
  });

  it('keeps inner markers between the same shown lines when lines around them change', () => {
    const result = splice(python, 'race', 'global total\ncounter -= 1\nfinish()');
    expect(result).toBe(python.replace('global counter', 'global total').replace('counter += 1', 'counter -= 1').replace('done()', 'finish()'));
    expect(shown(result, 'inner')).toBe('counter -= 1');
  });

  it('indents added lines (blank ones stay empty) and drops removed ones', () => {
    const result = splice(python, 'race', 'global counter\ncounter += 1\n\nif counter:\n    done()');
    expect(result).toContain('    counter += 1\n    # endregion inner\n\n    if counter:\n        done()\n\n    # endregion');
    expect(splice(python, 'race', 'global counter')).toContain('    global counter\n    # region inner\n    # endregion inner\n\n    # endregion');
  });

  it('takes marker lines the edit writes as they are', () => {
    const result = splice(python, 'race', 'global counter\n# region mine\ncounter += 1\n# endregion');
    expect(result).toContain('    global counter\n    # region mine\n    counter += 1\n    # endregion\n\n    # endregion\n');
    expect(result).not.toContain('inner');
  });

  it('refuses an edit that breaks the file\'s regions', () => {
    const result = spliceRegion(python, 'race', 'global counter\n# endregion');
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/breaks the file's regions/) });
  });

  it('refuses a region the file does not have', () => {
    expect(spliceRegion(python, 'nope', 'x')).toEqual({ ok: false, error: 'region "nope" not found' });
  });

  it('keeps CRLF line endings, for kept and new lines', () => {
    const crlf = python.replaceAll('\n', '\r\n');
    const result = splice(crlf, 'race', 'global counter\ncounter += 1\nextra()\ndone()');
    // An added line goes before the markers that precede the next kept line.
    expect(result).toBe(crlf.replace('    # endregion inner', '    extra()\r\n    # endregion inner'));
    expect(result.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('handles a region ending the file without a trailing newline, and the whole file without one', () => {
    expect(splice(python, 'tail', 'print(counter * 2)')).toBe(python.replace('print(counter)', 'print(counter * 2)'));
    const bare = 'a = 1\nprint(a)';
    expect(splice(bare, null, 'a = 2\nprint(a)')).toBe('a = 2\nprint(a)');
    expect(splice(bare, null, 'a = 1\nprint(a)\nprint(a + 1)')).toBe('a = 1\nprint(a)\nprint(a + 1)');
    expect(splice(`${bare}\n`, null, 'a = 1\nprint(a)\nprint(a + 1)')).toBe('a = 1\nprint(a)\nprint(a + 1)\n');
  });

  it('keeps the whole file\'s markers when the whole file is shown', () => {
    const result = splice(python, null, shown(python, null).replace('print(counter)', 'print(-counter)'));
    expect(result).toBe(python.replace('print(counter)', 'print(-counter)'));
  });

  it('fills an empty region after its marker, and empties a region', () => {
    const empty = 'x = 1\n# region r\n\n# endregion\n';
    expect(splice(empty, 'r', 'y = 2')).toBe('x = 1\n# region r\ny = 2\n\n# endregion\n');
    expect(splice(python, 'tail', '')).toBe(python.replace('print(counter)\n', ''));
  });

  it('maps each file line to its line in the edited code', () => {
    const mapped = spliceRegionMapped(python, 'race', 'global counter\ncounter += 1\n  oops(\ndone()');
    if (!mapped.ok) throw new Error(mapped.error);
    const lines = mapped.value.text.split('\n');
    const oops = lines.findIndex((line) => line.includes('oops('));
    expect(mapped.value.shownLines[oops]).toBe(3);
    expect(mapped.value.shownLines[lines.findIndex((line) => line.includes('# region inner'))]).toBeNull();
    expect(mapped.value.shownLines[0]).toBeNull();
  });
});

describe('regionStartLine', () => {
  it('is the file line of the first shown line', () => {
    expect(regionStartLine(python, 'race')).toBe(6);
    expect(regionStartLine(python, 'inner')).toBe(8);
    expect(regionStartLine(python, null)).toBe(1);
    expect(regionStartLine(`\n\n${python}`, null)).toBe(3);
    expect(regionStartLine(python, 'nope')).toBe(1);
  });
});

/** Every demo file of the project and of its fixtures. */
function demoFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string, inDemos: boolean): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === '__pycache__') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, inDemos || entry.name === 'demos');
      else if (inDemos && /\.(py|[cm]?[jt]s)$/.test(entry.name)) found.push(full);
    }
  };
  walk(path.join(projectRoot, 'demos'), true);
  walk(path.join(projectRoot, 'test/fixtures'), false);
  return found;
}

describe('round trip: splicing the shown code back gives the file, byte for byte', () => {
  const files = demoFiles();
  it('finds the demo files', () => {
    expect(files.length).toBeGreaterThan(20);
  });
  it.each(files.map((file) => [path.relative(projectRoot, file), file]))('%s', (_name, file) => {
    const source = readFileSync(file, 'utf8');
    const regions = [null, ...source.split(/\r\n?|\n/).flatMap((line) => {
      const marker = readMarker(line);
      return marker?.kind === 'region' && marker.name !== null ? [marker.name] : [];
    })];
    for (const region of regions) {
      const extracted = extractRegion(source, region);
      if (!extracted.ok) continue;
      expect(spliceRegion(source, region, extracted.value)).toEqual({ ok: true, value: source });
      for (const variant of [source.replaceAll('\n', '\r\n'), source.replace(/\n$/, '')]) {
        const again = extractRegion(variant, region);
        if (again.ok) expect(spliceRegion(variant, region, again.value)).toEqual({ ok: true, value: variant });
      }
    }
  });
});
