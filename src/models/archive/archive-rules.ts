import { defineRule, type Rule } from '../../core/rules.js';

/** The archive structure is broken: records missing, truncated, out of bounds or counted wrongly. */
export const MALFORMED_ARCHIVE = defineRule({
  id: 'BW-ARCHIVE-001',
  name: 'malformed-archive',
  title: 'Archive structure is malformed or truncated',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'A zip, tar or gzip record is missing, truncated, points outside the file, or disagrees with a count ' +
    'elsewhere in the archive (no end-of-central-directory record, an offset past the end, entry counts that ' +
    'differ, a tar header with a bad checksum, a deflate stream that breaks off). Readers handle broken ' +
    'archives differently: one gives up, another reads what it can, a third skips the entry. Whatever one ' +
    'reader skips is content a scanner built on it never sees while a more forgiving loader still runs it.',
  remediation:
    'Do not load the archive. Obtain it again from its publisher and compare digests; if you produced it, ' +
    'rewrite it with a standard tool (torch.save, zipfile, tarfile) instead of patching bytes.',
});

/** A zip local header (or data descriptor) says something else than the central directory. */
export const HEADER_MISMATCH = defineRule({
  id: 'BW-ARCHIVE-002',
  name: 'archive-header-mismatch',
  title: 'Zip local header disagrees with the central directory',
  defaultSeverity: 'high',
  controls: ['R1', 'D7'],
  description:
    'Every zip member is described twice: in its local header before the data and in the central directory ' +
    'at the end (plus a data descriptor after the data when flag bit 3 is set). PyTorch (miniz) and Python ' +
    'zipfile take names and sizes from the central directory, streaming readers from the local header. When ' +
    'the name, compression method, flags, CRC or sizes differ, two tools see two different archives, which is ' +
    'how payloads are slipped past scanners that read the other copy. Flag-only differences are medium.',
  remediation:
    'Treat the archive as tampered with and do not load it. A file written by torch.save or zipfile never ' +
    'has disagreeing headers.',
});

/** A member's content does not match its CRC-32 or its declared size. */
export const INTEGRITY_MISMATCH = defineRule({
  id: 'BW-ARCHIVE-003',
  name: 'archive-integrity-mismatch',
  title: 'Member content does not match its CRC-32 or declared size',
  defaultSeverity: 'high',
  controls: ['R1', 'D7'],
  description:
    'The CRC-32 or the length of the decompressed content differs from what the archive declares. PyTorch ' +
    'reads zip members with miniz and ignores CRCs, while Python zipfile-based scanners (picklescan, ' +
    'modelscan) raise on a bad CRC and skip the file: a wrong CRC has been used to make scanners pass a ' +
    'checkpoint that torch.load still executes. Bulwark scans the content anyway and reports the mismatch. ' +
    'Stored zip members over 64 MiB (tensor data) are not CRC-checked so that large checkpoints are not read.',
  remediation:
    'Do not load the file. A corrupted download is re-fetched and compared with the published digest; a ' +
    'deliberate mismatch means the archive was crafted.',
});

/** Two members have the same name, exactly or after normalizing separators. */
export const DUPLICATE_MEMBER = defineRule({
  id: 'BW-ARCHIVE-004',
  name: 'archive-duplicate-member',
  title: 'Archive holds two members with the same name',
  defaultSeverity: 'high',
  controls: ['R1', 'D7'],
  description:
    'Two entries share a name (high), or share it after `\\` is read as `/` and `./` segments and NUL tails ' +
    'are dropped (medium). Readers disagree on which copy wins: miniz finds the first, Python zipfile and ' +
    'tarfile keep the last, extraction overwrites. A scanner that checks one copy can pass a file whose ' +
    'loader runs the other.',
  remediation: 'Do not load the archive; rebuild it so every member name is unique.',
});

/** A member path escapes the extraction folder or is read differently by different tools. */
export const UNSAFE_MEMBER_PATH = defineRule({
  id: 'BW-ARCHIVE-005',
  name: 'archive-unsafe-path',
  title: 'Member path escapes the archive or is ambiguous',
  defaultSeverity: 'high',
  controls: ['R1', 'D7'],
  description:
    'A member name contains `..` segments, starts with `/` or a drive letter, or holds a NUL byte (high), or ' +
    'uses `\\` as a separator (medium). Extracting such an archive writes outside the target folder (zip ' +
    'slip, tar slip), for example over a shell profile or a Python module that runs later; a NUL makes ' +
    'Python zipfile see a shorter name than miniz does.',
  remediation:
    'Do not extract the archive with a tool that follows such paths. Rebuild it with relative `/`-separated ' +
    'member names.',
});

/** A symbolic or hard link stored as an archive member. */
export const LINK_MEMBER = defineRule({
  id: 'BW-ARCHIVE-006',
  name: 'archive-link-member',
  title: 'Archive holds a symbolic or hard link',
  defaultSeverity: 'high',
  controls: ['R1', 'D7'],
  description:
    'A member is a symbolic link (zip external attributes or tar type 2) or a hard link (tar type 1). ' +
    'Extracted, a link whose target leaves the archive (absolute or with `..`) lets a later member or a ' +
    'later read reach any file on the machine (high); links inside the archive are medium. Model ' +
    'checkpoints never need links.',
  remediation: 'Do not extract the archive with a tool that creates links; replace the link with the file.',
});

/** A device, FIFO or otherwise unusual member type. */
export const SPECIAL_MEMBER = defineRule({
  id: 'BW-ARCHIVE-007',
  name: 'archive-special-member',
  title: 'Archive holds a device, FIFO or unknown member type',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'A member is a character or block device, a FIFO, a socket, or a type the format does not define. ' +
    'Extracting it as root creates device nodes; unknown types are extracted as regular files by some ' +
    'tools and skipped by others. None of them belongs in a model artifact.',
  remediation: 'Rebuild the archive with regular files and folders only.',
});

