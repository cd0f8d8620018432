import { describe, expect, it } from 'vitest';
import { buildGguf, str } from '../src/models/formats/gguf.test-support.js';
import { buildNpy } from '../src/models/formats/numpy.test-support.js';
import { hasPython, python, seededRandom } from '../src/models/pickle/pickle-vm-asm.test-support.js';
import {
  binbytes,
  bytesOf,
  le,
  loadFromBytesPickle,
  reducePickle,
  scanBytes,
  torchZip,
  ustr,
} from './support/bypass-samples.js';
import { expectAtLeast, expectQuiet as expectBenign } from './support/bypass-expect.js';

const expectMalicious = (bytes: Uint8Array, name?: string) => expectAtLeast(bytes, 'high', name);

// Red-team cases against the model scanner: each malicious sample is one a public scanner was beaten
// with (or a variation of it) and must be found at high or above; each benign sample is something real
// checkpoints contain and must produce nothing at medium or above.

const EVIL = reducePickle('os', 'system', 'id');
/** `os.system('id')` at protocol 4 without memo: STACK_GLOBAL, a str, TUPLE1, REDUCE, STOP. */
const EVIL4_BODY = bytesOf(ustr('os'), ustr('system'), 0x93, ustr('id'), 0x85, 'R.');

describe('pickles that reach code through allowlisted globals', () => {
  it('finds a malicious torch.save zip handed to the allowlisted torch.storage._load_from_bytes', async () => {
    const findings = await expectMalicious(loadFromBytesPickle(torchZip(EVIL)));
    expect(findings.some((f) => f.ruleId === 'BW-PICKLE-001' && f.message.includes('os.system'))).toBe(true);
  });

  it('finds a legacy pickle handed to torch.storage._load_from_bytes', async () => {
    await expectMalicious(loadFromBytesPickle(EVIL));
  });

  it('reports BUILD on a global class itself (monkeypatching it for the whole process)', async () => {
    const sample = bytesOf(0x80, 2, 'ccollections\nOrderedDict\n', 'N}', ustr('__getitem__'));
    const patch = bytesOf(sample, 'cfunctools\npartial\ns', 0x86, 'b.');
    const findings = await expectMalicious(patch);
    expect(findings.some((f) => f.ruleId === 'BW-PICKLE-004' && f.message.includes('BUILD'))).toBe(true);
  });

  it.each([
    ['scipy.io', 'loadmat'],
    ['scipy.io.matlab', 'loadmat'],
    ['h5py', 'File'],
    ['sklearn.datasets', 'fetch_openml'],
    ['torch.utils.model_zoo', 'load_url'],
    ['onnx', 'load'],
    ['safetensors.torch', 'load_file'],
    ['numpy', 'load'],
    ['numpy.lib.format', 'open_memmap'],
    ['pandas', 'read_pickle'],
    ['torch.jit', 'load'],
  ])('flags %s.%s, which loads or fetches files named in the pickle', async (module, name) => {
    await expectMalicious(reducePickle(module, name, '/tmp/payload'));
  });
});

