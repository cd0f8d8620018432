/**
 * `npx tsx scripts/eval-heuristics.ts [--data DIR] [--split train|test|both] [--plain] [--show N]`:
 * the heuristic prompt-shield detector alone on the public prompt data (/work/shared/data/prompts).
 *
 * - test: the held-out rows of src/prompts/classifier/prompt-splits.ts, scored with the shared
 *   harness of scripts/eval-prompts.ts (same benign pools, so the figures compare with the
 *   classifier's): per attack set the AUC and the TPR at 1% FPR, per benign set the share flagged,
 *   plus CyberSecEval multilingual per language. Nothing here was used to write the phrase lists.
 * - train: the rows the phrase lists may be tuned on (deepset train, JailbreakBench goals 0–6, BIPIA
 *   train compositions, self-instruct seed tasks); `--show N` prints the N highest-scoring benign
 *   and lowest-scoring attack train texts with their evidence.
 * - speed: microseconds per KB of the detector alone on normalized inputs (normalization is timed
 *   separately), and per call on a 1 KB prompt.
 *
 * Inputs go through normalizePrompt (src/prompts/normalize) unless `--plain` (NFKC only).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { rocAuc, tprAtFpr } from '../src/prompts/classifier/metrics.js';
import {
  INSERT_POSITIONS,
  composePoisoned,
  readBipiaAttacks,
  readBipiaContexts,
  readDeepset,
  readJailbreakBench,
  readSelfInstruct,
  recordingReader,
  type DataReader,
} from '../src/prompts/classifier/prompt-datasets.js';
import { buildEvaluationData, jailbreakBenchSplit } from '../src/prompts/classifier/prompt-splits.js';
import { createHeuristicDetector } from '../src/prompts/heuristics/index.js';
import { normalizePrompt } from '../src/prompts/normalize/index.js';
import type { DetectorResult, NormalizedInput, ShieldContext } from '../src/prompts/types.js';
import { evaluatePromptScorer, type PromptScorer } from './eval-prompts.js';

const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const fixed = (x: number): string => (Number.isNaN(x) ? '  n/a' : x.toFixed(3));
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const DEFAULT_THRESHOLD = 0.5;

interface Set {
  readonly name: string;
  readonly context: ShieldContext;
  readonly texts: readonly string[];
}

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '/work/shared/data/prompts' },
    split: { type: 'string', default: 'both' },
    plain: { type: 'boolean', default: false },
    show: { type: 'string', default: '0' },
  },
});
const dir = resolve(values.data);
const read: DataReader = (path) => readFileSync(join(dir, path));
const detector = createHeuristicDetector();
const prepare = (text: string): NormalizedInput => {
  if (!values.plain) return normalizePrompt(text);
  const normalized = text.normalize('NFKC');
  return { original: text, normalized, variants: [{ kind: 'normalized', text: normalized }], signals: [] };
};
const detect = (text: string, context: ShieldContext): DetectorResult =>
  detector.detect(prepare(text), context);
const scorer: PromptScorer = {
  name: 'heuristics',
  score: (text, context) => detect(text, context).score,
  threshold: { user: DEFAULT_THRESHOLD, document: DEFAULT_THRESHOLD },
};

out(
  `heuristic detector evaluation (node ${process.version}); inputs: ${values.plain ? 'NFKC only' : 'normalizePrompt'}`,
);
out(`data ${dir}; default threshold ${DEFAULT_THRESHOLD}`);
if (values.split === 'train' || values.split === 'both') evaluateTrain(Number(values.show));
if (values.split === 'test' || values.split === 'both') evaluateTest();
measureSpeed();

function evaluateTrain(show: number): void {
  const reader = recordingReader(read);
  const deepset = readDeepset(reader, 'train');
  const jbb = readJailbreakBench(reader).filter((r) => jailbreakBenchSplit(r.index) !== 'test');
  const compose = (task: 'email' | 'table' | 'code', kind: 'text' | 'code', contexts: number): string[] =>
    readBipiaContexts(reader, task, 'train')
      .slice(0, contexts)
      .flatMap((c) =>
        readBipiaAttacks(reader, kind, 'train').flatMap((a) =>
          INSERT_POSITIONS.map((p) => composePoisoned(c, a.text, p).text),
        ),
      );
  const attacks: Set[] = [
    {
      name: 'deepset train (label 1)',
      context: 'user',
      texts: deepset.filter((r) => r.label === 1).map((r) => r.text),
    },
    ...['PAIR', 'GCG', 'JBC', 'prompt_with_random_search'].map((method) => ({
      name: `jailbreakbench ${method} (goals 0-6)`,
      context: 'user' as const,
      texts: jbb.filter((r) => r.method === method).map((r) => r.text),
    })),
    { name: 'bipia email train x text attacks', context: 'document', texts: compose('email', 'text', 50) },
    {
      name: 'bipia table train (first 40) x text attacks',
      context: 'document',
      texts: compose('table', 'text', 40),
    },
    { name: 'bipia code train x code attacks', context: 'document', texts: compose('code', 'code', 50) },
  ];
  const benign: Set[] = [
    {
      name: 'deepset train (label 0)',
      context: 'user',
      texts: deepset.filter((r) => r.label === 0).map((r) => r.text),
    },
    {
      name: 'self-instruct seed tasks',
      context: 'user',
      texts: readSelfInstruct(reader, 'seed_tasks').map((r) => r.text),
    },
    {
      name: 'bipia clean train contexts',
      context: 'document',
      texts: (['email', 'table', 'code'] as const).flatMap((t) => readBipiaContexts(reader, t, 'train')),
    },
  ];
  const scored = (sets: Set[]) =>
    sets.map((set) => ({ set, results: set.texts.map((t) => detect(t, set.context)) }));
  const benignScored = scored(benign);
  const attackScored = scored(attacks);
  const pool = (context: ShieldContext) =>
    benignScored.filter((b) => b.set.context === context).flatMap((b) => b.results.map((r) => r.score));
  out();
  out('TRAIN splits (the phrase lists may be tuned on these)');
  printTable(
    attackScored.map(({ set, results }) => ({ set, scores: results.map((r) => r.score) })),
    benignScored.map(({ set, results }) => ({ set, scores: results.map((r) => r.score) })),
    pool,
  );
  if (show <= 0) return;
  const why = (r: DetectorResult) => r.evidence.map((e) => e.note).join('; ');
  const clip = (t: string) => JSON.stringify(t.length > 160 ? `${t.slice(0, 160)}…` : t);
  out();
  out(`highest-scoring benign train texts (top ${show}):`);
  benignScored
    .flatMap(({ set, results }) => results.map((r, i) => ({ set, r, text: set.texts[i] ?? '' })))
    .sort((a, b) => b.r.score - a.r.score)
    .slice(0, show)
    .forEach(({ set, r, text }) =>
      out(`  ${r.score.toFixed(2)} [${set.name}] ${clip(text)}\n      ${why(r)}`),
    );
  out(`lowest-scoring attack train texts (deepset + jailbreakbench, bottom ${show}):`);
  attackScored
    .filter(({ set }) => set.context === 'user')
    .flatMap(({ set, results }) => results.map((r, i) => ({ set, r, text: set.texts[i] ?? '' })))
    .sort((a, b) => a.r.score - b.r.score)
    .slice(0, show)
    .forEach(({ set, r, text }) => out(`  ${r.score.toFixed(2)} [${set.name}] ${clip(text)}  ${why(r)}`));
}

function printTable(
  attacks: readonly { set: Set; scores: readonly number[] }[],
  benign: readonly { set: Set; scores: readonly number[] }[],
  pool: (context: ShieldContext) => number[],
): void {
  out(
    `${'attack set'.padEnd(42)} ${'context'.padEnd(8)} ${'n'.padStart(6)}    AUC  TPR@1%FPR  recall@${DEFAULT_THRESHOLD}`,
  );
  for (const { set, scores } of attacks) {
    const negatives = pool(set.context);
    const recall = scores.filter((s) => s >= DEFAULT_THRESHOLD).length / Math.max(1, scores.length);
    out(
      `${set.name.padEnd(42)} ${set.context.padEnd(8)} ${String(scores.length).padStart(6)}  ${fixed(rocAuc(scores, negatives))}` +
        `      ${fixed(tprAtFpr(scores, negatives, 0.01).tpr)}      ${fixed(recall)}`,
    );
  }
  out(`${'benign set'.padEnd(42)} ${'context'.padEnd(8)} ${'n'.padStart(6)}  flagged@0.3  flagged@0.5`);
  for (const { set, scores } of benign) {
    const at = (t: number) => pct(scores.filter((s) => s >= t).length / Math.max(1, scores.length));
    out(
      `${set.name.padEnd(42)} ${set.context.padEnd(8)} ${String(scores.length).padStart(6)}  ${at(0.3).padStart(11)}  ${at(0.5).padStart(11)}`,
    );
  }
}

function evaluateTest(): void {
  const data = buildEvaluationData(read);
  const result = evaluatePromptScorer(scorer, data);
  out();
  out('TEST splits (held out; never used to write or tune the phrase lists)');
  for (const context of ['user', 'document'] as const) {
    const p = result.pools[context];
    out(
      `benign pool (${context}): ${p.size} texts; 1%-FPR threshold ${fixed(p.threshold1pct)} (actual FPR ${pct(p.fpr1pct)})`,
    );
  }
  out(
    `${'attack set'.padEnd(42)} ${'context'.padEnd(8)} ${'n'.padStart(6)}    AUC  TPR@1%FPR  precision  recall@${DEFAULT_THRESHOLD}`,
  );
  for (const a of result.attacks) {
    out(
      `${a.set.name.padEnd(42)} ${a.set.context.padEnd(8)} ${String(a.set.texts.length).padStart(6)}  ${fixed(a.auc)}` +
        `      ${fixed(a.tprAt1pctFpr)}      ${fixed(a.precision)}   ${fixed(a.recall)}`,
    );
  }
  out(
    `${'benign set'.padEnd(42)} ${'context'.padEnd(8)} ${'n'.padStart(6)}  flagged@${DEFAULT_THRESHOLD}  flagged@1%-thr`,
  );
  for (const b of result.benign) {
    out(
      `${b.set.name.padEnd(42)} ${b.set.context.padEnd(8)} ${String(b.set.texts.length).padStart(6)}  ${pct(b.flagged).padStart(12)}  ${pct(b.flaggedAt1pct).padStart(13)}`,
    );
  }
  printMultilingual(result.pools.user.threshold1pct, result.pools.document.threshold1pct);
}

/** CyberSecEval multilingual by language, at the 1%-FPR thresholds of the benign pools. */
function printMultilingual(userThreshold: number, documentThreshold: number): void {
  const reader = recordingReader(read);
  const rows = reader.json(
    'cyberseceval-prompt-injection/prompt_injection_multilingual_machine_translated.json',
  );
  if (!Array.isArray(rows)) return;
  const byLanguage = new Map<string, { n: number; flagged: number }>();
  for (const row of rows as Record<string, unknown>[]) {
    const text = typeof row.user_input === 'string' ? row.user_input : '';
    const context: ShieldContext = row.injection_type === 'indirect' ? 'document' : 'user';
    const language = typeof row.speaking_language === 'string' ? row.speaking_language : '?';
    const s = byLanguage.get(language) ?? { n: 0, flagged: 0 };
    s.n++;
    if (detect(text, context).score > (context === 'user' ? userThreshold : documentThreshold)) s.flagged++;
    byLanguage.set(language, s);
  }
  out('cyberseceval multilingual, TPR at the 1%-FPR thresholds, by language:');
  out(
    `  ${[...byLanguage]
      .sort((a, b) => b[1].n - a[1].n)
      .map(([l, s]) => `${l} ${pct(s.flagged / s.n)} (${s.n})`)
      .join(', ')}`,
  );
}

