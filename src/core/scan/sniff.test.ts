import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scanJsonPrefix } from './json-prefix.js';
import { FILE_KINDS, identifyFile, SNIFF_HEAD_BYTES, SNIFF_TAIL_BYTES, type FileKind } from './sniff.js';

const enc = new TextEncoder();

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function concat(...parts: (Uint8Array | string | number[])[]): Uint8Array {
  const arrays = parts.map((p) =>
    typeof p === 'string' ? latin1(p) : p instanceof Uint8Array ? p : Uint8Array.from(p),
  );
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

function le(value: number, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = Math.floor(value / 256 ** i) % 256;
  return out;
}

/** Identifies bytes the way the engine does: a head window and, for longer files, a tail window. */
function sniff(bytes: Uint8Array): ReturnType<typeof identifyFile> {
  const head = bytes.subarray(0, SNIFF_HEAD_BYTES);
  const tail =
    bytes.length > head.length ? bytes.subarray(Math.max(0, bytes.length - SNIFF_TAIL_BYTES)) : undefined;
  return identifyFile(head, bytes.length, tail);
}

interface ZipMember {
  name: string;
  data?: string;
  /** Write the sizes in a data descriptor instead of the local header (as streaming writers do). */
  descriptor?: boolean;
}

/** A stored (uncompressed) zip archive with a central directory, built by hand. */
function zip(members: ZipMember[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const m of members) {
    const data = latin1(m.data ?? '');
    const name = enc.encode(m.name);
    const flags = m.descriptor ? 0x08 : 0;
    const size = m.descriptor ? 0 : data.length;
    const local = concat(
      'PK\x03\x04',
      le(20, 2),
      le(flags, 2),
      le(0, 2),
      le(0, 4),
      le(0, 4),
      le(size, 4),
      le(size, 4),
      le(name.length, 2),
      le(0, 2),
      name,
      data,
    );
    const descriptor = m.descriptor
      ? concat('PK\x07\x08', le(0, 4), le(data.length, 4), le(data.length, 4))
      : new Uint8Array();
    centrals.push(
      concat(
        'PK\x01\x02',
        le(20, 2),
        le(20, 2),
        le(flags, 2),
        le(0, 2),
        le(0, 4),
        le(0, 4),
        le(data.length, 4),
        le(data.length, 4),
        le(name.length, 2),
        le(0, 2),
        le(0, 2),
        le(0, 2),
        le(0, 2),
        le(0, 4),
        le(offset, 4),
        name,
      ),
    );
    locals.push(local, descriptor);
    offset += local.length + descriptor.length;
  }
  const central = concat(...centrals);
  const eocd = concat(
    'PK\x05\x06',
    le(0, 2),
    le(0, 2),
    le(members.length, 2),
    le(members.length, 2),
    le(central.length, 4),
    le(offset, 4),
    le(0, 2),
  );
  return concat(...locals, central, eocd);
}

function tar(name: string, body: string): Uint8Array {
  const header = new Uint8Array(512);
  header.set(latin1(name), 0);
  header.set(latin1('ustar\x0000'), 257);
  return concat(header, body, new Uint8Array(512 - (body.length % 512)), new Uint8Array(1024));
}

/** A notebook as Jupyter writes it: sorted keys, so `cells` first and `nbformat` last, padded to `size`. */
function jupyterNotebook(size: number, source = 'print("hi")\n'): string {
  const cell = (i: number): string =>
    `  {\n   "cell_type": "code",\n   "execution_count": ${i},\n   "id": "c${i}",\n   "metadata": {},\n   "outputs": [],\n   "source": [\n    ${JSON.stringify(source)}\n   ]\n  }`;
  const cells: string[] = [];
  for (let i = 0, length = 0; length < size; i++) {
    cells.push(cell(i));
    length += cells[cells.length - 1]!.length + 2;
  }
  return `{\n "cells": [\n${cells.join(',\n')}\n ],\n "metadata": {\n  "kernelspec": {"name": "python3"}\n },\n "nbformat": 4,\n "nbformat_minor": 5\n}\n`;
}

function protobufString(field: number, text: string): Uint8Array {
  const bytes = enc.encode(text);
  return concat([field * 8 + 2, bytes.length], bytes);
}

/** A fixture per kind (several for some), built from the format specifications. */
const FIXTURES: readonly { name: string; kind: FileKind; detail?: string; bytes: Uint8Array }[] = [
  {
    name: 'pickle protocol 2',
    kind: 'pickle',
    detail: 'protocol 2',
    bytes: concat([0x80, 2], 'cbuiltins\nprint\nq\x00X\x02\x00\x00\x00hi\x85R.'),
  },
  {
    name: 'pickle protocol 4 framed',
    kind: 'pickle',
    detail: 'protocol 4',
    bytes: concat([0x80, 4, 0x95], le(10, 8), [0x8c, 2], 'os', [0x94, 0x8c, 6], 'system', [0x94, 0x93], '.'),
  },
  {
    name: 'pickle protocol 0 (text)',
    kind: 'pickle',
    detail: 'protocol 0',
    bytes: latin1("cos\nsystem\n(S'echo hi'\ntR."),
  },
  {
    name: 'pickle protocol 0 dict',
    kind: 'pickle',
    detail: 'protocol 0',
    bytes: latin1("(dp0\nS'a'\np1\nI1\nsS'b'\np2\nF2.5\ns."),
  },
  {
    name: 'pickle protocol 1 list',
    kind: 'pickle',
    detail: 'protocol 1',
    bytes: latin1(']q\x00(K\x01K\x02e.'),
  },
  {
    name: 'pickle without PROTO using protocol 4 opcodes',
    kind: 'pickle',
    detail: 'protocol 4',
    bytes: concat(
      [0x8c, 2],
      'os',
      [0x94, 0x8c, 6],
      'system',
      [0x94, 0x93, 0x94, 0x8c, 2],
      'id',
      [0x94, 0x85, 0x94],
      'R.',
    ),
  },
  {
    name: 'pickle protocol 0 longer than the head',
    kind: 'pickle',
    detail: 'protocol 0',
    bytes: latin1(`(lp0\n${'I12345\na'.repeat(1500)}.`),
  },
  {
    name: 'pickle protocol 0 with trailing junk',
    kind: 'pickle',
    detail: 'protocol 0',
    bytes: latin1("cposix\nsystem\n(S'id'\ntR.\n\n# just notes\n"),
  },
  {
    name: 'zip pytorch',
    kind: 'zip',
    detail: 'pytorch',
    bytes: zip([
      { name: 'archive/data.pkl', data: '\x80\x02}q\x00.' },
      { name: 'archive/data/0', data: 'xxxx' },
      { name: 'archive/version', data: '3\n' },
    ]),
  },
  {
    name: 'zip pytorch found in the central directory',
    kind: 'zip',
    detail: 'pytorch',
    bytes: zip([
      { name: 'archive/.format_version', data: '1', descriptor: true },
      { name: 'archive/data.pkl', data: '\x80\x02N.' },
    ]),
  },
  {
    name: 'zip npz',
    kind: 'zip',
    detail: 'npz',
    bytes: zip([{ name: 'arr_0.npy', data: '\x93NUMPY\x01\x00' }, { name: 'arr_1.npy' }]),
  },
  {
    name: 'zip keras',
    kind: 'zip',
    detail: 'keras',
    bytes: zip([
      { name: 'metadata.json', data: '{}' },
      { name: 'config.json', data: '{}' },
      { name: 'model.weights.h5' },
    ]),
  },
  { name: 'zip plain', kind: 'zip', bytes: zip([{ name: 'readme.txt', data: 'hello' }]) },
  { name: 'zip empty', kind: 'zip', detail: 'empty', bytes: zip([]) },
  { name: 'gzip', kind: 'gzip', bytes: new Uint8Array(gzipSync(Buffer.from('hello hello hello'))) },
  { name: 'tar', kind: 'tar', detail: 'posix', bytes: tar('notes.txt', 'hello') },
  {
    name: 'numpy',
    kind: 'numpy',
    detail: 'version 1.0',
    bytes: concat(
      '\x93NUMPY\x01\x00',
      le(118, 2),
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }".padEnd(117, ' '),
      '\n',
      new Uint8Array(8),
    ),
  },
  { name: 'hdf5', kind: 'hdf5', bytes: concat([0x89], 'HDF\r\n\x1a\n', new Uint8Array(100)) },
  {
    name: 'hdf5 after a user block',
    kind: 'hdf5',
    detail: 'user block 512',
    bytes: concat(new Uint8Array(512), [0x89], 'HDF\r\n\x1a\n', new Uint8Array(100)),
  },
  { name: 'gguf', kind: 'gguf', detail: 'version 3', bytes: concat('GGUF', le(3, 4), le(0, 8), le(0, 8)) },
  {
    name: 'safetensors',
    kind: 'safetensors',
    bytes: concat(
      le(64, 8),
      '{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[1]}}'.padEnd(64, ' '),
      new Uint8Array(16),
    ),
  },
  {
    name: 'onnx',
    kind: 'onnx',
    detail: 'low-confidence',
    bytes: concat(
      [0x08, 0x07],
      protobufString(2, 'pytorch'),
      protobufString(3, '2.1.0'),
      [0x3a, 0x04, 0x0a, 0x02, 0x78, 0x79],
      [0x42, 0x02, 0x10, 0x11],
    ),
  },
  { name: 'parquet', kind: 'parquet', bytes: concat('PAR1', new Uint8Array(40), le(20, 4), 'PAR1') },
  { name: 'sqlite', kind: 'sqlite', bytes: concat('SQLite format 3\0', le(4096, 2), new Uint8Array(82)) },
  { name: 'pdf', kind: 'pdf', bytes: latin1('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n') },
  { name: 'png', kind: 'png', bytes: concat([0x89], 'PNG\r\n\x1a\n', le(13, 4), 'IHDR', new Uint8Array(17)) },
  {
    name: 'jpeg',
    kind: 'jpeg',
    bytes: concat([0xff, 0xd8, 0xff, 0xe0], le(16, 2), 'JFIF\0', new Uint8Array(20)),
  },
  { name: 'elf', kind: 'elf', bytes: concat('\x7fELF', [2, 1, 1, 0], new Uint8Array(56)) },
  {
    name: 'pe',
    kind: 'pe',
    bytes: concat(
      'MZ',
      new Uint8Array(0x3a),
      le(0x80, 4),
      new Uint8Array(0x40),
      'PE\0\0',
      new Uint8Array(20),
    ),
  },
  {
    name: 'mach-o',
    kind: 'mach-o',
    bytes: concat([0xcf, 0xfa, 0xed, 0xfe], le(0x01000007, 4), new Uint8Array(24)),
  },
  {
    name: 'mach-o fat',
    kind: 'mach-o',
    detail: 'fat',
    bytes: concat([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2], new Uint8Array(40)),
  },
  {
    name: 'pem',
    kind: 'pem',
    detail: 'PRIVATE KEY',
    bytes: latin1(
      '-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n',
    ),
  },
  {
    name: 'json',
    kind: 'json',
    bytes: enc.encode('{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {}}\n'),
  },
  {
    name: 'json longer than the head',
    kind: 'json',
    bytes: enc.encode(
      `[${Array.from({ length: 2000 }, (_, i) => `{"id": ${i}, "text": "row ${i}"}`).join(',\n')}]`,
    ),
  },
  {
    name: 'jsonl',
    kind: 'jsonl',
    bytes: enc.encode(
      '{"text": "good", "label": 1}\n{"text": "bad", "label": 0}\n\n{"text": "ok", "label": 1}\n',
    ),
  },
  {
    name: 'notebook',
    kind: 'notebook',
    bytes: enc.encode('{\n "cells": [],\n "metadata": {},\n "nbformat": 4,\n "nbformat_minor": 5\n}\n'),
  },
  {
    name: 'notebook longer than the head, nbformat last',
    kind: 'notebook',
    bytes: enc.encode(jupyterNotebook(50 * 1024)),
  },
  {
    name: 'notebook longer than the head, nbformat first (Colab)',
    kind: 'notebook',
    bytes: enc.encode(
      `{"nbformat": 4, "nbformat_minor": 0, "metadata": {"widgets": "${'w'.repeat(8000)}"}, "cells": []}`,
    ),
  },
  {
    name: 'csv',
    kind: 'csv',
    bytes: enc.encode('id,name,score\n1,alice,0.5\n2,"bob, jr",0.7\n3,"multi\nline",0.9\n'),
  },
  {
    name: 'csv with semicolons',
    kind: 'csv',
    detail: 'delimiter ;',
    bytes: enc.encode('id;name;score\n1;alice;0,5\n2;bob;0,7\n'),
  },
  { name: 'tsv', kind: 'tsv', bytes: enc.encode('id\tname\n1\talice\n2\tbob\n') },
  {
    name: 'python',
    kind: 'python',
    bytes: enc.encode(
      '"""Trains."""\nimport os\nfrom pathlib import Path\n\n\ndef main() -> None:\n    print(Path(os.getcwd()))\n',
    ),
  },
  { name: 'python script', kind: 'python', bytes: enc.encode('#!/usr/bin/env python3\nprint("hi")\n') },
  {
    name: 'text',
    kind: 'text',
    bytes: enc.encode('Hello world.\nThis is prose, with a comma.\nN.B. it ends here.\n'),
  },
  { name: 'text with a cut UTF-8 sequence', kind: 'text', bytes: enc.encode('é'.repeat(SNIFF_HEAD_BYTES)) },
  {
    name: 'Java properties in ISO-8859-1',
    kind: 'text',
    detail: '8-bit',
    bytes: latin1('# Caf\xe9 settings\ngreeting=D\xe9j\xe0 vu\ncity=M\xfcnchen\n'),
  },
  {
    name: 'Windows-1252 text longer than the head',
    kind: 'text',
    detail: '8-bit',
    bytes: latin1('\x93Quoted\x94 na\xefve r\xe9sum\xe9 \x80 5.\n'.repeat(400)),
  },
  {
    name: 'CSV in ISO-8859-1',
    kind: 'csv',
    detail: '8-bit',
    bytes: latin1('name,city,score\nJos\xe9,S\xe3o Paulo,1\nRen\xe9e,Z\xfcrich,2\n'),
  },
  { name: 'empty', kind: 'empty', bytes: new Uint8Array() },
  { name: 'binary', kind: 'binary', bytes: Uint8Array.from({ length: 300 }, (_, i) => (i * 7919) % 256) },
];

