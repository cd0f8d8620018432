import type { SigningMethod } from './bundle.js';
import { parseBundle } from './bundle.js';
import { checkModel, type CheckModelOptions } from './manifest-compare.js';
import { compareResources, rootDigest } from './manifest.js';
import type { ModelTree } from './model-tree.js';
import { verifyBundleSignature, type OmsTrust } from './signature.js';
import { parseStatement } from './statement-parse.js';

/** Where verification failed: reading the bundle, its signature, its statement, or the model's bytes. */
export const VERIFICATION_STAGES = ['bundle', 'signature', 'statement', 'model'] as const;

/** The stage of a verification failure. */
export type VerificationStage = (typeof VERIFICATION_STAGES)[number];

/** One reason a model does not verify. */
export interface VerificationFailure {
  readonly stage: VerificationStage;
  /** For model failures: the manifest difference or serialization issue kind (`digest-mismatch`, …). */
  readonly kind?: string;
  /** The file concerned, relative to the model root. */
  readonly path?: string;
  readonly reason: string;
}

/** The outcome of {@link verifyModel}; `ok` only when the signature is trusted and every byte matches. */
export interface ModelVerification {
  readonly ok: boolean;
  readonly model: string;
  readonly method?: SigningMethod;
  /** Certificate subject or Sigstore identity of the signer. */
  readonly signer?: string;
  /** OIDC issuer of a Sigstore signer. */
  readonly issuer?: string;
  /** Hex SHA-256 of the SPKI DER of the key that verified. */
  readonly keyId?: string;
  readonly predicateType?: string;
  /** `sha256:<hex>` root digest of the signed manifest (the model's identity). */
  readonly rootDigest?: `sha256:${string}`;
  /** Resources (files or shards) the signature covers. */
  readonly resources: number;
  /** True when only the v0.2.0 signing encoding verified. */
  readonly legacyEncoding?: boolean;
  /** Facts worth knowing that do not fail verification (warnings, compatibility paths taken). */
  readonly notes: readonly string[];
  readonly failures: readonly VerificationFailure[];
}

/** Options of {@link verifyModel}. */
export type VerifyModelOptions = Omit<CheckModelOptions, 'maxResources'>;

/**
 * Verifies a model against an OMS bundle: the bundle's structure, its signature over the payload bytes
 * as signed (never re-serialized) against the given trust, the in-toto statement, and then every file
 * re-hashed the way the signer said and compared with the signed manifest (changed, missing, renamed
 * and unsigned extra files). Stops at the first stage that fails; a forged manifest is never trusted.
 */
export async function verifyModel(
  tree: ModelTree,
  bundleBytes: Uint8Array,
  trust: OmsTrust,
  options: VerifyModelOptions = {},
): Promise<ModelVerification> {
  const base = { model: tree.name, resources: 0 };
  const parsed = parseBundle(bundleBytes);
  if (!parsed.ok) {
    return fail(
      base,
      parsed.problems.map((reason) => ({ stage: 'bundle', reason })),
    );
  }
  const verdict = verifyBundleSignature(parsed, trust);
  if (!verdict.ok)
    return fail({ ...base, method: parsed.method }, [{ stage: 'signature', reason: verdict.reason }]);
  const extra = verdict as { issuer?: string; notes?: readonly string[] };
  const notes = [...(extra.notes ?? [])];
  if (verdict.legacyEncoding)
    notes.push('signed with the v0.2.0 encoding of model_signing (accepted for compatibility)');
  const signed = {
    ...base,
    method: verdict.method,
    ...(verdict.signer === undefined ? {} : { signer: verdict.signer }),
    ...(extra.issuer === undefined ? {} : { issuer: extra.issuer }),
    ...(verdict.keyId === undefined ? {} : { keyId: verdict.keyId }),
    ...(verdict.legacyEncoding ? { legacyEncoding: true } : {}),
  };
  const statement = parseStatement(parsed.payload);
  if (!statement.ok) {
    return fail(
      signed,
      statement.problems.map((reason) => ({ stage: 'statement', reason })),
      notes,
    );
  }
  const { manifest, isLegacy } = statement.statement;
  const described = {
    ...signed,
    predicateType: statement.statement.predicateType,
    // v0.1 signs no root: derive it in canonical order, so it names these files as the registry does.
    rootDigest:
      `sha256:${statement.statement.rootDigest ?? rootDigest([...manifest.resources].sort(compareResources))}` as const,
    resources: manifest.resources.length,
  };
  if (isLegacy) notes.push('the statement uses the deprecated v0.1 predicate (one subject per file)');
  const check = await checkModel(tree, manifest, options);
  const failures: VerificationFailure[] = [];
  for (const issue of check.issues) {
    if (issue.severity === 'error')
      failures.push({ stage: 'model', kind: issue.kind, path: issue.path, reason: issue.message });
    else notes.push(`${issue.path}: ${issue.message}`);
  }
  for (const difference of check.differences) {
    failures.push({
      stage: 'model',
      kind: difference.kind,
      path: difference.path,
      reason: difference.reason,
    });
  }
  return { ...described, ok: failures.length === 0, notes, failures };
}

function fail(
  base: Omit<ModelVerification, 'ok' | 'notes' | 'failures'>,
  failures: VerificationFailure[],
  notes: string[] = [],
): ModelVerification {
  return { ...base, ok: false, notes, failures };
}
