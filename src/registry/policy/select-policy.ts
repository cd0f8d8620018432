import { matchesAlias } from './alias-pattern.js';
import type { ReleasePolicyEntry, ReleaseSettings } from './policy-schema.js';
import type { TrustMaterial } from './release-facts.js';

/** The policy entry that governs an alias, with where it sits in `bulwark.yaml`. */
export interface SelectedPolicy {
  readonly index: number;
  readonly entry: ReleasePolicyEntry;
  /** `release.policies[<index>]`, as decisions and the audit log name it. */
  readonly label: string;
}

/**
 * Finds the entry that governs an alias: the first, in file order, with a name or pattern matching it
 * (like firewall rules, so the outcome never depends on how specific patterns are). Undefined when no
 * entry names the alias, and `release.defaultPolicy` decides.
 */
export function selectReleasePolicy(release: ReleaseSettings, alias: string): SelectedPolicy | undefined {
  for (const [index, entry] of release.policies.entries()) {
    if (entry.aliases.some((pattern) => matchesAlias(pattern, alias))) {
      return { index, entry, label: `release.policies[${index}]` };
    }
  }
  return undefined;
}

/**
 * The trust material an entry names, for the caller to load (paths are relative to `bulwark.yaml`)
 * and verify with: OMS signatures against `signature`, every evidence envelope against
 * `evidenceKeys`; the ids of the evidence keys go back into the facts as `evidenceKeys`.
 */
export function trustMaterialOf(entry: ReleasePolicyEntry): TrustMaterial {
  const evidence = new Set(entry.attesters);
  for (const key of entry.datasets?.provenanceKeys ?? []) evidence.add(key);
  for (const key of entry.datasets?.admissionKeys ?? []) evidence.add(key);
  for (const requirement of entry.attestations) for (const key of requirement.keys ?? []) evidence.add(key);
  const evidenceKeys = [...evidence].sort();
  if (entry.signature === undefined) return { evidenceKeys };
  const { keys, certificates, sigstore } = entry.signature;
  return { signature: { keys, certificates, ...(sigstore ? { sigstore } : {}) }, evidenceKeys };
}
