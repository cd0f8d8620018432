import { z } from 'zod';
import { schemaDocs } from '../core/schema-docs.js';
import { SENSITIVITY_LABELS } from '../data/types.js';
import type { AdmissionOutcome } from './data-admit.js';
import type { LabelOutcome } from './data-label.js';

const { described, field, publish } = schemaDocs();

const text = z.string().min(1);
const count = z.int().min(0);
const label = described(z.enum(SENSITIVITY_LABELS), {
  id: 'SensitivityLabel',
  description: 'public < internal < confidential < restricted (control D2).',
});
const digest = described(z.templateLiteral(['sha256:', z.string().regex(/^[0-9a-f]{64}$/)]), {
  id: 'Sha256Digest',
  description: '`sha256:` and 64 lowercase hex digits.',
});

const labelsSchema = described(
  z.strictObject({
    label: field(label, "The dataset's label: the highest of its columns, or data.labels.default."),
    columns: field(
      z.record(z.string(), z.record(z.string(), label)),
      'Per file (path inside the dataset), per column: the label. `*` stands for a whole text file.',
    ),
    entities: field(z.record(z.string(), count), 'Sensitive-data findings per entity type.'),
    categories: field(
      z.record(z.string(), count),
      'Sensitive-data findings per category (pii, phi, financial, secret).',
    ),
  }),
  { id: 'DatasetLabels', description: 'Sensitivity labels derived from the findings (control D2).' },
);

const datasetRef = z.strictObject({
  name: field(text, 'Dataset name: the folder or file name.'),
  rootDigest: field(digest, 'Root digest of the dataset manifest: the identity the attestation is about.'),
});

const admitSchema = z.strictObject({
  verdict: field(z.enum(['admitted', 'rejected']), 'The admission verdict; rejected exits 1.'),
  reasons: field(
    z.array(
      z.strictObject({
        kind: field(
          z.enum(['category', 'entity', 'label', 'finding', 'not-scanned', 'approver']),
          'What blocked: a sensitive-data category or entity, the label ceiling, another finding, an unread file, a missing approver.',
        ),
        message: field(text, 'What to fix.'),
        count: field(count, 'Findings or files behind the reason.'),
      }),
    ),
    'Every reason for a rejection; empty when admitted.',
  ),
  dataset: datasetRef.extend({
    files: field(count, 'Files in the manifest.'),
    bytes: field(count, 'Bytes in the manifest.'),
  }),
  labels: labelsSchema,
  scanId: field(text, 'The stored scan the verdict rests on.'),
  findings: z.strictObject({
    total: field(count, 'Findings of the scan.'),
    byRule: field(z.record(z.string(), count), 'Findings per rule id.'),
  }),
  approver: field(text, 'Who approved, as given with --approver.').optional(),
  attestation: z.strictObject({
    id: field(text, 'Id of the stored attestation.'),
    payloadDigest: field(digest, 'SHA-256 of the signed in-toto statement.'),
    keyId: field(z.string().regex(/^[0-9a-f]{64}$/), 'Id of the signing key.'),
  }),
  lineageRunId: field(text, 'The OpenLineage run recorded for the admission.'),
});

const labelSchema = z.strictObject({
  dataset: datasetRef,
  labels: labelsSchema,
  previous: field(
    z.strictObject({
      label,
      digest: field(digest, 'The dataset version the earlier label belongs to.'),
      at: field(z.iso.datetime(), 'When it was recorded.'),
      of: field(
        z.enum(['same-version', 'previous-version']),
        'These bytes labelled before, or the newest other version stored under the same name.',
      ),
    }),
    'The label compared with, when there is one.',
  ).optional(),
  changed: field(z.boolean(), 'The label differs from the previous one (--fail-on-change exits 1).'),
  scanId: field(text, 'The stored scan the labels rest on.'),
});

type SameFields<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
const _admitFits: (v: z.output<typeof admitSchema>) => AdmissionOutcome = (v) => v;
const _admitSame: SameFields<AdmissionOutcome, z.output<typeof admitSchema>> = true;
const _labelFits: (v: z.output<typeof labelSchema>) => LabelOutcome = (v) => v;
const _labelSame: SameFields<LabelOutcome, z.output<typeof labelSchema>> = true;
void [_admitFits, _admitSame, _labelFits, _labelSame];

/** The zod schemas of `data admit` and `data label` JSON output, for tests. */
export const DATA_OUTPUT_SCHEMAS = { admit: admitSchema, label: labelSchema } as const;

/** The JSON Schemas of `data admit --format json` and `data label --format json`, by file name. */
export function dataOutputJsonSchemas(): Record<string, object> {
  return publish([
    ['data-admit.schema.json', 'Bulwark data admit output', admitSchema],
    ['data-label.schema.json', 'Bulwark data label output', labelSchema],
  ]);
}
