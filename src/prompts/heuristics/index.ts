/** The heuristic prompt-shield detector and its phrase data. */
export { createHeuristicDetector, HEURISTIC_DETECTOR_ID } from './heuristic-detector.js';
export type { HeuristicDetector, HeuristicDetectorOptions } from './heuristic-detector.js';
export { compilePhrases } from './phrase-matcher.js';
export type { PhraseHit, PhraseMatcher } from './phrase-matcher.js';
export { PHRASE_LANGUAGES } from './phrase-spec.js';
export type { PhraseLanguage, PhraseSpec } from './phrase-spec.js';
export { DEFAULT_PHRASES, phraseCoverage } from './phrases/index.js';
