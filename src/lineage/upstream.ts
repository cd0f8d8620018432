import type { SensitivityLabel } from '../data/types.js';
import type { LineageEventRecord } from '../store/store.js';
import { sameDatasetName, type DatasetName } from './dataset-name.js';
import type { LineageDatasetNode, LineageRunNode, LineageShow } from './lineage-schema.js';
import {
  currentLabelOf,
  digestAt,
  highestLabel,
  isAbove,
  DECLASSIFYING_SOURCES,
  type LineageReader,
} from './propagate.js';

/** Limits of the upstream walk of `lineage show`. */
export interface WalkLimits {
  /** Levels of datasets below the one asked about (default 32). */
  readonly maxDepth?: number;
  /** Datasets in the whole tree (default 500). */
  readonly maxNodes?: number;
  /** Runs shown per dataset version, newest first (default 20). */
  readonly maxRuns?: number;
}

/** A dataset to explain: by digest, by OpenLineage name, or both. */
export interface DatasetQuery {
  readonly namespace?: string;
  readonly name?: string;
  readonly digest?: string;
}

const EVENTS_PER_QUERY = 1000;

/**
 * Explains a dataset's label (controls D2, D8): walks upstream through the stored run events that
 * produced it, their inputs, the runs that produced those, and so on; gives each dataset its stored
 * label, the highest label reaching it from upstream and the label it must carry; and names the
 * upstream dataset the effective label comes from.
 */
export async function explainDataset(
  store: LineageReader,
  query: DatasetQuery,
  limits: WalkLimits = {},
): Promise<LineageShow> {
  const walk = new Walk(store, {
    maxDepth: limits.maxDepth ?? 32,
    maxNodes: limits.maxNodes ?? 500,
    maxRuns: limits.maxRuns ?? 20,
  });
  let root = query;
  if (root.digest === undefined && root.namespace !== undefined && root.name !== undefined) {
    const digest = await digestAt(store, { namespace: root.namespace, name: root.name });
    if (digest !== undefined) root = { ...root, digest };
  }
  const dataset = await walk.visit(root, query.digest === undefined && root.digest !== undefined, 0, []);
  const origin = originOf(dataset, (node) => walk.full(node));
  return { dataset, ...(origin === undefined ? {} : { origin }), truncated: walk.truncated };
}

type Key = string;

class Walk {
  truncated = false;
  #nodes = 0;
  readonly #done = new Map<Key, LineageDatasetNode>();

  /** The fully walked node of a dataset shown as `repeated`. */
  full(node: LineageDatasetNode): LineageDatasetNode | undefined {
    return this.#done.get(keyOf(node));
  }

  constructor(
    private readonly store: LineageReader,
    private readonly limits: Required<WalkLimits>,
  ) {}

  async visit(
    query: DatasetQuery,
    digestInferred: boolean,
    depth: number,
    path: Key[],
  ): Promise<LineageDatasetNode> {
    const key = keyOf(query);
    this.#nodes += 1;
    const label = query.digest === undefined ? undefined : await currentLabelOf(this.store, query.digest);
    const base = {
      ...(query.namespace === undefined ? {} : { namespace: query.namespace }),
      ...(query.name === undefined ? {} : { name: query.name }),
      ...(query.digest === undefined ? {} : { digest: query.digest }),
      ...(digestInferred ? { digestInferred: true } : {}),
      ...(label === undefined
        ? {}
        : {
            label: {
              label: label.label,
              source: label.source,
              ...(label.sourceId === undefined ? {} : { sourceId: label.sourceId }),
              createdAt: label.createdAt,
            },
          }),
    };
    const seen = this.#done.get(key);
    const onPath = path.includes(key);
    const tooDeep = depth >= this.limits.maxDepth || this.#nodes > this.limits.maxNodes;
    if (seen !== undefined || onPath || tooDeep) {
      if (tooDeep && seen === undefined && !onPath) this.truncated = true;
      return finish(base, seen?.upstreamLabel, [], true);
    }
    const runs: LineageRunNode[] = [];
    for (const events of await this.producingRuns(query)) {
      runs.push(await this.runNode(events, depth, [...path, key]));
    }
    const upstream = highestLabel(runs.flatMap((r) => r.inputs.map((i) => i.effectiveLabel)));
    const node = finish(base, upstream, runs, false);
    this.#done.set(key, node);
    return node;
  }

  /** Stored events whose outputs include this dataset version, grouped by run, newest run first. */
  async producingRuns(query: DatasetQuery): Promise<LineageEventRecord[][]> {
    const found = new Map<string, LineageEventRecord>();
    if (query.digest !== undefined) {
      for (const e of await this.store.listLineageEvents({ digest: query.digest, limit: EVENTS_PER_QUERY }))
        found.set(e.id, e);
    }
    const named = namedOf(query);
    if (named !== undefined) {
      for (const e of await this.store.listLineageEvents({ dataset: named, limit: EVENTS_PER_QUERY }))
        found.set(e.id, e);
    }
    const runs = new Map<string, LineageEventRecord[]>();
    const newestFirst = [...found.values()].sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
    for (const event of newestFirst) {
      if (!event.datasets.some((d) => d.direction === 'output' && produces(d, query))) continue;
      const list = runs.get(event.runId) ?? [];
      list.push(event);
      runs.set(event.runId, list);
    }
    return [...runs.values()].slice(0, this.limits.maxRuns);
  }

