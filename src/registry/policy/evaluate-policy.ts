import { isAtOrAbove, SEVERITIES, type Severity } from '../../core/severity.js';
import {
  checkAdmission,
  checkAttestation,
  checkProvenance,
  trustedProvenance,
} from './evidence-requirements.js';
import {
  compareText,
  isWithin,
  listClauses,
  newestFirst,
  tooOld,
  type RequirementResult,
} from './fact-order.js';
import type { ReleasePolicyEntry, ReleaseSettings } from './policy-schema.js';
import type { ReleaseFacts, ReleaseModel, ScanFact, SignatureFact } from './release-facts.js';
import { selectReleasePolicy } from './select-policy.js';

export type { RequirementId, RequirementResult } from './fact-order.js';

/** The outcome of a release check, shaped for the CLI, the gateway and the audit log. */
export interface ReleaseDecision {
  readonly allowed: boolean;
  readonly alias: string;
  readonly model: ReleaseModel;
  /** Which part of `bulwark.yaml` decided: `release.policies[<n>]` or `release.defaultPolicy`. */
  readonly policy: string;
  /** The entry's `name`, when it has one. */
  readonly policyName?: string;
  /** Every requirement of the entry, met or not, in evaluation order. */
  readonly requirements: readonly RequirementResult[];
  /** One line for terminals and the decision record. */
  readonly summary: string;
}

/**
 * Decides whether a model version may be promoted or deployed to an alias (controls R6 and V4): the
 * first policy entry naming the alias applies, and every one of its requirements is evaluated — no
 * short cut — in a fixed order: signature, scan, provenance, dataset admission, then attestations in
 * the order written. Allowed only when all are met; an alias no entry names gets
 * `release.defaultPolicy`. Pure and deterministic: the same facts always give the same decision.
 */
export function evaluateRelease(release: ReleaseSettings, facts: ReleaseFacts): ReleaseDecision {
  const { alias, model } = facts;
  const subject = `${model.name}@${model.version}`;
  const selected = selectReleasePolicy(release, alias);
  if (selected === undefined) {
    const allowed = release.defaultPolicy === 'allow';
    const reason = `no entry of release.policies names alias "${alias}", and release.defaultPolicy is ${release.defaultPolicy}`;
    return {
      allowed,
      alias,
      model,
      policy: 'release.defaultPolicy',
      requirements: [{ id: 'default-policy', met: allowed, reason }],
      summary: `${subject} ${allowed ? 'may be released to' : 'is refused for'} ${alias}: ${reason}`,
    };
  }
  const requirements = evaluateEntry(selected.entry, facts);
  const unmet = requirements.filter((requirement) => !requirement.met);
  const allowed = unmet.length === 0;
  const under = `under ${selected.label}${selected.entry.name === undefined ? '' : ` (${selected.entry.name})`}`;
  const summary = allowed
    ? `${subject} may be released to ${alias} ${under}: ${requirements.length === 0 ? 'the entry sets no requirements' : `all ${requirements.length} requirement(s) met`}`
    : `${subject} is refused for ${alias} ${under}: ${unmet.map((requirement) => requirement.id).join(', ')} not met`;
  return {
    allowed,
    alias,
    model,
    policy: selected.label,
    ...(selected.entry.name === undefined ? {} : { policyName: selected.entry.name }),
    requirements,
    summary,
  };
}

function evaluateEntry(entry: ReleasePolicyEntry, facts: ReleaseFacts): RequirementResult[] {
  const results: RequirementResult[] = [];
  if (entry.signature !== undefined) results.push(checkSignature(facts));
  if (entry.scan !== undefined) results.push(checkScan(entry.scan, facts));
  const { datasets } = entry;
  if (datasets !== undefined && (datasets.requireProvenance || datasets.requireAdmission)) {
    const provenance = trustedProvenance(datasets, entry, facts);
    if (datasets.requireProvenance) results.push(checkProvenance(provenance, facts));
    if (datasets.requireAdmission) results.push(checkAdmission(datasets, entry, provenance, facts));
  }
  for (const requirement of entry.attestations) results.push(checkAttestation(requirement, entry, facts));
  return results;
}

/**
 * Control R6, "no signature, no deploy": at least one stored OMS signature both leads to the entry's
 * trust material and signs a manifest that matches the stored bytes.
 */
