import { z } from 'zod';
import type { Finding } from '../core/findings.js';
import type { Store } from '../store/store.js';
import {
  SENSITIVE_CATEGORIES,
  SENSITIVITY_LABELS,
  type SensitiveCategory,
  type SensitivityLabel,
} from './types.js';

/**
 * The label a category of sensitive data gives the column and dataset it sits in (control D2): secrets
 * and health data are restricted, personal and financial data confidential.
 */
export const DEFAULT_CATEGORY_LABELS: Readonly<Record<SensitiveCategory, SensitivityLabel>> = {
  secret: 'restricted',
  phi: 'restricted',
  financial: 'confidential',
  pii: 'confidential',
};

/**
 * Entities labelled above their category: government identifiers and card numbers, whose leak alone
 * enables fraud or identity theft (PCI DSS scope, national identifiers).
 */
export const DEFAULT_ENTITY_LABELS: Readonly<Record<string, SensitivityLabel>> = {
  US_SSN: 'restricted',
  US_ITIN: 'restricted',
  US_PASSPORT: 'restricted',
  UK_NINO: 'restricted',
  CREDIT_CARD: 'restricted',
};

const label = z.enum(SENSITIVITY_LABELS);

/** `data.labels` in bulwark.yaml: how findings turn into labels. */
export const labelSettingsSchema = z
  .strictObject({
    default: label.default('internal').meta({
      description: 'Label of a column or dataset with no sensitive data found (public only if you say so).',
    }),
    categories: z
      .partialRecord(z.enum(SENSITIVE_CATEGORIES), label)
      .default({})
      .meta({ description: 'Label per category (pii, phi, financial, secret), over the defaults.' }),
    entities: z
      .record(
        z.string().regex(/^[A-Z][A-Z0-9_]*$/, { error: 'expected an entity name such as US_SSN' }),
        label,
      )
      .default({})
      .meta({ description: 'Label per entity type (EMAIL_ADDRESS, US_SSN…), over the category label.' }),
  })
  .meta({ description: 'How sensitive-data findings become sensitivity labels (control D2).' });

/** Parsed `data.labels`. */
export type LabelSettings = z.output<typeof labelSettingsSchema>;

/** The rank of a label: public 0 … restricted 3. */
export function labelRank(value: SensitivityLabel): number {
  return SENSITIVITY_LABELS.indexOf(value);
}

/** The higher of two labels. */
export function higherLabel(a: SensitivityLabel, b: SensitivityLabel): SensitivityLabel {
  return labelRank(a) >= labelRank(b) ? a : b;
}

/** Reads a stored or user-given label; undefined when it is not one of the four. */
export function asSensitivityLabel(value: unknown): SensitivityLabel | undefined {
  return SENSITIVITY_LABELS.find((known) => known === value);
}

/** The labels of a dataset: the dataset's, each file's columns', and the findings they rest on. */
export interface DatasetLabels {
  readonly label: SensitivityLabel;
  /**
   * Per file, per column: the label. Text-like files have the one column `*`; a file without sensitive
   * data has no entry.
   */
  readonly columns: { readonly [path: string]: { readonly [column: string]: SensitivityLabel } };
  /** Findings per entity type (`EMAIL_ADDRESS: 12`). */
  readonly entities: { readonly [entity: string]: number };
  /** Findings per category. */
  readonly categories: { readonly [category: string]: number };
}

/** The column a whole text-like file stands for in `DatasetLabels.columns`. */
export const WHOLE_FILE = '*';

/** What a sensitive-data finding carries in its evidence (data scanner findings). */
export interface SensitiveEvidence {
  readonly entity: string;
  readonly category: SensitiveCategory;
}

/** The entity and category of a sensitive-data finding; undefined for findings of other scanners. */
export function sensitiveEvidence(finding: Finding): SensitiveEvidence | undefined {
  const evidence = finding.evidence;
  if (evidence === undefined || evidence === null || typeof evidence !== 'object') return undefined;
  const { entity, category } = evidence as { entity?: unknown; category?: unknown };
  if (typeof entity !== 'string') return undefined;
  const known = SENSITIVE_CATEGORIES.find((c) => c === category);
  return known === undefined ? undefined : { entity, category: known };
}

/** The label one entity of one category gives, under `settings`. */
export function labelOfEntity(
  entity: string,
  category: SensitiveCategory,
  settings: LabelSettings,
): SensitivityLabel {
  return (
    settings.entities[entity] ??
    DEFAULT_ENTITY_LABELS[entity] ??
    settings.categories[category] ??
    DEFAULT_CATEGORY_LABELS[category]
  );
}

/**
 * Derives labels from the findings of a scan: each sensitive-data finding labels its column (table
 * cells) or its file (text), the dataset takes the highest label of any column, and a dataset with
 * nothing found takes the default label. Findings of other scanners (models, poisoning) carry no
 * entity and do not label.
 */
export function deriveLabels(findings: readonly Finding[], settings: LabelSettings): DatasetLabels {
  const columns: Record<string, Record<string, SensitivityLabel>> = {};
  const entities: Record<string, number> = {};
  const categories: Record<string, number> = {};
  let dataset: SensitivityLabel = settings.default;
  for (const finding of findings) {
    const sensitive = sensitiveEvidence(finding);
    if (sensitive === undefined) continue;
    entities[sensitive.entity] = (entities[sensitive.entity] ?? 0) + 1;
    categories[sensitive.category] = (categories[sensitive.category] ?? 0) + 1;
    const value = labelOfEntity(sensitive.entity, sensitive.category, settings);
    const path = finding.location.path;
    const column = finding.location.field ?? WHOLE_FILE;
    const file = (columns[path] ??= {});
    file[column] = higherLabel(file[column] ?? settings.default, value);
    dataset = higherLabel(dataset, value);
  }
  return {
    label: dataset,
    columns: sortKeys(columns),
    entities: sortKeys(entities),
    categories: sortKeys(categories),
  };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The current label of a dataset version: the newest stored for its digest, if any. */
export async function currentDatasetLabel(
  store: Pick<Store, 'listDatasetLabels'>,
  digest: string,
): Promise<SensitivityLabel | undefined> {
  const [newest] = await store.listDatasetLabels({ digest, limit: 1 });
  return asSensitivityLabel(newest?.label);
}

/**
 * The label of a redaction's output (control D3 meets D2): when every entity type was redacted the
 * copy holds no recognized sensitive value and takes the default label; when only some were
 * (`--entities`), the rest is still there and the copy keeps its input's label (undefined: inherit).
 */
export function redactedLabel(redactedAll: boolean, settings: LabelSettings): SensitivityLabel | undefined {
  return redactedAll ? settings.default : undefined;
}

/**
 * The label of an unredacted copy: the highest label of the entity types its tokens restored. An
 * entity whose category is unknown (a recognizer no longer configured) counts as restricted.
 */
export function restoredLabel(
  restored: readonly string[],
  categoryOf: (entity: string) => SensitiveCategory | undefined,
  settings: LabelSettings,
): SensitivityLabel {
  let result: SensitivityLabel = settings.default;
  for (const entity of restored) {
    const category = categoryOf(entity);
    result = higherLabel(
      result,
      category === undefined ? 'restricted' : labelOfEntity(entity, category, settings),
    );
  }
  return result;
}
