import type { Finding, JsonValue, Location } from '../core/findings.js';
import { FindingCollector } from '../models/finding-collector.js';
import type { ClusterReport, VectorReport } from './analyze-vectors.js';
import type { InvalidVector } from './vector-ingest.js';
import {
  DUPLICATE_VECTOR_ID,
  DUPLICATE_VECTORS,
  FAR_VECTOR_CLUSTER,
  INVALID_VECTOR,
  ISOLATED_VECTOR,
  NEAR_DUPLICATE_VECTORS,
  TIGHT_VECTOR_CLUSTER,
  VECTOR_FILE_MALFORMED,
  VECTOR_LIMIT_REACHED,
  VECTOR_NORM_ANOMALY,
  VECTOR_RECORD_MALFORMED,
} from './vector-rules.js';
import { clipId, describeVector, type VectorProblem } from './vector-types.js';

/** How findings are located and how much they list. */
export interface VectorFindingOptions {
  /** Path of the file, relative to the scan root. */
  readonly path: string;
  /** Findings kept per rule (default 100; the rest are summarized in one finding). */
  readonly maxPerRule?: number;
  /** Vectors listed in one group finding's evidence (default 20; the full count is always given). */
  readonly maxListed?: number;
}

type Input = Parameters<FindingCollector['add']>[1];

/**
 * Turns a vector report into findings of the BW-VEC rules: JSONL vectors are located by line, .npy
 * vectors by row (1-based; messages give the 0-based array index). Groups are one finding each,
 * located at their second member (the first repeat) with the members listed in the evidence.
 */
export function vectorFindings(report: VectorReport, options: VectorFindingOptions): Finding[] {
  const { table, format } = report;
  const maxListed = options.maxListed ?? 20;
  const locate = (index: number): Location => {
    const line = table.line(index);
    return line === undefined ? { path: options.path, row: index + 1 } : { path: options.path, line };
  };
  const name = (index: number): string => describeVector(table.id(index), format);
  const listed = (members: readonly number[]): { [key: string]: JsonValue } => {
    const shown = members.slice(0, maxListed);
    const ids = shown.map((i) => {
      const id = table.id(i);
      return typeof id === 'string' ? clipId(id) : id;
    });
    if (format === 'npy') return { size: members.length, ids, rows: shown };
    return { size: members.length, ids, lines: shown.map((i) => table.line(i) ?? 0) };
  };
  const out = new FindingCollector(options.maxPerRule);
  for (const problem of report.problems) out.add(...problemFinding(problem, options.path));
  if (report.problemsOmitted > 0)
    out.add(VECTOR_RECORD_MALFORMED, {
      message: `${report.problemsOmitted} more malformed lines were not recorded`,
      location: { path: options.path },
      evidence: { omitted: report.problemsOmitted },
    });
  for (const invalid of report.invalid)
    out.add(INVALID_VECTOR, invalidInput(invalid, report.dimension, locate, name));
  for (const group of report.exactGroups) {
    const [first = 0, second = 0] = group;
    out.add(DUPLICATE_VECTORS, {
      message: `${name(second)} repeats ${name(first)}${more(group.length - 2, 'vector')}`,
      location: locate(second),
      evidence: listed(group),
    });
  }
  for (const group of report.nearDuplicates?.groups ?? []) {
    const [first = 0, second = 0] = group.members;
    out.add(NEAR_DUPLICATE_VECTORS, {
      message: `${name(second)} nearly repeats ${name(first)} (cosine ≥ ${group.minCosine})${more(group.members.length - 2, 'vector')}`,
      location: locate(second),
      evidence: { ...listed(group.members), minCosine: group.minCosine },
    });
  }
  const norms = report.norms;
  for (const anomaly of norms?.anomalies ?? []) {
    const norm = round(anomaly.norm);
    const against =
      norms?.mode === 'unit'
        ? 'in a set of unit-length vectors'
        : norms?.mode === 'fixed'
          ? `in a set whose vectors all have norm ${norms.median}`
          : `against a median of ${norms?.median ?? 0} (robust z ${oneDecimal(anomaly.z)})`;
    out.add(VECTOR_NORM_ANOMALY, {
      message: `${name(anomaly.index)} has norm ${norm} ${against}`,
      location: locate(anomaly.index),
      severity: anomaly.z > 0 ? 'medium' : 'low',
      evidence: { norm, median: norms?.median ?? 0, mode: norms?.mode ?? 'spread', z: anomaly.z },
    });
  }
  const density = report.density;
  const typical = density?.medianDistance ?? 0;
  for (const outlier of density?.outliers ?? []) {
    const ratio = ratioOf(outlier.distance, typical);
    out.add(ISOLATED_VECTOR, {
      message:
        `${name(outlier.index)} lies apart from the rest: its ${ordinal(density?.neighbours ?? 0)}-nearest reference ` +
        `is ${ratio}× as far as a typical vector's (robust z ${oneDecimal(outlier.z)})`,
      location: locate(outlier.index),
      evidence: { distanceRatio: ratio, distance: outlier.distance, typicalDistance: typical, z: outlier.z },
    });
  }
  for (const cluster of report.clusters) out.add(...clusterInput(cluster, typical, name, locate, listed));
  if (report.nearDuplicates?.isTruncated === true)
    out.add(VECTOR_LIMIT_REACHED, {
      message: `the near-duplicate search kept its maximum of ${report.nearDuplicates.candidates} candidate pairs; later pairs were not compared`,
      location: { path: options.path },
      evidence: { candidates: report.nearDuplicates.candidates },
    });
  if ((density?.omitted ?? 0) > 0)
    out.add(VECTOR_LIMIT_REACHED, {
      message: `${density?.omitted ?? 0} density outliers beyond the strongest were not grouped or listed`,
      location: { path: options.path },
      evidence: { omitted: density?.omitted ?? 0 },
    });
  if (report.invalidOmitted > 0)
    out.add(INVALID_VECTOR, {
      message: `${report.invalidOmitted} more invalid vectors were not recorded`,
      location: { path: options.path },
      evidence: { omitted: report.invalidOmitted },
    });
  for (const members of report.duplicateIds) {
    const [first = 0, second = 0] = members;
    const id = table.id(first);
    const where = members.map((i) => table.line(i) ?? i + 1);
    out.add(DUPLICATE_VECTOR_ID, {
      message: `id ${JSON.stringify(typeof id === 'string' ? clipId(id) : id)} is given to ${members.length} vectors (lines ${where.slice(0, 5).join(', ')}${members.length > 5 ? ', …' : ''})`,
      location: locate(second),
      evidence: listed(members),
    });
  }
  return out.list();
}

