/**
 * The secret pack of the data scanners (controls D1, T2): recognizers (our curated list plus the
 * gitleaks rules, MIT, Copyright (c) 2019 Zachary Rice), their validators, the analyzer that runs
 * them with a keyword prefilter, and Jupyter notebooks as text units. See docs/secret-scanning.md.
 */
export { GITLEAKS_SKIPPED, GITLEAKS_SOURCE } from './gitleaks-rules.generated.js';
export {
  ALL_GITLEAKS_RECOGNIZERS,
  gitleaksRecognizers,
  gitleaksValidators,
  SECRET_CHUNK_LIMITS,
  SUPERSEDED_GITLEAKS_RULES,
} from './gitleaks-rules.js';
export { translateGoRegex, type GoRegexTranslation } from './go-regex.js';
export {
  DEFAULT_MAX_NOTEBOOK_LENGTH,
  notebookUnits,
  type NotebookOptions,
  type NotebookUnit,
  type RawRegion,
} from './notebook.js';
export { createSecretAnalyzer, type SecretAnalyzer, type SecretAnalyzerOptions } from './secret-analyzer.js';
export { curatedSecretRecognizers, SECRET_RECOGNIZERS } from './secret-recognizers.js';
export { curatedSecretValidators, secretValidators } from './secret-validators.js';
