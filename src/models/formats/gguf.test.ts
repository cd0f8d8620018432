import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/findings.js';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { REAL_TEMPLATES } from './chat-template.test-support.js';
import { scanGguf } from './gguf.js';
import { GGUF_RULES } from './gguf-rules.js';
import { buildGguf, str, strings, u32, type GgufSpec, type GgufValueSpec } from './gguf.test-support.js';
import {
  mutate,
  randomBytes,
  seededRandom,
  syntheticSource,
  testContext,
  uintBytes,
  utf8,
  concatBytes,
} from './safetensors-gguf-numpy.test-support.js';

const F32 = 0;
const Q4_0 = 2;
const Q8_0 = 8;
const Q4_K = 12;

async function scan(spec: GgufSpec | Uint8Array, maxMetadataBytes?: number): Promise<Finding[]> {
  const bytes = spec instanceof Uint8Array ? spec : buildGguf(spec).bytes;
  return scanGguf(bytesSource(bytes), testContext(maxMetadataBytes ? { limits: { maxMetadataBytes } } : {}));
}

function rules(findings: readonly Finding[]): string[] {
  return findings.map((finding) => `${finding.ruleId}:${finding.severity}`);
}

const vocabulary = Array.from({ length: 1000 }, (_, i) =>
  i < 3 ? (['<unk>', '<s>', '</s>'][i] ?? '') : `tok${i}`,
);

/** A small llama-style model as llama.cpp's convert script writes it. */
function llamaSpec(template = REAL_TEMPLATES['llama3'] ?? ''): GgufSpec {
  const kvs: [string, GgufValueSpec][] = [
    ['general.architecture', str('llama')],
    ['general.name', str('Tiny Llama Test')],
    ['general.file_type', u32(7)],
    ['general.quantization_version', u32(2)],
    ['general.alignment', u32(32)],
    ['llama.context_length', u32(8192)],
    ['llama.embedding_length', u32(64)],
    ['llama.block_count', u32(1)],
    ['llama.attention.head_count', u32(4)],
    ['llama.rope.freq_base', { type: 'float32', value: 500000 }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'float32', value: 1e-5 }],
    ['tokenizer.ggml.model', str('gpt2')],
    ['tokenizer.ggml.tokens', strings(vocabulary)],
    [
      'tokenizer.ggml.token_type',
      { type: 'array', itemType: 5, items: vocabulary.map(() => ({ type: 'int32', value: 1 })) },
    ],
    ['tokenizer.ggml.merges', strings(['Ġ t', 'Ġ a', 'h e'])],
    ['tokenizer.ggml.bos_token_id', u32(1)],
    ['tokenizer.ggml.eos_token_id', u32(2)],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: 1 }],
    ['tokenizer.chat_template', str(template)],
  ];
  return {
    kvs,
    tensors: [
      { name: 'token_embd.weight', dims: [64, 100], ggmlType: Q8_0 },
      { name: 'blk.0.attn_norm.weight', dims: [64], ggmlType: F32 },
      { name: 'output.weight', dims: [256, 8], ggmlType: Q4_K },
    ],
  };
}

