import { BulwarkError } from '../core/errors.js';

/** Commander reducer for repeatable options: `--key a --key b` gives `['a', 'b']`. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Parses a whole-number option value, or fails with one usage line naming the flag. */
export function wholeNumberOption(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new BulwarkError('USAGE', `${flag} must be a whole number, got "${value}"`);
  return Number(value);
}
