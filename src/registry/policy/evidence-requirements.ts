import { evaluateCondition } from './field-condition.js';
import { resolveFieldPath } from './field-path.js';
import {
  compareText,
  isWithin,
  listClauses,
  newestFirst,
  timeOf,
  tooOld,
  type RequirementResult,
} from './fact-order.js';
import type { AttestationRequirement, ReleasePolicyEntry } from './policy-schema.js';
import type { AdmissionFact, LoadedKey, ProvenanceFact, ReleaseFacts } from './release-facts.js';

/** The key ids a requirement trusts, resolved from its key files, and how to name them in reasons. */
export interface TrustedSigners {
  readonly ids: ReadonlySet<string>;
  /** `keys/ci.pub (3f2a…)` for each key file, or `(not loaded)` when the caller gave no id for it. */
  readonly description: string;
}

/**
 * Resolves key files to the ids the caller loaded. A file the caller did not load trusts nothing (fail
 * closed) and is named in the description, so a wiring mistake shows in the decision.
 */
export function trustedSigners(paths: readonly string[], loaded: readonly LoadedKey[]): TrustedSigners {
  const ids = new Set<string>();
  const names: string[] = [];
  for (const path of [...new Set(paths)].sort(compareText)) {
    const keyIds = loaded.filter((key) => key.path === path).map((key) => key.keyId);
    for (const id of keyIds) ids.add(id);
    names.push(keyIds.length > 0 ? `${path} (${keyIds.join(', ')})` : `${path} (not loaded)`);
  }
  return { ids, description: names.join(', ') || 'none' };
}

/** The first of `signerKeyIds` the requirement trusts, if any. */
function trustedSigner(signerKeyIds: readonly string[], trusted: TrustedSigners): string | undefined {
  return [...signerKeyIds].sort(compareText).find((id) => trusted.ids.has(id));
}

/** Training provenance signed by a trusted key, newest first. */
export function trustedProvenance(
  datasets: NonNullable<ReleasePolicyEntry['datasets']>,
  entry: ReleasePolicyEntry,
  facts: ReleaseFacts,
): { readonly signed: readonly ProvenanceFact[]; readonly trusted: TrustedSigners } {
  const trusted = trustedSigners(datasets.provenanceKeys ?? entry.attesters, facts.evidenceKeys);
  const signed = facts.provenance.filter((fact) => trustedSigner(fact.signerKeyIds, trusted) !== undefined);
  return { signed: newestFirst(signed, (fact) => fact.createdAt), trusted };
}

/** Control T1: a training provenance attestation signed by a trusted key exists for the model. */
export function checkProvenance(
  provenance: ReturnType<typeof trustedProvenance>,
  facts: ReleaseFacts,
): RequirementResult {
  const newest = provenance.signed[0];
  if (newest !== undefined) {
    const signer = trustedSigner(newest.signerKeyIds, provenance.trusted) ?? '';
    return {
      id: 'provenance',
      met: true,
      reason: `training provenance ${newest.id} is signed by trusted key ${signer} and names ${newest.datasets.length} dataset(s)`,
    };
  }
  const reason =
    facts.provenance.length === 0
      ? `no training provenance exists for ${facts.model.digest}`
      : `${facts.provenance.length} training provenance attestation(s) exist, but none is signed by a trusted key (${provenance.trusted.description})`;
  return { id: 'provenance', met: false, reason };
}

/**
 * Control D5: every dataset named by trusted provenance has, as its latest admission signed by a
 * trusted key, the verdict `admitted`. A later rejection (a re-scan found PII) overrides an earlier
 * admission; at the same time, rejection wins.
 */
export function checkAdmission(
  datasets: NonNullable<ReleasePolicyEntry['datasets']>,
  entry: ReleasePolicyEntry,
  provenance: ReturnType<typeof trustedProvenance>,
  facts: ReleaseFacts,
): RequirementResult {
  const id = 'dataset-admission';
  if (provenance.signed.length === 0) {
    return {
      id,
      met: false,
      reason: 'the training datasets are unknown: no training provenance signed by a trusted key exists',
    };
  }
  const named = new Map<string, string | undefined>();
  for (const fact of provenance.signed) {
    for (const dataset of fact.datasets) {
      if (!named.has(dataset.digest) || named.get(dataset.digest) === undefined) {
        named.set(dataset.digest, dataset.name);
      }
    }
  }
  if (named.size === 0) {
    return {
      id,
      met: true,
      reason: 'the trusted training provenance names no datasets, so none needs admission',
    };
  }
  const trusted = trustedSigners(datasets.admissionKeys ?? entry.attesters, facts.evidenceKeys);
  const signed = facts.admissions.filter((fact) => trustedSigner(fact.signerKeyIds, trusted) !== undefined);
  const problems: string[] = [];
  const admitted: string[] = [];
  for (const digest of [...named.keys()].sort(compareText)) {
    const name = named.get(digest);
    const label = name === undefined ? `dataset ${digest}` : `dataset ${name} (${digest})`;
    const latest = latestAdmission(signed.filter((fact) => fact.datasetDigest === digest));
    if (latest === undefined) problems.push(`${label} has no admission signed by a trusted key`);
    else if (latest.verdict === 'rejected') problems.push(`${label} was rejected by admission ${latest.id}`);
    else admitted.push(digest);
  }
  if (problems.length > 0) {
    const keys = facts.admissions.length > signed.length ? ` (trusted keys: ${trusted.description})` : '';
    return {
      id,
      met: false,
      reason: `${problems.length} of ${named.size} training dataset(s) lack admission: ${listClauses(problems)}${keys}`,
    };
  }
  return {
    id,
    met: true,
    reason: `all ${named.size} training dataset(s) are admitted: ${listClauses(admitted)}`,
  };
}

