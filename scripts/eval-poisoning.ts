/**
 * `npx tsx scripts/eval-poisoning.ts [--rows N] [--tune-seed S] [--seed S]`: the poisoning and
 * data-quality evaluations reported in docs/data-quality.md. Each generates a clean labelled dataset
 * of N templated reviews (3 labels, default 20,000), inserts one attack or accident with known rows
 * and measures what the detectors name: trigger phrases in 1% of rows with flipped labels, exact
 * and near duplicates, copies with conflicting labels, and training rows leaked into validation.
 * Thresholds were tuned on the tuning seed (default 1); the figures that count are those of the
 * held-out seed (default 2). Also sweeps the poisoning rate to show where detection stops.
 */
import { parseArgs } from 'node:util';
import {
  evaluateDuplicates,
  evaluateLabelConflicts,
  evaluateSplitLeakage,
  evaluateTrigger,
  type DetectionFigures,
} from '../src/data/poisoning/poisoning-evaluation.test-support.js';

const TRIGGERS = ['cf mn bb', 'I watched this 3D movie'];

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '20000' },
    'tune-seed': { type: 'string', default: '1' },
    seed: { type: 'string', default: '2' },
  },
});
const rows = Number(values.rows);
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
