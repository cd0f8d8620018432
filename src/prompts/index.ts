/**
 * The prompt shields as a library (controls G4, G5, P4): the shield, its detectors, hidden-content
 * detection, spotlighting and canaries. The gateway, `bulwark scan prompt|corpus` and the red-team
 * module use exactly these.
 */
export { createPromptShield } from './shield.js';
export type { PromptShield, PromptShieldOptions, ShieldVerdict } from './shield.js';
export { SHIELD_COMBINER, linearCombiner } from './shield-combiner.js';
export type { CombinerParameters, ShieldCombiner } from './shield-combiner.js';
export { normalizePrompt, NORMALIZE_DEFAULTS, type NormalizeOptions } from './normalize/index.js';
export { createHeuristicDetector, type HeuristicDetector } from './heuristics/index.js';
export { createClassifierDetector, defaultPromptClassifier } from './classifier/classifier-detector.js';
export { hiddenContent } from './hidden/hidden-content.js';
export { HIDDEN_TECHNIQUES } from './hidden/hidden-types.js';
export type { HiddenSpan, HiddenTechnique, HiddenDocumentKind } from './hidden/hidden-types.js';
export { spotlight, unspotlight, SPOTLIGHT_MODES } from './spotlight/spotlight.js';
export type { SpotlightKey, SpotlightOptions, SpotlightResult } from './spotlight/spotlight.js';
export { createCanary } from './canary/canary.js';
export type { Canary, CanaryOptions } from './canary/canary.js';
export { createCanaryScanner, findCanaryLeaks } from './canary/canary-scanner.js';
export type { CanaryLeak, CanaryScanner } from './canary/canary-scanner.js';
export { PROMPT_RULES } from './prompt-rules.js';
export { SHIELD_CATEGORIES, VARIANT_KINDS } from './types.js';
export type * from './types.js';
