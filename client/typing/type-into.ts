/**
 * Prepared typing in a CodeMirror editor: the speaker presses `t` and the editor's code turns
 * into the slide's next typing target (`<template class="demo-typing">`) as if typed, the
 * cursor where the typing is and kept in view. Each step is an ordinary user edit
 * (`input.type` / `delete.line`), so whatever listens to the editor's edits (sharing them with
 * the other screens, checking them) sees typing like any other.
 */
import { EditorView } from '@codemirror/view';
import type { TypingStep } from './typing-plan.ts';
import { playTyping } from './typing-player.ts';
import type { Typing, TypingDocument, TypingOptions } from './typing-player.ts';

export { DEFAULT_CHARS_PER_SECOND, SPEED_UP_FACTOR } from './typing-player.ts';
export type { Typing, TypingOptions } from './typing-player.ts';

/** Starts typing `target` into `view`; the handle speeds it up (a second `t`) or cancels it. */
export function startTyping(view: EditorView, target: string, options: TypingOptions = {}): Typing {
  return playTyping(editorDocument(view), target, options);
}

/** `startTyping`, awaited: resolves once `target` is typed, or when `options.signal` aborts. */
export function typeInto(view: EditorView, target: string, options: TypingOptions = {}): Promise<void> {
  return startTyping(view, target, options).done;
}

function editorDocument(view: EditorView): TypingDocument {
  return {
    read: () => view.state.doc.toString(),
    apply: (step: TypingStep) => {
      view.dispatch({
        changes: { from: step.from, to: step.to, insert: step.insert },
        selection: { anchor: step.cursor },
        effects: EditorView.scrollIntoView(step.cursor, { y: 'nearest' }),
        userEvent: step.insert === '' ? 'delete.line' : 'input.type',
      });
    },
  };
}
