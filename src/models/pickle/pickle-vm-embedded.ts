import { sniffPickleStream } from '../../core/scan/sniff-pickle.js';
import { latin1 } from './pickle-vm-text.js';

/** Bytes of a candidate payload examined to decide whether it may be a pickle. */
export const EMBED_HEAD = 64 * 1024;

/** Protocol 0 opcodes that start ordinary pickles: MARK, GLOBAL, lists, dicts, None, INT, STRING, UNICODE. */
const PROTOCOL0_STARTS = new Set([0x28, 0x63, 0x5d, 0x7d, 0x4e, 0x49, 0x53, 0x56]);

const NAME = /^[A-Za-z_][\w.]*$/;
const NAME_CHAR = /[\w.]/;
const NAME_START = /[A-Za-z_]/;

/**
 * Tells whether text holds a GLOBAL or INST pair (`c` or `i`, a module line, a name line) anywhere, so
 * a payload that breaks after its call still counts. Linear in the text, whatever it holds.
 */
function hasTextGlobal(text: string): boolean {
  const lines = text.split('\n');
  for (let i = 0; i + 2 < lines.length; i++) {
    const module = lines[i] ?? '';
    if (!NAME.test(lines[i + 1] ?? '')) continue;
    let start = module.length;
    while (start > 0 && NAME_CHAR.test(module[start - 1] ?? '')) start--;
    for (let p = start; p + 1 < module.length; p++) {
      if ((module[p] === 'c' || module[p] === 'i') && NAME_START.test(module[p + 1] ?? '')) return true;
    }
  }
  return false;
}

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
  return hasTextGlobal(latin1(head.subarray(0, 4096)));
}

/** The local-header magic `torch.save` output starts with (PyTorch's `_is_zipfile` checks exactly these). */
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** Tells whether bytes start like a zip archive, such as the `torch.save` output `_load_from_bytes` loads. */
export function looksLikeZip(head: Uint8Array, length: number): boolean {
  return length >= 30 && ZIP_MAGIC.every((b, i) => head[i] === b);
}

/** Tells from its first byte whether a byte string is worth examining as a pickle or a zip. */
export function mayStartEmbedded(first: number | undefined): boolean {
  return first === ZIP_MAGIC[0] || mayStartPickle(first);
}

/**
 * Tells whether bytes inside a pickle may be loaded as a model of their own: a nested pickle, or a zip
 * (`torch.storage._load_from_bytes` runs `torch.load` on its bytes, so a checkpoint can carry another).
 */
export function looksLikeEmbedded(head: Uint8Array, length: number): boolean {
  return looksLikeZip(head, length) || looksLikePickle(head, length);
}
