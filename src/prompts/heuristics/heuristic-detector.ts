/**
 * The heuristic prompt-shield detector (controls G4, G5, P4): multilingual phrase cues for
 * instruction override, role switch, prompt and secret extraction, chat-template markers,
 * exfiltration, tool demands and jailbreak framings, scored per context. Synchronous and fast: the
 * gateway runs it on every request (see phrase-matcher.ts for how).
 */
import { BulwarkError } from '../../core/errors.js';
import type { Detector, DetectorResult, NormalizedInput, ShieldContext, TextVariant } from '../types.js';
import { contextCues, type TextContextCues } from './context-cues.js';
import { foldCase } from './fold-case.js';
import { combineHits, type WeightedHit } from './heuristic-score.js';
import { compilePhrases, type PhraseMatcher } from './phrase-matcher.js';
import { PHRASE_LANGUAGES, type PhraseLanguage, type PhraseSpec } from './phrase-spec.js';
import { DEFAULT_PHRASES } from './phrases/index.js';

/** The id the detector reports in results. */
export const HEURISTIC_DETECTOR_ID = 'heuristics';

/** Options of {@link createHeuristicDetector}; every field is optional. */
export interface HeuristicDetectorOptions {
  /** The phrase specs to use instead of {@link DEFAULT_PHRASES}. */
  readonly phrases?: readonly PhraseSpec[];
  /** Specs added to `phrases` (or to the defaults). */
  readonly extraPhrases?: readonly PhraseSpec[];
  /** Keep only specs of these languages (`any` is always kept). Default: all. */
  readonly languages?: readonly PhraseLanguage[];
  /** Most evidence items in a result (default 16). */
  readonly maxEvidence?: number;
  /** A category is listed in `categories` from this category score on (default 0.2). */
  readonly minCategoryScore?: number;
}

/** The heuristic detector: a {@link Detector} that always answers synchronously. */
export interface HeuristicDetector extends Detector {
  detect(input: NormalizedInput, context: ShieldContext): DetectorResult;
}

/** Creates the detector; the phrase lists are compiled once, here (about 0.1–0.3 s for the defaults). */
export function createHeuristicDetector(options: HeuristicDetectorOptions = {}): HeuristicDetector {
  const maxEvidence = options.maxEvidence ?? 16;
  const minCategoryScore = options.minCategoryScore ?? 0.2;
  if (!Number.isInteger(maxEvidence) || maxEvidence < 0) {
    throw new BulwarkError(
      'CONFIG_INVALID',
      `heuristics: maxEvidence must be a whole number >= 0, got ${maxEvidence}`,
    );
  }
  if (!(minCategoryScore >= 0 && minCategoryScore <= 1)) {
    throw new BulwarkError(
      'CONFIG_INVALID',
      `heuristics: minCategoryScore must be in 0–1, got ${minCategoryScore}`,
    );
  }
  const specs = selectSpecs(options);
  const matchers: Record<ShieldContext, PhraseMatcher> = {
    user: compilePhrases(specs.filter((s) => s.weight > 0)),
    document: compilePhrases(specs.filter((s) => documentWeight(s) > 0)),
  };
  return {
    id: HEURISTIC_DETECTOR_ID,
    detect(input: NormalizedInput, context: ShieldContext): DetectorResult {
      const matcher = matchers[context];
      if (matcher === undefined || typeof input?.normalized !== 'string') {
        throw new BulwarkError(
          'INPUT_INVALID',
          'heuristics: expected a normalized input and a user or document context',
        );
      }
      const hits: WeightedHit[] = [];
      const seen = new Set<string>();
      for (const variant of variantsOf(input)) {
        if (seen.has(variant.text)) continue;
        seen.add(variant.text);
        let cues: TextContextCues | undefined;
        for (const hit of matcher.scan(variant.text)) {
          cues ??= contextCues(foldCase(variant.text));
          const base = context === 'document' ? documentWeight(hit.spec) : hit.spec.weight;
          const weight = base * cues.dampening(hit.start, hit.end, hit.spec.category === 'chat-template');
          hits.push({ spec: hit.spec, variant: variant.kind, start: hit.start, end: hit.end, weight });
        }
      }
      const combined = combineHits(hits, { maxEvidence, minCategoryScore });
      return { detector: HEURISTIC_DETECTOR_ID, ...combined };
    },
  };
}

function selectSpecs(options: HeuristicDetectorOptions): PhraseSpec[] {
  const languages = options.languages;
  for (const lang of languages ?? []) {
    if (!(PHRASE_LANGUAGES as readonly string[]).includes(lang)) {
      throw new BulwarkError(
        'CONFIG_INVALID',
        `heuristics: unknown language "${lang}" (known: ${PHRASE_LANGUAGES.join(', ')})`,
      );
    }
  }
  const all = [...(options.phrases ?? DEFAULT_PHRASES), ...(options.extraPhrases ?? [])];
  return languages === undefined ? all : all.filter((s) => s.lang === 'any' || languages.includes(s.lang));
}

function documentWeight(spec: PhraseSpec): number {
  return spec.documentWeight ?? spec.weight;
}

/** The variants to scan: normalization puts `normalized` first; an input without variants is scanned as is. */
function variantsOf(input: NormalizedInput): readonly TextVariant[] {
  return input.variants.length > 0 ? input.variants : [{ kind: 'normalized', text: input.normalized }];
}
