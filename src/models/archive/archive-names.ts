import type { ArtifactLocation } from '../artifact.js';
import { memberLocation } from '../artifact.js';
import { DUPLICATE_MEMBER, UNSAFE_MEMBER_PATH } from './archive-rules.js';
import type { FindingSink } from './finding-sink.js';
import { memberPathProblem, normalizeMemberPath } from './member-path.js';

/** A member name and the offset of its header, for name checks. */
export interface NamedMember {
  readonly name: string;
  readonly offset: number;
}

/**
 * Reports unsafe member paths (zip slip, tar slip, NUL tricks) and duplicate names, exact (high) or equal
 * once normalized (medium), for the members of one archive in order.
 */
export function reportMemberNames(
  members: readonly NamedMember[],
  sink: FindingSink,
  parent: ArtifactLocation,
): void {
  const exact = new Map<string, number>();
  const normalized = new Map<string, string>();
  for (const { name, offset } of members) {
    const location = { ...memberLocation(parent, name), offset };
    const problem = memberPathProblem(name);
    if (problem !== undefined) {
      sink.add(UNSAFE_MEMBER_PATH, {
        message: `member path ${JSON.stringify(name)} is unsafe: ${problem.reasons.join('; ')}`,
        location,
        severity: problem.severity,
        evidence: { name, reasons: [...problem.reasons] },
      });
    }
    const firstOffset = exact.get(name);
    const key = normalizeMemberPath(name);
    const sameAfterNormalizing = normalized.get(key);
    if (firstOffset !== undefined) {
      sink.add(DUPLICATE_MEMBER, {
        message: `member ${JSON.stringify(name)} appears more than once (first at offset ${firstOffset}); readers disagree on which copy wins`,
        location,
        evidence: { name, firstOffset },
      });
    } else if (sameAfterNormalizing !== undefined) {
      sink.add(DUPLICATE_MEMBER, {
        message: `member ${JSON.stringify(name)} names the same path as ${JSON.stringify(sameAfterNormalizing)} once normalized`,
        location,
        severity: 'medium',
        evidence: { name, other: sameAfterNormalizing, normalized: key },
      });
    }
    if (firstOffset === undefined) exact.set(name, offset);
    if (sameAfterNormalizing === undefined) normalized.set(key, name);
  }
}
