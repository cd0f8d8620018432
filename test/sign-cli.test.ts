import * as fs from 'node:fs';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  OMS_DATA,
  omsFixtures,
  SAMPLE_KEYS,
  SAMPLE_MODELS,
} from '../src/registry/oms/bundle.test-support.js';
import { writeKeyPair } from './support/model-fixtures.js';
import { runCli } from './support/run-cli.js';

const fixtures = omsFixtures(fs);
const TRUST_CONFIG = join(OMS_DATA, 'model-transparency/tests/_signing/testdata/custom_trust_config.json');
const SIGSTORE_IDENTITY = [
  '--identity',
  'stefanb@us.ibm.com',
  '--issuer',
  'https://sigstore.verify.ibm.com/oauth2',
];

/** The trust flags that verify each upstream sample, by its method suffix. */
function sampleTrust(name: string): string[] {
  if (name.endsWith('-elliptic-key')) return ['--key', join(SAMPLE_KEYS, 'signing-key-pub.pem')];
  if (name.endsWith('-certificate')) return ['--certificate', join(SAMPLE_KEYS, 'ca-cert.pem')];
  return ['--trusted-root', TRUST_CONFIG, ...SIGSTORE_IDENTITY];
}

/** The model argument of a sample: elliptic-key samples before v1.0.1 sign the single file signme-1. */
function sampleModel(dir: string, name: string): string {
  return /^v(0\.3\.1|1\.0\.0)-elliptic-key$/.test(name) ? join(dir, 'signme-1') : dir;
}

function writeModel(root: string): string {
  const model = join(root, 'model');
  mkdirSync(join(model, 'tokenizer'), { recursive: true });
  writeFileSync(join(model, 'config.json'), '{"architectures":["BertModel"]}\n');
  writeFileSync(join(model, 'weights.safetensors'), Buffer.alloc(70_000, 7));
  writeFileSync(join(model, 'tokenizer', 'vocab.txt'), 'hello\nworld\n');
  return model;
}

describe('bulwark verify: every upstream sample bundle (model_signing v0.2.0 to v1.1.0)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bw-oms-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const samples = [
    ...fixtures.sampleModels('-elliptic-key'),
    ...fixtures.sampleModels('-certificate'),
    ...fixtures.sampleModels('-sigstore'),
  ];

  it('knows all 13 samples', () => expect(samples).toHaveLength(13));

  it.each(samples)('%s verifies with its key, CA or identity', async (name) => {
    const sample = join(SAMPLE_MODELS, name);
    const run = await runCli(
      [
        'verify',
        sampleModel(sample, name),
        '--signature',
        join(sample, 'model.sig'),
        '--ignore-paths',
        'ignore-me',
        ...sampleTrust(name),
      ],
      dir,
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^verified {2}/);
    expect(run.code).toBe(0);
  });

  it.each(samples)('%s fails once a signed byte changes', async (name) => {
    const copy = join(dir, name);
    cpSync(join(SAMPLE_MODELS, name), copy, { recursive: true });
    const target = join(copy, 'signme-1');
    const bytes = readFileSync(target);
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    writeFileSync(target, bytes);
    const run = await runCli(
      [
        'verify',
        sampleModel(copy, name),
        '--signature',
        join(copy, 'model.sig'),
        '--ignore-paths',
        'ignore-me',
        ...sampleTrust(name),
      ],
      dir,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAILED.*\n.*(signme-1|\.): .*does not match its signed digest/);
  });

  it('v1.0.1 fails when the unsigned extra file is not ignored, and passes with --ignore-unsigned-files', async () => {
    const sample = join(SAMPLE_MODELS, 'v1.0.1-elliptic-key');
    const trust = sampleTrust('v1.0.1-elliptic-key');
    const strict = await runCli(['verify', sample, ...trust], dir);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain("'ignore-me' is not covered by the signature");
    const lax = await runCli(['verify', sample, '--ignore-unsigned-files', ...trust], dir);
    expect(lax.code).toBe(0);
  });

  it('a bundle from the wrong method or an untrusted key fails with a reason', async () => {
    const sample = join(SAMPLE_MODELS, 'v1.1.0-certificate');
    const wrongMethod = await runCli(['verify', sample, ...sampleTrust('v1.1.0-elliptic-key')], dir);
    expect(wrongMethod.code).toBe(1);
    expect(wrongMethod.stdout).toMatch(/signature +the bundle is signed with a certificate chain/);
    writeKeyPair(dir, 'other', 'P-384');
    const other = join(SAMPLE_MODELS, 'v1.1.0-elliptic-key');
    const untrusted = await runCli(['verify', other, '--key', join(dir, 'other.pub')], dir);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout).toMatch(/signature +no signature verifies with a trusted key/);
  });
});

