import { describe, expect, it } from 'vitest';
import { didYouMean, suggestClosest } from './did-you-mean.js';

const KEYS = ['version', 'scan', 'failOn', 'format', 'store', 'audit', 'keys', 'rules', 'scanners'];

describe('suggestClosest', () => {
  it('ignores case, dashes and underscores first', () => {
    expect(suggestClosest('fail_on', KEYS)).toBe('failOn');
    expect(suggestClosest('FAILON', KEYS)).toBe('failOn');
  });

  it('finds small typos, including swapped letters', () => {
    expect(suggestClosest('scaners', KEYS)).toBe('scanners');
    expect(suggestClosest('fromat', KEYS)).toBe('format');
    expect(suggestClosest('maxFileSze', ['maxFileSize', 'maxDepth', 'maxFiles'])).toBe('maxFileSize');
  });

  it('stays quiet when nothing is close', () => {
    expect(suggestClosest('colour', KEYS)).toBeUndefined();
    expect(suggestClosest('x', KEYS)).toBeUndefined();
    expect(suggestClosest('scan', KEYS)).toBeUndefined();
  });
});

describe('didYouMean', () => {
  it('formats a suffix or nothing', () => {
    expect(didYouMean('hgh', ['critical', 'high', 'medium'])).toBe(' (did you mean "high"?)');
    expect(didYouMean('zzzzzz', ['critical', 'high'])).toBe('');
  });
});
