import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATASET_ADMISSION_PREDICATE } from '../src/core/predicate-types.js';
import { maliciousPickle, writeKeyPair, writeModel } from './support/model-fixtures.js';
import { runCli, type CliRun } from './support/run-cli.js';

const DATASET = `sha256:${'ab'.repeat(32)}`;

const POLICY = `
release:
  policies:
    - aliases: [production]
      attesters: [release.pub]
      signature: { keys: [release.pub] }
      scan: { failOn: critical }
      datasets: { requireProvenance: true, requireAdmission: true }
    - aliases: [staging]
      signature: { keys: [release.pub] }
      scan: { failOn: critical }
`;

describe('registry: push, promote under the release policy, deploy check, lineage', () => {
  let dir: string;
  const cli = (args: string[], env: Record<string, string> = {}): Promise<CliRun> => runCli(args, dir, env);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bw-registry-'));
    writeKeyPair(dir, 'release');
    writeKeyPair(dir, 'intruder');
    writeFileSync(join(dir, 'bulwark.yaml'), POLICY);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function pushSigned(version: string, key = 'release.key'): Promise<string> {
    const model = writeModel(dir, `model-${version}`);
    expect((await cli(['sign', model, '--key', key])).code).toBe(0);
    const pushed = await cli(['registry', 'push', model, '--name', 'acme/sentiment', '--version', version]);
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    return model;
  }

  async function provenanceAndAdmission(version: string, admit: boolean): Promise<void> {
    const training = await cli([
      'attest',
      'training',
      '--model',
      `acme/sentiment@${version}`,
      '--dataset',
      `reviews=${DATASET}`,
      '--code-commit',
      'a'.repeat(40),
      '--key',
      'release.key',
    ]);
    expect(training.stderr).toBe('');
    expect(training.code).toBe(0);
    if (!admit) return;
    writeFileSync(join(dir, 'admission.json'), JSON.stringify({ verdict: 'admitted', approver: 'data-gov' }));
    const admission = await cli([
      'attest',
      'create',
      '--subject',
      DATASET,
      '--predicate-type',
      DATASET_ADMISSION_PREDICATE,
      '--predicate',
      'admission.json',
      '--key',
      'release.key',
    ]);
    expect(admission.code).toBe(0);
  }

  async function promote(version: string, alias = 'production'): Promise<CliRun> {
    return cli(['registry', 'promote', `acme/sentiment@${version}`, '--alias', alias]);
  }

  it('allows a signed, clean, admitted model and records the decision; deploy check passes', async () => {
    await pushSigned('1.0.0');
    await provenanceAndAdmission('1.0.0', true);
    const allowed = await promote('1.0.0');
    expect(allowed.stdout).toMatch(/^ALLOWED {2}promote acme\/sentiment@1\.0\.0 → production/);
    expect(allowed.stdout).not.toContain('UNMET');
    expect(allowed.code).toBe(0);
    const listed = await cli(['registry', 'list', '--format', 'json']);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { name: 'acme/sentiment', version: '1.0.0', aliases: ['production'] },
    ]);
    const deploy = await cli(['deploy', 'check', 'acme/sentiment@production']);
    expect(deploy.code).toBe(0);
    const lineage = await cli(['registry', 'lineage', 'acme/sentiment@production']);
    expect(lineage.stdout).toMatch(/dataset +reviews sha256:(ab){32} {2}\(admission admitted\)/);
    expect(lineage.stdout).toContain(`code`);
    const audit = await cli(['audit', 'verify']);
    expect(audit.code).toBe(0);
    const log = await cli(['audit', 'export']);
    expect(log.stdout).toContain('"action":"promote"');
  });

  it('refuses an unsigned model', async () => {
    const model = writeModel(dir);
    expect((await cli(['registry', 'push', model, '--name', 'acme/sentiment', '--version', '1'])).code).toBe(
      0,
    );
    await provenanceAndAdmission('1', true);
    const refused = await promote('1');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/REFUSED/);
    expect(refused.stdout).toMatch(/UNMET {2}signature: .*no OMS signature/i);
    const show = await cli(['registry', 'show', 'acme/sentiment@1', '--format', 'json']);
    expect(JSON.parse(show.stdout)).toMatchObject({ aliases: [] });
  });

  it('refuses a signature by an untrusted key', async () => {
    await pushSigned('1', 'intruder.key');
    await provenanceAndAdmission('1', true);
    const refused = await promote('1');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/UNMET {2}signature: /);
    expect(refused.stdout).toMatch(/no signature verifies with a trusted key|not a trusted key|untrusted/i);
  });

  it('refuses bytes changed after signing, before the push and in the blob store after it', async () => {
    const model = writeModel(dir);
    expect((await cli(['sign', model, '--key', 'release.key'])).code).toBe(0);
    writeFileSync(join(model, 'config.json'), '{"architectures":["Evil"]}\n');
    expect((await cli(['registry', 'push', model, '--name', 'acme/sentiment', '--version', '1'])).code).toBe(
      0,
    );
    await provenanceAndAdmission('1', true);
    const before = await promote('1');
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/UNMET {2}signature: .*config\.json/);

    await pushSigned('2');
    await provenanceAndAdmission('2', true);
    expect((await promote('2')).code).toBe(0);
    // Someone edits a stored blob on disk: the deploy check re-hashes the stored bytes.
    const show = await cli(['registry', 'show', 'acme/sentiment@2', '--format', 'json']);
    const files = (JSON.parse(show.stdout) as { files: { path: string; digest: string }[] }).files;
    const weights = files.find((f) => f.path === 'weights.bin')?.digest.slice(7) ?? '';
    const shard = join(dir, '.bulwark', 'blobs', 'sha256', weights.slice(0, 2), weights.slice(2));
    chmodSync(shard, 0o644);
    const bytes = readFileSync(shard);
    bytes[1000] = (bytes[1000] ?? 0) ^ 1;
    writeFileSync(shard, bytes);
    const deploy = await cli(['deploy', 'check', 'acme/sentiment@production']);
    expect(deploy.code).toBe(1);
    expect(deploy.stdout).toMatch(/REFUSED/);
    expect(deploy.stdout).toMatch(/UNMET {2}signature: /);
  });

  it('refuses a model whose scan has a critical finding', async () => {
    const model = writeModel(dir);
    writeFileSync(join(model, 'extra.pkl'), maliciousPickle());
    expect((await cli(['sign', model, '--key', 'release.key'])).code).toBe(0);
    expect((await cli(['registry', 'push', model, '--name', 'acme/sentiment', '--version', '1'])).code).toBe(
      0,
    );
    await provenanceAndAdmission('1', true);
    const refused = await promote('1');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/UNMET {2}scan: .*critical/);
    expect(refused.stdout).toMatch(/met {4}signature/);
  });

  it('refuses a model trained on a dataset without admission', async () => {
    await pushSigned('1');
    await provenanceAndAdmission('1', false);
    const refused = await promote('1');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/UNMET {2}dataset-admission: .*(ab){32}/);
  });

  it('refuses an alias no policy names (default deny) and a model without provenance', async () => {
    await pushSigned('1');
    const unknown = await promote('1', 'prod');
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/release\.defaultPolicy/);
    const noProvenance = await promote('1');
    expect(noProvenance.code).toBe(1);
    expect(noProvenance.stdout).toMatch(/UNMET {2}provenance/);
    expect((await promote('1', 'staging')).code).toBe(0);
  });

  it('keeps versions immutable and flags look-alike names', async () => {
    const model = await pushSigned('1');
    writeFileSync(join(model, 'weights.bin'), randomBytes(10));
    const again = await cli(['registry', 'push', model, '--name', 'acme/sentiment', '--version', '1']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /^bulwark: acme\/sentiment@1 is already pushed with sha256:[0-9a-f]{64}; .*versions are immutable/,
    );
    const lookalike = await cli(['registry', 'push', model, '--name', 'acme/sentimnet', '--version', '1']);
    expect(lookalike.code).toBe(0);
    expect(lookalike.stderr).toMatch(/warning: look-alike name: acme\/sentimnet resembles acme\/sentiment/);
    const show = await cli(['registry', 'show', 'acme/sentimnet@1']);
    expect(show.stdout).toMatch(/look-alike +of acme\/sentiment/);
  });

  it('stores blobs encrypted at rest when configured and still verifies the signature', async () => {
    const key = randomBytes(32).toString('base64');
    writeFileSync(join(dir, 'bulwark.yaml'), `${POLICY}\nregistry:\n  encryption: { keyEnv: MODEL_KEY }\n`);
    const model = writeModel(dir);
    expect((await cli(['sign', model, '--key', 'release.key'])).code).toBe(0);
    const pushed = await cli(['registry', 'push', model, '--name', 'acme/sentiment', '--version', '1'], {
      MODEL_KEY: key,
    });
    expect(pushed.stdout).toContain('encrypted at rest');
    const stored = readdirSync(join(dir, '.bulwark', 'blobs', 'sha256'), { recursive: true }).map(String);
    expect(stored.filter((f) => f.endsWith('.bwenc'))).toHaveLength(2);
    const weights = readFileSync(join(model, 'weights.bin'));
    for (const file of stored.filter((f) => f.endsWith('.bwenc'))) {
      const blob = readFileSync(join(dir, '.bulwark', 'blobs', 'sha256', file));
      expect(blob.includes(weights.subarray(0, 64))).toBe(false);
    }
    const staging = await cli(['registry', 'promote', 'acme/sentiment@1', '--alias', 'staging'], {
      MODEL_KEY: key,
    });
    expect(staging.stdout).toMatch(/met {4}signature/);
    expect(staging.code).toBe(0);
    const noKey = await cli(['registry', 'promote', 'acme/sentiment@1', '--alias', 'staging']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/^bulwark: registry\.encryption\.keyEnv: MODEL_KEY is not set\n$/);
  });

  it('bad references are one line and exit 2', async () => {
    for (const args of [
      ['registry', 'promote', 'nope', '--alias', 'production'],
      ['registry', 'promote', 'acme/x@1', '--alias', 'production'],
      ['registry', 'show', 'acme/x@1'],
      ['deploy', 'check', 'acme/x@production'],
      ['registry', 'push', 'missing', '--name', 'a', '--version', '1'],
      ['registry', 'push', '.', '--name', '../evil', '--version', '1'],
    ]) {
      const run = await cli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
