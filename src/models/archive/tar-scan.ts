import type { Finding, Location } from '../../core/findings.js';
import { sliceSource } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import { memberLocation, type ArtifactContext } from '../artifact.js';
import { reportMemberNames } from './archive-names.js';
import { scanRegion } from './archive-region.js';
import { LINK_MEMBER, MALFORMED_ARCHIVE, SPECIAL_MEMBER } from './archive-rules.js';
import { isTooDeep } from './archive-depth.js';
import { FindingSink } from './finding-sink.js';
import { linkTargetEscapes } from './member-path.js';
import { readTarMembers, type TarMember } from './tar-reader.js';
import { sparseContent } from './tar-sparse.js';

const TYPE_NAMES: Record<string, string> = {
  '1': 'hard link',
  '2': 'symbolic link',
  '3': 'character device',
  '4': 'block device',
  '5': 'directory',
  '6': 'FIFO',
};
const REGULAR_TYPES = new Set(['0', '7', 'S']);

/**
 * Scans a tar archive (ustar, GNU, pax; legacy PyTorch checkpoints are tars of `sys_info`, `pickle`,
 * `storages` and `tensors`): verifies each header checksum, resolves pax and GNU long names, reports
 * unsafe or duplicate names, links with their targets, devices and FIFOs, truncation and data after the
 * end, and hands every file member to `ctx.scanNested` as a window of the archive.
 */
export async function scanTar(source: ByteSource, ctx: ArtifactContext): Promise<Finding[]> {
  const sink = new FindingSink(ctx.location);
  if (isTooDeep(ctx, sink, 'tar archive', 'its members were not scanned')) return sink.findings();
  const { members, rest } = await readTarMembers(source, ctx, sink);
  reportMemberNames(members, sink, ctx.location);
  for (const member of members) {
    ctx.signal?.throwIfAborted();
    const location = { ...memberLocation(ctx.location, member.name), offset: member.offset };
    const typeName = TYPE_NAMES[member.type];
    if (member.type === '1' || member.type === '2') {
      // A hard link names a path from the archive root; a symbolic link is relative to its own folder.
      const escapes = linkTargetEscapes(member.type === '1' ? '' : member.name, member.linkName);
      sink.add(LINK_MEMBER, {
        message: `member ${member.name} is a ${typeName ?? 'link'} to ${JSON.stringify(member.linkName)}`,
        location,
        severity: escapes ? 'high' : 'medium',
        evidence: { target: member.linkName, escapes, type: typeName ?? member.type },
      });
      continue;
    }
    if (member.type === '5') continue;
    if (typeName !== undefined) {
      sink.add(SPECIAL_MEMBER, {
        message: `member ${member.name} is a ${typeName}`,
        location,
        evidence: { type: typeName },
      });
      continue;
    }
    if (!REGULAR_TYPES.has(member.type)) {
      sink.add(SPECIAL_MEMBER, {
        message: `member ${member.name} has unknown type ${JSON.stringify(member.type)}; tarfile extracts it as a regular file`,
        location,
        evidence: { type: member.type },
      });
    }
    const stored = sliceSource(source, member.dataOffset, member.size);
    sink.addNested(
      await ctx.scanNested({ source: memberContent(member, stored, location, sink), member: member.name }),
    );
  }
  if (rest !== undefined) await scanRegion(source, rest, ctx, sink);
  return sink.findings();
}

/**
 * What tarfile extracts for a member: its stored bytes, or for a GNU sparse member the file rebuilt from its
 * map with zeros in the holes (a payload split by a hole is only whole there). A map tarfile could not
 * apply is reported and the stored bytes are scanned instead.
 */
function memberContent(
  member: TarMember,
  stored: ByteSource,
  location: Location,
  sink: FindingSink,
): ByteSource {
  if (member.sparse === undefined) return stored;
  const { extents, realSize, problem } = member.sparse;
  const rebuilt = problem ?? sparseContent(stored, extents, realSize ?? Number.NaN);
  if (typeof rebuilt !== 'string') return rebuilt;
  sink.add(MALFORMED_ARCHIVE, {
    message: `sparse member ${member.name}: ${rebuilt}; its stored bytes were scanned as they are`,
    location,
  });
  return stored;
}
