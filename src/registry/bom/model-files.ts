import { readFully } from '../../core/scan/byte-sources.js';
import { identifySource, type KnownFileIdentity } from '../../core/scan/sniff.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { ManifestResource } from '../oms/manifest.js';
import type { ModelTree } from '../oms/model-tree.js';
import {
  parseGenerationConfig,
  parseHfConfig,
  parseReadmeFrontMatter,
  type FactProperty,
  type FactsResult,
  type HfConfigFacts,
  type ReadmeFacts,
} from './hf-files.js';
import { summarizeGguf, summarizeSafetensors, type WeightsSummary } from './weights-summary.js';

/** Largest text file (config, README) read for facts; larger ones are skipped with a warning. */
export const MAX_CARD_FILE_BYTES = 4 * 1024 * 1024;

/** One file of a model as the BOM lists it: manifest path and digest plus its sniffed identity. */
export interface ModelFile {
  readonly path: string;
  readonly size: number;
  /** Lowercase hex SHA-256, as in the OMS manifest. */
  readonly sha256: string;
  readonly identity: KnownFileIdentity;
  /** True for weights (safetensors, GGUF, pickle, NumPy, HDF5, ONNX, PyTorch/Keras archives). */
  readonly isWeights: boolean;
}

/** What a model's own files say, for the model card; every field is absent when no file says it. */
export interface ModelFacts {
  readonly config?: HfConfigFacts;
  readonly readme?: ReadmeFacts;
  readonly generation: readonly FactProperty[];
  /** Summed over the weights of one copy of the model; absent when any of them could not be read. */
  readonly weights?: {
    readonly format: 'safetensors' | 'gguf';
    readonly parameterCount: bigint;
    readonly dtypes: readonly string[];
    readonly gguf: Readonly<Record<string, string>>;
  };
  /** Files that could not be used, one line each. */
  readonly warnings: readonly string[];
}

const WEIGHT_KINDS = new Set(['safetensors', 'gguf', 'pickle', 'numpy', 'hdf5', 'onnx']);
const WEIGHT_ARCHIVES = new Set(['pytorch', 'keras', 'npz']);

/**
 * Lists the files of a serialized model with their sizes and sniffed identities (content, never the
 * extension), in manifest order. Single-file models list the file under the tree's name.
 */
export async function describeModelFiles(
  tree: ModelTree,
  resources: readonly ManifestResource[],
): Promise<ModelFile[]> {
  const files: ModelFile[] = [];
  for (const resource of resources) {
    if (resource.range !== undefined) continue;
    const { size, identity } = await withSource(tree, resource.path, async (source) => ({
      size: source.size,
      identity: await identifySource(source),
    }));
    files.push({
      path: resource.path === '.' ? tree.name : resource.path,
      size,
      sha256: resource.digest,
      identity,
      isWeights:
        WEIGHT_KINDS.has(identity.kind) ||
        (identity.kind === 'zip' && WEIGHT_ARCHIVES.has(identity.detail ?? '')),
    });
  }
  return files;
}

/**
 * Reads what the model's own files say: `config.json`, `README.md` front matter and
 * `generation_config.json` at the model root, and the headers of safetensors and GGUF weights.
 * Unusable files become warnings; nothing is guessed.
 */
export async function readModelFacts(tree: ModelTree, files: readonly ModelFile[]): Promise<ModelFacts> {
  const warnings: string[] = [];
  const byPath = new Map(files.map((file) => [file.path, file]));
  const readText = async <T>(
    path: string,
    parse: (text: string) => FactsResult<T>,
  ): Promise<T | undefined> => {
    const file = tree.isSingleFile ? undefined : byPath.get(path);
    if (file === undefined) return undefined;
    if (file.size > MAX_CARD_FILE_BYTES) {
      warnings.push(`${path} is larger than ${MAX_CARD_FILE_BYTES} bytes and was not read`);
      return undefined;
    }
    const bytes = await withSource(tree, path, (source) => readFully(source, 0, file.size));
    const result = parse(new TextDecoder('utf-8').decode(bytes));
    if (!result.ok) warnings.push(result.problem);
    return result.ok ? result.facts : undefined;
  };
  const config = await readText('config.json', parseHfConfig);
  const readme = await readText('README.md', parseReadmeFrontMatter);
  const generation = (await readText('generation_config.json', parseGenerationConfig)) ?? [];
  const shardIndex = await readText('model.safetensors.index.json', parseShardIndex);
  const weights = await summarizeWeights(tree, files, warnings, shardIndex);
  return {
    ...(config === undefined ? {} : { config }),
    ...(readme === undefined ? {} : { readme }),
    generation,
    ...(weights === undefined ? {} : { weights }),
    warnings,
  };
}

async function summarizeWeights(
  tree: ModelTree,
  files: readonly ModelFile[],
  warnings: string[],
  shardIndex: readonly string[] | undefined,
): Promise<ModelFacts['weights']> {
  // Repositories often ship one model several times (consolidated and sharded safetensors, GGUF
  // quantizations): count the shards the index names, else every safetensors file, else a lone GGUF.
  const safetensors = files.filter(
    (f) => f.identity.kind === 'safetensors' && (shardIndex === undefined || shardIndex.includes(f.path)),
  );
  const gguf = files.filter((f) => f.identity.kind === 'gguf');
  const counted = safetensors.length > 0 ? safetensors : gguf.length === 1 ? gguf : [];
  if (counted.length === 0) return undefined;
  const summaries: WeightsSummary[] = [];
  for (const file of counted) {
    const result = await withSource(tree, tree.isSingleFile ? '.' : file.path, (source) =>
      file.identity.kind === 'safetensors' ? summarizeSafetensors(source) : summarizeGguf(source),
    );
    if (!result.ok) {
      // A partial count would be wrong, so none is given.
      warnings.push(`${file.path}: ${result.problem}`);
      return undefined;
    }
    summaries.push(result.summary);
  }
  return {
    format: counted[0]?.identity.kind === 'gguf' ? 'gguf' : 'safetensors',
    parameterCount: summaries.reduce((sum, s) => sum + s.parameterCount, 0n),
    dtypes: [...new Set(summaries.flatMap((s) => s.dtypes))].sort(),
    gguf: Object.assign({}, ...summaries.map((s) => s.metadata)) as Record<string, string>,
  };
}

/** Opens a file of the tree, runs `use` on it and closes it again. */
async function withSource<T>(
  tree: ModelTree,
  path: string,
  use: (source: ByteSource) => Promise<T>,
): Promise<T> {
  const source = await tree.open(path);
  try {
    return await use(source);
  } finally {
    await source.close?.();
  }
}

/** The shard files a `model.safetensors.index.json` names in its `weight_map`. */
function parseShardIndex(text: string): FactsResult<readonly string[]> {
  try {
    const index = JSON.parse(text) as { weight_map?: unknown };
    const map = index.weight_map;
    if (typeof map === 'object' && map !== null && !Array.isArray(map)) {
      const shards = Object.values(map as Record<string, unknown>).filter((v) => typeof v === 'string');
      return { ok: true, facts: [...new Set(shards)] };
    }
  } catch {
    // reported below
  }
  return { ok: false, problem: 'model.safetensors.index.json has no readable weight_map' };
}
