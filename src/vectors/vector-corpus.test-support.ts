/**
 * Seeded embedding corpora for the vector checks' tests, evaluation and benchmark: Gaussian mixtures
 * shaped like sentence embeddings (a shared direction, topics of different sizes and spreads,
 * optionally unit-normalised) with planted duplicates, near duplicates, rescaled vectors, isolated
 * vectors, a small cluster apart from the rest and a tight "embedding collision" cluster, each at
 * known rows. Also the .npy and JSONL encoders used to write them.
 */
import { normalFrom, seededRandom } from './seeded-random.js';

/** The kinds of planted anomaly, each the target of one check. */
export const PLANT_KINDS = ['exact', 'near', 'scaled', 'isolated', 'far-cluster', 'tight-cluster'] as const;

/** One of {@link PLANT_KINDS}. */
export type PlantKind = (typeof PLANT_KINDS)[number];

/** How many of each anomaly to plant (clusters: how many members). */
export type PlantCounts = Partial<Record<PlantKind, number>>;

/** What to generate. */
export interface CorpusSpec {
  readonly count: number;
  readonly dims: number;
  readonly seed: number;
  /** Unit-normalised vectors (most embedding APIs) or raw ones whose norms vary by about 8%. */
  readonly normalized: boolean;
  /** Topics of the mixture (default 24). */
  readonly topics?: number;
  readonly plants?: PlantCounts;
  /**
   * Pairs nearly but not quite duplicated (cosine about 0.999, under the 0.9999 threshold), which
   * the near-duplicate check must leave alone (default 0).
   */
  readonly paraphrases?: number;
}

/** A generated corpus: row-major float32 values and the rows of each planted anomaly. */
export interface Corpus {
  readonly count: number;
  readonly dims: number;
  readonly values: Float32Array;
  /** Rows a check should flag, by kind; duplicates list both the original and the copy. */
  readonly planted: Readonly<Record<PlantKind, ReadonlySet<number>>>;
}

/** Generates a corpus as {@link CorpusSpec} says; the same spec always gives the same bytes. */
export function generateCorpus(spec: CorpusSpec): Corpus {
  const { count, dims } = spec;
  const random = seededRandom(spec.seed * 7919 + 17);
  const normal = (): number => normalFrom(random);
  const unitVector = (): Float64Array => normalize(Float64Array.from({ length: dims }, normal));
  const shared = unitVector();
  const topics = Array.from({ length: spec.topics ?? 24 }, () => ({
    centre: unitVector(),
    spread: 0.45 + 0.25 * random(),
    weight: 0.5 + random(),
  }));
  const totalWeight = topics.reduce((sum, t) => sum + t.weight, 0);
  const values = new Float32Array(count * dims);
  const baseNorm = spec.normalized ? 1 : 4;
  const write = (row: number, vector: Float64Array, norm: number): void => {
    const scale = norm / length(vector);
    for (let i = 0; i < dims; i++) values[row * dims + i] = (vector[i] ?? 0) * scale;
  };
  const rowNorm = (): number => (spec.normalized ? 1 : baseNorm * (1 + 0.08 * normal()));
  const noisy = (centre: Float64Array, spread: number, offset = 0.5): Float64Array => {
    const out = new Float64Array(dims);
    const noise = spread / Math.sqrt(dims);
    for (let i = 0; i < dims; i++) out[i] = offset * (shared[i] ?? 0) + (centre[i] ?? 0) + noise * normal();
    return out;
  };
  for (let row = 0; row < count; row++) {
    let pick = random() * totalWeight;
    const topic = topics.find((t) => (pick -= t.weight) < 0) ?? topics[0];
    if (topic !== undefined) write(row, noisy(topic.centre, topic.spread), rowNorm());
  }
  const planted = Object.fromEntries(PLANT_KINDS.map((k) => [k, new Set<number>()])) as Record<
    PlantKind,
    Set<number>
  >;
  const free = shuffledRows(count, random);
  const take = (): number => {
    const row = free.pop();
    if (row === undefined) throw new Error('the corpus is too small for its plants');
    return row;
  };
  const rowOf = (row: number): Float64Array =>
    Float64Array.from(values.subarray(row * dims, (row + 1) * dims));
  const plants = spec.plants ?? {};
  for (let i = 0; i < (plants.exact ?? 0); i++) {
    const [original, copy] = [take(), take()];
    values.copyWithin(copy * dims, original * dims, (original + 1) * dims);
    planted.exact.add(original).add(copy);
  }
  const nudged = (kind: 'near' | 'paraphrase', n: number): void => {
    for (let i = 0; i < n; i++) {
      const [original, copy] = [take(), take()];
      const base = rowOf(original);
      const cos = kind === 'near' ? 0.99991 + 0.00008 * random() : 0.998 + 0.001 * random();
      write(copy, perturb(base, Math.sqrt(2 * (1 - cos)), normal), length(base));
      if (kind === 'near') planted.near.add(original).add(copy);
    }
  };
  nudged('near', plants.near ?? 0);
  nudged('paraphrase', spec.paraphrases ?? 0);
  const scales = spec.normalized ? [0.9, 1.05, 1.2, 0.5] : [0.2, 0.35, 2.5, 4];
  for (let i = 0; i < (plants.scaled ?? 0); i++) {
    const row = take();
    const base = rowOf(row);
    write(row, base, length(base) * (scales[i % scales.length] ?? 2));
    planted.scaled.add(row);
  }
  for (let i = 0; i < (plants.isolated ?? 0); i++) {
    const row = take();
    write(row, unitVector(), rowNorm());
    planted.isolated.add(row);
  }
  const farCentre = unitVector();
  for (let i = 0; i < (plants['far-cluster'] ?? 0); i++) {
    const row = take();
    write(row, noisy(farCentre, 0.3, 0), rowNorm());
    planted['far-cluster'].add(row);
  }
  const target = topics[0]?.centre ?? farCentre;
  const collision = noisy(target, 0.5);
  for (let i = 0; i < (plants['tight-cluster'] ?? 0); i++) {
    const row = take();
    write(row, perturb(collision, 0.05, normal), rowNorm());
    planted['tight-cluster'].add(row);
  }
  return { count, dims, values, planted };
}

