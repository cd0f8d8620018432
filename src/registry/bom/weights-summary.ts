import { readFully } from '../../core/scan/byte-sources.js';
import { readU64le } from '../../core/scan/bytes.js';
import type { ByteSource } from '../../core/scan/types.js';
import { parseGgufHeader } from '../../models/formats/gguf-header.js';
import { safetensorsDtypeBits } from '../../models/formats/safetensors-dtypes.js';

/** Largest safetensors header read for a BOM; real headers are kilobytes, the format allows 100 MB. */
export const MAX_SAFETENSORS_HEADER_BYTES = 32 * 1024 * 1024;

/** How far into a GGUF file the metadata parse may read for a BOM. */
export const MAX_GGUF_METADATA_BYTES = 64 * 1024 * 1024;

/** What the header of one weights file says, tensor data never read. */
export interface WeightsSummary {
  readonly format: 'safetensors' | 'gguf';
  /** Elements over all tensors (a decimal string: large models exceed 2^53 in principle). */
  readonly parameterCount: bigint;
  /** Tensor element types, sorted (`BF16`, `F32`; GGML type numbers for GGUF are not named here). */
  readonly dtypes: readonly string[];
  /** GGUF `general.*` string metadata (architecture, name, license) when present. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** The summary of a weights file, or why it could not be read (the BOM then omits what it would say). */
export type WeightsResult =
  { readonly ok: true; readonly summary: WeightsSummary } | { readonly ok: false; readonly problem: string };

/**
 * Reads a safetensors header (8-byte length, JSON) within `MAX_SAFETENSORS_HEADER_BYTES` and sums the
 * tensor shapes into a parameter count. Malformed input gives a problem, never an exception.
 */
export async function summarizeSafetensors(source: ByteSource): Promise<WeightsResult> {
  if (source.size < 8) return fail('file is too short for a safetensors header');
  const length = readU64le(await readFully(source, 0, 8), 0);
  if (!(length <= MAX_SAFETENSORS_HEADER_BYTES) || 8 + length > source.size)
    return fail(`safetensors header length ${length} is out of bounds`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await readFully(source, 8, length)));
  } catch {
    return fail('safetensors header is not valid UTF-8 JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    return fail('safetensors header is not a JSON object');
  let parameterCount = 0n;
  const dtypes = new Set<string>();
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const tensor = entry as { dtype?: unknown; shape?: unknown };
    const shape = tensor.shape;
    if (
      typeof tensor.dtype !== 'string' ||
      safetensorsDtypeBits(tensor.dtype) === undefined ||
      !Array.isArray(shape) ||
      !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)
    )
      return fail(`tensor "${name}" has no valid dtype and shape`);
    dtypes.add(tensor.dtype);
    parameterCount += (shape as number[]).reduce((product, d) => product * BigInt(d), 1n);
  }
  return {
    ok: true,
    summary: { format: 'safetensors', parameterCount, dtypes: [...dtypes].sort(), metadata: {} },
  };
}

const GGUF_METADATA_KEYS = ['general.architecture', 'general.name', 'general.license'];

/**
 * Reads a GGUF header with the model scanner's bounded parser and sums the tensor dimensions into a
 * parameter count; keeps the `general.*` strings a model card can use. A header that stops early
 * gives a problem, since a partial count would be wrong.
 */
export async function summarizeGguf(source: ByteSource): Promise<WeightsResult> {
  const header = await parseGgufHeader(source, { maxMetadataBytes: MAX_GGUF_METADATA_BYTES });
  const blocking = header.problems.find((p) => p.severity !== 'low');
  if (blocking !== undefined || header.infoEnd === undefined)
    return fail(`GGUF header could not be read: ${blocking?.message ?? 'incomplete'}`);
  const metadata: Record<string, string> = {};
  for (const kv of header.kvs) {
    if (GGUF_METADATA_KEYS.includes(kv.key) && typeof kv.value === 'string' && kv.value.trim() !== '')
      metadata[kv.key] = kv.value.trim();
  }
  let parameterCount = 0n;
  for (const tensor of header.tensors) {
    if (tensor.dimensionCount !== tensor.dims.length || !tensor.dims.every((d) => Number.isSafeInteger(d)))
      return fail(`GGUF tensor "${tensor.name}" has dimensions that cannot be counted`);
    parameterCount += tensor.dims.reduce((product, d) => product * BigInt(d), 1n);
  }
  return { ok: true, summary: { format: 'gguf', parameterCount, dtypes: [], metadata } };
}

function fail(problem: string): WeightsResult {
  return { ok: false, problem };
}
