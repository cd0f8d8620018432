import { hashWords } from './hash32.js';
import type { NgramCandidate } from './ngram-counts.js';
import type { TokenStore } from './token-store.js';

/** A candidate n-gram that passed the corrected binomial test. */
export interface SignificantNgram {
  readonly candidate: NgramCandidate;
  readonly pValue: number;
}

/** One trigger seen through all the n-gram windows that fall on it. */
export interface TriggerGroup {
  /** The member with the longest n-gram (then the smallest p-value). */
  readonly lead: SignificantNgram;
  /** The whole phrase, rebuilt from the overlapping windows in the first row carrying it. */
  readonly phrase: string;
  /** The member n-grams, longest first. */
  readonly ngrams: readonly string[];
  /** Stored row indices carrying the trigger. */
  readonly indices: readonly number[];
  /** Token ids of the phrase, left out when asking whether the rest of a row supports its label. */
  readonly tokens: ReadonlySet<number>;
}

/**
 * Groups significant n-grams into triggers. A trigger of k tokens shows up as every window of it (a
 * 5-word phrase as three trigrams, four bigrams and five unigrams) with exactly the same rows, so
 * n-grams are first grouped by row set. Windows that straddle the trigger and a neighbouring word
 * (", cf mn") have a subset of its rows; a group sharing tokens with a larger group of the same label
 * whose rows include all of its own is folded into it.
 */
export function groupTriggers(
  significant: readonly SignificantNgram[],
  rows: ReadonlyMap<number, readonly number[]>,
  store: TokenStore,
): TriggerGroup[] {
  const byRows = new Map<string, { members: SignificantNgram[]; indices: readonly number[] }>();
  for (const entry of significant) {
    const indices = rows.get(entry.candidate.key) ?? [];
    const fingerprint = `${entry.candidate.label}:${indices.length}:${hashWords(indices, 0, indices.length, 7)}`;
    const group = byRows.get(fingerprint);
    if (group === undefined) byRows.set(fingerprint, { members: [entry], indices });
    else group.members.push(entry);
  }
  const groups = [...byRows.values()]
    .map(({ members, indices }) => describe(members, indices, store))
    .sort((a, b) => b.indices.length - a.indices.length);
  const kept: { group: TriggerGroup; rowSet: Set<number> }[] = [];
  for (const group of groups) {
    const container = kept.find(
      ({ group: other, rowSet }) =>
        other.lead.candidate.label === group.lead.candidate.label &&
        [...group.tokens].some((token) => other.tokens.has(token)) &&
        group.indices.every((index) => rowSet.has(index)),
    );
    if (container === undefined) kept.push({ group, rowSet: new Set(group.indices) });
  }
  return kept.map(({ group }) => group);
}

function describe(members: SignificantNgram[], indices: readonly number[], store: TokenStore): TriggerGroup {
  members.sort(
    (a, b) =>
      b.candidate.length - a.candidate.length ||
      a.pValue - b.pValue ||
      a.candidate.index - b.candidate.index ||
      a.candidate.position - b.candidate.position,
  );
  const lead = members[0]!;
  const ngrams = members.map(({ candidate }) =>
    store.phraseAt(candidate.index, candidate.position, candidate.length),
  );
  // Identical row sets share their first row, where every member's first occurrence is recorded.
  let start = lead.candidate.position;
  let end = start + lead.candidate.length;
  for (let grown = true; grown;) {
    grown = false;
    for (const { candidate } of members) {
      if (candidate.index !== lead.candidate.index) continue;
      const from = candidate.position;
      const to = from + candidate.length;
      if (from <= end && to >= start && (from < start || to > end)) {
        start = Math.min(start, from);
        end = Math.max(end, to);
        grown = true;
      }
    }
  }
  const tokens = new Set<number>();
  for (const { candidate } of members) {
    for (const token of store
      .tokensOf(candidate.index)
      .subarray(candidate.position, candidate.position + candidate.length))
      tokens.add(token);
  }
  return { lead, phrase: store.phraseAt(lead.candidate.index, start, end - start), ngrams, indices, tokens };
}
