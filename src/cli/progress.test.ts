import { describe, expect, it } from 'vitest';
import type { ScanProgress } from '../core/scan/engine.js';
import { createProgress, formatBytes, progressLine } from './progress.js';

function fakeStream(isTTY: boolean, columns = 60): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = {
    isTTY,
    columns,
    write: (chunk: string) => {
      written.push(chunk);
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

const progress = (overrides: Partial<ScanProgress> = {}): ScanProgress => ({
  filesDone: 12,
  filesScanned: 11,
  filesSkipped: 1,
  bytesScanned: 3 * 1024 * 1024,
  findings: 2,
  ...overrides,
});

describe('createProgress', () => {
  it('redraws one line with \\r at most every 100 ms and clears it when done', () => {
    const { stream, written } = fakeStream(true);
    let now = 1000;
    const reporter = createProgress(stream, { enabled: true, env: {}, now: () => now });
    reporter.update(progress({ currentPath: 'data/a.csv' }));
    now += 50;
    reporter.update(progress({ currentPath: 'data/b.csv' }));
    now += 60;
    reporter.update(progress({ currentPath: 'data/c.csv' }));
    reporter.done();
    expect(written).toHaveLength(3);
    expect(written[0]).toBe('\rscanning 12 files · 3.0 MiB · 2 findings · data/a.csv\x1b[K');
    expect(written[1]).toContain('data/c.csv');
    expect(written[2]).toBe('\r\x1b[K');
  });

  it.each([
    ['not a terminal', false, {}, true],
    ['in CI', true, { CI: 'true' }, true],
    ['disabled', true, {}, false],
  ] as const)('writes nothing when %s', (_name, isTTY, env, enabled) => {
    const { stream, written } = fakeStream(isTTY);
    const reporter = createProgress(stream, { enabled, env });
    reporter.update(progress({ currentPath: 'x' }));
    reporter.done();
    expect(written).toEqual([]);
  });
});

describe('progressLine', () => {
  it('truncates the path from the left to fit the width', () => {
    const line = progressLine(progress({ currentPath: `very/long/${'deep/'.repeat(20)}file.bin` }), 70);
    expect(line.length).toBeLessThanOrEqual(70);
    expect(line).toMatch(/· ….*file\.bin$/);
  });

  it('drops the path on a narrow terminal and cuts the counters on a tiny one', () => {
    expect(progressLine(progress({ currentPath: 'a/b/c.txt' }), 45)).toBe(
      'scanning 12 files · 3.0 MiB · 2 findings',
    );
    expect(progressLine(progress(), 10)).toHaveLength(10);
  });

  it('replaces control characters in file names', () => {
    expect(
      progressLine(progress({ currentPath: 'evil\x1b[2Jname\r.txt', findings: 1, filesDone: 1 }), 200),
    ).toBe('scanning 1 file · 3.0 MiB · 1 finding · evil?[2Jname?.txt');
  });

  it('formats bytes with binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
  });
});
