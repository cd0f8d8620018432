/**
 * Lower-casing that keeps every UTF-16 offset: evidence spans found in the folded text are spans of
 * the original. `toLowerCase` changes the length for a few characters (İ becomes i + U+0307); those
 * are folded to their first lower-case code unit instead.
 */

/** Lower-cases `text` without changing its length. */
export function foldCase(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (const ch of text) {
    const folded = ch.toLowerCase();
    if (folded.length === ch.length) out += folded;
    else if (ch.length === 1) out += folded.charAt(0);
    else out += ch;
  }
  return out;
}
