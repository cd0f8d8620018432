import { z } from 'zod';
import { schemaDocs, SCHEMA_BASE_URL } from '../core/schema-docs.js';
import { SENSITIVITY_LABELS } from '../data/types.js';
import { LINEAGE_FACETS_SCHEMA_FILE, lineageFacetsJsonSchema } from './facets.js';

const { described, field, toJson } = schemaDocs();

const text = z.string().min(1);
const label = described(z.enum(SENSITIVITY_LABELS), {
  id: 'SensitivityLabel',
  description: 'public < internal < confidential < restricted (control D2).',
});
const digest = described(z.string().regex(/^sha256:[0-9a-f]{64}$/), {
  id: 'Sha256Digest',
  description: '`sha256:` and 64 lowercase hex digits.',
});

const storedLabel = described(
  z.strictObject({
    label,
    source: field(text, 'What set it: scan, admission, lineage (propagated), redaction…'),
    sourceId: field(text, 'The evidence behind it: scan id, attestation id, run id.').optional(),
    createdAt: field(z.iso.datetime(), 'When it was recorded.'),
  }),
  { id: 'StoredLabel', description: "A dataset's current label record (the newest for its digest)." },
);

/** One dataset in the upstream tree of `lineage show`. */
export const datasetNodeSchema = described(
  z.strictObject({
    namespace: field(text, 'OpenLineage namespace (`file` for local files).').optional(),
    name: field(text, 'OpenLineage name (the absolute path for local files).').optional(),
    digest: field(digest, 'Root digest of the dataset manifest: this version of the dataset.').optional(),
    digestInferred: field(
      z.boolean(),
      'The event named the dataset without a digest; this is the digest an earlier event gave it.',
    ).optional(),
    label: storedLabel.optional(),
    upstreamLabel: field(
      label,
      'Highest effective label among the inputs of the runs that produced it.',
    ).optional(),
    effectiveLabel: field(
      label,
      'The label it must carry: the higher of its own and upstream, unless a redaction declassified it.',
    ).optional(),
    declassified: field(z.boolean(), 'Its own label was set by a redaction and stands below upstream.'),
    stale: field(z.boolean(), 'Upstream is more sensitive than its stored label: relabel it.'),
    repeated: field(
      z.boolean(),
      'Already shown higher in the tree; its upstream is not repeated.',
    ).optional(),
    get producedBy() {
      return field(z.array(runNodeSchema), 'Runs whose outputs include this dataset version, newest first.');
    },
  }),
  { id: 'LineageDataset', description: 'A dataset version, its labels and the runs that produced it.' },
);

/** One run (job execution) that produced a dataset, with its inputs. */
export const runNodeSchema = described(
  z.strictObject({
    runId: text,
    job: z.strictObject({ namespace: text, name: text }),
    eventTypes: field(z.array(text), 'Event types stored for the run (START, COMPLETE, …).'),
    eventTime: field(z.iso.datetime(), 'Time of its newest stored event, in UTC.'),
    producer: field(text, 'URI of the tool that emitted its newest event.'),
    get inputs() {
      return field(z.array(datasetNodeSchema), 'The datasets it read.');
    },
  }),
  { id: 'LineageRun', description: 'A run of a job that produced a dataset.' },
);

/** `bulwark lineage show DATASET --format json`. */
export const lineageShowSchema = described(
  z.strictObject({
    dataset: datasetNodeSchema,
    origin: described(
      z.strictObject({
        namespace: text.optional(),
        name: text.optional(),
        digest: digest.optional(),
        label,
        source: field(text, 'What set the label there (scan, admission, …).'),
        via: field(z.array(text), 'Jobs (namespace/name) the label travelled through, upstream first.'),
      }),
      { description: 'Where the effective label comes from: the upstream dataset that carries it first.' },
    ).optional(),
    truncated: field(z.boolean(), 'The walk stopped at the depth or size limit; the tree is partial.'),
  }),
  { description: 'The output of `bulwark lineage show DATASET --format json`.' },
);

/** A dataset node of `lineage show`. */
export type LineageDatasetNode = z.output<typeof datasetNodeSchema>;

/** A run node of `lineage show`. */
export type LineageRunNode = z.output<typeof runNodeSchema>;

/** Output of `bulwark lineage show --format json`. */
export type LineageShow = z.output<typeof lineageShowSchema>;

/** File name of the published `lineage show` schema under docs/schema/. */
export const LINEAGE_SHOW_SCHEMA_FILE = 'lineage-show.schema.json';

/**
 * The JSON Schemas (draft 2020-12) of the lineage outputs, by file name under docs/schema/: the
 * `lineage show` output and Bulwark's custom OpenLineage facets.
 */
export function lineageJsonSchemas(): Record<string, object> {
  const { $schema, ...rest } = toJson(lineageShowSchema);
  return {
    [LINEAGE_SHOW_SCHEMA_FILE]: {
      $schema,
      $id: `${SCHEMA_BASE_URL}${LINEAGE_SHOW_SCHEMA_FILE}`,
      title: 'Bulwark lineage show output',
      ...rest,
    },
    [LINEAGE_FACETS_SCHEMA_FILE]: lineageFacetsJsonSchema(),
  };
}
