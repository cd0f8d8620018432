import { readFully } from '../../core/scan/byte-sources.js';
import { EMBED_HEAD, looksLikeEmbedded } from './pickle-vm-embedded.js';
import { MATERIALIZE_BUDGET, MATERIALIZE_MAX, type VmShared } from './pickle-vm-shared.js';
import { decodeRawUnicodeEscape, decodeUtf8, latin1 } from './pickle-vm-text.js';
import type { BytesValue, GlobalValue, PickleValue, StrValue } from './pickle-vm-values.js';

/** Where a call being evaluated sits, for the events it reports. */
export interface EvalSite {
  readonly shared: VmShared;
  readonly offset: number;
  readonly pickleIndex: number;
}

const LATIN1 = new Set([
  'latin1',
  'latin-1',
  'latin_1',
  'iso-8859-1',
  'iso8859-1',
  'iso_8859_1',
  'l1',
  'cp819',
]);
const UTF8 = new Set(['utf8', 'utf-8', 'utf_8', 'ascii', 'us-ascii']);

type Codec = 'latin1' | 'utf8';

function codecOf(value: PickleValue | undefined): Codec | undefined {
  if (value?.kind !== 'str' || value.truncated) return undefined;
  const name = value.text.trim().toLowerCase();
  return LATIN1.has(name) ? 'latin1' : UTF8.has(name) ? 'utf8' : undefined;
}

/** Python 2 spells `builtins` as `__builtin__`; loading maps it, so evaluation does too. */
function qualifiedName(callee: GlobalValue): string {
  const module = callee.module === '__builtin__' ? 'builtins' : callee.module;
  return `${module}.${callee.name}`;
}

/**
 * Evaluates the few calls by which pickles build byte strings (`_codecs.encode(str, 'latin1')` is how
 * protocols 0 to 2 write bytes; `bytes`/`bytearray` of a list or a str), so bytes computed at load time
 * that may be a nested pickle are reported like constant ones. Returns undefined for any other call.
 */
export function evaluateCall(
  callee: GlobalValue,
  args: PickleValue,
  site: EvalSite,
): BytesValue | Promise<BytesValue> | undefined {
  if (args.kind !== 'tuple' || args.count !== args.items.length) return undefined;
  const [first, second] = args.items;
  switch (qualifiedName(callee)) {
    case '_codecs.encode':
    case 'codecs.encode': {
      if (first?.kind !== 'str') return undefined;
      const codec = args.count === 1 ? 'utf8' : codecOf(second);
      return codec === undefined || args.count > 3
        ? undefined
        : once(first, codec, () => encodeStr(first, codec, site));
    }
    case 'builtins.bytes':
    case 'builtins.bytearray':
      if (args.count === 0) return { kind: 'bytes', head: new Uint8Array(0), length: 0, offset: -1 };
      if (first?.kind === 'bytes' && args.count === 1) return first;
      if (first?.kind === 'str' && args.count >= 2) {
        const codec = codecOf(second);
        return codec === undefined ? undefined : once(first, codec, () => encodeStr(first, codec, site));
      }
      if ((first?.kind === 'list' || first?.kind === 'tuple') && args.count === 1)
        return once(first, `ints ${first.count}`, () => bytesOfInts(first.items, first.count, site));
      return undefined;
    default:
      return undefined;
  }
}

type Evaluation = BytesValue | Promise<BytesValue> | undefined;

/** Evaluations made so far, by argument: a memoised argument called again is examined (and reported) once. */
const evaluations = new WeakMap<object, { readonly key: string; readonly result: Evaluation }>();

function once(argument: object, key: string, evaluate: () => Evaluation): Evaluation {
  const known = evaluations.get(argument);
  if (known?.key === key) return known.result;
  const result = evaluate();
  evaluations.set(argument, { key, result });
  return result;
}

function bytesOfInts(items: readonly PickleValue[], count: number, site: EvalSite): BytesValue | undefined {
  if (count !== items.length) return undefined;
  const data = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item?.kind !== 'int' || typeof item.value !== 'number' || item.value < 0 || item.value > 255) {
      return undefined;
    }
    data[i] = item.value;
  }
  return computed(data, site, undefined);
}

function encodeStr(
  str: StrValue,
  codec: Codec,
  site: EvalSite,
): BytesValue | Promise<BytesValue> | undefined {
  const contiguous = str.offset >= 0 ? str.offset : undefined;
  if (!str.truncated) {
    const data = encode(str.text, codec);
    return data === undefined ? undefined : computed(data, site, contiguous);
  }
  const head = encode(str.text, codec);
  if (head === undefined || contiguous === undefined) return undefined;
  const length = str.byteLength;
  const value: BytesValue = { kind: 'bytes', head: head.subarray(0, EMBED_HEAD), length, offset: -1 };
  if (!looksLikeEmbedded(value.head, length)) return value;
  const event = { kind: 'embedded', offset: contiguous, pickleIndex: site.pickleIndex, length } as const;
  if (codec === 'utf8' && str.encoding === 'utf8') {
    // The encoded bytes are the payload as it sits in the stream: no copy needed.
    site.shared.recorder.event(event);
    return { ...value, offset: contiguous };
  }
  return materialize(str, codec, site).then((data) => {
    if (data !== undefined) return computed(data, site, contiguous);
    // Too large to copy: the stream's bytes of the string are the closest contiguous form.
    site.shared.recorder.event(event);
    return value;
  });
}

/** Reads a truncated string's payload again, when the budgets allow, and encodes it. */
async function materialize(str: StrValue, codec: Codec, site: EvalSite): Promise<Uint8Array | undefined> {
  const shared = site.shared;
  if (str.offset < 0 || str.byteLength > MATERIALIZE_MAX * 4) return undefined;
  if (shared.materialized + str.byteLength > MATERIALIZE_BUDGET) return undefined;
  shared.materialized += str.byteLength;
  const raw = await readFully(shared.source, str.offset, str.byteLength);
  const text =
    str.encoding === 'utf8'
      ? decodeUtf8(raw)
      : str.encoding === 'latin1'
        ? latin1(raw)
        : decodeRawUnicodeEscape(raw, true);
  if (text === undefined || text.length > MATERIALIZE_MAX) return undefined;
  return encode(text, codec);
}

/** A byte string computed at load time; reported as `embedded` when it may be a pickle or a zip. */
function computed(data: Uint8Array, site: EvalSite, offset: number | undefined): BytesValue {
  const length = data.length;
  const value: BytesValue = { kind: 'bytes', head: data.subarray(0, 64), length, offset: -1 };
  if (!looksLikeEmbedded(data.subarray(0, EMBED_HEAD), length)) return value;
  const at = offset ?? site.offset;
  const shared = site.shared;
  if (data.length > MATERIALIZE_MAX || shared.materialized + data.length > MATERIALIZE_BUDGET) {
    shared.recorder.event({ kind: 'embedded', offset: at, pickleIndex: site.pickleIndex, length });
    return value;
  }
  shared.materialized += data.length;
  shared.recorder.event({ kind: 'embedded', offset: at, pickleIndex: site.pickleIndex, length, bytes: data });
  return { ...value, data };
}

function encode(text: string, codec: Codec): Uint8Array | undefined {
  if (codec === 'utf8') return new TextEncoder().encode(text);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) return undefined;
    out[i] = code;
  }
  return out;
}
