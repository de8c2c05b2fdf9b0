/**
 * Every runtime a demo can run in, described once: its name, the files it runs, how they
 * are highlighted and how `npm run check` checks them before running them. The parser, the
 * renderer, the check, the bench and the wire protocol derive from this table; how each
 * runtime starts is `runners/registry.ts`, one factory per name here. Pure data with no
 * imports, so the page can import its types (through the protocol) for nothing.
 */

export const RUNTIMES = ['worker', 'process', 'python'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

/**
 * How `npm run check` checks a demo's file without running it:
 * - `typescript`: type-checked with the project's compiler options (`scripts/check/typecheck-demos.ts`);
 * - `python-syntax`: parsed (`ast.parse`) by the real CPython, which is also what runs it.
 */
export type StaticCheckKind = 'typescript' | 'python-syntax';

export interface RuntimeDescriptor<N extends RuntimeName = RuntimeName> {
  readonly name: N;
  /** One line for a speaker: where a demo of this runtime runs. */
  readonly description: string;
  /** File extensions (with their dot) a demo line of this runtime may name; the first is the usual one. */
  readonly extensions: readonly [string, ...string[]];
  /** Shiki language the demo's code is highlighted with. */
  readonly language: string;
  readonly staticCheck: StaticCheckKind;
}

const NODE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'] as const;

export const RUNTIME_DESCRIPTORS: { readonly [N in RuntimeName]: RuntimeDescriptor<N> } = {
  worker: {
    name: 'worker',
    description: 'a worker_threads Worker, in a Node host process of its own in a pseudo-terminal',
    extensions: NODE_EXTENSIONS,
    language: 'typescript',
    staticCheck: 'typescript',
  },
  process: {
    name: 'process',
    description: 'its own node process, in a pseudo-terminal',
    extensions: NODE_EXTENSIONS,
    language: 'typescript',
    staticCheck: 'typescript',
  },
  python: {
    name: 'python',
    description: 'CPython (python3) in a pseudo-terminal',
    extensions: ['.py'],
    language: 'python',
    staticCheck: 'python-syntax',
  },
};

export function isRuntimeName(name: string): name is RuntimeName {
  return (RUNTIMES as readonly string[]).includes(name);
}

/** Whether a demo of `runtime` may be the file at `path`, by its extension. */
export function runtimeRunsFile(runtime: RuntimeName, path: string): boolean {
  return RUNTIME_DESCRIPTORS[runtime].extensions.some((extension) => path.endsWith(extension));
}
