import { describe, expect, it } from 'vitest';
import { parseDeclarations } from './css-declarations.js';
import { computeFontSize, isFarNegative, lengthInPixels } from './css-lengths.js';
import { ElementChain, matchesSelector, parseSelector, type ElementFacts } from './css-selectors.js';
import { buildStyleIndex, cascadeStyle } from './css-stylesheet.js';

const facts = (tag: string, id?: string, ...classes: string[]): ElementFacts => ({ tag, id, classes });
const chainOf = (elements: readonly ElementFacts[]): ElementChain => {
  const chain = new ElementChain();
  for (const element of elements) chain.push(element);
  return chain;
};

describe('parseDeclarations', () => {
  it('splits outside strings and brackets, drops comments, lower-cases and keeps !important', () => {
    expect(
      parseDeclarations(
        'COLOR: Red; /* display:none */ background: url("a;b.png") ; display : none ! IMPORTANT; bogus',
      ),
    ).toEqual([
      { property: 'color', value: 'red', important: false },
      { property: 'background-color', value: 'transparent', important: false },
      { property: 'background-image', value: 'image', important: false },
      { property: 'display', value: 'none', important: true },
    ]);
  });

  it('expands the shorthands that can hide text and drops other properties', () => {
    const expanded = (text: string) => parseDeclarations(text).map((d) => `${d.property}=${d.value}`);
    expect(expanded('background: #fff url(x.png) no-repeat')).toEqual([
      'background-color=#fff',
      'background-image=image',
    ]);
    expect(expanded('background: rgb(0 0 0 / 50%)')).toEqual([
      'background-color=rgb(0 0 0 / 50%)',
      'background-image=none',
    ]);
    expect(expanded('font: italic bold 0/0 "Helvetica Neue", serif')).toEqual(['font-size=0']);
    expect(expanded('font: 700 12px/1.5 serif')).toEqual(['font-size=12px']);
    expect(expanded('inset: -9999px 0')).toEqual(['top=-9999px', 'right=0', 'left=0']);
    expect(expanded('margin: 0 0 0 -10000px')).toEqual(['margin-top=0', 'margin-left=-10000px']);
    expect(expanded('overflow: hidden auto')).toEqual(['overflow-x=hidden', 'overflow-y=auto']);
    expect(expanded('border: 1px solid; padding: 0')).toEqual([]);
  });
});

describe('selectors', () => {
  it('parses type, class, id, universal, descendant and child selectors with their specificity', () => {
    expect(parseSelector('div.a.b#c')?.specificity).toBe(10_201);
    expect(parseSelector('ul > li .x')?.combinators).toEqual(['>', ' ']);
    expect(parseSelector('*')?.specificity).toBe(0);
    for (const unsupported of [
      'a:hover',
      '[hidden]',
      'a + b',
      'a ~ b',
      '> a',
      'a >',
      '.\\31 x',
      'a::before',
      '',
    ])
      expect(parseSelector(unsupported), unsupported).toBeUndefined();
  });

  it('matches right to left, backtracking over ancestors for descendant combinators', () => {
    const chain = chainOf([
      facts('html'),
      facts('body'),
      facts('div', 'main', 'a'),
      facts('section'),
      facts('p', undefined, 'x'),
    ]);
    const steps = { count: 0, limit: 1e9 };
    const matches = (text: string) => matchesSelector(parseSelector(text)!, chain, steps);
    expect(matches('p')).toBe(true);
    expect(matches('#main p.x')).toBe(true);
    expect(matches('div > section > p')).toBe(true);
    expect(matches('div > p')).toBe(false);
    expect(matches('body div.a section p')).toBe(true);
    expect(matches('section div p')).toBe(false);
    expect(matches('P.X')).toBe(false);
  });

  it('gives up on hostile selectors over deep trees within a bounded number of steps', () => {
    const chain = chainOf([
      facts('p', undefined, 'b'),
      ...Array.from({ length: 2000 }, () => facts('div', undefined, 'a')),
    ]);
    const selector = parseSelector('.b > .a .a .a .a .a .a .a')!;
    const steps = { count: 0, limit: 1e9 };
    expect(matchesSelector(selector, chain, steps)).toBe(false);
    expect(steps.count).toBeLessThanOrEqual(1040);
  });

  it('rejects a selector whose ancestors are not on the path without walking it', () => {
    const chain = chainOf(Array.from({ length: 2000 }, () => facts('div', undefined, 'a')));
    const steps = { count: 0, limit: 1e9 };
    expect(matchesSelector(parseSelector('.missing .a')!, chain, steps)).toBe(false);
    expect(steps.count).toBe(2);
    expect(matchesSelector(parseSelector('div.a .a')!, chainOf([facts('div', undefined, 'a')]), steps)).toBe(
      false,
    );
    expect(matchesSelector(parseSelector('div.a .a')!, chain, steps)).toBe(true);
  });
});

