import { describe, expect, it } from 'vitest';
import { blendColours, formatColour, isColourHidden, parseCssColour, WHITE } from './css-colour.js';

const hex = (value: string): string | undefined => {
  const colour = parseCssColour(value);
  return colour === undefined ? undefined : formatColour(colour);
};

describe('parseCssColour', () => {
  it.each([
    ['white', '#ffffff'],
    ['RebeccaPurple', '#663399'],
    ['#abc', '#aabbcc'],
    ['#abcd', '#aabbccdd'],
    ['#A1B2C3', '#a1b2c3'],
    ['#a1b2c380', '#a1b2c380'],
    ['rgb(255, 0, 128)', '#ff0080'],
    ['rgba(255,0,128,0.5)', '#ff008080'],
    ['rgb(100% 0% 50% / 50%)', '#ff008080'],
    ['rgb(300 -5 0)', '#ff0000'],
    ['hsl(0, 100%, 50%)', '#ff0000'],
    ['hsl(120deg 100% 25%)', '#008000'],
    ['hsla(0.5turn, 100%, 50%, 0.5)', '#00ffff80'],
    ['hsl(3.14159265rad 100% 50%)', '#00ffff'],
    ['hsl(200grad 100% 50%)', '#00ffff'],
    ['transparent', '#00000000'],
  ])('reads %s as %s', (value, expected) => {
    expect(hex(value)).toBe(expected);
  });

  it.each([
    'currentcolor',
    'var(--x)',
    'lab(50% 40 59)',
    '#abcde',
    'rgb(1,2)',
    'rgb(1 2 3 4)',
    'notacolour',
    'rgb(a,b,c)',
  ])('gives up on %s', (value) => {
    expect(parseCssColour(value)).toBeUndefined();
  });
});

describe('colour comparison', () => {
  it('blends translucent text over the background', () => {
    expect(formatColour(blendColours({ r: 0, g: 0, b: 0, a: 0.5 }, WHITE))).toBe('#808080');
  });

  it('calls equal and near-equal colours hidden, and legible contrast not', () => {
    const c = (value: string) => parseCssColour(value)!;
    expect(isColourHidden(c('#fff'), WHITE)).toBe(true);
    expect(isColourHidden(c('#f0f0f0'), WHITE)).toBe(true);
    expect(isColourHidden(c('#eeeeee'), WHITE)).toBe(false);
    expect(isColourHidden(c('rgba(0,0,0,0.05)'), WHITE)).toBe(true);
    expect(isColourHidden(c('red'), c('#00b000'))).toBe(false);
  });
});
