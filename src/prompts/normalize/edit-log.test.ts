import { describe, expect, it } from 'vitest';
import { EditLog, replaceLogged, spanToInput } from './edit-log.js';

describe('EditLog', () => {
  it('maps spans of a rewritten text back across deletions, shrinks and growths', () => {
    const input = 'ab\u200bcd  ef\u200bgh';
    const log = new EditLog();
    const output = replaceLogged(input, /\u200b| {2}/g, (match) => (match === '  ' ? ' ' : ''), log);
    expect(output).toBe('abcd efgh');
    const back = (start: number, end: number): string => {
      const span = spanToInput([log], start, end);
      return input.slice(span.start, span.end);
    };
    expect(back(0, 4)).toBe('ab\u200bcd');
    expect(back(2, 4)).toBe('cd');
    expect(back(4, 5)).toBe('  ');
    expect(back(5, 9)).toBe('ef\u200bgh');
    expect(back(0, 9)).toBe(input);
    expect(back(3, 3)).toBe('');
  });

  it('composes passes, the first pass first', () => {
    const first = new EditLog();
    const second = new EditLog();
    const one = replaceLogged('xxABCyy', /ABC/g, () => 'abcdef', first);
    const two = replaceLogged(one, /x+/g, () => '', second);
    expect(two).toBe('abcdefyy');
    expect(spanToInput([first, second], 6, 8)).toEqual({ start: 5, end: 7 });
    expect(spanToInput([first, second], 1, 2)).toEqual({ start: 2, end: 5 });
  });
});
