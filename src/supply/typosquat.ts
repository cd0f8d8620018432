import { editDistance } from './edit-distance.js';

/** How a name imitates a popular one. */
export const SQUAT_KINDS = ['separator', 'confusable', 'one-edit', 'two-edits'] as const;

/** One of `SQUAT_KINDS`. */
export type SquatKind = (typeof SQUAT_KINDS)[number];

/** A popular name that a checked name imitates, and how. */
export interface SquatMatch {
  readonly target: string;
  readonly kind: SquatKind;
  /** Edit distance between the normalized names (0 when only separators or confusables differ). */
  readonly distance: number;
}

/** Settings of a {@link LookalikeDetector}; lengths are those of the popular name. */
export interface LookalikeSettings {
  /** Popular names at least this long are matched at edit distance 1 (default 5). */
  readonly minLengthOneEdit?: number;
  /** Popular names at least this long are matched at edit distance 2 (default 10). */
  readonly minLengthTwoEdits?: number;
  /** Also fold `i` into `l` (for case-insensitive names where `I` and `l` look alike). */
  readonly foldIToL?: boolean;
}

const SEPARATORS = /[-_.]+/g;

/** Removes `-`, `_` and `.`, so `scikitlearn` and `scikit_learn` meet `scikit-learn`. */
export function foldSeparators(name: string): string {
  return name.replace(SEPARATORS, '');
}

/** Folds characters that render alike (`0`→`o`, `1`→`l`, `rn`→`m`, `vv`→`w`) and removes separators. */
export function foldConfusables(name: string, foldIToL = false): string {
  let folded = foldSeparators(name)
    .replace(/0/g, 'o')
    .replace(/1/g, 'l')
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w');
  if (foldIToL) folded = folded.replace(/i/g, 'l');
  return folded;
}

/**
 * Finds names that imitate one of a list of popular names: the same name with separators
 * inserted, removed or swapped; the same name after folding look-alike characters; one edit
 * (insertion, deletion, substitution, adjacent swap) from a popular name of at least 5 characters;
 * or two edits from one of at least 10. Names are compared in the normal form the caller gives
 * (PEP 503 for PyPI); a name that is itself popular never matches.
 */
export class LookalikeDetector {
  readonly #popular: readonly string[];
  readonly #popularSet: Set<string>;
  readonly #bySeparators = new Map<string, string>();
  readonly #byConfusables = new Map<string, string>();
  readonly #oneEdit: number;
  readonly #twoEdits: number;
  readonly #foldIToL: boolean;

  /** `popular` must already be normalized; earlier names win ties. */
  constructor(popular: Iterable<string>, settings: LookalikeSettings = {}) {
    this.#popular = [...new Set(popular)];
    this.#popularSet = new Set(this.#popular);
    this.#oneEdit = settings.minLengthOneEdit ?? 5;
    this.#twoEdits = settings.minLengthTwoEdits ?? 10;
    this.#foldIToL = settings.foldIToL ?? false;
    for (const name of this.#popular) {
      const separators = foldSeparators(name);
      if (!this.#bySeparators.has(separators)) this.#bySeparators.set(separators, name);
      const confusables = foldConfusables(name, this.#foldIToL);
      if (!this.#byConfusables.has(confusables)) this.#byConfusables.set(confusables, name);
    }
  }

  /** Tells whether a normalized name is one of the popular names. */
  isPopular(name: string): boolean {
    return this.#popularSet.has(name);
  }

  /** The popular name that `name` (normalized) imitates, or undefined. */
  match(name: string): SquatMatch | undefined {
    if (name.length === 0 || name.length > 214 || this.#popularSet.has(name)) return undefined;
    const separators = this.#bySeparators.get(foldSeparators(name));
    if (separators !== undefined) return { target: separators, kind: 'separator', distance: 0 };
    const confusable = this.#byConfusables.get(foldConfusables(name, this.#foldIToL));
    if (confusable !== undefined) return { target: confusable, kind: 'confusable', distance: 0 };
    let best: SquatMatch | undefined;
    for (const candidate of this.#popular) {
      const max = candidate.length >= this.#twoEdits ? 2 : candidate.length >= this.#oneEdit ? 1 : 0;
      if (max === 0 || Math.abs(candidate.length - name.length) > max) continue;
      const distance = editDistance(name, candidate, max);
      if (distance > max || (best !== undefined && distance >= best.distance)) continue;
      best = { target: candidate, kind: distance === 1 ? 'one-edit' : 'two-edits', distance };
      if (distance === 1) break;
    }
    return best;
  }
}