describe('opcode-level tricks', () => {
  it('follows memo slots that are overwritten before STACK_GLOBAL reads them', async () => {
    // PUT 0 'collections'; PUT 0 'os'; GET 0 'system' STACK_GLOBAL
    const body = bytesOf(ustr('collections'), 'q', 0, ustr('os'), 'q', 0, '0', 'h', 0, ustr('system'), 0x93);
    await expectMalicious(bytesOf(0x80, 4, body, ustr('id'), 0x85, 'R.'));
  });

  it('follows LONG_BINGET operands of STACK_GLOBAL', async () => {
    const body = bytesOf(
      ustr('os'),
      'r',
      le(5, 4),
      '0j',
      le(5, 4),
      ustr('system'),
      0x93,
      ustr('id'),
      0x85,
      'R.',
    );
    await expectMalicious(bytesOf(0x80, 4, body));
  });

  it('maps __builtin__ when PROTO switches from 4 down to 2 or 0 mid-stream', async () => {
    await expectMalicious(bytesOf(0x80, 4, 0x80, 2, 'c__builtin__\neval\n', ustr('1'), 0x85, 'R.'));
    await expectMalicious(bytesOf(0x80, 4, 0x80, 0, "c__builtin__\neval\n(S'1'\ntR."));
  });

  it('does not trust FRAME lengths: opcodes crossing a short frame still run in CPython', async () => {
    await expectMalicious(bytesOf(0x80, 4, 0x95, le(3, 8), EVIL4_BODY));
  });

  it('finds a payload after a large harmless BINBYTES8', async () => {
    const size = 3_000_000;
    const big = bytesOf(0x80, 4, 0x8e, le(size, 8), new Uint8Array(size), '0');
    await expectMalicious(bytesOf(big, EVIL4_BODY));
  });

  it('finds INST and OBJ calls, OBJ with its class from the memo', async () => {
    await expectMalicious(bytesOf("(S'id'\nios\nsystem\n."));
    await expectMalicious(bytesOf(0x80, 2, 'cos\nsystem\nq', 0, '0(h', 0, 'X', le(2, 4), 'ido.'));
  });

  it('finds a malicious second pickle after a harmless first one', async () => {
    await expectMalicious(bytesOf(0x80, 4, '}.', EVIL));
  });

  it('resolves dotted names through harmless modules', async () => {
    const name = 'serialization.os.system';
    await expectMalicious(bytesOf(0x80, 4, ustr('torch'), ustr(name), 0x93, ustr('id'), 0x85, 'R.'));
  });

  it('judges getattr(<global>, name) as the dotted global it reaches', async () => {
    const getattr = bytesOf(ustr('builtins'), ustr('getattr'), 0x93);
    const lookup = bytesOf(getattr, ustr('torch'), ustr('serialization'), 0x93, ustr('os'), 0x86, 'R');
    const findings = await expectMalicious(bytesOf(0x80, 4, lookup, '.'));
    expect(findings.some((f) => f.message.includes('torch.serialization.os'))).toBe(true);
  });

  it('keeps getattr critical when it reads a special name or is used as anything but such a lookup', async () => {
    const getattr = bytesOf(ustr('builtins'), ustr('getattr'), 0x93);
    const owner = bytesOf(ustr('collections'), ustr('OrderedDict'), 0x93);
    const dunder = bytesOf(0x80, 4, getattr, owner, ustr('__init__'), 0x86, 'R.');
    expect((await expectMalicious(dunder)).some((f) => f.ruleId === 'BW-PICKLE-001')).toBe(true);
    // getattr memoised, used once for a harmless lookup and once as a plain value in a list
    const memo = bytesOf(getattr, 0x94, owner, ustr('fromkeys'), 0x86, 'R0', ']h', 0, 'a.');
    expect((await expectMalicious(bytesOf(0x80, 4, memo))).some((f) => f.ruleId === 'BW-PICKLE-001')).toBe(
      true,
    );
  });
});

describe('other formats', () => {
  it('finds a pickle inside an .npz member that does not end in .npy', async () => {
    const zip = torchZip(EVIL);
    await expectMalicious(zip, 'weights.npz');
  });

  it('finds an object dtype hidden inside a structured .npy descr', async () => {
    const npy = buildNpy({ descr: "[('a', '<f4'), ('b', '|O')]", shape: [1], data: EVIL });
    await expectMalicious(npy, 'x.npy');
  });

  it.each([
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    '{{ self.__init__.__globals__ }}',
    "{% set a = '__cla' ~ 'ss__' %}{{ ''[a] }}",
    "{% set ns = namespace(x='__glo') %}{% set ns.x = ns.x ~ 'bals__' %}{{ joiner|attr('__init__')|attr(ns.x) }}",
    "{{ ''|attr('\\x5f\\x5fclass\\x5f\\x5f') }}",
    "{{ (request|attr('application'))|attr('__globals__') }}",
  ])('finds the GGUF chat template escape %s', async (template) => {
    const { bytes } = buildGguf({ kvs: [['tokenizer.chat_template', str(template)]] });
    await expectMalicious(bytes, 'model.gguf');
  });
});

