/**
 * Validators of the secret recognizers, in the shape of the validator registry
 * (src/data/recognizers/validators.ts): `(value, ctx) => { valid: false } | { valid: true, score? }`.
 * Pass {@link secretValidators} as `compileRecognizers(specs, { validators: secretValidators })`.
 */
import type { Validator, ValidatorContext } from '../recognizers/validators.js';
import type { ValidatorResult } from '../types.js';
import { alphabetOf, gitleaksEntropy, relativeEntropy } from './entropy.js';
import { assessSecretName, classifySecretName, type SecretName } from './secret-names.js';
import { gitleaksValidators } from './gitleaks-rules.js';
import { DOCUMENTATION_SECRETS, isCodeReference, isPlaceholder, isUuid } from './placeholders.js';

const INVALID: ValidatorResult = { valid: false };
const VALID: ValidatorResult = { valid: true };

/** Tells whether the value is a doc example or a placeholder (checked by every secret validator). */
function isKnownFake(value: string): boolean {
  return DOCUMENTATION_SECRETS.has(value) || /EXAMPLE(?:KEY)?$/.test(value) || isPlaceholder(value);
}

/**
 * A prefixed token (`ghp_…`, `glpat-…`, `hf_…`, `xoxb-…`, `sk_live_…`): its random part must not be a
 * placeholder or a low-entropy run. The random part is what follows the last `_` or `-` of the prefix.
 */
function validateToken(value: string): ValidatorResult {
  if (isKnownFake(value)) return INVALID;
  const body = value.replace(/^[a-z]+(?:[_-][a-z0-9]{1,10})*?[_-]/, '');
  return gitleaksEntropy(body) > 3 ? VALID : INVALID;
}

/** AWS access key ids: not AWS's documentation pair, not a repeated or sequential run. */
function validateAwsAccessKey(value: string): ValidatorResult {
  if (isKnownFake(value)) return INVALID;
  return gitleaksEntropy(value) > 3 ? VALID : INVALID;
}

/**
 * AWS secret access keys are 40 characters of base64: random ones mix cases and digits. A 40-char
 * hex string is a SHA-1 (a git commit), not a key.
 */
function validateAwsSecretKey(value: string): ValidatorResult {
  if (isKnownFake(value) || alphabetOf(value) === 'hex') return INVALID;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(value)).length;
  return classes >= 2 && relativeEntropy(value) >= 0.8 ? VALID : INVALID;
}

/** The base64 body of a PEM block (between its BEGIN and END lines), `\n` escapes and headers removed. */
function pemBody(value: string): string {
  const lines = value
    .replace(/\\[nr]/g, '\n')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => !l.startsWith('-----') && !/^[A-Za-z-]+:/.test(l));
  return lines.join('').replace(/\s+/g, '');
}

/** What a base64-encoded PEM file (`LS0tLS1CRUdJTi…`) decodes to, or undefined when it is not base64. */
function decodedPem(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  return Buffer.from(value, 'base64').toString('latin1');
}

/**
 * A private key: a header alone (line-by-line scanning) is reported as is; a whole block must carry a
 * base64 body of real key length that is not a placeholder. A base64-encoded PEM file counts only
 * when it decodes to a private-key block (a certificate's `certificate-authority-data` does not).
 */
function validatePrivateKey(value: string): ValidatorResult {
  if (value.startsWith('LS0tLS1CRUdJTi')) {
    const pem = decodedPem(value);
    if (pem === undefined || !/^-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----/.test(pem)) {
      return INVALID;
    }
    return validatePrivateKey(pem);
  }
  if (!value.includes('-----END')) return VALID;
  const body = pemBody(value);
  if (body.length < 64 || isPlaceholder(body) || /[^A-Za-z0-9+/=]/.test(body)) return INVALID;
  return relativeEntropy(body) >= 0.75 ? VALID : INVALID;
}

function decodeBase64Url(part: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(part) || part.length % 4 === 1) return undefined;
  return Buffer.from(part, 'base64url').toString('utf8');
}

function parseJsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A JSON Web Token (RFC 7519): three base64url parts whose header decodes to a JSON object with a
 * string `alg` (RFC 7515 §4.1.1). A JSON payload raises the score; jwt.io's sample token is dropped.
 */
function validateJwt(value: string): ValidatorResult {
  if (DOCUMENTATION_SECRETS.has(value)) return INVALID;
  const parts = value.split('.');
  if (parts.length !== 3) return INVALID;
  const [header = '', payload = '', signature = ''] = parts;
  const head = parseJsonObject(decodeBase64Url(header));
  if (head === undefined || typeof head.alg !== 'string') return INVALID;
  const claims = parseJsonObject(decodeBase64Url(payload));
  if (claims === undefined) return { valid: true, score: 0.7 };
  const isUnsigned = head.alg.toLowerCase() === 'none' || signature === '';
  return { valid: true, score: isUnsigned ? 0.8 : 0.9 };
}