function shuffledRows(count: number, random: () => number): number[] {
  const rows = Array.from({ length: count }, (_, i) => i);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rows[i], rows[j]] = [rows[j] ?? 0, rows[i] ?? 0];
  }
  return rows;
}

/** Moves `vector` by `relative` of its length in a random direction orthogonal to it. */
function perturb(vector: Float64Array, relative: number, normal: () => number): Float64Array {
  const noise = Float64Array.from({ length: vector.length }, normal);
  const norm = length(vector);
  let dot = 0;
  for (let i = 0; i < vector.length; i++) dot += (noise[i] ?? 0) * (vector[i] ?? 0);
  for (let i = 0; i < vector.length; i++)
    noise[i] = (noise[i] ?? 0) - (dot / (norm * norm)) * (vector[i] ?? 0);
  const scale = (relative * norm) / length(noise);
  return vector.map((v, i) => v + (noise[i] ?? 0) * scale);
}

function length(vector: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += (vector[i] ?? 0) ** 2;
  return Math.sqrt(sum);
}

function normalize(vector: Float64Array): Float64Array {
  const norm = length(vector);
  return vector.map((v) => v / norm);
}

/** How {@link encodeNpy} writes the array. */
export interface NpyEncoding {
  readonly descr?: '<f4' | '>f4' | '<f8' | '>f8' | '<f2' | '|i1' | '|u1';
  readonly version?: 1 | 2 | 3;
  readonly fortranOrder?: boolean;
  /** Write a 1-D array (one vector) instead of a 2-D one. */
  readonly oneDimensional?: boolean;
}

/** Encodes `count` vectors of `dims` values as a .npy file, as numpy.save writes it. */
export function encodeNpy(
  values: ArrayLike<number>,
  count: number,
  dims: number,
  encoding: NpyEncoding = {},
): Uint8Array {
  const descr = encoding.descr ?? '<f4';
  const version = encoding.version ?? 1;
  const shape = encoding.oneDimensional ? `(${dims},)` : `(${count}, ${dims})`;
  const dict = `{'descr': '${descr}', 'fortran_order': ${encoding.fortranOrder ? 'True' : 'False'}, 'shape': ${shape}, }`;
  const lengthWidth = version === 1 ? 2 : 4;
  const pad = (64 - ((8 + lengthWidth + dict.length + 1) % 64)) % 64;
  const header = new TextEncoder().encode(dict + ' '.repeat(pad) + '\n');
  const itemSize = Number(descr.slice(2));
  const out = new Uint8Array(8 + lengthWidth + header.length + count * dims * itemSize);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (lengthWidth === 2) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, 8 + lengthWidth);
  const data = 8 + lengthWidth + header.length;
  const little = descr[0] !== '>';
  for (let row = 0; row < count; row++)
    for (let j = 0; j < dims; j++) {
      const v = values[row * dims + j] ?? 0;
      const slot = encoding.fortranOrder ? j * count + row : row * dims + j;
      const at = data + slot * itemSize;
      if (descr.endsWith('f4')) view.setFloat32(at, v, little);
      else if (descr.endsWith('f8')) view.setFloat64(at, v, little);
      else if (descr.endsWith('f2')) view.setUint16(at, floatToHalf(v), little);
      else if (descr.endsWith('i1')) view.setInt8(at, Math.round(v));
      else view.setUint8(at, Math.round(v));
    }
  return out;
}

/** float32-rounded value to IEEE binary16 bits (round to nearest; enough for fixtures). */
function floatToHalf(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const abs = Math.abs(value);
  if (abs >= 65520) return sign | 0x7c00;
  if (abs < 2 ** -24) return sign;
  if (abs < 2 ** -14) return sign | Math.round(abs / 2 ** -24);
  const exponent = Math.floor(Math.log2(abs));
  const fraction = Math.round((abs / 2 ** exponent - 1) * 1024);
  return fraction === 1024 ? sign | ((exponent + 16) << 10) : sign | ((exponent + 15) << 10) | fraction;
}

/** Encodes vectors as JSON Lines records `{"id": "doc-<row>", "vector": [...]}`. */
export function encodeJsonl(values: ArrayLike<number>, count: number, dims: number, key = 'vector'): string {
  const lines: string[] = [];
  for (let row = 0; row < count; row++) {
    const vector = Array.from({ length: dims }, (_, j) => values[row * dims + j] ?? 0);
    lines.push(JSON.stringify({ id: `doc-${row}`, [key]: vector }));
  }
  return lines.join('\n') + '\n';
}
