import type { Severity } from '../../core/severity.js';
import type { SigningMethod } from '../oms/bundle.js';

/** The model version being promoted or deployed. */
export interface ReleaseModel {
  readonly name: string;
  readonly version: string | number;
  /** `sha256:<hex>` of the stored bytes (the registry's digest of the version). */
  readonly digest: string;
}

/**
 * One stored OMS signature of the model version, verified by the caller with the entry's
 * {@link TrustMaterial} and compared with the stored bytes.
 */
export interface SignatureFact {
  /** A stable id of the bundle (its digest or store id), for reasons and ordering. */
  readonly id: string;
  readonly method: SigningMethod;
  /** The DSSE signature verifies and leads to the policy's trust material (key, CA or Sigstore identity). */
  readonly trusted: boolean;
  /**
   * The manifest the bundle signs matches the stored bytes, file by file; undefined when it was not
   * compared (a verifier may stop at an untrusted signature). Only `true` counts.
   */
  readonly matchesBytes: boolean | undefined;
  /** Hex SHA-256 of the SPKI DER of the key that verified, when known. */
  readonly keyId?: string;
  /** The signing certificate's subject or Sigstore identity, when there is one. */
  readonly signer?: string;
  readonly issuer?: string;
  /** When not trusted or not matching: the verifier's one sentence on why. */
  readonly reason?: string;
}

/** A finished model scan whose target was a model digest. */
export interface ScanFact {
  readonly id: string;
  /** `sha256:<hex>` of what was scanned; only scans of exactly the model's digest count. */
  readonly digest: string;
  /** ISO 8601 time the scan finished. */
  readonly finishedAt: string;
  /** Findings per severity; a missing severity means none. */
  readonly counts: Readonly<Partial<Record<Severity, number>>>;
}

/** A training provenance attestation about the model digest, with the keys that verified it. */
export interface ProvenanceFact {
  /** A stable id (payload digest) for reasons. */
  readonly id: string;
  /** Ids of the trusted keys (from {@link TrustMaterial.evidenceKeys}) whose signatures verified. */
  readonly signerKeyIds: readonly string[];
  readonly createdAt: string;
  /** The training datasets the provenance names. */
  readonly datasets: readonly { readonly name?: string; readonly digest: string }[];
}

/** The verdicts an admission attestation can carry. */
export const ADMISSION_VERDICTS = ['admitted', 'rejected'] as const;

export type AdmissionVerdict = (typeof ADMISSION_VERDICTS)[number];

/** A dataset admission attestation (control D5) about one dataset digest. */
export interface AdmissionFact {
  readonly id: string;
  readonly datasetDigest: string;
  readonly verdict: AdmissionVerdict;
  readonly signerKeyIds: readonly string[];
  readonly createdAt: string;
}

/** Any attestation about the model digest, with its parsed statement. */
export interface AttestationFact {
  /** A stable id (payload digest) for reasons. */
  readonly id: string;
  readonly predicateType: string;
  /** The parsed in-toto statement, untrusted JSON: conditions resolve paths in it defensively. */
  readonly statement: unknown;
  readonly signerKeyIds: readonly string[];
  readonly createdAt: string;
}

/** A key file named by the policy, loaded by the caller: the path as written and the key's id. */
export interface LoadedKey {
  readonly path: string;
  readonly keyId: string;
}

/**
 * Everything the release policy decides on, gathered by the registry or gateway: the evaluator reads
 * no files, stores or clocks, so the same facts always give the same decision.
 */
export interface ReleaseFacts {
  readonly alias: string;
  readonly model: ReleaseModel;
  readonly signatures: readonly SignatureFact[];
  readonly scans: readonly ScanFact[];
  readonly provenance: readonly ProvenanceFact[];
  /** Admissions of the datasets the provenance names. */
  readonly admissions: readonly AdmissionFact[];
  /** Attestations about the model digest of the predicate types the policy requires. */
  readonly attestations: readonly AttestationFact[];
  /** Every key file of {@link TrustMaterial.evidenceKeys} with its key id. */
  readonly evidenceKeys: readonly LoadedKey[];
  readonly now: Date;
}

/** What the caller must load and verify with before gathering facts for one policy entry. */
export interface TrustMaterial {
  /** Trust anchors for the OMS signatures; undefined when the entry needs no signature. */
  readonly signature?: {
    readonly keys: readonly string[];
    readonly certificates: readonly string[];
    readonly sigstore?: {
      readonly trustedRoot: string;
      readonly identities: readonly { readonly identity: string; readonly issuer: string }[];
    };
  };
  /** Every key file that may sign evidence for the entry, sorted and without duplicates. */
  readonly evidenceKeys: readonly string[];
}
