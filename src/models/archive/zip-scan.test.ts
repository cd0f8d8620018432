import { execFileSync } from 'node:child_process';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/findings.js';
import { bytesSource } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { ArtifactContext, NestedScan } from '../artifact.js';
import { buildZip, concat, recordingContext, utf8, type ZipMemberSpec } from './archive.test-support.js';
import { scanZip } from './zip-scan.js';

const PICKLE = Uint8Array.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]);

function python(code: string): Uint8Array {
  return new Uint8Array(execFileSync('python3', ['-c', code], { maxBuffer: 64 * 1024 * 1024 }));
}

async function scan(bytes: Uint8Array, options: Parameters<typeof recordingContext>[0] = {}) {
  const { ctx, calls } = recordingContext(options);
  const findings = await scanZip(bytesSource(bytes), ctx);
  return { findings, calls };
}

function ids(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((f) => f.ruleId))].sort();
}

function only(findings: readonly Finding[], ruleId: string): Finding[] {
  return findings.filter((f) => f.ruleId === ruleId);
}

function torchLike(members: readonly ZipMemberSpec[] = []): Uint8Array {
  return buildZip({
    members: [
      { name: 'archive/data.pkl', data: PICKLE, align: 64 },
      { name: 'archive/byteorder', data: utf8('little'), align: 64 },
      { name: 'archive/data/0', data: new Uint8Array(4096).fill(7), align: 64 },
      { name: 'archive/version', data: utf8('3\n'), align: 64 },
      ...members,
    ],
  });
}

describe('scanZip on well-formed archives', () => {
  it('hands every member of a 64-byte-aligned PyTorch-like zip to scanNested and reports nothing', async () => {
    const bytes = torchLike();
    const { findings, calls } = await scan(bytes);
    expect(findings).toEqual([]);
    expect(calls.map((c) => c.member)).toEqual([
      'archive/data.pkl',
      'archive/byteorder',
      'archive/data/0',
      'archive/version',
    ]);
    expect(calls[0]?.bytes).toEqual(PICKLE);
    expect(calls[2]?.bytes).toEqual(new Uint8Array(4096).fill(7));
    // The storage record really starts on a 64-byte boundary.
    const storage = Buffer.from(bytes).indexOf(Buffer.alloc(64, 7));
    expect(storage % 64).toBe(0);
  });

  it('reads a zip written by Python zipfile with stored and deflated members', async () => {
    const bytes = python(
      [
        'import io, sys, zipfile',
        'b = io.BytesIO()',
        'with zipfile.ZipFile(b, "w") as z:',
        '    z.writestr(zipfile.ZipInfo("model/data.pkl", (1980,1,1,0,0,0)), b"\\x80\\x04K\\x01.", zipfile.ZIP_STORED)',
        '    z.writestr(zipfile.ZipInfo("model/config.json", (1980,1,1,0,0,0)), b"{\\"a\\": 1}" * 500, zipfile.ZIP_DEFLATED)',
        '    z.writestr(zipfile.ZipInfo("model/", (1980,1,1,0,0,0)), b"")',
        'sys.stdout.buffer.write(b.getvalue())',
      ].join('\n'),
    );
    const { findings, calls } = await scan(bytes);
    expect(findings).toEqual([]);
    expect(calls.map((c) => c.member)).toEqual(['model/data.pkl', 'model/config.json']);
    expect(new TextDecoder().decode(calls[1]?.bytes)).toBe('{"a": 1}'.repeat(500));
  });

  it('reads ZIP64 extra fields and data descriptors written by Python to an unseekable stream', async () => {
    const bytes = python(
      [
        'import io, sys, zipfile',
        'class W(io.RawIOBase):',
        '    def __init__(s): s.b = bytearray()',
        '    def writable(s): return True',
        '    def write(s, d): s.b += d; return len(d)',
        'w = W()',
        'with zipfile.ZipFile(w, "w", zipfile.ZIP_DEFLATED) as z:',
        '    for i in range(3):',
        '        with z.open(zipfile.ZipInfo(f"m{i}.bin", (1980,1,1,0,0,0)), "w", force_zip64=(i == 1)) as f:',
        '            f.write(bytes(range(256)) * (i + 1))',
        'sys.stdout.buffer.write(bytes(w.b))',
      ].join('\n'),
    );
    expect(bytes[6]! & 0x08).toBe(0x08);
    const { findings, calls } = await scan(bytes);
    expect(findings).toEqual([]);
    expect(calls.map((c) => c.size)).toEqual([256, 512, 768]);
  });

  it('reads a ZIP64 end record, locator and ZIP64 central and local extra fields', async () => {
    const bytes = buildZip({
      members: [
        { name: 'a.pkl', data: PICKLE, zip64: true },
        { name: 'b.bin', data: new Uint8Array(300).fill(1), method: 8, zip64: true, descriptor: 'signed' },
      ],
      zip64End: true,
    });
    const { findings, calls } = await scan(bytes);
    expect(findings).toEqual([]);
    expect(calls.map((c) => [c.member, c.size])).toEqual([
      ['a.pkl', PICKLE.length],
      ['b.bin', 300],
    ]);
  });

  it('scans nested zips through a dispatcher with the depth growing', async () => {
    const inner = buildZip({ members: [{ name: 'archive/data.pkl', data: PICKLE }] });
    const outer = buildZip({ members: [{ name: 'inner.zip', data: inner, method: 8 }] });
    const seen: string[] = [];
    const context = (depth: number, member?: string): ArtifactContext => ({
      location: member === undefined ? { path: 'outer.zip' } : { path: 'outer.zip', member },
      limits: recordingContext().ctx.limits,
      depth,
      async scanNested(request: NestedScan): Promise<Finding[]> {
        const name = member === undefined ? (request.member ?? '') : `${member}!${request.member ?? ''}`;
        seen.push(name);
        const head = await request.source.read(0, 4);
        if (head[0] === 0x50 && head[1] === 0x4b) return scanZip(request.source, context(depth + 1, name));
        return [];
      },
    });
    expect(await scanZip(bytesSource(outer), context(0))).toEqual([]);
    expect(seen).toEqual(['inner.zip', 'inner.zip!archive/data.pkl']);
  });
});

