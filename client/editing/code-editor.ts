/**
 * The code pane as an editor: CodeMirror 6, in the static pane's colours and font, numbered
 * with the file's own line numbers. It draws and reports what the speaker types; it knows
 * nothing of the protocol (the edit controller does). Loaded on first use, as a chunk of its own.
 *
 * Keys belong to the editor while it has focus (reveal.js leaves a focused contenteditable
 * alone), with two exceptions: Esc gives the keys back to the deck and goes no further (it
 * would open reveal's overview), and a clicker's PageDown or PageUp leaves the editor and
 * moves the deck, as it does from a terminal.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import { bracketMatching, indentOnInput, indentUnit } from '@codemirror/language';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import type { Diagnostic as LintDiagnostic } from '@codemirror/lint';
import { Annotation, Compartment, EditorState, Prec } from '@codemirror/state';
import type { Extension } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, keymap, lineNumbers } from '@codemirror/view';
import type { Diagnostic } from '../../server/protocol.ts';
import { diagnosticRanges } from './diagnostic-ranges.ts';
import { githubDark } from './github-dark.ts';
import { startTyping } from '../typing/type-into.ts';
import type { Typing } from '../typing/typing-player.ts';

export type EditorLanguage = 'python' | 'typescript';

export interface CodeEditorOptions {
  readonly parent: HTMLElement;
  readonly text: string;
  readonly language: EditorLanguage;
  /** The file's line number of the first line shown. */
  readonly firstLine: number;
  /** The editor's accessible name. */
  readonly label: string;
  /** The speaker changed the text (not `setText`). */
  readonly onChange: (text: string) => void;
  /** The speaker left the editor with Esc or a clicker key. */
  readonly onLeave: () => void;
}

/** Marks a change that came from `setText`, so it is not reported back as typing. */
const fromOutside = Annotation.define<boolean>();

export class CodeEditor {
  private readonly view: EditorView;
  private readonly editable = new Compartment();

  constructor(options: CodeEditorOptions) {
    const leave = (): boolean => {
      options.onLeave();
      return true;
    };
    this.view = new EditorView({
      parent: options.parent,
      state: EditorState.create({
        doc: options.text,
        extensions: [
          // Before everything else: Esc goes no further than the editor; the clicker keys go on to reveal.js.
          Prec.highest(
            keymap.of([
              { key: 'Escape', run: leave, stopPropagation: true },
              { key: 'PageDown', run: leave },
              { key: 'PageUp', run: leave },
            ]),
          ),
          lineNumbers({ formatNumber: (n) => String(n + options.firstLine - 1) }),
          lintGutter(),
          highlightActiveLineGutter(),
          highlightSpecialChars(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          options.language === 'python' ? [python(), indentUnit.of('    ')] : javascript({ typescript: true }),
          githubDark,
          this.editable.of(editability(false)),
          EditorView.contentAttributes.of({ 'aria-label': options.label }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged && !update.transactions.some((tr) => tr.annotation(fromOutside) === true)) options.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
  }

  /** The CodeMirror view itself, for what drives it as a speaker would (prepared typing). */
  get editorView(): EditorView {
    return this.view;
  }

  get text(): string {
    return this.view.state.doc.toString();
  }

  /** Replaces the text, as from another screen: not reported as typing. */
  setText(text: string): void {
    if (text === this.text) return;
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text }, annotations: fromOutside.of(true) });
  }

  /** Types `target` into the editor at a speaker's pace (prepared typing); the handle speeds it up or cancels it. */
  type(target: string): Typing {
    return startTyping(this.view, target);
  }

  setEditable(editable: boolean): void {
    this.view.dispatch({ effects: this.editable.reconfigure(editability(editable)) });
    if (!editable && this.view.hasFocus) this.view.contentDOM.blur();
  }

  focus(): void {
    this.view.focus();
  }

  /** Shows the server's diagnostics at their lines of the shown code; an empty list clears them. */
  setDiagnostics(items: readonly Diagnostic[]): void {
    const diagnostics: LintDiagnostic[] = diagnosticRanges(this.text, items).map(({ from, to, message }) => ({ from, to, message, severity: 'error' }));
    this.view.dispatch(setDiagnostics(this.view.state, diagnostics));
  }

  dispose(): void {
    this.view.destroy();
  }
}

function editability(editable: boolean): Extension {
  return [EditorView.editable.of(editable), EditorState.readOnly.of(!editable)];
}

export function createCodeEditor(options: CodeEditorOptions): CodeEditor {
  return new CodeEditor(options);
}
