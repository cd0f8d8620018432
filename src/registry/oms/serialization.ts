import {
  comparePaths,
  DEFAULT_SHARD_SIZE,
  compareResources,
  pathProblem,
  resourceAlgorithm,
  resourceName,
  type HashType,
  type Manifest,
  type ManifestResource,
  type SerializationMethod,
  type SerializationParams,
} from './manifest.js';
import type { ModelTree, ModelTreeEntry } from './model-tree.js';
import { hashSource, type HashFunction } from './serialization-hash.js';

/** Paths every OMS signer and verifier excludes at the model root (§6.2). */
export const DEFAULT_IGNORE_PATHS = ['.git', '.gitattributes', '.github', '.gitignore'] as const;

/** Resources a manifest may hold before serialization stops (a hostile tiny shard size stays bounded). */
export const DEFAULT_MAX_RESOURCES = 1_000_000;

/** How to serialize a model; every field has the reference implementation's default. */
export interface SerializeOptions {
  /** Default `files`. */
  readonly method?: SerializationMethod;
  /** Default `sha256`. */
  readonly hashType?: HashType;
  /** Bytes per shard for `shards`; default 1,000,000,000. */
  readonly shardSize?: number;
  /** Follow symlinks to files (default false: a symlink is an error, §6.1.1). */
  readonly allowSymlinks?: boolean;
  /** Extra exact paths or folders to exclude, relative to the model root. */
  readonly ignorePaths?: readonly string[];
  /** The signature file's path relative to the model root, excluded from the manifest (§6.2). */
  readonly signaturePath?: string;
  /** Hash function; default `hashSource` (streams in-process). */
  readonly hash?: HashFunction;
  /** Files hashed at once; default 4. */
  readonly concurrency?: number;
  /** Default 1,000,000. */
  readonly maxResources?: number;
}

/** Problems met while enumerating a model; errors make the manifest unfit for signing or verifying. */
export const SERIALIZATION_ISSUE_KINDS = [
  'symlink-not-allowed',
  'symlink-outside-model',
  'symlink-broken',
  'symlink-directory',
  'special-file',
  'invalid-path',
  'invalid-ignore-path',
  'invalid-shard-size',
  'too-many-resources',
  'empty-model',
] as const;

/** The kind of a serialization issue. */
export type SerializationIssueKind = (typeof SERIALIZATION_ISSUE_KINDS)[number];

/** One problem found while serializing, with the path it concerns. */
export interface SerializationIssue {
  readonly kind: SerializationIssueKind;
  readonly severity: 'error' | 'warning';
  readonly path: string;
  readonly message: string;
}

/** A computed manifest and every issue met on the way. */
export interface SerializeResult {
  readonly manifest: Manifest;
  readonly issues: readonly SerializationIssue[];
}

/** Normalizes an ignore path (`./a//b/` → `a/b`) or returns undefined when it can never match. */
export function normalizeIgnorePath(path: string): string | undefined {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  const joined = parts.join('/');
  if (path.startsWith('/') || joined === '' || parts.includes('..') || /[*?[]/.test(joined)) return undefined;
  return joined;
}

/** Tells whether `path` is an ignore path or lies under one (exact path or folder, §6.2.1). */
export function isIgnored(path: string, ignorePaths: readonly string[]): boolean {
  return ignorePaths.some((ignored) => path === ignored || path.startsWith(`${ignored}/`));
}

/** Returns the serialize options that reproduce a signed manifest's parameters (verifier side, §8.4). */
export function optionsFromParams(params: SerializationParams): SerializeOptions {
  return {
    method: params.method,
    hashType: params.hashType,
    allowSymlinks: params.allowSymlinks,
    ignorePaths: params.ignorePaths,
    ...(params.shardSize === undefined ? {} : { shardSize: params.shardSize }),
  };
}

interface Selected {
  readonly path: string;
  readonly size: number;
}

function selectFiles(
  tree: ModelTree,
  entries: readonly ModelTreeEntry[],
  ignorePaths: readonly string[],
  allowSymlinks: boolean,
  issues: SerializationIssue[],
): Selected[] {
  const selected: Selected[] = [];
  const issue = (
    kind: SerializationIssueKind,
    severity: 'error' | 'warning',
    path: string,
    message: string,
  ) => issues.push({ kind, severity, path, message });
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.path)) {
      issue('invalid-path', 'error', entry.path, `'${entry.path}' is listed twice by the model tree`);
      continue;
    }
    seen.add(entry.path);
    const problem = pathProblem(entry.path);
    if (problem !== undefined) {
      issue('invalid-path', 'error', entry.path, `cannot sign '${entry.path}': ${problem}`);
      continue;
    }
    if (!tree.isSingleFile && isIgnored(entry.path, ignorePaths)) continue;
    switch (entry.kind) {
      case 'dir':
        break;
      case 'file':
        selected.push({ path: entry.path, size: entry.size });
        break;
      case 'other':
        issue('special-file', 'error', entry.path, `'${entry.path}' is neither a file nor a directory`);
        break;
      case 'symlink': {
        const link = entry.link;
        if (!allowSymlinks) {
          issue(
            'symlink-not-allowed',
            'error',
            entry.path,
            `'${entry.path}' is a symlink (symlinks not allowed)`,
          );
        } else if (link === undefined || link.kind === 'missing' || link.kind === 'other') {
          issue('symlink-broken', 'error', entry.path, `symlink '${entry.path}' does not lead to a file`);
        } else if (link.kind === 'dir') {
          issue(
            'symlink-directory',
            'warning',
            entry.path,
            `symlinked directory '${entry.path}' not followed`,
          );
        } else {
          if (!link.isInsideModel) {
            issue(
              'symlink-outside-model',
              'warning',
              entry.path,
              `symlink '${entry.path}' leads outside the model`,
            );
          }
          selected.push({ path: entry.path, size: link.size });
        }
        break;
      }
    }
  }
  return selected;
}

