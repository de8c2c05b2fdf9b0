import { describe, expect, it } from 'vitest';
import { chooseDemoLayout, CODE_AREA, codeWidth, CONTENT_RULE, TERMINAL_SIZE } from '../../server/deck/demo-layout.ts';
import { isDivider, slideKinds } from '../../server/deck/slide-kind.ts';
import { parseSection } from '../../server/deck/parse-deck.ts';

const line = (width: number): string => 'x'.repeat(width);

describe('demo layout', () => {
  it('puts code of up to 44 columns beside the terminal, and wider code above it', () => {
    expect(chooseDemoLayout([line(10), line(44), line(3)].join('\n'))).toBe('side');
    expect(chooseDemoLayout([line(10), line(45)].join('\n'))).toBe('stacked');
    expect(chooseDemoLayout('')).toBe('side');
  });

  it('keeps long code beside the terminal, where it has the most lines', () => {
    expect(chooseDemoLayout(Array.from({ length: 30 }, () => line(20)).join('\n'))).toBe('side');
  });

  it('counts a tab as the four columns the pane shows, and ignores trailing blanks', () => {
    expect(codeWidth('\tx')).toBe(5);
    expect(codeWidth(`${line(44)}   `)).toBe(44);
    expect(chooseDemoLayout(`\t${line(41)}`)).toBe('stacked');
    expect(codeWidth('naïve ✓')).toBe(7);
  });

  it('promises the content rule within the side-by-side figures', () => {
    expect(CONTENT_RULE.code.columns).toBeLessThanOrEqual(CODE_AREA.side.columns);
    expect(CONTENT_RULE.code.lines).toBeLessThanOrEqual(CODE_AREA.side.lines);
    expect(CONTENT_RULE.output.cols).toBeLessThanOrEqual(TERMINAL_SIZE.side.cols);
    // The output, then the exit line, with a row to spare.
    expect(CONTENT_RULE.output.rows + 2).toBeLessThanOrEqual(TERMINAL_SIZE.side.rows);
    expect(TERMINAL_SIZE.stacked.cols).toBeGreaterThan(TERMINAL_SIZE.side.cols);
    expect(CODE_AREA.stacked.columns).toBeGreaterThan(CODE_AREA.side.columns);
  });
});

describe('slide kinds', () => {
  it('knows a section divider: a lone # heading, with at most one short plain line', () => {
    expect(isDivider('# Concepts')).toBe(true);
    expect(isDivider('# Concepts\n\nraces, locks and deadlocks\n')).toBe(true);
    expect(isDivider('<!-- seconds: 20 -->\n# Concepts\n')).toBe(true);
    expect(isDivider('## Concepts')).toBe(false);
    expect(isDivider('# Concepts\n\none line\n\nand another')).toBe(false);
    expect(isDivider('# Concepts\n\n- a list item')).toBe(false);
    expect(isDivider(`# Concepts\n\n${'a long paragraph '.repeat(6)}`)).toBe(false);
    expect(isDivider('# Concepts\n\n![QR](qr:https://example.org)')).toBe(false);
    expect(isDivider('')).toBe(false);
  });

  it('makes the first slide the title, the last the closing, and a divider only of a slide without demos', () => {
    const deck = {
      sections: [
        parseSection('01-a.md', '# Talk\n\nsubtitle\n\n---\n\n# Part one\n\nwhat it is about\n\n---\n\n## Text\n\n- a point\n'),
        parseSection('02-b.md', '# Demo\n\n<<< python a.py\n\n---\n\n## Thanks\n'),
      ],
    };
    expect([...slideKinds(deck).values()]).toEqual(['title', 'section', 'content', 'content', 'closing']);
  });
});
