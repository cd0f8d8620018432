import { describe, expect, it } from 'vitest';
import { RuleCatalogue } from '../../core/rules.js';
import { poisonWithTrigger, reviewRecords } from './poisoning-evaluation.test-support.js';
import { poisoningFindings, splitOverlapFindings } from './poisoning-findings.js';
import { POISONING_RULES } from './poisoning-rules.js';
import type { DataRecord } from './records.js';
import { scanPoisoning } from './scan-poisoning.js';
import { compareSplits } from './split-overlap.js';

describe('poisoning rules', () => {
  it('have unique BW-DATA-1xx ids and carry D6, P2 or P3 with framework mappings', () => {
    const catalogue = new RuleCatalogue(POISONING_RULES);
    expect(catalogue.list().map((r) => r.id)).toEqual(
      Array.from({ length: 13 }, (_, i) => `BW-DATA-${String(101 + i)}`),
    );
    for (const rule of POISONING_RULES) {
      expect(rule.controls.some((c) => ['D6', 'P2', 'P3'].includes(c))).toBe(true);
      expect(rule.mappings.owaspLlm).toContain('LLM04');
    }
  });
});

describe('poisoningFindings', () => {
  it('turns one pass over a poisoned dataset into located findings without long text', async () => {
    const { records } = poisonWithTrigger(reviewRecords(4000, 31), {
      trigger: 'cf mn bb',
      rate: 0.01,
      target: 'positive',
      seed: 2,
    });
    const extra: DataRecord[] = [
      {
        row: 4001,
        text: records[0]!.text!.toUpperCase(),
        label: records[0]!.label === 'neutral' ? 'negative' : 'neutral',
      },
      { row: 4002, text: `hidden\u200Bword and ${'x'.repeat(5000)}`, label: 'neutral' },
    ];
    const report = await scanPoisoning([...records, ...extra], {
      textField: 'review',
      reference: { positive: 1, negative: 1, neutral: 1 },
    });
    const findings = poisoningFindings(report, { path: 'data/train.csv', textField: 'review' });
    const byRule = (id: string) => findings.filter((f) => f.ruleId === id);

    const [backdoor] = byRule('BW-DATA-104');
    expect(backdoor?.severity).toBe('high');
    expect(backdoor?.location).toEqual({
      path: 'data/train.csv',
      row: backdoor?.location.row,
      field: 'review',
    });
    expect(backdoor?.location.row).toBeGreaterThan(0);
    expect(backdoor?.evidence).toMatchObject({ phrase: 'cf mn bb', label: 'positive', rowCount: 40 });
    // Every row of a backdoor trigger is named (other rules list 20), up to maxTriggerRows.
    expect((backdoor?.evidence?.['rows'] as number[]).length).toBe(40);
    const capped = poisoningFindings(report, { path: 'data/train.csv', maxTriggerRows: 25 });
    const cappedBackdoor = capped.find((f) => f.ruleId === 'BW-DATA-104');
    expect(cappedBackdoor?.evidence).toMatchObject({ rowCount: 40 });
    expect((cappedBackdoor?.evidence?.['rows'] as number[]).length).toBe(25);
    expect(backdoor?.controls).toEqual(['D6', 'P3']);

    // Phrases typical of a class make one informational finding for the file, naming no rows.
    const labelPure = byRule('BW-DATA-105');
    expect(labelPure).toHaveLength(1);
    expect(labelPure[0]?.location).toEqual({ path: 'data/train.csv' });
    expect(labelPure[0]?.evidence?.['count']).toBeGreaterThan(1);
    expect(JSON.stringify(labelPure[0]?.evidence)).not.toContain('rows"');

    const [conflict] = byRule('BW-DATA-103');
    expect(conflict?.evidence).toMatchObject({ kind: 'exact', size: 2 });
    expect(byRule('BW-DATA-101')[0]?.message).toBe('row 4001 repeats row 1');

    const [hidden] = byRule('BW-DATA-108');
    expect(hidden?.location).toEqual({ path: 'data/train.csv', row: 4002, field: 'review' });
    expect(hidden?.evidence).toMatchObject({ column: 7, endColumn: 8, codePoints: ['U+200B'] });
    expect(byRule('BW-DATA-107').map((f) => f.location.row)).toContain(4002);

    expect(byRule('BW-DATA-112')).toEqual([]);
    for (const finding of findings) expect(JSON.stringify(finding).length).toBeLessThan(4000);
  });

  it('reports a class-balance shift and maps positions through locate', async () => {
    const records: DataRecord[] = Array.from({ length: 1000 }, (_, i) => ({
      row: i + 1,
      text: `row ${i}`,
      label: i < 700 ? 'a' : 'b',
    }));
    const report = await scanPoisoning(records, {
      duplicates: false,
      triggers: false,
      outliers: false,
      hiddenUnicode: false,
      reference: { a: 500, b: 500 },
    });
    const findings = poisoningFindings(report, {
      path: 'x.jsonl',
      locate: (p) => ({ path: 'x.jsonl', line: p.row ?? 1 }),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'BW-DATA-112', location: { path: 'x.jsonl', line: 1 } });
    expect(findings[0]?.message).toMatch(
      /^label "a" is 70% of rows against 50% in the reference \(\+20 points/u,
    );
  });

  it('keeps at most maxPerRule findings per rule and summarizes the rest', async () => {
    const records: DataRecord[] = Array.from({ length: 30 }, (_, i) => ({
      row: i + 1,
      text: `a\u202Eb ${i}`,
    }));
    const report = await scanPoisoning(records, { duplicates: false, triggers: false, outliers: false });
    const findings = poisoningFindings(report, { path: 'p', maxPerRule: 10 });
    expect(findings).toHaveLength(11);
    expect(findings[10]?.evidence).toEqual({ omitted: 20 });
  });
});

describe('splitOverlapFindings', () => {
  it('locates each leaked row in the validation file and names the training row', async () => {
    const train: DataRecord[] = [{ row: 1, text: 'the same sentence in both splits', label: 'a' }];
    const validation: DataRecord[] = [
      { row: 1, text: 'something new' },
      { row: 2, text: 'The same sentence in both splits', label: 'b' },
    ];
    const findings = splitOverlapFindings(await compareSplits(train, validation), {
      trainPath: 'train.csv',
      validationPath: 'valid.csv',
    });
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'BW-DATA-113',
        message: 'validation row 2 repeats training row 1 with a different label',
        location: { path: 'valid.csv', row: 2 },
      }),
    ]);
    expect(findings[0]?.evidence).toMatchObject({ trainPath: 'train.csv', trainRow: 1, kind: 'exact' });
  });
});
