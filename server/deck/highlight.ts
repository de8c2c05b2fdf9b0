/**
 * Syntax highlighting on the server (the browser never loads shiki). One highlighter is
 * created on first use and shared; once it exists, highlighting is synchronous, which is
 * what markdown-it's `highlight` hook needs.
 */
import { createHighlighter } from 'shiki';
import type { Highlighter, ShikiTransformer } from 'shiki';
import type { Steps } from './parse-demo-line.ts';
import { RUNTIME_DESCRIPTORS } from '../runtimes.ts';
import type { RuntimeName } from '../runtimes.ts';

/** Dark, high-contrast: reads well on a projector. */
const THEME = 'github-dark';
/** Every runtime's language, and what slides' code fences commonly show besides. */
const LANGS = [...new Set([...Object.values(RUNTIME_DESCRIPTORS).map((runtime) => runtime.language), 'python', 'typescript', 'javascript', 'bash', 'json'])];

/** Code → `<pre class="shiki …">` with `data-line="N"` on each line and `data-line-steps` when steps are given. */
export type HighlightCode = (code: string, lang: string, steps?: Steps) => string;

let highlighter: Promise<Highlighter> | null = null;

/** The shared highlighter, as a synchronous function. */
export async function loadHighlighter(): Promise<HighlightCode> {
  // A failed start is not cached: the next render tries again.
  highlighter ??= createHighlighter({ langs: [...LANGS], themes: [THEME] }).catch((error: unknown) => {
    highlighter = null;
    throw error;
  });
  const ready = await highlighter;
  return (code, lang, steps = []) => highlightWith(ready, code, lang, steps);
}

function highlightWith(ready: Highlighter, code: string, lang: string, steps: Steps): string {
  const known = ready.getLoadedLanguages().includes(lang.toLowerCase());
  return ready.codeToHtml(code, { lang: known ? lang.toLowerCase() : 'text', theme: THEME, transformers: [markLines(steps)] });
}

/** The client reads `data-line` and `data-line-steps` to turn steps into reveal.js fragments. */
function markLines(steps: Steps): ShikiTransformer {
  return {
    name: 'deck:mark-lines',
    line(node, line) {
      node.properties['data-line'] = line;
    },
    pre(node) {
      if (steps.length > 0) node.properties['data-line-steps'] = JSON.stringify(steps);
    },
  };
}

/** Highlighting language for a demo of `runtime`. */
export function languageOf(runtime: RuntimeName): string {
  return RUNTIME_DESCRIPTORS[runtime].language;
}
