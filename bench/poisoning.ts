/**
 * `npm run bench -- poisoning [--rows N]`: exact + near-duplicate detection (MinHash, 128 slots,
 * 5-character shingles, 16×8 LSH bands, grouping) over N generated labelled reviews (default
 * 200,000, seeded), next to the same-run baseline of plain normalization (NFKC, lower case,
 * whitespace collapse) and `Set`-based exact deduplication of the same rows. Also prints the
 * signature step alone and the trigger-token check, for scale.
 */
import { parseArgs } from 'node:util';
import { DuplicateDetector } from '../src/data/poisoning/near-duplicates.js';
import { MinHasher } from '../src/data/poisoning/minhash.js';
import { normalizeText, type DataRecord } from '../src/data/poisoning/records.js';
import { generateReviews } from '../src/data/poisoning/synthetic-reviews.test-support.js';
import { TriggerDetector } from '../src/data/poisoning/trigger-tokens.js';

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Runs the benchmark with `--rows` and prints rows per second next to the baseline. */
export function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { rows: { type: 'string', default: '200000' } } });
  const count = Number(values.rows);
  const records: DataRecord[] = generateReviews(count, 42).map((r, i) => ({
    row: i + 1,
    text: r.text,
    label: r.label,
  }));
  const megabytes = records.reduce((n, r) => n + (r.text?.length ?? 0), 0) / 1e6;
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const rate = (s: number): string =>
    `${Math.round(count / s)
      .toLocaleString('en-US')
      .padStart(10)} rows/s`;

  let start = process.hrtime.bigint();
  const seen = new Set<string>();
  let repeats = 0;
  for (const record of records) {
    const key = normalizeText(record.text ?? '');
    if (seen.has(key)) repeats++;
    else seen.add(key);
  }
  const baseline = seconds(start);

  start = process.hrtime.bigint();
  const hasher = new MinHasher();
  for (const record of records) hasher.signature(normalizeText(record.text ?? ''));
  const signatures = seconds(start);

  start = process.hrtime.bigint();
  const detector = new DuplicateDetector();
  for (const record of records) detector.add(record);
  const indexed = seconds(start);
  const report = detector.finish();
  const full = seconds(start);

  start = process.hrtime.bigint();
  const triggers = new TriggerDetector();
  for (const record of records) triggers.add(record);
  const triggerReport = triggers.finish();
  const triggerSeconds = seconds(start);

  out(
    `poisoning checks over ${count.toLocaleString('en-US')} rows, ${megabytes.toFixed(1)} MB of text (node ${process.version})`,
  );
  out(`baseline: normalize + Set exact dedupe            ${rate(baseline)}  (${repeats} repeats)`);
  out(`MinHash signatures alone (normalize + shingle)     ${rate(signatures)}`);
  out(`MinHash + LSH: indexing (exact keys, bands)        ${rate(indexed)}`);
  out(
    `MinHash + LSH: end to end with grouping           ${rate(full)}  ` +
      `(${report.exact.length} exact, ${report.near.length} near groups)`,
  );
  out(`end to end at ${((baseline / full) * 100).toFixed(1)}% of the baseline rate`);
  out(
    `trigger tokens (1–3-grams, partitioned counts)     ${rate(triggerSeconds)}  ` +
      `(${triggerReport.testedNgrams.toLocaleString('en-US')} n-grams tested)`,
  );
  return Promise.resolve();
}
