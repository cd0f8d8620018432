import { canonicalJson } from './canonical-json.js';
import { digestHex, isDigest, sha256Digest } from './digest.js';
import type { Digest } from './digest.js';
import { parseEnvelope, signEnvelope, verifyEnvelope, ENVELOPE_FAILURE_REASONS } from './dsse.js';
import type { DsseEnvelope } from './dsse.js';
import { BulwarkError, isBulwarkError } from './errors.js';
import type { JsonValue } from './findings.js';
import type { Signer, TrustedKey } from './signer.js';

/** The `_type` of an in-toto Statement v1. */
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';

/** The DSSE payload type of in-toto statements. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** Predicate types of the attestations Bulwark itself issues. */
export const BULWARK_PREDICATES = {
  scan: 'https://bulwark.dev/attestation/scan/v1',
  decision: 'https://bulwark.dev/attestation/decision/v1',
} as const;

/** Predicate types only `bulwark sign` writes (OpenSSF Model Signing); attestations may not use them. */
export const RESERVED_PREDICATE_PREFIXES = ['https://model_signing/'] as const;

/** A JSON object, the shape of a predicate. */
export type JsonObject = { readonly [key: string]: JsonValue };

/** An artifact a statement is about (an in-toto ResourceDescriptor reduced to what Bulwark reads). */
export interface StatementSubject {
  readonly name: string;
  /** DigestSet: algorithm → lowercase hex. Bulwark requires `sha256`; others are kept as given. */
  readonly digest: { readonly sha256: string; readonly [algorithm: string]: string };
}

/** An in-toto Statement v1: which artifacts (by digest) a typed predicate speaks about. */
export interface Statement {
  readonly _type: typeof STATEMENT_TYPE;
  readonly subject: readonly StatementSubject[];
  readonly predicateType: string;
  readonly predicate: JsonObject;
}

/** A subject as callers name it: a name and a `sha256:<hex>` digest. */
export interface SubjectInput {
  readonly name: string;
  readonly digest: Digest;
}

/** What {@link buildStatement} needs. */
export interface BuildStatementOptions {
  readonly subjects: readonly SubjectInput[];
  /** A URI naming the predicate schema, e.g. one of {@link BULWARK_PREDICATES}. */
  readonly predicateType: string;
  /** Any JSON-representable object; it is normalized through canonical JSON. */
  readonly predicate: object;
}

/** A signed statement and the digest of the exact payload bytes that were signed. */
export interface SignedStatement {
  readonly envelope: DsseEnvelope;
  readonly payloadDigest: Digest;
}

/** Why an attestation failed verification: the envelope reasons plus statement-level ones. */
export const ATTESTATION_FAILURE_REASONS = [
  ...ENVELOPE_FAILURE_REASONS,
  'payload-type',
  'statement-invalid',
  'predicate-type',
  'subject-mismatch',
] as const;

export type AttestationFailureReason = (typeof ATTESTATION_FAILURE_REASONS)[number];

/** The verdict on an attestation: its authenticated statement, or why it cannot be relied on. */
export type AttestationVerdict =
  | {
      readonly ok: true;
      readonly statement: Statement;
      readonly verifiedKeyIds: readonly string[];
      /** SHA-256 of the signed payload bytes, a stable id for the attestation. */
      readonly payloadDigest: Digest;
    }
  | { readonly ok: false; readonly reason: AttestationFailureReason; readonly message: string };

/** Options for {@link verifyAttestation}. */
export interface VerifyAttestationOptions {
  /** Distinct trusted keys that must have signed; default 1. */
  readonly threshold?: number;
  /** When given, the statement must list a subject with this digest. */
  readonly subjectDigest?: Digest;
  /** When given, the statement's predicateType must equal it. */
  readonly predicateType?: string;
}

/** Hex lengths of the DigestSet algorithms whose size is fixed (in-toto digest_set.md). */
const HEX_DIGEST_LENGTHS = new Map<string, readonly number[]>([
  ['sha256', [64]],
  ['sha224', [56]],
  ['sha384', [96]],
  ['sha512', [128]],
  ['sha512_224', [56]],
  ['sha512_256', [64]],
  ['sha3_224', [56]],
  ['sha3_256', [64]],
  ['sha3_384', [96]],
  ['sha3_512', [128]],
  ['sha1', [40]],
  ['md5', [32]],
  ['ripemd160', [40]],
  ['sm3', [64]],
  ['dirHash1', [64]],
  ['gitCommit', [40, 64]],
  ['gitTree', [40, 64]],
  ['gitBlob', [40, 64]],
  ['gitTag', [40, 64]],
]);
const VARIABLE_HEX_DIGESTS = new Set(['shake128', 'shake256', 'blake2b', 'blake2s', 'gost']);
const LOWER_HEX = /^(?:[0-9a-f]{2})+$/;
const TYPE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s"<>\\^`{|}]+$/;
const SAFE_NAME = /^[A-Za-z0-9_]{1,40}$/;

