import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/findings.js';
import { bytesSource, readFully } from '../../core/scan/byte-sources.js';
import { scanNumpy } from './numpy.js';
import { NUMPY_RULES } from './numpy-rules.js';
import { buildNpy, npyDataOffset } from './numpy.test-support.js';
import {
  concatBytes,
  mutate,
  randomBytes,
  seededRandom,
  testContext,
  utf8,
} from './safetensors-gguf-numpy.test-support.js';

const PICKLE_FINDING: Finding = {
  ruleId: 'BW-PICKLE-001',
  severity: 'critical',
  message: 'posix.system',
  location: { path: 'model.bin' },
  controls: ['R1'],
};

/** A protocol-2 pickle calling posix.system('id'), as np.save(allow_pickle=True) would embed one. */
const PAYLOAD = concatBytes(
  Uint8Array.of(0x80, 0x02),
  utf8('cposix\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.'),
);

async function scan(bytes: Uint8Array, limits?: { maxMetadataBytes: number }) {
  const ctx = testContext({ nested: () => [PICKLE_FINDING], ...(limits ? { limits } : {}) });
  const findings = await scanNumpy(bytesSource(bytes), ctx);
  return { findings, ctx };
}

function rules(findings: readonly Finding[]): string[] {
  return findings.map((finding) => `${finding.ruleId}:${finding.severity}`);
}

function data(length: number): Uint8Array {
  return new Uint8Array(length).map((_, i) => i & 0xff);
}

describe('scanNumpy on valid arrays', () => {
  const valid: Record<string, Parameters<typeof buildNpy>[0]> = {
    'float32 vector': { descr: "'<f4'", shape: [3], data: data(12) },
    'fortran int64 matrix': { descr: "'<i8'", fortranOrder: true, shape: [2, 3], data: data(48) },
    'bool scalar': { descr: "'|b1'", shape: [], data: data(1) },
    'empty array': { descr: "'<f8'", shape: [0, 4] },
    'unicode strings': { descr: "'<U5'", shape: [2], data: data(40) },
    datetimes: { descr: "'<M8[ns]'", shape: [2], data: data(16) },
    'big-endian complex': { descr: "'>c16'", shape: [1], data: data(16) },
    'void bytes': { descr: "'|V7'", shape: [2], data: data(14) },
    'structured with padding and subarray': {
      descr:
        "[('x', '<f4'), ('', '|V4'), (('title', 'y'), '<i8', (2,)), ('z', [('a', '|u1'), ('b', '<u2')])]",
      shape: [2],
      data: data(2 * (4 + 4 + 16 + 3)),
    },
    'version 2.0': { descr: "'<u2'", shape: [4], data: data(8), version: '2.0' },
    'version 3.0 with a UTF-8 field name': {
      descr: "[('température', '<f4')]",
      shape: [1],
      data: data(4),
      version: '3.0',
    },
    'python 2 long suffixes': {
      header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 1L), }",
      data: data(8),
    },
    'keys in another order with double quotes': {
      header: '{"shape": (1,), "descr": "<f4", "fortran_order": False}',
      data: data(4),
    },
  };
  for (const [name, spec] of Object.entries(valid)) {
    it(`finds nothing in a ${name}`, async () => {
      const { findings, ctx } = await scan(buildNpy(spec));
      expect(findings).toEqual([]);
      expect(ctx.requests).toEqual([]);
    });
  }
});

describe('scanNumpy on object arrays', () => {
  it('hands the pickled data to the pickle scanner and returns its findings', async () => {
    const file = buildNpy({ descr: "'|O'", shape: [1], data: PAYLOAD });
    const { findings, ctx } = await scan(file);
    expect(rules(findings)).toEqual(['BW-MODEL-032:low', 'BW-PICKLE-001:critical']);
    const [request] = ctx.requests;
    expect(request?.as).toBe('pickle');
    expect(request?.baseOffset).toBe(npyDataOffset(file));
    expect(request?.member).toBeUndefined();
    expect(await readFully(request!.source, 0, PAYLOAD.length)).toEqual(PAYLOAD);
  });

  it('treats a structured dtype with an object field as a pickle', async () => {
    const { findings, ctx } = await scan(
      buildNpy({ descr: "[('a', '<f4'), ('b', [('c', '|O')])]", shape: [1], data: PAYLOAD }),
    );
    expect(findings.map((f) => f.ruleId)).toEqual(['BW-MODEL-032', 'BW-PICKLE-001']);
    expect(ctx.requests).toHaveLength(1);
  });

  it('reports an object array without data', async () => {
    const { findings, ctx } = await scan(buildNpy({ descr: "'|O'", shape: [1] }));
    expect(rules(findings)).toEqual(['BW-MODEL-032:low', 'BW-MODEL-033:medium']);
    expect(ctx.requests).toEqual([]);
  });

  it('scans the data of an unknown dtype when it looks like a pickle', async () => {
    const { findings, ctx } = await scan(buildNpy({ descr: "'<q3'", shape: [1], data: PAYLOAD }));
    expect(rules(findings)).toEqual(['BW-MODEL-031:medium', 'BW-PICKLE-001:critical']);
    expect(ctx.requests).toHaveLength(1);
  });
});

