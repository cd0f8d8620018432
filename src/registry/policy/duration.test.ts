import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['90m', 5_400_000],
    ['12h', 43_200_000],
    ['30d', 2_592_000_000],
    ['2w', 1_209_600_000],
    [' 7 d ', 604_800_000],
  ])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '0d', '30', 'd', '1.5h', '-1d', '1y', '3 months', '30D', '1d2h', '9999999999w'])(
    'refuses %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});

describe('formatDuration', () => {
  it('uses the largest exact unit', () => {
    expect(formatDuration(parseDuration('30d') ?? 0)).toBe('30d');
    expect(formatDuration(parseDuration('14d') ?? 0)).toBe('2w');
    expect(formatDuration(parseDuration('36h') ?? 0)).toBe('36h');
    expect(formatDuration(1500)).toBe('1500ms');
  });
});