describe('cascadeStyle', () => {
  it('ranks !important, then the style attribute, then specificity, then order', () => {
    const index = buildStyleIndex([
      '.a { display: none; color: red } #i { color: blue } p { opacity: 0 !important } .a { color: green }',
      '@media print { .a { visibility: hidden } } @media only screen { .a { visibility: collapse } }',
    ]);
    const style = cascadeStyle(
      index,
      chainOf([facts('p', 'i', 'a')]),
      parseDeclarations('display:block; opacity: 1'),
      {
        count: 0,
        limit: 1e9,
      },
    );
    expect(Object.fromEntries([...style].map(([k, v]) => [k, `${v.value} @ ${v.source}`]))).toEqual({
      display: 'block @ style attribute',
      color: 'blue @ rule "#i"',
      opacity: '0 @ rule "p"',
      visibility: 'collapse @ rule ".a"',
    });
  });

  it('gives up with LIMIT_EXCEEDED once the document-wide step budget is spent', () => {
    const index = buildStyleIndex(['.x .b { display: none } .y .b { display: none }']);
    const chain = chainOf([
      facts('i', undefined, 'x', 'y'),
      ...Array.from({ length: 300 }, () => facts('div', undefined, 'a', 'b', 'c')),
    ]);
    expect(() => cascadeStyle(index, chain, [], { count: 0, limit: 500 })).toThrow(
      expect.objectContaining({ code: 'LIMIT_EXCEEDED' }),
    );
  });

  it('survives unbalanced and garbled sheets', () => {
    const index = buildStyleIndex([
      '}}} .a { display: none',
      '"unterminated { .b{color:red}',
      '<!-- .c{display:none} -->',
    ]);
    const cascade = (name: string) =>
      cascadeStyle(index, chainOf([facts('p', undefined, name)]), [], { count: 0, limit: 1e9 });
    expect(cascade('a').get('display')?.value).toBe('none');
    expect(cascade('c').get('display')?.value).toBe('none');
  });
});

describe('lengths', () => {
  it('converts absolute and font-relative units', () => {
    expect(lengthInPixels('12pt', undefined)).toBe(16);
    expect(lengthInPixels('2em', 10)).toBe(20);
    expect(lengthInPixels('1rem', undefined)).toBe(16);
    expect(lengthInPixels('50%', 10)).toBeUndefined();
    expect(lengthInPixels('0', undefined)).toBe(0);
  });

  it('resolves font sizes against the parent and tells far-off offsets', () => {
    expect(computeFontSize('50%', 4)).toBe(2);
    expect(computeFontSize('x-small', 1)).toBe(10);
    expect(computeFontSize('-3px', 12)).toBe(12);
    expect(computeFontSize('calc(1px + 1px)', 12)).toBeUndefined();
    expect(isFarNegative('-9999px', 16)).toBe(true);
    expect(isFarNegative('-999px', 16)).toBe(false);
    expect(isFarNegative('-100%', 16)).toBe(true);
    expect(isFarNegative('-70em', 16)).toBe(true);
  });
});
