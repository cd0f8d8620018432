import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/findings.js';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { scanSafetensors } from './safetensors.js';
import { SAFETENSORS_RULES } from './safetensors-rules.js';
import { buildSafetensors, rawSafetensors } from './safetensors.test-support.js';
import {
  concatBytes,
  mutate,
  randomBytes,
  seededRandom,
  syntheticSource,
  testContext,
  uintBytes,
  utf8,
} from './safetensors-gguf-numpy.test-support.js';

async function scan(bytes: Uint8Array, limits?: { maxMetadataBytes: number }): Promise<Finding[]> {
  return scanSafetensors(bytesSource(bytes), testContext(limits ? { limits } : {}));
}

function rules(findings: readonly Finding[]): string[] {
  return findings.map((finding) => `${finding.ruleId}:${finding.severity}`);
}

const BENIGN = buildSafetensors({
  metadata: { format: 'pt', producer: 'test' },
  tensors: [
    { name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [32, 16] },
    { name: 'model.layers.0.self_attn.q_proj.weight', dtype: 'F32', shape: [16, 16] },
    { name: 'lm_head.bias', dtype: 'F16', shape: [32] },
  ],
});

describe('scanSafetensors on valid files', () => {
  it('finds nothing in a file with three tensors and metadata', async () => {
    expect(await scan(BENIGN)).toEqual([]);
  });

  it('accepts every dtype of the reference, sub-byte types included', async () => {
    const file = buildSafetensors({
      tensors: [
        { name: 'f4', dtype: 'F4', shape: [2, 3] },
        { name: 'f6', dtype: 'F6_E2M3', shape: [4] },
        { name: 'e8m0', dtype: 'F8_E8M0', shape: [3] },
        { name: 'fnuz', dtype: 'F8_E4M3FNUZ', shape: [1] },
        { name: 'c64', dtype: 'C64', shape: [2], byteLength: 16 },
        { name: 'empty', dtype: 'U64', shape: [0, 5] },
        { name: 'scalar', dtype: 'I64', shape: [] },
        { name: 'flags', dtype: 'BOOL', shape: [5] },
      ],
    });
    expect(await scan(file)).toEqual([]);
  });

  it('accepts an empty header and a null metadata entry', async () => {
    expect(await scan(rawSafetensors('{}      '))).toEqual([]);
    expect(await scan(rawSafetensors('{"__metadata__":null}'))).toEqual([]);
  });

  it('handles tensor names that are JavaScript prototype keys', async () => {
    const file = rawSafetensors(
      '{"__proto__":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"constructor":{"dtype":"U8","shape":[1],"data_offsets":[2,3]}}',
      3,
    );
    expect(await scan(file)).toEqual([]);
  });
});

describe('scanSafetensors on malformed headers', () => {
  it('reports a file too short for the length', async () => {
    expect(rules(await scan(Uint8Array.of(1, 2, 3)))).toEqual(['BW-MODEL-010:medium']);
  });

  it('reports a header length over 100 MB, past the file or over the limit', async () => {
    const huge = concatBytes(uintBytes(100_000_001, 8), utf8('{}'));
    expect(rules(await scan(huge))).toEqual(['BW-MODEL-010:medium']);
    const past = concatBytes(uintBytes(64, 8), utf8('{}'));
    expect((await scan(past))[0]?.message).toContain('past the end');
    const max = concatBytes(uintBytes(2 ** 60, 8), utf8('{}'));
    expect((await scan(max))[0]?.message).toContain('2^53');
    expect(rules(await scan(BENIGN, { maxMetadataBytes: 16 }))).toEqual(['BW-MODEL-010:medium']);
  });

  it('reports headers that are not UTF-8, not JSON or not an object', async () => {
    const notUtf8 = concatBytes(uintBytes(4, 8), Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d));
    expect((await scan(notUtf8))[0]?.message).toContain('UTF-8');
    expect((await scan(rawSafetensors('{"a":')))[0]?.ruleId).toBe('BW-MODEL-011');
    expect((await scan(rawSafetensors('[1,2]')))[0]?.message).toContain('array');
    expect((await scan(rawSafetensors('{}\0\0\0')))[0]?.ruleId).toBe('BW-MODEL-011');
  });

  it('reports a header that does not start with a brace', async () => {
    expect(rules(await scan(rawSafetensors(' {}')))).toEqual(['BW-MODEL-011:medium']);
  });

  it('reports duplicate tensor names, metadata and tensor fields', async () => {
    const file = rawSafetensors(
      '{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},' +
        '"b":{"dtype":"U8","dtype":"U8","shape":[1],"data_offsets":[1,2]},"__metadata__":{"k":"1","k":"2"}}',
      2,
    );
    const duplicates = (await scan(file)).filter((f) => f.ruleId === 'BW-MODEL-012');
    expect(duplicates.map((f) => f.evidence?.['key'])).toEqual(['a', 'dtype', 'k']);
    expect(duplicates.every((f) => f.severity === 'high')).toBe(true);
    expect(duplicates[1]?.message).toContain('`b`');
  });

  it('treats escaped and plain spellings of a key as the same key', async () => {
    const file = rawSafetensors(
      '{"ab":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a\\u0062":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}',
      1,
    );
    expect((await scan(file)).map((f) => f.ruleId)).toContain('BW-MODEL-012');
  });
});

