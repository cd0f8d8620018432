import { asSensitivityLabel, higherLabel, labelRank } from '../data/labels.js';
import type { SensitivityLabel } from '../data/types.js';
import type { Store } from '../store/store.js';
import { sameDatasetName, type DatasetName } from './dataset-name.js';
import { columnLabelsOf, entityCountsOf, type SensitivityInfo } from './facets.js';

/** What label propagation reads from the store. */
export type LineageReader = Pick<Store, 'listDatasetLabels' | 'listLineageEvents'>;

/** Label sources that may set a label below upstream: a redaction verified by re-scanning its output. */
export const DECLASSIFYING_SOURCES: readonly string[] = ['redaction'];

/** How many stored events a name lookup reads, newest first. */
const LOOKUP_LIMIT = 200;

/** A dataset's current label: the newest record of its digest. */
export interface CurrentLabel extends SensitivityInfo {
  readonly source: string;
  readonly sourceId?: string;
  readonly createdAt: string;
}

/** The current label of a dataset digest, or undefined when none is stored (or it is not a known label). */
export async function currentLabelOf(
  store: LineageReader,
  digest: string,
): Promise<CurrentLabel | undefined> {
  const [newest] = await store.listDatasetLabels({ digest, limit: 1 });
  const label = asSensitivityLabel(newest?.label);
  if (newest === undefined || label === undefined) return undefined;
  const columns = columnLabelsOf(newest.columns);
  const entities = entityCountsOf(newest.entities);
  return {
    label,
    source: newest.source,
    ...(newest.sourceId === undefined ? {} : { sourceId: newest.sourceId }),
    createdAt: newest.createdAt,
    ...(columns === undefined ? {} : { columns }),
    ...(entities === undefined ? {} : { entities }),
  };
}

/**
 * The digest a named dataset had at a time: the newest stored event at or before `at` that names it
 * with a digest. Foreign producers often name datasets without one; this links them to known versions.
 */
export async function digestAt(
  store: LineageReader,
  dataset: DatasetName,
  at?: string,
): Promise<string | undefined> {
  const events = await store.listLineageEvents({ dataset, limit: LOOKUP_LIMIT });
  const until = at === undefined ? Infinity : Date.parse(at);
  for (const event of events) {
    if (Date.parse(event.eventTime) > until) continue;
    const ref = event.datasets.find((d) => d.digest !== undefined && sameDatasetName(d, dataset));
    if (ref?.digest !== undefined) return ref.digest;
  }
  return undefined;
}

/** The highest of some labels; undefined when none is known. */
export function highestLabel(labels: Iterable<SensitivityLabel | undefined>): SensitivityLabel | undefined {
  let top: SensitivityLabel | undefined;
  for (const label of labels)
    if (label !== undefined) top = top === undefined ? label : higherLabel(top, label);
  return top;
}

/** Tells whether `a` is strictly more sensitive than `b` (anything is more than nothing). */
export function isAbove(a: SensitivityLabel, b: SensitivityLabel | undefined): boolean {
  return b === undefined || labelRank(a) > labelRank(b);
}

/** A dataset of a run, as propagation takes it. */
export interface RunDataset extends DatasetName {
  readonly digest?: string;
  /** A label the caller or the event states for it: it can raise the label, never lower it. */
  readonly claimedLabel?: SensitivityLabel;
  /** Outputs only: false when the caller assessed the output itself (a redaction); default true. */
  readonly inherit?: boolean;
}

/** An input with what is known of it. */
export interface ResolvedInput extends DatasetName {
  readonly digest?: string;
  /** True when the digest comes from an earlier event naming the dataset, not from this event. */
  readonly digestInferred: boolean;
  readonly label?: SensitivityLabel;
  /** Where `label` comes from: the stored record's source, or `claimed`. */
  readonly labelSource?: string;
  /** Its current stored label record, when there is one. */
  readonly stored?: CurrentLabel;
}

/** The label an output takes from a run. */
export interface PropagatedOutput extends DatasetName {
  readonly digest: string;
  readonly label: SensitivityLabel;
  /** Its current label before this run, if any. */
  readonly previous?: CurrentLabel;
  /** The run raises its label (or gives it its first one): a `lineage` label record is due. */
  readonly changed: boolean;
  /** The inputs carrying `label`, when the label came from upstream. */
  readonly from: readonly ResolvedInput[];
}

/** The outcome of propagation over one run. */
export interface Propagation {
  readonly inputs: readonly ResolvedInput[];
  readonly outputs: readonly PropagatedOutput[];
}

/**
 * Propagates sensitivity labels over one run (control D2): each output with a digest takes the
 * highest label among the run's inputs, its own current label and any claimed label; a label is
 * never lowered. An output with `inherit: false` keeps its own (or claimed) label. Inputs named
 * without a digest are linked to the digest they had at `at` (the event time).
 */
export async function propagateLabels(
  store: LineageReader,
  run: {
    readonly inputs: readonly RunDataset[];
    readonly outputs: readonly RunDataset[];
    readonly at: string;
  },
): Promise<Propagation> {
  const inputs: ResolvedInput[] = [];
  for (const input of run.inputs) inputs.push(await resolveInput(store, input, run.at));
  const upstream = highestLabel(inputs.map((i) => i.label));
  const outputs: PropagatedOutput[] = [];
  for (const output of run.outputs) {
    if (output.digest === undefined) continue;
    const previous = await currentLabelOf(store, output.digest);
    const inherit = output.inherit !== false;
    const label = highestLabel([previous?.label, output.claimedLabel, inherit ? upstream : undefined]);
    if (label === undefined) continue;
    const fromUpstream = inherit && upstream === label && isAbove(label, previous?.label);
    outputs.push({
      namespace: output.namespace,
      name: output.name,
      digest: output.digest,
      label,
      ...(previous === undefined ? {} : { previous }),
      changed: isAbove(label, previous?.label),
      from: fromUpstream ? inputs.filter((i) => i.label === label) : [],
    });
  }
  return { inputs, outputs };
}

async function resolveInput(store: LineageReader, input: RunDataset, at: string): Promise<ResolvedInput> {
  const digest = input.digest ?? (await digestAt(store, input, at));
  const stored = digest === undefined ? undefined : await currentLabelOf(store, digest);
  const label = highestLabel([stored?.label, input.claimedLabel]);
  const labelSource = label === undefined ? undefined : stored?.label === label ? stored.source : 'claimed';
  return {
    namespace: input.namespace,
    name: input.name,
    ...(digest === undefined ? {} : { digest }),
    digestInferred: input.digest === undefined && digest !== undefined,
    ...(label === undefined ? {} : { label }),
    ...(labelSource === undefined ? {} : { labelSource }),
    ...(stored === undefined ? {} : { stored }),
  };
}
