import { BulwarkError } from './errors.js';
import { verifySignature } from './keys.js';
import type { Signer, TrustedKey } from './signer.js';

/** One signature of a DSSE envelope. `keyid` is an unauthenticated hint that only narrows the key search. */
export interface DsseSignature {
  readonly keyid?: string;
  /** Base64 of the signature bytes over the PAE. */
  readonly sig: string;
}

/** The DSSE v1 JSON envelope (secure-systems-lab/dsse envelope.md). */
export interface DsseEnvelope {
  readonly payloadType: string;
  /** Base64 of the serialized body, exactly the bytes that were signed. */
  readonly payload: string;
  readonly signatures: readonly DsseSignature[];
}

/** Why an envelope failed verification. */
export const ENVELOPE_FAILURE_REASONS = [
  'no-signatures',
  'unknown-key',
  'bad-signature',
  'threshold',
] as const;

export type EnvelopeFailureReason = (typeof ENVELOPE_FAILURE_REASONS)[number];

/** The verdict on an envelope: the authenticated payload, or why it is not authentic. */
export type EnvelopeVerdict =
  | {
      readonly ok: true;
      /** Ids of the distinct trusted keys whose signature verified, in envelope order. */
      readonly verifiedKeyIds: readonly string[];
      readonly payload: Uint8Array;
      readonly payloadType: string;
    }
  | { readonly ok: false; readonly reason: EnvelopeFailureReason; readonly message: string };

/** Options for {@link verifyEnvelope}. */
export interface VerifyEnvelopeOptions {
  /** How many distinct trusted keys must have signed (DSSE `t` of `n`); default 1. */
  readonly threshold?: number;
}

/** More signatures than this in one envelope are refused: each may cost a verification per trusted key. */
export const DSSE_MAX_SIGNATURES = 64;

