import type { RedactReport, UnredactReport } from './redact-schema.js';

/** How the summary names the two files (the CLI shows paths relative to the working folder). */
export interface ShownPaths {
  readonly input: string;
  readonly output: string;
}

/** The human summary of a redaction: counts per entity and the digests, never a value. */
export function renderRedactSummary(report: RedactReport, shown: ShownPaths): string {
  const lines = [
    `redacted ${shown.input} -> ${shown.output} (${report.format}, ${report.operator}): ` +
      `${report.replacements} value(s) in ${report.changedUnits} of ${report.units} ${report.unit}(s)`,
    ...entityLines(report.byEntity),
    ...(report.malformed > 0
      ? [`  note: ${report.malformed} record(s) did not parse and were redacted as plain text`]
      : []),
    ...(report.convertedColumns.length > 0
      ? [
          `  note: Parquet column(s) ${report.convertedColumns.join(', ')} became string columns to hold replacements`,
        ]
      : []),
    `  input   ${report.input.digest}`,
    `  output  ${report.output.digest}${report.keyId === undefined ? '' : ` (key ${report.keyId})`}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The human summary of a restore. */
export function renderUnredactSummary(report: UnredactReport, shown: ShownPaths): string {
  const lines = [
    `restored ${report.tokens} value(s): ${shown.input} -> ${shown.output} (${report.format}, key ${report.keyId})`,
    ...entityLines(report.byEntity),
    ...(report.stringColumns.length > 0
      ? [
          `  note: Parquet column(s) ${report.stringColumns.join(', ')} stay strings (not every value was encrypted)`,
        ]
      : []),
    ...(report.tokens === 0 ? ['  note: the input holds no encrypted token; the output is a copy'] : []),
    `  input   ${report.input.digest}`,
    `  output  ${report.output.digest}`,
  ];
  return `${lines.join('\n')}\n`;
}

function entityLines(byEntity: Readonly<Record<string, number>>): string[] {
  return Object.entries(byEntity).map(([entity, n]) => `  ${entity.padEnd(28)} ${n}`);
}
