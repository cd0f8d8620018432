import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/core/findings.js';
import { isAtOrAbove } from '../src/core/severity.js';
import { buildZip } from '../src/models/archive/archive.test-support.js';
import { buildGguf, str, strings, type GgufValueSpec } from '../src/models/formats/gguf.test-support.js';
import { buildHdf5V0 } from '../src/models/formats/hdf5-builder.test-support.js';
import {
  keras3DenseModel,
  keras3Lambda,
  kerasJson,
  legacyDenseModel,
  legacyLambda,
  legacySequential,
} from '../src/models/formats/keras-fixtures.test-support.js';
import {
  funcAttr,
  functionDef,
  nodeDef,
  stringAttr,
  tf2SavedModel,
} from '../src/models/formats/saved-model-fixtures.test-support.js';
import { bytesOf, describeFindings, le, reducePickle, scanBytes } from './support/bypass-samples.js';
import { expectAtLeast, expectPayload, expectQuiet } from './support/bypass-expect.js';
import { paxRecord, tarMember } from './support/format-bypass-samples.js';

// Third red-team pass on the model scanner: the corners the first two passes left (SavedModel function
// libraries, GGUF templates under other keys and types, joblib array framing, Keras configs nested in
// other models, pax sparse tar members). Each case follows what the real loader does with the bytes.

const EVIL = reducePickle('os', 'system', 'id');
const ESCAPE = "{{ cycler.__init__.__globals__.os.popen('id').read() }}";
const BENIGN_TEMPLATE =
  "{% for m in messages %}{{ '<|' + m['role'] + '|>' + m['content'] + '\\n' }}{% endfor %}";

describe('SavedModel: PyFunc reached only through the function library', () => {
  const pyfunc = (name = 'PyFunc') =>
    nodeDef({ name, op: 'PyFunc', inputs: ['x'], attrs: { token: stringAttr('pyfunc_0') } });
  const caller = (name: string, op: string, callee: string) =>
    functionDef({
      name,
      inputs: ['x'],
      outputs: ['y'],
      nodes: [nodeDef({ name: 'call', op, inputs: ['x'], attrs: { f: funcAttr(callee) } })],
    });
  const leaf = (name: string, nodes = [pyfunc()]) =>
    functionDef({ name, inputs: ['x'], outputs: ['y'], nodes });
  const critical = (findings: readonly Finding[]) =>
    findings.some((f) => f.ruleId === 'BW-MODEL-060' && f.severity === 'critical');

  it('finds PyFunc at the end of a StatefulPartitionedCall → PartitionedCall chain', async () => {
    const model = tf2SavedModel({
      serveExtra: [
        nodeDef({ name: 'chain', op: 'StatefulPartitionedCall', attrs: { f: funcAttr('hop_1') } }),
      ],
      functions: [
        caller('hop_1', 'PartitionedCall', 'hop_2'),
        caller('hop_2', 'StatefulPartitionedCall', 'leaf'),
        leaf('leaf'),
      ],
    });
    expect(critical(await scanBytes(model, 'saved_model.pb'))).toBe(true);
  });

  it('finds EagerPyFunc in a While body function', async () => {
    const loop = nodeDef({
      name: 'while',
      op: 'While',
      inputs: ['x'],
      attrs: { cond: funcAttr('cond_fn'), body: funcAttr('body_fn') },
    });
    const model = tf2SavedModel({
      serveExtra: [loop],
      functions: [
        leaf('cond_fn', []),
        leaf('body_fn', [nodeDef({ name: 'e', op: 'EagerPyFunc', inputs: ['x'] })]),
      ],
    });
    expect(critical(await scanBytes(model, 'saved_model.pb'))).toBe(true);
  });

  it('checks the later of two functions with the same name (TensorFlow keeps the later one)', async () => {
    const model = tf2SavedModel({
      serveExtra: [nodeDef({ name: 'c', op: 'StatefulPartitionedCall', attrs: { f: funcAttr('dup') } })],
      functions: [leaf('dup', []), leaf('dup')],
    });
    expect(critical(await scanBytes(model, 'saved_model.pb'))).toBe(true);
  });

  it('still reports a PyFunc node when a library function is also named PyFunc', async () => {
    const model = tf2SavedModel({ serveExtra: [pyfunc('p')], functions: [leaf('PyFunc', [])] });
    expect(critical(await scanBytes(model, 'saved_model.pb'))).toBe(true);
  });

  it('is quiet on op names in other case, which TensorFlow does not resolve (op names are case-sensitive)', async () => {
    const lower = nodeDef({ name: 'p', op: 'pyfunc', inputs: ['x'] });
    await expectQuiet(tf2SavedModel({ serveExtra: [lower] }), 'saved_model.pb');
  });
});