describe('scanZip reports archive tricks', () => {
  it('reports a stored member with a wrong CRC (the PyTorch/zipfile disagreement) and still scans it', async () => {
    const { findings, calls } = await scan(
      torchLike([{ name: 'archive/extra.pkl', data: PICKLE, crc32: 0x12345678 }]),
    );
    expect(ids(findings)).toEqual(['BW-ARCHIVE-003']);
    expect(findings[0]).toMatchObject({
      severity: 'high',
      location: { path: 'model.bin', member: 'archive/extra.pkl' },
    });
    expect(calls.map((c) => c.member)).toContain('archive/extra.pkl');
  });

  it('reports deflated members whose CRC or size disagrees', async () => {
    const data = utf8('x'.repeat(1000));
    const { findings } = await scan(
      buildZip({
        members: [
          { name: 'crc.pkl', data, method: 8, crc32: 1 },
          { name: 'size.pkl', data, method: 8, uncompressedSize: 900 },
        ],
      }),
    );
    const messages = only(findings, 'BW-ARCHIVE-003').map((f) => f.message);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain('CRC-32');
    expect(messages[1]).toContain('inflates to 1000 bytes but declares 900');
  });

  it('reports local headers that disagree with the central directory', async () => {
    const { findings } = await scan(
      buildZip({
        members: [
          { name: 'archive/data.pkl', data: PICKLE, local: { name: 'archive/safe.txt' } },
          { name: 'b', data: PICKLE, local: { method: 8 } },
          { name: 'c', data: PICKLE, local: { crc32: 7, uncompressedSize: 1 } },
          { name: 'd', data: PICKLE, local: { flags: 0x800 } },
        ],
      }),
    );
    const mismatches = only(findings, 'BW-ARCHIVE-002');
    expect(mismatches.map((f) => [f.location.member, f.severity])).toEqual([
      ['archive/data.pkl', 'high'],
      ['b', 'high'],
      ['c', 'high'],
      ['d', 'medium'],
    ]);
    expect(mismatches[0]?.message).toContain('archive/safe.txt');
    expect(mismatches[2]?.message).toMatch(/CRC-32.*uncompressed size/);
  });

  it('checks data descriptors against the central directory', async () => {
    const good = await scan(buildZip({ members: [{ name: 'a', data: PICKLE, descriptor: 'unsigned' }] }));
    expect(good.findings).toEqual([]);
    const bad = await scan(
      buildZip({ members: [{ name: 'a', data: PICKLE, descriptor: 'signed', descriptorCrc32: 5 }] }),
    );
    expect(ids(bad.findings)).toEqual(['BW-ARCHIVE-002']);
    expect(bad.findings[0]?.message).toContain('data descriptor');
    const missing = await scan(
      buildZip({ members: [{ name: 'a', data: PICKLE, flags: 0x08, local: { flags: 0x08 } }] }),
    );
    expect(missing.findings.map((f) => f.message).join()).toContain('no data descriptor');
  });

  it('reports duplicate names, exactly and after normalization', async () => {
    const { findings } = await scan(
      buildZip({
        members: [
          { name: 'archive/data.pkl', data: PICKLE },
          { name: 'archive/data.pkl', data: utf8('evil') },
          { name: 'archive/./x', data: PICKLE },
          { name: 'archive/x', data: PICKLE },
        ],
      }),
    );
    expect(only(findings, 'BW-ARCHIVE-004').map((f) => [f.location.member, f.severity])).toEqual([
      ['archive/data.pkl', 'high'],
      ['archive/x', 'medium'],
    ]);
  });

  it('reports zip-slip paths, backslashes and NUL bytes', async () => {
    const names = [
      '../../.bashrc',
      '/etc/cron.d/x',
      'C:/Windows/x',
      'a\\b.txt',
      'data.pkl\0.txt',
      'ok/fine.txt',
    ];
    const { findings } = await scan(buildZip({ members: names.map((name) => ({ name, data: PICKLE })) }));
    expect(only(findings, 'BW-ARCHIVE-005').map((f) => [f.location.member, f.severity])).toEqual([
      ['../../.bashrc', 'high'],
      ['/etc/cron.d/x', 'high'],
      ['C:/Windows/x', 'high'],
      ['a\\b.txt', 'medium'],
      ['data.pkl\0.txt', 'high'],
    ]);
  });

  it('reports symbolic links with their target and other special files, and scans their bytes', async () => {
    const link = 0o120777 * 0x10000;
    const { findings, calls } = await scan(
      buildZip({
        members: [
          { name: 'escape', data: utf8('../../../etc/passwd'), externalAttributes: link },
          { name: 'dir/inside', data: utf8('../sibling'), externalAttributes: link },
          { name: 'fifo', data: new Uint8Array(0), externalAttributes: 0o010644 * 0x10000 },
        ],
      }),
    );
    const links = only(findings, 'BW-ARCHIVE-006');
    expect(links.map((f) => [f.location.member, f.severity, f.evidence?.['target']])).toEqual([
      ['escape', 'high', '../../../etc/passwd'],
      ['dir/inside', 'medium', '../sibling'],
    ]);
    expect(only(findings, 'BW-ARCHIVE-007').map((f) => f.location.member)).toEqual(['fifo']);
    expect(calls.map((c) => c.member)).toEqual(['escape', 'dir/inside', 'fifo']);
  });

  it('reports overlapping entries (the non-recursive zip bomb)', async () => {
    const kernel = new Uint8Array(10_000);
    const members: ZipMemberSpec[] = [{ name: 'k0', data: kernel, method: 8 }];
    for (let i = 1; i < 5; i++) members.push({ name: `k${i}`, data: kernel, method: 8, sharedWith: 0 });
    const { findings } = await scan(buildZip({ members }));
    expect(only(findings, 'BW-ARCHIVE-008')).toHaveLength(4);
    expect(findings.every((f) => f.ruleId !== 'BW-ARCHIVE-001')).toBe(true);
  });

  it('scans a pickle prepended to a zip (the torch.load polyglot), with and without adjusted offsets', async () => {
    for (const prefixInOffsets of [true, false]) {
      const { findings, calls } = await scan(
        buildZip({ members: [{ name: 'archive/data.pkl', data: PICKLE }], prefix: PICKLE, prefixInOffsets }),
      );
      expect(ids(findings)).toEqual(['BW-ARCHIVE-009']);
      expect(findings[0]?.severity).toBe('high');
      const region = calls.find((c) => c.member === undefined);
      expect(region).toMatchObject({ baseOffset: 0, size: PICKLE.length });
      expect(region?.bytes).toEqual(PICKLE);
      expect(calls.find((c) => c.member === 'archive/data.pkl')?.bytes).toEqual(PICKLE);
    }
  });

  it('scans bytes hidden between members and after the end record', async () => {
    const hidden = utf8('HIDDEN-PAYLOAD');
    const bytes = buildZip({
      members: [
        { name: 'a', data: PICKLE, after: hidden },
        { name: 'b', data: PICKLE },
      ],
      trailing: utf8('TRAILER'),
    });
    const { findings, calls } = await scan(bytes);
    const hiddenFindings = only(findings, 'BW-ARCHIVE-010');
    expect(hiddenFindings).toHaveLength(2);
    const regions = calls.filter((c) => c.member === undefined);
    expect(regions.map((r) => new TextDecoder().decode(r.bytes))).toEqual(['HIDDEN-PAYLOAD', 'TRAILER']);
    expect(regions[0]?.baseOffset).toBe(30 + 1 + PICKLE.length);
  });

  it('reports encrypted members and unsupported compression without scanning them', async () => {
    const { findings, calls } = await scan(
      buildZip({
        members: [
          { name: 'secret', data: PICKLE, flags: 0x01 },
          { name: 'bz', data: PICKLE, method: 12 },
          { name: 'xz', data: PICKLE, method: 95 },
        ],
      }),
    );
    expect(only(findings, 'BW-ARCHIVE-011').map((f) => f.location.member)).toEqual(['secret']);
    expect(only(findings, 'BW-ARCHIVE-012').map((f) => f.message)).toEqual([
      'member bz is compressed with bzip2 and could not be inspected',
      'member xz is compressed with xz and could not be inspected',
    ]);
    expect(calls).toEqual([]);
  });

  it('reports members over the inflation limit, over the ratio, over the budget and too many members', async () => {
    const zeros = new Uint8Array(2 * 1024 * 1024);
    const ratio = await scan(buildZip({ members: [{ name: 'z', data: zeros, method: 8 }] }));
    expect(only(ratio.findings, 'BW-ARCHIVE-013').map((f) => f.severity)).toEqual(['medium']);

    const limited = await scan(buildZip({ members: [{ name: 'z', data: zeros, method: 8 }] }), {
      limits: { maxInflatedBytes: 1024 * 1024, maxCompressionRatio: 10_000 },
      readBytes: 2 * 1024 * 1024,
    });
    expect(only(limited.findings, 'BW-ARCHIVE-013').map((f) => f.severity)).toEqual(['high']);
    expect(limited.calls[0]?.error).toMatch(/decompression stopped/);

    const lying = await scan(
      buildZip({ members: [{ name: 'z', data: zeros, method: 8, uncompressedSize: 1000, crc32: 0 }] }),
      { limits: { maxInflatedBytes: 1024 * 1024, maxCompressionRatio: 10_000 } },
    );
    expect(only(lying.findings, 'BW-ARCHIVE-013')[0]?.message).toContain(
      'inflates past the per-member limit',
    );

    const budget = await scan(
      buildZip({
        members: [
          { name: 'a', data: zeros, method: 8 },
          { name: 'b', data: zeros, method: 8 },
          { name: 'c', data: zeros, method: 8 },
        ],
      }),
      { limits: { maxTotalInflatedBytes: 3 * 1024 * 1024, maxCompressionRatio: 10_000 } },
    );
    const budgetMessages = only(budget.findings, 'BW-ARCHIVE-013').map((f) => f.message);
    expect(budgetMessages.join('\n')).toMatch(/per-file limit/);
    expect(budgetMessages.join('\n')).toMatch(/budget is spent/);

    const many = await scan(buildZip({ members: ['a', 'b', 'c'].map((name) => ({ name, data: PICKLE })) }), {
      limits: { maxMembers: 2 },
    });
    expect(only(many.findings, 'BW-ARCHIVE-013')[0]?.message).toContain('more than 2 members');
    expect(many.calls).toHaveLength(2);
  });

  it('does not open a zip at the nesting limit', async () => {
    const { findings, calls } = await scan(torchLike(), { depth: 4 });
    expect(ids(findings)).toEqual(['BW-ARCHIVE-014']);
    expect(calls).toEqual([]);
  });
});

