import { BulwarkError } from '../core/errors.js';
import type { NoteSigner, NoteVerifier } from './note-key.js';
import { decodeBase64, encodeBase64, isValidKeyName, noteTextProblem, utf8Length } from './note-text.js';

/** Largest signed note accepted or produced, in UTF-8 bytes. */
export const MAX_NOTE_BYTES = 1 << 20;

/** Most signature lines a note may carry (the limit of golang.org/x/mod/sumdb/note). */
export const MAX_NOTE_SIGNATURES = 100;

/** Why a note was not accepted. */
export const NOTE_REJECTIONS = ['malformed', 'unknown-key', 'bad-signature'] as const;

export type NoteRejection = (typeof NOTE_REJECTIONS)[number];

/** Outcome of opening a signed note: the text and the names of the trusted keys that signed it, or why not. */
export type NoteOpening =
  { ok: true; body: string; verifiedBy: string[] } | { ok: false; reason: NoteRejection; message: string };

/** One parsed signature line of a note. */
export interface NoteSignatureLine {
  readonly name: string;
  readonly keyHash: number;
  readonly signature: Uint8Array;
}

/** EM DASH (U+2014) and a space open every signature line. */
const SIGNATURE_PREFIX = '\u2014 ';

const encoder = new TextEncoder();

function hex8(value: number): string {
  return value.toString(16).padStart(8, '0');
}

/**
 * Signs note text with one or more keys and returns the signed note (c2sp.org/signed-note): the text,
 * a blank line, then `— <key name> <base64(key ID || signature)>` per signer. The text must end in a
 * newline and hold no control characters other than newline.
 */
export function signNote(body: string, signers: NoteSigner | readonly NoteSigner[]): string {
  const list: readonly NoteSigner[] = Array.isArray(signers) ? signers : [signers as NoteSigner];
  if (typeof body !== 'string' || !body.endsWith('\n')) {
    throw new BulwarkError('INPUT_INVALID', 'note text must end with a newline');
  }
  const problem = noteTextProblem(body);
  if (problem !== undefined) throw new BulwarkError('INPUT_INVALID', `note text ${problem}`);
  if (list.length === 0 || list.length > MAX_NOTE_SIGNATURES) {
    throw new BulwarkError(
      'INPUT_INVALID',
      `a note needs 1 to ${MAX_NOTE_SIGNATURES} signers, got ${list.length}`,
    );
  }
  const message = encoder.encode(body);
  const lines = list.map((signer) => {
    if (!isValidKeyName(signer.name)) {
      throw new BulwarkError('KEY_INVALID', `note key name ${JSON.stringify(signer.name)} is invalid`);
    }
    const signature = signer.sign(message);
    const blob = new Uint8Array(4 + signature.length);
    new DataView(blob.buffer).setUint32(0, signer.keyHash);
    blob.set(signature, 4);
    return `${SIGNATURE_PREFIX}${signer.name} ${encodeBase64(blob)}\n`;
  });
  const note = `${body}\n${lines.join('')}`;
  if (utf8Length(note) > MAX_NOTE_BYTES) {
    throw new BulwarkError('LIMIT_EXCEEDED', `signed note would exceed ${MAX_NOTE_BYTES} bytes`);
  }
  return note;
}

type Split = { ok: true; body: string; lines: NoteSignatureLine[] } | { ok: false; message: string };

/** Splits a signed note into its text and signature lines, checking only the syntax. */
export function splitNote(note: string): Split {
  const bad = (message: string): Split => ({ ok: false, message });
  if (typeof note !== 'string') return bad('note is not text');
  if (note.length > MAX_NOTE_BYTES || utf8Length(note) > MAX_NOTE_BYTES) {
    return bad(`note is larger than ${MAX_NOTE_BYTES} bytes`);
  }
  const problem = noteTextProblem(note);
  if (problem !== undefined) return bad(`note ${problem}`);
  // The text may hold blank lines; the signatures start after the last one.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return bad('note has no blank line before its signatures');
  const body = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block.length === 0) return bad('note has no signature lines');
  if (!block.endsWith('\n')) return bad('note does not end with a newline');
  const rawLines = block.slice(0, -1).split('\n');
  if (rawLines.length > MAX_NOTE_SIGNATURES) {
    return bad(`note has ${rawLines.length} signature lines, more than ${MAX_NOTE_SIGNATURES}`);
  }
  const lines: NoteSignatureLine[] = [];
  for (const [i, line] of rawLines.entries()) {
    const where = `signature line ${i + 1}`;
    if (!line.startsWith(SIGNATURE_PREFIX)) return bad(`${where} does not start with an em dash and a space`);
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    if (space < 0) return bad(`${where} has no space between key name and signature`);
    const name = rest.slice(0, space);
    if (!isValidKeyName(name)) return bad(`${where} has an invalid key name`);
    const blob = decodeBase64(rest.slice(space + 1));
    if (blob === undefined) return bad(`${where} has a signature that is not canonical base64`);
    if (blob.length < 5) return bad(`${where} has a signature shorter than a key ID and one byte`);
    const keyHash = new DataView(blob.buffer, blob.byteOffset, 4).getUint32(0);
    lines.push({ name, keyHash, signature: blob.subarray(4) });
  }
  return { ok: true, body, lines };
}

/** Throws CONFIG_INVALID when two different trusted keys share a key name and key ID. */
function checkUnambiguous(trusted: readonly NoteVerifier[]): void {
  const seen = new Map<string, string>();
  for (const verifier of trusted) {
    const id = `${verifier.name}+${hex8(verifier.keyHash)}`;
    const keyId = seen.get(id);
    if (keyId !== undefined && keyId !== verifier.key.keyId) {
      throw new BulwarkError('CONFIG_INVALID', `two different trusted keys are both named ${id}`);
    }
    seen.set(id, verifier.key.keyId);
  }
}

/**
 * Opens a signed note against trusted keys (c2sp.org/signed-note): signatures from unknown keys are
 * ignored; any signature from a trusted key (same name and key ID) that fails rejects the whole note;
 * at least one trusted signature must verify. The text must not be used unless `ok` is true.
 * `verifiedBy` lists the key names that verified, in note order. Throws CONFIG_INVALID only when the
 * trust list itself is ambiguous (two different keys with the same name and key ID).
 */
export function openNote(note: string, trusted: readonly NoteVerifier[]): NoteOpening {
  checkUnambiguous(trusted);
  const split = splitNote(note);
  if (!split.ok) return { ok: false, reason: 'malformed', message: split.message };
  const message = encoder.encode(split.body);
  const verifiedBy: string[] = [];
  for (const line of split.lines) {
    const verifier = trusted.find((v) => v.name === line.name && v.keyHash === line.keyHash);
    if (verifier === undefined) continue;
    if (!verifier.verify(message, line.signature)) {
      return {
        ok: false,
        reason: 'bad-signature',
        message: `signature by key ${line.name}+${hex8(line.keyHash)} does not verify`,
      };
    }
    if (!verifiedBy.includes(line.name)) verifiedBy.push(line.name);
  }
  if (verifiedBy.length === 0) {
    const signers = split.lines.map((line) => `${line.name}+${hex8(line.keyHash)}`).join(', ');
    return {
      ok: false,
      reason: 'unknown-key',
      message: `note has no signature from a trusted key (signed by ${signers})`,
    };
  }
  return { ok: true, body: split.body, verifiedBy };
}
