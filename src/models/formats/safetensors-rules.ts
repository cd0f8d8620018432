import { defineRule, type Rule } from '../../core/rules.js';

/** The 8-byte header length of a safetensors file is impossible or over the limits. */
export const SAFETENSORS_HEADER_LENGTH = defineRule({
  id: 'BW-MODEL-010',
  name: 'safetensors-header-length',
  title: 'safetensors header length is invalid',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'A safetensors file starts with a little-endian 64-bit length of its JSON header. Here that length is larger ' +
    'than the 100,000,000 bytes the reference implementation accepts, larger than the file, larger than the ' +
    'metadata limit of the scan, or the file is too short to hold it. Loaders that trust the length allocate ' +
    'or read whatever it claims; the reference refuses the file, so it is at best broken and at worst built to ' +
    'exhaust memory in less careful readers.',
  remediation:
    'Do not load the file. Re-export it with the `safetensors` library, or download it again from its publisher ' +
    'and compare its digest.',
});

/** The header is not UTF-8 JSON, not an object, or does not start with `{`. */
export const SAFETENSORS_HEADER_MALFORMED = defineRule({
  id: 'BW-MODEL-011',
  name: 'safetensors-header-malformed',
  title: 'safetensors header is not a JSON object',
  defaultSeverity: 'medium',
  controls: ['R1'],
  description:
    'The header of a safetensors file must be a UTF-8 JSON object starting with `{`, optionally padded with ' +
    'spaces. This header is not valid UTF-8, not valid JSON, or not an object, so the reference loader refuses ' +
    'it and other readers may interpret it each in their own way. A file that claims to be safetensors but does ' +
    'not parse may be a different format in disguise.',
  remediation: 'Do not load the file; re-export it with the `safetensors` library or obtain a fresh copy.',
});

/** The same key appears twice in the header. */
export const SAFETENSORS_DUPLICATE_KEY = defineRule({
  id: 'BW-MODEL-012',
  name: 'safetensors-duplicate-key',
  title: 'safetensors header repeats a key',
  defaultSeverity: 'high',
  controls: ['R1'],
  description:
    'A tensor name, `__metadata__`, a field of a tensor entry or a metadata key appears more than once. JSON ' +
    'parsers disagree on duplicates (the first wins, the last wins, or the file is refused), so a scanner or a ' +
    'reviewer can see one tensor while the loader uses another: a known way to smuggle altered weights past ' +
    'checks. The safetensors writer never produces duplicates.',
  remediation:
    'Treat the file as tampered with. Obtain it again from its publisher, or re-export it from a trusted copy.',
});

/** A tensor entry is not `{dtype, shape, data_offsets}` with valid values. */
export const SAFETENSORS_TENSOR_INVALID = defineRule({
  id: 'BW-MODEL-013',
  name: 'safetensors-tensor-invalid',
  title: 'safetensors tensor entry is invalid',
  defaultSeverity: 'medium',
  controls: ['R1'],
  description:
    'Each header entry other than `__metadata__` must be an object with a known `dtype`, a `shape` of ' +
    'non-negative integers and `data_offsets` [begin, end] with begin ≤ end. This entry is missing a field, ' +
    'has a value of the wrong type or an unknown dtype, so the reference loader refuses the file. Fields the ' +
    'format does not define are reported at low severity: loaders ignore them, but they can carry data that ' +
    'no tool shows.',
  remediation:
    'Re-export the file with the `safetensors` library; do not load a file whose header was edited by hand.',
});

/** A tensor's byte range does not match its shape and dtype. */
export const SAFETENSORS_SIZE_MISMATCH = defineRule({
  id: 'BW-MODEL-014',
  name: 'safetensors-size-mismatch',
  title: 'safetensors tensor size does not match its shape and dtype',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'The number of elements of the shape times the width of the dtype must equal end − begin of the tensor ' +
    '(sub-byte dtypes such as F4 and F6 must fill whole bytes). A mismatch makes readers index outside the ' +
    'tensor or leaves bytes no tensor accounts for; the reference loader refuses the file.',
  remediation: 'Re-export the file with the `safetensors` library or obtain a fresh copy.',
});

