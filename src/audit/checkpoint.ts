import { BulwarkError } from '../core/errors.js';
import type { NoteVerifier } from './note-key.js';
import { openNote } from './note-sign.js';
import type { NoteRejection } from './note-sign.js';
import { decodeBase64, encodeBase64, noteTextProblem } from './note-text.js';

export {
  formatVerifierKey,
  noteKeyHash,
  noteSignerOf,
  noteVerifierOf,
  parseVerifierKey,
} from './note-key.js';
export type { NoteSigner, NoteVerifier } from './note-key.js';
export { MAX_NOTE_BYTES, MAX_NOTE_SIGNATURES, openNote, signNote } from './note-sign.js';
export type { NoteOpening, NoteRejection } from './note-sign.js';

/** The tree head a log commits to (c2sp.org/tlog-checkpoint): who, how many leaves, which root. */
export interface Checkpoint {
  /** Unique identity of the log; Bulwark signs with a key of the same name. */
  readonly origin: string;
  readonly treeSize: number;
  /** RFC 9162 root of the first `treeSize` leaves (32 bytes). */
  readonly rootHash: Uint8Array;
  /** Opaque extension lines after the root, kept in order (NOT RECOMMENDED by the spec). */
  readonly extensions: readonly string[];
}

/** Fields to format a checkpoint from; `extensions` defaults to none. */
export interface CheckpointFields {
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  readonly extensions?: readonly string[];
}

/** Outcome of verifying a signed checkpoint: the parsed checkpoint and who signed it, or why it was refused. */
export type NoteVerdict =
  | { ok: true; body: string; checkpoint: Checkpoint; verifiedBy: string[] }
  | { ok: false; reason: NoteRejection; message: string };

const ROOT_HASH_SIZE = 32;
const TREE_SIZE = /^(?:0|[1-9][0-9]*)$/;

function invalid(message: string): BulwarkError {
  return new BulwarkError('INPUT_INVALID', message);
}

function checkLine(line: string, what: string): void {
  if (line.length === 0) throw invalid(`checkpoint ${what} must not be empty`);
  if (line.includes('\n')) throw invalid(`checkpoint ${what} must be a single line`);
  const problem = noteTextProblem(line);
  if (problem !== undefined) throw invalid(`checkpoint ${what} ${problem}`);
}

/**
 * Formats the checkpoint note text `<origin>\n<tree size>\n<base64 root>\n[extension lines]`
 * (c2sp.org/tlog-checkpoint); throws INPUT_INVALID for fields the grammar cannot carry.
 */
export function formatCheckpoint(fields: CheckpointFields): string {
  const { origin, treeSize, rootHash, extensions = [] } = fields;
  checkLine(origin, 'origin');
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) {
    throw invalid(`checkpoint tree size must be a non-negative integer, got ${treeSize}`);
  }
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== ROOT_HASH_SIZE) {
    throw invalid(`checkpoint root hash must be ${ROOT_HASH_SIZE} bytes`);
  }
  extensions.forEach((line, i) => checkLine(line, `extension line ${i + 1}`));
  return [origin, String(treeSize), encodeBase64(rootHash), ...extensions]
    .map((line) => `${line}\n`)
    .join('');
}

/**
 * Parses checkpoint note text strictly: at least three non-empty newline-terminated lines, a decimal
 * tree size without leading zeros, and a canonical base64 32-byte root. Throws INPUT_INVALID otherwise.
 * Only call it on text whose signature has been verified (or use `verifyNote`).
 */
export function parseCheckpoint(body: string): Checkpoint {
  if (typeof body !== 'string') throw invalid('checkpoint must be text');
  if (!body.endsWith('\n')) throw invalid('checkpoint must end with a newline');
  const problem = noteTextProblem(body);
  if (problem !== undefined) throw invalid(`checkpoint ${problem}`);
  const lines = body.slice(0, -1).split('\n');
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (origin === undefined || sizeText === undefined || rootText === undefined) {
    throw invalid(`checkpoint needs origin, tree size and root hash lines, got ${lines.length} line(s)`);
  }
  if (origin.length === 0) throw invalid('checkpoint origin line is empty');
  if (!TREE_SIZE.test(sizeText)) {
    throw invalid(
      `checkpoint tree size ${JSON.stringify(sizeText.slice(0, 40))} is not a decimal without leading zeros`,
    );
  }
  const treeSize = Number(sizeText);
  if (!Number.isSafeInteger(treeSize)) throw invalid(`checkpoint tree size ${sizeText} is too large`);
  const rootHash = decodeBase64(rootText);
  if (rootHash === undefined) throw invalid('checkpoint root hash is not canonical base64');
  if (rootHash.length !== ROOT_HASH_SIZE) {
    throw invalid(`checkpoint root hash is ${rootHash.length} bytes, expected ${ROOT_HASH_SIZE}`);
  }
  const empty = extensions.findIndex((line) => line.length === 0);
  if (empty >= 0) throw invalid(`checkpoint extension line ${empty + 1} is empty`);
  return { origin, treeSize, rootHash, extensions };
}

/**
 * Verifies a signed checkpoint against trusted keys and parses it. Unknown signers are ignored, a
 * failing signature from a trusted key rejects the note, and text that is not a checkpoint is
 * `malformed`. Callers should also check `checkpoint.origin` against the log they expect.
 */
export function verifyNote(note: string, trusted: readonly NoteVerifier[]): NoteVerdict {
  const opened = openNote(note, trusted);
  if (!opened.ok) return opened;
  try {
    return {
      ok: true,
      body: opened.body,
      checkpoint: parseCheckpoint(opened.body),
      verifiedBy: opened.verifiedBy,
    };
  } catch (error) {
    if (error instanceof BulwarkError) return { ok: false, reason: 'malformed', message: error.message };
    throw error;
  }
}
