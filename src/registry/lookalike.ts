import { BulwarkError } from '../core/errors.js';
import { severityRank, type Severity } from '../core/severity.js';
import {
  DISTANCE_FOLDING,
  fold,
  KEY_FOLDING,
  NUMBERS,
  SEPARATORS,
  hasMixedScripts,
  scriptsIn,
} from './name-folding.js';

import { editDistance } from '../supply/edit-distance.js';

export { hasMixedScripts, scriptsIn, skeleton } from './name-folding.js';

/** Why a pushed name was taken for a look-alike (shadow) of an existing one (control R5). */
export const LOOKALIKE_REASONS = ['confusable', 'edit-distance', 'case-or-separator'] as const;

/** One of `LOOKALIKE_REASONS`. */
export type LookalikeReason = (typeof LOOKALIKE_REASONS)[number];

/** An existing name that a candidate imitates, and how. */
export interface Lookalike {
  /** The existing name imitated. */
  readonly name: string;
  readonly reason: LookalikeReason;
  /** Edits between the folded skeletons (edit-distance only). */
  readonly distance?: number;
  /** high: renders alike; medium: one edit; low: two edits; info: a variant (reported on request). */
  readonly severity: Severity;
  /** Set when the edits look like a sibling model rather than an imitation (see `VARIANT_KINDS`). */
  readonly variant?: VariantKind;
  /** One line for a terminal: what differs, look-alike characters and mixed scripts. */
  readonly detail: string;
}

/**
 * Edits that usually mark a sibling, not an impersonation: `numbers` (version or size:
 * `Qwen2.5-7B` / `Qwen2.5-3B`, `v0.1` / `v0.2`) and `short-token` (one whole short token differs:
 * `opus-mt-en-de` / `opus-mt-en-fr`, `flan-t5-xl` / `flan-t5-xxl`; letters only).
 */
export const VARIANT_KINDS = ['numbers', 'short-token'] as const;

/** One of `VARIANT_KINDS`. */
export type VariantKind = (typeof VARIANT_KINDS)[number];

/** Settings of the look-alike search; every field has a documented default. */
export interface LookalikeOptions {
  /** Largest edit distance flagged (default 2, at most 3). */
  readonly maxDistance?: number;
  /** Names (folded skeletons) this short or shorter are flagged at one edit only (default 8). */
  readonly shortNameLength?: number;
  /** Names shorter than this are never compared by edit distance (default 3). */
  readonly minLength?: number;
  /** Variants (see `VARIANT_KINDS`): `ignore` (default) or `report` at severity info. */
  readonly variantEdits?: 'ignore' | 'report';
  /** A differing token this short or shorter in both names makes a short-token variant (default 2). */
  readonly variantTokenLength?: number;
  /** Most existing names accepted (default 1,000,000). */
  readonly maxExisting?: number;
  /** Most look-alikes returned, most severe first (default 20). */
  readonly maxResults?: number;
}

/** Longest name compared, in UTF-16 code units; longer existing names are skipped. */
export const MAX_NAME_LENGTH = 256;

interface NameForms {
  readonly name: string;
  /** Lower case, separators removed: equal keys differ only in case or separators. */
  readonly caseKey: string;
  /** Folded skeleton, separators removed: equal keys render alike. */
  readonly skeletonKey: string;
  /** Folded skeleton (`m` kept), separator runs as `-`: what edit distance is measured on. */
  readonly compare: string;
  /** For `org/model` names, the model's skeleton key. */
  readonly modelKey?: string;
}

// Where the organisation of an `org/model` name ends, or -1 for other names.
function orgEnd(name: string): number {
  const slash = name.indexOf('/');
  return slash <= 0 || slash === name.length - 1 || name.includes('/', slash + 1) ? -1 : slash;
}

function formsOf(name: string): NameForms {
  const lower = name.toLowerCase();
  const caseKey = lower.replace(SEPARATORS, '');
  const skeletonKey = fold(name, KEY_FOLDING, '', lower);
  const compare = fold(name, DISTANCE_FOLDING, '-', lower);
  const slash = orgEnd(name);
  if (slash < 0) return { name, caseKey, skeletonKey, compare };
  // A prototype can hold a slash (`%` is `º/₀`); the model part is then folded on its own.
  const at = skeletonKey.indexOf('/');
  const modelKey =
    at >= 0 && !skeletonKey.includes('/', at + 1)
      ? skeletonKey.slice(at + 1)
      : fold(name.slice(slash + 1), KEY_FOLDING, '');
  return { name, caseKey, skeletonKey, compare, modelKey };
}

