import { parse as parseToml } from 'smol-toml';
import { BulwarkError } from '../../core/errors.js';
import { manifestKindOf, type ManifestKind } from '../../supply/manifest-kinds.js';
import type { Ecosystem } from '../../supply/package-names.js';
import { isExactPin, parsePep508 } from '../../supply/pep508.js';
import { parseRequirements } from '../../supply/requirements-parser.js';
import { arrayOf, stringOf, tableOf, type TomlTable } from '../../supply/toml-support.js';

/** CycloneDX hash algorithms a lock file can give. */
export type PackageHashAlgorithm = 'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** A hash of one distribution file of a package, as CycloneDX writes it (hex content). */
export interface PackageHash {
  readonly alg: PackageHashAlgorithm;
  readonly content: string;
}

/** One package a manifest or lock file names. */
export interface PackageRef {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  /** Present only when the file pins one exact version (a lock entry, `==1.2.3`). */
  readonly version?: string;
  /** Hashes of the one file the package is (an npm tarball, a pinned wheel), by algorithm. */
  readonly hashes: readonly PackageHash[];
  /** Hashes of several distribution files (a lock's wheels and sdist): none of them is "the" package. */
  readonly fileHashes: readonly PackageHash[];
  readonly isDevelopment: boolean;
}

/** The packages read from one file, and what was skipped, one line each. */
export interface DependencyList {
  readonly kind: ManifestKind;
  readonly packages: readonly PackageRef[];
  readonly warnings: readonly string[];
}

const HASH_NAMES: Readonly<Record<string, PackageHashAlgorithm>> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

/**
 * Reads the packages of a dependency file, told apart by its name as `scan deps` does:
 * requirements (any other name too), `pyproject.toml`, `poetry.lock`, `uv.lock`, `Pipfile.lock`,
 * `package-lock.json`/`npm-shrinkwrap.json`. A file that cannot be parsed is an `INPUT_INVALID` fault.
 */
export function readDependencies(path: string, text: string): DependencyList {
  const kind = manifestKindOf(path, 'text') ?? 'requirements';
  const warnings: string[] = [];
  const packages = ((): PackageRef[] => {
    switch (kind) {
      case 'requirements':
      case 'constraints':
        return fromRequirements(text, warnings);
      case 'pyproject':
        return fromPyproject(toml(path, text), warnings);
      case 'poetry-lock':
        return fromTomlLock(toml(path, text), 'poetry');
      case 'uv-lock':
        return fromTomlLock(toml(path, text), 'uv');
      case 'pipfile-lock':
        return fromPipfileLock(json(path, text));
      case 'package-lock':
        return fromPackageLock(json(path, text));
      case 'python-source':
      case 'notebook':
        throw new BulwarkError('INPUT_INVALID', `${path} is not a dependency manifest`);
    }
  })();
  return { kind, packages, warnings: warnings.map((w) => `${path}: ${w}`) };
}

function fromRequirements(text: string, warnings: string[]): PackageRef[] {
  const packages: PackageRef[] = [];
  for (const entry of parseRequirements(text)) {
    if (entry.kind === 'invalid') warnings.push(`skipped: ${entry.message}`);
    else if (entry.kind === 'option' && (entry.option === '--requirement' || entry.option === '--constraint'))
      warnings.push(`${entry.option} ${entry.value ?? ''} is not followed; pass it with --requirements`);
    else if (entry.kind === 'requirement' && entry.requirement === undefined)
      warnings.push(`skipped a requirement without a package name: ${entry.text}`);
    else if (entry.kind === 'requirement' && entry.requirement !== undefined) {
      const { name, clauses } = entry.requirement;
      const pin = isExactPin(clauses)
        ? clauses.find((c) => c.operator === '===' || (c.operator === '==' && !c.version.includes('*')))
        : undefined;
      const hashes = entry.hashes.flatMap((h) => hashOf(h.algorithm, h.digest));
      packages.push(pypi(name, pin?.version, hashes, false));
    }
  }
  return packages;
}

function fromPyproject(doc: TomlTable, warnings: string[]): PackageRef[] {
  const packages: PackageRef[] = [];
  const fromPep508 = (spec: unknown, isDevelopment: boolean): void => {
    const text = stringOf(spec);
    if (text === undefined) return;
    const parsed = parsePep508(text);
    if (!parsed.ok) {
      warnings.push(`skipped: ${parsed.message} in "${text}"`);
      return;
    }
    const pin = parsed.requirement.clauses.find((c) => c.operator === '==' || c.operator === '===');
    const version = isExactPin(parsed.requirement.clauses) ? pin?.version : undefined;
    packages.push(pypi(parsed.requirement.name, version, [], isDevelopment));
  };
  const project = tableOf(doc['project']);
  for (const spec of arrayOf(project?.['dependencies'])) fromPep508(spec, false);
  for (const group of Object.values(tableOf(project?.['optional-dependencies']) ?? {}))
    for (const spec of arrayOf(group)) fromPep508(spec, false);
  for (const group of Object.values(tableOf(doc['dependency-groups']) ?? {}))
    for (const spec of arrayOf(group)) fromPep508(spec, true);
  const poetry = tableOf(tableOf(doc['tool'])?.['poetry']);
  const poetryTables: [TomlTable | undefined, boolean][] = [
    [tableOf(poetry?.['dependencies']), false],
    [tableOf(poetry?.['dev-dependencies']), true],
    ...Object.values(tableOf(poetry?.['group']) ?? {}).map((group): [TomlTable | undefined, boolean] => [
      tableOf(tableOf(group)?.['dependencies']),
      true,
    ]),
  ];
  for (const [table, isDevelopment] of poetryTables) {
    for (const [name, value] of Object.entries(table ?? {})) {
      if (name.toLowerCase() === 'python') continue;
      const constraint = stringOf(value) ?? stringOf(tableOf(value)?.['version']);
      const exact =
        constraint === undefined ? undefined : /^(?:==)?\s*(\d[\w.+!-]*)$/.exec(constraint.trim());
      packages.push(pypi(name, exact?.[1], [], isDevelopment));
    }
  }
  return packages;
}

