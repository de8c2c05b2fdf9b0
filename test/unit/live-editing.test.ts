/**
 * The page's live-coding logic that needs no DOM: throttled sending, where edits are kept,
 * the page's own echoes, and where the server's diagnostics land in the editor.
 */
import { describe, expect, it } from 'vitest';
import { diagnosticRanges } from '../../client/editing/diagnostic-ranges.ts';
import { EditStore, editStorageKey } from '../../client/editing/edit-storage.ts';
import type { KeyValueStorage } from '../../client/editing/edit-storage.ts';
import { SentEdits } from '../../client/editing/sent-edits.ts';
import { Throttle } from '../../client/editing/throttle.ts';
import type { Clock } from '../../client/editing/throttle.ts';

/** A clock the test moves by hand. */
class ManualClock implements Clock<number> {
  time = 0;
  private next = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): number {
    const handle = this.next++;
    this.timers.set(handle, { at: this.time + ms, callback });
    return handle;
  }

  clearTimeout(handle: number): void {
    this.timers.delete(handle);
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = end;
  }
}

class MemoryStorage implements KeyValueStorage {
  readonly items = new Map<string, string>();
  full = false;
  get length(): number {
    return this.items.size;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.full) throw new Error('QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

describe('Throttle', () => {
  it('sends the first value at once, then at most one per interval, and always the last', () => {
    const clock = new ManualClock();
    const sent: string[] = [];
    const throttle = new Throttle((value: string) => sent.push(`${clock.now()}:${value}`), 50, clock);
    throttle.push('a');
    expect(sent).toEqual(['0:a']);
    clock.advance(10);
    throttle.push('ab');
    clock.advance(10);
    throttle.push('abc');
    expect(sent).toEqual(['0:a']);
    clock.advance(30);
    expect(sent).toEqual(['0:a', '50:abc']);
    clock.advance(200);
    expect(sent).toEqual(['0:a', '50:abc']);
    throttle.push('abcd');
    expect(sent).toEqual(['0:a', '50:abc', '250:abcd']);
  });

  it('sends every value of a steady stream within one interval of its typing', () => {
    const clock = new ManualClock();
    const sent: number[] = [];
    const throttle = new Throttle((value: number) => sent.push(value), 50, clock);
    for (let i = 1; i <= 100; i++) {
      throttle.push(i);
      clock.advance(7);
    }
    clock.advance(50);
    expect(sent.at(-1)).toBe(100);
    expect(sent.length).toBeLessThanOrEqual(Math.ceil((100 * 7) / 50) + 1);
  });

  it('flush sends what is held now; cancel drops it', () => {
    const clock = new ManualClock();
    const sent: (string | null)[] = [];
    const throttle = new Throttle((value: string | null) => sent.push(value), 50, clock);
    throttle.push('a');
    throttle.push('b');
    expect(throttle.pending).toBe(true);
    throttle.flush();
    expect(sent).toEqual(['a', 'b']);
    throttle.push('c');
    throttle.cancel();
    clock.advance(100);
    expect(sent).toEqual(['a', 'b']);
    throttle.push(null);
    expect(sent).toEqual(['a', 'b', null]);
  });
});

describe('EditStore', () => {
  it('keeps an edit under the demo key and the file version', () => {
    const storage = new MemoryStorage();
    const store = new EditStore(storage);
    expect(store.save('python:threads/race.py#spawn~2', 'v1', 'x = 1')).toBe(true);
    expect(editStorageKey('python:threads/race.py#spawn~2', 'v1')).toBe('concurrency-deck:edit:python:threads/race.py#spawn~2:v1');
    expect([...storage.items]).toEqual([['concurrency-deck:edit:python:threads/race.py#spawn~2:v1', 'x = 1']]);
    expect(store.load('python:threads/race.py#spawn~2', 'v1')).toEqual({ text: 'x = 1', version: 'v1' });
  });

  it('finds an edit made from another version of the file, and keeps one entry per demo', () => {
    const storage = new MemoryStorage();
    const store = new EditStore(storage);
    store.save('python:a.py', 'v1', 'old');
    expect(store.load('python:a.py', 'v2')).toEqual({ text: 'old', version: 'v1' });
    store.save('python:a.py', 'v2', 'new');
    expect([...storage.items.keys()]).toEqual(['concurrency-deck:edit:python:a.py:v2']);
  });

  it('does not mistake a longer key for the demo, nor another demo for it', () => {
    const storage = new MemoryStorage();
    const store = new EditStore(storage);
    store.save('python:a.py:b', 'v1', 'other');
    store.save('python:a.pyc', 'v1', 'another');
    expect(store.load('python:a.py', 'v1')).toBeNull();
    store.clear('python:a.py');
    expect(storage.items.size).toBe(2);
  });

  it('clears every version of a demo', () => {
    const storage = new MemoryStorage();
    storage.setItem(editStorageKey('worker:b.ts', 'v1'), 'one');
    storage.setItem(editStorageKey('worker:b.ts', 'v2'), 'two');
    storage.setItem(editStorageKey('process:b.ts', 'v1'), 'kept');
    new EditStore(storage).clear('worker:b.ts');
    expect([...storage.items.values()]).toEqual(['kept']);
  });

  it('a storage that refuses, or none at all, is no error', () => {
    const storage = new MemoryStorage();
    storage.full = true;
    expect(new EditStore(storage).save('python:a.py', 'v1', 'x')).toBe(false);
    const none = new EditStore(null);
    expect(none.save('python:a.py', 'v1', 'x')).toBe(false);
    expect(none.load('python:a.py', 'v1')).toBeNull();
    none.clear('python:a.py');
  });
});

describe('SentEdits', () => {
  it('remembers the last few edits sent, null included', () => {
    const sent = new SentEdits(3);
    sent.remember('a');
    sent.remember(null);
    expect(sent.has('a')).toBe(true);
    expect(sent.has(null)).toBe(true);
    expect(sent.has('b')).toBe(false);
    sent.remember('b');
    sent.remember('c');
    expect(sent.has('a')).toBe(false);
    sent.clear();
    expect(sent.has('c')).toBe(false);
  });
});

describe('diagnosticRanges', () => {
  const text = 'import sys\n\nprint(value)\n    return x';

  it('marks the word that starts at the column of the line', () => {
    expect(diagnosticRanges(text, [{ line: 3, column: 7, message: 'undefined' }])).toEqual([{ from: 18, to: 23, message: 'undefined' }]);
    expect(text.slice(18, 23)).toBe('value');
  });

  it('marks one character where no word starts, the whole line without a column', () => {
    const [paren, line] = diagnosticRanges(text, [
      { line: 3, column: 6, message: 'paren' },
      { line: 4, column: 0, message: 'return outside function' },
    ]);
    expect(text.slice(paren?.from, paren?.to)).toBe('(');
    expect(text.slice(line?.from, line?.to)).toBe('    return x');
  });

  it('clamps lines and columns out of range: the text may have changed since', () => {
    expect(diagnosticRanges(text, [{ line: 99, column: 99, message: 'late' }])).toEqual([{ from: text.length, to: text.length, message: 'late' }]);
    expect(diagnosticRanges(text, [{ line: 0, column: 1, message: 'early' }])).toEqual([{ from: 0, to: 6, message: 'early' }]);
    expect(diagnosticRanges(text, [{ line: 2, column: 5, message: 'empty line' }])).toEqual([{ from: 11, to: 11, message: 'empty line' }]);
  });

  it('counts a CRLF as one position, as the editor does', () => {
    expect(diagnosticRanges('a\r\nbb = 1', [{ line: 2, column: 1, message: 'm' }])).toEqual([{ from: 2, to: 4, message: 'm' }]);
  });

  it('an empty list marks nothing', () => {
    expect(diagnosticRanges(text, [])).toEqual([]);
  });
});
