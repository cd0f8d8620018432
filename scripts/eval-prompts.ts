/**
 * `npm run eval -- prompts [--data DIR] [--scorer NAME]` (or `npx tsx scripts/eval-prompts.ts …`):
 * the prompt shields on the held-out test splits of the public prompt data (rows listed in
 * src/prompts/classifier/prompt-splits.ts; nothing here was trained or tuned on). Every attack set is
 * scored against the benign pool of its context: user prompts against XSTest safe prompts, MT-Bench
 * turns, self-instruct user-oriented instructions and deepset test label 0; documents against the
 * clean BIPIA test contexts. Per set it prints the ROC AUC, the TPR at 1% FPR (threshold set on that
 * pool) and precision/recall at the scorer's default threshold; per benign set the share flagged.
 * A scorer is any `(text, context) => score` (see SCORERS): the classifier alone today, the
 * combined fast tier (heuristics + classifier) when it lands.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultPromptClassifier } from '../src/prompts/classifier/classifier-detector.js';
import { precisionRecall, rocAuc, tprAtFpr } from '../src/prompts/classifier/metrics.js';
import {
  buildEvaluationData,
  type EvaluationData,
  type EvaluationSet,
} from '../src/prompts/classifier/evaluation-data.js';
import { buildTrainingData } from '../src/prompts/classifier/prompt-splits.js';
import { createHeuristicDetector } from '../src/prompts/heuristics/index.js';
import { normalizePrompt } from '../src/prompts/normalize/index.js';
import { createPromptShield } from '../src/prompts/shield.js';
import type { ShieldContext } from '../src/prompts/types.js';

/** What is evaluated: a score per text (higher = more likely an attack) and its default threshold. */
export interface PromptScorer {
  readonly name: string;
  readonly score: (text: string, context: ShieldContext) => number;
  /** Texts scoring at or above this are flagged by default, per context. */
  readonly threshold: Readonly<Record<ShieldContext, number>>;
}

/** The scorers `--scorer` can name: the fast tier as shipped (`shield`) and its two detectors alone. */
export const SCORERS: Readonly<Record<string, () => PromptScorer>> = {
  shield: () => {
    const shield = createPromptShield();
    return {
      name: 'shield (fast tier: heuristics + classifier, combined)',
      score: (text, context) => shield.scan(text, context).score,
      threshold: shield.thresholds,
    };
  },
  classifier: () => {
    const classifier = defaultPromptClassifier();
    return {
      name: 'classifier alone',
      score: (text, context) => classifier.score(text, context),
      threshold: { user: classifier.threshold, document: classifier.threshold },
    };
  },
  heuristics: () => {
    const heuristics = createHeuristicDetector();
    return {
      name: 'heuristics alone',
      score: (text, context) => heuristics.detect(normalizePrompt(text), context).score,
      threshold: { user: 0.5, document: 0.5 },
    };
  },
};

/** The figures of one attack set. */
export interface AttackFigures {
  readonly set: EvaluationSet;
  readonly auc: number;
  readonly tprAt1pctFpr: number;
  readonly precision: number;
  readonly recall: number;
}

/** The figures of a whole evaluation. */
export interface PromptEvaluation {
  readonly attacks: AttackFigures[];
  /** Per benign (and other) set: how many texts, the share flagged at the default threshold and at the 1%-FPR threshold. */
  readonly benign: { set: EvaluationSet; flagged: number; flaggedAt1pct: number }[];
  readonly pools: Record<ShieldContext, { size: number; threshold1pct: number; fpr1pct: number }>;
  readonly textsPerSecond: number;
}

