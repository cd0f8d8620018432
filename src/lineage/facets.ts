import { SCHEMA_BASE_URL } from '../core/schema-docs.js';
import { z } from 'zod';
import { SENSITIVITY_LABELS, type SensitivityLabel } from '../data/types.js';
import type { JsonValue } from '../core/findings.js';

/** A facet as OpenLineage defines it: `_producer`, `_schemaURL` and the facet's own fields. */
export type Facet = { readonly _producer: string; readonly _schemaURL: string } & {
  readonly [field: string]: JsonValue;
};

/** Facets by name (`version`, `schema`, `bulwark_digest`, …). */
export type Facets = { readonly [name: string]: Facet };

const FACETS = 'https://openlineage.io/spec/facets';

/** Schema URLs of the standard facets Bulwark writes (OpenLineage facet registry versions). */
export const STANDARD_FACET_SCHEMA_URLS = {
  version: `${FACETS}/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet`,
  schema: `${FACETS}/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet`,
  jobType: `${FACETS}/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet`,
  sourceCodeLocation: `${FACETS}/1-0-1/SourceCodeLocationJobFacet.json#/$defs/SourceCodeLocationJobFacet`,
} as const;

/** The published JSON Schema file holding the definitions of Bulwark's custom facets. */
export const LINEAGE_FACETS_SCHEMA_FILE = 'lineage-facets.schema.json';

const CUSTOM_FACETS_URL = `${SCHEMA_BASE_URL}${LINEAGE_FACETS_SCHEMA_FILE}`;

/** Name of the dataset facet carrying a dataset manifest's root digest. */
export const DIGEST_FACET = 'bulwark_digest';

/** Name of the dataset facet carrying a dataset's sensitivity labels (control D2). */
export const SENSITIVITY_FACET = 'bulwark_sensitivity';

/** `_schemaURL` of the custom facets: a JSON Pointer into the published facet schema file. */
export const CUSTOM_FACET_SCHEMA_URLS = {
  [DIGEST_FACET]: `${CUSTOM_FACETS_URL}#/$defs/BulwarkDigestDatasetFacet`,
  [SENSITIVITY_FACET]: `${CUSTOM_FACETS_URL}#/$defs/BulwarkSensitivityDatasetFacet`,
} as const;

/** An absolute URI (RFC 3986 scheme, colon, no whitespace), as OpenLineage's `format: uri` asks. */
export const uriSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/, { error: 'expected an absolute URI' });

const digestSchema = z
  .string()
  .regex(/^sha256:[0-9a-f]{64}$/, { error: 'expected sha256: and 64 lowercase hex digits' });
const labelSchema = z.enum(SENSITIVITY_LABELS);
const baseFields = { _producer: uriSchema, _schemaURL: uriSchema };

/** `bulwark_digest`: the dataset manifest's root digest (control D4) and how many files it covers. */
export const digestFacetSchema = z.looseObject({
  ...baseFields,
  rootDigest: digestSchema.meta({ description: 'Root digest of the dataset manifest: its identity.' }),
  fileCount: z.int().min(0).meta({ description: 'Files the manifest covers.' }).optional(),
});

/** `bulwark_sensitivity`: the dataset's label, per-column labels and entity counts (control D2). */
export const sensitivityFacetSchema = z.looseObject({
  ...baseFields,
  label: labelSchema.meta({
    description: 'The dataset label: public < internal < confidential < restricted.',
  }),
  columns: z
    .record(z.string(), z.record(z.string(), labelSchema))
    .meta({ description: 'Per file, per column: its label (`*` stands for a whole text file).' })
    .optional(),
  entities: z
    .record(z.string(), z.int().min(0))
    .meta({ description: 'Sensitive-data findings per entity type (EMAIL_ADDRESS, US_SSN…).' })
    .optional(),
  source: z
    .string()
    .min(1)
    .meta({ description: 'What set the label: scan, admission, lineage (propagated), redaction…' })
    .optional(),
});

/** The sensitivity of one dataset as Bulwark knows it. */
export interface SensitivityInfo {
  readonly label: SensitivityLabel;
  readonly columns?: { readonly [file: string]: { readonly [column: string]: SensitivityLabel } };
  readonly entities?: { readonly [entity: string]: number };
  readonly source?: string;
}

