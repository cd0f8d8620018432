import { readFile } from 'node:fs/promises';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { BulwarkError } from '../../core/errors.js';
import {
  authFailure,
  type AuthFailureReason,
  type AuthResult,
  type Principal,
  type PrincipalLimits,
} from './principal.js';

/** Asymmetric algorithms accepted when none are configured; `none` and HMAC are never accepted. */
export const DEFAULT_JWT_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA', 'Ed25519'] as const;

/** A claim: a top-level name, or a path of names into nested objects (`['realm_access', 'roles']`). */
export type ClaimPath = string | readonly string[];

/** Which claims carry the principal's name, lists and limits. Lists may be arrays or space/comma text. */
export interface JwtClaimMapping {
  /** Default `name`, falling back to `sub`. */
  readonly name?: ClaimPath;
  /** Default `bulwark_models`. */
  readonly models?: ClaimPath;
  /** Default `bulwark_tools`. */
  readonly tools?: ClaimPath;
  readonly rpm?: ClaimPath;
  readonly tpm?: ClaimPath;
  readonly maxTokens?: ClaimPath;
  readonly budget?: ClaimPath;
}

/** Where the verification keys come from. */
export type JwksSource =
  | {
      /** HTTPS URL of the JWKS (plain HTTP only on loopback). */
      readonly url: string;
      /** Fetch timeout. Default 5,000 ms. */
      readonly timeoutMs?: number;
      /** Least time between refetches for an unknown `kid`. Default 30,000 ms. */
      readonly cooldownMs?: number;
      /** How long fetched keys are trusted before a refetch. Default 600,000 ms. */
      readonly cacheMaxAgeMs?: number;
    }
  | { readonly file: string }
  | { readonly keys: JSONWebKeySet };

/** Options of `createJwtVerifier`. */
export interface JwtVerifierOptions {
  readonly jwks: JwksSource;
  /** Required `iss` (one of). */
  readonly issuer: string | readonly string[];
  /** Required `aud` (one of). */
  readonly audience: string | readonly string[];
  /** Accepted `alg` values; default `DEFAULT_JWT_ALGORITHMS`. */
  readonly algorithms?: readonly string[];
  /** Allowed clock skew for `exp`/`nbf`. Default 30 s. */
  readonly clockToleranceSec?: number;
  /** Oldest acceptable `iat`, when set. */
  readonly maxTokenAgeSec?: number;
  readonly claims?: JwtClaimMapping;
  /** Models, tools and limits of tokens whose claims name none. Default: nothing allowed, no limits. */
  readonly defaults?: {
    readonly models?: readonly string[];
    readonly tools?: readonly string[];
    readonly limits?: PrincipalLimits;
  };
}

/** Verifies a bearer JWT and maps its claims to a principal. */
export type JwtVerifier = (token: string) => Promise<AuthResult>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Builds a JWT verifier over a JWKS (remote with caching, cooldown and timeout, a local file read now,
 * or keys given inline). Configuration faults are `CONFIG_INVALID`; token faults are refusals with
 * reasons; an unreachable JWKS is `identity-unavailable`, so the gateway fails closed.
 */
export async function createJwtVerifier(options: JwtVerifierOptions): Promise<JwtVerifier> {
  const algorithms = [...(options.algorithms ?? DEFAULT_JWT_ALGORITHMS)];
  const weak = algorithms.filter((alg) => alg === 'none' || alg.startsWith('HS'));
  if (algorithms.length === 0 || weak.length > 0)
    throw new BulwarkError(
      'CONFIG_INVALID',
      `JWT algorithms must be asymmetric and non-empty${weak.length > 0 ? ` (refused: ${weak.join(', ')})` : ''}`,
    );
  const getKey = await keySource(options.jwks);
  const claims = options.claims ?? {};
  const verifyOptions = {
    issuer: toList(options.issuer),
    audience: toList(options.audience),
    algorithms,
    clockTolerance: options.clockToleranceSec ?? 30,
    requiredClaims: ['sub', 'exp'],
    ...(options.maxTokenAgeSec === undefined ? {} : { maxTokenAge: options.maxTokenAgeSec }),
  };
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, getKey, verifyOptions));
    } catch (error) {
      return authFailure(reasonOf(error), describeJoseError(error));
    }
    try {
      return { ok: true, principal: principalOf(payload, claims, options.defaults ?? {}) };
    } catch (error) {
      return authFailure('token-claims', (error as Error).message);
    }
  };
}

