/*
 * Text rules shared by signed notes and checkpoints (c2sp.org/signed-note, c2sp.org/tlog-checkpoint):
 * strict standard base64 and the character set a note may contain.
 */

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Encodes bytes as standard base64 with padding (RFC 4648 §4). */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Decodes standard padded base64, or returns undefined when the text is not exactly the canonical
 * encoding of some bytes; Node's own decoder silently skips bad characters, which a signature or a
 * root hash must never get away with.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = new Uint8Array(Buffer.from(text, 'base64'));
  // Non-zero bits in the last character's padding would decode to the same bytes; refuse them.
  return encodeBase64(bytes) === text ? bytes : undefined;
}

// Unpaired UTF-16 surrogates have no UTF-8 encoding; with the `u` flag paired ones are not matched.
const LONE_SURROGATE = /\p{Cs}/u;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f]/;

/**
 * Returns why `text` may not appear in a signed note (it must be valid UTF-8 without ASCII control
 * characters other than newline), or undefined when it may.
 */
export function noteTextProblem(text: string): string | undefined {
  if (LONE_SURROGATE.test(text)) return 'is not valid UTF-8 (unpaired surrogate)';
  const control = CONTROL_EXCEPT_NEWLINE.exec(text);
  if (control !== null) {
    const code = control[0].charCodeAt(0).toString(16).padStart(4, '0');
    return `contains the control character U+${code.toUpperCase()}`;
  }
  return undefined;
}

// Go's unicode.IsSpace set: JavaScript's \s plus U+0085 (NEL), which \s leaves out.
const SPACE_OR_PLUS = /[\s\u0085+]/u;

/**
 * Tells whether `name` is a valid note key name: non-empty, no Unicode spaces or `+`
 * (c2sp.org/signed-note), and no control characters.
 */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !SPACE_OR_PLUS.test(name) && noteTextProblem(name) === undefined;
}

/** Size of `text` in UTF-8 bytes. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
