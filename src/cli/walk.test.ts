import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BulwarkError } from '../core/errors.js';
import { DEFAULT_SCAN_LIMITS, type ScanLimits } from '../core/scan/types.js';
import type { WalkEntry } from '../core/scan/walk-entry.js';
import { walkPaths, type WalkOptions } from './walk.js';

let base: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'bulwark-walk-'));
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function tree(files: Record<string, string>, under = base): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(under, path)), { recursive: true });
    await writeFile(join(under, path), content);
  }
}

async function walk(paths: string[], options: Partial<WalkOptions> = {}): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  for await (const entry of walkPaths(paths, { limits: DEFAULT_SCAN_LIMITS, cwd: base, ...options }))
    out.push(entry);
  return out;
}

function files(entries: WalkEntry[]): string[] {
  return entries.filter((e) => e.kind === 'file').map((e) => e.path);
}

function problems(entries: WalkEntry[]): [string, string][] {
  return entries.flatMap((e) => (e.kind === 'problem' ? [[e.path, e.problem] as [string, string]] : []));
}

const limits = (overrides: Partial<ScanLimits>): ScanLimits => ({ ...DEFAULT_SCAN_LIMITS, ...overrides });
const isRoot = process.getuid?.() === 0;

describe('walkPaths', () => {
  it('honours nested .gitignore files with negations like git, and .bulwarkignore', async () => {
    // Expected results checked against `git status --ignored` on the same tree.
    await tree({
      '.gitignore': '*.log\nbuild/\n!keep.log\ncache/\n',
      '.bulwarkignore': 'secret/\n',
      'a.log': '',
      'keep.log': '',
      'build/x.txt': '',
      'secret/s.txt': '',
      'sub/.gitignore': '!debug.log\n/local.txt\n!cache/\n*.tmp\n',
      'sub/.bulwarkignore': '!keep.tmp\n',
      'sub/debug.log': '',
      'sub/other.log': '',
      'sub/local.txt': '',
      'sub/deep/local.txt': '',
      'sub/cache/f.txt': '',
      'sub/drop.tmp': '',
      'sub/keep.tmp': '',
      '.git/config': '',
      '.bulwark/bulwark.db': '',
    });
    expect(files(await walk(['.']))).toEqual([
      '.bulwarkignore',
      '.gitignore',
      'keep.log',
      'sub/.bulwarkignore',
      'sub/.gitignore',
      'sub/cache/f.txt',
      'sub/debug.log',
      'sub/deep/local.txt',
      'sub/keep.tmp',
    ]);
  });

  it('applies extra patterns over the ignore files, and reads ignore files only when asked', async () => {
    await tree({ '.gitignore': '*.pkl\n', 'model.pkl': '', 'notes.md': '', 'data/x.csv': '' });
    expect(files(await walk(['.'], { ignore: ['*.md', '!*.pkl'] }))).toEqual([
      '.gitignore',
      'data/x.csv',
      'model.pkl',
    ]);
    expect(files(await walk(['.'], { ignoreFiles: false }))).toEqual([
      '.gitignore',
      'data/x.csv',
      'model.pkl',
      'notes.md',
    ]);
  });

  it('scans a file named on the command line even when it is ignored', async () => {
    await tree({ '.gitignore': '*.pkl\n', 'model.pkl': 'x' });
    expect(files(await walk(['model.pkl', '.']))).toEqual(['model.pkl', '.gitignore']);
  });

  it('honours the ignore files of parent folders up to the git work tree', async () => {
    await tree({
      'repo/.git/HEAD': '',
      'repo/.gitignore': '*.tmp\n',
      'repo/sub/a.tmp': '',
      'repo/sub/b.txt': '',
    });
    expect(files(await walk(['repo/sub']))).toEqual(['repo/sub/b.txt']);
  });

  it('makes paths relative to cwd, absolute outside it, and drops nested roots', async () => {
    await tree({ 'proj/a/x.txt': '', 'proj/b.txt': '' });
    expect(files(await walk(['proj/a', 'proj', 'proj/']))).toEqual(['proj/a/x.txt', 'proj/b.txt']);
    const inside = join(base, 'proj');
    expect(files(await walk(['.'], { cwd: inside }))).toEqual(['a/x.txt', 'b.txt']);
    expect(files(await walk([inside], { cwd: join(base, 'proj', 'a') }))).toEqual([
      `${inside.split('\\').join('/')}/a/x.txt`,
      `${inside.split('\\').join('/')}/b.txt`,
    ]);
  });

  it('reports folders below the depth limit without entering them', async () => {
    await tree({ 'top.txt': '', 'a/one.txt': '', 'a/b/two.txt': '', 'a/b/c/three.txt': '' });
    const entries = await walk(['.'], { limits: limits({ maxDepth: 1 }) });
    expect(files(entries)).toEqual(['a/one.txt', 'top.txt']);
    expect(problems(entries)).toEqual([['a/b', 'depth-limit']]);
    expect(files(await walk(['.'], { limits: limits({ maxDepth: 0 }) }))).toEqual(['top.txt']);
  });

  it('stops at the file limit with one problem entry, across roots', async () => {
    await tree({ 'a/1.txt': '', 'a/2.txt': '', 'b/3.txt': '', 'b/4.txt': '' });
    const entries = await walk(['a', 'b'], { limits: limits({ maxFiles: 3 }) });
    expect(files(entries)).toEqual(['a/1.txt', 'a/2.txt', 'b/3.txt']);
    expect(problems(entries)).toEqual([['b/4.txt', 'file-limit']]);
    expect(entries.at(-1)?.kind).toBe('problem');
    expect(problems(await walk(['a', 'b'], { limits: limits({ maxFiles: 4 }) }))).toEqual([]);
  });

  it('reports symbolic links leading outside the root and skips the others unless asked', async () => {
    await tree({ 'outside/secret.txt': 'x', 'root/real/f.txt': 'y' });
    await symlink(join(base, 'outside'), join(base, 'root', 'out-dir'));
    await symlink('../../outside/secret.txt', join(base, 'root', 'real', 'out-file'));
    await symlink(join(base, 'nowhere'), join(base, 'root', 'dangling'));
    await symlink('real/f.txt', join(base, 'root', 'in-file'));
    await symlink('real', join(base, 'root', 'in-dir'));
    await symlink('..', join(base, 'root', 'real', 'loop'));
    const plain = await walk(['root']);
    expect(files(plain)).toEqual(['root/real/f.txt']);
    expect(problems(plain)).toEqual([
      ['root/dangling', 'symlink-outside'],
      ['root/out-dir', 'symlink-outside'],
      ['root/real/out-file', 'symlink-outside'],
    ]);
    // Followed links show their targets under the link path too; the loop back to the root stops.
    const followed = await walk(['root'], { followSymlinks: true });
    expect(files(followed)).toEqual(['root/in-dir/f.txt', 'root/in-file', 'root/real/f.txt']);
    expect(problems(followed)).toEqual([
      ['root/dangling', 'symlink-outside'],
      ['root/in-dir/out-file', 'symlink-outside'],
      ['root/out-dir', 'symlink-outside'],
      ['root/real/out-file', 'symlink-outside'],
    ]);
  });

  it('follows a symbolic link named on the command line', async () => {
    await tree({ 'data/f.txt': 'x' });
    await symlink('data', join(base, 'alias'));
    expect(files(await walk(['alias']))).toEqual(['alias/f.txt']);
  });

  it('reports a file that vanishes during the walk as unreadable', async () => {
    await tree({ 'a.txt': '', 'b.txt': '', 'c.txt': '' });
    const seen: WalkEntry[] = [];
    for await (const entry of walkPaths(['.'], { limits: DEFAULT_SCAN_LIMITS, cwd: base })) {
      if (seen.length === 0) await unlink(join(base, 'b.txt'));
      seen.push(entry);
    }
    expect(seen.map((e) => [e.path, e.kind === 'problem' ? e.detail : 'file'])).toEqual([
      ['a.txt', 'file'],
      ['b.txt', 'vanished during the scan'],
      ['c.txt', 'file'],
    ]);
  });

  it('reports an ignore file it cannot read (here a folder named .gitignore) and goes on', async () => {
    await tree({ '.gitignore/inner.txt': '', 'a.txt': '' });
    const entries = await walk(['.']);
    expect(problems(entries)).toEqual([['.gitignore', 'unreadable']]);
    expect(files(entries)).toEqual(['.gitignore/inner.txt', 'a.txt']);
  });

  it.skipIf(isRoot)(
    'reports a folder it may not read as unreadable (skipped as root, who reads everything)',
    async () => {
      await tree({ 'locked/f.txt': '', 'open.txt': '' });
      await chmod(join(base, 'locked'), 0o000);
      try {
        const entries = await walk(['.']);
        expect(problems(entries)).toEqual([['locked', 'unreadable']]);
        expect(files(entries)).toEqual(['open.txt']);
      } finally {
        await chmod(join(base, 'locked'), 0o755);
      }
    },
  );

  it('skips a FIFO as a special file instead of opening it', async () => {
    await tree({ 'a.txt': '' });
    try {
      execFileSync('mkfifo', [join(base, 'pipe')]);
    } catch {
      return; // no mkfifo on this system: nothing to test
    }
    const entries = await walk(['.']);
    expect(problems(entries)).toEqual([['pipe', 'special-file']]);
    expect(entries.find((e) => e.kind === 'problem')).toMatchObject({ detail: 'FIFO' });
    expect(problems(await walk(['pipe']))).toEqual([['pipe', 'special-file']]);
  });

  it('opens file entries for reading', async () => {
    await tree({ 'f.txt': 'hello world' });
    const [entry] = await walk(['f.txt']);
    if (entry?.kind !== 'file') throw new Error('expected a file entry');
    expect(entry.size).toBe(11);
    const source = await entry.open();
    expect(new TextDecoder().decode(await source.read(6, 100))).toBe('world');
    await source.close();
  });

  it('refuses a walked file swapped for a symbolic link before it is opened', async () => {
    await tree({ 'f.txt': 'hello', 'other.txt': 'secret' });
    const [entry] = await walk(['.']);
    if (entry?.kind !== 'file') throw new Error('expected a file entry');
    await unlink(join(base, 'f.txt'));
    await symlink(join(base, 'other.txt'), join(base, 'f.txt'));
    await expect(entry.open()).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
  });

  it('throws INPUT_NOT_FOUND for a missing path before yielding anything', async () => {
    await tree({ 'a.txt': '' });
    const error = await walk(['a.txt', 'missing']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulwarkError);
    expect((error as BulwarkError).code).toBe('INPUT_NOT_FOUND');
    expect((error as BulwarkError).message).toBe('no such file or directory: missing');
    await expect(walk([])).rejects.toMatchObject({ code: 'USAGE' });
  });
});
