/**
 * How the argument of an opcode is laid out in the stream: nothing, a fixed-size integer or float, a
 * newline-terminated text line (or two), or a length prefix followed by that many bytes.
 */
export type OpcodeArgument =
  | 'none'
  | 'uint1'
  | 'uint2'
  | 'int4'
  | 'uint4'
  | 'uint8'
  | 'float8'
  | 'line'
  | 'two-lines'
  | 'sized1'
  | 'sized4'
  | 'sized8';

/** One opcode of CPython's pickle machine. */
export interface PickleOpcode {
  readonly name: string;
  readonly code: number;
  readonly argument: OpcodeArgument;
  /** The lowest protocol that emits it (as pickletools documents it). */
  readonly protocol: number;
}

/**
 * Every opcode of pickle protocols 0 to 5, as CPython's `pickle.Unpickler` reads them. CPython accepts
 * any of them whatever the PROTO opcode said, so the protocol here only serves to infer one.
 */
export const PICKLE_OPCODES = [
  { name: 'MARK', code: 0x28, argument: 'none', protocol: 0 },
  { name: 'STOP', code: 0x2e, argument: 'none', protocol: 0 },
  { name: 'POP', code: 0x30, argument: 'none', protocol: 0 },
  { name: 'POP_MARK', code: 0x31, argument: 'none', protocol: 1 },
  { name: 'DUP', code: 0x32, argument: 'none', protocol: 0 },
  { name: 'FLOAT', code: 0x46, argument: 'line', protocol: 0 },
  { name: 'INT', code: 0x49, argument: 'line', protocol: 0 },
  { name: 'BININT', code: 0x4a, argument: 'int4', protocol: 1 },
  { name: 'BININT1', code: 0x4b, argument: 'uint1', protocol: 1 },
  { name: 'LONG', code: 0x4c, argument: 'line', protocol: 0 },
  { name: 'BININT2', code: 0x4d, argument: 'uint2', protocol: 1 },
  { name: 'NONE', code: 0x4e, argument: 'none', protocol: 0 },
  { name: 'PERSID', code: 0x50, argument: 'line', protocol: 0 },
  { name: 'BINPERSID', code: 0x51, argument: 'none', protocol: 1 },
  { name: 'REDUCE', code: 0x52, argument: 'none', protocol: 0 },
  { name: 'STRING', code: 0x53, argument: 'line', protocol: 0 },
  { name: 'BINSTRING', code: 0x54, argument: 'sized4', protocol: 1 },
  { name: 'SHORT_BINSTRING', code: 0x55, argument: 'sized1', protocol: 1 },
  { name: 'UNICODE', code: 0x56, argument: 'line', protocol: 0 },
  { name: 'BINUNICODE', code: 0x58, argument: 'sized4', protocol: 1 },
  { name: 'APPEND', code: 0x61, argument: 'none', protocol: 0 },
  { name: 'BUILD', code: 0x62, argument: 'none', protocol: 0 },
  { name: 'GLOBAL', code: 0x63, argument: 'two-lines', protocol: 0 },
  { name: 'DICT', code: 0x64, argument: 'none', protocol: 0 },
  { name: 'EMPTY_DICT', code: 0x7d, argument: 'none', protocol: 1 },
  { name: 'APPENDS', code: 0x65, argument: 'none', protocol: 1 },
  { name: 'GET', code: 0x67, argument: 'line', protocol: 0 },
  { name: 'BINGET', code: 0x68, argument: 'uint1', protocol: 1 },
  { name: 'INST', code: 0x69, argument: 'two-lines', protocol: 0 },
  { name: 'LONG_BINGET', code: 0x6a, argument: 'uint4', protocol: 1 },
  { name: 'LIST', code: 0x6c, argument: 'none', protocol: 0 },
  { name: 'EMPTY_LIST', code: 0x5d, argument: 'none', protocol: 1 },
  { name: 'OBJ', code: 0x6f, argument: 'none', protocol: 1 },
  { name: 'PUT', code: 0x70, argument: 'line', protocol: 0 },
  { name: 'BINPUT', code: 0x71, argument: 'uint1', protocol: 1 },
  { name: 'LONG_BINPUT', code: 0x72, argument: 'uint4', protocol: 1 },
  { name: 'SETITEM', code: 0x73, argument: 'none', protocol: 0 },
  { name: 'TUPLE', code: 0x74, argument: 'none', protocol: 0 },
  { name: 'EMPTY_TUPLE', code: 0x29, argument: 'none', protocol: 1 },
  { name: 'SETITEMS', code: 0x75, argument: 'none', protocol: 1 },
  { name: 'BINFLOAT', code: 0x47, argument: 'float8', protocol: 1 },
  { name: 'PROTO', code: 0x80, argument: 'uint1', protocol: 2 },
  { name: 'NEWOBJ', code: 0x81, argument: 'none', protocol: 2 },
  { name: 'EXT1', code: 0x82, argument: 'uint1', protocol: 2 },
  { name: 'EXT2', code: 0x83, argument: 'uint2', protocol: 2 },
  { name: 'EXT4', code: 0x84, argument: 'int4', protocol: 2 },
  { name: 'TUPLE1', code: 0x85, argument: 'none', protocol: 2 },
  { name: 'TUPLE2', code: 0x86, argument: 'none', protocol: 2 },
  { name: 'TUPLE3', code: 0x87, argument: 'none', protocol: 2 },
  { name: 'NEWTRUE', code: 0x88, argument: 'none', protocol: 2 },
  { name: 'NEWFALSE', code: 0x89, argument: 'none', protocol: 2 },
  { name: 'LONG1', code: 0x8a, argument: 'sized1', protocol: 2 },
  { name: 'LONG4', code: 0x8b, argument: 'sized4', protocol: 2 },
  { name: 'BINBYTES', code: 0x42, argument: 'sized4', protocol: 3 },
  { name: 'SHORT_BINBYTES', code: 0x43, argument: 'sized1', protocol: 3 },
  { name: 'SHORT_BINUNICODE', code: 0x8c, argument: 'sized1', protocol: 4 },
  { name: 'BINUNICODE8', code: 0x8d, argument: 'sized8', protocol: 4 },
  { name: 'BINBYTES8', code: 0x8e, argument: 'sized8', protocol: 4 },
  { name: 'EMPTY_SET', code: 0x8f, argument: 'none', protocol: 4 },
  { name: 'ADDITEMS', code: 0x90, argument: 'none', protocol: 4 },
  { name: 'FROZENSET', code: 0x91, argument: 'none', protocol: 4 },
  { name: 'NEWOBJ_EX', code: 0x92, argument: 'none', protocol: 4 },
  { name: 'STACK_GLOBAL', code: 0x93, argument: 'none', protocol: 4 },
  { name: 'MEMOIZE', code: 0x94, argument: 'none', protocol: 4 },
  { name: 'FRAME', code: 0x95, argument: 'uint8', protocol: 4 },
  { name: 'BYTEARRAY8', code: 0x96, argument: 'sized8', protocol: 5 },
  { name: 'NEXT_BUFFER', code: 0x97, argument: 'none', protocol: 5 },
  { name: 'READONLY_BUFFER', code: 0x98, argument: 'none', protocol: 5 },
] as const satisfies readonly PickleOpcode[];

