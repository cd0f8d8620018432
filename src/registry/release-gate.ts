import { verifyAttestation } from '../core/attestation.js';
import { BulwarkError, describeError } from '../core/errors.js';

import { DATASET_ADMISSION_PREDICATE, TRAINING_PROVENANCE_PREDICATE } from '../core/predicate-types.js';
import { loadTrustedKey } from '../core/keys.js';
import type { TrustedKey } from '../core/signer.js';
import { isSeverity, type Severity } from '../core/severity.js';
import type { JsonObject, ModelVersionRecord, Store } from '../store/store.js';
import type { BlobStore } from './blob-store.js';
import type { HashFunction } from './oms/serialization-hash.js';
import type { OmsTrust } from './oms/signature.js';
import { parseBundle } from './oms/bundle.js';
import { parseStatement } from './oms/statement-parse.js';
import { verifyModel } from './oms/verify-model.js';
import {
  evaluateRelease,
  selectReleasePolicy,
  trustMaterialOf,
  type AdmissionFact,
  type AttestationFact,
  type LoadedKey,
  type ProvenanceFact,
  type ReleaseDecision,
  type ReleaseFacts,
  type ReleaseSettings,
  type ScanFact,
  type SignatureFact,
  type TrustMaterial,
} from './policy/index.js';
import { registryModelTree, type OpenBlobFile, type StoredModelFile } from './registry-tree.js';

/** What the release gate reads: the store, the blobs, and the policy's key files. */
export interface ReleaseGateDeps {
  readonly store: Store;
  readonly blobs: BlobStore;
  /** Opens a plain blob in place (the CLI's file source, so the worker pool can hash it). */
  readonly openFile: OpenBlobFile;
  /** Reads a key, certificate or trusted-root file named by the policy (relative to bulwark.yaml). */
  readonly readTrustFile: (path: string) => Promise<string>;
  readonly hash?: HashFunction;
  readonly concurrency?: number;
  readonly now?: () => Date;
}

/** The release decision with the version it was about and the facts it was made from. */
export interface ReleaseCheck {
  readonly decision: ReleaseDecision;
  readonly version: ModelVersionRecord;
  readonly facts: ReleaseFacts;
}

/** Reads the files of a stored version from its manifest JSON. */
export function storedFiles(version: ModelVersionRecord): StoredModelFile[] {
  const files = (version.manifest as { files?: unknown }).files;
  if (!Array.isArray(files))
    throw new BulwarkError('INPUT_INVALID', `${version.name}@${version.version} has no file list`);
  return files as StoredModelFile[];
}

