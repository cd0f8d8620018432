import type { Finding, Location } from '../../core/findings.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { ArtifactContext } from '../artifact.js';
import { checkChatTemplate } from './chat-template.js';
import {
  GGUF_MAX_DIMS,
  isChatTemplateKey,
  parseGgufHeader,
  type GgufHeader,
  type GgufKv,
  type GgufTensorInfo,
} from './gguf-header.js';
import {
  GGUF_ALIGNMENT_INVALID,
  GGUF_CHAT_TEMPLATE_INJECTION,
  GGUF_CHAT_TEMPLATE_UNUSUAL,
  GGUF_DUPLICATE_KEY,
  GGUF_DUPLICATE_TENSOR,
  GGUF_TENSOR_BOUNDS,
  GGUF_TENSOR_INFO_INVALID,
} from './gguf-rules.js';
import {
  GGML_TYPES,
  GGUF_TYPE_STRING,
  GGUF_TYPE_UINT32,
  ggufTypeName,
  REMOVED_GGML_TYPES,
} from './gguf-types.js';
import { FindingCollector } from '../finding-collector.js';

/** Alignment of tensor data when `general.alignment` is absent or invalid. */
export const GGUF_DEFAULT_ALIGNMENT = 32;
/** GGML_MAX_NAME: llama.cpp refuses tensor names of this many bytes or more. */
const GGML_MAX_NAME = 64;
const INT64_MAX = 2n ** 63n - 1n;
const encoder = new TextEncoder();

/** A tensor whose data range could be computed, for the layout checks. */
interface TensorRange {
  readonly name: string;
  readonly begin: number;
  readonly end: number;
  readonly infoOffset: number;
}

/**
 * Checks a GGUF file by parsing its header, metadata and tensor descriptions only (tensor data is never
 * read): structural bounds (every length and count against the bytes actually left, parsing bounded by
 * `maxMetadataBytes`), duplicate keys and tensor names, the alignment, each tensor's dimensions and
 * ggml type, its data range (aligned, inside the file, not overlapping) and every chat template
 * (`tokenizer.chat_template*`) for Jinja template injection.
 */
