import { readU16le, readU32le, readU64le } from './bytes.js';

/**
 * Tells whether bytes without a PROTO header are a pickle, by walking the opcode stream of the head
 * with a model of the unpickler's stack, marks and memo (no object is ever built). Protocol 0 and 1
 * pickles have no magic number and protocol 0 is plain ASCII, so this is how `cos\nsystem\n(S'id'\ntR.`
 * is told from prose; pickles that skip PROTO but use later opcodes are caught the same way.
 * Returns the lowest protocol that can express the opcodes seen, or undefined.
 */
export function sniffPickleStream(
  head: Uint8Array,
  size: number,
  end: Uint8Array | undefined,
): number | undefined {
  const walker = new OpcodeWalker(head, size);
  const outcome = walker.run();
  switch (outcome.kind) {
    case 'invalid':
      // A global, its arguments and a call, then garbage: the unpickler runs the call before it
      // fails on the garbage, so this is a pickle (payload-then-broken-stream), not prose.
      return walker.hasGlobal && walker.ops >= 4 ? walker.protocol : undefined;
    case 'stop':
      // A very short stream that stops early may be prose such as "N.B."; trailing bytes after STOP
      // are ignored by pickle.load, so a stream with a global is a pickle wherever it stops.
      return walker.hasGlobal || walker.ops >= 3 || outcome.at + 1 === size ? walker.protocol : undefined;
    case 'truncated': {
      const endsWithStop = end !== undefined && end[end.length - 1] === 0x2e;
      return walker.hasGlobal || (walker.ops >= 2 && endsWithStop) ? walker.protocol : undefined;
    }
  }
}

type WalkOutcome =
  { readonly kind: 'stop'; readonly at: number } | { readonly kind: 'truncated' | 'invalid' };

/** Thrown inside the walker only, to unwind to `run`. */
class WalkEnd extends Error {
  constructor(readonly outcome: WalkOutcome) {
    super(outcome.kind);
  }
}

const INVALID = new WalkEnd({ kind: 'invalid' });
const TRUNCATED = new WalkEnd({ kind: 'truncated' });

