import type { PickleImport } from './pickle-vm-types.js';

/** How a string's payload is encoded in the stream. */
export type StrEncoding = 'utf8' | 'raw-unicode-escape' | 'latin1';

/**
 * A `str` (or a Python 2 `str` read as text); `text` is cut to a bounded prefix when `truncated`, and
 * `offset`/`byteLength`/`encoding` say where its payload sits in the stream so it can be read again
 * (`offset` is -1 when it is not contiguous there, e.g. an escaped STRING).
 */
export interface StrValue {
  readonly kind: 'str';
  readonly text: string;
  readonly truncated: boolean;
  readonly offset: number;
  readonly byteLength: number;
  readonly encoding: StrEncoding;
}

/**
 * A `bytes` or `bytearray`: `head` holds its first bytes, `offset` where the rest sits in the source
 * (-1 when loading computes it), `data` the whole value when it was materialized.
 */
export interface BytesValue {
  readonly kind: 'bytes';
  readonly head: Uint8Array;
  readonly length: number;
  readonly offset: number;
  readonly data?: Uint8Array;
}

/** A sequence or set; `items` holds at most a bounded number of elements, `count` all of them. */
export interface SeqValue {
  readonly kind: 'tuple' | 'list' | 'set' | 'frozenset';
  readonly items: PickleValue[];
  count: number;
}

/** A dict; `keys`/`values` hold at most a bounded number of entries, `count` all of them. */
export interface DictValue {
  readonly kind: 'dict';
  readonly keys: PickleValue[];
  readonly values: PickleValue[];
  count: number;
}

/** A global named by GLOBAL, INST or STACK_GLOBAL, tied to its import record. */
export interface GlobalValue {
  readonly kind: 'global';
  readonly module: string;
  readonly name: string;
  readonly record: PickleImport;
}

/** A global whose module or name is computed at load time. */
export interface DynamicGlobalValue {
  readonly kind: 'dynamicGlobal';
  readonly description: string;
}

/** What REDUCE returns: `callee(*args)`; BUILD may later give it a state. */
export interface CallValue {
  readonly kind: 'call';
  readonly callee: PickleValue;
  readonly args: PickleValue;
  state?: PickleValue;
}

/** An instance made by INST, OBJ, NEWOBJ or NEWOBJ_EX; BUILD may later give it a state. */
export interface ObjectValue {
  readonly kind: 'object';
  readonly cls: PickleValue;
  readonly args: PickleValue;
  readonly kwargs?: PickleValue;
  /** Whether the class's `__init__` ran (INST, OBJ) rather than only `__new__`. */
  readonly initialized: boolean;
  state?: PickleValue;
}

/** Every symbolic value the machine keeps on its stack and in its memo. */
export type PickleValue =
  | { readonly kind: 'none' }
  | { readonly kind: 'bool'; readonly value: boolean }
  /** `value` is undefined when the integer is too large to keep. */
  | { readonly kind: 'int'; readonly value: number | bigint | undefined }
  | { readonly kind: 'float'; readonly value: number }
  | StrValue
  | BytesValue
  | SeqValue
  | DictValue
  | GlobalValue
  | DynamicGlobalValue
  | CallValue
  | ObjectValue
  | { readonly kind: 'persid'; readonly pid: PickleValue }
  | { readonly kind: 'ext'; readonly code: number }
  | { readonly kind: 'unknown'; readonly reason: string };

/** The shared `None`. */
export const NONE: PickleValue = { kind: 'none' };

/** Shared values of the small ints that fill shapes, strides and sizes (values are never mutated). */
const SMALL_INTS: readonly PickleValue[] = Array.from({ length: 1024 }, (_, value) => ({
  kind: 'int',
  value,
}));

/** An int value, shared for small ones to spare the allocation. */
export function intValue(value: number | bigint | undefined): PickleValue {
  if (typeof value === 'number' && value >= 0 && value < 1024) return SMALL_INTS[value] as PickleValue;
  return { kind: 'int', value };
}
/** The shared `True`. */
export const TRUE: PickleValue = { kind: 'bool', value: true };
/** The shared `False`. */
export const FALSE: PickleValue = { kind: 'bool', value: false };

/** Kinds whose Python type the stream fixes (literals and containers); none of them is callable. */
export const CONSTANT_KINDS = [
  'none',
  'bool',
  'int',
  'float',
  'str',
  'bytes',
  'tuple',
  'list',
  'dict',
  'set',
  'frozenset',
] as const satisfies readonly PickleValue['kind'][];

