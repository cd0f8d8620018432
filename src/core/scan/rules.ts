import { defineRule, type Rule } from '../rules.js';

/** A file could not be opened or read, so no scanner saw it. */
export const UNREADABLE_FILE = defineRule({
  id: 'BW-FILE-001',
  name: 'unreadable-file',
  title: 'File could not be read',
  defaultSeverity: 'medium',
  controls: ['D7'],
  description:
    'A file or folder under the scan root could not be opened or read (permissions, a file that vanished or ' +
    'changed size during the scan, an I/O error), so no scanner looked at it. A scan that silently skips ' +
    'files looks clean while it is not: whatever the file holds, a malicious pickle or a leaked secret, ' +
    'went unchecked.',
  remediation:
    'Give the scanning user read access and scan again. If the file is not needed, delete it or exclude it ' +
    'explicitly with a pattern in `.bulwarkignore` (or `scan.ignore` in `bulwark.yaml`) so the exclusion is ' +
    'a reviewed decision.',
});

/** A file above `maxFileSize` was not handed to scanners. */
export const FILE_TOO_LARGE = defineRule({
  id: 'BW-FILE-002',
  name: 'file-too-large',
  title: 'File over the size limit was not scanned',
  defaultSeverity: 'low',
  controls: ['D7'],
  description:
    'The file is larger than the scan size limit, so it was neither read nor digested. The limit keeps a ' +
    'scan of untrusted input bounded, but an oversized file can also be a way to slip a payload past the ' +
    'scanner.',
  remediation:
    'Raise the limit for this scan (`--max-file-size` or `scan.maxFileSize` in `bulwark.yaml`) if the file ' +
    'is expected to be this large, or find out why it is.',
});

/** A folder deeper than `maxDepth` was not walked. */
export const DEPTH_LIMIT_REACHED = defineRule({
  id: 'BW-FILE-003',
  name: 'depth-limit-reached',
  title: 'Folder below the depth limit was not walked',
  defaultSeverity: 'low',
  controls: ['D7'],
  description:
    'The folder is nested deeper than the scan depth limit, so nothing in it was scanned. Deep nesting is ' +
    'rare in real projects and is a known trick to exhaust or evade scanners.',
  remediation:
    'Raise the limit (`--max-depth` or `scan.maxDepth`) if the nesting is legitimate, or flatten the tree.',
});

/** The scan stopped visiting files at `maxFiles`. */
export const FILE_LIMIT_REACHED = defineRule({
  id: 'BW-FILE-004',
  name: 'file-limit-reached',
  title: 'File-count limit reached; the rest was not scanned',
  defaultSeverity: 'medium',
  controls: ['D7'],
  description:
    'The scan visited as many files as the file-count limit allows and stopped; every later file in walk ' +
    'order went unscanned, so the result covers only part of the input. Flooding a tree with files is a ' +
    'simple way to hide one behind the limit.',
  remediation:
    'Raise the limit (`--max-files` or `scan.maxFiles`), scan the folders separately, or exclude generated ' +
    'files with ignore patterns.',
});

/** A symbolic link leads outside the scan root and was not followed. */
export const SYMLINK_OUTSIDE_ROOT = defineRule({
  id: 'BW-FILE-005',
  name: 'symlink-outside-root',
  title: 'Symbolic link pointing outside the scan root was not followed',
  defaultSeverity: 'medium',
  controls: ['D7'],
  description:
    'A symbolic link inside the scanned tree points to a path outside it. Bulwark does not follow it, so ' +
    'its target was not scanned; a project that ships such a link can make tools that do follow it read ' +
    'or package files from elsewhere on the machine (credentials, other projects).',
  remediation:
    'Replace the link with the file it points to, or remove it. Scan the target separately if it belongs ' +
    'to the project.',
});

/** A file's content is a more dangerous kind than its extension says. */
export const CONTENT_EXTENSION_MISMATCH = defineRule({
  id: 'BW-FILE-006',
  name: 'content-extension-mismatch',
  title: 'File content does not match its extension',
  defaultSeverity: 'high',
  controls: ['D7', 'R1'],
  description:
    'The file is named like a harmless type (text, CSV, JSON, an image, safetensors) but its content is a ' +
    'kind that runs or carries code: a pickle, an executable, a zip or another container. Renaming a ' +
    'payload is the classic way past tools and reviewers that trust extensions, and loaders that sniff ' +
    'content (pickle, torch.load) will still execute it. High when the content is executable code, a ' +
    'pickle or a zip; medium for other containers.',
  remediation:
    'Do not load the file. Find out where it came from; if it is legitimate, give it the extension of its ' +
    'real format so every tool treats it as what it is, and prefer a safe format (safetensors, Parquet, ' +
    'JSON) over pickles.',
});

/** A scanner threw while reading a file; the scan went on. */
export const SCANNER_FAULT = defineRule({
  id: 'BW-FILE-007',
  name: 'scanner-fault',
  title: 'A scanner failed on this file',
  defaultSeverity: 'medium',
  controls: ['D7'],
  description:
    'A scanner stopped with an error while reading the file, so its checks did not complete for it; the ' +
    'other scanners and files were still scanned. Malformed or hostile files are built to break parsers, ' +
    'so a file that crashes a scanner deserves a look rather than a pass.',
  remediation:
    'Check the file by hand or with the tool that produced it. If it is well-formed, report the error ' +
    'message in the evidence to the Bulwark maintainers.',
});

/** A device, FIFO or socket in the tree was skipped. */
export const SPECIAL_FILE_SKIPPED = defineRule({
  id: 'BW-FILE-008',
  name: 'special-file-skipped',
  title: 'Special file skipped',
  defaultSeverity: 'low',
  controls: ['D7'],
  description:
    'The tree contains a device, FIFO or socket. Bulwark never opens one, because reading it could block ' +
    'the scan forever or touch hardware; such files do not belong in a dataset or a model repository.',
  remediation: 'Remove the special file from the tree, or exclude its path with an ignore pattern.',
});

/** Rules the scan framework itself reports while walking and reading files (control D7). */
export const SCAN_RULES: readonly Rule[] = [
  UNREADABLE_FILE,
  FILE_TOO_LARGE,
  DEPTH_LIMIT_REACHED,
  FILE_LIMIT_REACHED,
  SYMLINK_OUTSIDE_ROOT,
  CONTENT_EXTENSION_MISMATCH,
  SCANNER_FAULT,
  SPECIAL_FILE_SKIPPED,
];
