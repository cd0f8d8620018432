/**
 * `npm run bench -- lookalike [--names N] [--queries Q]`: look-alike search (control R5) over N
 * existing model names (default 100,000, seeded synthetic `org/Family-1.5-7B-Instruct` ids), next to
 * the same-run baseline of plain exact matching: building a `Set` of the same names and `Set.has`.
 * Prints names per second for the index build, the per-push search over a kept index, and the
 * one-pass `findLookalikes` that a registry without a kept index pays on every push.
 */
import { parseArgs } from 'node:util';
import { findLookalikes, LookalikeIndex } from '../src/registry/lookalike.js';
import { seededRandom } from '../test/fixtures/deps/text-at.js';

const FAMILIES = ['Llama', 'Mistral', 'Qwen', 'gemma', 'phi', 'falcon', 'bert', 'roberta', 'whisper', 'bge'];
const SIZES = ['0.5B', '1B', '1.5B', '3B', '7B', '8B', '13B', '14B', '32B', '70B', 'small', 'base', 'large'];
const SUFFIXES = ['', '-Instruct', '-chat', '-it', '-GGUF', '-AWQ', '-hf', '-v0.1', '-v2', '-Coder-Instruct'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Seeded, unique synthetic model ids shaped like Hugging Face ids. */
export function syntheticNames(count: number, seed = 7): string[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const word = (min: number, max: number): string =>
    Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => pick([...LETTERS])).join('');
  const orgs = Array.from({ length: Math.max(1, Math.ceil(count / 200)) }, () => word(4, 12));
  const names = new Set<string>();
  while (names.size < count) {
    const version = random() < 0.5 ? `-${1 + Math.floor(random() * 4)}.${Math.floor(random() * 10)}` : '';
    const base = random() < 0.3 ? word(4, 10) : pick(FAMILIES);
    names.add(`${pick(orgs)}/${base}${version}-${pick(SIZES)}${pick(SUFFIXES)}`);
  }
  return [...names];
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Runs the benchmark with `--names` and `--queries` and prints its figures next to the baseline. */
export function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { names: { type: 'string', default: '100000' }, queries: { type: 'string', default: '200' } },
  });
  const count = Number(values.names);
  const half = Math.max(1, Math.floor(Number(values.queries) / 2));
  const names = syntheticNames(count);
  const random = seededRandom(11);
  // Pushes: half new names, half one-letter edits of existing ones (the look-alikes searched for).
  const queries = [
    ...syntheticNames(half, 99),
    ...Array.from({ length: half }, () => {
      const name = names[Math.floor(random() * names.length)] ?? '';
      const at = name.indexOf('/') + 2;
      return `${name.slice(0, at)}x${name.slice(at + 1)}`;
    }),
  ];
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const rate = (n: number, s: number): string =>
    `${Math.round(n / s)
      .toLocaleString('en-US')
      .padStart(14)} /s`;

  let start = process.hrtime.bigint();
  const set = new Set(names);
  const setBuild = seconds(start);
  start = process.hrtime.bigint();
  let hits = 0;
  for (let round = 0; round < 10; round++) for (const name of names) if (set.has(name)) hits++;
  const setLookups = seconds(start);

  // The one-pass search first, while the heap holds no index; median of three runs.
  const oneShotRuns = [0, 1, 2].map((i) => {
    const begin = process.hrtime.bigint();
    findLookalikes(queries[queries.length - 1 - i] ?? 'x', names);
    return seconds(begin);
  });
  const oneShotSeconds = oneShotRuns.sort((a, b) => a - b)[1] ?? 0;

  start = process.hrtime.bigint();
  const index = new LookalikeIndex(names);
  const indexBuild = seconds(start);
  start = process.hrtime.bigint();
  let flagged = 0;
  for (const q of queries) if (index.find(q).length > 0) flagged++;
  const search = seconds(start);

  out(`look-alike search over ${count.toLocaleString('en-US')} names (node ${process.version})`);
  out(`baseline: new Set(names)                        ${rate(count, setBuild)} names`);
  out(`baseline: Set.has exact lookups                 ${rate(hits, setLookups)} lookups`);
  out(`LookalikeIndex build (skeletons, keys, buckets) ${rate(count, indexBuild)} names`);
  out(
    `LookalikeIndex.find, ${queries.length} pushes (${flagged} flagged)  ${rate(count * queries.length, search)} names screened, ` +
      `${((search / queries.length) * 1000).toFixed(2)} ms per push`,
  );
  out(
    `findLookalikes, one pass keeping nothing        ${rate(count, oneShotSeconds)} names, ` +
      `${(oneShotSeconds * 1000).toFixed(0)} ms per push`,
  );
  out(`index build at ${((setBuild / indexBuild) * 100).toFixed(1)}% of the Set build rate`);
  return Promise.resolve();
}
