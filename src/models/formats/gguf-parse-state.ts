import type { JsonValue } from '../../core/findings.js';
import type { Rule } from '../../core/rules.js';
import type { Severity } from '../../core/severity.js';
import type { GgufReader } from './gguf-reader.js';
import { GGUF_METADATA_LIMIT, GGUF_METADATA_MALFORMED } from './gguf-rules.js';

/** A problem found while parsing, turned into a finding by the scanner. */
export interface GgufProblem {
  readonly rule: Rule;
  readonly message: string;
  readonly offset: number;
  readonly severity?: Severity;
  readonly evidence?: { readonly [key: string]: JsonValue };
}

const decoder = new TextDecoder('utf-8');

/** State of one GGUF parse, shared by the readers of each part. */
export interface GgufParse {
  readonly r: GgufReader;
  readonly problems: GgufProblem[];
  /** Width of string lengths, array counts and dimensions: 4 bytes in version 1, 8 after. */
  readonly countWidth: 4 | 8;
  readonly signal: AbortSignal | undefined;
  readonly limit: number;
  steps: number;
}

/** Marks that parsing cannot go on; the problem explaining why is already recorded. */
export const STOP = Symbol('stop');
/** The type of {@link STOP}. */
export type Stop = typeof STOP;

/** Skips a string whose length is already in the window and whose bytes fit, without awaiting; the fast path for vocabularies. */
export function skipStringInWindow(p: GgufParse): boolean {
  const { r, countWidth } = p;
  if (!r.has(countWidth)) return false;
  const start = r.position;
  const length = countWidth === 4 ? r.u32() : r.u64();
  if (r.check(length) === undefined) {
    r.skip(length);
    return true;
  }
  r.position = start;
  return false;
}

/** Reads a length-prefixed string, decoding it only when `decode`; checks the length first. */
export async function readString(p: GgufParse, what: string, decode: boolean): Promise<string | Stop> {
  const { r, countWidth } = p;
  const at = r.position;
  if ((await need(p, countWidth, what)) === STOP) return STOP;
  const length = countWidth === 4 ? r.u32() : r.u64();
  if (!(length <= r.remaining))
    return malformed(
      p,
      `${what} declares ${describeCount(length)} bytes, more than the ${r.remaining} left in the file`,
      at,
    );
  if (!decode) {
    if (needWithoutReading(p, length, what) === STOP) return STOP;
    r.skip(length);
    return '';
  }
  if ((await need(p, length, what)) === STOP) return STOP;
  return decoder.decode(r.bytes(length));
}

/** Makes `length` bytes readable, recording why not (end of file or metadata limit). */
export async function need(p: GgufParse, length: number, what: string): Promise<undefined | Stop> {
  if (p.r.has(length)) return undefined;
  const at = p.r.position;
  return shortfallProblem(p, await p.r.ensure(length), what, at);
}

/** Checks that `length` bytes can be skipped, recording why not. */
export function needWithoutReading(p: GgufParse, length: number, what: string): undefined | Stop {
  return shortfallProblem(p, p.r.check(length), what, p.r.position);
}

function shortfallProblem(
  p: GgufParse,
  shortfall: 'eof' | 'limit' | undefined,
  what: string,
  at: number,
): undefined | Stop {
  if (shortfall === undefined) return undefined;
  if (shortfall === 'eof') return malformed(p, `file ends inside the ${what}`, at);
  p.problems.push({
    rule: GGUF_METADATA_LIMIT,
    message: `parsing stopped at the ${what}: the metadata reaches past the scan limit of ${p.limit} bytes`,
    offset: at,
    evidence: { maxMetadataBytes: p.limit },
  });
  return STOP;
}

/** Records a structural problem and stops the parse. */
export function malformed(
  p: GgufParse,
  message: string,
  offset: number,
  rule: Rule = GGUF_METADATA_MALFORMED,
): Stop {
  p.problems.push({ rule, message, offset });
  return STOP;
}

/** Honours the abort signal and yields now and then, so a huge vocabulary does not hold the event loop. */
export async function pause(p: GgufParse): Promise<void> {
  p.signal?.throwIfAborted();
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A count for messages; values of 2^53 and more read as Infinity. */
export function describeCount(count: number): string {
  return Number.isFinite(count) ? String(count) : '≥ 2^53';
}
