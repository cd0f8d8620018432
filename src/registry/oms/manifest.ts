import { createHash } from 'node:crypto';

/** File hashing algorithms Bulwark computes (OMS algorithm registry; `blake3` is not available in Node). */
export const HASH_TYPES = ['sha256', 'blake2b'] as const;

/** An OMS `hash_type`. */
export type HashType = (typeof HASH_TYPES)[number];

/** Hex digest length of each hash type. */
export const HASH_HEX_LENGTH: Readonly<Record<HashType, number>> = { sha256: 64, blake2b: 128 };

/** OMS serialization methods: one resource per file, or per fixed-size byte range of each file. */
export const SERIALIZATION_METHODS = ['files', 'shards'] as const;

/** An OMS `serialization.method`. */
export type SerializationMethod = (typeof SERIALIZATION_METHODS)[number];

/** Shard size used when none is given (OMS §6.3.2 and the reference implementation). */
export const DEFAULT_SHARD_SIZE = 1_000_000_000;

/** The parameters that say how a model was enumerated and hashed (`predicate.serialization`). */
export interface SerializationParams {
  readonly method: SerializationMethod;
  readonly hashType: HashType;
  /** Bytes per shard; only for `shards`. */
  readonly shardSize?: number;
  readonly allowSymlinks: boolean;
  /** Paths excluded from the manifest, relative to the model root (defaults included). */
  readonly ignorePaths: readonly string[];
}

/** One manifest item: a whole file, or the byte range `[start, end)` of a file for shards. */
export interface ManifestResource {
  /** The OMS resource name: the path, or `path:start:end` for a shard. */
  readonly name: string;
  readonly path: string;
  readonly range?: { readonly start: number; readonly end: number };
  /** The `algorithm` field as written: `sha256`, or `sha256-sharded-<size>` for shards. */
  readonly algorithm: string;
  /** Lowercase hex digest. */
  readonly digest: string;
}

/** A model's manifest: what the OMS statement signs and what verification recomputes. */
export interface Manifest {
  readonly modelName: string;
  readonly serialization: SerializationParams;
  /** In canonical order (see `compareResources`). */
  readonly resources: readonly ManifestResource[];
}

/** Returns the resource `algorithm` value the reference implementation writes for these parameters. */
export function resourceAlgorithm(
  params: Pick<SerializationParams, 'method' | 'hashType' | 'shardSize'>,
): string {
  return params.method === 'shards'
    ? `${params.hashType}-sharded-${params.shardSize ?? DEFAULT_SHARD_SIZE}`
    : params.hashType;
}

/** Returns the OMS resource name of a file or shard. */
export function resourceName(path: string, range?: { start: number; end: number }): string {
  return range === undefined ? path : `${path}:${range.start}:${range.end}`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const SHARD_NAME = /^(.*):(0|[1-9][0-9]{0,15}):(0|[1-9][0-9]{0,15})$/s;

/** Splits `path:start:end` on its last two colons (OMS §6.3.2: paths may contain colons). */
export function parseShardName(name: string): { path: string; start: number; end: number } | undefined {
  const match = SHARD_NAME.exec(name);
  if (match === null) return undefined;
  const [, path = '', start = '', end = ''] = match;
  const from = Number(start);
  const to = Number(end);
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from >= to || path === '') return undefined;
  return { path, start: from, end: to };
}

/**
 * Tells why a resource path is not canonical (OMS §6.1.2), or returns undefined when it is: relative,
 * `/`-separated, no empty, `.` or `..` components (except the single-file name `.`), no NUL.
 */
export function pathProblem(path: string): string | undefined {
  if (path === '.') return undefined;
  if (path === '') return 'empty path';
  if (path.startsWith('/')) return 'absolute path';
  if (path.includes('\0')) return 'NUL character in path';
  if (path.includes('\\')) return 'backslash in path';
  if (LONE_SURROGATE.test(path)) return 'path is not valid Unicode';
  for (const part of path.split('/')) {
    if (part === '') return 'empty path component';
    if (part === '.' || part === '..') return `'${part}' path component`;
  }
  return undefined;
}

function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done === true) return y.done === true ? 0 : -1;
    if (y.done === true) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** Orders paths as Python's PurePosixPath does (component by component), as the reference sorts. */
export function comparePaths(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  const n = Math.min(left.length, right.length);
  for (let i = 0; i < n; i++) {
    const order = compareCodePoints(left[i] ?? '', right[i] ?? '');
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

/** Canonical resource order of the reference implementation: by path components, then shard offsets. */
export function compareResources(a: ManifestResource, b: ManifestResource): number {
  return (
    comparePaths(a.path, b.path) ||
    (a.range?.start ?? 0) - (b.range?.start ?? 0) ||
    (a.range?.end ?? 0) - (b.range?.end ?? 0)
  );
}

/** Computes the OMS root digest: SHA-256 over the raw resource digests in the order given (§6.5.1). */
export function rootDigest(resources: readonly Pick<ManifestResource, 'digest'>[]): string {
  const hash = createHash('sha256');
  for (const resource of resources) hash.update(Buffer.from(resource.digest, 'hex'));
  return hash.digest('hex');
}
