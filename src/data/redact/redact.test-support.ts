import { bytesSource } from '../../core/scan/byte-sources.js';
import type { ByteSink } from '../../registry/encryption/types.js';
import { createDataAnalyzer } from '../analyzer.js';
import type { HeaderMode } from '../readers/csv-reader.js';
import { dataUnits, type DataFormat } from '../readers/read-data.js';
import type { Analyzer } from '../recognizers/index.js';
import { redactData, unredactData, type RedactResult, type UnredactResult } from './redact-data.js';
import { redactKeysFromKey, type RedactKeys } from './redact-tokens.js';
import type { RedactPolicy } from './redactor.js';

let analyzer: Analyzer | undefined;

/** The data analyzer, built once per test file (it compiles hundreds of recognizers). */
export function testAnalyzer(): Analyzer {
  analyzer ??= createDataAnalyzer();
  return analyzer;
}

/** A fixed test key (32 bytes) and its subkeys. */
export const TEST_KEY = new Uint8Array(Array.from({ length: 32 }, (_, i) => (i * 7 + 3) & 0xff));

/** Subkeys of `TEST_KEY`. */
export const TEST_KEYS: RedactKeys = redactKeysFromKey(TEST_KEY);

/** Another key, for wrong-key tests. */
export const OTHER_KEYS: RedactKeys = redactKeysFromKey(new Uint8Array(32).fill(9));

/** A sink that keeps everything in memory. */
export function memorySink(): ByteSink & { bytes(): Uint8Array } {
  const chunks: Uint8Array[] = [];
  return {
    write(chunk) {
      chunks.push(chunk.slice());
      return Promise.resolve();
    },
    bytes: () => new Uint8Array(Buffer.concat(chunks)),
  };
}

/** Redacts bytes in memory; `policy` defaults to the test analyzer, key and `encrypt`. */
export async function redactBytes(
  bytes: Uint8Array | string,
  policy: Partial<RedactPolicy> = {},
  options: { format?: DataFormat; chunkSize?: number; header?: HeaderMode } = {},
): Promise<{ bytes: Uint8Array; text: string; result: RedactResult }> {
  const sink = memorySink();
  const input = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const result = await redactData(bytesSource(input), sink, {
    policy: { analyzer: testAnalyzer(), keys: TEST_KEYS, operator: 'encrypt', ...policy },
    ...options,
  });
  const out = sink.bytes();
  return { bytes: out, text: Buffer.from(out).toString('utf8'), result };
}

/** Restores bytes in memory with `keys` (default the test key). */
export async function unredactBytes(
  bytes: Uint8Array,
  keys: RedactKeys = TEST_KEYS,
  options: { format?: DataFormat; chunkSize?: number } = {},
): Promise<{ bytes: Uint8Array; result: UnredactResult }> {
  const sink = memorySink();
  const result = await unredactData(bytesSource(bytes), sink, { keys, ...options });
  return { bytes: sink.bytes(), result };
}

/**
 * What `scan data` would still find in a file (medium confidence or more), as `ENTITY: value`, for
 * checking that a redacted copy carries none of the values it replaced.
 */
export async function rescan(bytes: Uint8Array, format?: DataFormat): Promise<string[]> {
  const found: string[] = [];
  for await (const unit of dataUnits(bytesSource(bytes), format === undefined ? {} : { format })) {
    for (const match of testAnalyzer().analyze(
      unit.text,
      unit.kind === 'cell' ? { field: unit.field } : {},
    )) {
      if (match.confidence !== 'low')
        found.push(`${match.entity}: ${unit.text.slice(match.start, match.end)}`);
    }
  }
  return found;
}
