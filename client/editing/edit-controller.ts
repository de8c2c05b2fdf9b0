/**
 * Live coding in one demo's code pane: Edit turns the shown code into an editor (loaded on
 * first use, a chunk of its own), every screen sees the edit as it is typed, Run runs it,
 * Reset brings back the file's code and Save writes the edit into the file. Nothing typed is
 * lost: the edit is kept in the browser's storage by demo and file version, and comes back
 * after a reload, a hot reload and a server restart (the page then tells the server again).
 *
 * An audience page only shows what the server says is being typed. A presenter page shows
 * another screen's edit read-only, and does not take the edit back while that screen types.
 * The editor view knows nothing of the protocol; this controller does.
 */
import type { IDisposable } from '@xterm/xterm';
import { LIMITS } from '../../server/protocol.ts';
import type { Diagnostic, ServerMessageMap } from '../../server/protocol.ts';
import type { SocketClient } from '../socket-client.ts';
import type { Typing } from '../typing/typing-player.ts';
import type { CodeEditor, EditorLanguage } from './code-editor.ts';
import type { EditStore } from './edit-storage.ts';
import { SentEdits } from './sent-edits.ts';
import { Throttle } from './throttle.ts';

export interface EditSpec {
  /** The demo's key in the deck. */
  readonly key: string;
  /** The demo's name, for accessible labels. */
  readonly name: string;
  readonly language: EditorLanguage;
  /** The version of the demo's file the slide shows (`data-version`). */
  readonly version: string;
  /** The file's line number of the first line shown (`data-first-line`). */
  readonly firstLine: number;
  /** An audience page: no buttons, no typing, nothing sent or kept. */
  readonly readOnly: boolean;
}

/** At most one `edit` message per this many ms; the last state is always sent. */
const SEND_INTERVAL_MS = 50;
/** After another screen's edit, this page waits this long before it may take the edit over. */
const FOREIGN_HOLD_MS = 1500;

const clock = {
  now: () => performance.now(),
  setTimeout: (callback: () => void, ms: number) => window.setTimeout(callback, ms),
  clearTimeout: (handle: number) => window.clearTimeout(handle),
};

