import type { RecognizerSpec } from '../types.js';
import { compileRecognizers, type Analyzer, type CompileOptions } from './engine.js';
import { createHeuristicTagger } from './heuristic-tagger.js';
import { PII_RECOGNIZERS } from './pii-recognizers.js';

export {
  compileRecognizers,
  confidenceOf,
  DEFAULT_CONTEXT_BOOST,
  DEFAULT_CONTEXT_WINDOW,
  DEFAULT_MIN_SCORE,
} from './engine.js';
export type { Analyzer, CompileOptions } from './engine.js';
export type { EntityTagger } from './entity-tagger.js';
export { createHeuristicTagger, HEURISTIC_LOCATION_ID, HEURISTIC_PERSON_ID } from './heuristic-tagger.js';
export { maskValue } from './mask.js';
export { PII_RECOGNIZERS } from './pii-recognizers.js';
export {
  createRecognizerSpecSchema,
  parseRecognizerSpecs,
  recognizerSpecSchema,
} from './recognizer-schema.js';
export { VALIDATOR_NAMES, VALIDATORS, type Validator, type ValidatorContext } from './validators.js';

/**
 * The built-in PII, PHI and financial analyzer: {@link PII_RECOGNIZERS} plus `extra` specs (a
 * secrets pack, the user's recognizers from `bulwark.yaml`) and the heuristic PERSON/LOCATION
 * tagger unless `taggers` replaces it.
 */
export function createPiiAnalyzer(
  options: CompileOptions & { readonly extra?: readonly RecognizerSpec[] } = {},
): Analyzer {
  const { extra = [], taggers = [createHeuristicTagger()], ...rest } = options;
  return compileRecognizers([...PII_RECOGNIZERS, ...extra], { ...rest, taggers });
}
