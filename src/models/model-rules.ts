import { defineRule, type Rule } from '../core/rules.js';

/** Content nested deeper than the limit (archives in archives, pickles in pickles) was not scanned. */
export const NESTING_TOO_DEEP = defineRule({
  id: 'BW-MODEL-001',
  name: 'model-nesting-too-deep',
  title: 'Nested content beyond the depth limit was not scanned',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'The artifact holds content nested deeper than the scan follows (an archive inside an archive inside an ' +
    'archive, or bytes inside a pickle that are themselves a pickle). Deep nesting is rare in real checkpoints ' +
    'and is a known way to exhaust scanners or hide a payload below their horizon.',
  remediation: 'Unpack the outer layers and scan the inner files, or raise `scanners.model.maxArchiveDepth`.',
});

/** A part of a model file could not be read or decompressed, so it was not inspected. */
export const PART_NOT_INSPECTED = defineRule({
  id: 'BW-MODEL-002',
  name: 'model-part-not-inspected',
  title: 'Part of a model artifact could not be inspected',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'A member or embedded part of the artifact could not be read (it is corrupt, decompresses beyond the limits, ' +
    'or uses a coding the scanner cannot read), so what it holds went unchecked. A loader that is more lenient ' +
    'than the scanner may still load it.',
  remediation:
    'Re-create the artifact from a trusted source, or raise the relevant limit in `scanners.model` if the ' +
    'part is legitimately large.',
});

/** The model scanner's own rules (the formats bring theirs). */
export const MODEL_RULES: readonly Rule[] = [NESTING_TOO_DEEP, PART_NOT_INSPECTED];
