import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { DEFAULT_MODEL_SCAN_LIMITS } from '../artifact.js';
import { buildZip, concat, utf8 } from './archive.test-support.js';
import { FindingSink } from './finding-sink.js';
import type { ZipRange } from './zip-directory.js';
import { eocdTotals, findEndRecord, readEndViews } from './zip-end-record.js';

function le(value: number, width: number): Uint8Array {
  const out = new Uint8Array(width);
  let rest = value;
  for (let i = 0; i < width; i++) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return out;
}

const end = (size: number, offset: number, comment = 0) =>
  concat([utf8('PK\x05\x06'), le(0, 4), le(1, 2), le(1, 2), le(size, 4), le(offset, 4), le(comment, 2)]);
const zip64 = (size: number, offset: number) =>
  concat([
    utf8('PK\x06\x06'),
    le(44, 8),
    le(45, 2),
    le(45, 2),
    le(0, 8),
    le(1, 8),
    le(1, 8),
    le(size, 8),
    le(offset, 8),
  ]);
const locator = (offset: number) => concat([utf8('PK\x06\x07'), le(0, 4), le(offset, 8), le(1, 4)]);

async function views(bytes: Uint8Array) {
  const source = bytesSource(bytes);
  const record = await findEndRecord(source);
  if (record === undefined) throw new Error('no end record');
  const sink = new FindingSink({ path: 'a.zip' });
  const records: ZipRange[] = [];
  const report = { sink, location: { path: 'a.zip' }, limits: DEFAULT_MODEL_SCAN_LIMITS };
  const found = await readEndViews(source, record.offset, eocdTotals(record.bytes), records, report);
  return { found: found.map((v) => [v.totals.directoryOffset, v.readers]), findings: sink.findings() };
}

describe('findEndRecord', () => {
  it('takes the last signature, as miniz and zipfile do, even when its comment runs past the file', async () => {
    const decoy = end(0, 0, 0xffff);
    const zip = buildZip({ members: [{ name: 'a', data: utf8('x') }], comment: decoy });
    const record = await findEndRecord(bytesSource(zip));
    expect(record?.offset).toBe(zip.length - decoy.length);
    expect(record?.end).toBeGreaterThan(zip.length);
  });

  it('reads an ordinary zip with one small read of its last 22 bytes', async () => {
    const zip = buildZip({ members: [{ name: 'a', data: utf8('x') }] });
    expect((await findEndRecord(bytesSource(zip)))?.offset).toBe(zip.length - 22);
  });
});

describe('readEndViews', () => {
  const pad = new Uint8Array(400);

  it('returns one view when the ZIP64 record and the classic values agree', async () => {
    const bytes = concat([pad, zip64(46, 100), locator(400), end(46, 100)]);
    const result = await views(bytes);
    expect(result.found).toEqual([
      [100, 'miniz (PyTorch), Python zipfile, readers of the classic end record'],
    ]);
    expect(result.findings).toEqual([]);
  });

  it('separates the record the locator names (miniz) from the one next to it (zipfile)', async () => {
    const bytes = concat([pad, zip64(46, 100), zip64(46, 200), locator(400), end(0xffffffff, 0xffffffff)]);
    const result = await views(bytes);
    expect(result.found).toEqual([
      [100, 'miniz (PyTorch)'],
      [200, 'Python zipfile'],
    ]);
    expect(result.findings.map((f) => f.ruleId)).toContain('BW-ARCHIVE-002');
  });

  it('uses the classic values for miniz when the locator names no record', async () => {
    const bytes = concat([pad, zip64(46, 200), locator(0), end(46, 100)]);
    expect((await views(bytes)).found).toEqual([
      [100, 'miniz (PyTorch), readers of the classic end record'],
      [200, 'Python zipfile'],
    ]);
  });

  it('ignores classic values that defer to ZIP64 with sentinels', async () => {
    const bytes = concat([pad, zip64(46, 100), locator(400), end(0xffffffff, 0xffffffff)]);
    expect((await views(bytes)).found).toEqual([[100, 'miniz (PyTorch), Python zipfile']]);
  });
});