/** The `version` facet with the dataset digest as `datasetVersion`, so any consumer sees the version. */
export function versionFacet(producer: string, digest: string): Facet {
  return {
    _producer: producer,
    _schemaURL: STANDARD_FACET_SCHEMA_URLS.version,
    datasetVersion: digest,
  };
}

/** The `schema` facet listing a dataset's fields (columns). */
export function schemaFacet(
  producer: string,
  fields: readonly { readonly name: string; readonly type?: string }[],
): Facet {
  return {
    _producer: producer,
    _schemaURL: STANDARD_FACET_SCHEMA_URLS.schema,
    fields: fields.map((f): JsonValue =>
      f.type === undefined ? { name: f.name } : { name: f.name, type: f.type },
    ),
  };
}

/** The `jobType` facet of a batch job run by Bulwark (`jobType` e.g. `JOB`, `REDACT`, `ADMIT`). */
export function jobTypeFacet(producer: string, jobType: string): Facet {
  return {
    _producer: producer,
    _schemaURL: STANDARD_FACET_SCHEMA_URLS.jobType,
    processingType: 'BATCH',
    integration: 'BULWARK',
    jobType,
  };
}

/**
 * The `sourceCodeLocation` facet of the job's code: a `file:` URL and, as its unique `version`, the
 * SHA-256 of the code (control P1: the transformation is pinned by digest).
 */
export function codeFacet(producer: string, code: { readonly url: string; readonly digest: string }): Facet {
  return {
    _producer: producer,
    _schemaURL: STANDARD_FACET_SCHEMA_URLS.sourceCodeLocation,
    type: 'file',
    url: code.url,
    version: code.digest,
  };
}

/** The `bulwark_digest` facet. */
export function digestFacet(producer: string, rootDigest: string, fileCount?: number): Facet {
  return {
    _producer: producer,
    _schemaURL: CUSTOM_FACET_SCHEMA_URLS[DIGEST_FACET],
    rootDigest,
    ...(fileCount === undefined ? {} : { fileCount }),
  };
}

/** The `bulwark_sensitivity` facet. */
export function sensitivityFacet(producer: string, info: SensitivityInfo): Facet {
  return {
    _producer: producer,
    _schemaURL: CUSTOM_FACET_SCHEMA_URLS[SENSITIVITY_FACET],
    label: info.label,
    ...(info.columns === undefined ? {} : { columns: info.columns }),
    ...(info.entities === undefined ? {} : { entities: info.entities }),
    ...(info.source === undefined ? {} : { source: info.source }),
  };
}

/** Reads stored per-column labels (`{ file: { column: label } }`), dropping anything else. */
export function columnLabelsOf(value: unknown): SensitivityInfo['columns'] {
  const parsed = z.record(z.string(), z.record(z.string(), labelSchema)).safeParse(value);
  return parsed.success && Object.keys(parsed.data).length > 0 ? parsed.data : undefined;
}

/** Reads stored entity counts (`{ ENTITY: n }`), dropping anything else. */
export function entityCountsOf(value: unknown): SensitivityInfo['entities'] {
  const parsed = z.record(z.string(), z.int().min(0)).safeParse(value);
  return parsed.success && Object.keys(parsed.data).length > 0 ? parsed.data : undefined;
}

/** The JSON Schema (draft 2020-12) of Bulwark's custom facets, published as `lineage-facets.schema.json`. */
export function lineageFacetsJsonSchema(): object {
  const defs = {
    BulwarkDigestDatasetFacet: z.toJSONSchema(digestFacetSchema, { target: 'draft-2020-12' }),
    BulwarkSensitivityDatasetFacet: z.toJSONSchema(sensitivityFacetSchema, { target: 'draft-2020-12' }),
  };
  const strip = ({ $schema: _s, ...rest }: Record<string, unknown>) => rest;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: CUSTOM_FACETS_URL,
    title: 'Bulwark OpenLineage custom facets',
    description:
      'Dataset facets Bulwark adds to OpenLineage run events: bulwark_digest (dataset manifest root digest) and bulwark_sensitivity (labels, control D2).',
    $defs: {
      BulwarkDigestDatasetFacet: {
        ...strip(defs.BulwarkDigestDatasetFacet),
        description: 'The root digest of the dataset manifest and how many files it covers.',
      },
      BulwarkSensitivityDatasetFacet: {
        ...strip(defs.BulwarkSensitivityDatasetFacet),
        description: 'The sensitivity label of the dataset, per-column labels and entity counts.',
      },
    },
  };
}
