/**
 * CodeMirror in the colours of the static code pane: shiki's `github-dark` theme, the one the
 * server highlights with (server/deck/highlight.ts), on the pane's background, in the pane's
 * font. Lezer's tags are coarser than TextMate's scopes, so a few tokens differ (Python's
 * builtins such as `print` are blue in shiki and purple, as calls, here).
 */
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';

/** shiki's github-dark, by what it colours. */
const COLOURS = {
  text: '#e1e4e8',
  keyword: '#f97583',
  string: '#9ecbff',
  entity: '#b392f0',
  constant: '#79b8ff',
  comment: '#6a737d',
  variable: '#ffab70',
  regexp: '#dbedff',
  invalid: '#fdaeb7',
} as const;

/** The static pane's background (client/styles.css: `.reveal pre.shiki`). */
const BACKGROUND = '#0d1117';

const highlightStyle = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword, t.operatorKeyword, t.modifier, t.operator], color: COLOURS.keyword },
  { tag: [t.string, t.special(t.string), t.docString, t.character, t.attributeValue], color: COLOURS.string },
  { tag: [t.regexp], color: COLOURS.regexp },
  { tag: [t.number, t.bool, t.null, t.atom, t.escape, t.self, t.constant(t.variableName), t.standard(t.variableName), t.standard(t.typeName), t.special(t.brace)], color: COLOURS.constant },
  {
    tag: [t.function(t.variableName), t.function(t.propertyName), t.function(t.definition(t.variableName)), t.className, t.definition(t.className), t.typeName, t.namespace, t.meta, t.macroName, t.labelName],
    color: COLOURS.entity,
  },
  { tag: [t.comment, t.lineComment, t.blockComment, t.docComment], color: COLOURS.comment },
  { tag: [t.special(t.variableName)], color: COLOURS.variable },
  { tag: [t.invalid], color: COLOURS.invalid, fontStyle: 'italic' },
]);

const theme = EditorView.theme(
  {
    '&': { height: '100%', color: COLOURS.text, backgroundColor: BACKGROUND, fontSize: '15px' },
    '&.cm-focused': { outline: 'none' },
    '.cm-scroller': { fontFamily: 'var(--code-font)', lineHeight: '1.4', overflow: 'auto' },
    '.cm-content': { padding: '12px 0', caretColor: '#c8e1ff' },
    '.cm-line': { padding: '0 14px 0 6px' },
    '.cm-cursor, .cm-dropCursor': { borderLeftColor: '#c8e1ff', borderLeftWidth: '2px' },
    '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': { backgroundColor: '#3392ff44' },
    '.cm-activeLine': { backgroundColor: 'transparent' },
    '&.cm-focused .cm-activeLine': { backgroundColor: '#161b22' },
    '.cm-gutters': { backgroundColor: BACKGROUND, color: '#6e7681', border: 'none' },
    '.cm-lineNumbers .cm-gutterElement': { padding: '0 6px 0 10px' },
    '&.cm-focused .cm-activeLineGutter': { backgroundColor: '#161b22', color: COLOURS.text },
    '.cm-activeLineGutter': { backgroundColor: 'transparent' },
    '.cm-matchingBracket, &.cm-focused .cm-matchingBracket': { backgroundColor: '#17e5e633', outline: '1px solid #17e5e650' },
    '.cm-tooltip': { backgroundColor: '#161b22', color: COLOURS.text, border: '1px solid #2c343c', fontFamily: 'var(--code-font)', fontSize: '15px' },
    '.cm-diagnostic-error': { borderLeftColor: '#f85149' },
    '.cm-lint-marker': { width: '0.9em', height: '0.9em' },
  },
  { dark: true },
);

export const githubDark: Extension = [theme, syntaxHighlighting(highlightStyle)];
