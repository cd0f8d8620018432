import { DATASET_ADMISSION_PREDICATE, TRAINING_PROVENANCE_PREDICATE } from '../core/predicate-types.js';
import { currentDatasetLabel } from '../data/labels.js';
import type { AttestationRecord, ModelVersionRecord, Store } from '../store/store.js';
import { scanIdsOf } from './release-gate.js';

/** One input of a training run as its provenance names it. */
export interface LineageInput {
  readonly role: string;
  readonly name?: string;
  readonly uri?: string;
  readonly digest?: string;
  /** Registry versions holding exactly these bytes (for base models). */
  readonly registry?: readonly string[];
  /** Admission verdicts recorded for a dataset, newest first. */
  readonly admissions?: readonly { readonly verdict: string; readonly createdAt: string }[];
  /** Sensitivity label recorded with the dataset artifact, when there is one. */
  readonly sensitivity?: string;
}

/** The lineage of a model version, read from the registry and the stored attestations. */
export interface Lineage {
  readonly model: { readonly name: string; readonly version: string; readonly digest: string };
  readonly aliases: readonly string[];
  readonly signatures: number;
  readonly scans: readonly string[];
  readonly provenance: readonly {
    readonly attestation: string;
    readonly createdAt: string;
    readonly signedBy: readonly string[];
    readonly builder?: string;
    readonly parameters?: unknown;
    readonly inputs: readonly LineageInput[];
  }[];
  /** Versions whose training provenance names this version's bytes as a base model. */
  readonly derived: readonly string[];
}

interface Dependency {
  name?: unknown;
  uri?: unknown;
  digest?: { sha256?: unknown; gitCommit?: unknown };
  annotations?: { role?: unknown };
}

