import { z } from 'zod';
import { schemaDocs } from '../../core/schema-docs.js';
import { DATA_FORMATS } from '../readers/read-data.js';
import { TEXT_ENCODINGS } from '../readers/byte-chunks.js';
import { CONFIDENCE_TIERS } from '../types.js';
import { REDACT_OPERATORS } from './redactor.js';

const { described, field, publish } = schemaDocs();

const count = z.int().min(0);
const digest = described(z.templateLiteral(['sha256:', z.string().regex(/^[0-9a-f]{64}$/)]), {
  id: 'Sha256Digest',
  description: '`sha256:` and 64 lowercase hex digits.',
});
const entityCounts = described(z.record(z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/), count), {
  id: 'EntityCounts',
  description: 'Replacements (or restored tokens) per entity type, e.g. {"EMAIL_ADDRESS": 3}.',
});
const fileFacts = described(
  z.strictObject({
    path: field(z.string().min(1), 'Absolute path.'),
    digest: field(digest, 'SHA-256 of the whole file.'),
    size: field(count, 'Size in bytes.'),
  }),
  { id: 'FileFacts', description: 'A file read or written, by path and content digest.' },
);
const operator = z.enum(REDACT_OPERATORS);

/** `bulwark redact IN -o OUT --format json`: what was redacted, by entity and operator (never values). */
export const redactReportSchema = described(
  z.strictObject({
    action: z.literal('redact'),
    input: fileFacts,
    output: fileFacts,
    format: field(z.enum(DATA_FORMATS), 'The data format, read and written.'),
    encoding: field(z.enum(TEXT_ENCODINGS), 'Text formats: the encoding kept.').optional(),
    operator: field(operator, 'The operator for every entity not in entityOperators.'),
    entityOperators: field(z.record(z.string(), operator), 'Operators chosen for single entities.'),
    entities: field(z.array(z.string()), 'Only these entities were redacted.').optional(),
    minConfidence: field(z.enum(CONFIDENCE_TIERS), 'Matches below this confidence were left alone.'),
    keyId: field(
      z.string(),
      'hash/encrypt: the key (`local:…`) or salt (`salt:…`) used, never the key.',
    ).optional(),
    unit: field(z.enum(['line', 'cell']), 'What was analysed: lines of text, or cells.'),
    units: field(count, 'Lines or cells analysed.'),
    changedUnits: field(count, 'Lines or cells with at least one replacement.'),
    replacements: field(count, 'Values replaced.'),
    byEntity: entityCounts,
    byOperator: field(z.partialRecord(operator, count), 'Replacements per operator.'),
    malformed: field(count, 'CSV records or JSON Lines lines that did not parse and were redacted as text.'),
    convertedColumns: field(
      z.array(z.string()),
      'Parquet: columns whose type became string to hold replacements (see docs/redaction.md).',
    ),
    seconds: field(z.number().min(0), 'Wall time, in seconds.'),
  }),
  { description: 'The output of `bulwark redact INPUT --output OUTPUT --format json`.' },
);

/** Output of `bulwark redact --format json`. */
export type RedactReport = z.output<typeof redactReportSchema>;

/** `bulwark unredact IN -o OUT --format json`: how many tokens were restored. */
export const unredactReportSchema = described(
  z.strictObject({
    action: z.literal('unredact'),
    input: fileFacts,
    output: fileFacts,
    format: field(z.enum(DATA_FORMATS), 'The data format, read and written.'),
    encoding: field(z.enum(TEXT_ENCODINGS), 'Text formats: the encoding kept.').optional(),
    keyId: field(z.string(), 'The key (`local:…`) the tokens opened with.'),
    tokens: field(count, 'Encrypted tokens restored.'),
    byEntity: entityCounts,
    restoredColumns: field(z.array(z.string()), 'Parquet: columns given back their original type.'),
    stringColumns: field(
      z.array(z.string()),
      'Parquet: columns redact converted that stay strings (not every value in them was encrypted).',
    ),
    seconds: field(z.number().min(0), 'Wall time, in seconds.'),
  }),
  { description: 'The output of `bulwark unredact INPUT --output OUTPUT --format json`.' },
);

/** Output of `bulwark unredact --format json`. */
export type UnredactReport = z.output<typeof unredactReportSchema>;

/** The JSON Schemas (draft 2020-12) of the redact and unredact JSON outputs, by file name under docs/schema/. */
export function redactOutputJsonSchemas(): Record<string, object> {
  return publish([
    ['redact.schema.json', 'Bulwark redact output', redactReportSchema],
    ['unredact.schema.json', 'Bulwark unredact output', unredactReportSchema],
  ]);
}
