/** Where the bench's own small deck lives, and the demos in it. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeName } from '../server/runtimes.ts';

export const benchFixture = fileURLToPath(new URL('./fixture/', import.meta.url));
export const fixtureDemos = path.join(benchFixture, 'demos');

/** The tiny demo (one line, then exit) the latency bench runs in each runtime. */
export const helloDemo: Record<RuntimeName, string> = {
  worker: 'hello.ts',
  process: 'hello.ts',
  python: 'hello.py',
};

/** The 20 MiB floods: 262,144 lines of 80 bytes (79 printable characters and a newline). */
export const flood = {
  lines: (20 * 1024 * 1024) / 80,
  bytes: 20 * 1024 * 1024,
  fill: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-+=*/<>()[]{}'.slice(0, 70),
  demos: [
    { demo: 'flood_20mb.py', runtime: 'python' },
    { demo: 'flood_20mb.ts', runtime: 'worker' },
  ],
} as const satisfies { demos: readonly { demo: string; runtime: RuntimeName }[] } & Record<string, unknown>;
