import { describe, expect, it } from 'vitest';
import { actionForKey } from '../../client/presenter/keys.ts';
import type { KeyPress } from '../../client/presenter/keys.ts';

function press(key: string, modifiers: Partial<KeyPress> = {}): KeyPress {
  return { key, shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, ...modifiers };
}

describe('actionForKey', () => {
  it('moves on with a clicker\'s keys and back with their opposites', () => {
    for (const key of ['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'n']) expect(actionForKey(press(key))).toBe('next');
    for (const key of ['ArrowLeft', 'ArrowUp', 'PageUp', 'p']) expect(actionForKey(press(key))).toBe('prev');
    expect(actionForKey(press(' ', { shiftKey: true }))).toBe('prev');
    expect(actionForKey(press('Home'))).toBe('first');
    expect(actionForKey(press('End'))).toBe('last');
  });

  it('runs with r, stops with ., plays the recordings with Shift+R as the deck does, and starts or ends a rehearsal with Shift+T only', () => {
    expect(actionForKey(press('r'))).toBe('run');
    expect(actionForKey(press('.'))).toBe('stop');
    expect(actionForKey(press('R', { shiftKey: true }))).toBe('recording');
    expect(actionForKey(press('T', { shiftKey: true }))).toBe('rehearsal');
    // Caps Lock gives `R` and `T` without Shift: neither a recording nor a rehearsal.
    expect(actionForKey(press('R'))).toBeNull();
    expect(actionForKey(press('T'))).toBeNull();
    expect(actionForKey(press('Escape'))).toBe('dismiss');
  });

  it('leaves the browser\'s shortcuts and unknown keys alone', () => {
    expect(actionForKey(press('r', { ctrlKey: true }))).toBeNull();
    expect(actionForKey(press('ArrowLeft', { altKey: true }))).toBeNull();
    expect(actionForKey(press('R', { shiftKey: true, metaKey: true }))).toBeNull();
    expect(actionForKey(press('x'))).toBeNull();
    expect(actionForKey(press('toString'))).toBeNull();
  });
});
