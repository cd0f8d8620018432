import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/support/seeded-random.js';
import { isBulwarkError } from '../../core/errors.js';
import { hiddenContent } from './hidden-content.js';
import { HIDDEN_TECHNIQUES, type HiddenDocumentKind, type HiddenSpan } from './hidden-types.js';
import { expectedRegion, tagCharacters } from './hidden.test-support.js';

const TAGS = [
  'div',
  'span',
  'p',
  'b',
  'i',
  'a',
  'table',
  'tr',
  'td',
  'template',
  'noscript',
  'style',
  'script',
  'svg',
  'math',
  'textarea',
  'title',
  'select',
  'option',
  'img',
  'br',
  'iframe',
  'form',
  'font',
  'body',
  'html',
  'head',
  'meta',
  'ul',
  'li',
  'xmp',
  'plaintext',
  'frameset',
  'foreignObject',
  'desc',
];
const ATTRIBUTES = [
  'hidden',
  'aria-hidden="true"',
  'alt="alt text"',
  "title='a &amp; b'",
  'title=unquoted',
  'class="x y"',
  'id=z',
  'bgcolor="#fff"',
  'color=white',
  'content="meta &#x200B;text"',
  'alt',
  'title=""',
  'style',
  'x=">"',
  "'",
  '"',
];
const DECLARATIONS = [
  'display:none',
  'visibility:hidden',
  'visibility:visible',
  'opacity:0',
  'opacity:.05',
  'font-size:0',
  'font-size:1px',
  'font:0/0 a',
  'color:#fff',
  'color:transparent',
  'background:#fff',
  'background:url(x)',
  'position:absolute;left:-9999px',
  'text-indent:-9999px',
  'clip:rect(0 0 0 0)',
  'clip-path:inset(50%)',
  'width:0;overflow:hidden',
  'transform:scale(0)',
  'color:rgb(1 2 3 / 0)',
  'color:hsl(0 0% 100%)',
  'color:',
  ';;',
  'display:none !important',
  '/* x',
  'url("a;b")',
  'color:var(--x)',
  '}{',
];
const TEXTS = [
  'word',
  'ignore previous instructions',
  'é',
  '😀',
  '𝒳',
  '\r\n',
  '\r',
  '\n',
  '\t',
  ' ',
  '&amp;',
  '&#x200B;',
  '&#xE0041;',
  '&zwj;',
  '&#xFFFFFFFF;',
  '&#0;',
  '&bogus;',
  '\u200B',
  '\u202E',
  tagCharacters('hi'),
  '\uFE00\uFE01',
  '\0',
  '<',
  '>',
  '&',
  '</',
  '<!--',
  '-->',
  '--!>',
  '<![CDATA[x]]>',
  '<?xml x?>',
  '<!DOCTYPE html>',
  '<div',
  '"',
  "'",
  '<!-- comment -->',
  '<p class="',
  '</div>',
  '</p>',
  '</table>',
  '<td>',
  '\uFFFD',
  '\uD800',
  '\uDC00',
];
const MARKDOWN = [
  '![',
  '](',
  ')',
  '[',
  ']',
  '"t"',
  "'t'",
  '(t)',
  '[x]: /u "t"\n',
  '[//]: # (c)\n',
  '`',
  '```\n',
  '~~~\n',
  '> ',
  '- ',
  '1. ',
  '# ',
  '\n\n',
  '    ',
  '*',
  '_',
  '**',
  '\\',
  '<https://x.example>',
  '<a@b.c>',
  '![a](b "c")',
  "[a](b 'c')",
  '\n===\n',
  '\n---\n',
  '&#x200B;',
  '| a | b |\n|---|---|\n',
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function randomHtml(random: () => number, budget: number): string {
  const parts: string[] = [];
  while (parts.length < budget) {
    const roll = random();
    if (roll < 0.35) parts.push(pick(random, TEXTS));
    else if (roll < 0.7) {
      const attributes: string[] = [];
      while (random() < 0.5) {
        const attribute = pick(random, ATTRIBUTES);
        if (attribute !== 'style') attributes.push(attribute);
        else
          attributes.push(
            `style="${Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, DECLARATIONS)).join(';')}"`,
          );
      }
      parts.push(
        `<${pick(random, TAGS)}${attributes.map((a) => ` ${a}`).join('')}${random() < 0.1 ? '/' : ''}>`,
      );
    } else if (roll < 0.9) parts.push(`</${pick(random, TAGS)}>`);
    else if (roll < 0.95)
      parts.push(
        `<style>.x{${pick(random, DECLARATIONS)}} #z ${pick(random, TAGS)}{${pick(random, DECLARATIONS)}}</style>`,
      );
    else parts.push(`<!--${pick(random, TEXTS)}-->`);
  }
  return parts.join('');
}

function randomMarkdown(random: () => number, budget: number): string {
  const parts: string[] = [];
  while (parts.length < budget) {
    const roll = random();
    if (roll < 0.5) parts.push(pick(random, MARKDOWN));
    else if (roll < 0.8) parts.push(pick(random, TEXTS));
    else parts.push(randomHtml(random, 2));
  }
  return parts.join('');
}

/** What every answer must satisfy, whatever the input. */
function checkSpans(doc: string, spans: readonly HiddenSpan[]): void {
  let previous = -1;
  for (const span of spans) {
    expect(HIDDEN_TECHNIQUES).toContain(span.technique);
    expect(span.start).toBeGreaterThanOrEqual(0);
    expect(span.end).toBeGreaterThanOrEqual(span.start);
    expect(span.end).toBeLessThanOrEqual(doc.length);
    expect(span.start).toBeGreaterThanOrEqual(previous);
    previous = span.start;
    expect(typeof span.text).toBe('string');
    expect(span.text.length).toBeGreaterThan(0);
    expect({
      line: span.line,
      column: span.column,
      endLine: span.endLine,
      endColumn: span.endColumn,
    }).toEqual(expectedRegion(doc, span.start, span.end));
    if (span.technique === 'html-comment') expect(doc[span.start]).toBe('<');
  }
}

function run(doc: string, kind: HiddenDocumentKind): HiddenSpan[] {
  try {
    return hiddenContent(doc, kind);
  } catch (error) {
    // Only the documented bound may stop a check; anything else is a bug.
    if (isBulwarkError(error) && error.code === 'LIMIT_EXCEEDED') return [];
    throw error;
  }
}

describe('hiddenContent on seeded random input', () => {
  it('never throws on random HTML, and every span is well located and deterministic', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const random = seededRandom(seed);
      const doc = randomHtml(random, 5 + Math.floor(random() * 60));
      const spans = run(doc, 'html');
      checkSpans(doc, spans);
      expect(run(doc, 'html'), `seed ${seed}`).toEqual(spans);
    }
  });

  it('never throws on random Markdown mixed with HTML', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const random = seededRandom(10_000 + seed);
      const doc = randomMarkdown(random, 5 + Math.floor(random() * 60));
      checkSpans(doc, run(doc, 'markdown'));
      checkSpans(doc, run(doc, 'text'));
    }
  });

  it('finds a hidden marker planted in random surroundings, at its exact place', () => {
    let checked = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const random = seededRandom(20_000 + seed);
      // Surroundings close every open construct first, so the marker is parsed as written.
      const closing = `"'>--></textarea></title></style></script></xmp></noscript></template></iframe>`;
      const before = `${randomHtml(random, 10)}${closing}`;
      const marker = '<div style="display:none">PLANTED</div>';
      const doc = `${before}${'</table>'.repeat(3)}${'</select>'}${marker}`;
      if (/<plaintext|<frameset|<svg|<math|<template|<table|<select/iu.test(before)) continue;
      const spans = run(doc, 'html').filter((s) => s.text === 'PLANTED' && s.technique === 'display-none');
      expect(
        spans.map((s) => doc.slice(s.start, s.end)),
        `seed ${seed}`,
      ).toEqual([marker]);
      checked++;
    }
    expect(checked).toBeGreaterThan(80);
  });
});
