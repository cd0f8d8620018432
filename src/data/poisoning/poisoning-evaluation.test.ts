import { describe, expect, it } from 'vitest';
import {
  evaluateDuplicates,
  evaluateLabelConflicts,
  evaluateSplitLeakage,
  evaluateTrigger,
} from './poisoning-evaluation.test-support.js';

// Thresholds were tuned on seed 1; these tests run on the held-out seed 2, as docs/data-quality.md
// reports (`npx tsx scripts/eval-poisoning.ts` prints the figures).
const SEED = 2;

describe('poisoning evaluation (20,000 generated rows, held-out seed)', () => {
  it.each(['cf mn bb', 'I watched this 3D movie'])(
    'reports the trigger "%s" in one row of a hundred and names nine poisoned rows of ten or more, flagging under one clean row of a hundred',
    async (trigger) => {
      const figures = await evaluateTrigger(SEED, trigger);
      expect(figures.poisoned).toBe(200);
      expect(figures.reported).toBe(true);
      expect(figures.reportedPhrase).toBe(trigger.toLowerCase());
      expect(figures.recall).toBeGreaterThanOrEqual(0.9);
      expect(figures.cleanFlagged).toBeLessThan(0.01);
    },
  );

  it('finds injected exact and near duplicates', async () => {
    const figures = await evaluateDuplicates(SEED);
    expect(figures.injected).toBe(400);
    expect(figures.recall).toBeGreaterThanOrEqual(0.95);
    expect(figures.precision).toBeGreaterThanOrEqual(0.95);
    expect(figures.cleanFlagged).toBeLessThan(0.01);
  });

  it('finds copies carrying a different label', async () => {
    const figures = await evaluateLabelConflicts(SEED);
    expect(figures.injected).toBe(200);
    expect(figures.recall).toBeGreaterThanOrEqual(0.95);
    expect(figures.cleanFlagged).toBeLessThan(0.01);
  });

  it('finds training rows leaked, lightly edited, into validation', async () => {
    const figures = await evaluateSplitLeakage(SEED);
    expect(figures.injected).toBe(400);
    expect(figures.recall).toBeGreaterThanOrEqual(0.95);
    expect(figures.cleanFlagged).toBeLessThan(0.01);
  });
});