/** A tensor's data offsets point outside the data area. */
export const SAFETENSORS_OFFSET_OUT_OF_BOUNDS = defineRule({
  id: 'BW-MODEL-015',
  name: 'safetensors-offset-out-of-bounds',
  title: 'safetensors tensor lies outside the file',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'The data offsets of a tensor reach past the end of the data area that follows the header. A reader that ' +
    'maps the file and trusts the offsets reads beyond it (a crash or an information leak); the reference ' +
    'loader refuses the file. Truncated downloads produce this too.',
  remediation: 'Download the file again and compare its digest; re-export it if it was produced locally.',
});

/** Two tensors share bytes of the data area. */
export const SAFETENSORS_OVERLAP = defineRule({
  id: 'BW-MODEL-016',
  name: 'safetensors-overlap',
  title: 'safetensors tensors overlap',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'Two tensors claim the same bytes. The safetensors writer lays tensors out back to back, and the reference ' +
    'loader refuses overlapping ones; overlapping ranges make one tensor silently alias another, which a ' +
    'tampered file can use to change weights that look untouched.',
  remediation: 'Re-export the file with the `safetensors` library or obtain a fresh copy.',
});

/** The tensors leave holes in the data area or do not reach its end. */
export const SAFETENSORS_UNCOVERED_DATA = defineRule({
  id: 'BW-MODEL-017',
  name: 'safetensors-uncovered-data',
  title: 'safetensors data area has bytes no tensor accounts for',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'The reference implementation requires the tensors to cover the data area exactly, with no gap between ' +
    'them and nothing after the last one. Bytes that no tensor accounts for are invisible to every tool that ' +
    'reads the file as safetensors: a place to hide a second payload (for example a pickle or an archive ' +
    'appended to a valid file).',
  remediation:
    'Find out what the extra bytes are; re-export the file with the `safetensors` library, which never ' +
    'leaves gaps.',
});

/** `__metadata__` is not a string-to-string map. */
export const SAFETENSORS_METADATA_INVALID = defineRule({
  id: 'BW-MODEL-018',
  name: 'safetensors-metadata-invalid',
  title: 'safetensors metadata is not a string-to-string map',
  defaultSeverity: 'medium',
  controls: ['R1'],
  description:
    'The optional `__metadata__` entry must be an object whose values are all strings. The reference loader ' +
    'refuses anything else, and nested values are a place for content that tools displaying the metadata ' +
    'do not expect.',
  remediation: 'Store metadata as strings (serialize structured values to JSON text) and re-export the file.',
});

/** `__metadata__.format` names a framework Bulwark does not know. */
export const SAFETENSORS_UNUSUAL_FORMAT = defineRule({
  id: 'BW-MODEL-019',
  name: 'safetensors-unusual-format',
  title: 'safetensors metadata names an unusual framework',
  defaultSeverity: 'info',
  controls: ['R1'],
  description:
    'The `format` key of `__metadata__` conventionally names the framework that wrote the file (pt, tf, flax, ' +
    'np, mlx). Another value is harmless in itself (tensors hold no code), but tells which loader the ' +
    'publisher expects and is worth knowing when reviewing where the file came from.',
  remediation: 'No action needed unless the framework is unexpected for this model.',
});

/** Rules reported by `scanSafetensors`. */
export const SAFETENSORS_RULES: readonly Rule[] = [
  SAFETENSORS_HEADER_LENGTH,
  SAFETENSORS_HEADER_MALFORMED,
  SAFETENSORS_DUPLICATE_KEY,
  SAFETENSORS_TENSOR_INVALID,
  SAFETENSORS_SIZE_MISMATCH,
  SAFETENSORS_OFFSET_OUT_OF_BOUNDS,
  SAFETENSORS_OVERLAP,
  SAFETENSORS_UNCOVERED_DATA,
  SAFETENSORS_METADATA_INVALID,
  SAFETENSORS_UNUSUAL_FORMAT,
];
