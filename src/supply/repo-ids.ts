import { LEGACY_MODEL_IDS, MIRROR_ORGANISATIONS, POPULAR_MODELS } from './popular-models.js';
import { LookalikeDetector, type SquatKind } from './typosquat.js';

/** What a Hugging Face repo id is, compared with the popular repositories. */
export type RepoIdVerdict =
  | { readonly kind: 'popular' }
  | { readonly kind: 'trusted-organisation' }
  | {
      readonly kind: 'lookalike-organisation';
      /** The popular organisation imitated. */
      readonly organisation: string;
      readonly how: SquatKind;
      /** The popular repo with the same model name under the imitated organisation, when there is one. */
      readonly imitates?: string;
    }
  | { readonly kind: 'shadow'; readonly imitates: string }
  | { readonly kind: 'unknown' };

const REPO_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

/** Tells whether a string has the shape of a Hub repo id (`org/name`). */
export function isRepoIdShape(value: string): boolean {
  return REPO_ID.test(value) && !value.includes('..') && !value.endsWith('.git');
}

/**
 * Compares Hugging Face repo ids with a list of popular repositories (control T3): an organisation
 * that imitates a popular one (edit distance 1 from names of 5+ characters, 2 from names of 8+,
 * look-alike characters, separators) is a look-alike; a popular model name under an organisation
 * that is neither popular nor a known mirror is a possible shadow repo. Comparisons ignore case,
 * as the Hub does.
 */
export class RepoIdChecker {
  readonly #popularIds = new Set<string>();
  readonly #organisations = new Set<string>();
  readonly #byModelName = new Map<string, string>();
  readonly #displayOrg = new Map<string, string>();
  readonly #detector: LookalikeDetector;

  constructor(extraModels: readonly string[] = []) {
    const ids = [...POPULAR_MODELS, ...extraModels];
    for (const id of ids) {
      const [org = '', name = ''] = id.split('/');
      const lowerOrg = org.toLowerCase();
      this.#popularIds.add(id.toLowerCase());
      this.#organisations.add(lowerOrg);
      if (!this.#displayOrg.has(lowerOrg)) this.#displayOrg.set(lowerOrg, org);
      if (!this.#byModelName.has(name.toLowerCase())) this.#byModelName.set(name.toLowerCase(), id);
    }
    for (const org of MIRROR_ORGANISATIONS) {
      this.#organisations.add(org.toLowerCase());
      if (!this.#displayOrg.has(org.toLowerCase())) this.#displayOrg.set(org.toLowerCase(), org);
    }
    const lookalikeTargets = [...this.#organisations];
    this.#detector = new LookalikeDetector(lookalikeTargets, {
      minLengthOneEdit: 5,
      minLengthTwoEdits: 8,
      foldIToL: true,
    });
  }

  /** Tells whether a single-segment id is a legacy alias of a popular model (`gpt2`). */
  isLegacyId(id: string): boolean {
    return LEGACY_MODEL_IDS.includes(id.toLowerCase());
  }

  /** Classifies an `org/name` repo id. */
  check(id: string): RepoIdVerdict {
    const lower = id.toLowerCase();
    if (this.#popularIds.has(lower) || this.isLegacyId(lower)) return { kind: 'popular' };
    const [org = '', name = ''] = lower.split('/');
    if (this.#organisations.has(org)) return { kind: 'trusted-organisation' };
    const lookalike = this.#detector.match(org);
    if (lookalike !== undefined) {
      const organisation = this.#displayOrg.get(lookalike.target) ?? lookalike.target;
      const sameName = this.#byModelName.get(name);
      const imitates =
        sameName !== undefined && sameName.toLowerCase().startsWith(`${lookalike.target}/`)
          ? sameName
          : undefined;
      return {
        kind: 'lookalike-organisation',
        organisation,
        how: lookalike.kind,
        ...(imitates === undefined ? {} : { imitates }),
      };
    }
    const shadowed = this.#byModelName.get(name);
    if (shadowed !== undefined) return { kind: 'shadow', imitates: shadowed };
    return { kind: 'unknown' };
  }

  /** Tells whether an id (either shape) is one of the popular repositories. */
  isPopular(id: string): boolean {
    const lower = id.toLowerCase();
    return this.#popularIds.has(lower) || this.isLegacyId(lower);
  }
}
