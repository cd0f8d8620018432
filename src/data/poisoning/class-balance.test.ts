import { describe, expect, it } from 'vitest';
import { isBulwarkError } from '../../core/errors.js';
import { compareClassBalance, countLabels } from './class-balance.js';

describe('compareClassBalance', () => {
  it('accepts a sample drawn from the reference', () => {
    const result = compareClassBalance({ a: 3310, b: 3350, c: 3340 }, { a: 1000, b: 1000, c: 1000 });
    expect(result.isShifted).toBe(false);
    expect(result.pValue).toBeGreaterThan(0.5);
    expect(result.degreesOfFreedom).toBe(2);
  });

  it('reports a large, significant shift with the label that moved most', () => {
    const result = compareClassBalance({ a: 4300, b: 2850, c: 2850 }, { a: 1000, b: 1000, c: 1000 });
    expect(result.isShifted).toBe(true);
    expect(result.maxShift.label).toBe('a');
    expect(result.maxShift.shift).toBeCloseTo(0.43 - 1 / 3, 3);
    expect(result.pValue).toBeLessThan(1e-20);
  });

  it('does not report a tiny shift, however significant on a huge set', () => {
    const result = compareClassBalance({ a: 510_000, b: 490_000 }, { a: 1, b: 1 });
    expect(result.pValue).toBeLessThan(0.001);
    expect(result.isShifted).toBe(false);
  });

  it('reports new and missing labels', () => {
    const result = compareClassBalance({ a: 500, b: 480, spam: 20 }, { a: 500, b: 450, c: 50 });
    expect(result.newLabels).toEqual(['spam']);
    expect(result.missingLabels).toEqual(['c']);
    expect(result.isShifted).toBe(true);
    expect(Number.isFinite(result.chiSquare)).toBe(true);
  });

  it('refuses negative or empty counts', () => {
    for (const [observed, reference] of [
      [{ a: 1 }, { a: -1 }],
      [{ a: 1 }, {}],
      [{}, { a: 1 }],
    ] as const) {
      let error: unknown;
      try {
        compareClassBalance(observed, reference);
      } catch (caught) {
        error = caught;
      }
      expect(isBulwarkError(error) && error.code).toBe('INPUT_INVALID');
    }
  });

  it('counts labels of records', async () => {
    expect(
      await countLabels([{ row: 1, label: 'b' }, { row: 2, label: 'a' }, { row: 3, label: 'b' }, { row: 4 }]),
    ).toEqual({
      a: 1,
      b: 2,
    });
  });
});
