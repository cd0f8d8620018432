import { OP, opcodeName } from './opcodes.js';
import { importGlobal, inst, persistentId } from './pickle-vm-calls.js';
import { EMBED_HEAD, looksLikeEmbedded, looksLikePickle, mayStartEmbedded } from './pickle-vm-embedded.js';
import type { PickleMachine } from './pickle-vm-machine.js';
import { invalid, truncated, type PickleLine } from './pickle-vm-reader.js';
import { MATERIALIZE_BUDGET, strKeep } from './pickle-vm-shared.js';
import {
  decodeLong,
  decodeQuotedString,
  decodeRawUnicodeEscape,
  decodeUtf8,
  latin1,
  parseDecimalLine,
  parseFloatLine,
  parseIntLine,
  parseLongLine,
} from './pickle-vm-text.js';
import { FALSE, TRUE, intValue, type PickleValue, type StrValue } from './pickle-vm-values.js';

/** Bytes of a LONG1/LONG4 payload turned into a bigint at most; longer ones are kept as unknown ints. */
const LONG_KEEP = 4096;
/** Bytes of a bytes payload kept with its value. */
const BYTES_HEAD = 64;

const DIGITS_PREFIX = /^\s*[-+]?\d/;

/** Runs an opcode whose argument is one text line (protocol 0: INT, LONG, FLOAT, STRING, ...). */
export async function lineOp(m: PickleMachine, op: number): Promise<void> {
  const line = await m.reader.line(strKeep(m.shared));
  const whole = line.bytes.length === line.length;
  const text = latin1(line.bytes);
  switch (op) {
    case OP.INT: {
      const value = whole ? parseIntLine(text) : DIGITS_PREFIX.test(text) ? undefined : null;
      if (value === null || (whole && value === undefined))
        throw invalid('could not convert the INT argument');
      if (typeof value === 'boolean') return m.push(value ? TRUE : FALSE);
      return m.push(intValue(value));
    }
    case OP.LONG: {
      const value = whole ? parseLongLine(text) : DIGITS_PREFIX.test(text) ? undefined : null;
      if (value === null || (whole && value === undefined))
        throw invalid('could not convert the LONG argument');
      return m.push(intValue(value));
    }
    case OP.FLOAT: {
      const value = whole ? parseFloatLine(text) : DIGITS_PREFIX.test(text) ? NaN : undefined;
      if (value === undefined) throw invalid('could not convert the FLOAT argument');
      return m.push({ kind: 'float', value });
    }
    case OP.STRING:
      return m.push(quotedString(m, line, whole));
    case OP.UNICODE: {
      const decoded = decodeRawUnicodeEscape(line.bytes, !whole);
      if (decoded === undefined) throw invalid('malformed \\u escape in the UNICODE argument');
      const encoding = 'raw-unicode-escape';
      return m.push(
        str(m, { text: decoded, truncated: !whole, offset: line.offset, byteLength: line.length, encoding }),
      );
    }
    case OP.PERSID:
      if (line.bytes.some((b) => b >= 0x80))
        throw invalid('persistent IDs in protocol 0 must be ASCII strings');
      return persistentId(
        m,
        str(m, { text, truncated: !whole, offset: line.offset, byteLength: line.length, encoding: 'latin1' }),
      );
    case OP.GET:
    case OP.PUT: {
      const index = whole ? parseDecimalLine(text) : undefined;
      if (index === undefined) throw invalid(`the ${opcodeName(op)} argument is not an integer`);
      return op === OP.GET ? m.memoPush(index) : m.memoPut(index, m.top());
    }
  }
}

/** GLOBAL and INST: a module line and a name line, then (INST) a call with the values above the mark. */
export async function globalLine(m: PickleMachine, op: number): Promise<void> {
  const keep = strKeep(m.shared);
  const moduleLine = await m.reader.line(keep);
  const nameLine = await m.reader.line(keep);
  if (moduleLine.length === 0 || nameLine.length === 0) {
    throw invalid(`the ${opcodeName(op)} module or name line is empty`);
  }
  const global = importGlobal(
    m,
    lineName(m, moduleLine),
    lineName(m, nameLine),
    op === OP.GLOBAL ? 'GLOBAL' : 'INST',
  );
  // pickle.py imports before it looks for the MARK; reporting the import first is the safe reading.
  if (op === OP.GLOBAL) m.push(global);
  else inst(m, global, m.popMark());
}