function fromTomlLock(doc: TomlTable, flavour: 'poetry' | 'uv'): PackageRef[] {
  const legacyFiles = tableOf(tableOf(doc['metadata'])?.['files']) ?? {};
  return arrayOf(doc['package']).flatMap((item): PackageRef[] => {
    const pkg = tableOf(item);
    const name = stringOf(pkg?.['name']);
    if (pkg === undefined || name === undefined) return [];
    const source = tableOf(pkg['source']) ?? {};
    // The project itself (uv: virtual or editable source) is not one of its dependencies.
    if (flavour === 'uv' && ('virtual' in source || 'editable' in source)) return [];
    const files =
      flavour === 'poetry'
        ? arrayOf(pkg['files']).length > 0
          ? arrayOf(pkg['files'])
          : arrayOf(legacyFiles[name])
        : [pkg['sdist'], ...arrayOf(pkg['wheels'])];
    const hashes = files.flatMap((file) => prefixedHash(stringOf(tableOf(file)?.['hash'])));
    const isDevelopment = flavour === 'poetry' && stringOf(pkg['category']) === 'dev';
    return [pypi(name, stringOf(pkg['version']), hashes, isDevelopment)];
  });
}

function fromPipfileLock(doc: Record<string, unknown>): PackageRef[] {
  return Object.entries(doc).flatMap(([category, group]): PackageRef[] => {
    if (category === '_meta') return [];
    return Object.entries(tableOf(group) ?? {}).map(([name, entry]) => {
      const version = /^===?(.+)$/.exec(stringOf(tableOf(entry)?.['version']) ?? '')?.[1];
      const hashes = arrayOf(tableOf(entry)?.['hashes']).flatMap((h) => prefixedHash(stringOf(h)));
      return pypi(name, version, hashes, category === 'develop');
    });
  });
}

function fromPackageLock(doc: Record<string, unknown>): PackageRef[] {
  const packages = tableOf(doc['packages']);
  if (packages !== undefined) {
    return Object.entries(packages).flatMap(([key, value]): PackageRef[] => {
      const entry = tableOf(value);
      const at = key.lastIndexOf('node_modules/');
      if (entry === undefined || at < 0 || entry['link'] === true) return [];
      const name = stringOf(entry['name']) ?? key.slice(at + 'node_modules/'.length);
      return [npm(name, entry)];
    });
  }
  const found: PackageRef[] = [];
  const walk = (dependencies: unknown, depth: number): void => {
    if (depth > 64) return;
    for (const [name, value] of Object.entries(tableOf(dependencies) ?? {})) {
      const entry = tableOf(value);
      if (entry === undefined) continue;
      found.push(npm(name, entry));
      walk(entry['dependencies'], depth + 1);
    }
  };
  walk(doc['dependencies'], 0);
  return found;
}

function npm(name: string, entry: TomlTable): PackageRef {
  const version = stringOf(entry['version']);
  // `integrity` is a Subresource Integrity list: `sha512-<base64> sha1-<base64>`.
  const hashes = (stringOf(entry['integrity']) ?? '').split(/\s+/).flatMap((item) => {
    const match = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(item);
    return match ? hashOf(match[1] ?? '', Buffer.from(match[2] ?? '', 'base64').toString('hex')) : [];
  });
  return {
    ecosystem: 'npm',
    name,
    ...(version !== undefined && /^\d/.test(version) ? { version } : {}),
    hashes,
    fileHashes: [],
    isDevelopment: entry['dev'] === true,
  };
}

function pypi(
  name: string,
  version: string | undefined,
  hashes: PackageHash[],
  isDevelopment: boolean,
): PackageRef {
  const isOneFile = hashes.length <= 1;
  return {
    ecosystem: 'pypi',
    name,
    ...(version === undefined ? {} : { version }),
    hashes: isOneFile ? hashes : [],
    fileHashes: isOneFile ? [] : hashes,
    isDevelopment,
  };
}

/** A `sha256:<hex>` hash as lock files write it. */
function prefixedHash(value: string | undefined): PackageHash[] {
  const colon = value?.indexOf(':') ?? -1;
  return value === undefined || colon < 0 ? [] : hashOf(value.slice(0, colon), value.slice(colon + 1));
}

function hashOf(algorithm: string, digest: string): PackageHash[] {
  const alg = HASH_NAMES[algorithm.toLowerCase()];
  const content = digest.toLowerCase();
  return alg !== undefined && /^[0-9a-f]{32,128}$/.test(content) ? [{ alg, content }] : [];
}

function toml(path: string, text: string): TomlTable {
  try {
    return parseToml(text, { maxDepth: 64, unsafeKeyBehaviour: 'drop' });
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'parse error';
    throw new BulwarkError('INPUT_INVALID', `cannot parse ${path}: ${reason}`, { cause: error });
  }
}

function json(path: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BulwarkError('INPUT_INVALID', `${path} is not valid JSON`, { cause: error });
  }
  const table = tableOf(value);
  if (table === undefined) throw new BulwarkError('INPUT_INVALID', `${path} does not hold a JSON object`);
  return table;
}
