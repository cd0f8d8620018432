/**
 * The held-out test sets of the prompt shields (see prompt-splits.ts for what trains and validates):
 * attacks (deepset test, JailbreakBench goals with `index % 10` in 7–9, Giskard, CyberSecEval English
 * and multilingual, BIPIA test contexts x test attacks at every position) and the benign sets the
 * false-positive rate is measured on (XSTest safe, MT-Bench turns, self-instruct user-oriented,
 * deepset test label 0, clean BIPIA test contexts).
 */
import type { ShieldContext } from '../types.js';
import {
  INSERT_POSITIONS,
  composePoisoned,
  jailbreakBenchSplit,
  readBipiaAttacks,
  readBipiaContexts,
  readCyberSecEval,
  readDeepset,
  readGiskard,
  readJailbreakBench,
  readMtBench,
  readSelfInstruct,
  readXstest,
  recordingReader,
  type BipiaAttack,
  type DataReader,
} from './prompt-datasets.js';

/** A held-out evaluation set: all attacks or all benign, scored in one context. */
export interface EvaluationSet {
  readonly name: string;
  readonly context: ShieldContext;
  readonly texts: readonly string[];
}

/** The test split: attack sets, the benign sets the false-positive rate is measured on, and extras. */
export interface EvaluationData {
  readonly attacks: EvaluationSet[];
  readonly benign: EvaluationSet[];
  /** Reported but not in the benign pool: XSTest's harmful contrast prompts (not injections). */
  readonly other: EvaluationSet[];
  readonly files: { path: string; sha256: string }[];
}

/** Builds the held-out test sets (see the module comment). */
export function buildEvaluationData(read: DataReader): EvaluationData {
  const reader = recordingReader(read);
  const deepset = readDeepset(reader, 'test');
  const jbb = readJailbreakBench(reader).filter((r) => jailbreakBenchSplit(r.index) === 'test');
  const cse = readCyberSecEval(reader, false);
  const cseMulti = readCyberSecEval(reader, true);
  const compose = (task: 'email' | 'table' | 'code', attacks: BipiaAttack[]) =>
    readBipiaContexts(reader, task, 'test').flatMap((context) =>
      attacks.flatMap((a) => INSERT_POSITIONS.map((p) => composePoisoned(context, a.text, p).text)),
    );
  const textAttacks = readBipiaAttacks(reader, 'text', 'test');
  const codeAttacks = readBipiaAttacks(reader, 'code', 'test');
  const xstest = readXstest(reader);
  const attacks: EvaluationSet[] = [
    {
      name: 'deepset test (label 1)',
      context: 'user',
      texts: deepset.filter((r) => r.label === 1).map((r) => r.text),
    },
    ...['PAIR', 'GCG', 'JBC', 'prompt_with_random_search'].map((method) => ({
      name: `jailbreakbench ${method} (goals 7-9)`,
      context: 'user' as const,
      texts: jbb.filter((r) => r.method === method).map((r) => r.text),
    })),
    { name: 'giskard', context: 'user', texts: readGiskard(reader) },
    {
      name: 'cyberseceval en direct',
      context: 'user',
      texts: cse.filter((r) => !r.indirect).map((r) => r.text),
    },
    {
      name: 'cyberseceval multilingual direct',
      context: 'user',
      texts: cseMulti.filter((r) => !r.indirect).map((r) => r.text),
    },
    {
      name: 'cyberseceval en indirect',
      context: 'document',
      texts: cse.filter((r) => r.indirect).map((r) => r.text),
    },
    {
      name: 'cyberseceval multilingual indirect',
      context: 'document',
      texts: cseMulti.filter((r) => r.indirect).map((r) => r.text),
    },
    { name: 'bipia email test x text attacks', context: 'document', texts: compose('email', textAttacks) },
    { name: 'bipia table test x text attacks', context: 'document', texts: compose('table', textAttacks) },
    { name: 'bipia code test x code attacks', context: 'document', texts: compose('code', codeAttacks) },
  ];
  const benign: EvaluationSet[] = [
    { name: 'xstest safe', context: 'user', texts: xstest.filter((r) => r.safe).map((r) => r.text) },
    { name: 'mt-bench turns', context: 'user', texts: readMtBench(reader) },
    {
      name: 'self-instruct user-oriented',
      context: 'user',
      texts: readSelfInstruct(reader, 'user_oriented_instructions').map((r) => r.text),
    },
    {
      name: 'deepset test (label 0)',
      context: 'user',
      texts: deepset.filter((r) => r.label === 0).map((r) => r.text),
    },
    {
      name: 'bipia clean test contexts',
      context: 'document',
      texts: (['email', 'table', 'code'] as const).flatMap((task) => readBipiaContexts(reader, task, 'test')),
    },
  ];
  const other: EvaluationSet[] = [
    {
      name: 'xstest unsafe contrasts',
      context: 'user',
      texts: xstest.filter((r) => !r.safe).map((r) => r.text),
    },
  ];
  return { attacks, benign, other, files: reader.files() };
}