describe('scanSafetensors on invalid tensors', () => {
  const entry = (value: string, data = 4): Promise<Finding[]> => scan(rawSafetensors(`{"t":${value}}`, data));

  it('reports entries that are not objects or miss fields', async () => {
    expect((await entry('[1]'))[0]?.message).toContain('not an object');
    expect((await entry('{"shape":[1],"data_offsets":[0,4]}')).map((f) => f.message)).toContain(
      'tensor `t`: has no dtype',
    );
    expect((await entry('{"dtype":"U8","data_offsets":[0,4]}')).map((f) => f.message)).toContain(
      'tensor `t`: has no shape',
    );
    expect((await entry('{"dtype":"U8","shape":[4]}')).map((f) => f.message)).toContain(
      'tensor `t`: has no data_offsets',
    );
  });

  it('reports unknown dtypes and bad shapes and offsets', async () => {
    expect((await entry('{"dtype":"Q4","shape":[4],"data_offsets":[0,4]}'))[0]?.message).toContain(
      'unknown dtype Q4',
    );
    expect((await entry('{"dtype":"U8","shape":[-4],"data_offsets":[0,4]}'))[0]?.message).toContain('shape');
    expect((await entry('{"dtype":"U8","shape":[1.5],"data_offsets":[0,4]}'))[0]?.message).toContain('shape');
    expect((await entry('{"dtype":"U8","shape":[4],"data_offsets":[0]}'))[0]?.message).toContain(
      'data_offsets',
    );
    expect((await entry('{"dtype":"U8","shape":[4],"data_offsets":[4,0]}'))[0]?.message).toContain(
      'end before',
    );
    expect((await entry('{"dtype":"U8","shape":[4],"data_offsets":[0,"4"]}'))[0]?.ruleId).toBe(
      'BW-MODEL-013',
    );
  });

  it('reports extra fields at low severity', async () => {
    expect(rules(await entry('{"dtype":"U8","shape":[4],"data_offsets":[0,4],"payload":"x"}'))).toEqual([
      'BW-MODEL-013:low',
    ]);
  });

  it('reports a size that does not match shape and dtype', async () => {
    const findings = await entry('{"dtype":"F32","shape":[2],"data_offsets":[0,4]}');
    expect(rules(findings)).toEqual(['BW-MODEL-014:medium']);
    expect(findings[0]?.location.offset).toBe(
      8 + '{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}'.length,
    );
  });

  it('reports sub-byte tensors that do not fill whole bytes', async () => {
    const findings = await entry('{"dtype":"F4","shape":[3],"data_offsets":[0,2]}', 2);
    expect(findings[0]?.message).toContain('not a whole number of bytes');
  });

  it('reports offsets past the data area', async () => {
    const findings = await entry('{"dtype":"U8","shape":[8],"data_offsets":[0,8]}', 4);
    expect(rules(findings)).toEqual(['BW-MODEL-015:medium']);
  });

  it('handles huge shapes without overflow', async () => {
    const findings = await entry(
      '{"dtype":"F64","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,4]}',
    );
    expect(rules(findings)).toEqual(['BW-MODEL-014:medium']);
  });
});

