import { parseCssColour } from './css-colour.js';

/** A longhand declaration with its value lower-cased and `!important` split off. */
export interface CssDeclaration {
  readonly property: string;
  readonly value: string;
  readonly important: boolean;
}

/** The properties (after shorthand expansion) that can hide text; every other one is dropped. */
export const HIDING_PROPERTIES: ReadonlySet<string> = new Set([
  'display',
  'visibility',
  'opacity',
  'filter',
  'font-size',
  'color',
  '-webkit-text-fill-color',
  'background-color',
  'background-image',
  'position',
  'left',
  'top',
  'right',
  'margin-left',
  'margin-top',
  'text-indent',
  'transform',
  'translate',
  'scale',
  'clip',
  'clip-path',
  'width',
  'height',
  'max-width',
  'max-height',
  'overflow-x',
  'overflow-y',
]);

const IMPORTANT = /!\s*important\s*$/iu;
const FONT_SIZE_KEYWORD =
  /^(?:xx-small|x-small|small|medium|large|x-large|xx-large|xxx-large|smaller|larger)$/u;
const SIZE_TOKEN = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?[a-z%]+|0|calc\(.*\))$/iu;
const GLOBAL_KEYWORD = /^(?:inherit|initial|unset|revert|revert-layer)$/u;

/**
 * Parses the declarations of a `style` attribute or a rule block (CSS Syntax §5.4.5, simplified:
 * comments dropped, `;` inside strings and brackets kept), expands the shorthands that can hide
 * text (`background`, `font`, `inset`, `margin`, `overflow`) and keeps only {@link HIDING_PROPERTIES}.
 */
export function parseDeclarations(text: string): CssDeclaration[] {
  const declarations: CssDeclaration[] = [];
  for (const part of splitTopLevel(stripComments(text), ';')) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    const property = part.slice(0, colon).trim().toLowerCase();
    let value = part.slice(colon + 1).trim();
    const important = IMPORTANT.test(value);
    if (important) value = value.replace(IMPORTANT, '').trim();
    if (value === '' || !/^-?[a-z][a-z-]*$/u.test(property)) continue;
    for (const [longhand, longValue] of expandShorthand(property, value)) {
      if (HIDING_PROPERTIES.has(longhand))
        declarations.push({ property: longhand, value: longValue, important });
    }
  }
  return declarations;
}

/** Removes CSS comments (an unterminated one runs to the end, as in the CSS tokenizer). */
export function stripComments(text: string): string {
  return text.includes('/*') ? text.replace(/\/\*[\s\S]*?(?:\*\/|$)/gu, ' ') : text;
}

/** Splits on `separator` outside quotes and brackets. */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    else if (depth === 0 && c === separator) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts;
}

/** The whitespace-separated tokens of a value, keeping `f(a b)` together. */
export function valueTokens(value: string): string[] {
  return splitTopLevel(value.replace(/\s+/gu, ' ').trim(), ' ').filter((t) => t !== '');
}

function expandShorthand(property: string, value: string): Array<[string, string]> {
  const lower = value.toLowerCase();
  switch (property) {
    case 'background':
      return expandBackground(lower);
    case 'font':
      return expandFont(lower);
    case 'inset':
      return boxSides(lower, ['top', 'right', 'bottom', 'left']);
    case 'margin':
      return boxSides(lower, ['margin-top', 'margin-right', 'margin-bottom', 'margin-left']);
    case 'overflow': {
      if (GLOBAL_KEYWORD.test(lower))
        return [
          ['overflow-x', lower],
          ['overflow-y', lower],
        ];
      const [x = lower, y = x] = valueTokens(lower);
      return [
        ['overflow-x', x],
        ['overflow-y', y],
      ];
    }
    default:
      return [[property, lower]];
  }
}

function expandBackground(value: string): Array<[string, string]> {
  if (GLOBAL_KEYWORD.test(value))
    return [
      ['background-color', value],
      ['background-image', value],
    ];
  const layers = splitTopLevel(value, ',');
  const last = valueTokens(layers[layers.length - 1] ?? '');
  const colour = last.find((token) => parseCssColour(token) !== undefined || token.startsWith('var('));
  const hasImage = /url\(|gradient\(|image\(|image-set\(|element\(|paint\(/u.test(value);
  return [
    ['background-color', colour ?? 'transparent'],
    ['background-image', hasImage ? 'image' : 'none'],
  ];
}

function expandFont(value: string): Array<[string, string]> {
  if (GLOBAL_KEYWORD.test(value)) return [['font-size', value]];
  for (const token of valueTokens(value)) {
    const size = token.split('/')[0] ?? '';
    if (FONT_SIZE_KEYWORD.test(size) || SIZE_TOKEN.test(size)) return [['font-size', size]];
  }
  return [];
}

function boxSides(value: string, sides: readonly [string, string, string, string]): Array<[string, string]> {
  const tokens = GLOBAL_KEYWORD.test(value) ? [value] : valueTokens(value);
  const [top = value, right = top, bottom = top, left = right] = tokens;
  return [
    [sides[0], top],
    [sides[1], right],
    [sides[2], bottom],
    [sides[3], left],
  ];
}
