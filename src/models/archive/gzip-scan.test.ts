import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/findings.js';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { buildGzipMember, buildTar, concat, gzipOf, recordingContext, utf8 } from './archive.test-support.js';
import { scanGzip } from './gzip-scan.js';

const PICKLE = Uint8Array.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]);

async function scan(bytes: Uint8Array, options: Parameters<typeof recordingContext>[0] = {}) {
  const { ctx, calls } = recordingContext({ path: 'models/model.pkl.gz', ...options });
  const findings = await scanGzip(bytesSource(bytes), ctx);
  return { findings, calls };
}

function only(findings: readonly Finding[], ruleId: string): Finding[] {
  return findings.filter((f) => f.ruleId === ruleId);
}

describe('scanGzip', () => {
  it("hands the content to scanNested under the file's stem", async () => {
    const { findings, calls } = await scan(gzipOf(PICKLE));
    expect(findings).toEqual([]);
    expect(calls).toEqual([{ member: 'model.pkl', size: PICKLE.length, bytes: PICKLE }]);
  });

  it('uses FNAME from a gzip written by Python and reads FEXTRA, FCOMMENT and FHCRC', async () => {
    const python = new Uint8Array(
      execFileSync('python3', [
        '-c',
        'import gzip, io, sys\nb = io.BytesIO()\nwith gzip.GzipFile("weights.pkl", "wb", fileobj=b, mtime=0) as f: f.write(b"\\x80\\x02}q\\x00.")\nsys.stdout.buffer.write(b.getvalue())',
      ]),
    );
    const fromPython = await scan(python);
    expect(fromPython.findings).toEqual([]);
    expect(fromPython.calls[0]).toMatchObject({ member: 'weights.pkl', bytes: PICKLE });

    const full = buildGzipMember({
      data: PICKLE,
      name: 'inner.pkl',
      comment: 'hello',
      extra: utf8('AB\x02\x00hi'),
      headerCrc: 'good',
    });
    const built = await scan(full);
    expect(built.findings).toEqual([]);
    expect(built.calls[0]).toMatchObject({ member: 'inner.pkl', bytes: PICKLE });
  });

  it('joins the members of a multi-member gzip and skips zero padding', async () => {
    const bytes = concat([gzipOf(utf8('first-')), gzipOf(utf8('second')), new Uint8Array(64)]);
    const { findings, calls } = await scan(bytes, { path: 'x.tgz' });
    expect(findings).toEqual([]);
    expect(calls[0]?.member).toBe('x.tar');
    expect(new TextDecoder().decode(calls[0]?.bytes)).toBe('first-second');
  });

  it('reports CRC-32, ISIZE and header CRC mismatches and reserved flags', async () => {
    const crc = await scan(buildGzipMember({ data: PICKLE, crc32: 1 }));
    expect(only(crc.findings, 'BW-ARCHIVE-003')[0]?.message).toContain('CRC-32');
    expect(crc.calls[0]?.bytes).toEqual(PICKLE);
    const isize = await scan(buildGzipMember({ data: PICKLE, isize: 99 }));
    expect(only(isize.findings, 'BW-ARCHIVE-003')[0]?.message).toContain('trailer says 99');
    const header = await scan(buildGzipMember({ data: PICKLE, headerCrc: 'bad' }));
    expect(only(header.findings, 'BW-ARCHIVE-003')[0]?.message).toContain('header CRC');
    const reserved = await scan(buildGzipMember({ data: PICKLE, reservedFlags: 0x20 }));
    expect(only(reserved.findings, 'BW-ARCHIVE-001')[0]?.message).toContain('reserved flag');
  });

  it('reports truncated and corrupt streams and still scans what inflated before the break', async () => {
    const data = utf8('payload '.repeat(4000));
    const whole = gzipOf(data);
    const truncated = await scan(whole.subarray(0, whole.length - 40));
    expect(only(truncated.findings, 'BW-ARCHIVE-001')[0]?.message).toContain('truncated');
    expect(truncated.calls[0]?.bytes.length).toBeGreaterThan(0);
    expect(new TextDecoder().decode(truncated.calls[0]?.bytes).startsWith('payload payload')).toBe(true);

    const corrupt = Uint8Array.from(whole);
    corrupt[12] = 0xff;
    corrupt[13] = 0xff;
    const broken = await scan(corrupt);
    expect(only(broken.findings, 'BW-ARCHIVE-001')[0]?.message).toMatch(/corrupt|truncated/);

    const noTrailer = await scan(whole.subarray(0, whole.length - 4));
    expect(only(noTrailer.findings, 'BW-ARCHIVE-001')[0]?.message).toContain('trailer');

    const notGzip = await scan(utf8('\x1f\x8bnot really'));
    expect(only(notGzip.findings, 'BW-ARCHIVE-001')).toHaveLength(1);
    expect(notGzip.calls).toEqual([]);
  });

  it('scans trailing data that is not a gzip member', async () => {
    const { findings, calls } = await scan(concat([gzipOf(utf8('ok')), PICKLE]));
    expect(only(findings, 'BW-ARCHIVE-010')).toHaveLength(1);
    expect(calls.find((c) => c.member === undefined)).toMatchObject({ bytes: PICKLE });
  });

  it('reports bombs by ratio and by limit, and never exposes more than the limit', async () => {
    const zeros = new Uint8Array(4 * 1024 * 1024);
    const ratio = await scan(gzipOf(zeros));
    expect(only(ratio.findings, 'BW-ARCHIVE-013').map((f) => f.severity)).toEqual(['medium']);
    const limited = await scan(gzipOf(zeros), {
      limits: { maxInflatedBytes: 1024 * 1024, maxCompressionRatio: 1e6 },
    });
    expect(only(limited.findings, 'BW-ARCHIVE-013').map((f) => f.severity)).toEqual(['high']);
    expect(limited.calls[0]?.size).toBe(1024 * 1024);
  });

  it('does not decompress at the nesting limit', async () => {
    const { findings, calls } = await scan(gzipOf(buildTar([{ name: 'a', data: PICKLE }])), { depth: 4 });
    expect(findings.map((f) => f.ruleId)).toEqual(['BW-ARCHIVE-014']);
    expect(calls).toEqual([]);
  });
});
