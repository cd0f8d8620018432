import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { DEFAULT_SHARD_SIZE, comparePaths } from './manifest.js';
import type { ModelTree, ModelTreeEntry } from './model-tree.js';
import { fsModelTree } from './model-tree.test-support.js';
import {
  FIXTURE_MODELS,
  OMS_DATA,
  buildFixtureModel,
  type FixtureModel,
} from './model-tree-fixtures.test-support.js';
import { hashSource } from './serialization-hash.js';
import { isIgnored, normalizeIgnorePath, serializeModel } from './serialization.js';
import { buildStatement } from './statement.js';

const SERIALIZER_GOLDENS = join(OMS_DATA, 'model-transparency/tests/_serialization/testdata');
const PAYLOAD_GOLDENS = join(OMS_DATA, 'model-transparency/tests/_signing/testdata/signing/TestPayload');
const MODELS = Object.keys(FIXTURE_MODELS) as FixtureModel[];
const VARIANTS = [
  { golden: 'file', payload: '', method: 'files', shardSize: undefined },
  { golden: 'file_shard', payload: '_shard', method: 'shards', shardSize: DEFAULT_SHARD_SIZE },
  { golden: 'file_shard', payload: '_small_shards', method: 'shards', shardSize: 8 },
] as const;

function goldenLines(variant: (typeof VARIANTS)[number], model: FixtureModel): string[] {
  const suffix = variant.shardSize === 8 ? '_small_shards' : '';
  const text = readFileSync(
    join(SERIALIZER_GOLDENS, variant.golden, 'TestSerializer', model + suffix),
    'utf8',
  );
  return text.split('\n').filter((line) => line !== '');
}

describe('serializeModel against the model_signing goldens', () => {
  for (const model of MODELS) {
    for (const variant of VARIANTS) {
      it(`${model} (${variant.method}, shard ${variant.shardSize ?? '-'})`, async () => {
        const tree = fsModelTree(buildFixtureModel(model));
        const { manifest, issues } = await serializeModel(tree, {
          method: variant.method,
          allowSymlinks: true,
          ...(variant.shardSize === undefined ? {} : { shardSize: variant.shardSize }),
        });
        expect(manifest.resources.map((r) => `${r.name}:${r.digest}`)).toEqual(goldenLines(variant, model));
        expect(issues.some((issue) => issue.kind === 'empty-model')).toBe(manifest.resources.length === 0);
        const golden: unknown = JSON.parse(
          readFileSync(join(PAYLOAD_GOLDENS, model + variant.payload), 'utf8'),
        );
        expect(buildStatement(manifest, { recordIgnorePaths: false })).toEqual(golden);
      });
    }
  }
});

function memoryTree(files: Record<string, string>, extra: ModelTreeEntry[] = []): ModelTree {
  const bytes = new Map(Object.entries(files).map(([path, text]) => [path, new TextEncoder().encode(text)]));
  return {
    name: 'memory',
    isSingleFile: false,
    list: () =>
      Promise.resolve([
        ...[...bytes].map(([path, data]): ModelTreeEntry => ({ path, kind: 'file', size: data.length })),
        ...extra,
      ]),
    open: (path) => Promise.resolve(bytesSource(bytes.get(path) ?? new Uint8Array(0))),
  };
}