describe('bulwark sign and verify', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bw-sign-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['P-256', 'ec', 'P-256'],
    ['P-384', 'ec', 'P-384'],
    ['P-521', 'ec', 'P-521'],
    ['Ed25519', 'ed25519', undefined],
  ] as const)(
    'signs and verifies with %s, writing a bundle the OMS schemas accept',
    async (_name, type, curve) => {
      writeKeyPair(dir, 'release', type === 'ec' ? curve : undefined);
      const model = writeModel(dir);
      const signed = await runCli(['sign', model, '--key', 'release.key'], dir);
      expect(signed.stderr).toBe('');
      expect(signed.code).toBe(0);
      expect(signed.stdout).toMatch(/signed 3 file\(s\) \(70044 bytes\)/);
      const bundleText = readFileSync(join(model, 'model.sig'), 'utf8');
      const bundle = JSON.parse(bundleText) as { dsseEnvelope: { payload: string } };
      const schemas = fixtures.schemas();
      expect(schemas.bundle(bundle)).toEqual([]);
      expect(
        schemas.statement(JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString())),
      ).toEqual([]);
      const verified = await runCli(['verify', model, '--key', 'release.pub', '--format', 'json'], dir);
      expect(verified.code).toBe(0);
      const result = JSON.parse(verified.stdout) as { ok: boolean; resources: number; rootDigest: string };
      expect(result).toMatchObject({ ok: true, resources: 3 });
      expect(signed.stdout).toContain(result.rootDigest);
    },
  );

  it('signs with the certificate method and verifies against the CA', async () => {
    const model = writeModel(dir);
    writeFileSync(
      join(dir, 'chain.pem'),
      fixtures.readKey('signing-key-cert.pem') + fixtures.readKey('int-ca-cert.pem'),
    );
    const signed = await runCli(
      ['sign', model, '--key', join(SAMPLE_KEYS, 'signing-key.pem'), '--certificate-chain', 'chain.pem'],
      dir,
    );
    expect(signed.code).toBe(0);
    const bundle = JSON.parse(readFileSync(join(model, 'model.sig'), 'utf8')) as {
      verificationMaterial: Record<string, unknown>;
    };
    expect(Object.keys(bundle.verificationMaterial).sort()).toEqual(['tlogEntries', 'x509CertificateChain']);
    expect(fixtures.schemas().bundle(bundle)).toEqual([]);
    const verified = await runCli(['verify', model, '--certificate', join(SAMPLE_KEYS, 'ca-cert.pem')], dir);
    expect(verified.stdout).toContain('(certificate method)');
    expect(verified.code).toBe(0);
  });

  it('signs shards and a single file (bundle next to it)', async () => {
    writeKeyPair(dir, 'k', 'P-256');
    const model = writeModel(dir);
    const shards = await runCli(
      ['sign', model, '--key', 'k.key', '--method', 'shards', '--shard-size', '16KiB'],
      dir,
    );
    expect(shards.stdout).toMatch(/signed 7 shard\(s\)/);
    expect((await runCli(['verify', model, '--key', 'k.pub'], dir)).code).toBe(0);
    const single = join(model, 'weights.safetensors');
    expect((await runCli(['sign', single, '--key', 'k.key'], dir)).code).toBe(0);
    expect(fs.existsSync(`${single}.sig`)).toBe(true);
    expect((await runCli(['verify', single, '--key', 'k.pub'], dir)).code).toBe(0);
  });

  describe('tampering makes verify exit 1 with a reason', () => {
    let model: string;
    beforeEach(async () => {
      writeKeyPair(dir, 'k', 'P-384');
      model = writeModel(dir);
      expect((await runCli(['sign', model, '--key', 'k.key'], dir)).code).toBe(0);
    });

    async function verifyFails(pattern: RegExp, extra: string[] = []): Promise<void> {
      const run = await runCli(['verify', model, '--key', 'k.pub', ...extra], dir);
      expect(run.stdout).toMatch(pattern);
      expect(run.code).toBe(1);
    }

    it('one flipped byte', async () => {
      const path = join(model, 'weights.safetensors');
      const bytes = readFileSync(path);
      bytes[40_000] = (bytes[40_000] ?? 0) ^ 0x80;
      writeFileSync(path, bytes);
      await verifyFails(/weights\.safetensors: .*(digest|changed)/i);
    });

    it('an added file', async () => {
      writeFileSync(join(model, 'tokenizer', 'extra.py'), 'import os\n');
      await verifyFails(/'tokenizer\/extra\.py' is not covered by the signature/);
    });

    it('a removed file', async () => {
      unlinkSync(join(model, 'config.json'));
      await verifyFails(/config\.json: signed file 'config\.json' is missing/);
    });

    it('a renamed file', async () => {
      renameSync(join(model, 'tokenizer', 'vocab.txt'), join(model, 'tokenizer', 'vocab2.txt'));
      await verifyFails(/signed file 'tokenizer\/vocab\.txt' was renamed to 'tokenizer\/vocab2\.txt'/);
    });

    it("another model's signature", async () => {
      const other = join(dir, 'other');
      mkdirSync(other);
      writeFileSync(join(other, 'config.json'), '{"architectures":["GPT2"]}\n');
      expect((await runCli(['sign', other, '--key', 'k.key'], dir)).code).toBe(0);
      await verifyFails(/FAILED/, ['--signature', join(other, 'model.sig')]);
    });

    it('an edited payload (re-encoded statement) fails the signature', async () => {
      const path = join(model, 'model.sig');
      const bundle = JSON.parse(readFileSync(path, 'utf8')) as { dsseEnvelope: { payload: string } };
      const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString()) as unknown;
      bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
      writeFileSync(path, JSON.stringify(bundle));
      await verifyFails(/signature +the signature does not verify/);
    });
  });

  it('bad input is one line and exit 2', async () => {
    writeKeyPair(dir, 'k', 'P-256');
    const model = writeModel(dir);
    const cases: [string[], RegExp][] = [
      [['sign', 'missing', '--key', 'k.key'], /^bulwark: no such model: missing\n$/],
      [['sign', model, '--key', 'k.pub'], /^bulwark: not a PEM private key/],
      [['verify', model, '--key', 'k.pub'], /^bulwark: no such signature file: /],
      [['verify', model], /^bulwark: give the trust to verify against/],
      [
        ['verify', model, '--key', 'k.pub', '--certificate', 'k.pub'],
        /^bulwark: give only one kind of trust/,
      ],
      [
        ['verify', model, '--trusted-root', 'x.json'],
        /^bulwark: --trusted-root needs --identity and --issuer/,
      ],
      [
        ['sign', model, '--key', 'k.key', '--shard-size', '10'],
        /^bulwark: --shard-size needs --method shards/,
      ],
    ];
    for (const [args, pattern] of cases) {
      const run = await runCli(args, dir);
      expect(run.stderr, args.join(' ')).toMatch(pattern);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.code).toBe(2);
    }
    writeFileSync(join(model, 'model.sig'), 'not json');
    const garbage = await runCli(['verify', model, '--key', 'k.pub'], dir);
    expect(garbage.code).toBe(1);
    expect(garbage.stdout).toMatch(/bundle +/);
  });
});
