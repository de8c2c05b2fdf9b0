import { describe, expect, it } from 'vitest';
import { findDeadlock } from '../../server/trace/wait-for-graph.ts';

const names = { lane: (key: string): string => key.toUpperCase(), lock: (id: string): string => id.replace('1:', '') };

describe('wait-for graph', () => {
  it('finds two threads each holding the lock the other waits for, and says so', () => {
    const found = findDeadlock(
      [{ lane: 'a', lock: '1:L2' }, { lane: 'b', lock: '1:L1' }],
      [{ lane: 'a', lock: '1:L1' }, { lane: 'b', lock: '1:L2' }],
      names,
    );
    expect(found?.lanes).toEqual(['a', 'b']);
    expect(found?.locks).toEqual(['1:L1', '1:L2']);
    expect(found?.caption).toBe('A holds L1 and waits for L2; B holds L2 and waits for L1');
  });

  it('sees no deadlock in a chain of waits that ends at a lane that runs on', () => {
    expect(findDeadlock(
      [{ lane: 'a', lock: 'x' }, { lane: 'b', lock: 'y' }],
      [{ lane: 'b', lock: 'x' }, { lane: 'c', lock: 'y' }],
      names,
    )).toBeNull();
    // Waiting for something nobody holds (an Event, a Queue) is no edge at all.
    expect(findDeadlock([{ lane: 'a', lock: 'e' }], [], names)).toBeNull();
  });

  it('finds a longer cycle behind a lane that only waits on it', () => {
    const found = findDeadlock(
      [{ lane: 'z', lock: 'l1' }, { lane: 'a', lock: 'l2' }, { lane: 'b', lock: 'l3' }, { lane: 'c', lock: 'l1' }],
      [{ lane: 'a', lock: 'l1' }, { lane: 'b', lock: 'l2' }, { lane: 'c', lock: 'l3' }],
      names,
    );
    expect(found?.lanes).toEqual(['a', 'b', 'c']);
    expect(found?.locks).toEqual(['l1', 'l2', 'l3']);
    expect(found?.caption).toBe('A holds l1 and waits for l2; B holds l2 and waits for l3; C holds l3 and waits for l1');
  });

  it('finds a thread waiting for a lock it holds itself', () => {
    const found = findDeadlock([{ lane: 'a', lock: 'l' }], [{ lane: 'a', lock: 'l' }], names);
    expect(found?.caption).toBe('A holds l and waits for l');
  });
});
