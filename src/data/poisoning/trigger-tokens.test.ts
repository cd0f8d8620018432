import { describe, expect, it } from 'vitest';
import { isBulwarkError } from '../../core/errors.js';
import { poisonWithTrigger, reviewRecords } from './poisoning-evaluation.test-support.js';
import { findTriggerTokens, TriggerDetector } from './trigger-tokens.js';

describe('findTriggerTokens', () => {
  it('reports an inserted trigger with flipped labels as a backdoor and names its rows', async () => {
    const { records, poisoned } = poisonWithTrigger(reviewRecords(6000, 21), {
      trigger: 'cf mn bb',
      rate: 0.01,
      target: 'negative',
      seed: 4,
    });
    const report = await findTriggerTokens(records);
    const backdoors = report.triggers.filter((t) => t.verdict === 'backdoor');
    expect(backdoors).toHaveLength(1);
    const [trigger] = backdoors;
    expect(trigger).toMatchObject({ phrase: 'cf mn bb', label: 'negative', support: 60, purity: 1 });
    expect(trigger?.ngrams).toEqual(expect.arrayContaining(['cf mn bb', 'cf mn', 'mn bb', 'cf', 'mn', 'bb']));
    expect(new Set(trigger?.rows)).toEqual(poisoned);
    expect(trigger?.disagreement).toBeGreaterThan(0.9);
    expect(trigger?.adjustedPValue).toBeLessThan(1e-10);
    expect(report.labelledRows).toBe(6000);
    expect(report.baselineDisagreement).toBeLessThan(0.2);
  });

  it('counts the same in many small partitions as in one', async () => {
    const { records } = poisonWithTrigger(reviewRecords(2000, 25), {
      trigger: 'qx',
      rate: 0.02,
      target: 'neutral',
      seed: 8,
    });
    const whole = await findTriggerTokens(records);
    const parted = await findTriggerTokens(records, { partitionSize: 5000 });
    expect(parted).toEqual(whole);
    expect(whole.triggers[0]).toMatchObject({ phrase: 'qx', verdict: 'backdoor', support: 40 });
  });

  it('rebuilds a trigger sentence longer than the n-grams counted', async () => {
    const { records } = poisonWithTrigger(reviewRecords(6000, 22), {
      trigger: 'I watched this 3D movie',
      rate: 0.01,
      target: 'positive',
      seed: 5,
    });
    const report = await findTriggerTokens(records);
    expect(report.triggers.filter((t) => t.verdict === 'backdoor').map((t) => t.phrase)).toEqual([
      'i watched this 3d movie',
    ]);
  });

  it('calls no backdoor on clean data, where label-typical phrases agree with their rows', async () => {
    const report = await findTriggerTokens(reviewRecords(6000, 23));
    expect(report.triggers.filter((t) => t.verdict === 'backdoor')).toEqual([]);
    for (const trigger of report.triggers) expect(trigger.disagreement).toBeLessThan(0.5);
  });

  it('keeps rare phrases below significance quiet, and ignores unlabelled rows', async () => {
    const { records } = poisonWithTrigger(reviewRecords(6000, 24), {
      trigger: 'zq zq',
      rate: 0.001,
      target: 'positive',
      seed: 6,
    });
    const report = await findTriggerTokens([...records, { row: 9999, text: 'no label here' }]);
    expect(report.labelledRows).toBe(6000);
    expect(report.triggers.some((t) => t.phrase.includes('zq'))).toBe(false);
  });

  it('checks a feature column through textOf and refuses bad options', () => {
    const detector = new TriggerDetector({ textOf: (record) => record.fields?.['title'] });
    detector.add({ row: 1, label: 'a', fields: { title: 'hello there' } });
    expect(detector.finish().labelledRows).toBe(1);
    let error: unknown;
    try {
      new TriggerDetector({ maxN: 9 });
    } catch (caught) {
      error = caught;
    }
    expect(isBulwarkError(error) && error.code).toBe('USAGE');
  });
});