function distanceForm(name: string): string {
  return fold(name, DISTANCE_FOLDING, '-');
}

function caseKey(name: string): string {
  return name.toLowerCase().replace(SEPARATORS, '');
}

function numberMask(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(NUMBERS, '#').replace(SEPARATORS, '-');
}

// Character counts of a distance form in BAG slots (a–z, 0–9, `-`, `/`, two for the rest). Edits
// change at most one count up and one down and swaps none, so the larger of the total surplus and
// the total deficit between two bags is a lower bound of their edit distance.
const BAG = 40;

function fillBag(text: string, bags: Uint8Array, offset: number): void {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const slot =
      code >= 97 && code <= 122
        ? code - 97
        : code >= 48 && code <= 57
          ? code - 22
          : code === 45
            ? 36
            : code === 47
              ? 37
              : 38 + (code & 1);
    if (bags[offset + slot]! < 255) bags[offset + slot]!++;
  }
}

function bagsDifferBeyond(a: Uint8Array, b: Uint8Array, offset: number, max: number): boolean {
  let surplus = 0;
  let deficit = 0;
  for (let slot = 0; slot < BAG; slot++) {
    const d = a[slot]! - b[offset + slot]!;
    if (d > 0) surplus += d;
    else deficit -= d;
    if (surplus > max || deficit > max) return true;
  }
  return false;
}

interface LengthBucket {
  readonly forms: NameForms[];
  /** BAG counts per name, grown by doubling. */
  bags: Uint8Array;
}

// Most keys are unique, so a key holds one entry and becomes a list only on a collision.
type Entries = NameForms | NameForms[];

function push(map: Map<string, Entries>, key: string, forms: NameForms): void {
  const held = map.get(key);
  if (held === undefined) map.set(key, forms);
  else if (Array.isArray(held)) held.push(forms);
  else map.set(key, [held, forms]);
}

function entries(held: Entries | undefined): readonly NameForms[] {
  return held === undefined ? [] : Array.isArray(held) ? held : [held];
}

/**
 * The existing names of a registry, prepared once for many look-alike searches: exact keys for
 * confusable and case/separator look-alikes, and buckets by length with character counts, so that
 * edit distance is only measured against names of a similar length and make-up.
 */
export class LookalikeIndex {
  readonly #byCase = new Map<string, Entries>();
  readonly #bySkeleton = new Map<string, Entries>();
  readonly #byModel = new Map<string, Entries>();
  readonly #byLength = new Map<number, LengthBucket>();
  readonly #options: Required<LookalikeOptions>;
  #size = 0;

  /** Indexes `existing`; names that are empty, not strings or over MAX_NAME_LENGTH are skipped. */
  constructor(existing: readonly string[], options: LookalikeOptions = {}) {
    this.#options = checkOptions(options);
    if (!Array.isArray(existing)) throw new BulwarkError('INPUT_INVALID', 'existing names must be a list');
    if (existing.length > this.#options.maxExisting) {
      throw new BulwarkError(
        'LIMIT_EXCEEDED',
        `${existing.length} existing names exceed the limit of ${this.#options.maxExisting}`,
      );
    }
    for (const name of existing) {
      if (typeof name === 'string' && name.length > 0 && name.length <= MAX_NAME_LENGTH) {
        this.#insert(formsOf(name));
      }
    }
  }

