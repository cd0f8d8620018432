import { decodeBase64 } from '../../core/dsse.js';
import { bundleSchema } from './bundle-schema.js';
import type { OmsBundle } from './bundle-schema.js';

/** How an OMS bundle was signed, read from which verification material it carries. */
export const SIGNING_METHODS = ['key', 'certificate', 'sigstore'] as const;

export type SigningMethod = (typeof SIGNING_METHODS)[number];

/** A bundle that passed structural checks, with its method and the payload bytes exactly as signed. */
export interface ParsedBundle {
  readonly bundle: OmsBundle;
  readonly method: SigningMethod;
  /** The base64-decoded DSSE payload: the bytes the signature covers, never re-serialized. */
  readonly payload: Uint8Array;
}

/** The result of {@link parseBundle}: the bundle, or every problem found, one sentence each. */
export type BundleParseResult =
  ({ readonly ok: true } & ParsedBundle) | { readonly ok: false; readonly problems: readonly string[] };

/** Bundles larger than this are refused before parsing: real ones are a few kilobytes. */
export const OMS_MAX_BUNDLE_BYTES = 16 * 1024 * 1024;

const MAX_PROBLEMS = 20;

/**
 * Parses an OMS bundle file (Sigstore bundle v0.3 JSON with a DSSE envelope) and checks its structure:
 * media type, envelope, exactly one of `publicKey` / `x509CertificateChain` / `certificate`, and the
 * transparency log entries a Sigstore bundle needs. Hostile or malformed input gives problems, never
 * an exception; the signature itself is checked by `verifyBundleSignature`.
 */
export function parseBundle(bytes: Uint8Array): BundleParseResult {
  if (bytes.length === 0) return failure(['the bundle file is empty (expected Sigstore bundle JSON)']);
  if (bytes.length > OMS_MAX_BUNDLE_BYTES) {
    return failure([`the bundle is ${bytes.length} bytes, more than the ${OMS_MAX_BUNDLE_BYTES} allowed`]);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return failure(['the bundle is not UTF-8 text']);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return failure(['the bundle is not valid JSON']);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return failure(['the bundle must be a JSON object']);
  }
  const parsed = bundleSchema.safeParse(value);
  if (!parsed.success) {
    return failure(parsed.error.issues.slice(0, MAX_PROBLEMS).map(describeIssue));
  }
  const bundle = parsed.data;
  const problems: string[] = [];
  const method = methodOf(bundle, problems);
  const payload = decodeBase64(bundle.dsseEnvelope.payload);
  if (payload === undefined) problems.push('dsseEnvelope.payload is not canonical base64');
  for (const [index, signature] of bundle.dsseEnvelope.signatures.entries()) {
    if (decodeBase64(signature.sig) === undefined) {
      problems.push(`dsseEnvelope.signatures[${index}].sig is not canonical base64`);
    }
  }
  if (method === undefined || payload === undefined || problems.length > 0) return failure(problems);
  return { ok: true, bundle, method, payload };
}

function methodOf(bundle: OmsBundle, problems: string[]): SigningMethod | undefined {
  const material = bundle.verificationMaterial;
  const present = [
    material.publicKey && 'publicKey',
    material.x509CertificateChain && 'x509CertificateChain',
    material.certificate && 'certificate',
  ].filter((name): name is string => typeof name === 'string');
  if (present.length !== 1) {
    problems.push(
      present.length === 0
        ? 'verificationMaterial carries no publicKey, x509CertificateChain or certificate'
        : `verificationMaterial must carry exactly one of publicKey, x509CertificateChain, certificate (found ${present.join(', ')})`,
    );
    return undefined;
  }
  if (material.publicKey) return 'key';
  if (material.x509CertificateChain) return 'certificate';
  if ((material.tlogEntries ?? []).length === 0) {
    problems.push(
      'a Sigstore (certificate) bundle must carry at least one transparency log entry in verificationMaterial.tlogEntries',
    );
    return undefined;
  }
  return 'sigstore';
}

function describeIssue(issue: { path: readonly PropertyKey[]; code: string; message: string }): string {
  const path = issue.path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('');
  const where = path === '' ? 'the bundle' : path.replace(/^\./, '');
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return `${where} is missing`;
  if (issue.code === 'unrecognized_keys') return `${where}: ${issue.message}`;
  return `${where} ${issue.message.replace(/^Invalid input: /, '')}`;
}

function failure(problems: readonly string[]): BundleParseResult {
  return { ok: false, problems };
}