describe.runIf(hasPython())('real-world benign pickles written by CPython', () => {
  const fakes = `
import sys, types, pickle, collections, datetime, zoneinfo, pathlib, argparse
def fake(module, name):
    parts = module.split('.')
    for i in range(1, len(parts) + 1):
        sys.modules.setdefault('.'.join(parts[:i]), types.ModuleType('.'.join(parts[:i])))
    cls = type(name, (), {'__reduce__': lambda self: (type(self), (), dict(self.__dict__))})
    cls.__module__ = module
    cls.__qualname__ = name
    setattr(sys.modules[module], name, cls)
    return cls
`;
  const dump = (expression: string, protocol: number): Uint8Array =>
    python(`${fakes}\nsys.stdout.buffer.write(pickle.dumps(${expression}, protocol=${protocol}))`);

  it.each([0, 2, 4, 5])('accepts datetimes with zoneinfo and timezone tzinfo (protocol %i)', async (p) => {
    const value =
      "[datetime.datetime(2024, 1, 1, tzinfo=zoneinfo.ZoneInfo('Europe/Paris'))," +
      ' datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)]';
    await expectBenign(dump(value, p));
  });

  it('accepts transformers BatchEncoding', async () => {
    const cls = "fake('transformers.tokenization_utils_base', 'BatchEncoding')";
    await expectBenign(
      dump(`(lambda o: (o.__dict__.update(data={'input_ids': [1, 2]}), o)[1])(${cls}())`, 4),
    );
  });

  it('accepts argparse checkpoints with paths, as fairseq writes them', async () => {
    const value =
      "{'args': argparse.Namespace(data=pathlib.PosixPath('/data'), lr=[0.1]), 'model': collections.OrderedDict()}";
    await expectBenign(dump(value, 2));
  });
});

describe('zip bytes inside a pickle are not a polyglot', () => {
  // A plain-pickled torch tensor holds its storage as `_load_from_bytes(<zip bytes>)`: the zip end
  // record sits inside the pickle, so the file is not read as a zip with prepended data.
  it('is quiet on a plain-pickled torch storage (protocol 4)', async () => {
    const inner = bytesOf(0x80, 2, '}q', 0, '.');
    await expectBenign(loadFromBytesPickle(torchZip(inner)));
  });
});

describe('fuzzed getattr lookups', () => {
  it('never throws on random getattr/BUILD/memo mixes', async () => {
    const random = seededRandom(0xb0b);
    const pieces = [
      bytesOf(ustr('builtins'), ustr('getattr'), 0x93),
      bytesOf(ustr('collections'), ustr('OrderedDict'), 0x93),
      ustr('fromkeys'),
      ustr('__init__'),
      bytesOf(0x86),
      bytesOf('R'),
      bytesOf('b'),
      bytesOf(0x94),
      bytesOf('h', 0),
      bytesOf('2'),
      bytesOf('0'),
      bytesOf('N'),
      bytesOf('}'),
      binbytes(torchZip(EVIL)),
    ];
    for (let i = 0; i < 300; i++) {
      const parts = [bytesOf(0x80, 4)];
      const count = 1 + Math.floor(random() * 12);
      for (let k = 0; k < count; k++)
        parts.push(pieces[Math.floor(random() * pieces.length)] ?? bytesOf('N'));
      parts.push(bytesOf('.'));
      await expect(scanBytes(bytesOf(...parts))).resolves.toBeInstanceOf(Array);
    }
  });
});