/** Fastest of `rounds` timings of `run` (ms): on a shared machine the minimum is the stable figure. */
function fastest(rounds: number, run: () => void): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

function measureSpeed(): void {
  const data = buildEvaluationData(read);
  const texts = data.benign.filter((s) => s.context === 'user').flatMap((s) => s.texts);
  const kb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1024;
  const normalizeMs = fastest(3, () => texts.forEach(prepare));
  const inputs = texts.map(prepare);
  const detectMs = fastest(7, () => inputs.forEach((input) => detector.detect(input, 'user')));
  const baselineMs = fastest(7, () => texts.forEach((t) => t.toLowerCase().indexOf('ignore')));
  let joined = '';
  for (const t of texts) {
    if (joined.length >= 1024) break;
    joined += `${t}\n`;
  }
  const oneKb = prepare(joined.slice(0, 1024));
  const perCall = (context: ShieldContext) =>
    (fastest(15, () => {
      for (let i = 0; i < 200; i++) detector.detect(oneKb, context);
    }) *
      1000) /
    200;
  out();
  out(
    `speed (fastest of repeated rounds; same-run baseline: lower-casing + one indexOf over the same texts): ` +
      `detector ${((detectMs * 1000) / kb).toFixed(1)} µs/KB over ${texts.length} benign user prompts ` +
      `(${kb.toFixed(0)} KB, ${Math.round(texts.length / (detectMs / 1000))} prompts/s), ` +
      `baseline ${((baselineMs * 1000) / kb).toFixed(1)} µs/KB; normalization ${((normalizeMs * 1000) / kb).toFixed(1)} µs/KB`,
  );
  out(
    `speed: one 1 KB prompt, ${perCall('user').toFixed(1)} µs per detect call (user), ${perCall('document').toFixed(1)} µs (document)`,
  );
}
