import { describe, expect, it } from 'vitest';
import { expectFault } from '../../../test/support/expect-fault.js';
import { categoryOfLabel, checkLabels, labelProbabilities, resolveAttackLabels } from './label-scores.js';

describe('resolveAttackLabels', () => {
  it('takes every label not named benign by default, whatever the model family', () => {
    expect(resolveAttackLabels(['BENIGN', 'MALICIOUS'])).toEqual({ user: [1], document: [1] });
    expect(resolveAttackLabels(['BENIGN', 'INJECTION', 'JAILBREAK'])).toEqual({
      user: [1, 2],
      document: [1, 2],
    });
    expect(resolveAttackLabels(['SAFE', 'INJECTION'])).toEqual({ user: [1], document: [1] });
    expect(resolveAttackLabels(['LABEL_0', 'LABEL_1'])).toEqual({ user: [1], document: [1] });
    expect(resolveAttackLabels(['INJECTION', 'legitimate'])).toEqual({ user: [0], document: [0] });
  });

  it('takes named labels case-insensitively, for both contexts or per context', () => {
    const labels = ['BENIGN', 'INJECTION', 'JAILBREAK'];
    expect(resolveAttackLabels(labels, ['jailbreak'])).toEqual({ user: [2], document: [2] });
    expect(resolveAttackLabels(labels, { user: ['JAILBREAK'] })).toEqual({ user: [2], document: [1, 2] });
    expect(
      resolveAttackLabels(labels, { user: ['JAILBREAK'], document: ['INJECTION', 'JAILBREAK'] }),
    ).toEqual({
      user: [2],
      document: [1, 2],
    });
  });

  it('refuses unknown labels, empty lists, all labels, and labels that do not say what is benign', () => {
    const labels = ['BENIGN', 'INJECTION', 'JAILBREAK'];
    expectFault(
      () => resolveAttackLabels(labels, ['MALICIOUS']),
      'CONFIG_INVALID',
      /"MALICIOUS" is not one of/,
    );
    expectFault(() => resolveAttackLabels(labels, []), 'CONFIG_INVALID', /at least one label/);
    expectFault(
      () => resolveAttackLabels(labels, ['benign', 'injection', 'jailbreak']),
      'CONFIG_INVALID',
      /every label/,
    );
    expectFault(() => resolveAttackLabels(['NEGATIVE', 'POSITIVE']), 'CONFIG_INVALID', /set attackLabels/);
  });

  it('scores a single-output model by its one logit', () => {
    expect(resolveAttackLabels(['LABEL_0'])).toEqual({ user: [0], document: [0] });
  });
});

describe('checkLabels', () => {
  it('refuses no labels and duplicate names', () => {
    expectFault(() => checkLabels([]), 'INPUT_INVALID', /no labels/);
    expectFault(() => checkLabels(['SAFE', 'safe']), 'INPUT_INVALID', /distinct/);
  });
});

describe('labelProbabilities', () => {
  it('is a stable softmax over a row, and a sigmoid for one output', () => {
    const row = labelProbabilities(Float32Array.from([9, 0, 1000, 1001]), 2, 2);
    expect(row[0]).toBeCloseTo(1 / (1 + Math.E), 6);
    expect(row[1]).toBeCloseTo(Math.E / (1 + Math.E), 6);
    expect(labelProbabilities([0], 0, 1)).toEqual([0.5]);
    expect(labelProbabilities([Math.log(3)], 0, 1)[0]).toBeCloseTo(0.75, 9);
    expect(labelProbabilities([Number.NaN, 1], 0, 2).every(Number.isNaN)).toBe(true);
  });
});

describe('categoryOfLabel', () => {
  it('names jailbreak labels jailbreak and every other attack an instruction override', () => {
    expect(categoryOfLabel('JAILBREAK')).toBe('jailbreak');
    expect(categoryOfLabel('jail break')).toBe('jailbreak');
    expect(categoryOfLabel('MALICIOUS')).toBe('instruction-override');
    expect(categoryOfLabel('INJECTION')).toBe('instruction-override');
  });
});