const INT_LINE = /^[-+]?\d+$/;
const LONG_LINE = /^[-+]?\d+L?$/;
const FLOAT_LINE = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|inf|nan)$/i;
const QUOTED_LINE = /^(['"]).*\1$/s;
const DECIMAL_LINE = /^\d+$/;
const DOTTED_NAME = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;

/** Lowest protocol of the opcodes above protocol 0 (others are protocol 0). */
function opcodeProtocol(op: number): number {
  if (op >= 0x96) return 5;
  if (op >= 0x8c) return 4;
  if (op >= 0x80) return 2;
  if (op === 0x42 || op === 0x43) return 3;
  return 'JKMTUXGhjqr]})Q'.includes(String.fromCharCode(op)) ? 1 : 0;
}

class OpcodeWalker {
  pos = 0;
  ops = 0;
  protocol = 0;
  hasGlobal = false;
  private items = 0;
  private readonly marks: number[] = [];
  private readonly memo = new Set<number>();

  constructor(
    private readonly bytes: Uint8Array,
    private readonly size: number,
  ) {}

  run(): WalkOutcome {
    try {
      for (;;) {
        if (this.pos >= this.bytes.length)
          return this.bytes.length >= this.size ? INVALID.outcome : TRUNCATED.outcome;
        const at = this.pos;
        const op = this.bytes[this.pos++] ?? 0;
        if (op === 0x2e) {
          if (this.items !== 1 || this.marks.length > 0) return INVALID.outcome;
          return { kind: 'stop', at };
        }
        this.step(op);
        this.ops++;
        this.protocol = Math.max(this.protocol, opcodeProtocol(op));
      }
    } catch (caught) {
      if (caught instanceof WalkEnd) return caught.outcome;
      throw caught;
    }
  }

  private step(op: number): void {
    switch (String.fromCharCode(op)) {
      case '(':
        this.marks.push(this.items);
        this.items = 0;
        return;
      case '0':
        if (this.items > 0) this.items--;
        else this.popMark();
        return;
      case '1':
        return this.popMark();
      case '2':
        return this.need(1, 1);
      case 'I':
        return this.pushLine(INT_LINE);
      case 'L':
        return this.pushLine(LONG_LINE);
      case 'F':
        return this.pushLine(FLOAT_LINE);
      case 'S':
        return this.pushLine(QUOTED_LINE);
      case 'V':
      case 'P':
        this.line();
        return this.push();
      case 'J':
        return this.pushFixed(4);
      case 'K':
        return this.pushFixed(1);
      case 'M':
        return this.pushFixed(2);
      case 'G':
        return this.pushFixed(8);
      case 'N':
      case ']':
      case '}':
      case ')':
        return this.push();
      case 'T':
      case 'X':
      case 'B':
        return this.pushSized(4);
      case 'U':
      case 'C':
        return this.pushSized(1);
      case 'Q':
        return this.need(1, 0);
      case 'R':
      case 'a':
      case 'b':
        return this.need(2, -1);
      case 's':
        return this.need(3, -2);
      case 'c':
        this.globalLines();
        return this.push();
      case 'i':
        this.globalLines();
        this.popMark();
        return this.push();
      case 'o':
        this.need(1, 0);
        this.popMark();
        return this.push();
      case 'd':
      case 'u':
        if (this.items % 2 !== 0) throw INVALID;
        this.popMark();
        return op === 0x64 ? this.push() : this.need(1, 0);
      case 'l':
      case 't':
        this.popMark();
        return this.push();
      case 'e':
        this.popMark();
        return this.need(1, 0);
      case 'g':
        return this.get(this.decimal(this.line()));
      case 'h':
        return this.get(this.fixed(1));
      case 'j':
        return this.get(this.fixed(4));
      case 'p':
        return this.put(this.decimal(this.line()));
      case 'q':
        return this.put(this.fixed(1));
      case 'r':
        return this.put(this.fixed(4));
      default:
        return this.stepBinary(op);
    }
  }

  /** Opcodes of protocols 2 to 5, which are all above 0x7f. */
  private stepBinary(op: number): void {
    switch (op) {
      case 0x80:
        if (this.fixed(1) > 5) throw INVALID;
        return;
      case 0x81:
        return this.need(2, -1);
      case 0x82:
      case 0x83:
      case 0x84:
        this.hasGlobal = true; // extension codes name globals registered with copyreg
        return this.pushFixed(op === 0x82 ? 1 : op === 0x83 ? 2 : 4);
      case 0x85:
        return this.need(1, 0);
      case 0x86:
        return this.need(2, -1);
      case 0x87:
        return this.need(3, -2);
      case 0x88:
      case 0x89:
      case 0x8f:
      case 0x97:
        return this.push();
      case 0x8a:
      case 0x8c:
        return this.pushSized(1);
      case 0x8b:
        return this.pushSized(4);
      case 0x8d:
      case 0x8e:
      case 0x96:
        return this.pushSized(8);
      case 0x90:
        this.popMark();
        return this.need(1, 0);
      case 0x91:
        this.popMark();
        return this.push();
      case 0x92:
        return this.need(3, -2);
      case 0x93:
        this.hasGlobal = true;
        return this.need(2, -1);
      case 0x94:
        this.need(1, 0);
        this.memo.add(this.memo.size);
        return;
      case 0x95:
        this.skip(8);
        return;
      case 0x98:
        return this.need(1, 0);
      default:
        throw INVALID;
    }
  }

  private push(): void {
    this.items++;
  }

  /** Requires `count` items above the top mark, then changes their number by `delta`. */
  private need(count: number, delta: number): void {
    if (this.items < count) throw INVALID;
    this.items += delta;
  }

  private popMark(): void {
    const below = this.marks.pop();
    if (below === undefined) throw INVALID;
    this.items = below;
  }

  private get(index: number): void {
    if (!this.memo.has(index)) throw INVALID;
    this.push();
  }

  private put(index: number): void {
    this.need(1, 0);
    this.memo.add(index);
  }

  private pushLine(pattern: RegExp): void {
    if (!pattern.test(this.line())) throw INVALID;
    this.push();
  }

  private pushFixed(length: 1 | 2 | 4 | 8): void {
    this.fixed(length);
    this.push();
  }

  /** Skips a length-prefixed argument (`lengthBytes` of little-endian length, then the data). */
  private pushSized(lengthBytes: 1 | 4 | 8): void {
    const start = this.skip(lengthBytes);
    const length =
      lengthBytes === 1
        ? (this.bytes[start] ?? 0)
        : lengthBytes === 4
          ? readU32le(this.bytes, start)
          : readU64le(this.bytes, start);
    if (length > this.size - this.pos) throw INVALID;
    if (this.pos + length > this.bytes.length) throw TRUNCATED;
    this.pos += length;
    this.push();
  }

  private globalLines(): void {
    if (!DOTTED_NAME.test(this.line()) || !DOTTED_NAME.test(this.line())) throw INVALID;
    this.hasGlobal = true;
  }

  private decimal(line: string): number {
    if (!DECIMAL_LINE.test(line)) throw INVALID;
    return Number(line);
  }

  /** Reads a little-endian unsigned argument (8-byte ones are only skipped and read as their low half). */
  private fixed(length: 1 | 2 | 4 | 8): number {
    const start = this.skip(length);
    if (length === 1) return this.bytes[start] ?? 0;
    if (length === 2) return readU16le(this.bytes, start);
    return readU32le(this.bytes, start);
  }

  private skip(length: number): number {
    const start = this.pos;
    if (start + length > this.size) throw INVALID;
    if (start + length > this.bytes.length) throw TRUNCATED;
    this.pos += length;
    return start;
  }

  private line(): string {
    const newline = this.bytes.indexOf(0x0a, this.pos);
    if (newline < 0) throw this.bytes.length >= this.size ? INVALID : TRUNCATED;
    let text = '';
    for (let i = this.pos; i < newline; i++) text += String.fromCharCode(this.bytes[i] ?? 0);
    this.pos = newline + 1;
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  }
}