export class EditController implements IDisposable {
  /** The file's code as the slide shows it. */
  private fileCode: string;
  /** The static (shiki) code shows `fileCode`; false once a save changed the file, until the slide reloads. */
  private staticIsCurrent = true;
  /** The edit on show, null for the file's code. */
  private shown: string | null = null;
  /** The version of the file the edit on show was made from. */
  private baseVersion: string;
  private editing = false;
  /** The source being saved, until `saved` or an error. */
  private saving: string | null = null;
  private foreignUntil = 0;
  private diagnostics: readonly Diagnostic[] = [];
  private editor: CodeEditor | null = null;
  /** Prepared typing under way, and the next target to type. */
  private typing: Typing | null = null;
  private nextTarget = 0;
  private loading: Promise<CodeEditor | null> | null = null;
  private disposed = false;
  private readonly sent = new SentEdits();
  private readonly throttle: Throttle<string | null, number>;
  private readonly disposables: IDisposable[] = [];
  private readonly pane: HTMLElement | null;
  private readonly staticCode: HTMLElement | null;
  private readonly host: HTMLElement;
  private readonly toolbar: HTMLElement;
  private readonly editButton: HTMLButtonElement;
  private readonly resetButton: HTMLButtonElement;
  private readonly saveButton: HTMLButtonElement;
  private readonly status: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly spec: EditSpec,
    private readonly socket: SocketClient,
    private readonly store: EditStore,
  ) {
    this.pane = root.querySelector<HTMLElement>('.demo-code');
    this.staticCode = this.pane?.querySelector<HTMLElement>('pre') ?? null;
    this.fileCode = this.staticCode?.textContent ?? '';
    this.baseVersion = spec.version;
    this.throttle = new Throttle((text) => this.sendEdit(text), SEND_INTERVAL_MS, clock);

    this.toolbar = document.createElement('div');
    this.toolbar.className = 'demo-code-toolbar';
    this.editButton = button('Edit', 'demo-edit');
    this.resetButton = button('Reset', 'demo-reset');
    this.saveButton = button('Save', 'demo-save');
    this.status = document.createElement('span');
    this.status.className = 'demo-code-status';
    this.status.setAttribute('aria-live', 'polite');
    if (!spec.readOnly) this.toolbar.append(this.editButton, this.resetButton, this.saveButton);
    this.toolbar.append(this.status);
    this.host = document.createElement('div');
    this.host.className = 'demo-editor';
    this.host.hidden = true;
    if (this.pane === null) return;
    this.pane.prepend(this.toolbar);
    this.staticCode?.after(this.host);

    this.disposables.push(
      socket.on('edited', (m) => { if (m.demo === spec.key) this.onEdited(m.text); }),
      socket.on('diagnostics', (m) => { if (m.demo === spec.key) this.onDiagnostics(m.items); }),
      socket.on('saved', (m) => { if (m.demo === spec.key) this.onSaved(m); }),
      socket.on('error', (m) => { if (m.demo === spec.key && m.run === undefined) this.onError(m.message); }),
      listen(this.editButton, 'click', () => this.toggle()),
      listen(this.resetButton, 'click', () => this.reset()),
      listen(this.saveButton, 'click', () => this.save()),
    );
    const kept = store.load(spec.key, spec.version);
    if (kept !== null && kept.text !== this.fileCode) {
      this.baseVersion = kept.version;
      this.show(kept.text);
      if (kept.version !== spec.version) this.say('kept from before the file changed: Save will be refused', true);
    }
    this.render();
  }

  get key(): string {
    return this.spec.key;
  }

  /** The edited code to run in place of the file's, or null when the slide shows the file's code. */
  editedSource(): string | null {
    return this.shown !== null && this.shown !== this.fileCode ? this.shown : null;
  }

  /** Edit (the button or the `e` key): the editor takes the keys. */
  edit(): void {
    if (this.spec.readOnly || this.pane === null || this.editing) return;
    if (performance.now() < this.foreignUntil) {
      this.say('another screen is editing', true);
      return;
    }
    this.editing = true;
    this.render();
    void this.loadEditor().then((editor) => {
      if (editor === null || !this.editing) return;
      editor.setEditable(true);
      editor.focus();
    });
  }

  /**
   * Prepared typing (the `t` key): the editor types the demo's next `typing=` target at a
   * speaker's pace, changing only the lines that differ; pressed again while it types, faster.
   * Every screen sees it typed, and Run runs it.
   */
  typeNext(): void {
    if (this.spec.readOnly || this.pane === null) return;
    if (this.typing !== null) {
      this.typing.speedUp();
      return;
    }
    const target = this.root.querySelectorAll<HTMLTemplateElement>('template.demo-typing')[this.nextTarget];
    if (target === undefined) {
      this.say(this.nextTarget === 0 ? 'no prepared code to type here' : 'all the prepared code is typed');
      return;
    }
    this.nextTarget += 1;
    // The editor shows the typing; the keys stay with the deck (`t` again goes faster, `r` runs it).
    void this.loadEditor().then((editor) => {
      if (editor === null || this.disposed) return;
      const typing = editor.type(target.content.textContent ?? '');
      this.typing = typing;
      void typing.done.then(() => {
        if (this.typing === typing) this.typing = null;
      });
    });
  }

  /** Leaves the editor (Esc, or Edit again): the edit stays on show, read-only, and the deck has its keys back. */
  leave(): void {
    this.stopTyping();
    if (!this.editing) return;
    this.editing = false;
    this.editor?.setEditable(false);
    this.throttle.flush();
    this.render();
  }

  toggle(): void {
    if (this.editing) this.leave();
    else this.edit();
  }

  /** Back to the file's code, on every screen; the kept edit is forgotten. */
  reset(): void {
    if (this.spec.readOnly) return;
    this.throttle.cancel();
    this.leave();
    this.nextTarget = 0;
    this.store.clear(this.spec.key);
    this.baseVersion = this.spec.version;
    this.throttle.push(null);
    this.throttle.flush();
    this.showFileCode();
    this.say('');
  }

  /** Writes the edit into the demo's file, if the file is still the version the edit was made from. */
  save(): void {
    const source = this.editedSource();
    if (this.spec.readOnly || source === null || this.saving !== null) return;
    this.throttle.flush();
    if (!this.socket.send({ type: 'save', demo: this.spec.key, source, version: this.baseVersion })) {
      this.say('not connected to the server; try again in a moment', true);
      return;
    }
    this.saving = source;
    this.say('saving…');
    this.render();
  }

  /** The page (re)connected: the server learns this page's edit again (it may have restarted since). */
  resync(): void {
    if (this.spec.readOnly || this.shown === null) return;
    this.throttle.cancel();
    this.sendEdit(this.shown);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopTyping();
    this.throttle.flush();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.editor?.dispose();
    this.editor = null;
    this.toolbar.remove();
    this.host.remove();
    if (this.staticCode !== null) this.staticCode.hidden = false;
  }

  /** The speaker typed. */
  private stopTyping(): void {
    this.typing?.cancel();
    this.typing = null;
  }

  private onChange(text: string): void {
    this.shown = text === this.fileCode ? null : text;
    if (this.shown === null) this.store.clear(this.spec.key);
    else if (!this.store.save(this.spec.key, this.baseVersion, text)) this.say('this browser would not keep the edit: Save it', true);
    this.render();
    if (text.length > LIMITS.maxSourceChars) {
      this.say(`too long to share with the other screens (over ${LIMITS.maxSourceChars} characters)`, true);
      return;
    }
    if (this.status.classList.contains('is-error') || this.status.textContent === 'saved') this.say('');
    this.throttle.push(this.shown);
  }

  /** The code shown for this demo as the server has it: another screen's edit, or an echo of this page's own. */
  private onEdited(text: string | null): void {
    if (text === this.shown) return;
    if (!this.spec.readOnly) {
      // A late echo of what this page sent: the speaker has typed on since.
      if (this.sent.has(text)) return;
      this.foreignUntil = performance.now() + FOREIGN_HOLD_MS;
      this.throttle.cancel();
      this.leave();
    }
    if (text === null) this.showFileCode();
    else this.show(text);
  }

  private onDiagnostics(items: readonly Diagnostic[]): void {
    this.diagnostics = items;
    this.editor?.setDiagnostics(items);
    const first = items[0];
    if (first === undefined) {
      if (this.status.classList.contains('is-problem')) this.say('');
      return;
    }
    const more = items.length > 1 ? ` (+${items.length - 1} more)` : '';
    this.say(`line ${first.line + this.spec.firstLine - 1}: ${first.message}${more}`, true, 'is-problem');
  }

  private onSaved(m: ServerMessageMap['saved']): void {
    if (this.saving === null) return;
    // The file holds the saved source now; the slide shows it once it reloads.
    this.fileCode = this.saving;
    this.staticIsCurrent = false;
    this.saving = null;
    this.baseVersion = m.version;
    this.store.clear(this.spec.key);
    // Typed on while the save was under way: that is still an edit.
    const current = this.editor?.text ?? this.shown;
    this.shown = current === null || current === this.fileCode ? null : current;
    if (this.shown !== null) this.store.save(this.spec.key, this.baseVersion, this.shown);
    this.say('saved');
    this.render();
  }

  private onError(message: string): void {
    if (this.saving === null) return;
    this.saving = null;
    this.say(`not saved: ${message}`, true);
    this.render();
  }

  private show(text: string): void {
    this.shown = text;
    this.render();
    void this.loadEditor().then((editor) => {
      if (editor === null) return;
      editor.setText(this.shown ?? this.fileCode);
      this.render();
    });
  }

  private showFileCode(): void {
    this.shown = null;
    this.diagnostics = [];
    this.editor?.setText(this.fileCode);
    this.editor?.setDiagnostics([]);
    this.render();
  }

  private sendEdit(text: string | null): void {
    this.sent.remember(text);
    this.socket.send({ type: 'edit', demo: this.spec.key, text });
  }

  /** The editor, loaded (once) when first needed. */
  private loadEditor(): Promise<CodeEditor | null> {
    this.loading ??= import('./code-editor.ts').then(
      ({ createCodeEditor }) => {
        if (this.disposed) return null;
        this.editor = createCodeEditor({
          parent: this.host,
          text: this.shown ?? this.fileCode,
          language: this.spec.language,
          firstLine: this.spec.firstLine,
          label: `Code of ${this.spec.name}`,
          onChange: (text) => this.onChange(text),
          onLeave: () => this.leave(),
        });
        if (this.diagnostics.length > 0) this.editor.setDiagnostics(this.diagnostics);
        this.render();
        return this.editor;
      },
      (error: unknown) => {
        this.loading = null;
        this.editing = false;
        this.say(`the editor did not load: ${error instanceof Error ? error.message : String(error)}`, true);
        this.render();
        return null;
      },
    );
    return this.loading;
  }

  private render(): void {
    const edited = this.shown !== null;
    const editorShown = this.editor !== null && (this.editing || edited || !this.staticIsCurrent);
    if (this.staticCode !== null) this.staticCode.hidden = editorShown;
    this.host.hidden = !editorShown;
    this.editButton.setAttribute('aria-pressed', String(this.editing));
    this.resetButton.hidden = !edited;
    this.saveButton.hidden = !edited;
    this.saveButton.disabled = this.saving !== null;
    this.pane?.classList.toggle('is-editing', this.editing);
    this.pane?.classList.toggle('is-edited', edited);
    // An audience page says why the code differs from the file's (unless a problem is on show).
    if (this.spec.readOnly && !this.status.classList.contains('is-problem')) this.say(edited ? 'edited live' : '');
  }

  private say(text: string, isError = false, kind = 'is-error'): void {
    this.status.textContent = text;
    this.status.classList.remove('is-error', 'is-problem');
    if (isError) this.status.classList.add(kind);
  }
}

function button(text: string, className: string): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = className;
  element.textContent = text;
  return element;
}

function listen<K extends keyof HTMLElementEventMap>(target: HTMLElement, type: K, handler: (event: HTMLElementEventMap[K]) => void): IDisposable {
  target.addEventListener(type, handler);
  return { dispose: () => target.removeEventListener(type, handler) };
}
