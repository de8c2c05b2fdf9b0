import { describe, expect, it } from 'vitest';
import { decodeCast, encodeCast } from '../../server/recordings/recording.ts';
import type { CastEvent, CastHeader } from '../../server/recordings/recording.ts';

const header: CastHeader = { version: 2, width: 65, height: 26, timestamp: 1_700_000_000, title: 'python concepts/deadlock.py', env: { TERM: 'xterm-256color' } };

describe('asciicast v2', () => {
  it('decodes what it encodes: the header and every event, escapes and unicode included', () => {
    const events: CastEvent[] = [
      [0, 'o', 'plain\r\n'],
      [0.125, 'o', '\x1b[31mred\x1b[0m "quoted" \\ back\n'],
      [0.125, 'o', 'ünïcödé ⏎ 🧵\r\n'],
      [1.5, 'o', ''],
    ];
    const text = encodeCast(header, events);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([header, ...events]);
    expect(decodeCast(text)).toEqual({ header, events });
  });

  it('skips events other than output and refuses times that go back, naming the line', () => {
    const text = [JSON.stringify(header), '[0.1,"o","a"]', '[0.2,"i","typed"]', '[0.3,"m","marker"]', '[0.4,"o","b"]'].join('\n');
    expect(decodeCast(text).events).toEqual([
      [0.1, 'o', 'a'],
      [0.4, 'o', 'b'],
    ]);
    expect(() => decodeCast([JSON.stringify(header), '[0.5,"o","a"]', '[0.4,"o","b"]'].join('\n'))).toThrow(/line 3: time 0.4/);
    expect(() => decodeCast([JSON.stringify(header), 'not json'].join('\n'))).toThrow(/line 2: not JSON/);
    expect(() => decodeCast('{"version":1,"width":80,"height":24}')).toThrow(/line 1/);
  });
});
