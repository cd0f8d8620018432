import type { DuplicateGroup, DuplicateReport } from './near-duplicates.js';

/** A group of (near-)identical inputs whose rows carry different labels. */
export interface LabelConflict {
  readonly kind: 'exact' | 'near';
  /** Every row of the group, in reading order. */
  readonly rows: readonly number[];
  /** Rows per label, labels sorted by how many rows carry them (most first). */
  readonly labels: readonly { readonly label: string; readonly rows: readonly number[] }[];
  /** The label most rows carry, or null on a tie. */
  readonly majority: string | null;
  /** Rows whose label differs from the majority (every labelled row on a tie): the suspects. */
  readonly suspectRows: readonly number[];
  readonly similarity: number;
}

/**
 * Finds duplicate groups whose members disagree on the label (control D6): the same input taught
 * two answers is either label noise or a label-flipping attack, and either way the model learns
 * from a contradiction. Near groups are checked, and exact groups that belong to no near group.
 */
export function findLabelConflicts(report: DuplicateReport): LabelConflict[] {
  const inNear = new Set<number>();
  for (const group of report.near) for (const row of group.rows) inNear.add(row);
  const groups = [...report.near, ...report.exact.filter((group) => !inNear.has(group.rows[0] ?? -1))];
  const conflicts: LabelConflict[] = [];
  for (const group of groups) {
    const conflict = conflictOf(group);
    if (conflict !== undefined) conflicts.push(conflict);
  }
  return conflicts.sort((a, b) => (a.rows[0] ?? 0) - (b.rows[0] ?? 0));
}

function conflictOf(group: DuplicateGroup): LabelConflict | undefined {
  const byLabel = new Map<string, number[]>();
  group.rows.forEach((row, i) => {
    const label = group.labels[i];
    if (label === null || label === undefined) return;
    const rows = byLabel.get(label);
    if (rows === undefined) byLabel.set(label, [row]);
    else rows.push(row);
  });
  if (byLabel.size < 2) return undefined;
  const labels = [...byLabel]
    .map(([label, rows]) => ({ label, rows }))
    .sort((a, b) => b.rows.length - a.rows.length || (a.label < b.label ? -1 : 1));
  const [top, second] = labels;
  const majority =
    top !== undefined && second !== undefined && top.rows.length > second.rows.length ? top.label : null;
  const suspectRows = labels
    .filter((entry) => entry.label !== majority)
    .flatMap((entry) => entry.rows)
    .sort((a, b) => a - b);
  return { kind: group.kind, rows: group.rows, labels, majority, suspectRows, similarity: group.similarity };
}