describe('identifyFile', () => {
  it.each(FIXTURES.map((f) => [f.name, f] as const))('identifies %s', (_name, fixture) => {
    const identity = sniff(fixture.bytes);
    expect(identity.kind).toBe(fixture.kind);
    if (fixture.detail !== undefined) expect(identity.detail).toBe(fixture.detail);
    expect(identity.mediaType).toMatch(/^[a-z]+\/[\w.+-]+$/);
  });

  it('covers every kind', () => {
    expect(new Set(FIXTURES.map((f) => f.kind))).toEqual(new Set(FILE_KINDS));
  });

  it('gives the media types scanners and reports rely on', () => {
    expect(sniff(FIXTURES[0]!.bytes).mediaType).toBe('application/x-python-pickle');
    expect(sniff(zip([{ name: 'a' }])).mediaType).toBe('application/zip');
    expect(sniff(enc.encode('a,b,c\n1,2,3\n4,5,6\n')).mediaType).toBe('text/csv');
    expect(sniff(Uint8Array.from([0, 1, 2, 0])).mediaType).toBe('application/octet-stream');
  });

  it.each([
    ['prose opening like pickle opcodes', 'N.B. (see below) this is prose.\n'],
    ['a parenthesis', '(hello).\n'],
    ['a sentence starting with a capital I', 'I think.\n'],
    ['a version line', 'Version 1\nnotes.\n'],
    ['a number list', '0.5\n1.5\n.'],
  ])('does not call %s a pickle', (_name, text) => {
    expect(sniff(enc.encode(text)).kind).not.toBe('pickle');
  });

  it('does not call a Java class file a fat Mach-O binary', () => {
    expect(sniff(concat([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x34], new Uint8Array(40))).kind).toBe('binary');
  });

  it('needs a PE header or a binary DOS header for MZ', () => {
    expect(sniff(enc.encode(`MZ is a nice prefix for text. ${'x'.repeat(80)}\n`)).kind).toBe('text');
  });

  it('still calls a JSON header after a lying length safetensors, so the format check reports it', () => {
    expect(sniff(concat(le(1000, 8), '{"a":1}'))).toMatchObject({
      kind: 'safetensors',
      detail: 'invalid header length',
    });
    expect(sniff(concat(le(1000, 8), '{ x')).kind).not.toBe('safetensors');
  });

  it('tells invalid JSON from JSON', () => {
    expect(sniff(enc.encode('{a: 1}')).kind).toBe('text');
    expect(sniff(enc.encode('{"a": 1} trailing')).kind).toBe('text');
    expect(sniff(enc.encode('{"a": 1')).kind).toBe('text'); // the whole file is in the head: cut JSON is not JSON
  });

  it('keeps a pair of sentences with one comma each as text', () => {
    expect(sniff(enc.encode('Hello, world\nGoodbye, world\n')).kind).toBe('text');
  });

  it('reads nbformat from the tail only at the top level of the document', () => {
    const padding = 'x'.repeat(2 * SNIFF_HEAD_BYTES);
    const nested = `{"cells": [], "pad": "${padding}", "copy": {"cells": [], "nbformat": 4}}`;
    expect(sniff(enc.encode(nested)).kind).toBe('json');
    const quoted = `{"cells": [], "pad": "${padding}", "note": "{\\"nbformat\\": 4}"}`;
    expect(sniff(enc.encode(quoted)).kind).toBe('json');
    const escaped = `{"cells": [], "pad": "${padding}\\\\", "nbformat": 4}`;
    expect(sniff(enc.encode(escaped)).kind).toBe('notebook');
    expect(sniff(enc.encode(`[${JSON.stringify({ cells: [], nbformat: 4, pad: padding })}]`)).kind).toBe(
      'json',
    );
    expect(sniff(enc.encode('{"nbformat": 4, "note": "no cells"}')).kind).toBe('json');
  });

  it('keeps NUL-free packed binary data out of text, 8-bit or not', () => {
    const random = prng(0x8b17);
    const textKinds = new Set<FileKind>(['text', 'csv', 'tsv', 'json', 'jsonl', 'notebook', 'python', 'pem']);
    // A Keras `keras_metadata.pb`: protobuf tags and varint lengths around a long JSON string.
    const config = `{"class_name": "Functional", "config": {"name": "model", "layers": [${'{"class_name": "Dense"}, '.repeat(150)}{}]}}`;
    const keras = concat(
      [0x0a, 0xe4, 0x20, 0x1a, 0x04],
      'root',
      [0x22, 0x0f],
      '_tf_keras_model',
      [0x2a, 0xd4, 0x20],
      config,
    );
    // float32 weights whose bytes are never 0.
    const floats = new Uint8Array(new Float32Array(1024).map(() => 0.5 + random()).buffer).map((b) => b || 1);
    const deflated = new Uint8Array(
      gzipSync(
        Buffer.from(
          FIXTURES.map((f) => f.name)
            .join(' ')
            .repeat(40),
        ),
      ),
    );
    const samples: [string, Uint8Array][] = [
      ['keras metadata protobuf', keras],
      ['float32 weights', floats],
      ['a deflate stream without its gzip header', deflated.subarray(10).map((b) => b || 1)],
      ...[64, 300, 4096].map((length): [string, Uint8Array] => [
        `${length} random bytes without NULs`,
        Uint8Array.from({ length }, () => 1 + Math.floor(random() * 255)),
      ]),
    ];
    for (const [name, bytes] of samples) {
      expect(bytes.includes(0), name).toBe(false);
      expect(textKinds.has(sniff(bytes).kind), name).toBe(false);
    }
  });

  it('flags a parquet head without its footer', () => {
    expect(sniff(concat('PAR1', new Uint8Array(40))).detail).toBe('no-footer');
  });
});