describe('serializeModel rules', () => {
  it('ignores the default git paths, the signature and user paths (exact paths and folders)', async () => {
    const tree = memoryTree({
      'a.bin': 'a',
      '.git/config': 'x',
      '.gitignore': 'x',
      'sub/.git': 'kept',
      'model.sig': 'sig',
      'cache/x': 'x',
      cache2: 'kept',
    });
    const { manifest } = await serializeModel(tree, {
      ignorePaths: ['./cache/'],
      signaturePath: 'model.sig',
    });
    expect(manifest.resources.map((r) => r.name)).toEqual(['a.bin', 'cache2', 'sub/.git']);
    expect(manifest.serialization.ignorePaths).toEqual([
      '.git',
      '.gitattributes',
      '.github',
      '.gitignore',
      'cache',
      'model.sig',
    ]);
  });

  it('sorts by path components as the reference does', async () => {
    const { manifest } = await serializeModel(memoryTree({ 'a.b': '1', 'a/b': '2', 'a-b/c': '3' }));
    expect(manifest.resources.map((r) => r.name)).toEqual(['a/b', 'a-b/c', 'a.b']);
    expect(comparePaths('\u{1F600}', '\uFFFF')).toBeGreaterThan(0);
  });

  it('refuses symlinks unless allowed, and warns about targets outside the model', async () => {
    const link = {
      path: 'l',
      kind: 'symlink',
      size: 0,
      link: { text: '/x', kind: 'file', isInsideModel: false, size: 1 },
    } as const;
    const refused = await serializeModel(memoryTree({ f: 'x' }, [link]));
    expect(refused.issues.map((i) => [i.kind, i.severity])).toEqual([['symlink-not-allowed', 'error']]);
    const allowed = await serializeModel(memoryTree({ f: 'x' }, [link]), { allowSymlinks: true });
    expect(allowed.issues.map((i) => [i.kind, i.severity])).toEqual([['symlink-outside-model', 'warning']]);
    expect(allowed.manifest.resources.map((r) => r.name)).toEqual(['f', 'l']);
  });

  it('reports hostile trees as issues: bad paths, special files, too many shards', async () => {
    const tree = memoryTree({ '../x': 'x', ok: 'y'.repeat(100) }, [{ path: 'fifo', kind: 'other', size: 0 }]);
    const { issues } = await serializeModel(tree);
    expect(issues.map((i) => i.kind).sort()).toEqual(['invalid-path', 'special-file']);
    const big = await serializeModel(tree, { method: 'shards', shardSize: 1, maxResources: 10 });
    expect(big.issues.map((i) => i.kind)).toContain('too-many-resources');
    const zero = await serializeModel(tree, { method: 'shards', shardSize: 0 });
    expect(zero.issues.map((i) => i.kind)).toContain('invalid-shard-size');
  });

  it('normalizes ignore paths and matches folders only on a separator', () => {
    expect(normalizeIgnorePath('./a//b/')).toBe('a/b');
    expect(normalizeIgnorePath('/abs')).toBeUndefined();
    expect(normalizeIgnorePath('a/../b')).toBeUndefined();
    expect(normalizeIgnorePath('*.bin')).toBeUndefined();
    expect(isIgnored('ab/c', ['a'])).toBe(false);
    expect(isIgnored('a/c', ['a'])).toBe(true);
  });

  it('hashes ranges and survives sources that end early', async () => {
    const data = new TextEncoder().encode('This is a simple model');
    expect(await hashSource(bytesSource(data), 'sha256', { start: 0, end: 8 })).toBe(
      'a37010c994067764d86540bf479d93b4d0c3bb3955de7b61f951caf2fd0301b0',
    );
    const short = { size: 100, read: () => Promise.resolve(new Uint8Array(0)) };
    expect(await hashSource(short, 'sha256')).toHaveLength(64);
    expect(await hashSource(bytesSource(data), 'blake2b')).toHaveLength(128);
  });
});

describe('serializeModel on random trees (seeded fuzz)', () => {
  it('never throws and keeps resources sorted and unique', async () => {
    let seed = 0xc0ffee;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 0x1000000;
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const parts = ['a', 'b', '.git', '..', '.', '', 'a.b', 'a-b', 'x:1:2', '\uD800', 'model.sig'];
    for (let i = 0; i < 300; i++) {
      const files: Record<string, string> = {};
      const extra: ModelTreeEntry[] = [];
      for (let j = 0; j < 1 + Math.floor(next() * 8); j++) {
        const path = Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(parts)).join('/');
        if (next() < 0.7) files[path] = 'x'.repeat(Math.floor(next() * 40));
        else {
          const kind = pick(['file', 'dir', 'missing', 'other'] as const);
          const link = { text: 't', kind, isInsideModel: next() < 0.5, size: 3 };
          extra.push(
            next() < 0.5
              ? { path, kind: 'symlink', size: 0, link }
              : { path, kind: pick(['dir', 'other'] as const), size: 0 },
          );
        }
      }
      const { manifest } = await serializeModel(memoryTree(files, extra), {
        method: pick(['files', 'shards'] as const),
        shardSize: 1 + Math.floor(next() * 16),
        allowSymlinks: next() < 0.5,
        ignorePaths: [pick(parts)],
      });
      const names = manifest.resources.map((r) => r.name);
      expect(new Set(names).size).toBe(names.length);
      const paths = manifest.resources.map((r) => r.path);
      for (let k = 1; k < paths.length; k++)
        expect(comparePaths(paths[k - 1]!, paths[k]!)).toBeLessThanOrEqual(0);
    }
  });
});
