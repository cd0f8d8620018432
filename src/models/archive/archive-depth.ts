import type { ArtifactContext } from '../artifact.js';
import { ARCHIVE_TOO_DEEP } from './archive-rules.js';
import type { FindingSink } from './finding-sink.js';

/**
 * Reports an archive at the nesting limit and tells the caller not to open it (`what` names it in the
 * message, e.g. "zip archive"; `consequence` says what was not done).
 */
export function isTooDeep(
  ctx: ArtifactContext,
  sink: FindingSink,
  what: string,
  consequence: string,
): boolean {
  if (ctx.depth < ctx.limits.maxArchiveDepth) return false;
  sink.add(ARCHIVE_TOO_DEEP, {
    message: `${what} nested ${ctx.depth} deep, at the limit of ${ctx.limits.maxArchiveDepth}; ${consequence}`,
    location: ctx.location,
    evidence: { depth: ctx.depth, maxArchiveDepth: ctx.limits.maxArchiveDepth },
  });
  return true;
}
