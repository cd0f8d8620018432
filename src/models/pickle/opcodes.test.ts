import { describe, expect, it } from 'vitest';
import { hasPython, python } from './pickle-vm-asm.test-support.js';
import { OP, OPCODE_PROTOCOL, PICKLE_OPCODES, opcodeName, opcodeOf } from './opcodes.js';

describe('pickle opcode table', () => {
  it('has 68 distinct opcodes', () => {
    expect(PICKLE_OPCODES).toHaveLength(68);
    expect(new Set(PICKLE_OPCODES.map((o) => o.code)).size).toBe(68);
    expect(new Set(PICKLE_OPCODES.map((o) => o.name)).size).toBe(68);
  });

  it('names bytes and maps names to bytes', () => {
    expect(OP.REDUCE).toBe(0x52);
    expect(OP.STACK_GLOBAL).toBe(0x93);
    expect(opcodeName(0x2e)).toBe('STOP');
    expect(opcodeName(0xff)).toBe('0xff');
    expect(opcodeOf(0x00)).toBeUndefined();
    expect(OPCODE_PROTOCOL[OP.BYTEARRAY8]).toBe(5);
    expect(OPCODE_PROTOCOL[0xff]).toBe(0);
  });

  it.runIf(hasPython())('matches pickletools: names, codes, argument kinds and protocols', () => {
    const script = `import json, pickletools, sys
sys.stdout.write(json.dumps([[o.name, ord(o.code), o.arg.n if o.arg else 0, o.proto] for o in pickletools.opcodes]))`;
    const expected = JSON.parse(new TextDecoder().decode(python(script))) as [
      string,
      number,
      number,
      number,
    ][];
    // pickletools' argument widths: fixed sizes, or negative markers for lines and length prefixes.
    const width = { none: 0, uint1: 1, uint2: 2, int4: 4, uint4: 4, uint8: 8, float8: 8 } as const;
    const actual = PICKLE_OPCODES.map((o) => [o.name, o.code, o.protocol, o.argument] as const);
    expect(actual.map(([name, code, protocol]) => [name, code, protocol]).sort()).toEqual(
      expected.map(([name, code, , protocol]) => [name, code, protocol]).sort(),
    );
    for (const [name, , n] of expected) {
      const argument = PICKLE_OPCODES.find((o) => o.name === name)?.argument ?? 'none';
      if (n >= 0) expect(width[argument as keyof typeof width], name).toBe(n);
      else expect(argument, name).not.toBe('none');
    }
  });
});
