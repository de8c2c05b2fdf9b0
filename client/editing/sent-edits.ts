/**
 * The last few edits this page sent. The server may pass a page's own edit back to it, late
 * (the speaker has typed on since): such an echo is not another screen's edit and must not
 * replace what is being typed. No DOM.
 */
export class SentEdits {
  private readonly texts: (string | null)[] = [];

  constructor(private readonly capacity = 32) {}

  remember(text: string | null): void {
    this.texts.push(text);
    if (this.texts.length > this.capacity) this.texts.shift();
  }

  has(text: string | null): boolean {
    return this.texts.includes(text);
  }

  clear(): void {
    this.texts.length = 0;
  }
}
