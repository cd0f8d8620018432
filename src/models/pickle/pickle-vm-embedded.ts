import { sniffPickleStream } from '../../core/scan/sniff-pickle.js';
import { latin1 } from './pickle-vm-text.js';

/** Bytes of a candidate payload examined to decide whether it may be a pickle. */
export const EMBED_HEAD = 64 * 1024;

/** Protocol 0 opcodes that start ordinary pickles: MARK, GLOBAL, lists, dicts, None, INT, STRING, UNICODE. */
const PROTOCOL0_STARTS = new Set([0x28, 0x63, 0x5d, 0x7d, 0x4e, 0x49, 0x53, 0x56]);

// A GLOBAL or INST text pair anywhere in the head: a payload that breaks after its call still counts.
const TEXT_GLOBAL = /[ci][A-Za-z_][\w.]*\n[A-Za-z_][\w.]*\n/;

/** Tells from its first byte whether a byte string is worth examining as a possible pickle. */
export function mayStartPickle(first: number | undefined): boolean {
  return first === 0x80 || (first !== undefined && PROTOCOL0_STARTS.has(first));
}

/**
 * Tells whether bytes may be a nested pickle (a `pickle.loads` argument): a PROTO opcode with a known
 * protocol, or a protocol 0 start that contains a STOP and reads as a pickle (or names a global).
 * `head` holds the first bytes, `length` is the full length.
 */
export function looksLikePickle(head: Uint8Array, length: number): boolean {
  const first = head[0];
  if (length < 2 || !mayStartPickle(first)) return false;
  if (first === 0x80) return (head[1] ?? 0xff) <= 5;
  const whole = head.length >= length;
  if (whole && !head.includes(0x2e)) return false;
  if (sniffPickleStream(head, length, whole ? head : undefined) !== undefined) return true;
  return TEXT_GLOBAL.test(latin1(head.subarray(0, 4096)));
}
