/**
 * Readers of the public prompt data in /work/shared/data/prompts (see its README), free of I/O: the
 * caller passes a function that returns a file's bytes, and every file read is recorded with its
 * SHA-256 so the weights header can name exactly what the classifier was trained on. Also composes
 * BIPIA poisoned documents the way BIPIA does: one attack string at the start, in the middle (at a
 * line or sentence boundary) or at the end of a clean context, joined by newlines.
 */
import { parse } from 'csv-parse/sync';
import { BulwarkError } from '../../core/errors.js';
import { sha256Hex } from '../../core/digest.js';

/** Returns the bytes of a file given its path relative to the data folder. */
export type DataReader = (path: string) => Uint8Array;

/** A reader that remembers the digest of every file it served. */
export interface RecordingReader {
  readonly json: (path: string) => unknown;
  readonly jsonl: (path: string) => unknown[];
  readonly csv: (path: string) => Record<string, string>[];
  /** Files read so far, sorted by path, with their SHA-256. */
  readonly files: () => { path: string; sha256: string }[];
}

/** Wraps a {@link DataReader} with parsers and a record of the files it read. */
export function recordingReader(read: DataReader): RecordingReader {
  const seen = new Map<string, string>();
  const text = (path: string): string => {
    const bytes = read(path);
    seen.set(path, sha256Hex(bytes));
    return new TextDecoder().decode(bytes);
  };
  const parseJson = (path: string, source: string): unknown => {
    try {
      return JSON.parse(source) as unknown;
    } catch (error) {
      throw new BulwarkError('INPUT_INVALID', `${path}: not JSON`, { cause: error });
    }
  };
  return {
    json: (path) => parseJson(path, text(path)),
    jsonl: (path) =>
      text(path)
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => parseJson(path, line)),
    csv: (path) => parse<Record<string, string>>(text(path), { columns: true, skip_empty_lines: true }),
    files: () =>
      [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, sha256]) => ({ path, sha256 })),
  };
}

function field(row: unknown, name: string): unknown {
  return typeof row === 'object' && row !== null ? (row as Record<string, unknown>)[name] : undefined;
}

function text(row: unknown, name: string, path: string): string {
  const value = field(row, name);
  if (Array.isArray(value)) return value.map(String).join('\n');
  if (typeof value !== 'string')
    throw new BulwarkError('INPUT_INVALID', `${path}: field ${name} is not text`);
  return value;
}

/** deepset/prompt-injections rows (label 1 = injection). */
export function readDeepset(
  reader: RecordingReader,
  split: 'train' | 'test',
): { text: string; label: 0 | 1 }[] {
  const path = `deepset-prompt-injections/${split}.jsonl`;
  return reader
    .jsonl(path)
    .map((row) => ({ text: text(row, 'text', path), label: field(row, 'label') === 1 ? 1 : 0 }));
}

/** The JailbreakBench artifact files read (four methods, see the data README). */
export const JAILBREAKBENCH_FILES = [
  'GCG/transfer/gpt-3.5-turbo-1106.json',
  'GCG/transfer/gpt-4-0125-preview.json',
  'GCG/white_box/llama-2-7b-chat-hf.json',
  'GCG/white_box/vicuna-13b-v1.5.json',
  'JBC/manual/gpt-3.5-turbo-1106.json',
  'JBC/manual/gpt-4-0125-preview.json',
  'JBC/manual/vicuna-13b-v1.5.json',
  'PAIR/black_box/gpt-3.5-turbo-1106.json',
  'PAIR/black_box/gpt-4-0125-preview.json',
  'PAIR/black_box/vicuna-13b-v1.5.json',
  'prompt_with_random_search/black_box/gpt-3.5-turbo-1106.json',
  'prompt_with_random_search/black_box/gpt-4-0125-preview.json',
  'prompt_with_random_search/black_box/vicuna-13b-v1.5.json',
] as const;

/** A JailbreakBench prompt, its goal (the plain harmful request), the goal's index and the method. */
export interface JailbreakPrompt {
  readonly text: string;
  readonly goal: string;
  readonly index: number;
  readonly method: string;
}

/** JailbreakBench goal index modulo 10: 0–5 train, 6 validation, 7–9 test. */
export function jailbreakBenchSplit(index: number): 'train' | 'validation' | 'test' {
  const r = index % 10;
  return r <= 5 ? 'train' : r === 6 ? 'validation' : 'test';
}

/** Distinct non-null JailbreakBench prompts (first file wins). */
export function readJailbreakBench(reader: RecordingReader): JailbreakPrompt[] {
  const seen = new Set<string>();
  const out: JailbreakPrompt[] = [];
  for (const file of JAILBREAKBENCH_FILES) {
    const path = `jailbreakbench/attack-artifacts/${file}`;
    const rows = field(reader.json(path), 'jailbreaks');
    if (!Array.isArray(rows)) throw new BulwarkError('INPUT_INVALID', `${path}: no jailbreaks list`);
    for (const row of rows) {
      const prompt = field(row, 'prompt');
      const index = field(row, 'index');
      const goal = field(row, 'goal');
      if (
        typeof prompt !== 'string' ||
        typeof index !== 'number' ||
        typeof goal !== 'string' ||
        seen.has(prompt)
      )
        continue;
      seen.add(prompt);
      out.push({ text: prompt, goal, index, method: file.split('/')[0] ?? file });
    }
  }
  return out;
}