async function keySource(source: JwksSource): Promise<JWTVerifyGetKey> {
  if ('keys' in source) return localKeySet(source.keys, 'the inline JWKS');
  if ('file' in source) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(source.file, 'utf8'));
    } catch (error) {
      throw new BulwarkError(
        'CONFIG_INVALID',
        `cannot read the JWKS file ${source.file}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    return localKeySet(parsed as JSONWebKeySet, `the JWKS file ${source.file}`);
  }
  let url: URL;
  try {
    url = new URL(source.url);
  } catch (error) {
    throw new BulwarkError('CONFIG_INVALID', `the JWKS URL is not a URL: ${source.url}`, { cause: error });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    throw new BulwarkError(
      'CONFIG_INVALID',
      `the JWKS URL must use https (http only on loopback): ${source.url}`,
    );
  return createRemoteJWKSet(url, {
    timeoutDuration: source.timeoutMs ?? 5_000,
    cooldownDuration: source.cooldownMs ?? 30_000,
    cacheMaxAge: source.cacheMaxAgeMs ?? 600_000,
  });
}

function localKeySet(jwks: JSONWebKeySet, what: string): JWTVerifyGetKey {
  try {
    return createLocalJWKSet(jwks);
  } catch (error) {
    throw new BulwarkError('CONFIG_INVALID', `${what} is not a JWKS: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

const REASONS: { readonly [code: string]: AuthFailureReason } = {
  ERR_JWT_EXPIRED: 'token-expired',
  ERR_JWT_CLAIM_VALIDATION_FAILED: 'token-claims',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'token-signature',
  ERR_JWKS_NO_MATCHING_KEY: 'token-key-unknown',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'token-key-unknown',
  ERR_JOSE_ALG_NOT_ALLOWED: 'token-algorithm',
  ERR_JOSE_NOT_SUPPORTED: 'token-algorithm',
  ERR_JWS_INVALID: 'token-malformed',
  ERR_JWT_INVALID: 'token-malformed',
  ERR_JWKS_TIMEOUT: 'identity-unavailable',
  ERR_JWKS_INVALID: 'identity-unavailable',
  // Jose throws its generic error only when the JWKS endpoint answers other than 200 with JSON.
  ERR_JOSE_GENERIC: 'identity-unavailable',
};

/** Jose errors carry stable codes; anything else came from fetching the JWKS (network, HTTP status). */
function reasonOf(error: unknown): AuthFailureReason {
  if (error instanceof errors.JOSEError) return REASONS[error.code] ?? 'token-invalid';
  return 'identity-unavailable';
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTClaimValidationFailed) return `${error.message} (claim ${error.claim})`;
  return error instanceof Error ? error.message : String(error);
}

function principalOf(
  payload: JWTPayload,
  claims: JwtClaimMapping,
  defaults: NonNullable<JwtVerifierOptions['defaults']>,
): Principal {
  const subject = payload.sub ?? '';
  if (subject === '') throw new Error('the "sub" claim is empty');
  const name = claimValue(payload, claims.name ?? 'name');
  const limits = { ...(defaults.limits ?? {}) };
  for (const field of ['rpm', 'tpm', 'maxTokens', 'budget'] as const) {
    const path = claims[field];
    const value = path === undefined ? undefined : claimValue(payload, path);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw new Error(`claim ${pathText(path ?? field)} must be a number >= 0`);
    limits[field] = value;
  }
  return {
    kind: 'jwt',
    id: `${payload.iss ?? ''}#${subject}`,
    name: typeof name === 'string' && name !== '' ? name : subject,
    models: listClaim(payload, claims.models ?? 'bulwark_models') ?? [...(defaults.models ?? [])],
    tools: listClaim(payload, claims.tools ?? 'bulwark_tools') ?? [...(defaults.tools ?? [])],
    limits,
  };
}

function listClaim(payload: JWTPayload, path: ClaimPath): string[] | undefined {
  const value = claimValue(payload, path);
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.split(/[\s,]+/).filter((item) => item !== '');
  if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) return value;
  throw new Error(`claim ${pathText(path)} must be a string or an array of strings`);
}

function claimValue(payload: JWTPayload, path: ClaimPath): unknown {
  let value: unknown = payload;
  for (const name of typeof path === 'string' ? [path] : path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
  }
  return value;
}

function pathText(path: ClaimPath): string {
  return typeof path === 'string' ? path : path.join('.');
}

function toList(value: string | readonly string[]): string[] {
  return typeof value === 'string' ? [value] : [...value];
}