describe('scanSafetensors on the data layout', () => {
  it('reports overlapping tensors with both names', async () => {
    const file = buildSafetensors({
      tensors: [
        { name: 'a', dtype: 'U8', shape: [8], offsets: [0, 8] },
        { name: 'b', dtype: 'U8', shape: [8], offsets: [4, 12] },
      ],
    });
    const findings = await scan(file);
    expect(rules(findings)).toEqual(['BW-MODEL-016:medium']);
    expect(findings[0]?.message).toMatch(/`b`.*`a`/);
  });

  it('reports an empty tensor inside another', async () => {
    const file = buildSafetensors({
      tensors: [
        { name: 'a', dtype: 'U8', shape: [8], offsets: [0, 8] },
        { name: 'z', dtype: 'U8', shape: [0], offsets: [4, 4] },
      ],
    });
    expect(rules(await scan(file))).toEqual(['BW-MODEL-016:medium']);
  });

  it('reports holes between tensors and bytes after the last one', async () => {
    const file = buildSafetensors({
      tensors: [
        { name: 'a', dtype: 'U8', shape: [4], offsets: [0, 4] },
        { name: 'b', dtype: 'U8', shape: [4], offsets: [10, 14] },
      ],
      extraData: 6,
    });
    const findings = await scan(file);
    expect(rules(findings)).toEqual(['BW-MODEL-017:medium', 'BW-MODEL-017:medium']);
    expect(findings[0]?.evidence).toMatchObject({ begin: 4, end: 10, before: 'b' });
    expect(findings[1]?.evidence).toMatchObject({ begin: 14, end: 20 });
  });

  it('reports data with no tensors at all', async () => {
    expect(rules(await scan(rawSafetensors('{}', 16)))).toEqual(['BW-MODEL-017:medium']);
  });

  it('caps findings per rule for headers with huge numbers of bad tensors', async () => {
    const tensors = Array.from(
      { length: 500 },
      (_, i) => `"t${i}":{"dtype":"X","shape":[1],"data_offsets":[0,1]}`,
    );
    const findings = await scan(rawSafetensors(`{${tensors.join(',')}}`, 1));
    const invalid = findings.filter((f) => f.ruleId === 'BW-MODEL-013');
    expect(invalid).toHaveLength(101);
    expect(invalid.at(-1)?.evidence?.['omitted']).toBe(400);
  });
});

describe('scanSafetensors on metadata', () => {
  it('reports metadata that is not a map of strings', async () => {
    expect(rules(await scan(rawSafetensors('{"__metadata__":[1]}')))).toEqual(['BW-MODEL-018:medium']);
    const findings = await scan(rawSafetensors('{"__metadata__":{"a":"x","b":1,"c":{"d":"e"}}}'));
    expect(findings.map((f) => f.evidence?.['key'])).toEqual(['b', 'c']);
  });

  it('notes an unusual format as info only', async () => {
    expect(rules(await scan(rawSafetensors('{"__metadata__":{"format":"gguf"}}')))).toEqual([
      'BW-MODEL-019:info',
    ]);
    expect(await scan(rawSafetensors('{"__metadata__":{"format":"mlx"}}'))).toEqual([]);
  });
});

describe('scanSafetensors on large and hostile input', () => {
  it('checks a 4 GB file by reading only its header', async () => {
    const gb = 1024 ** 3;
    const header = utf8(
      JSON.stringify({
        __metadata__: { format: 'pt' },
        'a.weight': { dtype: 'F32', shape: [256 * 1024 * 1024, 2], data_offsets: [0, 2 * gb] },
        'b.weight': { dtype: 'BF16', shape: [gb], data_offsets: [2 * gb, 4 * gb] },
      }),
    );
    const head = concatBytes(uintBytes(header.length, 8), header);
    const { source, log } = syntheticSource(head, head.length + 4 * gb);
    expect(await scanSafetensors(source, testContext())).toEqual([]);
    expect(log.bytesFrom(head.length)).toBe(0);
    expect(log.reads.length).toBeLessThanOrEqual(2);
  });

  it('never throws on random bytes or mutated files and only reports its own rules', async () => {
    const random = seededRandom(1234);
    const ids = new Set(SAFETENSORS_RULES.map((rule) => rule.id));
    const started = Date.now();
    for (let n = 0; n < 1500; n++) {
      const bytes = n % 3 === 0 ? randomBytes(random, Math.floor(random() * 200)) : mutate(random, BENIGN);
      const findings = await scan(bytes);
      for (const finding of findings) expect(ids.has(finding.ruleId)).toBe(true);
    }
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