/**
 * Builds a validated in-toto Statement v1. The predicate goes through canonical JSON so the returned
 * statement holds exactly the JSON that will be signed. Throws `INPUT_INVALID` for an empty or
 * duplicate subject name, a malformed digest, a predicateType that is not a URI, or a predicate that
 * JSON cannot represent.
 */
export function buildStatement(options: BuildStatementOptions): Statement {
  const { subjects, predicateType, predicate } = options;
  if (RESERVED_PREDICATE_PREFIXES.some((prefix) => predicateType.startsWith(prefix))) {
    // An OMS bundle is a DSSE envelope of the same shape: a key that signs attestations must not be
    // usable to mint a model signature through this path.
    throw new BulwarkError(
      'INPUT_INVALID',
      `predicate type ${predicateType} is reserved for model signatures: sign models with \`bulwark sign\``,
    );
  }
  if (subjects.length === 0)
    throw new BulwarkError('INPUT_INVALID', 'a statement needs at least one subject');
  const names = new Set<string>();
  const subject = subjects.map(({ name, digest }, index): StatementSubject => {
    if (typeof name !== 'string' || name === '')
      statementError(`subject[${index}].name must be a non-empty string`);
    if (names.has(name)) statementError(`subject[${index}].name ${JSON.stringify(name)} is listed twice`);
    names.add(name);
    if (typeof digest !== 'string' || !isDigest(digest)) {
      statementError(`subject[${index}].digest must be sha256:<64 lowercase hex>`);
    }
    return { name, digest: { sha256: digestHex(digest) } };
  });
  if (typeof predicate !== 'object' || predicate === null || Array.isArray(predicate)) {
    statementError('predicate must be a JSON object');
  }
  const statement = parseStatement({
    _type: STATEMENT_TYPE,
    subject,
    predicateType,
    predicate: JSON.parse(canonicalJson(predicate)) as unknown,
  });
  return statement;
}

/**
 * Reads a parsed JSON value as an in-toto Statement v1, strictly on the fields Bulwark relies on
 * (`_type`, non-empty `subject` with `name` and a `sha256` digest, `predicateType` URI, object
 * `predicate`) and ignoring unrecognized fields as the in-toto parsing rules require. A missing
 * predicate reads as `{}`. Throws `INPUT_INVALID` naming the offending field.
 */
export function parseStatement(value: unknown): Statement {
  if (!isRecord(value)) statementError('it must be a JSON object');
  if (value._type !== STATEMENT_TYPE) statementError(`"_type" must be "${STATEMENT_TYPE}"`);
  const { subject, predicateType } = value;
  if (!Array.isArray(subject) || subject.length === 0) statementError('"subject" must be a non-empty array');
  const subjects = subject.map((entry: unknown, index) => parseSubject(entry, `subject[${index}]`));
  if (typeof predicateType !== 'string' || !TYPE_URI.test(predicateType)) {
    statementError('"predicateType" must be a URI');
  }
  const predicate = value.predicate ?? {};
  if (!isRecord(predicate)) statementError('"predicate" must be a JSON object');
  return { _type: STATEMENT_TYPE, subject: subjects, predicateType, predicate: predicate as JsonObject };
}

/**
 * Signs a statement as a DSSE envelope of type `application/vnd.in-toto+json`. The payload is the
 * RFC 8785 canonical JSON of the statement in UTF-8, so the same statement always yields the same bytes.
 */
export function signStatement(statement: Statement, signers: readonly Signer[]): SignedStatement {
  const checked = parseStatement(statement);
  const payload = Buffer.from(canonicalJson(checked), 'utf8');
  return {
    envelope: signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, signers),
    payloadDigest: sha256Digest(payload),
  };
}

/**
 * Parses DSSE envelope JSON and verifies it as an in-toto attestation; see
 * {@link verifyAttestationEnvelope}. Throws `INPUT_INVALID` for JSON that is not a DSSE envelope.
 */
