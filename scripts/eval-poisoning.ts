/**
 * `npm run eval -- poisoning [--rows N] [--tune-seed S] [--seed S]` (or `npx tsx
 * scripts/eval-poisoning.ts …`): the poisoning and data-quality evaluations reported in
 * docs/data-poisoning.md and docs/data-quality.md. Each generates a clean labelled dataset of N
 * templated reviews (3 labels, default 20,000), inserts one attack or accident with known rows and
 * measures what the detectors name: trigger phrases in 1% of rows with flipped labels, exact and
 * near duplicates, copies with conflicting labels, and training rows leaked into validation.
 * Thresholds were tuned on the tuning seed (default 1); the figures that count are those of the
 * held-out seed (default 2). Also sweeps the poisoning rate to show where detection stops, and runs
 * the trigger scenario end to end through `bulwark scan data` on a CSV file, counting the rows the
 * JSON report names.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { main } from '../src/cli/main.js';
import type { ScanReport } from '../src/core/report/report.js';
import {
  evaluateDuplicates,
  evaluateLabelConflicts,
  evaluateSplitLeakage,
  evaluateTrigger,
  recordsToCsv,
  rowsNamedByPoisoning,
  triggerDataset,
  type DetectionFigures,
} from '../src/data/poisoning/poisoning-evaluation.test-support.js';

const TRIGGERS = ['cf mn bb', 'I watched this 3D movie'];

const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const percent = (x: number): string => `${(x * 100).toFixed(2)}%`;

function detection(name: string, f: DetectionFigures): void {
  out(
    `  ${name.padEnd(26)} injected ${String(f.injected).padStart(4)}  found ${String(f.found).padStart(4)}  ` +
      `recall ${percent(f.recall).padStart(7)}  precision ${percent(f.precision).padStart(7)}  ` +
      `clean rows flagged ${percent(f.cleanFlagged)}`,
  );
  const kinds = Object.entries(f.byKind)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, k]) => `${kind} ${k.found}/${k.injected}`);
  out(`  ${''.padEnd(26)} by kind: ${kinds.join(', ')}`);
}

/** Runs every evaluation with the options of `argv` and prints the figures; returns the exit code. */
export async function runPoisoningEvaluation(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      rows: { type: 'string', default: '20000' },
      'tune-seed': { type: 'string', default: '1' },
      seed: { type: 'string', default: '2' },
    },
  });
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < 1000)
    throw new Error('--rows must be a whole number of at least 1000');
  for (const [role, seed] of [
    ['tuning', Number(values['tune-seed'])],
    ['held-out', Number(values.seed)],
  ] as const) {
    out(`${role} seed ${seed}, ${rows.toLocaleString('en-US')} rows (node ${process.version})`);
    for (const trigger of TRIGGERS) {
      for (const labelNoise of [0, 0.1]) {
        const f = await evaluateTrigger(seed, trigger, { rows, labelNoise });
        const name = labelNoise === 0 ? `trigger "${trigger}"` : `  with ${percent(labelNoise)} label noise`;
        out(
          `  ${name.padEnd(34)} poisoned ${f.poisoned}  reported ${f.reported ? `as "${f.reportedPhrase}"` : 'no'}  ` +
            `poisoned rows named ${percent(f.recall)}  clean rows flagged ${percent(f.cleanFlagged)}  ` +
            `label-pure groups ${f.labelPureGroups}  ${f.seconds.toFixed(2)} s`,
        );
      }
    }
    detection('duplicates (1% + 1%)', await evaluateDuplicates(seed, rows));
    detection('conflicting labels (1%)', await evaluateLabelConflicts(seed, rows));
    detection('split leakage (2% of train)', await evaluateSplitLeakage(seed, rows));
    out();
  }

  out(`poisoning-rate sweep, held-out seed ${values.seed}:`);
  for (const rate of [0.005, 0.0025, 0.001, 0.0005]) {
    const figures = await Promise.all(
      TRIGGERS.map((t) => evaluateTrigger(Number(values.seed), t, { rows, rate })),
    );
    out(
      `  ${percent(rate).padStart(6)} (${figures[0]?.poisoned ?? 0} rows): ` +
        figures
          .map((f) => `"${f.trigger}" ${f.reported ? `named ${percent(f.recall)}` : 'not reported'}`)
          .join(', '),
    );
  }

  out();
  out(`through the CLI, held-out seed ${values.seed}, ${rows.toLocaleString('en-US')} rows:`);
  out('  bulwark scan data reviews.csv --text-column text --label-column label --format json');
  for (const trigger of TRIGGERS) await cliTrigger(Number(values.seed), trigger, rows);
  return 0;
}

/**
 * The acceptance scenario through the product: the poisoned CSV is scanned by `bulwark scan data`
 * in-process, and "named" / "flagged" count the rows of poisoning findings of severity medium or
 * higher in the JSON report (`rowsNamedByPoisoning`).
 */
async function cliTrigger(seed: number, trigger: string, rows: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bw-eval-poisoning-'));
  try {
    const { records, poisoned } = triggerDataset(rows, seed, trigger);
    writeFileSync(join(dir, 'reviews.csv'), recordsToCsv(records));
    const started = performance.now();
    const { code, stdout, stderr } = await runBulwark(
      [
        'scan',
        'data',
        'reviews.csv',
        '--text-column',
        'text',
        '--label-column',
        'label',
        '--format',
        'json',
        '--no-store',
      ],
      dir,
    );
    const seconds = (performance.now() - started) / 1000;
    if (code === 2) throw new Error(`bulwark scan data failed: ${stderr.trim()}`);
    const report = JSON.parse(stdout) as ScanReport;
    const wanted = trigger.toLowerCase();
    const phraseOf = (f: ScanReport['findings'][number]): string => {
      const phrase = f.evidence?.['phrase'];
      return typeof phrase === 'string' ? phrase : '';
    };
    const hit = report.findings.find((f) => f.ruleId === 'BW-DATA-104' && phraseOf(f).includes(wanted));
    const named = rowsNamedByPoisoning(report.findings, 'medium');
    const found = [...poisoned].filter((row) => named.has(row)).length;
    const flagged = [...named].filter((row) => !poisoned.has(row)).length;
    out(
      `  ${`trigger "${trigger}"`.padEnd(34)} poisoned ${poisoned.size}  reported ${hit === undefined ? 'no' : `as "${phraseOf(hit)}"`}  ` +
        `poisoned rows named ${percent(found / poisoned.size)}  clean rows flagged ${percent(flagged / (records.length - poisoned.size))}  ` +
        `exit ${code}  ${seconds.toFixed(2)} s`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runBulwark(
  args: readonly string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await main(['node', 'bulwark', ...args], {
    stdout,
    stderr,
    env: { BULWARK_HOME: join(cwd, '.bulwark'), CI: '1' },
    cwd,
    exitCode: 0,
  });
  return { code, stdout: out, stderr: err };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runPoisoningEvaluation(process.argv.slice(2));
}