describe('scanGguf on valid files', () => {
  it('finds nothing in a llama-style v3 model with a Llama 3 template', async () => {
    expect(await scan(llamaSpec())).toEqual([]);
  });

  it('finds nothing in any of the real chat templates', async () => {
    for (const template of Object.values(REAL_TEMPLATES)) expect(await scan(llamaSpec(template))).toEqual([]);
  });

  it('parses version 1 (32-bit counts) and version 2 files', async () => {
    for (const version of [1, 2]) expect(await scan({ ...llamaSpec(), version })).toEqual([]);
  });

  it('parses big-endian files and notes them at low severity', async () => {
    expect(rules(await scan({ ...llamaSpec(), bigEndian: true }))).toEqual(['BW-MODEL-020:low']);
  });

  it('parses a 150k-token vocabulary quickly', async () => {
    const tokens = Array.from({ length: 150_000 }, (_, i) => `token-${i}`);
    const started = Date.now();
    const findings = await scan({ kvs: [['tokenizer.ggml.tokens', strings(tokens)]], tensors: [] });
    expect(findings).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('scanGguf on malformed headers', () => {
  it('reports a wrong magic, an unsupported version and a short file', async () => {
    expect((await scan(utf8('GGML\x03\x00\x00\x00')))[0]?.message).toContain('magic');
    expect((await scan({ version: 7, kvs: [] }))[0]?.message).toContain('version 7');
    expect((await scan(utf8('GGU')))[0]?.message).toContain('too short');
    expect((await scan(utf8('GGUF\x03\x00\x00\x00\x01')))[0]?.message).toContain('counts');
  });

  it('reports counts that cannot fit in the file (CVE-2024 style)', async () => {
    for (const spec of [
      { tensorCount: 2n ** 40n },
      { kvCount: 2n ** 62n },
      { tensorCount: 2n ** 64n - 1n },
    ]) {
      const findings = await scan({ ...spec, kvs: [['a', u32(1)]] });
      expect(rules(findings)).toEqual(['BW-MODEL-020:medium']);
    }
  });

  it('reports huge string lengths and array counts before reading them', async () => {
    const hugeKey = concatBytes(
      utf8('GGUF'),
      uintBytes(3, 4),
      uintBytes(0, 8),
      uintBytes(1, 8),
      uintBytes(2 ** 50, 8),
      new Uint8Array(16),
    );
    expect((await scan(hugeKey))[0]?.message).toMatch(/key of metadata entry 0 declares \d+ bytes/);
    const hugeValue = await scan({ kvs: [['k', { type: 'raw', id: 8, bytes: uintBytes(2 ** 40, 8) }]] });
    expect(hugeValue[0]?.ruleId).toBe('BW-MODEL-021');
    const hugeArray = await scan({
      kvs: [['k', { type: 'raw', id: 9, bytes: concatBytes(uintBytes(8, 4), uintBytes(2 ** 45, 8)) }]],
    });
    expect(hugeArray[0]?.message).toContain('35184372088832 string elements');
    const hugeStringInArray = await scan({
      kvs: [
        [
          'k',
          {
            type: 'raw',
            id: 9,
            bytes: concatBytes(
              uintBytes(8, 4),
              uintBytes(2, 8),
              uintBytes(1, 8),
              utf8('a'),
              uintBytes(2 ** 33, 8),
            ),
          },
        ],
      ],
    });
    expect(hugeStringInArray[0]?.message).toContain('element 1 of `k`');
  });

  it('reports unknown value and element types and deep nesting', async () => {
    expect(
      (await scan({ kvs: [['k', { type: 'raw', id: 13, bytes: new Uint8Array(8) }]] }))[0]?.message,
    ).toContain('unknown value type 13');
    const badElement = await scan({
      kvs: [['k', { type: 'raw', id: 9, bytes: concatBytes(uintBytes(99, 4), uintBytes(1, 8)) }]],
    });
    expect(badElement[0]?.message).toContain('unknown element type 99');
    let nested: GgufValueSpec = { type: 'array', itemType: 4, items: [u32(1)] };
    for (let d = 0; d < 9; d++) nested = { type: 'array', itemType: 9, items: [nested] };
    expect((await scan({ kvs: [['deep', nested]] }))[0]?.message).toContain('more than 8 deep');
  });

  it('reports a file cut inside the metadata', async () => {
    const { bytes } = buildGguf(llamaSpec());
    const findings = await scan(bytes.subarray(0, 1500));
    expect(rules(findings)).toEqual(['BW-MODEL-021:medium']);
    expect(findings[0]?.message).toMatch(/ends inside|declares/);
  });

  it('stops at the metadata limit', async () => {
    const findings = await scan(llamaSpec(), 4096);
    expect(rules(findings)).toEqual(['BW-MODEL-028:medium']);
  });

  it('reports duplicate keys and tensor names', async () => {
    const spec = llamaSpec();
    const findings = await scan({
      kvs: [...(spec.kvs ?? []), ['general.name', str('other')]],
      tensors: [...(spec.tensors ?? []), { name: 'output.weight', dims: [32], ggmlType: F32 }],
    });
    expect(rules(findings)).toEqual(['BW-MODEL-022:medium', 'BW-MODEL-029:medium']);
  });
});

describe('scanGguf on tensor descriptions', () => {
  const one = (tensor: GgufSpec['tensors']): Promise<Finding[]> => scan({ kvs: [], tensors: tensor });

  it('reports more than four dimensions', async () => {
    const findings = await one([{ name: 't', dims: [1, 1, 1, 1, 1], ggmlType: F32 }]);
    expect(findings.map((f) => f.ruleId)).toContain('BW-MODEL-023');
    expect(findings[0]?.message).toContain('5 dimensions');
  });

  it('stops at a dimension count the file cannot hold', async () => {
    const findings = await one([{ name: 't', dims: [4], ggmlType: F32, dimensionCount: 0xffffffff }]);
    expect(findings.map((f) => f.ruleId)).toEqual(['BW-MODEL-023', 'BW-MODEL-023']);
  });

  it('reports unknown and removed ggml types', async () => {
    expect((await one([{ name: 't', dims: [32], ggmlType: 99 }]))[0]?.message).toContain(
      'unknown ggml type 99',
    );
    expect((await one([{ name: 't', dims: [32], ggmlType: 31 }]))[0]?.message).toContain('Q4_0_4_4');
  });

  it('reports rows that are not a multiple of the block size', async () => {
    expect((await one([{ name: 't', dims: [33, 2], ggmlType: Q4_0 }]))[0]?.message).toContain(
      'block size 32',
    );
  });

  it('reports dimension products that overflow', async () => {
    const findings = await scan({
      kvs: [],
      tensors: [{ name: 't', dims: [2 ** 40, 2 ** 40], ggmlType: F32, offset: 0 }],
      withData: false,
    });
    expect(findings[0]?.message).toContain('overflows');
  });

  it('reports long names at low severity', async () => {
    expect(rules(await one([{ name: 'x'.repeat(64), dims: [8], ggmlType: F32 }]))).toEqual([
      'BW-MODEL-023:low',
    ]);
  });
});

describe('scanGguf on the data layout', () => {
  it('reports misaligned, overlapping and out-of-file tensors', async () => {
    const findings = await scan({
      kvs: [],
      tensors: [
        { name: 'a', dims: [16], ggmlType: F32, offset: 0 },
        { name: 'b', dims: [16], ggmlType: F32, offset: 8 },
        { name: 'c', dims: [1024], ggmlType: F32, offset: 64 },
      ],
      withData: false,
    });
    const messages = findings.map((f) => f.message);
    expect(findings.every((f) => f.ruleId === 'BW-MODEL-024')).toBe(true);
    expect(messages.some((m) => m.includes('not a multiple of the alignment'))).toBe(true);
    expect(messages.some((m) => m.includes('overlaps tensor `a`'))).toBe(true);
    expect(messages.some((m) => m.includes('reaches past'))).toBe(true);
  });

  it('reports gaps (medium) and trailing bytes (low)', async () => {
    const findings = await scan({
      kvs: [],
      tensors: [
        { name: 'a', dims: [8], ggmlType: F32, offset: 0 },
        { name: 'b', dims: [8], ggmlType: F32, offset: 128 },
      ],
      trailing: 100,
    });
    expect(rules(findings)).toEqual(['BW-MODEL-024:medium', 'BW-MODEL-024:low']);
  });

  it('reports a data section that starts past the end of the file', async () => {
    const { bytes, dataStart } = buildGguf({
      kvs: [],
      tensors: [{ name: 'a', dims: [8], ggmlType: F32 }],
      withData: false,
    });
    const findings = await scan(bytes.subarray(0, dataStart - 4));
    expect(findings[0]?.message).toContain('past the end');
  });

  it('reports invalid alignments and checks positions with the default', async () => {
    for (const value of [u32(0), u32(48), str('32'), { type: 'uint64', value: 32 } as GgufValueSpec]) {
      const findings = await scan({
        kvs: [['general.alignment', value]],
        tensors: [{ name: 'a', dims: [8], ggmlType: F32 }],
      });
      expect(rules(findings)).toEqual(['BW-MODEL-027:medium']);
    }
  });

  it('honours a larger valid alignment', async () => {
    expect(
      await scan({
        kvs: [['general.alignment', u32(64)]],
        alignment: 64,
        tensors: [
          { name: 'a', dims: [8], ggmlType: F32 },
          { name: 'b', dims: [8], ggmlType: F32 },
        ],
      }),
    ).toEqual([]);
  });

  it('checks a 16 GB model by reading only its header', async () => {
    const gb = 1024 ** 3;
    const spec = {
      ...llamaSpec(),
      tensors: [{ name: 'token_embd.weight', dims: [4096, 1024 * 1024], ggmlType: F32 }],
      withData: false,
    };
    const { bytes, dataStart } = buildGguf(spec);
    const { source, log } = syntheticSource(bytes, dataStart + 16 * gb);
    expect(await scanGguf(source, testContext())).toEqual([]);
    expect(log.bytesFrom(dataStart)).toBeLessThanOrEqual(64 * 1024);
    expect(log.reads.length).toBeLessThan(10);
  });
});

describe('scanGguf on chat templates', () => {
  it('reports a template that reaches Python internals as critical', async () => {
    const payload =
      "{% for m in messages %}{{ m.content }}{% endfor %}{{ cycler.__init__.__globals__.os.popen('id').read() }}";
    const findings = await scan(llamaSpec(payload));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.ruleId === 'BW-MODEL-025' && f.severity === 'critical')).toBe(true);
    expect(findings[0]?.evidence?.['key']).toBe('tokenizer.chat_template');
    expect(findings[0]?.location.offset).toBeGreaterThan(0);
  });

  it('checks the elements of a template stored as a string array (transformers unwraps one element)', async () => {
    const spec = llamaSpec();
    const escape = "{{ cycler.__init__.__globals__.os.popen('id').read() }}";
    const kvs = (spec.kvs ?? []).filter(([key]) => key !== 'tokenizer.chat_template');
    const findings = await scan({ ...spec, kvs: [...kvs, ['tokenizer.chat_template', strings([escape])]] });
    expect(findings.some((f) => f.severity === 'critical')).toBe(true);
    expect(findings[0]?.evidence?.['key']).toBe('tokenizer.chat_template[0]');
  });

  it('checks named templates too', async () => {
    const spec = llamaSpec();
    const findings = await scan({
      ...spec,
      kvs: [
        ...(spec.kvs ?? []),
        ['tokenizer.chat_template.tool_use', str("{{ ''|attr('__cla' ~ 'ss__') }}")],
      ],
    });
    expect(rules(findings)).toContain('BW-MODEL-025:critical');
  });

  it('reports unusual templates as medium and dynamic attributes as high', async () => {
    expect(rules(await scan(llamaSpec("{% include 'x.j2' %}")))).toEqual(['BW-MODEL-026:medium']);
    expect(rules(await scan(llamaSpec('{{ x|attr(y) }}')))).toEqual(['BW-MODEL-025:high']);
  });
});

describe('scanGguf on random input', () => {
  it('never throws on random bytes or mutated files and only reports its own rules', async () => {
    const random = seededRandom(99);
    const ids = new Set(GGUF_RULES.map((rule) => rule.id));
    const { bytes } = buildGguf(llamaSpec());
    const small = buildGguf({
      ...llamaSpec(),
      kvs: (llamaSpec().kvs ?? []).filter(([key]) => !key.startsWith('tokenizer.ggml.t')),
    }).bytes;
    const started = Date.now();
    for (let n = 0; n < 1200; n++) {
      const input =
        n % 4 === 0
          ? concatBytes(utf8('GGUF'), randomBytes(random, Math.floor(random() * 300)))
          : mutate(random, n % 4 === 1 ? bytes : small);
      const findings = await scan(input, n % 5 === 0 ? 2048 : undefined);
      for (const finding of findings) expect(ids.has(finding.ruleId)).toBe(true);
    }
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
