import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { BulwarkError } from '../../core/errors.js';
import type { GatewayKeyInput, GatewayKeyRecord } from '../../store/store.js';
import { authFailure, type AuthResult, type Principal, type PrincipalLimits } from './principal.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Characters of the public prefix: 12 base62 characters (71 bits), so prefixes do not collide. */
export const API_KEY_PREFIX_LENGTH = 12;

/** Characters of the secret: 43 base62 characters hold 256 random bits (43 × log2 62 ≈ 256.04). */
export const API_KEY_SECRET_LENGTH = 43;

const KEY_FORMAT = new RegExp(
  `^bw_([0-9A-Za-z]{${API_KEY_PREFIX_LENGTH}})_([0-9A-Za-z]{${API_KEY_SECRET_LENGTH}})$`,
);

/** What a new key may do and until when. */
export interface ApiKeySpec {
  readonly name: string;
  readonly models: readonly string[];
  readonly tools?: readonly string[];
  readonly limits?: PrincipalLimits;
  readonly expiresAt?: Date;
  readonly createdBy?: string;
}

/** A freshly created key: the key itself (show it once, never store it) and the record to store. */
export interface CreatedApiKey {
  readonly key: string;
  readonly record: GatewayKeyInput;
}

/**
 * Creates an API key `bw_<prefix>_<secret>` with a 256-bit secret from the CSPRNG, and the record that
 * stores only its prefix and SHA-256.
 */
export function createApiKey(spec: ApiKeySpec): CreatedApiKey {
  if (spec.name.trim() === '') throw new BulwarkError('INPUT_INVALID', 'an API key needs a name');
  if (spec.models.length === 0)
    throw new BulwarkError('INPUT_INVALID', 'an API key needs at least one model (or * for any)');
  const prefix = randomBase62(API_KEY_PREFIX_LENGTH);
  const key = `bw_${prefix}_${randomBase62(API_KEY_SECRET_LENGTH)}`;
  const limits = spec.limits ?? {};
  return {
    key,
    record: {
      id: randomUUID(),
      name: spec.name,
      prefix,
      hash: hashApiKey(key),
      models: [...spec.models],
      tools: [...(spec.tools ?? [])],
      ...(limits.rpm === undefined ? {} : { rpm: limits.rpm }),
      ...(limits.tpm === undefined ? {} : { tpm: limits.tpm }),
      ...(limits.maxTokens === undefined ? {} : { maxTokens: limits.maxTokens }),
      ...(limits.budget === undefined ? {} : { budget: limits.budget }),
      ...(spec.expiresAt === undefined ? {} : { expiresAt: spec.expiresAt.toISOString() }),
      ...(spec.createdBy === undefined ? {} : { createdBy: spec.createdBy }),
    },
  };
}

/**
 * SHA-256 of the whole key, hex. A fast hash is right for these keys, unlike for passwords: with 256
 * random bits no guessing rate makes a brute force feasible, and a slow KDF would tax every request.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Splits a presented key into its prefix and secret, or tells that it is not a Bulwark key. */
export function parseApiKey(presented: string): { readonly prefix: string } | undefined {
  const match = KEY_FORMAT.exec(presented);
  return match?.[1] === undefined ? undefined : { prefix: match[1] };
}

/** Tells whether a bearer credential has the shape of a Bulwark API key (rather than a JWT). */
export function looksLikeApiKey(presented: string): boolean {
  return presented.startsWith('bw_');
}

/** Finds a stored key by prefix: usually `(prefix) => store.getGatewayKeyByPrefix(prefix)`. */
export type ApiKeyLookup = (prefix: string) => Promise<GatewayKeyRecord | undefined>;

/**
 * Authenticates a presented API key: parses it, looks it up by prefix, compares SHA-256 digests in
 * constant time, then refuses revoked and expired keys. A store fault is `identity-unavailable`, so
 * the gateway fails closed.
 */
export async function authenticateApiKey(
  presented: string,
  lookup: ApiKeyLookup,
  now: Date = new Date(),
): Promise<AuthResult> {
  const parsed = parseApiKey(presented);
  if (parsed === undefined) return authFailure('credentials-malformed', 'not a bw_<prefix>_<secret> key');
  let record: GatewayKeyRecord | undefined;
  try {
    record = await lookup(parsed.prefix);
  } catch (error) {
    return authFailure('identity-unavailable', `key lookup failed: ${String((error as Error).message)}`);
  }
  // The prefix is public (it is shown in lists and logs), so answering faster for an unknown one leaks
  // nothing; only the secret's comparison must not depend on where the bytes differ.
  if (record === undefined) return authFailure('key-unknown', `no key with prefix ${parsed.prefix}`);
  const expected = Buffer.from(record.hash, 'hex');
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual))
    return authFailure('key-mismatch', `wrong secret for prefix ${parsed.prefix}`);
  if (record.revokedAt !== undefined)
    return authFailure('key-revoked', `key ${record.id} was revoked at ${record.revokedAt}`);
  if (record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now.getTime())
    return authFailure('key-expired', `key ${record.id} expired at ${record.expiresAt}`);
  return { ok: true, principal: principalOfKey(record) };
}

/** The principal an API key stands for. */
export function principalOfKey(record: GatewayKeyRecord): Principal {
  return {
    kind: 'api-key',
    id: record.id,
    name: record.name,
    models: record.models,
    tools: record.tools,
    limits: {
      ...(record.rpm === undefined ? {} : { rpm: record.rpm }),
      ...(record.tpm === undefined ? {} : { tpm: record.tpm }),
      ...(record.maxTokens === undefined ? {} : { maxTokens: record.maxTokens }),
      ...(record.budget === undefined ? {} : { budget: record.budget }),
    },
  };
}

/** Options of `cachedKeyLookup`. */
export interface KeyCacheOptions {
  /** How long a looked-up record (or its absence) is reused; also how late a revocation may bite. Default 5 s. */
  readonly ttlMs?: number;
  /** Most prefixes kept; the oldest entry is dropped first. Default 10,000. */
  readonly maxEntries?: number;
  /** Clock in milliseconds, for tests. */
  readonly now?: () => number;
}

/**
 * Wraps a lookup with a small TTL cache so that the gateway does not query the store on every request.
 * A revocation takes effect within `ttlMs`. Failed lookups are never cached.
 */
export function cachedKeyLookup(lookup: ApiKeyLookup, options: KeyCacheOptions = {}): ApiKeyLookup {
  const ttlMs = options.ttlMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const clock = options.now ?? Date.now;
  const entries = new Map<string, { readonly at: number; readonly record: GatewayKeyRecord | undefined }>();
  return async (prefix) => {
    const hit = entries.get(prefix);
    if (hit !== undefined && clock() - hit.at < ttlMs) return hit.record;
    entries.delete(prefix);
    const record = await lookup(prefix);
    if (entries.size >= maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done !== true) entries.delete(oldest.value);
    }
    entries.set(prefix, { at: clock(), record });
    return record;
  };
}

/** Random base62 text by rejection sampling, so every character is equally likely. */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 × 62: bytes at or above it would favour the first eight characters.
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}
