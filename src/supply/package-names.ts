/** The package ecosystems whose manifests this scanner reads. */
export const ECOSYSTEMS = ['pypi', 'npm'] as const;

/** One of `ECOSYSTEMS`. */
export type Ecosystem = (typeof ECOSYSTEMS)[number];

const PYPI_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** Normalizes a PyPI project name as PEP 503 does: lowercase, runs of `-`, `_` and `.` become `-`. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Tells whether a string is a valid PyPI project name (PEP 508 `identifier`). */
export function isPypiName(name: string): boolean {
  return name.length <= 200 && PYPI_NAME.test(name);
}

/** Normalizes a name of `ecosystem` for comparison: PEP 503 for PyPI, lowercase for npm. */
export function normalizePackageName(ecosystem: Ecosystem, name: string): string {
  return ecosystem === 'pypi' ? normalizePypiName(name) : name.toLowerCase();
}
