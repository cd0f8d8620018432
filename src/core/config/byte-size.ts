const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

const SIZE = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i;

/**
 * Reads a byte size written as a whole number of bytes or as a number with a unit: SI units
 * (`kB`, `MB`, `GB`, `TB`, powers of 1000), IEC units (`KiB`, `MiB`, `GiB`, `TiB`, powers of 1024) and
 * the short forms `k`, `m`, `g`, `t` (powers of 1024, as in `ulimit`). Units are case-insensitive.
 * Fractions are rounded down to whole bytes. Returns undefined for anything else, and for sizes below
 * one byte or beyond `Number.MAX_SAFE_INTEGER`, so callers can word their own error.
 */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return isByteCount(value) ? value : undefined;
  const match = SIZE.exec(value);
  if (!match) return undefined;
  const [, amount = '', unit = ''] = match;
  const factor = unit === '' ? 1 : UNITS[unit.toLowerCase()];
  if (factor === undefined) return undefined;
  const bytes = Math.floor(Number(amount) * factor);
  return isByteCount(bytes) ? bytes : undefined;
}

function isByteCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 1;
}

/** Writes a byte count the way people read it (`1.5 GiB`, `512 B`), for tables and messages. */
export function formatByteSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;
  let value = bytes / 1024;
  let index = 0;
  while (value >= 1024 && index < units.length - 1) {
    value /= 1024;
    index += 1;
  }
  const rounded = value >= 100 ? Math.round(value).toString() : (Math.round(value * 10) / 10).toString();
  return `${rounded} ${units[index] ?? 'PiB'}`;
}