/** The scan ids recorded with a version (the scans run on exactly its bytes). */
export function scanIdsOf(version: ModelVersionRecord): string[] {
  const ids = (version.metadata as { scans?: unknown }).scans;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/**
 * Decides whether `name@version` may go to `alias` (controls R6, V4 and, at run time, G12): gathers
 * the facts — every stored OMS signature verified against the policy's trust AND re-checked against the
 * stored bytes, the scans of those bytes, the training provenance and dataset admissions, and the
 * other attestations — with every envelope re-verified against the policy's keys, then evaluates the
 * release policy. Never trusts what an earlier step recorded.
 */
export async function checkRelease(
  deps: ReleaseGateDeps,
  release: ReleaseSettings,
  target: { readonly name: string; readonly version: string; readonly alias: string },
): Promise<ReleaseCheck> {
  const { store } = deps;
  const version = await store.getModelVersion(target.name, target.version);
  if (version === undefined)
    throw new BulwarkError('NOT_FOUND', `${target.name}@${target.version} is not in the registry`);
  const now = deps.now?.() ?? new Date();
  const selected = selectReleasePolicy(release, target.alias);
  const material: TrustMaterial =
    selected === undefined ? { evidenceKeys: [] } : trustMaterialOf(selected.entry);
  const evidence = await loadEvidenceKeys(deps, material.evidenceKeys);
  const facts: ReleaseFacts = {
    alias: target.alias,
    model: { name: version.name, version: version.version, digest: version.digest },
    signatures: selected === undefined ? [] : await signatureFacts(deps, version, material),
    scans: await scanFacts(store, version),
    ...(await evidenceFacts(store, version.digest, evidence.keys)),
    evidenceKeys: evidence.loaded,
    now,
  };
  return { decision: evaluateRelease(release, facts), version, facts };
}

async function loadEvidenceKeys(
  deps: ReleaseGateDeps,
  paths: readonly string[],
): Promise<{ keys: TrustedKey[]; loaded: LoadedKey[] }> {
  const keys: TrustedKey[] = [];
  const loaded: LoadedKey[] = [];
  for (const path of paths) {
    const key = loadTrustedKey(await deps.readTrustFile(path));
    keys.push(key);
    loaded.push({ path, keyId: key.keyId });
  }
  return { keys, loaded };
}

/** The trusts to try on a bundle: every kind of anchor the policy names. */
async function trustsOf(deps: ReleaseGateDeps, material: TrustMaterial): Promise<OmsTrust[]> {
  const signature = material.signature;
  if (signature === undefined) return [];
  const trusts: OmsTrust[] = [];
  if (signature.keys.length > 0) {
    trusts.push({
      method: 'key',
      publicKeys: await Promise.all(signature.keys.map((k) => deps.readTrustFile(k))),
    });
  }
  if (signature.certificates.length > 0) {
    const texts = await Promise.all(signature.certificates.map((c) => deps.readTrustFile(c)));
    trusts.push({ method: 'certificate', caCertificates: texts.join('\n') });
  }
  if (signature.sigstore !== undefined) {
    const trustedRoot = await deps.readTrustFile(signature.sigstore.trustedRoot);
    for (const { identity, issuer } of signature.sigstore.identities) {
      trusts.push({ method: 'sigstore', trustedRoot, identity, issuer });
    }
  }
  return trusts;
}

async function signatureFacts(
  deps: ReleaseGateDeps,
  version: ModelVersionRecord,
  material: TrustMaterial,
): Promise<SignatureFact[]> {
  const bundles = await deps.store.listModelSignatures(version.name, version.version);
  if (bundles.length === 0) return [];
  const trusts = await trustsOf(deps, material);
  const files = storedFiles(version);
  const tree = registryModelTree(version.name, files, deps.blobs, deps.openFile);
  const facts: SignatureFact[] = [];
  for (const record of bundles) {
    const bytes = new TextEncoder().encode(record.bundle);
    let best: SignatureFact = {
      id: record.bundleDigest,
      method: 'key',
      trusted: false,
      matchesBytes: undefined,
      reason: 'no trust anchor in the policy matches how the bundle was signed',
    };
    // The bundle's own parser says how it was signed (parsed once, before any trust is tried).
    const parsed = parseBundle(bytes);
    if (!parsed.ok) best = { ...best, reason: parsed.problems.join('; ') };
    for (const trust of trusts) {
      if (!parsed.ok || trust.method !== parsed.method) continue;
      let result;
      try {
        result = await verifyModel(tree, bytes, trust, {
          ...(deps.hash ? { hash: deps.hash } : {}),
          ...(deps.concurrency ? { concurrency: deps.concurrency } : {}),
        });
      } catch (error) {
        best = {
          ...best,
          method: trust.method,
          reason: `the stored bytes cannot be read: ${describeError(error)}`,
        };
        continue;
      }
      const signatureFailed = result.failures.some((f) => f.stage !== 'model');
      const unsigned = result.ok ? unsignedStoredFiles(bytes, files) : [];
      const failures = [
        ...result.failures,
        ...unsigned.map((path) => ({
          path,
          reason: `'${path}' is stored but the signature does not cover it (its recorded ignore paths leave it out)`,
        })),
      ];
      const matches = result.ok && unsigned.length === 0;
      const fact: SignatureFact = {
        id: record.bundleDigest,
        method: result.method ?? trust.method,
        trusted: !signatureFailed,
        matchesBytes: signatureFailed ? undefined : matches,
        ...(result.keyId ? { keyId: result.keyId } : {}),
        ...(result.signer ? { signer: result.signer } : {}),
        ...(result.issuer ? { issuer: result.issuer } : {}),
        ...(matches
          ? {}
          : {
              reason: failures.map((f) => (f.path ? `${f.path}: ${f.reason}` : f.reason)).join('; '),
            }),
      };
      best = fact;
      if (fact.trusted) break;
    }
    facts.push(best);
  }
  return facts;
}

/**
 * Stored files the signed manifest does not list. OMS lets a signer record ignore paths, and a
 * verifier of a folder skips what they name; but a registry version is exactly its stored files and
 * all of them are deployed, so "signs the stored bytes" must mean every one of them (R6).
 */
function unsignedStoredFiles(bundle: Uint8Array, files: readonly StoredModelFile[]): string[] {
  const parsed = parseBundle(bundle);
  const statement = parsed.ok ? parseStatement(parsed.payload) : undefined;
  if (statement === undefined || !statement.ok) return files.map((file) => file.path);
  const signed = new Set(statement.statement.manifest.resources.map((resource) => resource.path));
  return files.map((file) => file.path).filter((path) => !signed.has(path));
}

async function scanFacts(store: Store, version: ModelVersionRecord): Promise<ScanFact[]> {
  const facts: ScanFact[] = [];
  for (const id of scanIdsOf(version)) {
    const scan = await store.getScan(id);
    if (scan === undefined) continue;
    const counts: Partial<Record<Severity, number>> = {};
    for (const finding of scan.findings) {
      if (isSeverity(finding.severity)) counts[finding.severity] = (counts[finding.severity] ?? 0) + 1;
    }
    facts.push({ id: scan.id, digest: version.digest, finishedAt: scan.finishedAt, counts });
  }
  return facts;
}

/** Verifies every stored envelope about a digest against the policy's keys; keeps the verified ones. */
async function verifiedStatements(
  store: Store,
  subjectDigest: string,
  keys: readonly TrustedKey[],
  predicateType?: string,
): Promise<
  { id: string; statement: JsonObject; predicateType: string; signerKeyIds: string[]; createdAt: string }[]
> {
  const rows = await store.listAttestations({
    subjectDigest,
    ...(predicateType ? { predicateType } : {}),
    limit: 1000,
  });
  const out = [];
  for (const row of rows) {
    if (keys.length === 0) continue;
    const verdict = verifyAttestation(row.envelope, keys, {
      subjectDigest: subjectDigest as `sha256:${string}`,
    });
    if (!verdict.ok) continue;
    out.push({
      id: verdict.payloadDigest,
      statement: verdict.statement as unknown as JsonObject,
      predicateType: verdict.statement.predicateType,
      signerKeyIds: [...verdict.verifiedKeyIds],
      createdAt: row.createdAt,
    });
  }
  return out;
}

async function evidenceFacts(
  store: Store,
  digest: string,
  keys: readonly TrustedKey[],
): Promise<Pick<ReleaseFacts, 'provenance' | 'admissions' | 'attestations'>> {
  const about = await verifiedStatements(store, digest, keys);
  const provenance: ProvenanceFact[] = about
    .filter((s) => s.predicateType === TRAINING_PROVENANCE_PREDICATE)
    .map((s) => ({
      id: s.id,
      signerKeyIds: s.signerKeyIds,
      createdAt: s.createdAt,
      datasets: trainingDatasets(s.statement),
    }));
  const admissions: AdmissionFact[] = [];
  const datasetDigests = new Set(provenance.flatMap((p) => p.datasets.map((d) => d.digest)));
  for (const datasetDigest of [...datasetDigests].sort()) {
    for (const s of await verifiedStatements(store, datasetDigest, keys, DATASET_ADMISSION_PREDICATE)) {
      const verdict = (s.statement as { predicate?: { verdict?: unknown } }).predicate?.verdict;
      admissions.push({
        id: s.id,
        datasetDigest,
        verdict: verdict === 'admitted' ? 'admitted' : 'rejected',
        signerKeyIds: s.signerKeyIds,
        createdAt: s.createdAt,
      });
    }
  }
  const attestations: AttestationFact[] = about.map((s) => ({
    id: s.id,
    predicateType: s.predicateType,
    statement: s.statement,
    signerKeyIds: s.signerKeyIds,
    createdAt: s.createdAt,
  }));
  return { provenance, admissions, attestations };
}

/** The datasets a SLSA training provenance names: resolved dependencies annotated as datasets. */
export function trainingDatasets(statement: JsonObject): { name?: string; digest: string }[] {
  const deps = (statement as { predicate?: { buildDefinition?: { resolvedDependencies?: unknown } } })
    .predicate?.buildDefinition?.resolvedDependencies;
  if (!Array.isArray(deps)) return [];
  const out: { name?: string; digest: string }[] = [];
  for (const dep of deps as {
    name?: unknown;
    digest?: { sha256?: unknown };
    annotations?: { role?: unknown };
  }[]) {
    if (dep?.annotations?.role !== 'dataset') continue;
    const hex = dep.digest?.sha256;
    if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/.test(hex)) continue;
    out.push({ ...(typeof dep.name === 'string' ? { name: dep.name } : {}), digest: `sha256:${hex}` });
  }
  return out;
}
