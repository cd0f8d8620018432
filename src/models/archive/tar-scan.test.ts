import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/findings.js';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { buildTar, concat, recordingContext, utf8 } from './archive.test-support.js';
import { parseNumber, parsePaxRecords } from './tar-header.js';
import { scanTar } from './tar-scan.js';

const PICKLE = Uint8Array.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]);

function python(code: string): Uint8Array {
  return new Uint8Array(execFileSync('python3', ['-c', code], { maxBuffer: 64 * 1024 * 1024 }));
}

async function scan(bytes: Uint8Array, options: Parameters<typeof recordingContext>[0] = {}) {
  const { ctx, calls } = recordingContext({ path: 'model.tar', ...options });
  const findings = await scanTar(bytesSource(bytes), ctx);
  return { findings, calls };
}

function only(findings: readonly Finding[], ruleId: string): Finding[] {
  return findings.filter((f) => f.ruleId === ruleId);
}

const LONG = `${'deep/'.repeat(30)}data.pkl`;

function tarfileArchive(
  format: 'USTAR_FORMAT' | 'GNU_FORMAT' | 'PAX_FORMAT',
  names: readonly string[],
): Uint8Array {
  return python(
    [
      'import io, sys, tarfile',
      'b = io.BytesIO()',
      `with tarfile.open(fileobj=b, mode="w", format=tarfile.${format}) as t:`,
      `    for i, name in enumerate(${JSON.stringify(names)}):`,
      '        data = b"\\x80\\x02}q\\x00." * (i + 1)',
      '        info = tarfile.TarInfo(name); info.size = len(data); info.mtime = 0',
      '        t.addfile(info, io.BytesIO(data))',
      'sys.stdout.buffer.write(b.getvalue())',
    ].join('\n'),
  );
}

describe('scanTar on archives written by Python tarfile', () => {
  it.each(['USTAR_FORMAT', 'GNU_FORMAT', 'PAX_FORMAT'] as const)(
    'reads %s members and their long names',
    async (format) => {
      const names = format === 'USTAR_FORMAT' ? ['a.pkl', `${'p'.repeat(120)}/b.pkl`] : ['a.pkl', LONG];
      const { findings, calls } = await scan(tarfileArchive(format, names));
      expect(findings).toEqual([]);
      expect(calls.map((c) => c.member)).toEqual(names);
      expect(calls[1]?.bytes).toEqual(concat([PICKLE, PICKLE]));
    },
  );

  it('hands every member of a legacy PyTorch tar to scanNested', async () => {
    const names = ['sys_info', 'pickle', 'storages', 'tensors'];
    const { findings, calls } = await scan(tarfileArchive('PAX_FORMAT', names));
    expect(findings).toEqual([]);
    expect(calls.map((c) => c.member)).toEqual(names);
  });

  it('reports links with their targets, devices and FIFOs written by tarfile', async () => {
    const bytes = python(
      [
        'import io, sys, tarfile',
        'b = io.BytesIO()',
        'with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:',
        '    for name, kind, target in [("up", tarfile.SYMTYPE, "../../etc/passwd"), ("hard", tarfile.LNKTYPE, "up"),',
        '                               ("fifo", tarfile.FIFOTYPE, ""), ("tty", tarfile.CHRTYPE, "")]:',
        '        info = tarfile.TarInfo(name); info.type = kind; info.linkname = target; info.mtime = 0',
        '        t.addfile(info)',
        'sys.stdout.buffer.write(b.getvalue())',
      ].join('\n'),
    );
    const { findings, calls } = await scan(bytes);
    expect(
      only(findings, 'BW-ARCHIVE-006').map((f) => [f.location.member, f.severity, f.evidence?.['target']]),
    ).toEqual([
      ['up', 'high', '../../etc/passwd'],
      ['hard', 'medium', 'up'],
    ]);
    expect(only(findings, 'BW-ARCHIVE-007').map((f) => f.message)).toEqual([
      'member fifo is a FIFO',
      'member tty is a character device',
    ]);
    expect(calls).toEqual([]);
  });
});

