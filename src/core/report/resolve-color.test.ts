import { describe, expect, it } from 'vitest';
import { resolveColor } from './resolve-color.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe('resolveColor', () => {
  it('colours a terminal and not a pipe', () => {
    expect(resolveColor(tty, {})).toBe(true);
    expect(resolveColor(pipe, {})).toBe(false);
    expect(resolveColor({}, {})).toBe(false);
  });

  it('never colours when NO_COLOR is set and not empty', () => {
    expect(resolveColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(resolveColor(tty, { NO_COLOR: '0' })).toBe(false);
    expect(resolveColor(tty, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });

  it('ignores an empty NO_COLOR', () => {
    expect(resolveColor(tty, { NO_COLOR: '' })).toBe(true);
  });

  it('honours FORCE_COLOR both ways', () => {
    expect(resolveColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(resolveColor(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(resolveColor(pipe, { FORCE_COLOR: '3' })).toBe(true);
    expect(resolveColor(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(resolveColor(tty, { FORCE_COLOR: 'false' })).toBe(false);
  });

  it('does not colour a dumb terminal unless forced', () => {
    expect(resolveColor(tty, { TERM: 'dumb' })).toBe(false);
    expect(resolveColor(tty, { TERM: 'dumb', FORCE_COLOR: '1' })).toBe(true);
    expect(resolveColor(tty, { TERM: 'xterm-256color' })).toBe(true);
  });
});
