/**
 * Normalization before detection (prompt shields, controls G4 and P4): one call turns a prompt or
 * a document into the text detectors read and the decoded variants hidden inside it.
 */
export { normalizePrompt, variantTexts, NORMALIZE_DEFAULTS, type NormalizeOptions } from './normalize.js';