describe('scanTar reports tricks and damage', () => {
  it('reports traversal names and duplicates', async () => {
    const { findings } = await scan(
      buildTar([
        { name: '../../home/user/.bashrc', data: PICKLE },
        { name: 'pickle', data: PICKLE },
        { name: 'pickle', data: utf8('second') },
        {
          name: `${'x/'.repeat(60)}../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../escape`,
          data: PICKLE,
          longName: 'pax',
        },
      ]),
    );
    expect(only(findings, 'BW-ARCHIVE-005').map((f) => f.severity)).toEqual(['high', 'high']);
    expect(only(findings, 'BW-ARCHIVE-004').map((f) => f.location.member)).toEqual(['pickle']);
  });

  it('stops at a header with a bad checksum, as tarfile does, and scans the rest as raw data', async () => {
    const bytes = buildTar([
      { name: 'a', data: PICKLE },
      { name: 'b', data: PICKLE, badChecksum: true },
    ]);
    const { findings, calls } = await scan(bytes);
    expect(only(findings, 'BW-ARCHIVE-001')[0]?.message).toContain('bad checksum');
    expect(calls.map((c) => c.member ?? `region@${c.baseOffset}`)).toEqual(['a', 'region@1024']);
  });

  it('reports truncated archives and data after the end-of-archive blocks', async () => {
    const whole = buildTar([{ name: 'a', data: new Uint8Array(2000).fill(1) }]);
    const truncated = await scan(whole.subarray(0, 1200));
    expect(only(truncated.findings, 'BW-ARCHIVE-001')[0]?.message).toContain('truncated');
    expect(truncated.calls[0]?.size).toBe(688);

    const trailing = await scan(
      buildTar([{ name: 'a', data: PICKLE }], { trailing: concat([new Uint8Array(100), PICKLE]) }),
    );
    expect(only(trailing.findings, 'BW-ARCHIVE-010')).toHaveLength(1);
    expect(trailing.calls.find((c) => c.member === undefined)?.baseOffset).toBe(2048);

    const padded = await scan(buildTar([{ name: 'a', data: PICKLE }], { endBlocks: 20 }));
    expect(padded.findings).toEqual([]);

    const noEnd = await scan(buildTar([{ name: 'a', data: PICKLE }], { endBlocks: 0 }));
    expect(noEnd.findings.map((f) => f.severity)).toEqual(['low']);
  });

  it('reports link headers that declare data and unknown member types', async () => {
    const { findings, calls } = await scan(
      buildTar([
        { name: 'link', type: '2', linkName: 'target', size: 512 },
        { name: 'odd', type: 'Q', data: PICKLE },
      ]),
    );
    expect(only(findings, 'BW-ARCHIVE-001').map((f) => f.severity)).toEqual(['high']);
    expect(only(findings, 'BW-ARCHIVE-007')[0]?.message).toContain('unknown type');
    expect(calls.some((c) => c.member === 'odd')).toBe(true);
  });

  it('honours member and depth limits and summarises repeated findings', async () => {
    const many = await scan(buildTar(['a', 'b', 'c'].map((name) => ({ name, data: PICKLE }))), {
      limits: { maxMembers: 2 },
    });
    expect(only(many.findings, 'BW-ARCHIVE-013')).toHaveLength(1);
    expect(many.calls).toHaveLength(2);

    const deep = await scan(buildTar([{ name: 'a', data: PICKLE }]), { depth: 9 });
    expect(deep.findings.map((f) => f.ruleId)).toEqual(['BW-ARCHIVE-014']);

    const links = await scan(
      buildTar(Array.from({ length: 80 }, (_, i) => ({ name: `l${i}`, type: '2', linkName: '/etc' }))),
    );
    const listed = only(links.findings, 'BW-ARCHIVE-006');
    expect(listed).toHaveLength(51);
    expect(listed.at(-1)?.message).toBe('30 more findings of this kind were not listed');
  });
});

describe('tar header fields', () => {
  it('parses octal and base-256 numbers and rejects garbage', () => {
    const field = (text: string) => utf8(text.padEnd(12, '\0'));
    expect(parseNumber(field('0000644 '), 0, 12)).toBe(0o644);
    expect(parseNumber(field(''), 0, 12)).toBe(0);
    expect(parseNumber(field('12x'), 0, 12)).toBeUndefined();
    expect(parseNumber(Uint8Array.of(0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0), 0, 12)).toBe(256);
    expect(
      parseNumber(
        Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
        0,
        12,
      ),
    ).toBeUndefined();
  });

  it('parses pax records and reports malformed ones', () => {
    expect(parsePaxRecords(utf8('12 path=a/b\n')).records.get('path')).toBe('a/b');
    expect(parsePaxRecords(utf8('99 path=a/b\n')).problem).toBeDefined();
    expect(parsePaxRecords(utf8('0x10 path=a\n')).problem).toBeDefined();
  });
});
