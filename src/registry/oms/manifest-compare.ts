import type { Manifest, ManifestResource, SerializationParams } from './manifest.js';
import type { ModelTree } from './model-tree.js';
import {
  optionsFromParams,
  serializeModel,
  type SerializationIssue,
  type SerializeOptions,
} from './serialization.js';

/** Ways a model on disk can differ from its signed manifest. */
export const MANIFEST_DIFFERENCE_KINDS = [
  'serialization-mismatch',
  'digest-mismatch',
  'missing-file',
  'unsigned-file',
  'renamed-file',
] as const;

/** The kind of a manifest difference. */
export type ManifestDifferenceKind = (typeof MANIFEST_DIFFERENCE_KINDS)[number];

/** One difference between the signed manifest and the model, with a reason fit for a terminal. */
export interface ManifestDifference {
  readonly kind: ManifestDifferenceKind;
  /** The file path concerned (the new path for a rename). */
  readonly path: string;
  /** The signed path of a renamed file. */
  readonly from?: string;
  readonly reason: string;
}

/** How strict the comparison is. */
export interface CompareOptions {
  /** Accept files on disk that the signature does not cover (`--ignore-unsigned-files`, §8.5). */
  readonly allowUnsignedFiles?: boolean;
}

function serializationDifference(
  expected: SerializationParams,
  actual: SerializationParams,
): string | undefined {
  const parts: string[] = [];
  if (expected.method !== actual.method) parts.push(`method ${expected.method} vs ${actual.method}`);
  if (expected.hashType !== actual.hashType) parts.push(`hash ${expected.hashType} vs ${actual.hashType}`);
  if (expected.method === 'shards' && expected.shardSize !== actual.shardSize) {
    parts.push(`shard size ${expected.shardSize} vs ${actual.shardSize}`);
  }
  if (expected.allowSymlinks !== actual.allowSymlinks) {
    parts.push(`allow_symlinks ${expected.allowSymlinks} vs ${actual.allowSymlinks}`);
  }
  return parts.length === 0 ? undefined : parts.join(', ');
}

/** Groups resources by file path, each file's pieces as one comparable fingerprint. */
function fingerprints(resources: readonly ManifestResource[]): Map<string, string> {
  const pieces = new Map<string, string[]>();
  for (const resource of resources) {
    const key = resource.range === undefined ? '' : `${resource.range.start}:${resource.range.end}`;
    const list = pieces.get(resource.path);
    const piece = `${key}=${resource.digest}`;
    if (list === undefined) pieces.set(resource.path, [piece]);
    else list.push(piece);
  }
  return new Map([...pieces].map(([path, list]) => [path, list.sort().join(',')]));
}

/**
 * Compares a signed manifest with one computed from the model and lists every difference: changed
 * content, missing, unsigned extra and renamed files, and serialization parameters that disagree.
 */
export function compareManifest(
  expected: Manifest,
  actual: Manifest,
  options: CompareOptions = {},
): ManifestDifference[] {
  const paramsDiff = serializationDifference(expected.serialization, actual.serialization);
  if (paramsDiff !== undefined) {
    // Digests computed another way cannot be compared; the caller re-hashes with the signed parameters.
    return [
      {
        kind: 'serialization-mismatch',
        path: '.',
        reason: `model hashed differently than signed: ${paramsDiff}`,
      },
    ];
  }
  const signed = fingerprints(expected.resources);
  const onDisk = fingerprints(actual.resources);
  const differences: ManifestDifference[] = [];
  const missing: string[] = [];
  for (const [path, print] of signed) {
    const found = onDisk.get(path);
    if (found === undefined) missing.push(path);
    else if (found !== print) {
      differences.push({
        kind: 'digest-mismatch',
        path,
        reason: `'${path}' does not match its signed digest`,
      });
    }
  }
  const extra = [...onDisk.keys()].filter((path) => !signed.has(path));
  const renamedTo = new Set<string>();
  for (const path of missing) {
    const print = signed.get(path);
    const target = extra.find((candidate) => !renamedTo.has(candidate) && onDisk.get(candidate) === print);
    if (target === undefined) {
      differences.push({ kind: 'missing-file', path, reason: `signed file '${path}' is missing` });
      continue;
    }
    renamedTo.add(target);
    differences.push({
      kind: 'renamed-file',
      path: target,
      from: path,
      reason: `signed file '${path}' was renamed to '${target}'`,
    });
  }
  if (options.allowUnsignedFiles !== true) {
    for (const path of extra.filter((candidate) => !renamedTo.has(candidate))) {
      differences.push({ kind: 'unsigned-file', path, reason: `'${path}' is not covered by the signature` });
    }
  }
  return differences;
}

/** The outcome of checking a model against a signed manifest. */
export interface ModelCheck {
  /** The manifest computed from the model with the signed parameters. */
  readonly actual: Manifest;
  readonly differences: readonly ManifestDifference[];
  /** Enumeration issues (symlinks, special files) met while hashing the model. */
  readonly issues: readonly SerializationIssue[];
}

/** Options of `checkModel`: comparison strictness plus the verifier's own exclusions. */
export interface CheckModelOptions
  extends CompareOptions, Pick<SerializeOptions, 'hash' | 'concurrency' | 'maxResources'> {
  /** Exclusions added by the verifier (`--ignore-paths`, the signature file), on top of the signed ones. */
  readonly ignorePaths?: readonly string[];
  readonly signaturePath?: string;
}

/**
 * Re-hashes a model the way the signer said (method, hash, shard size, symlink policy, recorded
 * ignore paths, OMS §8.4) and compares it with the signed manifest.
 */
export async function checkModel(
  tree: ModelTree,
  expected: Manifest,
  options: CheckModelOptions = {},
): Promise<ModelCheck> {
  const signed = optionsFromParams(expected.serialization);
  const { manifest, issues } = await serializeModel(tree, {
    ...signed,
    ignorePaths: [...(signed.ignorePaths ?? []), ...(options.ignorePaths ?? [])],
    ...(options.signaturePath === undefined ? {} : { signaturePath: options.signaturePath }),
    ...(options.hash === undefined ? {} : { hash: options.hash }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.maxResources === undefined ? {} : { maxResources: options.maxResources }),
  });
  const compareOptions =
    options.allowUnsignedFiles === undefined ? {} : { allowUnsignedFiles: options.allowUnsignedFiles };
  return { actual: manifest, differences: compareManifest(expected, manifest, compareOptions), issues };
}
