const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
  w: 7 * 24 * 60 * 60 * 1000,
};

const DURATION = /^\s*(\d{1,9})\s*([smhdw])\s*$/;

/** How a duration is written in `bulwark.yaml`, for error messages and docs. */
export const DURATION_HINT = 'expected a duration such as "90m", "12h", "30d" or "2w" (units s, m, h, d, w)';

/**
 * Reads a duration written as a whole number and one unit (`s`, `m`, `h`, `d`, `w`) as milliseconds.
 * Months and years are left out on purpose: their length varies, and an evidence age limit must mean
 * the same thing every day. Returns undefined for anything else, and for zero.
 */
export function parseDuration(value: string): number | undefined {
  const match = DURATION.exec(value);
  if (!match) return undefined;
  const [, amount = '', unit = ''] = match;
  const factor = UNIT_MS[unit];
  const ms = Number(amount) * (factor ?? Number.NaN);
  return Number.isSafeInteger(ms) && ms > 0 ? ms : undefined;
}

/** Writes milliseconds in the largest unit that divides them exactly (`30d`, `36h`), for messages. */
export function formatDuration(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const factor = UNIT_MS[unit] ?? 1;
    if (ms >= factor && ms % factor === 0) return `${ms / factor}${unit}`;
  }
  return `${ms}ms`;
}
