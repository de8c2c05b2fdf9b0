import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashDemo } from '../../server/recordings/demo-hash.ts';

let root: string;
let demos: string;

function write(file: string, text: string): void {
  const full = path.join(demos, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'demo-hash-'));
  demos = path.join(root, 'demos');
  mkdirSync(demos);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('hashDemo', () => {
  it('follows the Python imports that name files beside the demo, and leaves the standard library out', async () => {
    write('talk/main.py', ['import os, json as j', 'import helper', 'from tools import shout  # a comment', 'from pkg import mod', 'from .rel import (', '    thing,', ')', 'from . import sibling', 'from threading import Thread', 'print("hi")'].join('\n'));
    write('talk/helper.py', 'import deep.er\n');
    write('talk/deep/__init__.py', '');
    write('talk/deep/er.py', '');
    write('talk/tools.py', '');
    write('talk/pkg/__init__.py', '');
    write('talk/pkg/mod.py', '');
    write('talk/rel.py', '');
    write('talk/sibling.py', '');
    write('talk/unused.py', '');
    // A file named like a stdlib module outside the demo's folder is not what `import os` finds.
    write('os.py', '');
    const { files } = await hashDemo(demos, 'talk/main.py');
    expect(files).toEqual(['talk/main.py', 'talk/deep/__init__.py', 'talk/deep/er.py', 'talk/helper.py', 'talk/pkg/__init__.py', 'talk/pkg/mod.py', 'talk/rel.py', 'talk/sibling.py', 'talk/tools.py']);
  });

  it('follows relative TypeScript imports: static, dynamic, re-exports and Worker entries by new URL, only inside demos/', async () => {
    write('a/main.ts', [
      "import { readFile } from 'node:fs/promises';",
      "import type { Shape } from './types.ts';",
      "import { helper } from '../support/helper.ts';",
      "export { other } from './other.js';",
      "const lazy = await import('./lazy.ts');",
      "const worker = new Worker(new URL('./worker.ts', import.meta.url));",
      "const self = new URL(import.meta.url);",
      "import '../../outside.ts';",
    ].join('\n'));
    write('a/types.ts', '');
    write('support/helper.ts', "import { x } from './deeper/x.ts';\n");
    write('support/deeper/x.ts', '');
    write('a/other.ts', '');
    write('a/lazy.ts', '');
    write('a/worker.ts', '');
    writeFileSync(path.join(root, 'outside.ts'), '');
    const { files } = await hashDemo(demos, 'a/main.ts');
    expect(files).toEqual(['a/main.ts', 'a/lazy.ts', 'a/other.ts', 'a/types.ts', 'a/worker.ts', 'support/deeper/x.ts', 'support/helper.ts']);
  });

  it('ends on import cycles, each file once', async () => {
    write('one.py', 'import two\n');
    write('two.py', 'from one import thing\nimport two\n');
    write('x.ts', "import './y.ts';\n");
    write('y.ts', "import './x.ts';\n");
    expect((await hashDemo(demos, 'one.py')).files).toEqual(['one.py', 'two.py']);
    expect((await hashDemo(demos, 'x.ts')).files).toEqual(['x.ts', 'y.ts']);
  });

  it('changes when the demo or a module it uses changes, and only then', async () => {
    write('main.py', 'from helper import f\n');
    write('helper.py', 'def f(): pass\n');
    write('unrelated.py', '');
    const first = await hashDemo(demos, 'main.py');
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    write('unrelated.py', 'changed = True\n');
    expect((await hashDemo(demos, 'main.py')).hash).toBe(first.hash);
    write('helper.py', 'def f(): return 1\n');
    const edited = await hashDemo(demos, 'main.py');
    expect(edited.hash).not.toBe(first.hash);
    write('main.py', 'from helper import f\n\n');
    expect((await hashDemo(demos, 'main.py')).hash).not.toBe(edited.hash);
  });
});