function planResources(
  files: readonly Selected[],
  params: SerializationParams,
): Omit<ManifestResource, 'digest'>[] {
  const algorithm = resourceAlgorithm(params);
  const planned: Omit<ManifestResource, 'digest'>[] = [];
  for (const file of files) {
    if (params.method === 'files') {
      planned.push({ name: file.path, path: file.path, algorithm });
      continue;
    }
    const shardSize = params.shardSize ?? DEFAULT_SHARD_SIZE;
    for (let start = 0; start < file.size; start += shardSize) {
      const range = { start, end: Math.min(file.size, start + shardSize) };
      planned.push({ name: resourceName(file.path, range), path: file.path, range, algorithm });
    }
  }
  return planned.sort((a, b) => compareResources({ ...a, digest: '' }, { ...b, digest: '' }));
}

function countResources(files: readonly Selected[], params: SerializationParams): number {
  if (params.method === 'files') return files.length;
  const shardSize = params.shardSize ?? DEFAULT_SHARD_SIZE;
  return files.reduce((sum, file) => sum + Math.ceil(file.size / shardSize), 0);
}

function resolveParams(options: SerializeOptions, issues: SerializationIssue[]): SerializationParams {
  const method = options.method ?? 'files';
  const ignore = new Set<string>(DEFAULT_IGNORE_PATHS);
  for (const raw of [
    ...(options.ignorePaths ?? []),
    ...(options.signaturePath === undefined ? [] : [options.signaturePath]),
  ]) {
    const normalized = normalizeIgnorePath(raw);
    if (normalized === undefined) {
      issues.push({
        kind: 'invalid-ignore-path',
        severity: 'warning',
        path: raw,
        message: `ignore path '${raw}' can never match`,
      });
    } else ignore.add(normalized);
  }
  const base = {
    method,
    hashType: options.hashType ?? 'sha256',
    allowSymlinks: options.allowSymlinks ?? false,
    ignorePaths: [...ignore].sort(),
  };
  return method === 'shards' ? { ...base, shardSize: options.shardSize ?? DEFAULT_SHARD_SIZE } : base;
}

async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/**
 * The files a serialization would cover (path relative to the model, size), in canonical order, with
 * the issues met — without reading any bytes. `registry push` scans exactly these files.
 */
export async function selectModelFiles(
  tree: ModelTree,
  options: Pick<SerializeOptions, 'allowSymlinks' | 'ignorePaths' | 'signaturePath'> = {},
): Promise<{
  readonly files: readonly { readonly path: string; readonly size: number }[];
  readonly issues: readonly SerializationIssue[];
}> {
  const issues: SerializationIssue[] = [];
  const params = resolveParams(options, issues);
  const files = selectFiles(tree, await tree.list(), params.ignorePaths, params.allowSymlinks, issues);
  return { files: [...files].sort((a, b) => comparePaths(a.path, b.path)), issues };
}

/**
 * Enumerates and hashes a model per OMS §6 as the reference `model_signing` does: files or shards,
 * sorted, default and user ignore paths, symlink policy. Hostile trees give issues, never exceptions.
 */
export async function serializeModel(
  tree: ModelTree,
  options: SerializeOptions = {},
): Promise<SerializeResult> {
  const issues: SerializationIssue[] = [];
  const params = resolveParams(options, issues);
  const empty: Manifest = { modelName: tree.name, serialization: params, resources: [] };
  const shardSize = params.shardSize;
  if (shardSize !== undefined && (!Number.isSafeInteger(shardSize) || shardSize <= 0)) {
    issues.push({
      kind: 'invalid-shard-size',
      severity: 'error',
      path: '.',
      message: `shard size ${shardSize} is not a positive integer`,
    });
    return { manifest: empty, issues };
  }
  const files = selectFiles(tree, await tree.list(), params.ignorePaths, params.allowSymlinks, issues);
  const maxResources = options.maxResources ?? DEFAULT_MAX_RESOURCES;
  const count = countResources(files, params);
  if (count > maxResources) {
    issues.push({
      kind: 'too-many-resources',
      severity: 'error',
      path: '.',
      message: `the manifest would hold ${count} resources (limit ${maxResources})`,
    });
    return { manifest: empty, issues };
  }
  const planned = planResources(files, params);
  if (planned.length === 0) {
    // OMS §5.2.1: a manifest needs one resource; empty files give none when sharded.
    issues.push({
      kind: 'empty-model',
      severity: 'error',
      path: '.',
      message: 'the model has no bytes to sign',
    });
  }
  const hash = options.hash ?? hashSource;
  const digests = new Map<string, string>();
  const byPath = new Map<string, Omit<ManifestResource, 'digest'>[]>();
  for (const item of planned) {
    const list = byPath.get(item.path);
    if (list === undefined) byPath.set(item.path, [item]);
    else list.push(item);
  }
  await runPool([...byPath.entries()], options.concurrency ?? 4, async ([path, items]) => {
    const source = await tree.open(path);
    try {
      for (const item of items) digests.set(item.name, await hash(source, params.hashType, item.range));
    } finally {
      await source.close?.();
    }
  });
  const resources = planned.map((item) => ({ ...item, digest: digests.get(item.name) ?? '' }));
  return { manifest: { modelName: tree.name, serialization: params, resources }, issues };
}