describe('scanZip on malformed archives', () => {
  it('reports a file without an end record and walks its local headers', async () => {
    const whole = torchLike();
    const cut = whole.subarray(0, whole.length - 100);
    const { findings, calls } = await scan(cut);
    expect(ids(findings)).toContain('BW-ARCHIVE-001');
    expect(calls.some((c) => c.member === 'archive/data.pkl')).toBe(true);
  });

  it('reports entry counts and a central directory that is not where the end record says', async () => {
    const counted = await scan(buildZip({ members: [{ name: 'a', data: PICKLE }], entryCount: 3 }));
    expect(counted.findings.map((f) => f.message).join()).toContain('counts 3 entries');
    const moved = await scan(buildZip({ members: [{ name: 'a', data: PICKLE }], directoryOffsetDelta: 5 }));
    expect(ids(moved.findings)).toContain('BW-ARCHIVE-001');
    const tiny = await scan(utf8('PK\x05\x06'));
    expect(ids(tiny.findings)).toEqual(['BW-ARCHIVE-001']);
  });

  it('reports corrupt and truncated deflate data and members running past the end', async () => {
    const compressed = deflateRawSync(utf8('abc'.repeat(2000)));
    const corrupt = Uint8Array.from(compressed);
    corrupt[0] = 0xff;
    const zip = buildZip({
      members: [{ name: 'c', method: 8, data: utf8('abc'.repeat(2000)) }],
    });
    const dataStart = 30 + 1;
    const broken = Uint8Array.from(zip);
    broken.set(corrupt.subarray(0, 4), dataStart);
    const { findings } = await scan(broken);
    expect(findings.some((f) => f.ruleId === 'BW-ARCHIVE-001' && f.message.includes('corrupt'))).toBe(true);

    const truncatedEntry = buildZip({
      members: [{ name: 'big', data: PICKLE, compressedSize: 10_000, uncompressedSize: 10_000 }],
    });
    const result = await scan(truncatedEntry);
    expect(result.findings.map((f) => f.message).join('\n')).toContain('past the end of the file');
  });
});

