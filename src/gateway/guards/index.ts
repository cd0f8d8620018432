/** The gateway's output guards (G7) and input-side DLP (G6): pure logic, no network or files. */
export { createOutputGuard } from './output-guard.js';
export type {
  GuardWindowOptions,
  OutputGuard,
  OutputGuardOptions,
  OutputStream,
  StreamStep,
} from './output-guard.js';
export { createDlp, DlpMapping } from './dlp.js';
export type { Dlp, DlpOptions, DlpRestorer, ProtectedText } from './dlp.js';
export { GUARD_MODES, GUARD_NAMES } from './guard-types.js';
export type { GuardAction, GuardMode, GuardName, GuardResult, GuardVerdict } from './guard-types.js';
export { DEFAULT_OUTPUT_PII_EXCLUDED } from './data-detector.js';