describe('scanNumpy on malformed files', () => {
  const malformed = async (bytes: Uint8Array): Promise<string | undefined> => {
    const { findings } = await scan(bytes);
    expect(rules(findings)).toEqual(['BW-MODEL-030:medium']);
    return findings[0]?.message;
  };

  it('reports a wrong magic, version or length', async () => {
    expect(await malformed(utf8('NUMPY'))).toContain('magic');
    const file = buildNpy({ shape: [1], data: data(4) });
    expect(await malformed(file.subarray(0, 9))).toContain('preamble');
    const future = Uint8Array.from(file);
    future[6] = 4;
    expect(await malformed(future)).toContain('version 4.0');
    const long = Uint8Array.from(file);
    long[9] = 0xff;
    expect(await malformed(long)).toContain('past the end');
  });

  it('reports headers that are not safe literals', async () => {
    expect(
      await malformed(
        buildNpy({ header: "{'descr': __import__('os'), 'fortran_order': False, 'shape': ()}" }),
      ),
    ).toContain('not a literal');
    expect(await malformed(buildNpy({ header: "{'descr': '<f4', 'shape': (1,)" }))).toContain(
      'Python literal',
    );
    expect(await malformed(buildNpy({ header: "['descr', '<f4']" }))).toContain('not a dict');
  });

  it('reports wrong keys and values', async () => {
    expect(await malformed(buildNpy({ header: "{'descr': '<f4', 'shape': (1,)}" }))).toContain('keys');
    expect(
      await malformed(
        buildNpy({ header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}" }),
      ),
    ).toContain('keys');
    expect(
      await malformed(buildNpy({ header: "{'descr': '<f4', 'fortran_order': False, 'shape': [1]}" })),
    ).toContain('tuple');
    expect(
      await malformed(buildNpy({ header: "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}" })),
    ).toContain('negative');
    expect(
      await malformed(buildNpy({ header: "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}" })),
    ).toContain('bool');
    expect(
      await malformed(buildNpy({ header: "{1: '<f4', 'fortran_order': False, 'shape': (1,)}" })),
    ).toContain('string');
  });

  it('reports a version 3.0 header that is not UTF-8', async () => {
    const file = buildNpy({ descr: "[('ab', '<f4')]", shape: [1], data: data(4), version: '3.0' });
    const at = file.indexOf(0x61);
    file[at] = 0xff;
    expect(await malformed(file)).toContain('UTF-8');
  });

  it('reports dtypes numpy does not know', async () => {
    for (const descr of [
      "'<f3'",
      "'<i16'",
      "'<M8[lightyears]'",
      "'float31'",
      '42',
      "[('a',)]",
      "[('a', '<f4'), ('a', '<f4')]",
      "'V99999999999999999999'",
    ]) {
      const { findings } = await scan(buildNpy({ descr, shape: [1], data: data(4) }));
      expect(rules(findings), descr).toEqual(['BW-MODEL-031:medium']);
    }
  });

  it('reports truncated and extra data', async () => {
    const short = await scan(buildNpy({ descr: "'<f4'", shape: [4], data: data(12) }));
    expect(rules(short.findings)).toEqual(['BW-MODEL-033:medium']);
    expect(short.findings[0]?.message).toContain('truncated');
    const file = buildNpy({ descr: "'<f4'", shape: [2], data: concatBytes(data(8), PAYLOAD) });
    const extra = await scan(file);
    expect(rules(extra.findings)).toEqual(['BW-MODEL-033:medium']);
    expect(extra.findings[0]?.location.offset).toBe(npyDataOffset(file) + 8);
  });

  it('reports headers beyond numpy’s limit and beyond the scan limit', async () => {
    const wide = Array.from({ length: 800 }, (_, i) => `('field_${i}', '<f4')`).join(', ');
    const file = buildNpy({ descr: `[${wide}]`, shape: [1], data: data(3200), version: '2.0' });
    expect(rules((await scan(file)).findings)).toEqual(['BW-MODEL-034:low']);
    expect(rules((await scan(file, { maxMetadataBytes: 1000 })).findings)).toEqual(['BW-MODEL-034:medium']);
  });
});

describe('scanNumpy on random input', () => {
  it('never throws on random bytes or mutated files and only reports its own rules', async () => {
    const random = seededRandom(2024);
    const ids = new Set([...NUMPY_RULES.map((rule) => rule.id), PICKLE_FINDING.ruleId]);
    const seeds = [
      buildNpy({ descr: "[('x', '<f4'), ('y', '<i8', (2,))]", shape: [3], data: data(60) }),
      buildNpy({ descr: "'|O'", shape: [1], data: PAYLOAD }),
      buildNpy({ descr: "'<U3'", shape: [2, 2], data: data(48), version: '3.0' }),
    ];
    const started = Date.now();
    for (let n = 0; n < 1500; n++) {
      const input =
        n % 4 === 0
          ? concatBytes(
              Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59),
              randomBytes(random, Math.floor(random() * 120)),
            )
          : mutate(random, seeds[n % seeds.length] ?? new Uint8Array(0));
      const { findings } = await scan(input);
      for (const finding of findings) expect(ids.has(finding.ruleId)).toBe(true);
    }
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