/** Member data ranges overlap each other or the central directory. */
export const OVERLAPPING_DATA = defineRule({
  id: 'BW-ARCHIVE-008',
  name: 'archive-overlapping-data',
  title: 'Archive members overlap',
  defaultSeverity: 'high',
  controls: ['R1', 'D7'],
  description:
    'Two entries point at overlapping bytes, or an entry overlaps the central directory. Overlapping ' +
    'entries are the core of non-recursive zip bombs (many entries inflating one kernel) and let one blob ' +
    'be read under several names; no archiver writes them.',
  remediation: 'Do not extract or load the archive; it was crafted.',
});

/** Bytes before the first member: the file is a polyglot. */
export const PREPENDED_DATA = defineRule({
  id: 'BW-ARCHIVE-009',
  name: 'archive-prepended-data',
  title: 'Data before the first archive member',
  defaultSeverity: 'high',
  controls: ['R1', 'D7'],
  description:
    'The archive does not start at the beginning of the file. Zip readers find the central directory from ' +
    'the end and ignore what comes first, but torch.load reads a file that does not start with `PK\\3\\4` as ' +
    'a legacy pickle: a pickle followed by a zip is one file that scanners see as a zip and PyTorch runs ' +
    'as a pickle. Bulwark scans the prepended bytes as well.',
  remediation:
    'Do not load the file. Unless it is a known self-extracting format, strip the prefix only after ' +
    'finding out what wrote it.',
});

/** Bytes between members or after the end of the archive that no member covers. */
export const HIDDEN_DATA = defineRule({
  id: 'BW-ARCHIVE-010',
  name: 'archive-hidden-data',
  title: 'Data outside the archive members',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'Bytes lie between members, between the last member and the directory, or after the end of the ' +
    'archive, where no entry points. Readers skip them, so they are a place to carry a payload that a ' +
    'second-stage loader (or a reader that scans for headers) picks up while member-based scanners never ' +
    'look. Bulwark scans these regions by content.',
  remediation: 'Rebuild the archive with a standard tool, which leaves no unreferenced bytes.',
});

/** An encrypted member that cannot be inspected. */
export const ENCRYPTED_MEMBER = defineRule({
  id: 'BW-ARCHIVE-011',
  name: 'archive-encrypted-member',
  title: 'Encrypted archive member cannot be scanned',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'The member is encrypted (zip flag bit 0 or strong encryption), so its content cannot be inspected. ' +
    'Model loaders cannot read it either without a password, but a two-step loader that decrypts first ' +
    'will run whatever is inside.',
  remediation: 'Obtain the artifact unencrypted, or decrypt it and scan the result before loading it.',
});

/** A compression method the scanner does not decode. */
export const UNSUPPORTED_COMPRESSION = defineRule({
  id: 'BW-ARCHIVE-012',
  name: 'archive-unsupported-compression',
  title: 'Member compression method could not be inspected',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'The member is compressed with a method other than stored or deflate (deflate64, bzip2, LZMA, zstd, ' +
    'xz, or an unknown one), so its content could not be inspected. PyTorch cannot load such members, but ' +
    'Python zipfile (and so np.load of an .npz) decodes bzip2 and LZMA.',
  remediation: 'Recompress the archive with deflate or store the member uncompressed, then scan again.',
});

/** Decompression exceeds a limit: a member, the whole file, the ratio or the member count. */
export const ARCHIVE_BOMB = defineRule({
  id: 'BW-ARCHIVE-013',
  name: 'archive-bomb',
  title: 'Archive exceeds decompression or member limits',
  defaultSeverity: 'high',
  controls: ['R1', 'D7'],
  description:
    'A member declares or inflates to more than the per-member limit, the members together inflate past ' +
    'the per-file limit, or the archive lists more members than the member limit (high: content past the ' +
    'limit was not scanned); or a member of at least 1 MiB compresses better than the ratio limit (medium). ' +
    'Decompression bombs exhaust memory and disk of whatever opens them and are used to hide a payload ' +
    'behind the point where a scanner gives up.',
  remediation:
    'Do not extract the archive. If the sizes are legitimate, raise `scanners.model.maxInflatedBytes`, ' +
    '`maxTotalInflatedBytes` or `maxCompressionRatio` in bulwark.yaml and scan again.',
});

/** Archives nested deeper than the depth limit. */
export const ARCHIVE_TOO_DEEP = defineRule({
  id: 'BW-ARCHIVE-014',
  name: 'archive-too-deep',
  title: 'Archive nested deeper than the depth limit was not opened',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'This archive sits inside more archives than the nesting limit allows, so its members were not ' +
    'scanned. Deep nesting is rare in real artifacts and is a known way to exhaust or outlast scanners.',
  remediation:
    'Unpack the outer layers and scan the inner archive, or raise `scanners.model.maxArchiveDepth` in ' +
    'bulwark.yaml if the nesting is legitimate.',
});

/** Every rule the zip, tar and gzip scanners can report. */
export const ARCHIVE_RULES: readonly Rule[] = [
  MALFORMED_ARCHIVE,
  HEADER_MISMATCH,
  INTEGRITY_MISMATCH,
  DUPLICATE_MEMBER,
  UNSAFE_MEMBER_PATH,
  LINK_MEMBER,
  SPECIAL_MEMBER,
  OVERLAPPING_DATA,
  PREPENDED_DATA,
  HIDDEN_DATA,
  ENCRYPTED_MEMBER,
  UNSUPPORTED_COMPRESSION,
  ARCHIVE_BOMB,
  ARCHIVE_TOO_DEEP,
];