/** Scores every set with `scorer` and computes the figures (pure apart from the clock). */
export function evaluatePromptScorer(scorer: PromptScorer, data: EvaluationData): PromptEvaluation {
  let texts = 0;
  const started = performance.now();
  const scoreSet = (set: EvaluationSet): number[] => {
    texts += set.texts.length;
    return set.texts.map((t) => scorer.score(t, set.context));
  };
  const benignScores = data.benign.map((set) => ({ set, scores: scoreSet(set) }));
  const otherScores = data.other.map((set) => ({ set, scores: scoreSet(set) }));
  const attackScores = data.attacks.map((set) => ({ set, scores: scoreSet(set) }));
  const seconds = (performance.now() - started) / 1000;
  const pool = (context: ShieldContext): number[] =>
    benignScores.filter((b) => b.set.context === context).flatMap((b) => b.scores);
  const operating = (context: ShieldContext) => tprAtFpr([], pool(context), 0.01);
  const pools = {
    user: {
      size: pool('user').length,
      threshold1pct: operating('user').threshold,
      fpr1pct: operating('user').fpr,
    },
    document: {
      size: pool('document').length,
      threshold1pct: operating('document').threshold,
      fpr1pct: operating('document').fpr,
    },
  };
  return {
    attacks: attackScores.map(({ set, scores }) => {
      const negatives = pool(set.context);
      const pr = precisionRecall(scores, negatives, scorer.threshold[set.context]);
      return {
        set,
        auc: rocAuc(scores, negatives),
        tprAt1pctFpr: tprAtFpr(scores, negatives, 0.01).tpr,
        precision: pr.precision,
        recall: pr.recall,
      };
    }),
    benign: [...benignScores, ...otherScores].map(({ set, scores }) => ({
      set,
      flagged: scores.filter((s) => s >= scorer.threshold[set.context]).length / Math.max(1, scores.length),
      flaggedAt1pct:
        scores.filter((s) => s > pools[set.context].threshold1pct).length / Math.max(1, scores.length),
    })),
    pools,
    textsPerSecond: texts / seconds,
  };
}

const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const fixed = (x: number): string => (Number.isNaN(x) ? '  n/a' : x.toFixed(3));

/** Runs the evaluation with the options of `argv`, prints it and returns the exit code. */
export function runPromptsEvaluation(argv: readonly string[]): number {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      data: { type: 'string', default: '/work/shared/data/prompts' },
      scorer: { type: 'string', default: 'shield' },
    },
  });
  const make = SCORERS[values.scorer];
  if (make === undefined) throw new Error(`--scorer must be one of ${Object.keys(SCORERS).join(', ')}`);
  const dir = resolve(values.data);
  const read = (path: string): Uint8Array => readFileSync(join(dir, path));
  const data = buildEvaluationData(read);
  const trained = new Set(buildTrainingData(read).train.map((e) => e.text));
  const scorer = make();
  const result = evaluatePromptScorer(scorer, data);

  out(
    `prompt shields evaluation: ${scorer.name}; default thresholds user ${scorer.threshold.user}, document ${scorer.threshold.document} (node ${process.version})`,
  );
  out(`data ${dir}: ${data.files.length} files, held-out test splits only`);
  for (const context of ['user', 'document'] as const) {
    const p = result.pools[context];
    out(
      `benign pool (${context}): ${p.size} texts; 1%-FPR threshold ${fixed(p.threshold1pct)} ` +
        `(actual FPR ${(p.fpr1pct * 100).toFixed(2)}%)`,
    );
  }
  out();
  out(
    `${'attack set'.padEnd(40)} ${'context'.padEnd(8)} ${'n'.padStart(6)}    AUC  TPR@1%FPR  precision  recall  in train`,
  );
  for (const a of result.attacks) {
    const overlap = a.set.texts.filter((t) => trained.has(t)).length;
    out(
      `${a.set.name.padEnd(40)} ${a.set.context.padEnd(8)} ${String(a.set.texts.length).padStart(6)}  ${fixed(a.auc)}` +
        `      ${fixed(a.tprAt1pctFpr)}      ${fixed(a.precision)}   ${fixed(a.recall)}  ${overlap}`,
    );
  }
  out();
  out(
    `${'benign set'.padEnd(40)} ${'context'.padEnd(8)} ${'n'.padStart(6)}  flagged@default  flagged@1%-thr  in train`,
  );
  for (const b of result.benign) {
    const overlap = b.set.texts.filter((t) => trained.has(t)).length;
    out(
      `${b.set.name.padEnd(40)} ${b.set.context.padEnd(8)} ${String(b.set.texts.length).padStart(6)}  ` +
        `${(b.flagged * 100).toFixed(2).padStart(14)}%  ${(b.flaggedAt1pct * 100).toFixed(2).padStart(13)}%  ${overlap}`,
    );
  }
  out();
  out(
    'precision is against the benign pool of the context; "xstest unsafe contrasts" is harmful but not an injection,',
  );
  out('so it is shown for information and is in neither pool.');
  out(`scored ${Math.round(result.textsPerSecond)} texts/s (all sets, mixed lengths)`);
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = runPromptsEvaluation(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`eval prompts: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