function lineName(m: PickleMachine, line: PickleLine): string {
  const text = decodeUtf8(line.bytes);
  m.shared.text += text.length;
  return line.bytes.length < line.length ? `${text}…` : text;
}

/** STRING: a quoted Python 2 literal; a protocol 0 pickle inside it is reported as embedded. */
function quotedString(m: PickleMachine, line: PickleLine, whole: boolean): StrValue {
  if (!whole) {
    return str(m, {
      text: latin1(line.bytes.subarray(1)),
      truncated: true,
      offset: -1,
      byteLength: line.length,
      encoding: 'latin1',
    });
  }
  const bytes = decodeQuotedString(line.bytes);
  if (bytes === undefined) throw invalid('the STRING argument is not a valid quoted literal');
  if (looksLikePickle(bytes, bytes.length) && m.shared.materialized + bytes.length <= MATERIALIZE_BUDGET) {
    m.shared.materialized += bytes.length;
    m.shared.recorder.event({
      kind: 'embedded',
      offset: line.offset,
      pickleIndex: m.index,
      length: bytes.length,
      bytes: bytes.slice(),
    });
  }
  return str(m, {
    text: latin1(bytes),
    truncated: false,
    offset: -1,
    byteLength: bytes.length,
    encoding: 'latin1',
  });
}

/** A str value, counted against the scan's text budget. */
function str(m: PickleMachine, fields: Omit<StrValue, 'kind'>): StrValue {
  m.shared.text += fields.text.length;
  return { kind: 'str', ...fields };
}

/**
 * An opcode with a length-prefixed payload (strings, bytes, LONG1/LONG4): keeps a bounded head and
 * skips the rest without reading it. Byte strings that may be a nested pickle or zip are reported as embedded.
 */
export function payload(m: PickleMachine, op: number, length: number): void | Promise<void> {
  const r = m.reader;
  const offset = r.pos;
  if (length > r.size - offset) throw truncated(`the stream ends inside the ${opcodeName(op)} argument`);
  const isLong = op === OP.LONG1 || op === OP.LONG4;
  const isText = op === OP.BINUNICODE || op === OP.SHORT_BINUNICODE || op === OP.BINUNICODE8;
  const isLegacy = op === OP.BINSTRING || op === OP.SHORT_BINSTRING;
  let want = Math.min(length, isLong ? LONG_KEEP : isText || isLegacy ? strKeep(m.shared) : BYTES_HEAD);
  const mayEmbed = !isLong && !isText && length >= 2 && mayStartEmbedded(r.buf[offset - r.base]);
  if (mayEmbed) want = Math.max(want, Math.min(length, EMBED_HEAD));
  const arg = { offset, length, want, mayEmbed };
  if (r.ahead >= want) return finishPayload(m, op, arg);
  return r.need(want).then(() => finishPayload(m, op, arg));
}

/** A payload's place in the stream, how much of it is buffered, and whether to check it for a pickle. */
interface PayloadArg {
  readonly offset: number;
  readonly length: number;
  readonly want: number;
  readonly mayEmbed: boolean;
}

function finishPayload(m: PickleMachine, op: number, arg: PayloadArg): void {
  const { offset, length, want, mayEmbed } = arg;
  const r = m.reader;
  const bytes = r.view(offset, want);
  r.pos = offset + length;
  if (mayEmbed && looksLikeEmbedded(bytes, length)) {
    m.shared.recorder.event({ kind: 'embedded', offset, pickleIndex: m.index, length });
  }
  let value: PickleValue;
  switch (op) {
    case OP.LONG1:
    case OP.LONG4:
      value = intValue(length <= LONG_KEEP ? decodeLong(bytes) : undefined);
      break;
    case OP.BINUNICODE:
    case OP.SHORT_BINUNICODE:
    case OP.BINUNICODE8: {
      const keep = Math.min(length, strKeep(m.shared));
      value = str(m, {
        text: decodeUtf8(bytes.subarray(0, keep)),
        truncated: keep < length,
        offset,
        byteLength: length,
        encoding: 'utf8',
      });
      break;
    }
    case OP.BINSTRING:
    case OP.SHORT_BINSTRING: {
      const keep = Math.min(length, strKeep(m.shared));
      value = str(m, {
        text: latin1(bytes.subarray(0, keep)),
        truncated: keep < length,
        offset,
        byteLength: length,
        encoding: 'latin1',
      });
      break;
    }
    default:
      value = { kind: 'bytes', head: bytes.slice(0, BYTES_HEAD), length, offset };
  }
  m.push(value);
}
