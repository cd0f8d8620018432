/**
 * `npx tsx scripts/eval-secrets.ts [--split report|tuning]`: writes the labelled secret corpus
 * (test/fixtures/secrets/generate.ts) for the split's seed, scans every file back with the secret
 * analyzer (notebooks through notebookUnits) and prints precision, recall and F2 per entity, the
 * hard negatives that fired, coverage of the gitleaks rules on samples of their own regexes, and
 * throughput. Thresholds were tuned on the tuning seed; docs/secret-scanning.md reports the other.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GITLEAKS_RULES } from '../src/data/secrets/gitleaks-rules.generated.js';
import { gitleaksEntity, SUPERSEDED_GITLEAKS_RULES } from '../src/data/secrets/gitleaks-rules.js';
import { createSecretAnalyzer } from '../src/data/secrets/secret-analyzer.js';
import { REPORT_SEED, TUNING_SEED, writeSecretCorpus } from '../test/fixtures/secrets/generate.js';
import { seededRandom } from '../test/fixtures/secrets/random.js';
import { sampleGoRegex } from '../test/fixtures/secrets/regex-sample.js';
import { rates, scanSample, scoreByEntity } from '../test/fixtures/secrets/score.js';

const out = (line = '') => process.stdout.write(`${line}\n`);

const WORDS =
  'the model was trained on data with learning rate and batch size loss accuracy epoch lorem ipsum dolor sit amet request handled user item path status'.split(
    ' ',
  );

/** Lines of logs, code, JSON records, CSV and prose, none holding a secret. */
function plainText(random: () => number, bytes: number): string[] {
  const word = () => WORDS[Math.floor(random() * WORDS.length)] ?? 'x';
  const words = (n: number) => Array.from({ length: n }, word).join(' ');
  const int = (n: number) => Math.floor(random() * n);
  const makers = [
    () =>
      `2024-05-01T10:${String(int(60)).padStart(2, '0')}:00Z INFO ${words(8)} id=${int(1e6)} ms=${int(999)}`,
    () => `    ${word()}_${word()} = np.${word()}(${word()}, ${int(99)})`,
    () => JSON.stringify({ id: int(1e6), name: word(), text: words(8), score: random() }),
    () => `${words(14)}.`,
    () => `${int(1e5)},${word()},${int(1e9).toString(36)},${random().toFixed(4)},${word()}`,
  ];
  const lines: string[] = [];
  for (let size = 0; size < bytes;) {
    const line = (makers[int(makers.length)] ?? makers[0] ?? (() => ''))();
    lines.push(line);
    size += line.length + 1;
  }
  return lines;
}
const split = process.argv.includes('tuning') ? 'tuning' : 'report';
const seed = split === 'tuning' ? TUNING_SEED : REPORT_SEED;
const analyzer = createSecretAnalyzer();
const dir = mkdtempSync(join(tmpdir(), 'bw-eval-secrets-'));

try {
  const corpus = writeSecretCorpus(dir, seed);
  // Read the files back: what is scored is what a scan of the written corpus finds.
  const samples = corpus.map((s) => ({ ...s, text: readFileSync(join(dir, s.file), 'utf8') }));
  const started = performance.now();
  const results = samples.map((s) => scanSample(s, analyzer));
  const seconds = (performance.now() - started) / 1000;
  const bytes = samples.reduce((n, s) => n + Buffer.byteLength(s.text), 0);

  out(
    `Secret corpus, ${split} split (seed ${seed}): ${samples.length} files, ${(bytes / 1e6).toFixed(2)} MB`,
  );
  out();
  out('| entity | TP | FP | FN | precision | recall | F2 |');
  out('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  const scores = [...scoreByEntity(results)].sort(([a], [b]) => a.localeCompare(b));
  const total = { tp: 0, fp: 0, fn: 0 };
  for (const [entity, s] of scores) {
    const r = rates(s);
    total.tp += s.tp;
    total.fp += s.fp;
    total.fn += s.fn;
    out(
      `| ${entity} | ${s.tp} | ${s.fp} | ${s.fn} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} | ${r.f2.toFixed(3)} |`,
    );
  }
  const r = rates(total);
  out(
    `| **all** | ${total.tp} | ${total.fp} | ${total.fn} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} | ${r.f2.toFixed(3)} |`,
  );
  out();

  const negatives = results.filter((x) => x.sample.kind === 'negative');
  const families = [...new Set(negatives.map((x) => x.sample.family))];
  out('Hard negatives (files with any finding / files):');
  for (const family of families) {
    const group = negatives.filter((x) => x.sample.family === family);
    out(`  ${family.padEnd(24)} ${group.filter((x) => x.found.length > 0).length}/${group.length}`);
  }
  const notebooks = results.filter((x) => x.sample.format === 'notebook');
  const notebookHits = notebooks.reduce(
    (n, x) =>
      n +
      x.sample.expected.filter((e) =>
        x.found.some((f) => f.start === e.start && f.end === e.end && f.entity === e.entity),
      ).length,
    0,
  );
  out(
    `Notebook secrets found at their exact raw-file offsets: ${notebookHits}/${notebooks.reduce((n, x) => n + x.sample.expected.length, 0)}`,
  );
  out(`Scan time of the corpus: ${seconds.toFixed(2)} s (secret-dense, cold start)`);
  out();

  // Each translated gitleaks rule on samples of its own regex (up to 8 draws), a keyword line above.
  const random = seededRandom(seed);
  let own = 0;
  let other = 0;
  const missed: string[] = [];
  for (const rule of GITLEAKS_RULES) {
    const entity = SUPERSEDED_GITLEAKS_RULES[rule.id] ?? gitleaksEntity(rule.id);
    let outcome: 'own' | 'other' | 'missed' = 'missed';
    for (let draw = 0; draw < 8 && outcome !== 'own'; draw++) {
      const found = analyzer.analyze(
        `${rule.keywords[0] ?? ''}\n${sampleGoRegex(rule.source, random).text}\n`,
      );
      if (found.some((m) => m.entity === entity)) outcome = 'own';
      else if (found.length > 0) outcome = 'other';
    }
    if (outcome === 'own') own++;
    else if (outcome === 'other') other++;
    else missed.push(rule.id);
  }
  out(
    `gitleaks rules on samples of their own regex: ${own} found as their entity, ${other} as another, ${missed.length} missed`,
  );
  if (missed.length > 0) out(`  missed: ${missed.join(', ')}`);
  out();

  // Throughput on text without secrets (logs, code, prose), after a warm-up, one analyze per line.
  const lines = plainText(seededRandom(seed), 16 * 1024 * 1024);
  const plainBytes = lines.reduce((n, l) => n + l.length + 1, 0);
  for (const line of lines.slice(0, 20_000)) analyzer.analyze(line);
  const t0 = performance.now();
  for (const line of lines) analyzer.analyze(line);
  const plainSeconds = (performance.now() - t0) / 1000;
  out(
    `Throughput, plain text line by line: ${(plainBytes / 1e6 / plainSeconds).toFixed(1)} MB/s on one core (${(plainBytes / 1e6).toFixed(0)} MB)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
