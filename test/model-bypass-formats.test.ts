import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/core/findings.js';
import { buildZip } from '../src/models/archive/archive.test-support.js';
import { keras3DenseModel, kerasJson } from '../src/models/formats/keras-fixtures.test-support.js';
import {
  graphAttribute,
  onnxGraph,
  onnxModel,
  onnxNode,
  onnxTensor,
  tensorAttribute,
} from '../src/models/formats/onnx-fixtures.test-support.js';
import { bytesOf, le, reducePickle, scanBytes } from './support/bypass-samples.js';
import { expectAtLeast, expectPayload, expectQuiet } from './support/bypass-expect.js';
import {
  octal,
  paxRecord,
  tarData,
  tarHeader,
  tarMember,
  zip64End,
  zip64Locator,
  zipDirectory,
  zipEnd,
  zipLocal,
  zipLocals,
  type RawZipMember,
} from './support/format-bypass-samples.js';

// Second red-team pass on the model scanner: archive and format tricks where what the scanner reads
// could differ from what the real loader (PyTorch's miniz, Python's zipfile and tarfile, Keras, ONNX,
// TensorFlow, llama.cpp, joblib) reads. A loadable payload must be found at high or above; a
// malformed but harmless file may be reported at medium; a benign file produces nothing at medium.

const EVIL = reducePickle('os', 'system', 'id');
const BENIGN = bytesOf(0x80, 2, '}q', 0, '.');

/**
 * A benign torch.save layout whose tensor member `archive/data/0` carries, 64 bytes into its data, a
 * complete local header and data of a malicious `archive/data.pkl`: the payload is visible only to a
 * directory that points there. Returns the benign members, their offsets and the hidden header offset.
 */
function benignWithHiddenMember(): {
  members: RawZipMember[];
  offsets: number[];
  hidden: number;
  locals: Uint8Array;
} {
  const evil: RawZipMember = { name: 'archive/data.pkl', data: EVIL };
  const tensor = bytesOf(new Uint8Array(64).fill(0x11), zipLocal(evil), new Uint8Array(64).fill(0x22));
  const members: RawZipMember[] = [
    { name: 'archive/data.pkl', data: BENIGN },
    { name: 'archive/version', data: bytesOf('3\n') },
    { name: 'archive/data/0', data: tensor },
  ];
  const { bytes, offsets } = zipLocals(members);
  const hidden = (offsets[2] ?? 0) + 30 + 'archive/data/0'.length + 64;
  return { members, offsets, hidden, locals: bytes };
}

const EVIL_ENTRY: RawZipMember = { name: 'archive/data.pkl', data: EVIL };