describe('scanJsonPrefix', () => {
  it.each([
    ['{"a":[1,2,{"b":null}]}', 'complete'],
    ['[]', 'complete'],
    ['{"a":[1,2', 'prefix'],
    ['{"a":"unterminated', 'prefix'],
    ['{"a":tr', 'prefix'],
    ['{"a":-1.5e', 'prefix'],
    ['{"a":"\\u00', 'prefix'],
    ['{"a":01}', 'invalid'],
    ['{"a" 1}', 'invalid'],
    ['[1,]', 'invalid'],
    ['{"a":"\\x"}', 'invalid'],
    ['[1] 2', 'invalid'],
    ['{"a":"tab\there"}', 'invalid'],
  ] as const)('%s is %s', (text, state) => {
    expect(scanJsonPrefix(text)).toBe(state);
  });

  it('survives deep nesting without recursion', () => {
    expect(scanJsonPrefix('['.repeat(100_000))).toBe('prefix');
    expect(scanJsonPrefix(`${'['.repeat(50_000)}${']'.repeat(50_000)}`)).toBe('complete');
  });
});

/** Mulberry32: a small seeded PRNG, so the fuzz cases are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('identifyFile on hostile input', () => {
  const kinds = new Set<string>(FILE_KINDS);

  it('never throws on 2,000 random byte strings', () => {
    const random = prng(0xb01a);
    for (let n = 0; n < 2000; n++) {
      const length = Math.floor(random() * (n % 10 === 0 ? 9000 : 300));
      const bytes = Uint8Array.from({ length }, () => Math.floor(random() * 256));
      // Some start with a real magic number, so the structural parsers behind it run on garbage.
      if (n % 4 === 0 && length > 8) {
        const seed = FIXTURES[n % FIXTURES.length]!.bytes;
        bytes.set(seed.subarray(0, Math.min(seed.length, length, 8 + (n % 50))));
      }
      const identity = sniff(bytes);
      expect(kinds.has(identity.kind)).toBe(true);
    }
  });

  it('never throws on truncations of every fixture, nor with a size that lies', () => {
    for (const { bytes } of FIXTURES) {
      const step = Math.max(1, Math.floor(bytes.length / 300));
      for (let cut = 0; cut <= bytes.length; cut += step) {
        const part = bytes.subarray(0, cut);
        expect(kinds.has(sniff(part).kind)).toBe(true);
        expect(kinds.has(identifyFile(part, cut + 1_000_000).kind)).toBe(true);
        expect(kinds.has(identifyFile(part, cut + 1_000_000, bytes.subarray(cut)).kind)).toBe(true);
      }
    }
  });

  it('never throws on fixtures with random bytes flipped', () => {
    const random = prng(7);
    for (const { bytes } of FIXTURES) {
      for (let n = 0; n < 40; n++) {
        const copy = bytes.slice();
        for (let k = 0; k < 3 && copy.length > 0; k++)
          copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
        expect(kinds.has(sniff(copy).kind)).toBe(true);
      }
    }
  });
});
