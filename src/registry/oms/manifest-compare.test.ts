import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBundle } from './bundle.js';
import { checkModel, compareManifest } from './manifest-compare.js';
import type { Manifest } from './manifest.js';
import { fsModelTree } from './model-tree.test-support.js';
import { OMS_DATA, buildFixtureModel, bundlePayload } from './model-tree-fixtures.test-support.js';
import { serializeModel } from './serialization.js';
import { verifyBundleSignature } from './signature.js';
import type { OmsTrust } from './signature.js';
import { parseStatement } from './statement-parse.js';

const SIGNED = join(OMS_DATA, 'model-transparency/scripts/tests');
const VERIFY_IGNORES = { ignorePaths: ['ignore-me'], signaturePath: 'model.sig' };
const KEYS = join(SIGNED, 'keys/certificate');

/** The trust each sample is verified with, by the method its directory name gives (see the data README). */
function sampleTrust(name: string): OmsTrust {
  if (name.endsWith('-elliptic-key'))
    return { method: 'key', publicKeys: [readFileSync(join(KEYS, 'signing-key-pub.pem'), 'utf8')] };
  if (name.endsWith('-certificate'))
    return { method: 'certificate', caCertificates: readFileSync(join(KEYS, 'ca-cert.pem'), 'utf8') };
  return {
    method: 'sigstore',
    trustedRoot: readFileSync(
      join(OMS_DATA, 'model-transparency/tests/_signing/testdata/custom_trust_config.json'),
      'utf8',
    ),
    identity: 'stefanb@us.ibm.com',
    issuer: 'https://sigstore.verify.ibm.com/oauth2',
  };
}

function signedManifest(dir: string): Manifest {
  const result = parseStatement(bundlePayload(join(dir, 'model.sig')));
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.statement.manifest;
}

/** The model path a signed sample covers: a folder, or the single file for `.` resources. */
function modelPath(dir: string, manifest: Manifest): string {
  return manifest.resources.length === 1 && manifest.resources[0]?.path === '.' ? join(dir, 'signme-1') : dir;
}

describe('every signed model_signing sample: its signature and its files verify', () => {
  const samples = readdirSync(SIGNED).filter((d) => d.startsWith('v'));

  it('covers all 13 samples', () => expect(samples).toHaveLength(13));

  for (const name of samples) {
    it(name, async () => {
      const dir = join(SIGNED, name);
      const bundle = parseBundle(new Uint8Array(readFileSync(join(dir, 'model.sig'))));
      expect(bundle.ok && verifyBundleSignature(bundle, sampleTrust(name))).toMatchObject({ ok: true });
      const expected = signedManifest(dir);
      const check = await checkModel(fsModelTree(modelPath(dir, expected)), expected, VERIFY_IGNORES);
      expect(check.differences).toEqual([]);
      expect(check.issues).toEqual([]);
    });
  }

  it('flags ignore-me as unsigned when the verifier does not ignore it (v1.0.1)', async () => {
    const dir = join(SIGNED, 'v1.0.1-elliptic-key');
    const check = await checkModel(fsModelTree(dir), signedManifest(dir), { signaturePath: 'model.sig' });
    expect(check.differences.map((d) => [d.kind, d.path])).toEqual([['unsigned-file', 'ignore-me']]);
  });

  it('honours the ignore paths recorded in a v1.1.0 payload', async () => {
    const dir = join(SIGNED, 'v1.1.0-elliptic-key');
    const check = await checkModel(fsModelTree(dir), signedManifest(dir));
    expect(check.differences).toEqual([]);
  });
});

function tamperedCopy(edit: (dir: string) => void): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'bulwark-oms-tamper-')), 'model');
  cpSync(join(SIGNED, 'v1.1.0-elliptic-key'), dir, { recursive: true });
  edit(dir);
  return dir;
}

describe('tampering gives the right difference', () => {
  const expected = signedManifest(join(SIGNED, 'v1.1.0-elliptic-key'));
  const kinds = async (dir: string, allowUnsignedFiles = false) =>
    (await checkModel(fsModelTree(dir), expected, { allowUnsignedFiles })).differences.map((d) => [
      d.kind,
      d.path,
      d.from,
    ]);

  it('one flipped byte', async () => {
    const dir = tamperedCopy((d) => {
      const bytes = readFileSync(join(d, 'signme-1'));
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      writeFileSync(join(d, 'signme-1'), bytes);
    });
    expect(await kinds(dir)).toEqual([['digest-mismatch', 'signme-1', undefined]]);
  });

  it('an added file, unless unsigned files are allowed', async () => {
    const dir = tamperedCopy((d) => writeFileSync(join(d, 'extra.bin'), 'x'));
    expect(await kinds(dir)).toEqual([['unsigned-file', 'extra.bin', undefined]]);
    expect(await kinds(dir, true)).toEqual([]);
  });

  it('a removed file', async () => {
    const dir = tamperedCopy((d) => rmSync(join(d, 'signme-2')));
    expect(await kinds(dir)).toEqual([['missing-file', 'signme-2', undefined]]);
  });

  it('a renamed file', async () => {
    const dir = tamperedCopy((d) => renameSync(join(d, 'signme-2'), join(d, 'signme-3')));
    expect(await kinds(dir)).toEqual([['renamed-file', 'signme-3', 'signme-2']]);
  });
});

describe('compareManifest with other serialization parameters', () => {
  it('reports a parameter mismatch, and checkModel re-hashes with the signed shard size', async () => {
    const tree = fsModelTree(buildFixtureModel('sample_model_folder'));
    const signed = (await serializeModel(tree, { method: 'shards', shardSize: 8 })).manifest;
    const local = (await serializeModel(tree)).manifest;
    expect(compareManifest(signed, local).map((d) => d.kind)).toEqual(['serialization-mismatch']);
    expect((await checkModel(tree, signed)).differences).toEqual([]);
  });

  it('a grown file in shard mode is a changed file, not a missing shard', async () => {
    const path = buildFixtureModel('sample_model_folder');
    const signed = (await serializeModel(fsModelTree(path), { method: 'shards', shardSize: 8 })).manifest;
    writeFileSync(join(path, 'f0'), 'This is file f0 in root, grown.');
    const check = await checkModel(fsModelTree(path), signed);
    expect(check.differences.map((d) => [d.kind, d.path])).toEqual([['digest-mismatch', 'f0']]);
  });
});
