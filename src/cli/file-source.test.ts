import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFileSource } from './file-source.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulwark-source-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('openFileSource', () => {
  it('reads ranges and clamps them at the end of the file', async () => {
    await writeFile(join(dir, 'f'), '0123456789');
    const source = await openFileSource(join(dir, 'f'));
    expect(source.size).toBe(10);
    expect(text(await source.read(2, 3))).toBe('234');
    expect(text(await source.read(8, 100))).toBe('89');
    expect((await source.read(10, 5)).length).toBe(0);
    expect((await source.read(50, 5)).length).toBe(0);
    await source.close();
    await source.close();
    await expect(source.read(0, 1)).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
  });

  it('refuses negative or fractional ranges', async () => {
    await writeFile(join(dir, 'f'), 'x');
    const source = await openFileSource(join(dir, 'f'));
    await expect(source.read(-1, 1)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(source.read(0, 1.5)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await source.close();
  });

  it('returns fewer bytes when the file shrank after it was opened', async () => {
    await writeFile(join(dir, 'f'), '0123456789');
    const source = await openFileSource(join(dir, 'f'));
    await writeFile(join(dir, 'f'), '0123');
    expect(text(await source.read(0, 10))).toBe('0123');
    await source.close();
  });

  it('turns a missing file, a folder and a FIFO into BulwarkErrors without blocking', async () => {
    await expect(openFileSource(join(dir, 'missing'))).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
    await expect(openFileSource(dir)).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
    try {
      execFileSync('mkfifo', [join(dir, 'pipe')]);
    } catch {
      return; // no mkfifo on this system
    }
    await expect(openFileSource(join(dir, 'pipe'))).rejects.toThrow(/not a regular file/);
  });

  it('follows a symbolic link unless told not to', async () => {
    await writeFile(join(dir, 'target'), 'abc');
    await symlink(join(dir, 'target'), join(dir, 'link'));
    const source = await openFileSource(join(dir, 'link'));
    expect(text(await source.read(0, 3))).toBe('abc');
    await source.close();
    await expect(openFileSource(join(dir, 'link'), { followSymlinks: false })).rejects.toMatchObject({
      code: 'INPUT_UNREADABLE',
    });
  });
});
