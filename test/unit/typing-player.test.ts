import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyStep } from '../../client/typing/typing-plan.ts';
import type { TypingStep } from '../../client/typing/typing-plan.ts';
import { playTyping } from '../../client/typing/typing-player.ts';
import type { TypingDocument } from '../../client/typing/typing-player.ts';

/** A document that is a string, recording the steps it gets. */
function stringDocument(text: string): TypingDocument & { text: string; steps: TypingStep[] } {
  const document = {
    text,
    steps: [] as TypingStep[],
    read: () => document.text,
    apply: (step: TypingStep) => {
      document.steps.push(step);
      document.text = applyStep(document.text, step);
    },
  };
  return document;
}

describe('playTyping', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('types at the given pace, the first step at once, and resolves when done', async () => {
    const document = stringDocument('a\n');
    const typing = playTyping(document, 'a\nbcd\n', { charsPerSecond: 10 });
    let done = false;
    void typing.done.then(() => (done = true));
    expect(document.text).toBe('a\nb');
    await vi.advanceTimersByTimeAsync(100);
    expect(document.text).toBe('a\nbc');
    await vi.advanceTimersByTimeAsync(200);
    expect(document.text).toBe('a\nbcd\n');
    expect(done).toBe(true);
    expect(document.steps).toHaveLength(4);
  });

  it('types 25 characters a second by default, and four times faster after speedUp', async () => {
    const document = stringDocument('');
    const typing = playTyping(document, 'x'.repeat(200));
    await vi.advanceTimersByTimeAsync(1000);
    expect(document.text.length).toBe(26);
    typing.speedUp();
    await vi.advanceTimersByTimeAsync(1000);
    expect(document.text.length).toBe(126);
    typing.speedUp();
    await vi.advanceTimersByTimeAsync(1000);
    expect(document.text).toBe('x'.repeat(200));
    await typing.done;
  });

  it('stops where it is on cancel or abort, and resolves', async () => {
    const document = stringDocument('');
    const typing = playTyping(document, 'hello', { charsPerSecond: 10 });
    await vi.advanceTimersByTimeAsync(150);
    typing.cancel();
    await typing.done;
    await vi.advanceTimersByTimeAsync(1000);
    expect(document.text).toBe('he');

    const controller = new AbortController();
    const aborted = stringDocument('');
    const done = playTyping(aborted, 'hello', { charsPerSecond: 10, signal: controller.signal }).done;
    controller.abort();
    await done;
    await vi.advanceTimersByTimeAsync(1000);
    expect(aborted.text).toBe('h');
    const never = stringDocument('');
    await playTyping(never, 'hello', { signal: AbortSignal.abort() }).done;
    expect(never.text).toBe('');
  });

  it('plans again from the document as it is when something else edits it meanwhile', async () => {
    const document = stringDocument('one\ntwo\n');
    const typing = playTyping(document, 'one\nthree\n', { charsPerSecond: 10 });
    expect(document.text).toBe('one\n');
    // Another screen's edit arrives: the stale plan would type into the wrong place.
    document.text = 'zero\none\n';
    await vi.advanceTimersByTimeAsync(5000);
    await typing.done;
    expect(document.text).toBe('one\nthree\n');
  });

  it('does nothing and resolves at once when the text is already the target', async () => {
    const document = stringDocument('same');
    await playTyping(document, 'same').done;
    expect(document.steps).toEqual([]);
  });

  it('refuses a pace that is not positive', () => {
    expect(() => playTyping(stringDocument(''), 'x', { charsPerSecond: 0 })).toThrow(RangeError);
  });
});