export async function scanGguf(source: ByteSource, ctx: ArtifactContext): Promise<Finding[]> {
  const out = new FindingCollector();
  const header = await parseGgufHeader(source, {
    maxMetadataBytes: ctx.limits.maxMetadataBytes,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  for (const problem of header.problems)
    out.add(problem.rule, {
      message: problem.message,
      location: at(ctx, problem.offset),
      ...(problem.severity ? { severity: problem.severity } : {}),
      ...(problem.evidence ? { evidence: problem.evidence } : {}),
    });
  checkDuplicateKeys(header.kvs, ctx, out);
  for (const kv of header.kvs) if (isChatTemplateKey(kv.key)) checkTemplate(kv, ctx, out);
  const alignment = alignmentOf(header.kvs, ctx, out);
  const ranges = checkTensorInfos(header.tensors, ctx, out);
  if (header.infoEnd !== undefined) checkLayout(header, ranges, alignment, source.size, ctx, out);
  return out.list();
}

function at(ctx: ArtifactContext, offset: number): Location {
  return { ...ctx.location, offset };
}

/**
 * Checks a chat template: a string, or a string array (llama.cpp skips arrays, but transformers' GGUF
 * loader turns a one-element array into its `chat_template`, so every kept element is checked).
 */
function checkTemplate(kv: GgufKv, ctx: ArtifactContext, out: FindingCollector): void {
  const templates =
    kv.type === GGUF_TYPE_STRING && typeof kv.value === 'string' ? [kv.value] : (kv.strings ?? []);
  templates.forEach((template, element) => {
    const key = kv.strings === undefined ? kv.key : `${kv.key}[${element}]`;
    for (const issue of checkChatTemplate(template).issues) {
      const isInjection = issue.severity === 'critical' || issue.severity === 'high';
      out.add(isInjection ? GGUF_CHAT_TEMPLATE_INJECTION : GGUF_CHAT_TEMPLATE_UNUSUAL, {
        message: `\`${key}\` ${issue.message}`,
        location: at(ctx, kv.valueOffset),
        severity: issue.severity,
        evidence: { key, kind: issue.kind, templateIndex: issue.index, excerpt: issue.excerpt },
      });
    }
  });
}

function checkDuplicateKeys(kvs: readonly GgufKv[], ctx: ArtifactContext, out: FindingCollector): void {
  const seen = new Set<string>();
  for (const kv of kvs) {
    if (seen.has(kv.key))
      out.add(GGUF_DUPLICATE_KEY, {
        message: `metadata key \`${kv.key.slice(0, 200)}\` appears more than once`,
        location: at(ctx, kv.offset),
        evidence: { key: kv.key.slice(0, 200) },
      });
    seen.add(kv.key);
  }
}

function alignmentOf(kvs: readonly GgufKv[], ctx: ArtifactContext, out: FindingCollector): number {
  const kv = kvs.find((entry) => entry.key === 'general.alignment');
  if (kv === undefined) return GGUF_DEFAULT_ALIGNMENT;
  const value = kv.value;
  if (kv.type !== GGUF_TYPE_UINT32 || typeof value !== 'number') {
    out.add(GGUF_ALIGNMENT_INVALID, {
      message: `general.alignment is a ${ggufTypeName(kv.type)}, not a uint32`,
      location: at(ctx, kv.offset),
    });
    return GGUF_DEFAULT_ALIGNMENT;
  }
  if (value === 0 || (value & (value - 1)) !== 0) {
    out.add(GGUF_ALIGNMENT_INVALID, {
      message: `general.alignment ${value} is not a power of two`,
      location: at(ctx, kv.offset),
      evidence: { alignment: value },
    });
    return GGUF_DEFAULT_ALIGNMENT;
  }
  return value;
}

/** Validates each tensor description; returns the data ranges (relative to the data section) it could compute. */
function checkTensorInfos(
  tensors: readonly GgufTensorInfo[],
  ctx: ArtifactContext,
  out: FindingCollector,
): TensorRange[] {
  const ranges: TensorRange[] = [];
  const names = new Set<string>();
  for (const tensor of tensors) {
    const invalid = (message: string, severity?: 'low'): void =>
      out.add(GGUF_TENSOR_INFO_INVALID, {
        message: `tensor \`${tensor.name.slice(0, 200)}\` ${message}`,
        location: at(ctx, tensor.offset),
        evidence: { tensor: tensor.name.slice(0, 200) },
        ...(severity ? { severity } : {}),
      });
    if (names.has(tensor.name))
      out.add(GGUF_DUPLICATE_TENSOR, {
        message: `tensor name \`${tensor.name.slice(0, 200)}\` appears more than once`,
        location: at(ctx, tensor.offset),
        evidence: { tensor: tensor.name.slice(0, 200) },
      });
    names.add(tensor.name);
    if (encoder.encode(tensor.name).length >= GGML_MAX_NAME)
      invalid(
        `has a name of ${tensor.name.length} characters; llama.cpp refuses names of ${GGML_MAX_NAME} bytes or more`,
        'low',
      );
    const size = tensorSize(tensor, invalid);
    if (size !== undefined && Number.isFinite(tensor.dataOffset))
      ranges.push({
        name: tensor.name,
        begin: tensor.dataOffset,
        end: tensor.dataOffset + size,
        infoOffset: tensor.offset,
      });
    else if (size !== undefined) invalid('has a data offset of 2^53 or more');
  }
  return ranges;
}

/** The byte size of a tensor's data, or undefined (after reporting why) when it cannot be computed. */
function tensorSize(tensor: GgufTensorInfo, invalid: (message: string) => void): number | undefined {
  const type = GGML_TYPES.get(tensor.ggmlType);
  if (type === undefined) {
    const removed = REMOVED_GGML_TYPES.get(tensor.ggmlType);
    invalid(
      removed === undefined
        ? `has unknown ggml type ${tensor.ggmlType}`
        : `has ggml type ${tensor.ggmlType} (${removed}), which was removed from GGUF`,
    );
    return undefined;
  }
  if (tensor.dimensionCount > GGUF_MAX_DIMS) return undefined;
  let elements = 1n;
  for (const dim of tensor.dims) {
    if (!Number.isFinite(dim)) {
      invalid('has a dimension of 2^53 or more');
      return undefined;
    }
    elements *= BigInt(dim);
    if (elements > INT64_MAX) {
      invalid(`has dimensions [${tensor.dims.join(', ')}] whose product overflows int64`);
      return undefined;
    }
  }
  const rowLength = tensor.dims[0] ?? 1;
  if (rowLength % type.blockSize !== 0) {
    invalid(
      `of type ${type.name} has rows of ${rowLength} elements, not a multiple of its block size ${type.blockSize}`,
    );
    return undefined;
  }
  const bytes = (elements / BigInt(type.blockSize)) * BigInt(type.typeSize);
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    invalid(`needs ${bytes} bytes of data`);
    return undefined;
  }
  return Number(bytes);
}

/** Data ranges: aligned, inside the file, not overlapping, without gaps; trailing bytes are reported low. */
function checkLayout(
  header: GgufHeader,
  ranges: TensorRange[],
  alignment: number,
  fileSize: number,
  ctx: ArtifactContext,
  out: FindingCollector,
): void {
  if (header.tensors.length === 0) return;
  const infoEnd = header.infoEnd ?? 0;
  const dataStart = Math.ceil(infoEnd / alignment) * alignment;
  if (dataStart > fileSize) {
    out.add(GGUF_TENSOR_BOUNDS, {
      message: `the tensor data section would start at ${dataStart}, past the end of the ${fileSize}-byte file`,
      location: at(ctx, infoEnd),
    });
    return;
  }
  const dataSize = fileSize - dataStart;
  const bounds = (range: TensorRange, message: string, severity?: 'low'): void =>
    out.add(GGUF_TENSOR_BOUNDS, {
      message: `tensor \`${range.name.slice(0, 200)}\` ${message}`,
      location: at(ctx, range.infoOffset),
      evidence: { tensor: range.name.slice(0, 200), begin: range.begin, end: range.end },
      ...(severity ? { severity } : {}),
    });
  for (const range of ranges) {
    if (range.begin % alignment !== 0)
      bounds(range, `data offset ${range.begin} is not a multiple of the alignment ${alignment}`);
    if (range.end > dataSize)
      bounds(range, `data [${range.begin}, ${range.end}) reaches past the ${dataSize}-byte data section`);
  }
  // Gaps and trailing bytes are only meaningful when every tensor's extent is known.
  const isComplete = ranges.length === header.tensors.length;
  ranges.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: string | undefined;
  for (const range of ranges) {
    if (range.begin < cursor && range.end > range.begin && previous !== undefined)
      bounds(range, `data [${range.begin}, ${range.end}) overlaps tensor \`${previous.slice(0, 200)}\``);
    else if (isComplete && range.begin - alignUp(cursor, alignment) > 0 && cursor < dataSize)
      bounds(
        range,
        `is preceded by ${range.begin - cursor} bytes that belong to no tensor (llama.cpp refuses gaps)`,
      );
    if (range.end > cursor) {
      cursor = range.end;
      previous = range.name;
    }
  }
  const trailing = dataSize - alignUp(cursor, alignment);
  if (trailing > 0 && isComplete)
    out.add(GGUF_TENSOR_BOUNDS, {
      message: `${trailing} bytes after the last tensor belong to no tensor`,
      location: at(ctx, dataStart + cursor),
      severity: 'low',
      evidence: { trailingBytes: trailing },
    });
}

function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}
