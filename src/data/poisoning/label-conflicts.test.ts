import { describe, expect, it } from 'vitest';
import { findLabelConflicts } from './label-conflicts.js';
import { findDuplicates } from './near-duplicates.js';
import type { DataRecord } from './records.js';

describe('findLabelConflicts', () => {
  it('reports duplicate inputs with different labels, minority rows as suspects', async () => {
    const records: DataRecord[] = [
      { row: 1, text: 'The package arrived crushed and the screen was cracked.', label: 'negative' },
      { row: 2, text: 'the package arrived crushed and the screen was cracked', label: 'negative' },
      { row: 3, text: 'The package arrived crushed and the screen was cracked!', label: 'positive' },
      { row: 4, text: 'A lovely little lamp that lights the whole room.', label: 'positive' },
      { row: 5, text: 'A lovely little lamp that lights the whole room.', label: 'positive' },
      { row: 6, text: 'Completely different words about a garden hose.', label: 'neutral' },
    ];
    const conflicts = findLabelConflicts(await findDuplicates(records));
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      rows: [1, 2, 3],
      majority: 'negative',
      suspectRows: [3],
      labels: [
        { label: 'negative', rows: [1, 2] },
        { label: 'positive', rows: [3] },
      ],
    });
  });

  it('calls every labelled row a suspect on a tie, and ignores unlabelled rows', async () => {
    const records: DataRecord[] = [
      { row: 1, text: 'same input text for both of these rows', label: 'a' },
      { row: 2, text: 'same input text for both of these rows', label: 'b' },
      { row: 3, text: 'same input text for both of these rows' },
    ];
    const [conflict] = findLabelConflicts(await findDuplicates(records));
    expect(conflict).toMatchObject({ kind: 'exact', majority: null, suspectRows: [1, 2] });
  });
});