const NOT_CALLABLE: ReadonlySet<string> = new Set(CONSTANT_KINDS);

/** Tells whether a value is certainly not callable (calling it is a TypeError that ends the load). */
export function isNeverCallable(value: PickleValue): boolean {
  return NOT_CALLABLE.has(value.kind);
}

/** The string of a str value that was kept whole, else undefined. */
export function strOf(value: PickleValue | undefined): string | undefined {
  return value?.kind === 'str' && !value.truncated ? value.text : undefined;
}

/** The integer of an int value as a bigint, else undefined. */
export function bigintOf(value: PickleValue | undefined): bigint | undefined {
  if (value?.kind !== 'int' || value.value === undefined) return undefined;
  return typeof value.value === 'bigint' ? value.value : BigInt(value.value);
}

const MAX_DESCRIPTION = 300;
const MAX_DEPTH = 4;
const MAX_ITEMS = 6;
/** Values visited at most per description, so describing a wide structure stays cheap. */
const MAX_NODES = 48;

/** A description being built: how many more values it may visit. */
interface Walk {
  nodes: number;
}

/**
 * A short human-readable rendering of a value for event descriptions: globals by qualified name, calls
 * as `result of f(args)`, constants as Python literals, all bounded in depth and length.
 */
export function describeValue(value: PickleValue): string {
  const text = describe(value, 0, { nodes: MAX_NODES });
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1)}…` : text;
}

/** Describes what is being called: `result of builtins.getattr(...)` for a computed callee. */
export function describeCallee(value: PickleValue): string {
  return describeValue(value);
}

function describe(value: PickleValue, depth: number, walk: Walk): string {
  if (depth > MAX_DEPTH || walk.nodes-- <= 0) return '…';
  switch (value.kind) {
    case 'none':
      return 'None';
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'int':
      return value.value === undefined ? '<huge int>' : String(value.value);
    case 'float':
      return String(value.value);
    case 'str':
      return quote(value.text, value.truncated);
    case 'bytes':
      return `<${value.length} bytes>`;
    case 'tuple':
    case 'list':
    case 'set':
    case 'frozenset':
      return describeSeq(value, depth, walk);
    case 'dict':
      return `{<${value.count} items>}`;
    case 'global':
      return `${value.module}.${value.name}`;
    case 'dynamicGlobal':
      return `dynamic import of ${value.description}`;
    case 'call':
      return `result of ${describeInner(value.callee, depth, walk)}(${describeArgs(value.args, depth, walk)})`;
    case 'object':
      return `instance of ${describeInner(value.cls, depth, walk)}`;
    case 'persid':
      return `persistent object ${describe(value.pid, depth + 1, walk)}`;
    case 'ext':
      return `extension code ${value.code}`;
    case 'unknown':
      return `<${value.reason}>`;
  }
}

/** A callee that is itself computed is parenthesized so the chain reads unambiguously. */
function describeInner(value: PickleValue, depth: number, walk: Walk): string {
  const text = describe(value, depth + 1, walk);
  return value.kind === 'global' ? text : `(${text})`;
}

function describeArgs(args: PickleValue, depth: number, walk: Walk): string {
  if (args.kind !== 'tuple') return `*${describe(args, depth + 1, walk)}`;
  const shown = args.items.slice(0, MAX_ITEMS).map((item) => describe(item, depth + 1, walk));
  if (args.count > shown.length) shown.push('…');
  return shown.join(', ');
}

function describeSeq(value: SeqValue, depth: number, walk: Walk): string {
  const shown = value.items.slice(0, MAX_ITEMS).map((item) => describe(item, depth + 1, walk));
  if (value.count > shown.length) shown.push('…');
  const body = shown.join(', ');
  switch (value.kind) {
    case 'tuple':
      return value.count === 1 ? `(${body},)` : `(${body})`;
    case 'list':
      return `[${body}]`;
    case 'set':
      return value.count === 0 ? 'set()' : `{${body}}`;
    case 'frozenset':
      return `frozenset({${body}})`;
  }
}

function quote(text: string, truncated: boolean): string {
  const cut = text.length > 60 || truncated;
  const shown = JSON.stringify(text.slice(0, 60)).slice(1, -1).replace(/'/g, "\\'");
  return `'${shown}${cut ? '…' : ''}'`;
}