  /** Adds a newly accepted name, so that a registry keeps one index across pushes. */
  add(name: string): void {
    checkCandidate(name);
    const forms = formsOf(name);
    if (this.#holds(forms)) return;
    if (this.#size >= this.#options.maxExisting) {
      throw new BulwarkError(
        'LIMIT_EXCEEDED',
        `the index holds the limit of ${this.#options.maxExisting} names`,
      );
    }
    this.#insert(forms);
  }

  #holds(forms: NameForms): boolean {
    return entries(this.#byCase.get(forms.caseKey)).some((e) => e.name === forms.name);
  }

  #insert(forms: NameForms): void {
    if (this.#holds(forms)) return;
    this.#size++;
    push(this.#byCase, forms.caseKey, forms);
    push(this.#bySkeleton, forms.skeletonKey, forms);
    if (forms.modelKey !== undefined) push(this.#byModel, forms.modelKey, forms);
    let bucket = this.#byLength.get(forms.compare.length);
    if (bucket === undefined) {
      bucket = { forms: [], bags: new Uint8Array(16 * BAG) };
      this.#byLength.set(forms.compare.length, bucket);
    }
    const offset = bucket.forms.length * BAG;
    if (offset + BAG > bucket.bags.length) {
      const grown = new Uint8Array(bucket.bags.length * 2);
      grown.set(bucket.bags);
      bucket.bags = grown;
    }
    fillBag(forms.compare, bucket.bags, offset);
    bucket.forms.push(forms);
  }

  /** The existing names that `candidate` imitates, most severe first; its exact equal is not one. */
  find(candidate: string): Lookalike[] {
    checkCandidate(candidate);
    const options = this.#options;
    const c = formsOf(candidate);
    const found = new Map<string, Lookalike>();
    const exact = [
      ...entries(this.#byCase.get(c.caseKey)),
      ...entries(this.#bySkeleton.get(c.skeletonKey)),
      ...(c.modelKey === undefined ? [] : entries(this.#byModel.get(c.modelKey))),
    ];
    for (const e of exact) if (!found.has(e.name)) keep(found, e, matchExact(c, e, options));
    const bag = new Uint8Array(BAG);
    fillBag(c.compare, bag, 0);
    const max = options.maxDistance;
    for (let length = c.compare.length - max; length <= c.compare.length + max; length++) {
      const bucket = this.#byLength.get(length);
      for (let i = 0; bucket !== undefined && i < bucket.forms.length; i++) {
        if (bagsDifferBeyond(bag, bucket.bags, i * BAG, max)) continue;
        const e = bucket.forms[i]!;
        if (!found.has(e.name)) keep(found, e, matchDistance(c, e, options));
      }
    }
    return ranked(found, options);
  }
}

/**
 * The existing names that a newly pushed `candidate` imitates (control R5): the same name in other
 * case or separators, the same UTS #39 skeleton (look-alike characters, mixed scripts), the same
 * model under a look-alike organisation, or within Damerau–Levenshtein (optimal string alignment)
 * distance 2 of the folded skeletons (1 for names of 8 characters or fewer). Sibling variants
 * (numbers, one short token) are not flagged unless `variantEdits` is `report`. One pass over
 * `existing` that keeps nothing; for many searches over the same names keep a {@link LookalikeIndex}.
 */
export function findLookalikes(
  candidate: string,
  existing: readonly string[],
  options: LookalikeOptions = {},
): Lookalike[] {
  checkCandidate(candidate);
  const resolved = checkOptions(options);
  if (!Array.isArray(existing)) throw new BulwarkError('INPUT_INVALID', 'existing names must be a list');
  if (existing.length > resolved.maxExisting) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `${existing.length} existing names exceed the limit of ${resolved.maxExisting}`,
    );
  }
  const c = formsOf(candidate);
  const bag = new Uint8Array(BAG);
  fillBag(c.compare, bag, 0);
  const scratch = new Uint8Array(BAG);
  const found = new Map<string, Lookalike>();
  for (const name of existing) {
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) continue;
    if (name === candidate || found.has(name)) continue;
    const e = formsOf(name);
    let lookalike = matchExact(c, e, resolved);
    if (lookalike === undefined && Math.abs(e.compare.length - c.compare.length) <= resolved.maxDistance) {
      scratch.fill(0);
      fillBag(e.compare, scratch, 0);
      if (!bagsDifferBeyond(bag, scratch, 0, resolved.maxDistance)) lookalike = matchDistance(c, e, resolved);
    }
    keep(found, e, lookalike);
  }
  return ranked(found, resolved);
}

function keep(
  found: Map<string, Lookalike>,
  e: NameForms,
  lookalike: Omit<Lookalike, 'name'> | undefined,
): void {
  if (lookalike !== undefined) found.set(e.name, { name: e.name, ...lookalike });
}

function ranked(found: Map<string, Lookalike>, options: Required<LookalikeOptions>): Lookalike[] {
  return [...found.values()].sort(byRank).slice(0, options.maxResults);
}

// Same name in other case or separators, same skeleton, or the same model under a look-alike org.
function matchExact(
  c: NameForms,
  e: NameForms,
  options: Required<LookalikeOptions>,
): Omit<Lookalike, 'name'> | undefined {
  if (e.name === c.name) return undefined;
  if (e.caseKey === c.caseKey)
    return { reason: 'case-or-separator', severity: 'high', detail: describeCase(c, e) };
  if (e.skeletonKey === c.skeletonKey) {
    return { reason: 'confusable', severity: 'high', detail: describeConfusable(c, e) };
  }
  return c.modelKey !== undefined && c.modelKey === e.modelKey
    ? compareOrgs(c.name, e.name, options)
    : undefined;
}

function matchDistance(
  c: NameForms,
  e: NameForms,
  options: Required<LookalikeOptions>,
): Omit<Lookalike, 'name'> | undefined {
  if (e.name === c.name) return undefined;
  const lookalike = compareByDistance(c.compare, e.compare, options);
  if (lookalike === undefined) return undefined;
  const variant = variantOf(c, e, options.variantTokenLength);
  if (variant !== undefined && options.variantEdits === 'ignore') return undefined;
  return { ...lookalike, ...describeEdit(c, e, lookalike.distance ?? 0, variant) };
}

function thresholdFor(length: number, options: Required<LookalikeOptions>): number {
  if (length < options.minLength) return 0;
  return length <= options.shortNameLength ? Math.min(1, options.maxDistance) : options.maxDistance;
}

function compareByDistance(
  a: string,
  b: string,
  options: Required<LookalikeOptions>,
): Pick<Lookalike, 'reason' | 'distance' | 'severity'> | undefined {
  const max = thresholdFor(Math.min(a.length, b.length), options);
  if (max === 0 || Math.abs(a.length - b.length) > max) return undefined;
  const distance = editDistance(a, b, max);
  if (distance === 0 || distance > max) return undefined;
  return { reason: 'edit-distance', distance, severity: distance === 1 ? 'medium' : 'low' };
}

function compareOrgs(
  candidate: string,
  existing: string,
  options: Required<LookalikeOptions>,
): Omit<Lookalike, 'name'> | undefined {
  const ours = candidate.slice(0, orgEnd(candidate));
  const theirs = existing.slice(0, orgEnd(existing));
  if (ours === theirs) return undefined;
  const same = `same model name as ${quote(existing)} under organisation ${quote(ours)}, which imitates ${quote(theirs)}`;
  if (caseKey(ours) === caseKey(theirs)) {
    return { reason: 'case-or-separator', severity: 'high', detail: `${same} (case or separators)` };
  }
  if (fold(ours, KEY_FOLDING, '') === fold(theirs, KEY_FOLDING, '')) {
    return {
      reason: 'confusable',
      severity: 'high',
      detail: `${same}${confusableNote(candidate, existing)}`,
    };
  }
  const byDistance = compareByDistance(distanceForm(ours), distanceForm(theirs), options);
  if (byDistance === undefined || numberMask(ours) === numberMask(theirs)) return undefined;
  return { ...byDistance, detail: `${same} (${changeOf(ours, theirs)})` };
}

function describeCase(c: NameForms, e: NameForms): string {
  return `differs from ${quote(e.name)} only in letter case or separators (${changeOf(c.name, e.name)})`;
}

function describeConfusable(c: NameForms, e: NameForms): string {
  return `renders like ${quote(e.name)} (same Unicode skeleton)${confusableNote(c.name, e.name)}`;
}

// Numbers hide versions and sizes; one short all-letter token hides a language pair or a size tag.
function variantOf(c: NameForms, e: NameForms, tokenLength: number): VariantKind | undefined {
  if (numberMask(c.name) === numberMask(e.name)) return 'numbers';
  const ours = tokensOf(c.name);
  const theirs = tokensOf(e.name);
  if (ours.length !== theirs.length) return undefined;
  const differing = ours.flatMap((token, i) => (token === theirs[i] ? [] : [[token, theirs[i] ?? '']]));
  const [pair] = differing;
  if (differing.length !== 1 || pair === undefined) return undefined;
  // Letters only: a size such as `7b` turned `7p` is left to the numbers rule, and stays flagged.
  return pair.every((token) => token.length <= tokenLength && /^\p{L}+$/u.test(token))
    ? 'short-token'
    : undefined;
}

function tokensOf(name: string): string[] {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .split(/[-_.\s/]+/);
}

function describeEdit(
  c: NameForms,
  e: NameForms,
  distance: number,
  variant: VariantKind | undefined,
): Pick<Lookalike, 'detail' | 'severity' | 'variant'> {
  if (variant !== undefined) {
    const what = variant === 'numbers' ? 'only in numbers' : 'in one short token';
    return {
      severity: 'info',
      variant,
      detail: `differs from ${quote(e.name)} ${what}, likely a sibling model (${changeOf(c.name, e.name)})`,
    };
  }
  const edits = distance === 1 ? 'one edit' : `${distance} edits`;
  return {
    severity: distance === 1 ? 'medium' : 'low',
    detail: `${edits} from ${quote(e.name)} (${changeOf(c.name, e.name)})${mixedNote(c.name)}`,
  };
}

function confusableNote(candidate: string, existing: string): string {
  const foreign = [...new Set(candidate)].filter((ch) => ch.codePointAt(0)! > 0x7f && !existing.includes(ch));
  const chars = foreign
    .slice(0, 5)
    .map((ch) =>
      `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} ${scriptsIn(ch)[0] ?? ''}`.trim(),
    );
  const shown = chars.length > 0 ? `; look-alike characters: ${chars.join(', ')}` : '';
  return `: ${changeOf(candidate, existing)}${shown}${mixedNote(candidate)}`;
}

function mixedNote(name: string): string {
  return hasMixedScripts(name) ? `; mixed scripts: ${scriptsIn(name).join('+')}` : '';
}

// The span that differs once the common prefix and suffix are set aside, in code points.
function changeOf(candidate: string, existing: string): string {
  const a = [...candidate];
  const b = [...existing];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end])
    end++;
  const ours = a.slice(start, a.length - end).join('');
  const theirs = b.slice(start, b.length - end).join('');
  if (ours === '') return `drops ${quote(theirs)}`;
  if (theirs === '') return `adds ${quote(ours)}`;
  return `${quote(ours)} in place of ${quote(theirs)}`;
}

function quote(text: string): string {
  return JSON.stringify(text).replace(
    /\p{Default_Ignorable_Code_Point}/gu,
    (ch) => `\\u${ch.codePointAt(0)!.toString(16)}`,
  );
}

function byRank(a: Lookalike, b: Lookalike): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    (a.distance ?? 0) - (b.distance ?? 0) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

function checkCandidate(candidate: unknown): asserts candidate is string {
  if (typeof candidate !== 'string' || candidate.trim() === '') {
    throw new BulwarkError('INPUT_INVALID', 'a model name must be a non-empty string');
  }
  if (candidate.length > MAX_NAME_LENGTH) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `model name of ${candidate.length} characters exceeds the limit of ${MAX_NAME_LENGTH}`,
    );
  }
}

function checkOptions(options: LookalikeOptions): Required<LookalikeOptions> {
  const resolved = {
    maxDistance: options.maxDistance ?? 2,
    shortNameLength: options.shortNameLength ?? 8,
    minLength: options.minLength ?? 3,
    variantEdits: options.variantEdits ?? 'ignore',
    variantTokenLength: options.variantTokenLength ?? 2,
    maxExisting: options.maxExisting ?? 1_000_000,
    maxResults: options.maxResults ?? 20,
  } as const;
  const counts = [
    resolved.shortNameLength,
    resolved.minLength,
    resolved.variantTokenLength,
    resolved.maxExisting,
    resolved.maxResults,
  ];
  if (
    !Number.isInteger(resolved.maxDistance) ||
    resolved.maxDistance < 0 ||
    resolved.maxDistance > 3 ||
    counts.some((n) => !Number.isInteger(n) || n < 0) ||
    (resolved.variantEdits !== 'ignore' && resolved.variantEdits !== 'report')
  ) {
    throw new BulwarkError(
      'INPUT_INVALID',
      'look-alike options must be whole numbers in range (maxDistance 0–3)',
    );
  }
  return resolved;
}
