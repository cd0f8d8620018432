import { describe, expect, it } from 'vitest';
import {
  binomialUpperTail,
  chiSquareSurvival,
  logGamma,
  medianAndMad,
  quantileOfSorted,
} from './statistics.js';

describe('logGamma', () => {
  it('matches Γ at known points', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 11);
    expect(logGamma(171)).toBeCloseTo(706.5730622457874, 8);
  });
});

describe('binomialUpperTail', () => {
  it('sums the exact tail', () => {
    expect(binomialUpperTail(3, 3, 0.5)).toBeCloseTo(0.125, 14);
    expect(binomialUpperTail(5, 10, 0.5)).toBeCloseTo(638 / 1024, 14);
    expect(binomialUpperTail(1, 4, 0.25)).toBeCloseTo(1 - 0.75 ** 4, 14);
  });

  it('handles the edges and deep tails', () => {
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
    const deep = binomialUpperTail(200, 200, 1 / 3);
    expect(deep / 3 ** -200).toBeCloseTo(1, 10);
    expect(binomialUpperTail(190, 200, 1 / 3)).toBeLessThan(1e-70);
  });
});

describe('chiSquareSurvival', () => {
  it('matches the 5% critical values', () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 10);
    expect(chiSquareSurvival(5.991464547107979, 2)).toBeCloseTo(0.05, 10);
    expect(chiSquareSurvival(18.307038053275146, 10)).toBeCloseTo(0.05, 10);
  });

  it('is exp(−x/2) with two degrees of freedom, in both branches', () => {
    for (const x of [0.5, 1.9, 2.1, 40, 100])
      expect(chiSquareSurvival(x, 2) / Math.exp(-x / 2)).toBeCloseTo(1, 9);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });
});

describe('robust statistics', () => {
  it('computes median, MAD and interpolated quantiles', () => {
    expect(medianAndMad([1, 2, 3, 4, 100])).toEqual({ median: 3, mad: 1 });
    expect(quantileOfSorted([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantileOfSorted([], 0.5)).toBeNaN();
  });
});