describe('zip: what miniz and Python zipfile load', () => {
  it('is quiet on the benign layout used below', async () => {
    const { members, offsets, locals } = benignWithHiddenMember();
    const directory = zipDirectory(members, offsets);
    await expectQuiet(bytesOf(locals, directory, zipEnd(3, directory.length, locals.length)));
  });

  it('reads the last end record, as miniz and zipfile do, even when its comment runs past the file', async () => {
    // Both loaders take the last PK\5\6 signature; a scanner that prefers one whose comment fits reads
    // the benign directory whose comment swallows the real end record.
    const { members, offsets, hidden, locals } = benignWithHiddenMember();
    const benignDirectory = zipDirectory(members, offsets);
    const evilDirectory = zipDirectory([EVIL_ENTRY], [hidden]);
    const evilAt = locals.length + benignDirectory.length;
    const file = bytesOf(
      locals,
      benignDirectory,
      evilDirectory,
      zipEnd(3, benignDirectory.length, locals.length, 22),
      zipEnd(1, evilDirectory.length, evilAt, 0xffff),
    );
    await expectPayload(file);
  });

  it('scans a directory entry that points into the middle of another member', async () => {
    const { members, offsets, hidden, locals } = benignWithHiddenMember();
    const directory = zipDirectory(
      [...members, { ...EVIL_ENTRY, name: 'archive/data/1' }],
      [...offsets, hidden],
    );
    const findings = await expectPayload(
      bytesOf(locals, directory, zipEnd(4, directory.length, locals.length)),
    );
    expect(findings.some((f) => f.ruleId === 'BW-ARCHIVE-008')).toBe(true);
  });

  /** Locals, a benign and a malicious directory, then `tail(benignAt, evilAt, end)` end records. */
  function twoDirectories(tail: (benign: number, evil: number, at: number) => Uint8Array): Uint8Array {
    const { members, offsets, hidden, locals } = benignWithHiddenMember();
    const benign = zipDirectory(members, offsets);
    const evil = zipDirectory([EVIL_ENTRY], [hidden]);
    const end = locals.length + benign.length + evil.length;
    return bytesOf(locals, benign, evil, tail(locals.length, locals.length + benign.length, end));
  }
  const benignSize = (() => {
    const { members, offsets } = benignWithHiddenMember();
    return zipDirectory(members, offsets).length;
  })();
  const evilSize = zipDirectory([EVIL_ENTRY], [0]).length;

  it('scans the directory of the ZIP64 record next to the locator when the locator points to another', async () => {
    // miniz follows the locator's offset; Python zipfile before 3.13 reads the record right before it.
    const file = twoDirectories((benign, evil, at) =>
      bytesOf(
        zip64End(3, benignSize, benign),
        zip64End(1, evilSize, evil),
        zip64Locator(at),
        zipEnd(0xffff, 0xffffffff, 0xffffffff),
      ),
    );
    await expectPayload(file);
  });

  it('scans the classic directory miniz falls back to when the locator points at no ZIP64 record', async () => {
    // miniz: no ZIP64 record at the locator's offset, so the classic values (malicious directory);
    // zipfile: the adjacent ZIP64 record (benign directory).
    const file = twoDirectories((benign, evil) =>
      bytesOf(zip64End(3, benignSize, benign), zip64Locator(0), zipEnd(1, evilSize, evil)),
    );
    await expectPayload(file);
  });

  it('scans both directories when classic end values disagree with the ZIP64 record', async () => {
    const file = twoDirectories((benign, evil, at) =>
      bytesOf(zip64End(3, benignSize, benign), zip64Locator(at), zipEnd(1, evilSize, evil)),
    );
    const findings = await expectPayload(file);
    expect(findings.some((f) => f.ruleId === 'BW-ARCHIVE-002')).toBe(true);
  });

  it('is quiet on a ZIP64 end record whose classic values agree (as torch.save writes it)', async () => {
    const { members, offsets, locals } = benignWithHiddenMember();
    const directory = zipDirectory(members, offsets);
    const at = locals.length + directory.length;
    const tail = bytesOf(
      zip64End(3, directory.length, locals.length),
      zip64Locator(at),
      zipEnd(3, directory.length, locals.length),
    );
    await expectQuiet(bytesOf(locals, directory, tail));
  });

  it.each(['archive/data.pkl ', './archive/data.pkl', 'archive//data.pkl', 'ARCHIVE/DATA.PKL'])(
    'scans a member named %j',
    async (name) => {
      const members: RawZipMember[] = [
        { name, data: EVIL },
        { name: 'archive/version', data: bytesOf('3\n') },
      ];
      const { bytes, offsets } = zipLocals(members);
      const directory = zipDirectory(members, offsets);
      await expectPayload(bytesOf(bytes, directory, zipEnd(2, directory.length, bytes.length)));
    },
  );

  it('finds a second archive/data.pkl that only a local-header walk sees', async () => {
    const listed: RawZipMember[] = [
      { name: 'archive/data.pkl', data: BENIGN },
      { name: 'archive/version', data: bytesOf('3\n') },
    ];
    const { bytes, offsets } = zipLocals(listed);
    const extra = zipLocal(EVIL_ENTRY);
    const directory = zipDirectory(listed, offsets);
    await expectPayload(
      bytesOf(bytes, extra, directory, zipEnd(2, directory.length, bytes.length + extra.length)),
    );
  });

  it('finds a deflated data.pkl whose CRC is right but whose data descriptor lies', async () => {
    const zip = buildZip({
      members: [
        { name: 'archive/data.pkl', data: EVIL, method: 8, descriptor: 'signed', descriptorCrc32: 0x1234 },
        { name: 'archive/version', data: bytesOf('3\n') },
      ],
    });
    const findings = await expectPayload(zip);
    expect(findings.some((f) => f.ruleId === 'BW-ARCHIVE-002')).toBe(true);
  });

  it('inflates data.pkl that the directory says is deflated while its local header says stored', async () => {
    const members: RawZipMember[] = [{ name: 'archive/data.pkl', data: EVIL, method: 8, localMethod: 0 }];
    const { bytes, offsets } = zipLocals(members);
    const directory = zipDirectory(members, offsets);
    await expectPayload(bytesOf(bytes, directory, zipEnd(1, directory.length, bytes.length)));
  });

  it('reports a stored member whose sizes disagree (miniz rejects it, zipfile reads the shorter)', async () => {
    const zip = buildZip({ members: [{ name: 'archive/data.pkl', data: BENIGN, uncompressedSize: 64 }] });
    await expectAtLeast(zip, 'medium');
  });
});