describe('GGUF: chat templates under other keys and types', () => {
  const gguf = (kvs: readonly (readonly [string, GgufValueSpec])[]) =>
    buildGguf({ kvs: [['general.architecture', str('llama')], ...kvs] }).bytes;
  const injection = (findings: readonly Finding[]) =>
    findings.some(
      (f) =>
        f.ruleId.startsWith('BW-') && f.message.includes('chat_template') && isAtOrAbove(f.severity, 'high'),
    );

  it('checks named templates (tokenizer.chat_template.<name>, which llama-cpp-python registers)', async () => {
    const findings = await scanBytes(
      gguf([
        ['tokenizer.chat_template', str(BENIGN_TEMPLATE)],
        ['tokenizer.chat_template.tool_use', str(ESCAPE)],
      ]),
      'model.gguf',
    );
    expect(injection(findings), describeFindings(findings)).toBe(true);
  });

  it('checks a template stored as a one-string array (transformers unwraps it into chat_template)', async () => {
    const findings = await scanBytes(gguf([['tokenizer.chat_template', strings([ESCAPE])]]), 'model.gguf');
    expect(injection(findings), describeFindings(findings)).toBe(true);
  });

  it('is quiet on benign named and array templates', async () => {
    await expectQuiet(
      gguf([
        ['tokenizer.chat_template', str(BENIGN_TEMPLATE)],
        ['tokenizer.chat_template.rag', strings([BENIGN_TEMPLATE])],
      ]),
      'model.gguf',
    );
  });

  it('reports a string length near 2^63 as malformed without reading it', async () => {
    const huge: GgufValueSpec = {
      type: 'raw',
      id: 8,
      bytes: bytesOf(le(0xfffffff0, 4), le(0x7fffffff, 4), 'x'),
    };
    await expectAtLeast(gguf([['tokenizer.chat_template', huge]]), 'medium', 'model.gguf');
  });

  it('reports a huge array-of-arrays count as malformed within a second', async () => {
    const nested: GgufValueSpec = {
      type: 'raw',
      id: 9,
      bytes: bytesOf(
        le(9, 4),
        le(0xffffffff, 4),
        le(0xffff, 4),
        ...Array.from({ length: 64 }, () => bytesOf(le(9, 4), le(0, 8))),
      ),
    };
    const started = Date.now();
    await expectAtLeast(gguf([['tokenizer.ggml.tokens', nested]]), 'medium', 'model.gguf');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

/** A joblib stream: `NumpyArrayWrapper` of `dtype` with `shape`, BUILD, then `after` raw bytes and opcodes. */
function joblibStream(shape: number[], dtype: string, after: Uint8Array): Uint8Array {
  const shapeOps = bytesOf(0x28, ...shape.map((n) => bytesOf('J', le(n, 4))), 0x74);
  return bytesOf(
    0x80,
    2,
    'cjoblib.numpy_pickle\nNumpyArrayWrapper\n',
    ')',
    0x81,
    '}(',
    'X',
    le(5, 4),
    'shape',
    shapeOps,
    'X',
    le(5, 4),
    'dtype',
    'cnumpy\ndtype\n',
    'X',
    le(dtype.length, 4),
    dtype,
    0x89,
    0x88,
    0x87,
    'R',
    'u',
    'b',
    after,
  );
}
const tailCall = bytesOf('0', EVIL.subarray(2));

describe('joblib arrays: what read_array consumes', () => {
  it('finds opcodes after an array whose shape claims fewer bytes than follow', async () => {
    // joblib reads exactly prod(shape) * itemsize = 8 bytes; the pickle machine then runs the rest.
    await expectPayload(
      joblibStream([1], 'f8', bytesOf(new Uint8Array(8), tailCall)),
      'model.joblib',
      'system',
    );
  });

  it('does not report opcodes swallowed by an array whose shape claims them as data', async () => {
    const hidden = bytesOf(tailCall.subarray(1, tailCall.length - 1));
    const data = bytesOf(hidden, new Uint8Array(64 - hidden.length));
    await expectQuiet(joblibStream([8], 'f8', bytesOf(data, '0N.')), 'model.joblib');
  });

  it('finds a malicious nested pickle of an object array', async () => {
    await expectPayload(joblibStream([1], 'O8', bytesOf(EVIL, '0N.')), 'model.joblib', 'system');
  });

  it('follows the alignment padding byte before the array data', async () => {
    const stream = bytesOf(
      joblibStream([1], 'f8', new Uint8Array(0)).subarray(0, -2),
      'X',
      le(27, 4),
      'numpy_array_alignment_bytes',
      'K',
      16,
      'ub',
      3,
      0xff,
      0xff,
      0xff,
      new Uint8Array(8),
      tailCall,
    );
    await expectPayload(stream, 'model.joblib', 'system');
  });
});

describe('Keras configs nested in other models', () => {
  const OS_SYSTEM = { module: 'os', class_name: 'function', config: 'system', registered_name: 'system' };
  const h5 = (model: object, training?: object) =>
    buildHdf5V0({
      attributes: [
        { name: 'model_config', value: JSON.stringify(model), kind: 'fixed' },
        ...(training
          ? [{ name: 'training_config', value: JSON.stringify(training), kind: 'fixed' as const }]
          : []),
      ],
    });

  it('finds a Lambda inside a Sequential nested in a legacy .h5 model_config', async () => {
    const inner = { ...legacySequential([legacyLambda()]), class_name: 'Sequential' };
    await expectAtLeast(h5(legacySequential([inner])), 'high', 'model.h5');
  });

  it('finds os.system as the loss in a legacy .h5 training_config', async () => {
    await expectAtLeast(h5(legacyDenseModel(), { loss: OS_SYSTEM, metrics: [] }), 'high', 'model.h5');
  });

  it('is quiet on a legacy .h5 with a named loss', async () => {
    await expectQuiet(
      h5(legacyDenseModel(), { loss: 'binary_crossentropy', metrics: ['accuracy'] }),
      'model.h5',
    );
  });

  it('finds a Lambda in a shared_object_id copy of a nested functional model in .keras', async () => {
    type Model = { config: { layers: object[] } };
    const inner = { ...(keras3DenseModel() as Model), shared_object_id: 7 };
    const copy = { ...(keras3DenseModel() as Model), shared_object_id: 7 };
    copy.config = { ...copy.config, layers: [...copy.config.layers, keras3Lambda()] };
    const outer = keras3DenseModel() as Model;
    const config = { ...outer, config: { ...outer.config, layers: [...outer.config.layers, inner, copy] } };
    const zip = buildZip({
      members: [
        { name: 'metadata.json', data: kerasJson({ keras_version: '3.6.0' }) },
        { name: 'config.json', data: kerasJson(config) },
      ],
    });
    await expectAtLeast(zip, 'high', 'model.keras');
  });
});

describe('tar: pax sparse members rebuilt as tarfile extracts them', () => {
  const END = new Uint8Array(1024);
  // Extracted: PROTO 2, SHORT_BINBYTES of 16 bytes (the hole), POP, the payload. Stored without the hole,
  // so the raw bytes swallow the payload into the bytes object.
  const head = bytesOf(0x80, 2, 'C', 16);
  const tail = bytesOf('0', EVIL.subarray(2));
  const stored = bytesOf(head, tail);
  const realSize = head.length + 16 + tail.length;
  const pax = (...records: Uint8Array[]) =>
    tarMember({ name: 'PaxHeader/pickle', type: 'x', data: bytesOf(...records) });

  it('needs the rebuild: the stored bytes alone hide the call inside a bytes object', async () => {
    const findings = await scanBytes(bytesOf(tarMember({ name: 'pickle', type: '0', data: stored }), END));
    expect(findings.some((f) => f.message.includes('system'))).toBe(false);
  });

  it('rebuilds format 0.0 (repeated GNU.sparse.offset / numbytes records)', async () => {
    const file = bytesOf(
      pax(
        paxRecord('GNU.sparse.size', String(realSize)),
        paxRecord('GNU.sparse.numblocks', '2'),
        paxRecord('GNU.sparse.offset', '0'),
        paxRecord('GNU.sparse.numbytes', String(head.length)),
        paxRecord('GNU.sparse.offset', String(head.length + 16)),
        paxRecord('GNU.sparse.numbytes', String(tail.length)),
      ),
      tarMember({ name: 'pickle', type: '0', data: stored }),
      END,
    );
    await expectPayload(file, undefined, 'system');
  });

  it('rebuilds format 0.1 (GNU.sparse.map)', async () => {
    const map = `0,${head.length},${head.length + 16},${tail.length}`;
    const file = bytesOf(
      pax(paxRecord('GNU.sparse.size', String(realSize)), paxRecord('GNU.sparse.map', map)),
      tarMember({ name: 'pickle', type: '0', data: stored }),
      END,
    );
    await expectPayload(file, undefined, 'system');
  });

  it('rebuilds format 1.0 (the map at the start of the data) and takes GNU.sparse.name', async () => {
    const map = new TextEncoder().encode(`2\n0\n${head.length}\n${head.length + 16}\n${tail.length}\n`);
    const mapBlock = bytesOf(map, new Uint8Array(512 - map.length));
    const file = bytesOf(
      pax(
        paxRecord('GNU.sparse.major', '1'),
        paxRecord('GNU.sparse.minor', '0'),
        paxRecord('GNU.sparse.name', 'pickle'),
        paxRecord('GNU.sparse.realsize', String(realSize)),
      ),
      tarMember({ name: 'GNUSparseFile.0/pickle', type: '0', data: bytesOf(mapBlock, stored) }),
      tarMember({ name: 'version', type: '0', data: bytesOf('2\n') }),
      END,
    );
    await expectPayload(file, undefined, 'system');
  });

  it('reports a malformed pax sparse map and scans the stored bytes', async () => {
    const file = bytesOf(
      pax(paxRecord('GNU.sparse.size', '10'), paxRecord('GNU.sparse.map', '0,x')),
      tarMember({ name: 'pickle', type: '0', data: EVIL }),
      END,
    );
    await expectPayload(file, undefined, 'system');
  });

  it('is quiet on a benign 1.0 sparse member followed by another member', async () => {
    const data = bytesOf(0x80, 2, '}q', 0, '.');
    const map = new TextEncoder().encode(`1\n0\n${data.length}\n`);
    const file = bytesOf(
      pax(
        paxRecord('GNU.sparse.major', '1'),
        paxRecord('GNU.sparse.minor', '0'),
        paxRecord('GNU.sparse.realsize', String(data.length + 100)),
      ),
      tarMember({
        name: 'GNUSparseFile.0/data.pkl',
        type: '0',
        data: bytesOf(map, new Uint8Array(512 - map.length), data),
      }),
      tarMember({ name: 'version', type: '0', data: bytesOf('2\n') }),
      END,
    );
    await expectQuiet(file);
  });
});
