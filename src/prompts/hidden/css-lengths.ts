/** The default font size of a page, and the size `rem` is relative to here. */
export const DEFAULT_FONT_SIZE_PX = 16;

const LENGTH = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([a-z%]*)$/u;
const ABSOLUTE_UNITS: Readonly<Record<string, number>> = {
  px: 1,
  pt: 4 / 3,
  pc: 16,
  in: 96,
  cm: 96 / 2.54,
  mm: 96 / 25.4,
  q: 96 / 101.6,
};
const VIEWPORT_UNITS = new Set(['%', 'vw', 'vh', 'vmin', 'vmax', 'svw', 'svh', 'lvw', 'lvh', 'dvw', 'dvh']);
const FONT_KEYWORDS: Readonly<Record<string, number>> = {
  'xx-small': 9,
  'x-small': 10,
  small: 13,
  medium: 16,
  large: 18,
  'x-large': 24,
  'xx-large': 32,
  'xxx-large': 48,
};

/** A number and its unit (`''` for a bare number), or `undefined` when the token is no length. */
export function parseLength(token: string): { value: number; unit: string } | undefined {
  const match = LENGTH.exec(token.trim().toLowerCase());
  if (match === null) return undefined;
  const value = Number(match[1]);
  return Number.isFinite(value) ? { value, unit: match[2] ?? '' } : undefined;
}

/**
 * A length in CSS pixels: absolute units, `em`/`ex`/`ch` against `fontSize`, `rem` against 16px, and
 * a bare or any-unit zero. Percentages, viewport units and `calc()` are `undefined` (unknown here).
 */
export function lengthInPixels(token: string, fontSize: number | undefined): number | undefined {
  const length = parseLength(token);
  if (length === undefined) return undefined;
  if (length.value === 0) return 0;
  const absolute = ABSOLUTE_UNITS[length.unit];
  if (absolute !== undefined) return length.value * absolute;
  if (length.unit === 'rem') return length.value * DEFAULT_FONT_SIZE_PX;
  if (fontSize === undefined) return undefined;
  if (length.unit === 'em') return length.value * fontSize;
  if (length.unit === 'ex' || length.unit === 'ch') return length.value * fontSize * 0.5;
  return undefined;
}

/**
 * Whether an offset moves content out of any viewport: −1000px or beyond, or −100% / −100vw or
 * beyond (the classic `left: -9999px`, `text-indent: -9999em`).
 */
export function isFarNegative(token: string, fontSize: number | undefined): boolean {
  const length = parseLength(token);
  if (length === undefined) return false;
  if (VIEWPORT_UNITS.has(length.unit)) return length.value <= -100;
  const pixels = lengthInPixels(token, fontSize);
  return pixels !== undefined && pixels <= -1000;
}

/**
 * The computed font size in pixels of an element declaring `value`, given its parent's size
 * (`undefined` when unknown); `undefined` when it cannot be resolved (`calc()`, `var()`, `vw`).
 */
export function computeFontSize(value: string | undefined, parent: number | undefined): number | undefined {
  if (value === undefined || value === 'inherit' || value === 'unset') return parent;
  if (value === 'initial' || value === 'revert' || value === 'revert-layer') return DEFAULT_FONT_SIZE_PX;
  const keyword = FONT_KEYWORDS[value];
  if (keyword !== undefined) return keyword;
  if (value === 'smaller') return parent === undefined ? undefined : parent / 1.2;
  if (value === 'larger') return parent === undefined ? undefined : parent * 1.2;
  const length = parseLength(value);
  if (length === undefined) return undefined;
  if (length.value < 0) return parent;
  if (length.value === 0) return 0;
  if (length.unit === '%') return parent === undefined ? undefined : (parent * length.value) / 100;
  return lengthInPixels(value, parent);
}