describe('scanZip on odd but readable structure', () => {
  it('reports directory entries with data, stored size disagreements and bytes after a deflate stream', async () => {
    const junk = utf8('JUNK-AFTER-STREAM');
    const deflated = deflateRawSync(PICKLE);
    const { findings, calls } = await scan(
      buildZip({
        members: [
          { name: 'dir/', data: PICKLE },
          { name: 'stored', data: PICKLE, uncompressedSize: 4 },
          {
            name: 'tail',
            data: PICKLE,
            method: 8,
            after: junk,
            compressedSize: deflated.length + junk.length,
          },
        ],
      }),
    );
    const messages = findings.filter((f) => f.ruleId === 'BW-ARCHIVE-001').map((f) => f.message);
    expect(messages).toEqual([
      'directory entry dir/ carries 6 bytes of data; it is scanned as a file',
      'stored member stored declares 6 compressed but 4 uncompressed bytes',
      `the deflate stream of tail ends after ${deflated.length} of its ${deflated.length + junk.length} compressed bytes; the rest belongs to no member`,
    ]);
    expect(calls.map((c) => c.member ?? new TextDecoder().decode(c.bytes))).toEqual([
      'dir/',
      'stored',
      'tail',
      'JUNK-AFTER-STREAM',
    ]);
  });

  it('reports a member whose data runs into the central directory', async () => {
    const bytes = buildZip({
      members: [{ name: 'a', data: PICKLE, compressedSize: 20, uncompressedSize: 20 }],
    });
    const { findings } = await scan(bytes);
    expect(only(findings, 'BW-ARCHIVE-008')[0]?.message).toMatch(
      /the central directory .* overlaps member a/,
    );
  });

  it('finds the real end record behind a comment that holds a fake one', async () => {
    const fake = concat([utf8('PK\x05\x06'), new Uint8Array(14).fill(0xee), Uint8Array.of(0, 0)]);
    const { findings, calls } = await scan(
      buildZip({ members: [{ name: 'a', data: PICKLE }], comment: fake }),
    );
    expect(findings).toEqual([]);
    expect(calls.map((c) => c.member)).toEqual(['a']);
  });

  it('lists at most 50 findings of a kind and summarises the rest', async () => {
    const members = Array.from({ length: 70 }, (_, i) => ({ name: `../x${i}`, data: PICKLE }));
    const { findings } = await scan(buildZip({ members }));
    const unsafe = only(findings, 'BW-ARCHIVE-005');
    expect(unsafe).toHaveLength(51);
    expect(unsafe.at(-1)).toMatchObject({
      severity: 'high',
      evidence: { unlisted: 20 },
      location: { path: 'model.bin' },
    });
  });
});