  async runNode(events: LineageEventRecord[], depth: number, path: Key[]): Promise<LineageRunNode> {
    const newest = events[0] as LineageEventRecord;
    const inputs: { namespace: string; name: string; digest?: string }[] = [];
    for (const event of events) {
      for (const d of event.datasets) {
        if (d.direction !== 'input') continue;
        const known = inputs.find((i) => sameDatasetName(i, d));
        if (known === undefined)
          inputs.push({ namespace: d.namespace, name: d.name, ...(d.digest ? { digest: d.digest } : {}) });
        else if (known.digest === undefined && d.digest !== undefined) known.digest = d.digest;
      }
    }
    const nodes: LineageDatasetNode[] = [];
    for (const input of inputs) {
      const digest = input.digest ?? (await digestAt(this.store, input, newest.eventTime));
      const query = {
        namespace: input.namespace,
        name: input.name,
        ...(digest === undefined ? {} : { digest }),
      };
      nodes.push(
        await this.visit(query, input.digest === undefined && digest !== undefined, depth + 1, path),
      );
    }
    return {
      runId: newest.runId,
      job: { namespace: newest.jobNamespace, name: newest.jobName },
      eventTypes: [...new Set(events.map((e) => e.eventType))],
      eventTime: newest.eventTime,
      producer: newest.producer,
      inputs: nodes,
    };
  }
}

function keyOf(query: DatasetQuery): Key {
  return query.digest ?? `${query.namespace ?? ''}\u0000${query.name ?? ''}`;
}

function namedOf(query: DatasetQuery): DatasetName | undefined {
  return query.namespace === undefined || query.name === undefined
    ? undefined
    : { namespace: query.namespace, name: query.name };
}

/** An output names this version: same digest, or (without a digest in the event) the same name. */
function produces(
  output: { namespace: string; name: string; digest?: string },
  query: DatasetQuery,
): boolean {
  if (query.digest !== undefined && output.digest === query.digest) return true;
  const named = namedOf(query);
  if (named === undefined || !sameDatasetName(output, named)) return false;
  return output.digest === undefined || query.digest === undefined;
}

function finish(
  base: Omit<LineageDatasetNode, 'declassified' | 'stale' | 'producedBy'>,
  upstream: SensitivityLabel | undefined,
  producedBy: LineageRunNode[],
  repeated: boolean,
): LineageDatasetNode {
  const own = base.label;
  const declassified =
    own !== undefined &&
    DECLASSIFYING_SOURCES.includes(own.source) &&
    upstream !== undefined &&
    isAbove(upstream, own.label);
  const effective = declassified ? own.label : highestLabel([own?.label, upstream]);
  return {
    ...base,
    ...(upstream === undefined ? {} : { upstreamLabel: upstream }),
    ...(effective === undefined ? {} : { effectiveLabel: effective }),
    declassified,
    stale: !declassified && upstream !== undefined && isAbove(upstream, own?.label),
    ...(repeated ? { repeated: true } : {}),
    producedBy,
  };
}

/** Follows the effective label upstream to the first dataset whose own label is not a propagated one. */
function originOf(
  root: LineageDatasetNode,
  full: (node: LineageDatasetNode) => LineageDatasetNode | undefined,
): LineageShow['origin'] {
  const target = root.effectiveLabel;
  if (target === undefined) return undefined;
  const via: string[] = [];
  const passed = new Set<LineageDatasetNode>();
  let node = root;
  for (;;) {
    passed.add(node);
    const own = node.label;
    const ownIsOrigin = own !== undefined && own.label === target && own.source !== 'lineage';
    const step = ownIsOrigin ? undefined : stepUpstream(node, target);
    const next =
      step === undefined
        ? undefined
        : { run: step.run, input: (step.input.repeated ? full(step.input) : undefined) ?? step.input };
    if (next !== undefined && passed.has(next.input)) return undefined;
    if (next === undefined) {
      return {
        ...(node.namespace === undefined ? {} : { namespace: node.namespace }),
        ...(node.name === undefined ? {} : { name: node.name }),
        ...(node.digest === undefined ? {} : { digest: node.digest }),
        label: target,
        source: own?.label === target ? own.source : 'unknown',
        via: via.reverse(),
      };
    }
    via.push(`${next.run.job.namespace}/${next.run.job.name}`);
    node = next.input;
  }
}

function stepUpstream(
  node: LineageDatasetNode,
  target: SensitivityLabel,
): { run: LineageRunNode; input: LineageDatasetNode } | undefined {
  for (const run of node.producedBy) {
    const input = run.inputs.find((i) => i.effectiveLabel === target);
    if (input !== undefined) return { run, input };
  }
  return undefined;
}
