import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from './support/run-cli.js';

describe('bulwark encrypt / decrypt', () => {
  let dir: string;
  let model: Buffer;
  let keyText: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bw-encrypt-'));
    model = randomBytes(2 * 1024 * 1024 + 333);
    writeFileSync(join(dir, 'model.bin'), model);
    const made = await run('keys', 'generate-encryption-key', '-o', 'data.key');
    expect(made.code).toBe(0);
    keyText = readFileSync(join(dir, 'data.key'), 'utf8').trim();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]): Promise<CliRun> => runCli(args, dir);
  const at = (...parts: string[]): string => join(dir, ...parts);
  /** Files in the test folder other than the evidence folder, to show nothing was left behind. */
  const listing = (): string[] =>
    readdirSync(dir)
      .filter((name) => name !== '.bulwark')
      .sort();

  async function encrypted(): Promise<Buffer> {
    expect((await run('encrypt', 'model.bin', '--key-file', 'data.key')).code).toBe(0);
    return readFileSync(at('model.bin.bwenc'));
  }

  /** Decrypts `file` and asserts exit 1 with one line naming the problem, and no output anywhere. */
  async function expectRejected(file: string, args: string[] = ['--key-file', 'data.key']): Promise<string> {
    const before = listing();
    const result = await run('decrypt', file, '-o', 'restored.bin', ...args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^bulwark: decryption failed: .+\n$/);
    expect(result.stdout).toBe('');
    expect(existsSync(at('restored.bin'))).toBe(false);
    expect(listing()).toEqual(before);
    return result.stderr;
  }

  it('keys generate-encryption-key writes a private base64 key and refuses to overwrite it', async () => {
    expect(Buffer.from(keyText, 'base64')).toHaveLength(32);
    expect(statSync(at('data.key')).mode & 0o777).toBe(0o600);
    const again = await run('keys', 'generate-encryption-key', '-o', 'data.key');
    expect(again.code).toBe(2);
    expect(readFileSync(at('data.key'), 'utf8').trim()).toBe(keyText);
  });

  it('round-trips with a key file, keeping the file mode, and logs both without key material', async () => {
    chmodSync(at('model.bin'), 0o640);
    const sealed = await run('encrypt', 'model.bin', '--key-file', 'data.key');
    expect(sealed.code).toBe(0);
    expect(sealed.stdout).toMatch(
      /^encrypted model\.bin -> model\.bin\.bwenc: 2097485 bytes, sha256:[0-9a-f]{64} \(key local:[0-9a-f]{16}\)\n$/,
    );
    const ciphertext = readFileSync(at('model.bin.bwenc'));
    expect(ciphertext.includes(model.subarray(0, 64))).toBe(false);
    expect(statSync(at('model.bin.bwenc')).mode & 0o777).toBe(0o640);

    rmSync(at('model.bin'));
    const opened = await run('decrypt', 'model.bin.bwenc', '--key-file', 'data.key');
    expect(opened.code).toBe(0);
    expect(readFileSync(at('model.bin')).equals(model)).toBe(true);
    expect(statSync(at('model.bin')).mode & 0o777).toBe(0o640);

    const log = await run('audit', 'export');
    const entries = log.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; data: Record<string, unknown> });
    const actions = entries.filter((e) => e.data['event'] === 'encryption').map((e) => e.data['action']);
    expect(actions).toEqual(['encrypt', 'decrypt']);
    const digest = `sha256:${createHash('sha256').update(model).digest('hex')}`;
    for (const entry of entries) expect(entry.data['plaintextDigest']).toBe(digest);
    expect(log.stdout).not.toContain(keyText);
    expect(log.stdout).not.toContain(Buffer.from(keyText, 'base64').toString('hex'));
  });

  it('round-trips with a key in an environment variable, interchangeable with the key file', async () => {
    await encrypted();
    const viaEnv = await runCli(
      ['decrypt', 'model.bin.bwenc', '-o', 'from-env.bin', '--key-env', 'MODEL_KEY'],
      dir,
      {
        MODEL_KEY: keyText,
      },
    );
    expect(viaEnv.code).toBe(0);
    expect(readFileSync(at('from-env.bin')).equals(model)).toBe(true);
    const sealed = await runCli(['encrypt', 'model.bin', '-o', 'env.bwenc', '--key-env', 'MODEL_KEY'], dir, {
      MODEL_KEY: keyText,
    });
    expect(sealed.code).toBe(0);
    expect((await run('decrypt', 'env.bwenc', '-o', 'back.bin', '--key-file', 'data.key')).code).toBe(0);
    expect(readFileSync(at('back.bin')).equals(model)).toBe(true);
  });

  it('fails a wrong key with exit 1, a reason, no output, and a logged failure', async () => {
    await encrypted();
    writeFileSync(at('other.key'), randomBytes(32).toString('base64'));
    const stderr = await expectRejected('model.bin.bwenc', ['--key-file', 'other.key']);
    expect(stderr).toMatch(/needs key local:[0-9a-f]{16}, the key given is local:[0-9a-f]{16}/);
    const log = await run('audit', 'export');
    expect(log.stdout).toMatch(/"action":"decrypt","event":"encryption".*"outcome":"failed"/);
  });

  it.each([
    [
      'a body byte',
      (bytes: Buffer) => void (bytes[bytes.length - 5000] = (bytes[bytes.length - 5000] ?? 0) ^ 1),
    ],
    [
      'the last tag byte',
      (bytes: Buffer) => void (bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x80),
    ],
    ['a wrapped-key byte', (bytes: Buffer) => void (bytes[90] = (bytes[90] ?? 0) ^ 1)],
    ['the chunk size', (bytes: Buffer) => void (bytes[12] = (bytes[12] ?? 0) ^ 1)],
  ])('fails a file with %s modified with exit 1 and no output', async (_what, tamper) => {
    const bytes = await encrypted();
    tamper(bytes);
    writeFileSync(at('model.bin.bwenc'), bytes);
    await expectRejected('model.bin.bwenc');
  });

  it.each([
    ['cut inside the body', (size: number) => size - 20_000],
    ['cut by one byte', (size: number) => size - 1],
    ['cut inside the header', () => 40],
  ])('fails a file %s with exit 1 and no output', async (_what, newSize) => {
    const bytes = await encrypted();
    truncateSync(at('model.bin.bwenc'), newSize(bytes.length));
    await expectRejected('model.bin.bwenc');
  });

  it('fails a file with bytes appended', async () => {
    const bytes = await encrypted();
    writeFileSync(at('model.bin.bwenc'), Buffer.concat([bytes, Buffer.alloc(100)]));
    await expectRejected('model.bin.bwenc');
  });

  it('refuses to overwrite an output without --force, then replaces it with --force', async () => {
    await encrypted();
    writeFileSync(at('model.bin.bwenc'), 'keep me');
    const refused = await run('encrypt', 'model.bin', '--key-file', 'data.key');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('bulwark: model.bin.bwenc exists: use --force to replace it\n');
    expect(readFileSync(at('model.bin.bwenc'), 'utf8')).toBe('keep me');
    expect((await run('encrypt', 'model.bin', '--key-file', 'data.key', '--force')).code).toBe(0);
    writeFileSync(at('model.bin'), 'old');
    expect((await run('decrypt', 'model.bin.bwenc', '--key-file', 'data.key')).code).toBe(2);
    expect((await run('decrypt', 'model.bin.bwenc', '--key-file', 'data.key', '-f')).code).toBe(0);
    expect(readFileSync(at('model.bin')).equals(model)).toBe(true);
  });

  it.each([
    [['encrypt', 'model.bin'], /^bulwark: a key is needed: --key-file FILE or --key-env VAR/],
    [
      ['encrypt', 'model.bin', '--key-env', 'NOT_SET'],
      /^bulwark: environment variable NOT_SET \(--key-env\) is not set/,
    ],
    [
      ['encrypt', 'model.bin', '--key-file', 'data.key', '--key-env', 'X'],
      /^bulwark: give one of --key-file or --key-env/,
    ],
    [['encrypt', 'model.bin', '--key-file', 'missing.key'], /^bulwark: key file not found: /],
    [['encrypt', 'model.bin', '--key-file', 'model.bin'], /^bulwark: an encryption key must be 32 bytes/],
    [['encrypt', 'absent.bin', '--key-file', 'data.key'], /^bulwark: input not found: /],
    [['decrypt', 'model.bin', '--key-file', 'data.key'], /^bulwark: model\.bin does not end in \.bwenc/],
    [
      ['decrypt', 'model.bin', '-o', 'x', '--key-file', 'data.key'],
      /^bulwark: .*model\.bin is not a Bulwark encrypted file/,
    ],
    [['encrypt', '.', '--key-file', 'data.key'], /^bulwark: \. is a folder: add --recursive/],
    [
      ['encrypt', 'model.bin', '-o', 'model.bin', '--key-file', 'data.key'],
      /^bulwark: the output model\.bin and the input overlap/,
    ],
  ])('%j is a usage or input error: exit 2, one line', async (args, message) => {
    const before = listing();
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(listing()).toEqual(before);
  });

  it('shows the header without a key', async () => {
    await encrypted();
    const table = await run('decrypt', '--info', 'model.bin.bwenc');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/format: +Bulwark encrypted v1/);
    expect(table.stdout).toMatch(/key id: +local:[0-9a-f]{16}/);
    const json = await run('decrypt', '--info', 'model.bin.bwenc', '--format', 'json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      formatVersion: 1,
      chunkSize: 1024 * 1024,
      chunks: 3,
      plaintextSize: model.length,
      encryptedSize: statSync(at('model.bin.bwenc')).size,
    });
    expect((await run('decrypt', '--info', 'model.bin')).code).toBe(2);
  });

  it('encrypts a model folder into a parallel folder and back, all or nothing', async () => {
    mkdirSync(at('model', 'sub'), { recursive: true });
    writeFileSync(at('model', 'config.json'), '{"a":1}');
    writeFileSync(at('model', 'sub', 'weights.bin'), model);
    symlinkSync(join('sub', 'weights.bin'), at('model', 'linked.bin'));
    const sealed = await run('encrypt', '-r', 'model', '--key-file', 'data.key');
    expect(sealed.code).toBe(0);
    expect(sealed.stdout).toMatch(/^encrypted 3 file\(s\)/);
    expect(existsSync(at('model.bwenc', 'sub', 'weights.bin.bwenc'))).toBe(true);
    expect(existsSync(at('model.bwenc', 'linked.bin.bwenc'))).toBe(true);

    const opened = await run('decrypt', '-r', 'model.bwenc', '-o', 'restored', '--key-file', 'data.key');
    expect(opened.code).toBe(0);
    expect(readFileSync(at('restored', 'config.json'), 'utf8')).toBe('{"a":1}');
    expect(readFileSync(at('restored', 'sub', 'weights.bin')).equals(model)).toBe(true);
    expect(readFileSync(at('restored', 'linked.bin')).equals(model)).toBe(true);

    const overlapping = await run('encrypt', '-r', 'model', '-o', '.', '--force', '--key-file', 'data.key');
    expect(overlapping.code).toBe(2);
    expect(overlapping.stderr).toMatch(/and the input overlap/);
    expect(existsSync(at('model', 'config.json'))).toBe(true);

    const victim = at('model.bwenc', 'sub', 'weights.bin.bwenc');
    const bytes = readFileSync(victim);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    writeFileSync(victim, bytes);
    const before = listing();
    const failed = await run('decrypt', '-r', 'model.bwenc', '-o', 'again', '--key-file', 'data.key');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^bulwark: decryption failed: model\.bwenc\/sub\/weights\.bin\.bwenc: /);
    expect(listing()).toEqual(before);
  });

  it.each([['encrypt'], ['decrypt'], ['keys', 'generate-encryption-key']])(
    '%s --help works',
    async (...verb) => {
      const help = await run(...verb, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage: bulwark /);
    },
  );
});
