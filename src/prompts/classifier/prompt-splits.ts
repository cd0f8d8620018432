/**
 * Which rows of the public prompt data train the classifier, which validate it (hyperparameters and
 * calibration) and which evaluate it. Nothing evaluated was trained or tuned on:
 *
 * - train: deepset `train.jsonl` (80% by a seeded hash of the text); JailbreakBench prompts of goals
 *   with `index % 10` in 0–5, the verbatim goal cut out; self-instruct `seed_tasks` (80% by id) as
 *   benign requests; the BIPIA `text_attack_train` strings of the five plain-task categories as
 *   benign user requests; BIPIA `{email,table,code}/train` contexts (80% by a hash of the context,
 *   so repeated tables stay on one side; contexts that also occur in the BIPIA test files are
 *   dropped), clean (negatives) and poisoned with the `*_attack_train` strings of the other
 *   categories (positives, documents); the same clean contexts preceded by the row's question (or
 *   buggy code and traceback) as benign user prompts; 500 concatenations of 2–12 short benign
 *   training requests as benign multi-request prompts. Deepset and JailbreakBench training attacks
 *   also count as attacks in documents. The texts of authored-examples.ts (benign prompts and
 *   documents, multilingual attacks, written for this project and checked against every test set):
 *   80% by a hash of the text.
 * - validation: the other 20% of deepset train, seed tasks and authored texts, JailbreakBench `index % 10 = 6` (the
 *   prompts as sent), the other 20% of the BIPIA train contexts (clean, with their request, and
 *   poisoned with the held-out train categories), and 100 concatenations of validation requests.
 * - test: everything else (see {@link buildEvaluationData}): deepset test, JailbreakBench
 *   `index % 10` in 7–9, Giskard, CyberSecEval (English and multilingual), BIPIA test contexts and
 *   test attacks; benign: XSTest safe prompts, MT-Bench turns, self-instruct user-oriented, deepset
 *   test label 0, clean BIPIA test contexts.
 */
import {
  INSERT_POSITIONS,
  composePoisoned,
  readBipiaAttacks,
  readBipiaContexts,
  readBipiaRows,
  readDeepset,
  jailbreakBenchSplit,
  readJailbreakBench,
  readSelfInstruct,
  recordingReader,
  type BipiaAttack,
  type DataReader,
} from './prompt-datasets.js';
import { AUTHORED_ATTACKS, AUTHORED_BENIGN_DOCUMENT, AUTHORED_BENIGN_USER } from './authored-examples.js';
import { seededRandom } from '../../core/seeded-random.js';
import { mixHash } from './features.js';
import type { TrainingExample } from './train.js';

/** Seed of the hash that carves validation rows out of training files. */
export const SPLIT_SEED = 0x5eed0006;
/** Share of deepset train, seed tasks and BIPIA train contexts held out for validation. */
export const VALIDATION_SHARE = 0.2;
/** BIPIA train attack categories held out for validation (unseen goals, like the test split). */
export const VALIDATION_ATTACK_CATEGORIES: readonly string[] = [
  'Anagramming',
  'Social Interaction',
  'Clickbait',
  'Memory Scanning',
  'Network Propagation',
];
/** BIPIA train text-attack categories that are ordinary requests when a user types them. */
export const PLAIN_TASK_CATEGORIES: readonly string[] = [
  'Information Retrieval',
  'Content Creation',
  'Learning and Tutoring',
  'Language Translation',
  'Programming Help',
];

/** A stable number in [0, 1) for a key: the split of a row never depends on file order. */
export function splitUnit(key: string): number {
  let h = SPLIT_SEED;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return mixHash(h) / 2 ** 32;
}

const isValidation = (key: string): boolean => splitUnit(key) < VALIDATION_SHARE;

