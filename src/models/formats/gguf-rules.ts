import { defineRule, type Rule } from '../../core/rules.js';

/** The fixed GGUF header (magic, version, counts) is broken. */
export const GGUF_HEADER_MALFORMED = defineRule({
  id: 'BW-MODEL-020',
  name: 'gguf-header-malformed',
  title: 'GGUF header is malformed',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'The GGUF header has a wrong magic, a version other than 1, 2 or 3, a byte order the loader would not ' +
    'expect, or tensor and metadata counts that cannot fit in the bytes left in the file. Unchecked counts in ' +
    'this header were the root of the 2024 GGUF parsing vulnerabilities in llama.cpp (heap overflows from ' +
    'huge tensor and key counts), so a file built like this is either broken or an exploit attempt.',
  remediation:
    'Do not load the file. Download it again from its publisher and compare its digest, or re-convert the ' +
    'model with the current llama.cpp tools.',
});

/** A metadata key/value pair is truncated, oversized or of an unknown type. */
export const GGUF_METADATA_MALFORMED = defineRule({
  id: 'BW-MODEL-021',
  name: 'gguf-metadata-malformed',
  title: 'GGUF metadata is malformed',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'A metadata entry has a string length or array count larger than the rest of the file, an unknown value ' +
    'type, arrays nested deeper than any real file uses, or ends before its value. These are exactly the ' +
    'inputs (huge string lengths, huge array counts) that made GGUF loaders allocate or copy out of bounds ' +
    'in 2024; parsing stops at the first such entry.',
  remediation: 'Do not load the file; re-convert the model with current tools or obtain a fresh copy.',
});

/** The same metadata key appears twice. */
export const GGUF_DUPLICATE_KEY = defineRule({
  id: 'BW-MODEL-022',
  name: 'gguf-duplicate-key',
  title: 'GGUF metadata repeats a key',
  defaultSeverity: 'medium',
  controls: ['R1'],
  description:
    'A metadata key appears more than once. llama.cpp refuses such files, while other readers keep the first ' +
    'or the last value, so a reviewer or scanner can see one value (for example a harmless chat template) ' +
    'while a loader uses another.',
  remediation: 'Treat the file as tampered with; obtain it again or re-convert it from a trusted source.',
});

/** A tensor info has too many dimensions, bad dimensions or an unknown ggml type. */
export const GGUF_TENSOR_INFO_INVALID = defineRule({
  id: 'BW-MODEL-023',
  name: 'gguf-tensor-info-invalid',
  title: 'GGUF tensor description is invalid',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'A tensor description has more than 4 dimensions (GGML_MAX_DIMS), dimensions whose product overflows, an ' +
    "unknown or removed ggml type, or a row length that is not a multiple of the type's block size. An " +
    'unchecked dimension count was one of the 2024 llama.cpp GGUF overflows; llama.cpp now refuses these ' +
    'files. A tensor name longer than 63 bytes is reported at low severity: llama.cpp refuses it too.',
  remediation: 'Do not load the file; re-convert the model with the current llama.cpp tools.',
});

/** A tensor's data is misaligned, outside the file or overlaps another. */
export const GGUF_TENSOR_BOUNDS = defineRule({
  id: 'BW-MODEL-024',
  name: 'gguf-tensor-bounds',
  title: 'GGUF tensor data is misaligned, outside the file or overlapping',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'Tensor data must start at a multiple of the file alignment, lie inside the file and not overlap another ' +
    'tensor. A tensor that reaches past the end makes memory-mapping loaders read out of bounds; overlapping ' +
    'tensors alias each other; a gap between tensors (which llama.cpp refuses) is a place to hide data. ' +
    'Bytes after the last tensor are reported at low severity: loaders ignore them, which also makes them a ' +
    'place to hide data.',
  remediation: 'Download the file again and compare its digest, or re-convert the model.',
});