describe('scanZip reads only what it needs', () => {
  it('scans a zip with a 200 MB stored member by reading its headers only', async () => {
    const size = 200 * 1024 * 1024;
    const head = buildZip({ members: [{ name: 'archive/data/0', data: new Uint8Array(0), align: 64 }] });
    // Rebuild the same layout by hand: local header, 200 MB of (virtual) data, central directory, end record.
    const local = head.subarray(0, localEnd(head));
    const dataStart = local.length;
    const tail = directoryFor(dataStart + size, size, local);
    const total = dataStart + size + tail.length;
    let dataBytesRead = 0;
    const source: ByteSource = {
      size: total,
      read(offset: number, length: number): Promise<Uint8Array> {
        const end = Math.min(total, offset + length);
        const out = new Uint8Array(Math.max(0, end - offset));
        for (let i = offset; i < end; i++) {
          if (i < dataStart) out[i - offset] = local[i]!;
          else if (i >= dataStart + size) out[i - offset] = tail[i - dataStart - size]!;
        }
        dataBytesRead += Math.max(0, Math.min(end, dataStart + size) - Math.max(offset, dataStart));
        return Promise.resolve(out);
      },
    };
    const { ctx, calls } = recordingContext();
    const findings = await scanZip(source, ctx);
    expect(findings).toEqual([]);
    expect(calls).toEqual([expect.objectContaining({ member: 'archive/data/0', size })]);
    // Only the 4 KiB head the fake nested scanner sniffed, and the 2 bytes that tell a pickle or a JSON
    // config (always CRC-checked) from tensor data, were read from the member data.
    expect(dataBytesRead).toBe(4096 + 2);
  });
});

