import { describe, expect, it } from 'vitest';
import { countTokenWindows, planTokenWindows, shareWindowBudget } from './token-windows.js';

describe('planTokenWindows', () => {
  it('uses one window for a text that fits, none for an empty one', () => {
    expect(planTokenWindows(0, 10, 2, 5)).toEqual([]);
    expect(planTokenWindows(7, 10, 2, 5)).toEqual([{ start: 0, end: 7 }]);
    expect(planTokenWindows(10, 10, 2, 5)).toEqual([{ start: 0, end: 10 }]);
  });

  it('covers every token with full windows sharing `overlap` tokens, the last aligned to the end', () => {
    for (const [length, size, overlap] of [
      [11, 10, 2],
      [25, 10, 2],
      [26, 10, 0],
      [1000, 64, 16],
      [3001, 510, 64],
    ] as const) {
      const windows = planTokenWindows(length, size, overlap, 1_000);
      expect(windows.length).toBe(countTokenWindows(length, size, overlap));
      expect(windows[0]?.start).toBe(0);
      expect(windows.at(-1)?.end).toBe(length);
      for (const w of windows) expect(w.end - w.start).toBe(size);
      for (let i = 1; i < windows.length; i++) {
        const previous = windows[i - 1];
        const current = windows[i];
        if (previous === undefined || current === undefined) throw new Error('missing window');
        // Consecutive windows share at least `overlap` tokens (the last one more, being end-aligned).
        expect(previous.end - current.start).toBeGreaterThanOrEqual(overlap);
        if (i < windows.length - 1) expect(previous.end - current.start).toBe(overlap);
      }
    }
  });

  it('keeps the first windows and the last one when over the limit', () => {
    const all = planTokenWindows(100, 10, 0, 100);
    expect(all).toHaveLength(10);
    const kept = planTokenWindows(100, 10, 0, 3);
    expect(kept).toEqual([all[0], all[1], all[9]]);
    expect(planTokenWindows(100, 10, 0, 1)).toEqual([all[0]]);
  });
});

describe('shareWindowBudget', () => {
  it('gives every text one window before a long one takes the rest', () => {
    expect(shareWindowBudget([10, 1, 3], 4)).toEqual([2, 1, 1]);
    expect(shareWindowBudget([10, 1, 3], 100)).toEqual([10, 1, 3]);
    expect(shareWindowBudget([0, 5, 5], 1)).toEqual([0, 1, 0]);
  });
});