/** Decodes the statement inside a stored DSSE envelope, or undefined when it is not readable. */
export function statementOf(record: AttestationRecord): Record<string, unknown> | undefined {
  try {
    const envelope = JSON.parse(record.envelope) as { payload?: unknown };
    if (typeof envelope.payload !== 'string') return undefined;
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as unknown;
    return typeof statement === 'object' && statement !== null
      ? (statement as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function dependenciesOf(statement: Record<string, unknown>): Dependency[] {
  const predicate = statement['predicate'] as
    { buildDefinition?: { resolvedDependencies?: unknown } } | undefined;
  const deps = predicate?.buildDefinition?.resolvedDependencies;
  return Array.isArray(deps) ? (deps.filter((d) => typeof d === 'object' && d !== null) as Dependency[]) : [];
}

function digestOf(dep: Dependency): string | undefined {
  const hex = dep.digest?.sha256;
  return typeof hex === 'string' && /^[0-9a-f]{64}$/.test(hex) ? `sha256:${hex}` : undefined;
}

/**
 * Builds a version's lineage (control D8/T1): its training provenance (datasets with their admission
 * verdicts and labels, base models resolved to registry versions, code), its aliases, and the versions
 * trained from it. Informational: the release gate, not this view, re-verifies signatures.
 */
export async function lineageOf(store: Store, version: ModelVersionRecord): Promise<Lineage> {
  const aliases = (await store.listModelAliases({ name: version.name }))
    .filter((a) => a.version === version.version)
    .map((a) => a.alias);
  const signatures = (await store.listModelSignatures(version.name, version.version)).length;
  const records = await store.listAttestations({
    subjectDigest: version.digest,
    predicateType: TRAINING_PROVENANCE_PREDICATE,
    limit: 1000,
  });
  const provenance = [];
  for (const record of records) {
    const statement = statementOf(record);
    if (statement === undefined) continue;
    const inputs: LineageInput[] = [];
    for (const dep of dependenciesOf(statement)) {
      const digest = digestOf(dep);
      const role = typeof dep.annotations?.role === 'string' ? dep.annotations.role : 'input';
      const input: Record<string, unknown> = { role };
      if (typeof dep.name === 'string') input['name'] = dep.name;
      if (typeof dep.uri === 'string') input['uri'] = dep.uri;
      if (digest !== undefined) input['digest'] = digest;
      else if (typeof dep.digest?.gitCommit === 'string')
        input['digest'] = `gitCommit:${dep.digest.gitCommit}`;
      if (digest !== undefined && role === 'base-model') {
        const held = await store.listModelVersions({ digest, limit: 100 });
        input['registry'] = held.map((v) => `${v.name}@${v.version}`);
      }
      if (digest !== undefined && role === 'dataset') {
        const admissions = await store.listAttestations({
          subjectDigest: digest,
          predicateType: DATASET_ADMISSION_PREDICATE,
          limit: 100,
        });
        input['admissions'] = admissions.map((a) => {
          const verdict = (statementOf(a)?.['predicate'] as { verdict?: unknown } | undefined)?.verdict;
          return { verdict: typeof verdict === 'string' ? verdict : 'unreadable', createdAt: a.createdAt };
        });
        const sensitivity = await currentDatasetLabel(store, digest);
        if (sensitivity !== undefined) input['sensitivity'] = sensitivity;
      }
      inputs.push(input as unknown as LineageInput);
    }
    const predicate = statement['predicate'] as
      | { runDetails?: { builder?: { id?: unknown } }; buildDefinition?: { externalParameters?: unknown } }
      | undefined;
    const builder = predicate?.runDetails?.builder?.id;
    provenance.push({
      attestation: record.payloadDigest,
      createdAt: record.createdAt,
      signedBy: record.keyIds,
      ...(typeof builder === 'string' ? { builder } : {}),
      ...(predicate?.buildDefinition?.externalParameters === undefined
        ? {}
        : { parameters: predicate.buildDefinition.externalParameters }),
      inputs,
    });
  }
  const derived = new Set<string>();
  const all = await store.listAttestations({ predicateType: TRAINING_PROVENANCE_PREDICATE, limit: 10_000 });
  for (const record of all) {
    const statement = statementOf(record);
    if (statement === undefined) continue;
    const usesThis = dependenciesOf(statement).some(
      (dep) => dep.annotations?.role === 'base-model' && digestOf(dep) === version.digest,
    );
    if (!usesThis) continue;
    for (const v of await store.listModelVersions({ digest: record.subjectDigest, limit: 100 })) {
      derived.add(`${v.name}@${v.version}`);
    }
  }
  return {
    model: { name: version.name, version: version.version, digest: version.digest },
    aliases,
    signatures,
    scans: scanIdsOf(version),
    provenance,
    derived: [...derived].sort(),
  };
}

/** Lineage as text for a terminal. */
export function renderLineage(lineage: Lineage): string {
  const { model } = lineage;
  const lines = [
    `${model.name}@${model.version}  ${model.digest}`,
    `  aliases     ${lineage.aliases.join(', ') || 'none'}`,
    `  signatures  ${lineage.signatures}`,
    `  scans       ${lineage.scans.join(', ') || 'none'}`,
  ];
  if (lineage.provenance.length === 0) lines.push('  provenance  none recorded (bulwark attest training)');
  for (const p of lineage.provenance) {
    lines.push(
      `  trained     (attestation ${p.attestation}, ${p.createdAt}, signed by ${p.signedBy.join(', ')})`,
    );
    for (const input of p.inputs) {
      const extra: string[] = [];
      if (input.registry && input.registry.length > 0) extra.push(`registry ${input.registry.join(', ')}`);
      if (input.admissions !== undefined)
        extra.push(
          input.admissions.length === 0
            ? 'NOT ADMITTED'
            : `admission ${input.admissions.map((a) => a.verdict).join(', ')}`,
        );
      if (input.sensitivity) extra.push(`label ${input.sensitivity}`);
      lines.push(
        `    ${input.role.padEnd(10)} ${input.name ?? input.uri ?? ''} ${input.digest ?? ''}${extra.length > 0 ? `  (${extra.join('; ')})` : ''}`,
      );
    }
  }
  lines.push(`  derived     ${lineage.derived.join(', ') || 'none'}`);
  return `${lines.join('\n')}\n`;
}
