import { execFileSync } from 'node:child_process';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { OP, type PickleOpcodeName } from './opcodes.js';
import { PickleMachine } from './pickle-vm-machine.js';
import { PickleReader } from './pickle-vm-reader.js';
import { createVmShared, type VmShared } from './pickle-vm-shared.js';
import type { PickleSummary } from './pickle-vm-types.js';
import type { PickleValue } from './pickle-vm-values.js';

/**
 * A tiny pickle assembler for tests: opcodes by name and their arguments in the stream's encodings, so
 * each test spells out the exact bytes it feeds the machine.
 */
export class PickleAsm {
  private readonly bytes: number[] = [];

  /** Appends opcodes by name. */
  op(...names: PickleOpcodeName[]): this {
    for (const name of names) this.bytes.push(OP[name]);
    return this;
  }

  /** Appends raw bytes. */
  raw(...values: readonly (number | Uint8Array | readonly number[])[]): this {
    for (const value of values) {
      if (typeof value === 'number') this.bytes.push(value & 0xff);
      else for (const b of value) this.bytes.push(b);
    }
    return this;
  }

  /** Appends latin-1 text followed by a newline (protocol 0 arguments). */
  line(text: string): this {
    for (let i = 0; i < text.length; i++) this.bytes.push(text.charCodeAt(i) & 0xff);
    this.bytes.push(0x0a);
    return this;
  }

  proto(protocol: number): this {
    return this.op('PROTO').raw(protocol);
  }

  /** GLOBAL module\nname\n. */
  global(module: string, name: string): this {
    return this.op('GLOBAL').line(module).line(name);
  }

  /** INST module\nname\n (the MARK and arguments must precede it). */
  inst(module: string, name: string): this {
    return this.op('INST').line(module).line(name);
  }

  /** A str: SHORT_BINUNICODE up to 255 bytes, else BINUNICODE. */
  str(text: string): this {
    const data = new TextEncoder().encode(text);
    if (data.length < 256) return this.op('SHORT_BINUNICODE').raw(data.length, data);
    return this.op('BINUNICODE').raw(le(data.length, 4), data);
  }

  /** A str as protocol 1 writes it (BINUNICODE). */
  binunicode(text: string): this {
    const data = new TextEncoder().encode(text);
    return this.op('BINUNICODE').raw(le(data.length, 4), data);
  }

  /** A bytes constant: SHORT_BINBYTES up to 255 bytes, else BINBYTES. */
  binbytes(data: Uint8Array): this {
    if (data.length < 256) return this.op('SHORT_BINBYTES').raw(data.length, data);
    return this.op('BINBYTES').raw(le(data.length, 4), data);
  }

  /** A small non-negative int: BININT1, BININT2 or BININT. */
  int(value: number): this {
    if (value >= 0 && value < 256) return this.op('BININT1').raw(value);
    if (value >= 0 && value < 65536) return this.op('BININT2').raw(le(value, 2));
    return this.op('BININT').raw(le(value, 4));
  }

  /** STACK_GLOBAL with both operands as SHORT_BINUNICODE strings. */
  stackGlobal(module: string, name: string): this {
    return this.str(module).str(name).op('STACK_GLOBAL');
  }

  /** The assembled stream. */
  build(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** Starts an assembly. */
export function asm(): PickleAsm {
  return new PickleAsm();
}

/** Little-endian bytes of an unsigned integer. */
export function le(value: number, width: number): number[] {
  const out: number[] = [];
  let rest = value;
  for (let i = 0; i < width; i++) {
    out.push(rest % 256);
    rest = Math.floor(rest / 256);
  }
  return out;
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Runs a python3 (standard library only) script that writes bytes to stdout and returns them; the
 * script only pickles values, nothing is ever unpickled.
 */
export function python(script: string): Uint8Array {
  const out = execFileSync('python3', ['-c', script], { maxBuffer: 256 * 1024 * 1024 });
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** `pickle.dumps(<expression>, protocol=<protocol>)` computed by python3. */
export function pythonPickle(expression: string, protocol: number, imports = ''): Uint8Array {
  return python(
    `import pickle, sys\n${imports}\nsys.stdout.buffer.write(pickle.dumps(${expression}, protocol=${protocol}))`,
  );
}

/** Tells whether python3 can be run (the tests that need it are skipped otherwise). */
export function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'pass']);
    return true;
  } catch {
    return false;
  }
}

/** Runs one pickle of `bytes` on the machine and returns the value its STOP returned. */
export async function evaluatePickle(
  bytes: Uint8Array,
  maxOps = 1_000_000,
): Promise<{ value: PickleValue | undefined; summary: PickleSummary; shared: VmShared }> {
  const shared = createVmShared(bytesSource(bytes), { maxOps });
  const machine = new PickleMachine(shared, new PickleReader(shared.source, 0), false);
  const summary = await machine.run();
  return { value: machine.result, summary, shared };
}

/** A plain JavaScript rendering of a symbolic value, for readable assertions. */
export function plain(value: PickleValue | undefined, depth = 0): unknown {
  if (value === undefined) return undefined;
  if (depth > 6) return '…';
  const inner = (v: PickleValue | undefined): unknown => plain(v, depth + 1);
  switch (value.kind) {
    case 'none':
      return null;
    case 'bool':
    case 'int':
    case 'float':
      return value.value;
    case 'str':
      return value.text;
    case 'bytes':
      return { bytes: value.length, head: Array.from(value.head.subarray(0, 8)) };
    case 'tuple':
      return { tuple: value.items.map(inner) };
    case 'list':
      return value.items.map(inner);
    case 'set':
    case 'frozenset':
      return { [value.kind]: value.items.map(inner) };
    case 'dict':
      return { dict: value.keys.map((k, i) => [inner(k), inner(value.values[i])]) };
    case 'global':
      return `${value.module}.${value.name}`;
    case 'dynamicGlobal':
      return { dynamic: value.description };
    case 'call':
      return {
        call: inner(value.callee),
        args: inner(value.args),
        ...(value.state ? { state: inner(value.state) } : {}),
      };
    case 'object':
      return {
        object: inner(value.cls),
        args: inner(value.args),
        ...(value.state ? { state: inner(value.state) } : {}),
      };
    case 'persid':
      return { persid: inner(value.pid) };
    case 'ext':
      return { ext: value.code };
    case 'unknown':
      return { unknown: value.reason };
  }
}

export { seededRandom } from '../../../test/support/seeded-random.js';