/** The name of a pickle opcode, e.g. `'REDUCE'`. */
export type PickleOpcodeName = (typeof PICKLE_OPCODES)[number]['name'];

/** Opcode byte values by name, for readable dispatch and for assembling test streams. */
export const OP = Object.fromEntries(PICKLE_OPCODES.map((o) => [o.name, o.code])) as {
  readonly [K in PickleOpcodeName]: Extract<(typeof PICKLE_OPCODES)[number], { name: K }>['code'];
};

const BY_CODE: (PickleOpcode | undefined)[] = new Array<PickleOpcode | undefined>(256).fill(undefined);
for (const opcode of PICKLE_OPCODES) BY_CODE[opcode.code] = opcode;

/** Lowest protocol per byte value (0 for bytes that are not opcodes), for the hot loop. */
export const OPCODE_PROTOCOL: Uint8Array = Uint8Array.from(
  { length: 256 },
  (_, i) => BY_CODE[i]?.protocol ?? 0,
);

/** The opcode a byte stands for, or undefined when CPython would reject it as unknown. */
export function opcodeOf(code: number): PickleOpcode | undefined {
  return BY_CODE[code & 0xff];
}

/** A readable name for a byte found where an opcode was expected (`'REDUCE'` or `'0xff'`). */
export function opcodeName(code: number): string {
  return opcodeOf(code)?.name ?? `0x${(code & 0xff).toString(16).padStart(2, '0')}`;
}