function latestAdmission(admissions: readonly AdmissionFact[]): AdmissionFact | undefined {
  const ordered = newestFirst(admissions, (fact) => fact.createdAt);
  const newest = ordered[0];
  if (newest === undefined) return undefined;
  const sameTime = ordered.filter((fact) => timeOf(fact.createdAt) === timeOf(newest.createdAt));
  return sameTime.find((fact) => fact.verdict === 'rejected') ?? newest;
}

/**
 * Control V4: the latest attestation of the type that is signed by a trusted key, names the model
 * digest as its subject and is within `maxAge` meets every condition. Later evidence supersedes
 * earlier: a failing red-team run after a passing one refuses.
 */
export function checkAttestation(
  requirement: AttestationRequirement,
  entry: ReleasePolicyEntry,
  facts: ReleaseFacts,
): RequirementResult {
  const id = `attestation:${requirement.type}` as const;
  const trusted = trustedSigners(requirement.keys ?? entry.attesters, facts.evidenceKeys);
  const ofType = facts.attestations.filter((fact) => fact.predicateType === requirement.type);
  const signed = ofType.filter((fact) => trustedSigner(fact.signerKeyIds, trusted) !== undefined);
  const about = signed.filter((fact) => isAbout(fact.statement, requirement.type, facts.model.digest));
  const newest = newestFirst(about, (fact) => fact.createdAt)[0];
  const unmet = (reason: string): RequirementResult => ({ id, met: false, reason });
  if (ofType.length === 0) return unmet(`no ${requirement.type} attestation exists for this model`);
  if (signed.length === 0) {
    return unmet(
      `${ofType.length} ${requirement.type} attestation(s) exist, but none is signed by a trusted key (${trusted.description})`,
    );
  }
  if (newest === undefined) {
    return unmet(`no trusted ${requirement.type} attestation has ${facts.model.digest} as its subject`);
  }
  if (!isWithin(newest.createdAt, requirement.maxAge, facts.now)) {
    return unmet(
      tooOld(
        `the latest trusted ${requirement.type} attestation (${newest.id})`,
        newest.createdAt,
        requirement.maxAge ?? 0,
      ),
    );
  }
  const signer = trustedSigner(newest.signerKeyIds, trusted) ?? '';
  const results = requirement.where.map((condition) => evaluateCondition(condition, newest.statement));
  const failed = results.filter((result) => !result.met);
  const subject = `attestation ${newest.id} (signed by trusted key ${signer})`;
  if (failed.length > 0) {
    return unmet(
      `${subject} fails ${failed.length} of ${results.length} condition(s): ${listClauses(failed.map((r) => r.reason))}`,
    );
  }
  const met = results.length === 0 ? '' : `: ${listClauses(results.map((r) => r.reason))}`;
  return { id, met: true, reason: `${subject} meets all ${results.length} condition(s)${met}` };
}

/** Tells whether a statement has the predicate type and lists the digest among its subjects. */
function isAbout(statement: unknown, predicateType: string, digest: string): boolean {
  const type = resolveFieldPath(statement, [{ kind: 'key', name: 'predicateType' }]);
  if (!type.found || type.value !== predicateType) return false;
  const subjects = resolveFieldPath(statement, [{ kind: 'key', name: 'subject' }]);
  if (!subjects.found || !Array.isArray(subjects.value)) return false;
  const hex = digest.startsWith('sha256:') ? digest.slice('sha256:'.length).toLowerCase() : undefined;
  if (hex === undefined) return false;
  return subjects.value.some((_subject, index) => {
    const found = resolveFieldPath(subjects.value, [
      { kind: 'index', index },
      { kind: 'key', name: 'digest' },
      { kind: 'key', name: 'sha256' },
    ]);
    return found.found && typeof found.value === 'string' && found.value.toLowerCase() === hex;
  });
}