export function verifyAttestation(
  envelopeJson: string,
  trusted: readonly TrustedKey[],
  options: VerifyAttestationOptions = {},
): AttestationVerdict {
  return verifyAttestationEnvelope(parseEnvelope(envelopeJson), trusted, options);
}

/**
 * Verifies an attestation: the envelope signatures over the payload bytes as carried (threshold of
 * trusted keys), then the payload type, then that those same bytes parse as a Statement v1, then the
 * optional predicate type and subject digest. Every failure is a verdict; only bad options
 * (`USAGE`) and an undecodable envelope (`INPUT_INVALID`) throw.
 */
export function verifyAttestationEnvelope(
  envelope: DsseEnvelope,
  trusted: readonly TrustedKey[],
  options: VerifyAttestationOptions = {},
): AttestationVerdict {
  const { subjectDigest, predicateType, threshold } = options;
  if (subjectDigest !== undefined && !isDigest(subjectDigest)) {
    throw new BulwarkError('USAGE', 'the subject digest must be sha256:<64 lowercase hex>');
  }
  const verdict = verifyEnvelope(envelope, trusted, threshold === undefined ? {} : { threshold });
  if (!verdict.ok) return verdict;
  if (verdict.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return {
      ok: false,
      reason: 'payload-type',
      message: `the payload type is ${JSON.stringify(verdict.payloadType.slice(0, 80))}, not ${IN_TOTO_PAYLOAD_TYPE}`,
    };
  }
  let statement: Statement;
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(verdict.payload);
    statement = parseStatement(JSON.parse(text));
  } catch (error) {
    const reason = isBulwarkError(error) ? error.message : 'it is not UTF-8 JSON';
    return { ok: false, reason: 'statement-invalid', message: `the signed payload is not usable: ${reason}` };
  }
  if (predicateType !== undefined && statement.predicateType !== predicateType) {
    return {
      ok: false,
      reason: 'predicate-type',
      message: `the predicate type is ${JSON.stringify(statement.predicateType.slice(0, 200))}, not ${predicateType}`,
    };
  }
  if (subjectDigest !== undefined && !hasSubject(statement, subjectDigest)) {
    return {
      ok: false,
      reason: 'subject-mismatch',
      message: `the attestation is not about ${subjectDigest}: no subject has that digest`,
    };
  }
  return {
    ok: true,
    statement,
    verifiedKeyIds: verdict.verifiedKeyIds,
    payloadDigest: sha256Digest(verdict.payload),
  };
}

/** Tells whether a statement lists a subject with the given `sha256:<hex>` digest. */
export function hasSubject(statement: Statement, digest: Digest): boolean {
  const hex = digestHex(digest);
  return statement.subject.some((subject) => subject.digest.sha256 === hex);
}

function parseSubject(entry: unknown, path: string): StatementSubject {
  if (!isRecord(entry)) statementError(`${path} must be an object`);
  const { name, digest } = entry;
  if (typeof name !== 'string') statementError(`${path}.name must be a string`);
  if (!isRecord(digest)) statementError(`${path}.digest must be an object`);
  const digestSet: Record<string, string> = {};
  for (const [algorithm, value] of Object.entries(digest)) {
    const where = `${path}.digest.${SAFE_NAME.test(algorithm) ? algorithm : JSON.stringify(algorithm.slice(0, 40))}`;
    if (typeof value !== 'string') statementError(`${where} must be a string`);
    const lengths = HEX_DIGEST_LENGTHS.get(algorithm);
    if (lengths !== undefined && !(LOWER_HEX.test(value) && lengths.includes(value.length))) {
      statementError(`${where} must be ${lengths.join(' or ')} lowercase hex characters`);
    }
    if (VARIABLE_HEX_DIGESTS.has(algorithm) && !LOWER_HEX.test(value)) {
      statementError(`${where} must be lowercase hex`);
    }
    Object.defineProperty(digestSet, algorithm, {
      value,
      enumerable: true,
      writable: false,
      configurable: true,
    });
  }
  const sha256 = digestSet.sha256;
  if (sha256 === undefined) statementError(`${path}.digest must include sha256`);
  return { name, digest: { ...digestSet, sha256 } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function statementError(reason: string): never {
  throw new BulwarkError('INPUT_INVALID', `invalid in-toto statement: ${reason}`);
}
