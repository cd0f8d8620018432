import { describe, expect, it } from 'vitest';
import { expectFault } from '../../../test/support/expect-fault.js';
import { hiddenContent } from './hidden-content.js';
import { HIDDEN_TECHNIQUES, type HiddenDocumentKind } from './hidden-types.js';
import { brief, tagCharacters } from './hidden.test-support.js';

describe('hiddenContent', () => {
  it('returns spans with text, technique, SARIF region, offsets and evidence', () => {
    expect(hiddenContent('<p hidden>x</p>', 'html')).toEqual([
      {
        text: 'x',
        technique: 'hidden-attribute',
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 16,
        start: 0,
        end: 15,
        detail: 'hidden attribute',
      },
    ]);
  });

  it('reads plain text for invisible characters only', () => {
    const doc = `<p hidden>markup is text here</p> <!-- so is this --> ![x](y "z") a\u200Bb ${tagCharacters('hi')}`;
    expect(brief(hiddenContent(doc, 'text'))).toEqual([
      ['zero-width', '\u200B'],
      ['tag-characters', 'hi'],
    ]);
  });

  it('finds nothing in empty or blank documents', () => {
    for (const kind of ['html', 'markdown', 'text'] as const) {
      expect(hiddenContent('', kind)).toEqual([]);
      expect(hiddenContent(' \r\n\t', kind)).toEqual([]);
    }
  });

  it('orders spans by start, outer before inner, then by technique', () => {
    const doc = '<div hidden aria-hidden="true" style="display:none"><p title="t" hidden>x</p></div>';
    expect(hiddenContent(doc, 'html').map((s) => [s.start, s.technique])).toEqual([
      [0, 'display-none'],
      [0, 'hidden-attribute'],
      [0, 'aria-hidden'],
      [52, 'hidden-attribute'],
      [62, 'title-text'],
    ]);
    expect(HIDDEN_TECHNIQUES.indexOf('display-none')).toBeLessThan(HIDDEN_TECHNIQUES.indexOf('aria-hidden'));
  });

  it('rejects kinds it does not read and documents that are not strings', () => {
    expectFault(
      () => hiddenContent('x', 'pdf' as HiddenDocumentKind),
      'INPUT_INVALID',
      /unknown document kind "pdf"/,
    );
    expectFault(() => hiddenContent(42 as unknown as string, 'text'), 'INPUT_INVALID', /must be a string/);
  });

  it('bounds the document size', () => {
    expectFault(
      () => hiddenContent('x'.repeat(101), 'text', { maxChars: 100 }),
      'LIMIT_EXCEEDED',
      /101 characters, over the 100/,
    );
    expect(hiddenContent('x'.repeat(100), 'text', { maxChars: 100 })).toEqual([]);
  });

  it('bounds the nodes and tokens walked', () => {
    const html = '<b>x</b>'.repeat(200);
    expectFault(
      () => hiddenContent(html, 'html', { maxNodes: 300 }),
      'LIMIT_EXCEEDED',
      /more than 300 nodes/,
    );
    expect(hiddenContent(html, 'html', { maxNodes: 1000 })).toEqual([]);
    expectFault(
      () => hiddenContent('*a* '.repeat(200), 'markdown', { maxNodes: 100 }),
      'LIMIT_EXCEEDED',
      /100 nodes/,
    );
  });

  it('bounds the text gathered for nested hidden elements', () => {
    const doc = `${'<div hidden>'.repeat(300)}${'word '.repeat(200)}`;
    expectFault(
      () => hiddenContent(doc, 'html', { maxTextChars: 50_000 }),
      'LIMIT_EXCEEDED',
      /passed 50000 characters/,
    );
    expect(hiddenContent(doc, 'html', { maxTextChars: 1_000_000 })).toHaveLength(300);
  });

  it('walks deep trees without recursion, and refuses depths that would make parsing quadratic', () => {
    const doc = `${'<div>'.repeat(9_000)}<span style="display:none">deep</span>`;
    expect(brief(hiddenContent(doc, 'html'))).toEqual([['display-none', 'deep']]);
    expect(hiddenContent(`${'<div>x</div>'.repeat(50_000)}<p hidden>y`, 'html')).toHaveLength(1);
    expectFault(
      () => hiddenContent('<a><b>'.repeat(6_000), 'html'),
      'LIMIT_EXCEEDED',
      /more than 10000 HTML elements open/,
    );
    expectFault(
      () => hiddenContent(`${'<div>'.repeat(20_000)}<!-- <div> ${'<span>'.repeat(20_000)} -->`, 'html'),
      'LIMIT_EXCEEDED',
      /elements open/,
    );
    expect(
      hiddenContent(
        `<svg>${'<path d="M0"/>'.repeat(20_000)}</svg><script>${'<div>'.repeat(20_000)}</script>`,
        'html',
      ),
    ).toEqual([]);
  });

  it('refuses Markdown nested beyond what it parses in bounded time', () => {
    const quotes = (depth: number) => `${'> '.repeat(depth)}![alt](x.png)`;
    expect(brief(hiddenContent(quotes(90), 'markdown'))).toEqual([['alt-text', 'alt']]);
    // markdown-it stops at 100 nested blocks and drops the rest: fail closed rather than miss it.
    expectFault(() => hiddenContent(quotes(5000), 'markdown'), 'LIMIT_EXCEEDED', /nests blocks 100 deep/);
    expectFault(
      () => hiddenContent(`${'- '.repeat(60)}x`, 'markdown'),
      'LIMIT_EXCEEDED',
      /nests blocks 100 deep/,
    );
    const images = (depth: number) => `${'!['.repeat(depth)}a${'](x)'.repeat(depth)}`;
    expect(hiddenContent(images(30), 'markdown')).toHaveLength(30);
    expectFault(
      () => hiddenContent(images(40), 'markdown'),
      'LIMIT_EXCEEDED',
      /nests images more than 32 deep/,
    );
    expect(hiddenContent(`${images(30)}\n\n${images(30)}`, 'markdown')).toHaveLength(60);
  });
});