function checkSignature(facts: ReleaseFacts): RequirementResult {
  const signatures = [...facts.signatures].sort((a, b) => compareText(a.id, b.id));
  const good = signatures.find((signature) => signature.trusted && signature.matchesBytes === true);
  if (good !== undefined) {
    return {
      id: 'signature',
      met: true,
      reason: `OMS signature ${good.id} by ${signerOf(good)} is trusted and matches the stored bytes`,
    };
  }
  if (signatures.length === 0) {
    return {
      id: 'signature',
      met: false,
      reason: `the model is unsigned: no OMS signature is stored for ${facts.model.digest}`,
    };
  }
  const problems = signatures.map((signature) => {
    const faults = [
      ...(signature.trusted ? [] : ['is not trusted']),
      ...(signature.matchesBytes === false
        ? ['does not match the stored bytes (they changed after signing)']
        : []),
      ...(signature.trusted && signature.matchesBytes === undefined
        ? ['was not compared with the stored bytes']
        : []),
    ];
    const why = signature.reason === undefined ? '' : ` (${signature.reason})`;
    return `${signature.id} by ${signerOf(signature)} ${faults.join(' and ')}${why}`;
  });
  return {
    id: 'signature',
    met: false,
    reason: `no OMS signature is both trusted and over the stored bytes: ${listClauses(problems, 5)}`,
  };
}

function signerOf(signature: SignatureFact): string {
  const key = signature.keyId === undefined ? undefined : `key ${signature.keyId}`;
  if (signature.signer !== undefined) {
    const issuer = signature.issuer === undefined ? '' : ` from ${signature.issuer}`;
    return `${signature.signer}${issuer}${key === undefined ? '' : ` (${key})`}`;
  }
  return key ?? `an unidentified ${signature.method} signer`;
}

/**
 * Control R1 as a gate: the latest scan of exactly these bytes (within `maxAge`) has no finding at or
 * above `failOn`. A later scan supersedes an earlier one, so new rules can revoke a clean result.
 */
function checkScan(scan: NonNullable<ReleasePolicyEntry['scan']>, facts: ReleaseFacts): RequirementResult {
  const { digest } = facts.model;
  const ofBytes = newestFirst(
    facts.scans.filter((fact) => fact.digest === digest),
    (fact) => fact.finishedAt,
  );
  const latest = ofBytes[0];
  const optional = scan.required ? '' : '; scan.required is false';
  if (latest === undefined) {
    const others =
      facts.scans.length > 0 ? ` (${facts.scans.length} scan(s) of other bytes do not count)` : '';
    return {
      id: 'scan',
      met: !scan.required,
      reason: `no model scan of ${digest} exists${others}${optional}`,
    };
  }
  if (!isWithin(latest.finishedAt, scan.maxAge, facts.now)) {
    const reason = tooOld(
      `the latest scan of these bytes (${latest.id})`,
      latest.finishedAt,
      scan.maxAge ?? 0,
    );
    return { id: 'scan', met: !scan.required, reason: `${reason}${optional}` };
  }
  const blocking = SEVERITIES.filter(
    (severity) => isAtOrAbove(severity, scan.failOn) && hasFindings(latest, severity),
  );
  const counts = describeCounts(latest);
  if (blocking.length > 0) {
    return {
      id: 'scan',
      met: false,
      reason: `scan ${latest.id} (${latest.finishedAt}) found ${describeCounts(latest, blocking)} finding(s), at or above ${scan.failOn} (all: ${counts})`,
    };
  }
  return {
    id: 'scan',
    met: true,
    reason: `scan ${latest.id} (${latest.finishedAt}) found nothing at or above ${scan.failOn} (${counts})`,
  };
}

/** Fails closed: any count that is not plainly zero (NaN, negative, fractional) is treated as findings. */
function hasFindings(scan: ScanFact, severity: Severity): boolean {
  const count = scan.counts[severity];
  return count !== undefined && count !== 0;
}

function describeCounts(scan: ScanFact, severities: readonly Severity[] = SEVERITIES): string {
  const parts = severities
    .filter((severity) => hasFindings(scan, severity))
    .map((severity) => `${String(scan.counts[severity])} ${severity}`);
  return parts.length === 0 ? 'no findings' : parts.join(', ');
}