describe('tar: what Python tarfile (the legacy torch.load) extracts', () => {
  const END = new Uint8Array(1024);
  const hasUnsafePath = (findings: readonly Finding[]) => findings.some((f) => f.ruleId === 'BW-ARCHIVE-005');

  it('takes the name of the first extension header: a pax path before a GNU long name', async () => {
    const pax = paxRecord('path', '../../evil.pkl');
    const long = bytesOf('safe.pkl', 0);
    const file = bytesOf(
      tarMember({ name: 'PaxHeader', type: 'x', data: pax }),
      tarMember({ name: '././@LongLink', type: 'L', data: long, gnu: true }),
      tarMember({ name: 'safe.pkl', type: '0', data: EVIL }),
      END,
    );
    expect(hasUnsafePath(await expectPayload(file))).toBe(true);
  });

  it('takes the first of two GNU long names, as tarfile applies the outer one last', async () => {
    const file = bytesOf(
      tarMember({ name: '././@LongLink', type: 'L', data: bytesOf('../../evil.pkl', 0), gnu: true }),
      tarMember({ name: '././@LongLink', type: 'L', data: bytesOf('pickle', 0), gnu: true }),
      tarMember({ name: 'pickle', type: '0', data: EVIL, gnu: true }),
      END,
    );
    expect(hasUnsafePath(await expectPayload(file))).toBe(true);
  });

  it('reports a pickle after the end-of-archive blocks (tarfile stops there; other tools read on)', async () => {
    const file = bytesOf(
      tarMember({ name: 'sys_info', type: '0', data: BENIGN }),
      END,
      tarMember({ name: 'pickle', type: '0', data: EVIL }),
      END,
    );
    await expectAtLeast(file, 'medium');
  });

  it('finds the payload of a member that the pickle member hard-links to', async () => {
    const file = bytesOf(
      tarMember({ name: 'x', type: '0', data: EVIL }),
      tarMember({ name: 'pickle', type: '1', linkName: 'x' }),
      END,
    );
    await expectPayload(file);
  });

  it('rebuilds a GNU sparse member: a hole inside SHORT_BINBYTES hides the opcodes after it', async () => {
    // Extracted: PROTO 2, SHORT_BINBYTES of 16 bytes (all in the hole), POP, then the payload. Stored:
    // the same without the 16 zero bytes, so a raw read swallows the payload into the bytes object.
    const head = bytesOf(0x80, 2, 'C', 16);
    const tail = bytesOf('0', EVIL.subarray(2));
    const stored = bytesOf(head, tail);
    const realSize = head.length + 16 + tail.length;
    const map = bytesOf(
      octal(0, 12),
      octal(head.length, 12),
      octal(head.length + 16, 12),
      octal(tail.length, 12),
    );
    const file = bytesOf(
      tarHeader({
        name: 'pickle',
        type: 'S',
        size: stored.length,
        gnu: true,
        extra: [
          [386, map],
          [483, octal(realSize, 12)],
        ],
      }),
      tarData(stored),
      END,
    );
    await expectPayload(file);
  });
});

