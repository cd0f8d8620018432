import { z } from 'zod';
import { BulwarkError } from '../core/errors.js';
import { isPypiName, normalizePypiName } from './package-names.js';
import { isRepoIdShape } from './repo-ids.js';
import { parseTrustedIndex } from './urls.js';

/**
 * Package indexes and registries trusted when `trustedIndexes` is not set: PyPI (index and file
 * host), the npm registry and its Yarn mirror, and the PyPI-compatible index of PyPI's most
 * installed ML package, PyTorch.
 */
export const DEFAULT_TRUSTED_INDEXES: readonly string[] = [
  'pypi.org',
  'files.pythonhosted.org',
  'registry.npmjs.org',
  'registry.yarnpkg.com',
  'download.pytorch.org',
];

/** Manifests and sources larger than this are not parsed when `maxFileSize` is not set (8 MiB). */
export const DEFAULT_MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/i;

const trustedIndex = z.string().refine((value) => parseTrustedIndex(value) !== undefined, {
  error: 'expected a host such as "pypi.org" or "*.corp.example", or an http(s) URL of an index',
});

const packageName = z.string().refine((value) => isPypiName(value) || NPM_NAME.test(value), {
  error: 'expected a PyPI or npm package name',
});

const repoId = z.string().refine(isRepoIdShape, {
  error: 'expected a Hugging Face repo id such as "meta-llama/Llama-3.1-8B-Instruct"',
});

/** The `scanners.deps` section of `bulwark.yaml`. */
export const depsOptionsSchema = z
  .strictObject({
    trustedIndexes: z
      .array(trustedIndex)
      .default([...DEFAULT_TRUSTED_INDEXES])
      .meta({
        description:
          'Package indexes and registries the organisation trusts: hosts, `*.`-wildcard hosts or URL prefixes. ' +
          'Replaces the default list (PyPI, npm), so list those too if they stay in use.',
      }),
    popularPackages: z
      .array(packageName)
      .default([])
      .meta({
        description:
          'More package names (PyPI or npm) to protect from typosquats, such as internal packages; they are never ' +
          'reported themselves.',
      }),
    popularModels: z.array(repoId).default([]).meta({
      description: 'More Hugging Face repo ids to protect from look-alikes and shadow repos.',
    }),
    ignore: z.array(z.string().min(1)).default([]).meta({
      description:
        'Package names or repo ids for which no finding is reported (compared after normalization).',
    }),
    maxFileSize: z
      .int()
      .min(1024)
      .max(1024 ** 3)
      .default(DEFAULT_MAX_MANIFEST_BYTES)
      .meta({
        description: 'Manifests and Python sources larger than this many bytes are reported and not parsed.',
      }),
  })
  .meta({ title: 'Dependency scanner options (scanners.deps)' });

/** Validated options of the dependency scanner, every default filled in. */
export type DepsOptions = z.output<typeof depsOptionsSchema>;

/**
 * Validates the `scanners.deps` section (undefined or null gives the defaults). Bad options throw one
 * `BulwarkError('CONFIG_INVALID')` whose message names the setting, e.g.
 * `scanners.deps.trustedIndexes[1]: expected a host …`.
 */
export function parseDepsOptions(value: unknown): DepsOptions {
  const parsed = depsOptionsSchema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = (issue?.path ?? [])
    .filter((key): key is string | number => typeof key !== 'symbol')
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`))
    .join('');
  const message =
    issue?.code === 'unrecognized_keys' ? `unknown key ${issue.keys.join(', ')}` : issue?.message;
  throw new BulwarkError('CONFIG_INVALID', `scanners.deps${path}: ${oneLine(message ?? 'is invalid')}`);
}

/** Normalizes an `ignore` entry so it compares with PyPI, npm and repo-id spellings alike. */
export function ignoreKey(value: string): string {
  return value.includes('/') ? value.toLowerCase() : normalizePypiName(value);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
