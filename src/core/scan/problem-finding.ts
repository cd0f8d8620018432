import type { Finding } from '../findings.js';
import { findingOf } from '../rules.js';
import {
  DEPTH_LIMIT_REACHED,
  FILE_LIMIT_REACHED,
  FILE_TOO_LARGE,
  SPECIAL_FILE_SKIPPED,
  SYMLINK_OUTSIDE_ROOT,
  UNREADABLE_FILE,
} from './rules.js';
import type { ScanLimits } from './types.js';
import type { ProblemWalkEntry, WalkProblem } from './walk-entry.js';

/** Problems about one file (counted as skipped files), as opposed to limits on the walk itself. */
export const FILE_PROBLEMS: readonly WalkProblem[] = [
  'unreadable',
  'special-file',
  'symlink-outside',
  'too-large',
];

/** Turns what a walker could not hand over into a finding of `SCAN_RULES`, so skipped input is visible. */
export function findingForProblem(entry: ProblemWalkEntry, limits: ScanLimits): Finding {
  const location = { path: entry.path };
  const evidence = { detail: entry.detail };
  switch (entry.problem) {
    case 'unreadable':
      return findingOf(UNREADABLE_FILE, {
        message: `could not read ${entry.path}: ${entry.detail}`,
        location,
        evidence,
      });
    case 'depth-limit':
      return findingOf(DEPTH_LIMIT_REACHED, {
        message: `${entry.path} is deeper than the depth limit (${limits.maxDepth}) and was not walked`,
        location,
        evidence: { ...evidence, maxDepth: limits.maxDepth },
      });
    case 'file-limit':
      return findingOf(FILE_LIMIT_REACHED, {
        message: `the file limit (${limits.maxFiles}) was reached at ${entry.path}; later files were not scanned`,
        location,
        evidence: { ...evidence, maxFiles: limits.maxFiles },
      });
    case 'symlink-outside':
      return findingOf(SYMLINK_OUTSIDE_ROOT, {
        message: `symbolic link ${entry.path} points outside the scan root and was not followed (${entry.detail})`,
        location,
        evidence,
      });
    case 'special-file':
      return findingOf(SPECIAL_FILE_SKIPPED, {
        message: `${entry.path} is a special file (${entry.detail}) and was skipped`,
        location,
        evidence,
      });
    case 'too-large':
      return tooLargeFinding(entry.path, entry.size, limits);
  }
}

/** The finding for a file over `maxFileSize`. */
export function tooLargeFinding(path: string, size: number | undefined, limits: ScanLimits): Finding {
  const sizeText = size === undefined ? 'larger than' : `${size} bytes, over`;
  return findingOf(FILE_TOO_LARGE, {
    message: `${path} was not scanned: ${sizeText} the size limit of ${limits.maxFileSize} bytes`,
    location: { path },
    evidence:
      size === undefined ? { maxFileSize: limits.maxFileSize } : { size, maxFileSize: limits.maxFileSize },
  });
}