/** A chat template reaches Python internals (server-side template injection). */
export const GGUF_CHAT_TEMPLATE_INJECTION = defineRule({
  id: 'BW-MODEL-025',
  name: 'gguf-chat-template-injection',
  title: 'GGUF chat template reaches Python internals',
  defaultSeverity: 'critical',
  controls: ['R1'],
  description:
    'The `tokenizer.chat_template` metadata is a Jinja2 template that Python runtimes (transformers, ' +
    'llama-cpp-python) render for every conversation. This template accesses Python internals (`__class__`, ' +
    '`__globals__`, `__subclasses__`, `__builtins__`, `_TemplateReference__context`…), names of code-running ' +
    'functions (`os.popen`, `subprocess`, `eval`), or builds such names from string pieces, escapes or ' +
    'filters to hide them. In a non-sandboxed Jinja environment that is remote code execution as soon as the ' +
    'model is used: CVE-2024-34359 ("Llama Drama") in llama-cpp-python was exactly this. Dynamic attribute ' +
    'access that cannot be resolved statically is reported at high severity.',
  remediation:
    'Do not load the model with a runtime that renders its template. Replace the chat template with the ' +
    "publisher's original one, and make sure the runtime renders templates in Jinja's ImmutableSandboxedEnvironment.",
});

/** A chat template does something ordinary templates never do. */
export const GGUF_CHAT_TEMPLATE_UNUSUAL = defineRule({
  id: 'BW-MODEL-026',
  name: 'gguf-chat-template-unusual',
  title: 'GGUF chat template does something unusual',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'The chat template loads other templates (`import`, `include`, `extends`), refers to web-framework ' +
    'objects (`request`, `config`, `self`) that no chat runtime provides, asks for huge ranges or string ' +
    'repetitions that exhaust memory while rendering, or is far longer than real chat templates. None of ' +
    'these runs code by itself, but none has a place in a chat template, and each is a building block of ' +
    'template attacks.',
  remediation: "Compare the template with the publisher's original and replace it if it differs.",
});

/** `general.alignment` is not a power-of-two uint32. */
export const GGUF_ALIGNMENT_INVALID = defineRule({
  id: 'BW-MODEL-027',
  name: 'gguf-alignment-invalid',
  title: 'GGUF alignment is invalid',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    '`general.alignment` must be a uint32 power of two (the default is 32); llama.cpp refuses other values ' +
    'and readers that do not check compute tensor positions from a zero or odd alignment (a division by zero ' +
    'or reads at the wrong place). Tensor positions are checked with the default alignment instead.',
  remediation: 'Re-convert the model with current tools, which write a valid alignment.',
});

/** The metadata is larger than the scan's metadata limit. */
export const GGUF_METADATA_LIMIT = defineRule({
  id: 'BW-MODEL-028',
  name: 'gguf-metadata-limit',
  title: 'GGUF metadata is larger than the scan limit',
  defaultSeverity: 'medium',
  controls: ['D7'],
  description:
    'The metadata and tensor descriptions of this file extend past the metadata limit of the scan ' +
    '(`maxMetadataBytes`), so what follows was not checked, including any chat template stored there. ' +
    'Real models keep their metadata to tens of megabytes (mostly the tokenizer vocabulary).',
  remediation:
    'Raise the metadata limit for this scan if the file is legitimate, or find out why its metadata is this large.',
});

/** Two tensors share a name. */
export const GGUF_DUPLICATE_TENSOR = defineRule({
  id: 'BW-MODEL-029',
  name: 'gguf-duplicate-tensor',
  title: 'GGUF file repeats a tensor name',
  defaultSeverity: 'medium',
  controls: ['R1'],
  description:
    'Two tensor descriptions use the same name. llama.cpp refuses such files; readers that do not check pick ' +
    'one of them, so the weights a reviewer inspects need not be the ones a loader uses.',
  remediation: 'Treat the file as tampered with; obtain it again or re-convert it from a trusted source.',
});

/** Rules reported by `scanGguf`. */
export const GGUF_RULES: readonly Rule[] = [
  GGUF_HEADER_MALFORMED,
  GGUF_METADATA_MALFORMED,
  GGUF_DUPLICATE_KEY,
  GGUF_TENSOR_INFO_INVALID,
  GGUF_TENSOR_BOUNDS,
  GGUF_CHAT_TEMPLATE_INJECTION,
  GGUF_CHAT_TEMPLATE_UNUSUAL,
  GGUF_ALIGNMENT_INVALID,
  GGUF_METADATA_LIMIT,
  GGUF_DUPLICATE_TENSOR,
];
