import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

describe('bulwark data manifest / data verify', () => {
  let dir: string;
  let dataset: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bw-data-'));
    dataset = join(dir, 'reviews');
    mkdirSync(join(dataset, 'train'), { recursive: true });
    writeFileSync(join(dataset, 'train', 'part-0.csv'), 'text,label\ngreat film,1\nawful,0\n');
    writeFileSync(join(dataset, 'train', 'part-1.csv'), 'text,label\nfine,1\n');
    writeFileSync(join(dataset, 'README.md'), '# reviews\n');
    const made = await runCli(['data', 'manifest', 'reviews', '--output', 'manifest.json'], dir);
    expect(made.stderr).toBe('');
    expect(made.stdout).toMatch(
      /^dataset reviews: 3 file\(s\), \d+ bytes\n {2}root {2}sha256:[0-9a-f]{64}\n$/,
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies an unchanged dataset against the stored and the written manifest', async () => {
    expect((await runCli(['data', 'verify', 'reviews'], dir)).code).toBe(0);
    const fromFile = await runCli(
      ['data', 'verify', 'reviews', '--manifest', 'manifest.json', '--format', 'json'],
      dir,
    );
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ ok: true, changes: [] });
  });

  it('names a changed byte, an added file, a removed file and a renamed file', async () => {
    const path = join(dataset, 'train', 'part-0.csv');
    const bytes = readFileSync(path);
    bytes[12] = (bytes[12] ?? 0) ^ 1;
    writeFileSync(path, bytes);
    writeFileSync(join(dataset, 'train', 'part-2.csv'), 'text,label\ninjected,0\n');
    unlinkSync(join(dataset, 'README.md'));
    renameSync(join(dataset, 'train', 'part-1.csv'), join(dataset, 'train', 'part-9.csv'));
    const run = await runCli(['data', 'verify', 'reviews'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAILED {4}reviews: 4 file\(s\) differ/);
    expect(run.stdout).toContain('changed  train/part-0.csv');
    expect(run.stdout).toContain('added    train/part-2.csv');
    expect(run.stdout).toContain('removed  README.md');
    expect(run.stdout).toContain('renamed  train/part-1.csv → train/part-9.csv');
    expect((await runCli(['audit', 'verify'], dir)).code).toBe(0);
  });

  it('bad input is one line and exit 2', async () => {
    writeFileSync(join(dir, 'bogus.json'), '{"_type":"x"}');
    for (const args of [
      ['data', 'verify', 'nope'],
      ['data', 'verify', 'reviews', '--manifest', 'bogus.json'],
      ['data', 'verify', 'reviews', '--digest', 'sha256:00'],
      ['data', 'verify', 'reviews', '--digest', `sha256:${'0'.repeat(64)}`],
    ]) {
      const run = await runCli(args, dir);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