describe('Keras: functions named in parts of the config other than layers', () => {
  const OS_SYSTEM = { module: 'os', class_name: 'function', config: 'system', registered_name: 'system' };
  const kerasZip = (config: object) =>
    buildZip({
      members: [
        { name: 'metadata.json', data: kerasJson({ keras_version: '3.6.0' }) },
        { name: 'config.json', data: kerasJson(config) },
      ],
    });

  it.each([
    ['loss', { loss: OS_SYSTEM }],
    ['optimizer', { optimizer: OS_SYSTEM }],
    ['metrics', { metrics: [[OS_SYSTEM]] }],
  ])('flags os.system as the %s of compile_config', async (_, compile) => {
    await expectAtLeast(kerasZip({ ...keras3DenseModel(), compile_config: compile }), 'high', 'model.keras');
  });

  it('flags a module outside the allowlist in build_config', async () => {
    const config = { ...keras3DenseModel(), build_config: { input_shape: OS_SYSTEM } };
    await expectAtLeast(kerasZip(config), 'high', 'model.keras');
  });

  it('is quiet on a benign Keras 3 model', async () => {
    await expectQuiet(kerasZip(keras3DenseModel()), 'model.keras');
  });
});

describe('ONNX external data locations and where tensors hide', () => {
  const external = (location: string) => onnxTensor({ name: 'w', dims: [2], location });
  const model = (graph: Uint8Array) => onnxModel({ graph });
  const plainGraph = (tensor: Uint8Array) =>
    onnxGraph({
      name: 'g',
      nodes: [onnxNode({ op: 'Relu', inputs: ['x'], outputs: ['y'] })],
      initializers: [tensor],
    });

  it.each(['a/../../x', './../x', '..\\x', 'C:\\Windows\\win.ini', 'c:x', '/etc/passwd', 'a/./../../b'])(
    'flags the location %j',
    async (location) => {
      await expectAtLeast(model(plainGraph(external(location))), 'high', 'model.onnx');
    },
  );

  it('is quiet on %2e%2e, which the loader does not decode (a folder of that name)', async () => {
    await expectQuiet(model(plainGraph(external('%2e%2e/weights.bin'))), 'model.onnx');
  });

  it('flags an escaping location in a Constant tensor inside an If subgraph', async () => {
    const inner = onnxGraph({
      name: 'then',
      nodes: [
        onnxNode({
          op: 'Constant',
          outputs: ['c'],
          attributes: [tensorAttribute('value', external('../../x'))],
        }),
      ],
    });
    const graph = onnxGraph({
      name: 'g',
      nodes: [
        onnxNode({
          op: 'If',
          inputs: ['cond'],
          outputs: ['y'],
          attributes: [graphAttribute('then_branch', inner)],
        }),
      ],
    });
    await expectAtLeast(model(graph), 'high', 'model.onnx');
  });
});

describe('safetensors headers', () => {
  const withHeader = (length: number, header: string) => bytesOf(le(length, 8), header);

  it('reports a header that claims 100 MB in a small file without reading past it', async () => {
    await expectAtLeast(withHeader(100 * 1024 * 1024, '{"__metadata__":{}}'), 'medium', 'model.safetensors');
  });

  it('scans a header of 250k tiny tensors within a few seconds (linear in the header)', async () => {
    const count = 250_000;
    const entries: string[] = [];
    for (let i = 0; i < count; i++)
      entries.push(`"t${i}":{"dtype":"U8","shape":[1],"data_offsets":[${i},${i + 1}]}`);
    const header = new TextEncoder().encode(`{${entries.join(',')}}`);
    const file = new Uint8Array(8 + header.length + count);
    file.set(le(header.length, 8));
    file.set(header, 8);
    const started = Date.now();
    const findings = await scanBytes(file, 'model.safetensors');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(findings).toBeInstanceOf(Array);
  }, 20_000);

  it.each([
    ['negative shape', '{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}'],
    ['float shape', '{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}'],
    ['huge shape', '{"a":{"dtype":"F32","shape":[1e300],"data_offsets":[0,4]}}'],
    ['float offsets', '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0.5,4]}}'],
    ['string offsets', '{"a":{"dtype":"F32","shape":[1],"data_offsets":["0","4"]}}'],
    [
      'nested metadata',
      '{"__metadata__":{"a":{"b":1}},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
    ],
  ])('reports a header with %s', async (_, header) => {
    await expectAtLeast(
      bytesOf(le(header.length, 8), header, new Uint8Array(4)),
      'medium',
      'model.safetensors',
    );
  });
});
