/** What the dependency scanner makes of a file, decided by its name (and, for sources, its sniffed kind). */
export const MANIFEST_KINDS = [
  'requirements',
  'constraints',
  'pyproject',
  'poetry-lock',
  'uv-lock',
  'pipfile-lock',
  'package-lock',
  'python-source',
  'notebook',
] as const;

/** One of `MANIFEST_KINDS`. */
export type ManifestKind = (typeof MANIFEST_KINDS)[number];

const EXACT_NAMES: Readonly<Record<string, ManifestKind>> = {
  'pyproject.toml': 'pyproject',
  'poetry.lock': 'poetry-lock',
  'uv.lock': 'uv-lock',
  'pipfile.lock': 'pipfile-lock',
  'package-lock.json': 'package-lock',
  'npm-shrinkwrap.json': 'package-lock',
};

/**
 * Classifies a file: dependency manifests are defined by their names (`requirements*.txt`,
 * `*.requirements.txt`, `requirements/*.txt`, `constraints*.txt`, `pyproject.toml`, `poetry.lock`,
 * `uv.lock`, `Pipfile.lock`, `package-lock.json`, `npm-shrinkwrap.json`), Python sources and
 * notebooks by their sniffed content (and `.py` files that sniff as plain text). Returns undefined
 * for every other file.
 */
export function manifestKindOf(path: string, sniffedKind: string): ManifestKind | undefined {
  const segments = path.split(/[\\/]/);
  const name = (segments[segments.length - 1] ?? '').toLowerCase();
  const parent = (segments[segments.length - 2] ?? '').toLowerCase();
  const exact = EXACT_NAMES[name];
  if (exact !== undefined) return exact;
  if (name.endsWith('.txt')) {
    if (name.startsWith('constraints')) return 'constraints';
    if (name.startsWith('requirements') || name.endsWith('.requirements.txt') || parent === 'requirements') {
      return 'requirements';
    }
  }
  if (sniffedKind === 'notebook') return 'notebook';
  // A short script without imports or definitions sniffs as text; its name still says Python.
  if (sniffedKind === 'python' || (sniffedKind === 'text' && name.endsWith('.py'))) return 'python-source';
  return undefined;
}