const STANDARD_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE_BASE64 = /^[A-Za-z0-9_-]*={0,2}$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * DSSE v1 Pre-Authentication Encoding: `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths
 * being ASCII decimal byte counts. Signing the PAE rather than the body binds the payload type, so a
 * signature cannot be replayed on the same bytes under another type (protocol.md).
 */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Uint8Array {
  if (LONE_SURROGATE.test(payloadType)) {
    throw new BulwarkError(
      'INPUT_INVALID',
      'DSSE payloadType holds a lone UTF-16 surrogate (not UTF-8 encodable)',
    );
  }
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'ascii'),
    type,
    Buffer.from(` ${payload.length} `, 'ascii'),
    payload,
  ]);
}

/** Signs a payload with every signer and returns the DSSE envelope (standard base64, keyid = key id). */
export function signEnvelope(
  payloadType: string,
  payload: Uint8Array,
  signers: readonly Signer[],
): DsseEnvelope {
  if (signers.length === 0) throw new BulwarkError('USAGE', 'no signer: give at least one private key');
  const pae = preAuthEncoding(payloadType, payload);
  return {
    payloadType,
    payload: encodeBase64(payload),
    signatures: signers.map((signer) => ({ keyid: signer.keyId, sig: encodeBase64(signer.sign(pae)) })),
  };
}

/**
 * Parses DSSE envelope JSON with strict checks on the known fields: `payloadType` (string), `payload`
 * (standard or URL-safe base64, canonical), `signatures` (array of `{ sig, keyid? }`). Unknown fields
 * are dropped: they are not signed. Throws `INPUT_INVALID` on any deviation, `LIMIT_EXCEEDED` past
 * {@link DSSE_MAX_SIGNATURES} signatures.
 */
export function parseEnvelope(json: string): DsseEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (cause) {
    throw new BulwarkError('INPUT_INVALID', 'the DSSE envelope is not valid JSON', { cause });
  }
  if (!isRecord(value)) invalid('it must be a JSON object');
  const { payloadType, payload, signatures } = value;
  if (typeof payloadType !== 'string') invalid('"payloadType" must be a string');
  if (LONE_SURROGATE.test(payloadType)) invalid('"payloadType" holds a lone UTF-16 surrogate');
  if (typeof payload !== 'string') invalid('"payload" must be a base64 string');
  if (decodeBase64(payload) === undefined) invalid('"payload" is not valid base64');
  if (!Array.isArray(signatures)) invalid('"signatures" must be an array');
  if (signatures.length > DSSE_MAX_SIGNATURES) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `the DSSE envelope has ${signatures.length} signatures (at most ${DSSE_MAX_SIGNATURES})`,
    );
  }
  const parsed = signatures.map((entry: unknown, index): DsseSignature => {
    if (!isRecord(entry)) invalid(`signatures[${index}] must be an object`);
    const { sig, keyid } = entry;
    if (typeof sig !== 'string' || sig === '') invalid(`signatures[${index}].sig must be a non-empty string`);
    if (decodeBase64(sig) === undefined) invalid(`signatures[${index}].sig is not valid base64`);
    if (keyid === undefined) return { sig };
    if (typeof keyid !== 'string') invalid(`signatures[${index}].keyid must be a string`);
    return { keyid, sig };
  });
  return { payloadType, payload, signatures: parsed };
}

/**
 * Verifies a DSSE envelope against trusted keys (protocol.md, multi-signature verification): each
 * signature is checked over the PAE of the payload bytes exactly as carried, never re-serialized. A
 * signature's keyid selects the matching trusted key; an empty, absent or unknown keyid is tried
 * against every trusted key, since keyid is only a hint. Each trusted key counts once towards the
 * threshold. Throws `USAGE` for a bad threshold or an empty trust set, `INPUT_INVALID` for a payload
 * that is not base64; every authenticity failure is returned as a verdict.
 */
export function verifyEnvelope(
  envelope: DsseEnvelope,
  trusted: readonly TrustedKey[],
  options: VerifyEnvelopeOptions = {},
): EnvelopeVerdict {
  const threshold = options.threshold ?? 1;
  const keys = new Map<string, TrustedKey>();
  for (const key of trusted) if (!keys.has(key.keyId)) keys.set(key.keyId, key);
  if (!Number.isSafeInteger(threshold) || threshold < 1) {
    throw new BulwarkError(
      'USAGE',
      `the signature threshold must be a positive integer, not ${String(threshold)}`,
    );
  }
  if (keys.size === 0) throw new BulwarkError('USAGE', 'no trusted keys: give at least one public key');
  if (threshold > keys.size) {
    throw new BulwarkError(
      'USAGE',
      `a threshold of ${threshold} cannot be met by ${keys.size} trusted key(s)`,
    );
  }
  const payload = decodeBase64(envelope.payload);
  if (payload === undefined) throw new BulwarkError('INPUT_INVALID', 'the DSSE payload is not valid base64');
  if (envelope.signatures.length === 0) {
    return { ok: false, reason: 'no-signatures', message: 'the envelope carries no signatures' };
  }
  const pae = preAuthEncoding(envelope.payloadType, payload);
  const accepted = new Set<string>();
  let namedTrustedKey = false;
  for (const { keyid, sig } of envelope.signatures) {
    const named = keyid ? keys.get(keyid) : undefined;
    if (named !== undefined || !keyid) namedTrustedKey = true;
    const signature = decodeBase64(sig);
    if (signature === undefined) continue;
    const candidates = named ? [named] : [...keys.values()];
    const match = candidates.find((key) => verifySignature(key, pae, signature));
    if (match) accepted.add(match.keyId);
  }
  if (accepted.size >= threshold) {
    return { ok: true, verifiedKeyIds: [...accepted], payload, payloadType: envelope.payloadType };
  }
  if (accepted.size > 0) {
    return {
      ok: false,
      reason: 'threshold',
      message: `${accepted.size} of the ${threshold} required trusted keys signed (${[...accepted].map(shortId).join(', ')})`,
    };
  }
  if (!namedTrustedKey) {
    const named = envelope.signatures.map((s) => JSON.stringify(shortId(s.keyid ?? ''))).slice(0, 3);
    return {
      ok: false,
      reason: 'unknown-key',
      message: `no signature verifies with a trusted key, and they name untrusted key id(s) ${named.join(', ')}`,
    };
  }
  return {
    ok: false,
    reason: 'bad-signature',
    message: 'no signature verifies with a trusted key: the payload, its type or a signature was altered',
  };
}

/**
 * Decodes standard or URL-safe base64 (DSSE verifiers must accept both), padded or not. Returns
 * undefined unless the text is the canonical encoding of its bytes, so two different envelope strings
 * never carry the same signed bytes unnoticed.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!STANDARD_BASE64.test(text) && !URL_SAFE_BASE64.test(text)) return undefined;
  const body = text.replace(/=+$/, '');
  if (body.length !== text.length && text.length % 4 !== 0) return undefined;
  if (body.length % 4 === 1) return undefined;
  const bytes = Buffer.from(body, 'base64');
  const canonical = bytes.toString('base64url');
  if (canonical !== body.replaceAll('+', '-').replaceAll('/', '_')) return undefined;
  // A copy, not a view: small Buffers share Node's allocation pool with unrelated data.
  return new Uint8Array(bytes);
}

function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function shortId(keyId: string): string {
  return keyId.length > 16 ? `${keyId.slice(0, 16)}…` : keyId;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(reason: string): never {
  throw new BulwarkError('INPUT_INVALID', `invalid DSSE envelope: ${reason}`);
}