/** self-instruct tasks as a user would send them: the instruction, then the instance input if any. */
export function readSelfInstruct(
  reader: RecordingReader,
  file: 'seed_tasks' | 'user_oriented_instructions',
): { id: string; text: string }[] {
  const path = `self-instruct/${file}.jsonl`;
  return reader.jsonl(path).map((row) => {
    const instances = field(row, 'instances');
    const input = Array.isArray(instances) ? field(instances[0], 'input') : undefined;
    const instruction = text(row, 'instruction', path);
    return {
      id: text(row, 'id', path),
      text: typeof input === 'string' && input.trim() !== '' ? `${instruction}\n${input}` : instruction,
    };
  });
}

/** A BIPIA attack string and its category. */
export interface BipiaAttack {
  readonly category: string;
  readonly text: string;
}

/** BIPIA attack strings (`text` or `code`, `train` or `test`), in file order. */
export function readBipiaAttacks(
  reader: RecordingReader,
  kind: 'text' | 'code',
  split: 'train' | 'test',
): BipiaAttack[] {
  const path = `bipia/${kind}_attack_${split}.json`;
  const data = reader.json(path);
  if (typeof data !== 'object' || data === null)
    throw new BulwarkError('INPUT_INVALID', `${path}: not an object`);
  return Object.entries(data as Record<string, unknown>).flatMap(([category, list]) =>
    Array.isArray(list) ? list.map((t) => ({ category, text: String(t) })) : [],
  );
}

/** BIPIA clean contexts of one task (`email`, `table`, `code`) and split. */
export function readBipiaContexts(
  reader: RecordingReader,
  task: 'email' | 'table' | 'code',
  split: 'train' | 'test',
): string[] {
  return readBipiaRows(reader, task, split).map((row) => row.context);
}

/**
 * BIPIA rows as a context and the user's request about it: the question (email, table), or the
 * buggy code and its traceback (code).
 */
export function readBipiaRows(
  reader: RecordingReader,
  task: 'email' | 'table' | 'code',
  split: 'train' | 'test',
): { context: string; request: string }[] {
  const path = `bipia/${task}/${split}.jsonl`;
  return reader.jsonl(path).map((row) => ({
    context: text(row, 'context', path),
    request:
      task === 'code'
        ? `${text(row, 'code', path)}\n${text(row, 'error', path)}`
        : text(row, 'question', path),
  }));
}

/** Where BIPIA puts the attack string in the context. */
export const INSERT_POSITIONS = ['start', 'middle', 'end'] as const;

/** One of {@link INSERT_POSITIONS}. */
export type InsertPosition = (typeof INSERT_POSITIONS)[number];

/** A poisoned document and the span of the attack string in it. */
export interface ComposedDocument {
  readonly text: string;
  readonly span: readonly [number, number];
}

/**
 * Inserts `attack` into `context` like BIPIA: `attack\ncontext`, `context\nattack`, or in the middle
 * at the middle line break (or, for one-line contexts, the middle sentence end), padded by newlines.
 */
export function composePoisoned(context: string, attack: string, position: InsertPosition): ComposedDocument {
  if (position === 'start') return { text: `${attack}\n${context}`, span: [0, attack.length] };
  const cut = position === 'middle' ? middleCut(context) : undefined;
  if (cut === undefined)
    return { text: `${context}\n${attack}`, span: [context.length + 1, context.length + 1 + attack.length] };
  const head = context.slice(0, cut.end);
  return {
    text: `${head}\n${attack}\n${context.slice(cut.resume)}`,
    span: [head.length + 1, head.length + 1 + attack.length],
  };
}

function middleCut(context: string): { end: number; resume: number } | undefined {
  const boundaries: { end: number; resume: number }[] = [];
  const pattern = context.includes('\n') ? /\n/g : /[.!?](\s+)/g;
  for (const match of context.matchAll(pattern)) {
    const end = match.index + (match[0] === '\n' ? 0 : 1);
    boundaries.push({ end, resume: match.index + match[0].length });
  }
  return boundaries[Math.floor(boundaries.length / 2)];
}

/** XSTest prompts with their label (`safe`: benign look-alikes; `unsafe`: harmful contrasts). */
export function readXstest(reader: RecordingReader): { text: string; safe: boolean }[] {
  return reader
    .csv('xstest/xstest_prompts.csv')
    .map((row) => ({ text: row.prompt ?? '', safe: row.label === 'safe' }));
}

/** Every turn of the MT-Bench questions, as separate prompts. */
export function readMtBench(reader: RecordingReader): string[] {
  return reader.jsonl('mt-bench/question.jsonl').flatMap((row) => {
    const turns = field(row, 'turns');
    return Array.isArray(turns) ? turns.map(String) : [];
  });
}

/** Giskard prompt injections (all attacks). */
export function readGiskard(reader: RecordingReader): string[] {
  return reader.csv('giskard-prompt-injections/prompt_injections.csv').map((row) => row.prompt ?? '');
}

/** CyberSecEval prompt-injection tests: the untrusted `user_input` and whether it is indirect. */
export function readCyberSecEval(
  reader: RecordingReader,
  multilingual: boolean,
): { text: string; indirect: boolean }[] {
  const path = `cyberseceval-prompt-injection/${multilingual ? 'prompt_injection_multilingual_machine_translated' : 'prompt_injection'}.json`;
  const rows = reader.json(path);
  if (!Array.isArray(rows)) throw new BulwarkError('INPUT_INVALID', `${path}: not an array`);
  return rows.map((row) => ({
    text: text(row, 'user_input', path),
    indirect: field(row, 'injection_type') === 'indirect',
  }));
}
