import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from './support/run-cli.js';

const REPO = resolve(import.meta.dirname, '..');

describe('bulwark CLI', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bw-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function run(args: string[], env: Record<string, string> = {}, cwd = dir): Promise<CliRun> {
    return runCli(args, cwd, { BULWARK_HOME: join(dir, '.bulwark'), ...env });
  }

  it('describes every verb and option in --help', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    for (const verb of [
      'scan',
      'sign',
      'verify',
      'registry',
      'deploy',
      'keys',
      'attest',
      'audit',
      'encrypt',
      'decrypt',
      'bom',
      'rules',
    ])
      expect(top.stdout).toContain(verb);
    for (const args of [
      ['scan'],
      ['scan', 'model'],
      ['scan', 'deps'],
      ['keys', 'generate'],
      ['attest', 'create'],
      ['attest', 'training'],
      ['sign'],
      ['verify'],
      ['registry', 'push'],
      ['registry', 'list'],
      ['registry', 'show'],
      ['registry', 'promote'],
      ['registry', 'lineage'],
      ['deploy', 'check'],
      ['encrypt'],
      ['decrypt'],
      ['keys', 'generate-encryption-key'],
      ['bom'],
      ['data', 'manifest'],
      ['data', 'verify'],
      ['data', 'compare'],
      ['data', 'label'],
      ['data', 'admit'],
      ['scan', 'data'],
      ['redact'],
      ['unredact'],
      ['lineage', 'record'],
      ['lineage', 'ingest'],
      ['lineage', 'export'],
      ['lineage', 'show'],
      ['attest', 'verify'],
      ['audit', 'verify'],
      ['audit', 'proof'],
      ['audit', 'export'],
    ]) {
      const help = await run([...args, '--help']);
      expect(help.code, args.join(' ')).toBe(0);
      expect(help.stdout).toMatch(/Usage: bulwark/);
      expect(help.stdout).toContain('Options:');
    }
  });

  it('gives exit 2 and one line for usage and input errors', async () => {
    for (const args of [
      ['scan', 'no-such-path'],
      ['scan', '.', '--fail-on', 'severe'],
      ['frobnicate'],
      ['attest', 'verify', 'missing.json', '--key', 'missing.pub'],
      ['audit', 'proof'],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(/^bulwark: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('names the key and line of a bad bulwark.yaml', async () => {
    writeFileSync(join(dir, 'bulwark.yaml'), 'version: 1\nscan:\n  maxDepht: 3\n');
    const r = await run(['scan', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bulwark\.yaml:3:\d+: scan\.maxDepht/);
  });

  it('scans the examples, gates on --fail-on and writes JSON that validates against its schema', async () => {
    const gate = await run(['scan', join(REPO, 'examples'), '--fail-on', 'high', '--no-store']);
    expect(gate.code).toBe(1);
    expect(gate.stdout).toContain('BW-FILE-006');
    const pass = await run([
      'scan',
      join(REPO, 'examples'),
      '--fail-on',
      'critical',
      '--format',
      'json',
      '--output',
      'r.json',
    ]);
    expect(pass.code).toBe(0);
    const report: unknown = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const schema: unknown = JSON.parse(readFileSync(join(REPO, 'docs/schema/report.schema.json'), 'utf8'));
    expect(ajv.validate(schema as object, report), JSON.stringify(ajv.errors)).toBe(true);
    const verify = await run(['audit', 'verify', '--format', 'json']);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, size: 1 });
  });

  it('generates keys with private files at mode 0600, signs, stores, verifies and logs attestations', async () => {
    const gen = await run(['keys', 'generate', '--out', 'k/release', '--passphrase-env', 'PASS'], {
      PASS: 'correct horse',
    });
    expect(gen.code).toBe(0);
    expect(statSync(join(dir, 'k/release.key')).mode & 0o777).toBe(0o600);
    expect((await run(['keys', 'generate', '--out', 'k/release'])).code).toBe(2);
    await run(['keys', 'generate', '--out', 'k/other', '--algorithm', 'ecdsa-p256']);
    writeFileSync(join(dir, 'model.bin'), 'weights');
    writeFileSync(join(dir, 'eval.json'), '{"accuracy":0.91}');
    const createArgs = [
      'attest',
      'create',
      '-s',
      'model.bin',
      '-t',
      'https://example.com/eval/v1',
      '-p',
      'eval.json',
      '-k',
      'k/release.key',
      '--passphrase-env',
      'PASS',
    ];
    const create = await run([...createArgs, '-o', 'eval.dsse.json'], { PASS: 'correct horse' });
    expect(create.code, create.stderr).toBe(0);
    const wrongPass = await run(createArgs, { PASS: 'wrong' });
    expect(wrongPass.code).toBe(2);
    expect((await run(['attest', 'verify', '--subject', 'model.bin', '--key', 'k/release.pub'])).code).toBe(
      0,
    );
    expect((await run(['attest', 'verify', 'eval.dsse.json', '--key', 'k/release.pub'])).code).toBe(0);
    const wrongKey = await run(['attest', 'verify', 'eval.dsse.json', '--key', 'k/other.pub']);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toContain('unknown-key');
    writeFileSync(join(dir, 'model.bin'), 'other weights');
    expect(
      (await run(['attest', 'verify', 'eval.dsse.json', '--subject', 'model.bin', '--key', 'k/release.pub']))
        .code,
    ).toBe(1);
    const list = await run(['attest', 'list', '--format', 'json']);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
    const exported = await run(['audit', 'export', '--format', 'ocsf']);
    const event = JSON.parse(exported.stdout.trim().split('\n')[0]!) as Record<string, unknown>;
    expect(event).toMatchObject({ class_uid: 2003, category_uid: 2, type_uid: 200301 });
    const proof = await run(['audit', 'proof', '--entry', '0']);
    expect(JSON.parse(proof.stdout)).toMatchObject({ type: 'inclusion', leafIndex: 0, treeSize: 1 });
    const checkpoint = await run(['audit', 'checkpoint']);
    expect(checkpoint.stdout).toMatch(/^bulwark\.local\/audit\n1\n/);
  });

  it('applies rule settings from bulwark.yaml and refuses unknown rule ids', async () => {
    writeFileSync(join(dir, 'bulwark.yaml'), 'rules:\n  BW-FILE-006: { severity: low }\n');
    const lowered = await run(['scan', join(REPO, 'examples'), '--no-store', '--format', 'json']);
    expect(lowered.code).toBe(0);
    const disguise = (out: string) =>
      (JSON.parse(out) as { findings: { ruleId: string; severity: string }[] }).findings.filter(
        (f) => f.ruleId === 'BW-FILE-006',
      );
    expect(disguise(lowered.stdout).map((f) => f.severity)).toEqual(['low']);
    writeFileSync(
      join(dir, 'bulwark.yaml'),
      'rules:\n  BW-FILE-006: { enabled: false }\n  BW-PICKLE-002: { enabled: false }\n' +
        '  BW-DEP-002: { enabled: false }\n',
    );
    const off = await run([
      'scan',
      join(REPO, 'examples'),
      '--no-store',
      '--format',
      'json',
      '--fail-on',
      'info',
    ]);
    expect(disguise(off.stdout)).toEqual([]);
    expect(off.code).toBe(0);
    writeFileSync(join(dir, 'bulwark.yaml'), 'rules:\n  BW-NOPE-001: { enabled: false }\n');
    const unknown = await run(['scan', '.']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/bulwark\.yaml:2:3: rules\.BW-NOPE-001: unknown rule id/);
  });

  it('writes SARIF with --output and keeps stdout clean', async () => {
    const r = await run([
      'scan',
      join(REPO, 'examples'),
      '--format',
      'sarif',
      '--output',
      'out.sarif',
      '--fail-on',
      'none',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const sarif = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8')) as {
      version: string;
      runs: { results: { ruleId: string }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results.map((r) => r.ruleId).sort()).toEqual([
      'BW-DEP-002',
      'BW-FILE-006',
      'BW-PICKLE-002',
    ]);
  });

  it('runs one stage with `scan model` and `scan deps`, with its options from bulwark.yaml', async () => {
    const ids = (out: string) =>
      (JSON.parse(out) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId).sort();
    const examples = join(REPO, 'examples');
    const model = await run(['scan', 'model', examples, '--no-store', '--format', 'json']);
    expect(model.code).toBe(1);
    expect(ids(model.stdout)).toEqual(['BW-FILE-006', 'BW-PICKLE-002']);
    const deps = await run(['scan', 'deps', examples, '--no-store', '--format', 'json']);
    expect(deps.code).toBe(1);
    expect(ids(deps.stdout)).toEqual(['BW-DEP-002', 'BW-FILE-006']);
    writeFileSync(join(dir, 'bulwark.yaml'), 'scanners:\n  model:\n    allow: ["builtins:print"]\n');
    const allowed = await run(['scan', 'model', examples, '--no-store', '--format', 'json']);
    expect(ids(allowed.stdout)).toEqual(['BW-FILE-006']);
    writeFileSync(join(dir, 'bulwark.yaml'), 'scanners:\n  model:\n    allow: ["builtins.print"]\n');
    const bad = await run(['scan', 'model', examples, '--no-store']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^bulwark: bulwark\.yaml:3:\d+: scanners\.model\.allow\[0\]: expected `module:qualname`/,
    );
  });
});

describe('version', () => {
  it('matches package.json', async () => {
    const { VERSION } = await import('../src/version.js');
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
