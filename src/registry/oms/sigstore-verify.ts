import { X509Certificate } from 'node:crypto';
import { bundleFromJSON } from '@sigstore/bundle';
import { RFC3161Timestamp } from '@sigstore/core';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { PolicyError, VerificationError, Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import type { SignedEntity, Signer, TrustMaterial } from '@sigstore/verify';
import { decodeBase64 } from '../../core/dsse.js';
import { BulwarkError, describeError } from '../../core/errors.js';
import type { ParsedBundle } from './bundle.js';
import { describeOmsKey } from './oms-keys.js';
import type { SignatureVerdict } from './signature.js';

/** A Sigstore trusted root loaded for offline verification: Fulcio CAs, Rekor and CT log keys, TSAs. */
export interface SigstoreTrustedRoot {
  readonly kind: 'sigstore-trusted-root';
  /** The parsed keys and certificates @sigstore/verify checks against. */
  readonly material: TrustMaterial;
}

/** Trust for keyless (Sigstore) bundles: a trusted root and the exact signer expected. */
export interface SigstoreTrust {
  readonly method: 'sigstore';
  /** A TrustedRoot or ClientTrustConfig as JSON text, or a root already loaded. */
  readonly trustedRoot: string | SigstoreTrustedRoot;
  /** The exact certificate identity (SAN email or URI), like upstream `--identity`. */
  readonly identity: string;
  /** The exact OIDC issuer, like upstream `--identity-provider`. */
  readonly issuer: string;
}

/** The note a verdict carries when an RFC 3161 timestamp was set aside (see {@link verifySigstoreBundle}). */
export const TSA_NOT_USED_NOTES = {
  unknown:
    'RFC 3161 timestamp from a TSA not in the trusted root was not used; signing time from the Rekor entry',
  invalid:
    'RFC 3161 timestamp that does not verify against its TSA in the trusted root was not used; signing time from the Rekor entry',
  malformed: 'RFC 3161 timestamp that cannot be parsed was not used; signing time from the Rekor entry',
} as const;

const TRUSTED_ROOT_TYPE =
  /^application\/vnd\.dev\.sigstore\.trustedroot(?:\+json;version=0\.\d+|\.v0\.\d+\+json)$/;
const CLIENT_CONFIG_TYPE =
  /^application\/vnd\.dev\.sigstore\.clienttrustconfig(?:\+json;version=0\.\d+|\.v0\.\d+\+json)$/;
const MAX_ROOT_TEXT = 4 * 1024 * 1024;
const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';

/**
 * Loads a Sigstore trusted root from JSON text: a TrustedRoot, or a ClientTrustConfig holding one in
 * `trustedRoot`. Throws `USAGE` for another kind of document and `INPUT_INVALID` for a malformed root
 * (no Fulcio CA, no Rekor log, a certificate or key that does not parse): trust is configuration.
 */
export function loadSigstoreTrustedRoot(jsonText: string): SigstoreTrustedRoot {
  const expected = 'expected a Sigstore trusted root or a ClientTrustConfig holding "trustedRoot"';
  if (jsonText.length > MAX_ROOT_TEXT) {
    throw new BulwarkError(
      'INPUT_INVALID',
      `the Sigstore trusted root is larger than ${MAX_ROOT_TEXT} bytes`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(jsonText);
  } catch (cause) {
    throw new BulwarkError('USAGE', `the Sigstore trusted root is not JSON: ${expected}`, { cause });
  }
  const mediaType = isObject(document) ? document.mediaType : undefined;
  let rootJson: unknown = document;
  if (typeof mediaType === 'string' && CLIENT_CONFIG_TYPE.test(mediaType)) {
    rootJson = (document as Record<string, unknown>).trustedRoot;
    if (
      !isObject(rootJson) ||
      typeof rootJson.mediaType !== 'string' ||
      !TRUSTED_ROOT_TYPE.test(rootJson.mediaType)
    ) {
      throw new BulwarkError('INPUT_INVALID', 'the ClientTrustConfig holds no valid "trustedRoot"');
    }
  } else if (typeof mediaType !== 'string' || !TRUSTED_ROOT_TYPE.test(mediaType)) {
    const found = typeof mediaType === 'string' ? `media type "${mediaType}"` : 'no media type';
    throw new BulwarkError('USAGE', `${expected}, got a JSON document with ${found}`);
  }
  return { kind: 'sigstore-trusted-root', material: toMaterial(rootJson) };
}

function toMaterial(rootJson: unknown): TrustMaterial {
  const invalid = (message: string, cause?: unknown) =>
    new BulwarkError('INPUT_INVALID', `the Sigstore trusted root ${message}`, { cause });
  let root: TrustedRoot;
  try {
    root = TrustedRoot.fromJSON(rootJson);
  } catch (cause) {
    throw invalid(`is malformed (${describeError(cause)})`, cause);
  }
  if (root.certificateAuthorities.length === 0) throw invalid('lists no certificate authority (Fulcio)');
  if (root.tlogs.length === 0) throw invalid('lists no transparency log (Rekor)');
  root.certificateAuthorities.forEach((ca, index) => {
    if ((ca.certChain?.certificates ?? []).length === 0)
      throw invalid(`has certificate authority ${index} without certificates`);
  });
  const dates = [
    ...root.certificateAuthorities.map((ca) => ca.validFor),
    ...[...root.tlogs, ...root.ctlogs, ...root.timestampAuthorities].map((item) =>
      'publicKey' in item ? item.publicKey?.validFor : item.validFor,
    ),
  ].flatMap((range) => [range?.start, range?.end]);
  if (dates.some((date) => date !== undefined && Number.isNaN(date.getTime())))
    throw invalid('holds a validity date that is not a date');
  try {
    return toTrustMaterial(root);
  } catch (cause) {
    throw invalid(`holds a certificate or key that does not parse (${describeError(cause)})`, cause);
  }
}

/**
 * Verifies a keyless OMS bundle offline with @sigstore/verify: the Fulcio leaf chains to a CA of the
 * trusted root valid at signing time and carries an SCT from a trusted CT log; each Rekor entry's SET
 * and inclusion proof verify and the entry records this signature and payload hash; the DSSE signature
 * verifies over the payload bytes as signed; the SAN identity and OIDC issuer equal the expected ones.
 * An RFC 3161 timestamp that cannot be verified is set aside, with a note, when a Rekor entry dates the
 * signature (as upstream does). Throws only for unusable trust (`USAGE`, `INPUT_INVALID`).
 */
export function verifySigstoreBundle(parsed: ParsedBundle, trust: SigstoreTrust): SignatureVerdict {
  if (trust.identity.trim() === '' || trust.issuer.trim() === '') {
    throw new BulwarkError(
      'USAGE',
      'keyless verification needs the expected signer identity and OIDC issuer',
    );
  }
  const root =
    typeof trust.trustedRoot === 'string' ? loadSigstoreTrustedRoot(trust.trustedRoot) : trust.trustedRoot;
  if (parsed.method !== 'sigstore') return fail('the bundle is not signed with Sigstore (keyless)');
  const signatureCount = parsed.bundle.dsseEnvelope.signatures.length;
  if (signatureCount !== 1)
    return fail(`a Sigstore bundle holds exactly one signature, this one holds ${signatureCount}`);
  const leaf = readLeaf(parsed);
  if (typeof leaf === 'string') return fail(leaf);
  const built = toEntity(parsed);
  if (typeof built === 'string') return fail(built);
  const verified = verifyWithTimestampRule(built, root.material);
  if (!verified.ok) return fail(verified.reason);
  const identity = verified.signer.identity?.subjectAlternativeName;
  const issuer = verified.signer.identity?.extensions?.issuer;
  if (identity === undefined) return fail('the signing certificate carries no email or URI identity');
  if (identity !== trust.identity)
    return fail(`the certificate's identity is ${identity}, not the expected ${trust.identity}`);
  if (issuer === undefined) return fail('the signing certificate names no OIDC issuer');
  if (issuer !== trust.issuer)
    return fail(`the certificate's OIDC issuer is ${issuer}, not the expected ${trust.issuer}`);
  const { notes } = verified;
  return {
    ok: true,
    method: 'sigstore',
    keyId: leaf.keyId,
    signer: identity,
    issuer,
    ...(notes.length > 0 ? { notes } : {}),
  };
}

interface BuiltEntity {
  readonly entity: SignedEntity;
  /** RFC 3161 tokens that do not even parse, left out of `entity`. */
  readonly unreadableTokens: number;
}

/** Builds the signed entity, parsing each RFC 3161 token apart so one bad token is not a bad bundle. */
function toEntity(parsed: ParsedBundle): BuiltEntity | string {
  try {
    const bundle = bundleFromJSON(asSigned(parsed));
    const tokens = bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps ?? [];
    const entity = toSignedEntity({
      ...bundle,
      verificationMaterial: { ...bundle.verificationMaterial, timestampVerificationData: undefined },
    });
    let unreadableTokens = 0;
    for (const token of tokens) {
      try {
        const timestamp = RFC3161Timestamp.parse(Buffer.from(token.signedTimestamp));
        entity.timestamps.push({ $case: 'timestamp-authority', timestamp });
      } catch {
        unreadableTokens += 1;
      }
    }
    return { entity, unreadableTokens };
  } catch (cause) {
    const fields = (cause as { fields?: unknown }).fields;
    const detail = Array.isArray(fields) ? `invalid ${fields.join(', ')}` : describeError(cause);
    return `the bundle's Sigstore verification material is malformed (${detail})`;
  }
}

type Verified =
  | { readonly ok: true; readonly signer: Signer; readonly notes: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Runs @sigstore/verify with the timestamp rule: when RFC 3161 tokens are unreadable or fail to verify
 * and a Rekor signed entry timestamp can date the signature, verification is retried without the
 * tokens and a note says so. Only the tokens differ between the two runs, so a retry that passes
 * proves they were the sole problem.
 */
function verifyWithTimestampRule(built: BuiltEntity, material: TrustMaterial): Verified {
  const verifier = new Verifier(material, { tlogThreshold: 1, ctlogThreshold: 1 });
  const hasRekorTime = built.entity.timestamps.some(isRekorTime);
  const withoutTokens: SignedEntity = {
    ...built.entity,
    timestamps: built.entity.timestamps.filter((t) => t.$case === 'transparency-log'),
  };
  if (built.unreadableTokens > 0) {
    if (!hasRekorTime)
      return {
        ok: false,
        reason: 'the RFC 3161 timestamp is malformed and no Rekor entry dates the signature',
      };
    return settle(attempt(verifier, withoutTokens), [TSA_NOT_USED_NOTES.malformed]);
  }
  const first = attempt(verifier, built.entity);
  const hasTokens = built.entity.timestamps.length > withoutTokens.timestamps.length;
  if (first.ok || !hasTokens || !hasRekorTime || !isTimestampFailure(first.error)) return settle(first, []);
  const note = TSA_NOT_USED_NOTES[hasKnownTsa(built.entity, material) ? 'invalid' : 'unknown'];
  return settle(attempt(verifier, withoutTokens), [note]);
}

function settle(result: Attempt, notes: readonly string[]): Verified {
  return result.ok
    ? { ok: true, signer: result.signer, notes }
    : { ok: false, reason: describeSigstoreFailure(result.error) };
}

/** Checks the Fulcio leaf is one @sigstore/verify can judge: parsed here, its key type and its usage. */
function readLeaf(parsed: ParsedBundle): { keyId: string } | string {
  const raw = decodeBase64(parsed.bundle.verificationMaterial.certificate?.rawBytes ?? '');
  let leaf: X509Certificate;
  let key: ReturnType<typeof describeOmsKey>;
  try {
    leaf = new X509Certificate(Buffer.from(raw ?? []));
    key = describeOmsKey(leaf.publicKey);
  } catch {
    return 'verificationMaterial.certificate is not a valid X.509 DER certificate with a readable key';
  }
  // @sigstore/verify checks every DSSE signature with SHA-256, right only for the P-256 keys Sigstore
  // clients generate; any other key would fail (or pass) for the wrong reason.
  if (key?.algorithm !== 'ecdsa-p256-sha256') {
    const type = key?.algorithm ?? leaf.publicKey.asymmetricKeyType ?? 'unknown';
    return `the signing certificate holds a ${type} key: keyless verification supports only ECDSA P-256 signing keys (the signature check hashes with SHA-256)`;
  }
  if (leaf.keyUsage !== undefined && !leaf.keyUsage.includes(CODE_SIGNING))
    return 'the signing certificate does not allow code signing (extended key usage)';
  return { keyId: key.keyId };
}

/** The bundle as JSON with the envelope payload re-encoded from the exact bytes `parseBundle` decoded. */
function asSigned(parsed: ParsedBundle): Parameters<typeof bundleFromJSON>[0] {
  const payload = Buffer.from(parsed.payload).toString('base64');
  return { ...parsed.bundle, dsseEnvelope: { ...parsed.bundle.dsseEnvelope, payload } };
}

type Attempt =
  { readonly ok: true; readonly signer: Signer } | { readonly ok: false; readonly error: unknown };

function attempt(verifier: Verifier, entity: SignedEntity): Attempt {
  try {
    return { ok: true, signer: verifier.verify(entity) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** A failure a token can cause: a timestamp error, or a fault reading hostile token DER lazily. */
function isTimestampFailure(error: unknown): boolean {
  if (error instanceof VerificationError) return error.code === 'TIMESTAMP_ERROR';
  return !(error instanceof PolicyError);
}

/** A Rekor entry dates a signature only through its signed entry timestamp (inclusion promise). */
function isRekorTime(timestamp: SignedEntity['timestamps'][number]): boolean {
  return timestamp.$case === 'transparency-log' && timestamp.tlogEntry.inclusionPromise !== undefined;
}

/** Whether a token names a TSA of the trusted root as its signer, to word the note. */
function hasKnownTsa(entity: SignedEntity, material: TrustMaterial): boolean {
  const signers = material.timestampAuthorities.flatMap((tsa) => tsa.certChain.slice(0, 1));
  try {
    return entity.timestamps.some(
      (t) =>
        t.$case === 'timestamp-authority' &&
        signers.some(
          (signer) =>
            signer.serialNumber.equals(t.timestamp.signerSerialNumber) &&
            signer.issuer.equals(t.timestamp.signerIssuer),
        ),
    );
  } catch {
    // The token's signer fields are read lazily from hostile DER: unreadable means unknown.
    return false;
  }
}

/** One sentence for a @sigstore/verify failure, chosen by its stable `code`, refined by its message. */
function describeSigstoreFailure(error: unknown): string {
  if (!(error instanceof VerificationError) && !(error instanceof PolicyError)) {
    return `the bundle's Sigstore verification material is malformed (${describeError(error)})`;
  }
  const detail = [error.message, (error.cause as Error | undefined)?.message].join(' ');
  const code: VerificationError['code'] | PolicyError['code'] = error.code;
  switch (code) {
    case 'CERTIFICATE_ERROR':
      if (/expected \d+ SCTs/.test(detail))
        return 'the signing certificate carries no SCT from a CT log of the trusted root';
      if (/SCT/.test(detail))
        return "the signing certificate's SCT does not verify against a CT log of the trusted root";
      if (/not valid or expired/.test(detail))
        return 'the signing certificate was not valid at the signing time recorded by the transparency log or timestamp (altered time or expired certificate)';
      return 'the signing certificate does not chain to a Fulcio CA of the trusted root (valid at the signing time)';
    case 'TIMESTAMP_ERROR':
      if (/expected \d+ timestamps/.test(detail))
        return 'no verifiable signing time: no transparency log entry with a signed entry timestamp and no trusted RFC 3161 timestamp';
      return 'the RFC 3161 timestamp does not verify against a timestamp authority of the trusted root';
    case 'TLOG_ERROR':
      return 'the bundle carries no transparency log entry';
    case 'TLOG_INCLUSION_PROMISE_ERROR':
      return "the transparency log entry does not verify: its signed entry timestamp is not a trusted Rekor log's signature over this entry (altered entry or unknown log)";
    case 'TLOG_INCLUSION_PROOF_ERROR':
      return `the transparency log entry does not verify: its inclusion proof or checkpoint is invalid (${error.message})`;
    case 'TLOG_MISSING_INCLUSION_ERROR':
      return 'the transparency log entry has neither a signed entry timestamp nor an inclusion proof';
    case 'TLOG_BODY_ERROR':
      if (/payload hash|digest mismatch/.test(detail))
        return 'the signature does not verify: the payload was altered (its hash differs from the one in the transparency log entry)';
      if (/signature mismatch/.test(detail))
        return 'the signature does not verify: it was altered (it differs from the one in the transparency log entry)';
      return `the transparency log entry does not match this bundle (${error.message})`;
    case 'SIGNATURE_ERROR':
      return "the signature does not verify with the signing certificate's key: the payload or signature was altered";
    case 'PUBLIC_KEY_ERROR':
      return 'the bundle names a public key, not a Fulcio signing certificate';
    case 'UNTRUSTED_SIGNER_ERROR':
      return `the signer is not the expected one (${error.message})`;
    case 'NOT_IMPLEMENTED_ERROR':
      return `the bundle uses a Sigstore feature the verifier does not implement (${error.message})`;
  }
}

function fail(reason: string): SignatureVerdict {
  return { ok: false, reason };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