/** The password part of a URI, JDBC, ADO.NET or Oracle thin connection string. */
function connectionPassword(value: string): string | undefined {
  const keyed = /(?:^|[;?&])\s*(?:password|pwd)\s*=\s*([^;&]*)/i.exec(value);
  if (keyed) return keyed[1];
  const thin = /^jdbc:oracle:thin:[^/@]*\/([^@]+)@/i.exec(value);
  if (thin) return thin[1];
  const uri = /^[a-z][\w+.-]*:\/\/[^:@/]*:([^@/]+)@/i.exec(value);
  return uri?.[1];
}

/** A connection string carries a real password: not empty, not a placeholder or variable reference. */
function validateConnectionString(value: string): ValidatorResult {
  const raw = connectionPassword(value);
  if (raw === undefined) return INVALID;
  let password = raw.trim();
  try {
    password = decodeURIComponent(password);
  } catch {
    // A password with a stray `%` is still a password.
  }
  if (password === '' || isPlaceholder(password)) return INVALID;
  if (/^(?:pass(?:word)?|passwd|pwd|secret|root|admin|user|test|\*+)$/i.test(password)) return INVALID;
  return VALID;
}

/** Tuned on the tuning split of test/fixtures/secrets (docs/secret-scanning.md). */
const GENERIC_MIN_RELATIVE_ENTROPY = 0.8;

/**
 * A value assigned to a key-like name: the name (read back from the text) must be a secret's name,
 * and the value high-entropy and none of placeholder, variable reference, code, path, URL, UUID,
 * number or plain word.
 */
function validateGenericSecret(value: string, ctx: ValidatorContext): ValidatorResult {
  const name = assessSecretName(ctx.text, ctx.start);
  return name === undefined ? INVALID : scoreGenericValue(value, name);
}

/**
 * The last name of a column or JSON path (`$.db.password` → `password`, `users[0].apiKey` →
 * `apiKey`), the key a table cell's value is assigned to.
 */
function fieldName(field: string): string {
  const segments = field
    .replace(/\[\d+\]/g, '')
    .split(/[.[\]"']+/)
    .filter((s) => s !== '' && s !== '$');
  return segments[segments.length - 1] ?? '';
}

/**
 * A whole table cell or JSON value under a secret's name (`password` column, `"apiKey": …`): the
 * name comes from the field, since the cell holds only the value; the value checks are those of
 * {@link validateGenericSecret}.
 */
function validateGenericField(value: string, ctx: ValidatorContext): ValidatorResult {
  if (ctx.field === undefined) return INVALID;
  const name = classifySecretName(fieldName(ctx.field));
  return name === undefined ? INVALID : scoreGenericValue(value, name);
}

function scoreGenericValue(value: string, name: SecretName): ValidatorResult {
  if (isKnownFake(value) || isCodeReference(value) || isUuid(value)) return INVALID;
  if (/^(?:https?|ftp|file|s3|gs):\/\//i.test(value) || /^(?:\/|~\/|\.\.?\/|[A-Za-z]:\\)/.test(value)) {
    return INVALID;
  }
  // Numbers, plain words and the next key of a YAML mapping (`name:`) are not values.
  if (/^[\d.,:+-]+$/.test(value) || /^[A-Za-z_.-]+:?$/.test(value)) return INVALID;
  const entropy = relativeEntropy(value);
  if (entropy < GENERIC_MIN_RELATIVE_ENTROPY) return INVALID;
  const score = 0.6 + (name.isStrong ? 0.08 : 0) + (entropy >= 0.9 ? 0.04 : 0);
  return { valid: true, score };
}

/** The service-account JSON `private_key` holds a whole PEM block, escaped for JSON. */
function validateServiceAccountKey(value: string): ValidatorResult {
  return validatePrivateKey(value);
}

/** Validators of the curated secret recognizers (secret-recognizers.ts), by name. */
export const curatedSecretValidators: Readonly<Record<string, Validator>> = {
  'secret-token': validateToken,
  'secret-aws-access-key': validateAwsAccessKey,
  'secret-aws-secret-key': validateAwsSecretKey,
  'secret-private-key': validatePrivateKey,
  'secret-gcp-service-account': validateServiceAccountKey,
  'secret-jwt': validateJwt,
  'secret-connection-string': validateConnectionString,
  'secret-generic': validateGenericSecret,
  'secret-generic-field': validateGenericField,
};

/** Every validator the secret recognizers name: the curated ones and one per gitleaks rule. */
export const secretValidators: Readonly<Record<string, Validator>> = {
  ...curatedSecretValidators,
  ...gitleaksValidators,
};
