import { z } from 'zod';
import { byteSizeSchema } from '../core/config/config-schema.js';
import { DEFAULT_MODEL_SCAN_LIMITS, type ModelScanLimits } from './artifact.js';
import { parseAllowEntry, type AllowEntry } from './pickle/pickle-policy.js';

const allowEntry = z
  .string()
  .refine((text) => parseAllowEntry(text) !== undefined, {
    error: 'expected `module:qualname` such as `mypkg.models:MyNet` (or `mypkg.layers:*` for a whole module)',
  })
  .meta({
    description: 'A global a pickle may use: `module:qualname`, or `module:*` for every name of a module.',
  });

/** The `scanners.model` section of bulwark.yaml. */
export const modelOptionsSchema = z
  .strictObject({
    allow: z.array(allowEntry).default([]).meta({
      description:
        'Extra pickle globals to accept (your own classes). Dangerous globals stay critical whatever this says.',
    }),
    maxPickleOps: z.int().min(1000).default(DEFAULT_MODEL_SCAN_LIMITS.maxPickleOps).meta({
      description: 'Opcodes run at most per pickle stream.',
    }),
    maxInflatedBytes: byteSizeSchema.prefault(DEFAULT_MODEL_SCAN_LIMITS.maxInflatedBytes).meta({
      description: 'Bytes decompressed at most from one archive member.',
    }),
    maxTotalInflatedBytes: byteSizeSchema.prefault(DEFAULT_MODEL_SCAN_LIMITS.maxTotalInflatedBytes).meta({
      description: 'Bytes decompressed at most over one file.',
    }),
    maxCompressionRatio: z.number().min(2).default(DEFAULT_MODEL_SCAN_LIMITS.maxCompressionRatio).meta({
      description: 'Uncompressed-to-compressed ratio above which a member is reported as a bomb.',
    }),
    maxArchiveDepth: z.int().min(1).max(16).default(DEFAULT_MODEL_SCAN_LIMITS.maxArchiveDepth).meta({
      description: 'Archives inside archives (and pickles inside pickles) followed at most this deep.',
    }),
  })
  .meta({ title: 'Model artifact scanner (scanners.model)' });

/** Parsed `scanners.model` options. */
export interface ModelOptions {
  readonly allow: readonly AllowEntry[];
  readonly limits: ModelScanLimits;
}

/** Turns the parsed section (or nothing) into scanner settings. */
export function modelOptionsOf(value: unknown): ModelOptions {
  const parsed = modelOptionsSchema.parse(value ?? {});
  return {
    allow: parsed.allow.flatMap((text) => {
      const entry = parseAllowEntry(text);
      return entry === undefined ? [] : [entry];
    }),
    limits: {
      ...DEFAULT_MODEL_SCAN_LIMITS,
      maxPickleOps: parsed.maxPickleOps,
      maxInflatedBytes: parsed.maxInflatedBytes,
      maxTotalInflatedBytes: parsed.maxTotalInflatedBytes,
      maxCompressionRatio: parsed.maxCompressionRatio,
      maxArchiveDepth: parsed.maxArchiveDepth,
    },
  };
}
