/**
 * The prompt classifier's weights file: `BWPC`, a little-endian uint32 header length, a UTF-8 JSON
 * header (feature spec, hash seed, intercepts, calibration, quantization, the SHA-256 of the payload
 * and the training provenance: script, seed, hyperparameters, digests of every data file read), then
 * the payload: one int8 weight per hash bucket (`weight = q * scale`). A file that is truncated,
 * padded, corrupted or of another version is refused with one `INPUT_INVALID` error.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BulwarkError } from '../../core/errors.js';

/** The four bytes every weights file starts with. */
export const WEIGHTS_MAGIC = 'BWPC';

const PREFIX_BYTES = 8;
const finite = z.number().refine(Number.isFinite, 'must be finite');
const platt = z.strictObject({ a: finite, b: finite });

const headerSchema = z.strictObject({
  format: z.literal('bulwark-prompt-classifier'),
  version: z.literal(1),
  features: z.strictObject({
    normalization: z.literal('nfkc-lowercase-no-format-chars'),
    charNgrams: z.tuple([z.literal(3), z.literal(5)]),
    charNgramsWithin: z.literal('words-padded'),
    wordNgrams: z.tuple([z.literal(1), z.literal(2)]),
    hashBits: z.number().int().min(8).max(24),
    hashSeed: z.number().int().min(0).max(0xffffffff),
    signedHashing: z.literal(true),
    contextFeatures: z.enum(['intercept-only', 'shared+context']),
    scaling: z.literal('count/n^e'),
    lengthExponent: z.number().min(0).max(1),
    window: z.strictObject({
      size: z.number().int().positive(),
      stride: z.number().int().positive(),
    }),
  }),
  intercepts: z.strictObject({ user: finite, document: finite }),
  calibration: z.strictObject({ user: platt, document: platt }),
  threshold: z.number().gt(0).lt(1),
  quantization: z.strictObject({ kind: z.literal('int8'), scale: finite.refine((s) => s > 0) }),
  payloadSha256: z.string().regex(/^[0-9a-f]{64}$/),
  training: z.strictObject({
    script: z.string(),
    seed: z.number().int(),
    hyperparameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
    data: z.array(z.strictObject({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
    examples: z.record(z.string(), z.number()),
    validation: z.record(z.string(), z.number()),
  }),
});

/** The header of a weights file, as validated on load. */
export type WeightsHeader = z.infer<typeof headerSchema>;

/** The header without the payload digest, which {@link encodeWeightsFile} fills in. */
export type WeightsHeaderInput = Omit<WeightsHeader, 'payloadSha256'>;

/** A decoded weights file: its header and one int8 weight per bucket. */
export interface WeightsFile {
  readonly header: WeightsHeader;
  readonly weights: Int8Array;
}

function invalid(message: string, cause?: unknown): BulwarkError {
  return new BulwarkError('INPUT_INVALID', `prompt classifier weights: ${message}`, { cause });
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Serializes a header and its int8 weights; the same inputs always give the same bytes. */
export function encodeWeightsFile(header: WeightsHeaderInput, weights: Int8Array): Uint8Array {
  if (weights.length !== 2 ** header.features.hashBits)
    throw new BulwarkError('INTERNAL', 'weights length does not match hashBits');
  const payload = new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength);
  const json = new TextEncoder().encode(JSON.stringify({ ...header, payloadSha256: sha256(payload) }));
  const out = new Uint8Array(PREFIX_BYTES + json.length + payload.length);
  out.set(new TextEncoder().encode(WEIGHTS_MAGIC), 0);
  new DataView(out.buffer).setUint32(4, json.length, true);
  out.set(json, PREFIX_BYTES);
  out.set(payload, PREFIX_BYTES + json.length);
  return out;
}

/** Parses and checks a weights file: magic, header schema, exact length and payload digest. */
export function decodeWeightsFile(bytes: Uint8Array): WeightsFile {
  if (bytes.length < PREFIX_BYTES) throw invalid(`file too short (${bytes.length} bytes)`);
  if (new TextDecoder().decode(bytes.subarray(0, 4)) !== WEIGHTS_MAGIC)
    throw invalid(`not a weights file (magic is not ${WEIGHTS_MAGIC})`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (PREFIX_BYTES + headerLength > bytes.length)
    throw invalid(
      `truncated header (${headerLength} bytes announced, ${bytes.length - PREFIX_BYTES} present)`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(
        bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength),
      ),
    );
  } catch (error) {
    throw invalid('header is not UTF-8 JSON', error);
  }
  const parsed = headerSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`bad header at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const header = parsed.data;
  const payload = bytes.subarray(PREFIX_BYTES + headerLength);
  const expected = 2 ** header.features.hashBits;
  if (payload.length !== expected)
    throw invalid(`payload is ${payload.length} bytes, expected ${expected} (truncated or padded)`);
  if (sha256(payload) !== header.payloadSha256) throw invalid('payload digest mismatch (corrupted)');
  const weights = new Int8Array(expected);
  weights.set(new Int8Array(payload.buffer, payload.byteOffset, payload.length));
  return { header, weights };
}

/** Symmetric int8 quantization: scale = max |w| / 127, q = round(w / scale). */
export function quantizeWeights(weights: Float64Array): { q: Int8Array; scale: number } {
  let max = 0;
  for (const w of weights) max = Math.max(max, Math.abs(w));
  const scale = max > 0 ? max / 127 : 1;
  const q = new Int8Array(weights.length);
  for (let i = 0; i < weights.length; i++)
    q[i] = Math.max(-127, Math.min(127, Math.round((weights[i] ?? 0) / scale)));
  return { q, scale };
}
