import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OMS_DATA, bundlePayload } from './model-tree-fixtures.test-support.js';
import { parseStatement } from './statement-parse.js';
import { buildStatement, encodeStatement } from './statement.js';

const PAYLOAD_GOLDENS = join(OMS_DATA, 'model-transparency/tests/_signing/testdata/signing/TestPayload');
const SIGNED = join(OMS_DATA, 'model-transparency/scripts/tests');
const encoder = new TextEncoder();

function problemsOf(payload: unknown): readonly string[] {
  const result = parseStatement(
    encoder.encode(typeof payload === 'string' ? payload : JSON.stringify(payload)),
  );
  return result.ok ? [] : result.problems;
}

describe('parseStatement on the model_signing payload goldens', () => {
  for (const name of readdirSync(PAYLOAD_GOLDENS)) {
    it(name, () => {
      const bytes = readFileSync(join(PAYLOAD_GOLDENS, name));
      const result = parseStatement(bytes);
      const golden = JSON.parse(bytes.toString('utf8')) as { predicate: { resources: unknown[] } };
      if (golden.predicate.resources.length === 0) {
        expect(result.ok ? [] : result.problems).toEqual([expect.stringContaining('resources is empty')]);
        return;
      }
      if (!result.ok) throw new Error(result.problems.join('; '));
      // Round trip: rebuilding from the parsed manifest gives the same statement (shard_size 8.0 == 8).
      expect(buildStatement(result.statement.manifest, { recordIgnorePaths: false })).toEqual(
        JSON.parse(bytes.toString('utf8')),
      );
    });
  }
});

describe('parseStatement on signed payloads of every model_signing release', () => {
  for (const dir of readdirSync(SIGNED).filter((d) => d.startsWith('v'))) {
    it(dir, () => {
      const result = parseStatement(bundlePayload(join(SIGNED, dir, 'model.sig')));
      if (!result.ok) throw new Error(result.problems.join('; '));
      const { statement } = result;
      expect(statement.isLegacy).toBe(dir.startsWith('v0.2.0'));
      expect(statement.hasRecordedIgnorePaths).toBe(dir.startsWith('v1.1.0'));
      if (dir.startsWith('v1.1.0'))
        expect(statement.manifest.serialization.ignorePaths).toContain('ignore-me');
      expect(statement.manifest.resources.length).toBeGreaterThan(0);
    });
  }
});

describe('buildStatement', () => {
  it('records ignore paths and shard size as model_signing v1.1.0 does, and parses back', () => {
    const statement = buildStatement({
      modelName: 'm',
      serialization: {
        method: 'shards',
        hashType: 'sha256',
        shardSize: 8,
        allowSymlinks: false,
        ignorePaths: ['.git', 'model.sig'],
      },
      resources: [
        {
          name: 'a:0:8',
          path: 'a',
          range: { start: 0, end: 8 },
          algorithm: 'sha256-sharded-8',
          digest: 'ab'.repeat(32),
        },
      ],
    });
    expect(statement.predicate.serialization).toEqual({
      method: 'shards',
      hash_type: 'sha256',
      allow_symlinks: false,
      shard_size: 8,
      ignore_paths: ['.git', 'model.sig'],
    });
    const parsed = parseStatement(encodeStatement(statement));
    expect(parsed.ok && parsed.statement.manifest.resources[0]?.range).toEqual({ start: 0, end: 8 });
  });
});

const VALID = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'm', digest: { sha256: '' } }],
  predicateType: 'https://model_signing/signature/v1.0',
  predicate: {
    serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false },
    resources: [{ name: 'a', algorithm: 'sha256', digest: 'ab'.repeat(32) }],
  },
};

function variant(edit: (s: typeof VALID & Record<string, unknown>) => void): unknown {
  const copy = structuredClone(VALID) as typeof VALID & Record<string, unknown>;
  edit(copy);
  return copy;
}

describe('parseStatement problems', () => {
  it('gives clear problems, never throws', () => {
    expect(problemsOf('')[0]).toMatch(/not JSON/);
    expect(
      problemsOf(variant((s) => (s.predicateType = 'https://example.com/wrong-predicate/v1.0')))[0],
    ).toMatch(/not an OMS predicate/);
    expect(problemsOf(variant((s) => (s._type = 'x')))[0]).toMatch(/_type/);
    expect(problemsOf(VALID)).toEqual([
      'subject[0].digest.sha256 is not the root digest of predicate.resources',
    ]);
    const cases: [(s: typeof VALID) => void, RegExp][] = [
      [(s) => (s.predicate.resources[0]!.name = '../etc/passwd'), /'\.\.' path component/],
      [(s) => (s.predicate.resources[0]!.name = '/abs'), /absolute path/],
      [(s) => (s.predicate.resources[0]!.digest = 'zz'), /not a sha256 hex digest/],
      [(s) => (s.predicate.resources[0]!.algorithm = 'md5'), /algorithm 'md5'/],
      [(s) => (s.predicate.serialization.hash_type = 'blake3'), /not supported/],
      [(s) => s.predicate.resources.push({ ...s.predicate.resources[0]! }), /listed twice/],
      [
        (s) => Object.assign(s.predicate.serialization, { method: 'shards' }),
        /shard_size must be a positive integer/,
      ],
      [
        (s) => Object.assign(s.predicate.serialization, { method: 'shards', shard_size: 8 }),
        /not a path:start:end/,
      ],
      [(s) => Object.assign(s.predicate.serialization, { ignore_paths: ['../x'] }), /not a relative path/],
    ];
    for (const [edit, problem] of cases) expect(problemsOf(variant(edit)).join('\n')).toMatch(problem);
  });

  it('survives random and mutated payloads (seeded fuzz)', () => {
    let seed = 0x5eed;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 0x1000000;
    const seeds = [
      bundlePayload(join(SIGNED, 'v1.1.0-elliptic-key/model.sig')),
      bundlePayload(join(SIGNED, 'v0.2.0-certificate/model.sig')),
      readFileSync(join(PAYLOAD_GOLDENS, 'sample_model_folder_small_shards')),
    ];
    for (let i = 0; i < 1500; i++) {
      const base = seeds[i % seeds.length]!;
      const bytes = new Uint8Array(base);
      const flips = 1 + Math.floor(next() * 4);
      for (let j = 0; j < flips; j++) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      const cut = next() < 0.2 ? bytes.subarray(0, Math.floor(next() * bytes.length)) : bytes;
      const result = parseStatement(cut);
      if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
    }
    for (let i = 0; i < 300; i++) {
      const random = Uint8Array.from({ length: Math.floor(next() * 200) }, () => Math.floor(next() * 256));
      expect(() => parseStatement(random)).not.toThrow();
    }
  });
});