function localEnd(zip: Uint8Array): number {
  const nameLength = zip[26]! | (zip[27]! << 8);
  const extraLength = zip[28]! | (zip[29]! << 8);
  return 30 + nameLength + extraLength;
}

/** Central directory and end record for one stored member of `size` zero bytes whose local header is `local`. */
function directoryFor(directoryOffset: number, size: number, local: Uint8Array): Uint8Array {
  const name = local.subarray(30, 30 + (local[26]! | (local[27]! << 8)));
  const crc = 0; // Not checked: a large member that is neither a pickle nor JSON.
  const le = (value: number, bytes: number) =>
    Uint8Array.from({ length: bytes }, (_, i) => (value / 256 ** i) & 0xff);
  const patched = Uint8Array.from(local);
  patched.set(le(size, 4), 18);
  patched.set(le(size, 4), 22);
  local.set(patched);
  const central = concat([
    utf8('PK\x01\x02'),
    le(0x031e, 2),
    le(20, 2),
    le(0, 2),
    le(0, 2),
    le(0, 4),
    le(crc, 4),
    le(size, 4),
    le(size, 4),
    le(name.length, 2),
    le(0, 2),
    le(0, 2),
    le(0, 2),
    le(0, 2),
    le(0o100644 * 0x10000, 4),
    le(0, 4),
    name,
  ]);
  const end = concat([
    utf8('PK\x05\x06'),
    le(0, 4),
    le(1, 2),
    le(1, 2),
    le(central.length, 4),
    le(directoryOffset, 4),
    le(0, 2),
  ]);
  return concat([central, end]);
}