/** Total training weight of each group (spread evenly over its texts); each context sums 2 + 2. */
export const GROUP_WEIGHTS: Readonly<Record<string, number>> = {
  'user+ deepset': 1,
  'user+ jailbreakbench': 1,
  'user- deepset': 0.7,
  'user- seed-tasks': 0.4,
  'user- bipia-plain-tasks': 0.2,
  'user- bipia-requests': 0.4,
  'user- benign-concatenations': 0.3,
  'document+ bipia-email': 0.6,
  'document+ bipia-table': 0.6,
  'document+ bipia-code': 0.6,
  'document+ user-attacks': 0.2,
  'user+ authored': 0.5,
  'document+ authored': 0.4,
  'user- authored': 0.5,
  'document- authored': 0.4,
  'document- bipia-email': 0.67,
  'document- bipia-table': 0.67,
  'document- bipia-code': 0.66,
};

/** Training and validation texts, the files they came from and the size of every group. */
export interface TrainingData {
  readonly train: TrainingExample[];
  readonly validation: TrainingExample[];
  readonly files: { path: string; sha256: string }[];
  readonly groups: Record<string, number>;
}

type Draft = Omit<TrainingExample, 'weight'> & { group: string };

/** Builds the training and validation texts (see the module comment for the exact rows). */
export function buildTrainingData(read: DataReader): TrainingData {
  const reader = recordingReader(read);
  const train: Draft[] = [];
  const validation: TrainingExample[] = [];
  const add = (valid: boolean, draft: Draft): void => {
    if (valid)
      validation.push({
        text: draft.text,
        context: draft.context,
        label: draft.label,
        source: draft.source,
        ...(draft.span ? { span: draft.span } : {}),
      });
    else train.push(draft);
  };
  for (const row of readDeepset(reader, 'train')) {
    const group = row.label === 1 ? 'user+ deepset' : 'user- deepset';
    add(isValidation(`deepset:${row.text}`), {
      text: row.text,
      context: 'user',
      label: row.label,
      source: 'deepset',
      group,
    });
  }
  for (const row of readJailbreakBench(reader)) {
    const split = jailbreakBenchSplit(row.index);
    if (split === 'test') continue;
    // Training drops the verbatim goal (GCG, JBC) so the model learns the jailbreak, not the harmful
    // topic; validation keeps the prompt as sent, like the test.
    const text = split === 'validation' ? row.text : row.text.split(row.goal).join(' ').trim();
    if (text === '') continue;
    add(split === 'validation', {
      text,
      context: 'user',
      label: 1,
      source: `jailbreakbench ${row.method}`,
      group: 'user+ jailbreakbench',
    });
  }
  for (const row of readSelfInstruct(reader, 'seed_tasks')) {
    add(isValidation(`seed:${row.id}`), {
      text: row.text,
      context: 'user',
      label: 0,
      source: 'self-instruct seed',
      group: 'user- seed-tasks',
    });
  }
  // A jailbreak or an injection pasted into a document is still an attack in that document.
  for (const draft of [...train]) {
    if (draft.label === 1) train.push({ ...draft, context: 'document', group: 'document+ user-attacks' });
  }
  const textAttacks = readBipiaAttacks(reader, 'text', 'train');
  const codeAttacks = readBipiaAttacks(reader, 'code', 'train');
  for (const attack of textAttacks) {
    if (PLAIN_TASK_CATEGORIES.includes(attack.category))
      train.push({
        text: attack.text,
        context: 'user',
        label: 0,
        source: 'bipia attack as request',
        group: 'user- bipia-plain-tasks',
      });
  }
  const rng = seededRandom(SPLIT_SEED);
  const poisonable = (attacks: BipiaAttack[], held: boolean) =>
    attacks.filter(
      (a) =>
        VALIDATION_ATTACK_CATEGORIES.includes(a.category) === held &&
        !PLAIN_TASK_CATEGORIES.includes(a.category),
    );
  for (const task of ['email', 'table', 'code'] as const) {
    const attacks = task === 'code' ? codeAttacks : textAttacks;
    // Some contexts occur in both BIPIA files (13 emails): the test keeps them, training drops them.
    const tested = new Set(readBipiaContexts(reader, task, 'test'));
    readBipiaRows(reader, task, 'train').forEach(({ context, request }) => {
      if (tested.has(context)) return;
      const held = isValidation(`bipia:${task}:${context}`);
      add(held, {
        text: context,
        context: 'document',
        label: 0,
        source: `bipia ${task} clean`,
        group: `document- bipia-${task}`,
      });
      // The same document pasted by a user with their request is a long, benign user prompt.
      add(held, {
        text: `${request}\n\n${context}`,
        context: 'user',
        label: 0,
        source: `bipia ${task} request`,
        group: 'user- bipia-requests',
      });
      // Tables are many (900) and alike: a few sampled attacks each; emails and code get every attack.
      // Training puts each attack at one random position; validation emails and code at all three.
      const pool = poisonable(attacks, held);
      const sampled = task === 'table' ? (held ? 2 : 4) : 0;
      const chosen =
        sampled > 0
          ? Array.from({ length: sampled }, () => pool[Math.floor(rng() * pool.length)] as BipiaAttack)
          : pool;
      for (const attack of chosen) {
        const all = held && task !== 'table';
        const positions = all ? INSERT_POSITIONS : [INSERT_POSITIONS[Math.floor(rng() * 3)] ?? 'end'];
        for (const position of positions) {
          const doc = composePoisoned(context, attack.text, position);
          add(held, {
            text: doc.text,
            span: doc.span,
            context: 'document',
            label: 1,
            source: `bipia ${task} poisoned`,
            group: `document+ bipia-${task}`,
          });
        }
      }
    });
  }
  // Authored texts (authored-examples.ts: written for this project, checked against every test set).
  const authored = [
    ...AUTHORED_BENIGN_USER.map((t) => ({ ...t, context: 'user' as const, label: 0 as const })),
    ...AUTHORED_BENIGN_DOCUMENT.map((t) => ({ ...t, context: 'document' as const, label: 0 as const })),
    ...AUTHORED_ATTACKS.map((t) => ({ ...t, label: 1 as const })),
  ];
  for (const t of authored) {
    add(isValidation(`authored:${t.text}`), {
      text: t.text,
      context: t.context,
      label: t.label,
      source: `authored ${t.label === 1 ? 'attack' : 'benign'}`,
      group: `${t.context}${t.label === 1 ? '+' : '-'} authored`,
    });
  }
  const isShortBenign = (d: TrainingExample): boolean =>
    d.context === 'user' && d.label === 0 && !/^bipia (email|table|code) request$/.test(d.source);
  train.push(...benignConcatenations(train.filter(isShortBenign), CONCATENATIONS, rng));
  // Validation gets its own, from validation texts only, so it measures the same failure.
  const heldConcatenations = benignConcatenations(validation.filter(isShortBenign), CONCATENATIONS / 5, rng);
  validation.push(...heldConcatenations.map(({ group: _, ...example }) => example));
  const groups: Record<string, number> = {};
  for (const d of train) groups[d.group] = (groups[d.group] ?? 0) + 1;
  const weighted = train.map(({ group, ...example }) => ({
    ...example,
    weight: (GROUP_WEIGHTS[group] ?? 0) / (groups[group] ?? 1),
  }));
  return { train: weighted, validation, files: reader.files(), groups };
}

/** How many synthetic multi-request prompts training gets (validation gets a fifth as many). */
export const CONCATENATIONS = 500;

/**
 * Benign prompts that ask for several unrelated things (2–12 short benign requests joined): without
 * them the model learns from deepset that a change of topic is itself an injection.
 */
function benignConcatenations(pool: readonly TrainingExample[], count: number, rng: () => number): Draft[] {
  return Array.from({ length: count }, () => {
    const parts = Array.from(
      { length: 2 + Math.floor(rng() * 11) },
      () => pool[Math.floor(rng() * pool.length)]?.text ?? '',
    );
    return {
      text: parts.join(rng() < 0.5 ? ' ' : '\n'),
      context: 'user' as const,
      label: 0 as const,
      source: 'benign concatenation',
      group: 'user- benign-concatenations',
    };
  });
}

// The test sets live in evaluation-data.ts; re-exported here, where the splits are documented.
export { buildEvaluationData, type EvaluationData, type EvaluationSet } from './evaluation-data.js';
export { jailbreakBenchSplit } from './prompt-datasets.js';