function problemFinding(problem: VectorProblem, path: string): Parameters<FindingCollector['add']> {
  switch (problem.kind) {
    case 'bad-record':
      return [VECTOR_RECORD_MALFORMED, { message: problem.message, location: { path, line: problem.line } }];
    case 'limit':
      return [
        VECTOR_LIMIT_REACHED,
        {
          message: problem.message,
          location: {
            path,
            ...(problem.line === undefined ? {} : { line: problem.line }),
            ...(problem.row === undefined ? {} : { row: problem.row }),
          },
          evidence: { limit: problem.limit },
        },
      ];
    case 'trailing-data':
      return [
        VECTOR_FILE_MALFORMED,
        { message: problem.message, location: { path, offset: problem.offset }, severity: 'low' },
      ];
  }
}

function invalidInput(
  invalid: InvalidVector,
  dimension: number,
  locate: (index: number) => Location,
  name: (index: number) => string,
): Input {
  const what =
    invalid.reason === 'non-finite'
      ? `holds ${invalid.count} NaN, infinite or null component${invalid.count === 1 ? '' : 's'}`
      : invalid.reason === 'zero'
        ? 'is all zeros, so it has no direction'
        : `has ${invalid.count} dimensions where the file's vectors have ${dimension}`;
  return {
    message: `${name(invalid.index)} ${what}`,
    location: locate(invalid.index),
    evidence: { reason: invalid.reason, ...(invalid.reason === 'zero' ? {} : { count: invalid.count }) },
  };
}

function clusterInput(
  cluster: ClusterReport,
  typical: number,
  name: (index: number) => string,
  locate: (index: number) => Location,
  listed: (members: readonly number[]) => { [key: string]: JsonValue },
): Parameters<FindingCollector['add']> {
  const first = cluster.members[0] ?? 0;
  const size = cluster.members.length;
  const who = `${size} vectors (${name(first)} and ${size - 1} more, listed in the evidence)`;
  const evidence = { ...listed(cluster.members), meanCosine: cluster.meanCosine, z: cluster.z };
  if (cluster.kind === 'far') {
    const ratio = ratioOf(cluster.distance, typical);
    return [
      FAR_VECTOR_CLUSTER,
      {
        message:
          `${who} form a small cluster apart from the rest: mean cosine ${cluster.meanCosine} between them, ` +
          `while their neighbours outside are ${ratio}× as far as a typical vector's`,
        location: locate(first),
        evidence: { ...evidence, distanceRatio: ratio },
      },
    ];
  }
  return [
    TIGHT_VECTOR_CLUSTER,
    {
      message:
        `${who} are packed far tighter than the rest (mean cosine ${cluster.meanCosine} between them): ` +
        'embedding-collision poisoning looks like this',
      location: locate(first),
      evidence,
    },
  ];
}

/** How many times `typical` the distance is, to two digits. */
function ratioOf(distance: number, typical: number): number {
  return typical > 0 ? Math.round((distance / typical) * 10) / 10 : 0;
}

function oneDecimal(value: number): string {
  return value.toFixed(1);
}

function more(count: number, noun: string): string {
  return count > 0 ? `, as do ${count} more ${noun}${count === 1 ? '' : 's'}` : '';
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function round(value: number): number {
  return Number(value.toPrecision(6));
}
