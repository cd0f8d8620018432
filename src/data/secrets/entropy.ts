/**
 * Shannon entropy of candidate secrets: gitleaks' exact formula for its rules' thresholds, and an
 * alphabet-relative measure for our generic key = value recognizer.
 */

/**
 * Gitleaks' `shannonEntropy`: bits per character over code points, divided by the UTF-8 byte length
 * (Go's `len(string)`), so thresholds from its rule file mean what they mean there.
 */
export function gitleaksEntropy(value: string): number {
  if (value === '') return 0;
  const counts = new Map<number, number>();
  let bytes = 0;
  for (const c of value) {
    const cp = c.codePointAt(0) ?? 0;
    counts.set(cp, (counts.get(cp) ?? 0) + 1);
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / bytes;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** Shannon entropy in bits per character over the value's characters. */
export function shannonEntropy(value: string): number {
  const chars = Array.from(value);
  if (chars.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / chars.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** The alphabets a secret value is drawn from, smallest first. */
export const SECRET_ALPHABETS = ['hex', 'alphanumeric', 'base64', 'printable'] as const;

/** One of `SECRET_ALPHABETS`. */
export type SecretAlphabet = (typeof SECRET_ALPHABETS)[number];

const ALPHABET_SIZES: Readonly<Record<SecretAlphabet, number>> = {
  hex: 16,
  alphanumeric: 62,
  base64: 66,
  printable: 94,
};

/** The smallest alphabet holding every character of `value`. */
export function alphabetOf(value: string): SecretAlphabet {
  if (/^[0-9a-f]+$/i.test(value)) return 'hex';
  if (/^[0-9A-Za-z]+$/.test(value)) return 'alphanumeric';
  if (/^[0-9A-Za-z+/=_-]+$/.test(value)) return 'base64';
  return 'printable';
}

/**
 * Entropy relative to the most a value of this length and alphabet can have (0–1): 1 for a string
 * of all-distinct characters, near 1 for random tokens, low for words, repeats and sequences.
 * The ceiling is `log2(min(length, alphabet size))`, so short values are not penalised for length.
 */
export function relativeEntropy(value: string): number {
  const length = Array.from(value).length;
  if (length < 2) return 0;
  const ceiling = Math.log2(Math.min(length, ALPHABET_SIZES[alphabetOf(value)]));
  return ceiling === 0 ? 0 : shannonEntropy(value) / ceiling;
}
