import { BulwarkError } from '../../core/errors.js';

/**
 * Encodings for the encoding mode of spotlighting (Hines et al. 2024, section 3.3): `base64` (of the
 * UTF-8 bytes; the paper's choice, strongest, but only high-capacity models decode it reliably) and
 * `rot13` (weaker: it rotates Latin letters only, so digits, punctuation and every other script stay
 * readable, and instructions in them stay in clear).
 */
export const SPOTLIGHT_ENCODINGS = ['base64', 'rot13'] as const;

/** One of {@link SPOTLIGHT_ENCODINGS}. */
export type SpotlightEncoding = (typeof SPOTLIGHT_ENCODINGS)[number];

const LONE_SURROGATE = /\p{Cs}/u;
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Encodes one item; base64 refuses text with unpaired surrogates, which UTF-8 cannot carry. */
export function encodeItem(item: string, encoding: SpotlightEncoding): string {
  switch (encoding) {
    case 'base64':
      if (LONE_SURROGATE.test(item)) {
        throw new BulwarkError(
          'INPUT_INVALID',
          'content has an unpaired surrogate and cannot be encoded as UTF-8',
        );
      }
      return Buffer.from(item, 'utf8').toString('base64');
    case 'rot13':
      return rot13(item);
  }
}

/** Decodes the output of {@link encodeItem}, refusing anything that is not its exact form. */
export function decodeItem(text: string, encoding: SpotlightEncoding): string {
  switch (encoding) {
    case 'base64': {
      if (!CANONICAL_BASE64.test(text))
        throw new BulwarkError('INPUT_INVALID', 'text is not canonical base64');
      const decoded = Buffer.from(text, 'base64').toString('utf8');
      if (Buffer.from(decoded, 'utf8').toString('base64') !== text) {
        throw new BulwarkError('INPUT_INVALID', 'base64 text does not decode to valid UTF-8');
      }
      return decoded;
    }
    case 'rot13':
      return rot13(text);
  }
}

/** ROT13 over ASCII letters; its own inverse. */
function rot13(text: string): string {
  return text.replace(/[A-Za-z]/g, (letter) => {
    const base = letter <= 'Z' ? 65 : 97;
    return String.fromCharCode(((letter.charCodeAt(0) - base + 13) % 26) + base);
  });
}
