import { describeError } from '../core/errors.js';
import type { Finding } from '../core/findings.js';
import { findingOf } from '../core/rules.js';
import { readFully } from '../core/scan/byte-sources.js';
import { identifySource, SNIFF_HEAD_BYTES } from '../core/scan/sniff.js';
import type { ByteSource, FileIdentity } from '../core/scan/types.js';
import { findEndRecord, scanGzip, scanTar, scanZip } from './archive/index.js';
import {
  memberLocation,
  type ArtifactContext,
  type ArtifactLocation,
  type ModelScanLimits,
  type NestedKind,
  type NestedScan,
} from './artifact.js';
import { scanGguf } from './formats/gguf.js';
import { scanHdf5 } from './formats/hdf5.js';
import { looksLikeKerasConfig, scanKerasConfig } from './formats/keras.js';
import { scanNumpy } from './formats/numpy.js';
import { scanOnnx } from './formats/onnx.js';
import { scanSafetensors } from './formats/safetensors.js';
import { looksLikeSavedModel, scanSavedModel } from './formats/saved-model.js';
import { NESTING_TOO_DEEP, PART_NOT_INSPECTED } from './model-rules.js';
import type { PicklePolicy } from './pickle/pickle-policy.js';
import { scanPickle, scanPickleStream } from './pickle/scan-pickle.js';

/** What a model scan needs besides the bytes. */
export interface ArtifactScanSettings {
  readonly policy: PicklePolicy;
  readonly limits: ModelScanLimits;
  readonly signal?: AbortSignal;
}

/** The file kinds that can hold a model or code that runs when a model loads. */
export const MODEL_KINDS = [
  'pickle',
  'zip',
  'gzip',
  'tar',
  'numpy',
  'hdf5',
  'gguf',
  'safetensors',
  'onnx',
  'json',
  'binary',
] as const;

/**
 * Scans one model artifact by content, never by name: pickles with the symbolic machine, archives member
 * by member (each member sniffed and dispatched again), and every other format by its own checks. Only
 * headers, pickles and metadata are read, so a multi-GB checkpoint costs a few seeks. Findings are
 * deduplicated and located at `location` (members with `member`, byte positions with `offset`).
 */
export async function scanArtifact(
  source: ByteSource,
  location: ArtifactLocation,
  settings: ArtifactScanSettings,
  identity?: FileIdentity,
): Promise<Finding[]> {
  const found = await scanAt(
    source,
    location,
    settings,
    0,
    identity ?? (await identifySource(source)),
    'sniff',
  );
  return dedupe(found);
}

async function scanAt(
  source: ByteSource,
  location: ArtifactLocation,
  settings: ArtifactScanSettings,
  depth: number,
  identity: FileIdentity,
  as: NestedKind,
): Promise<Finding[]> {
  settings.signal?.throwIfAborted();
  const ctx: ArtifactContext = {
    location,
    limits: settings.limits,
    depth,
    ...(settings.signal ? { signal: settings.signal } : {}),
    scanNested: (request) => scanNested(request, location, settings, depth),
  };
  switch (as) {
    case 'pickle':
      return scanPickle(source, ctx, { policy: settings.policy });
    case 'embedded-pickle':
      return scanPickle(source, ctx, { policy: settings.policy, embedded: true });
    case 'sniff':
      return scanByKind(source, identity, ctx, settings);
  }
}

async function scanByKind(
  source: ByteSource,
  identity: FileIdentity,
  ctx: ArtifactContext,
  settings: ArtifactScanSettings,
): Promise<Finding[]> {
  switch (identity.kind) {
    case 'pickle': {
      const { findings, end } = await scanPickleStream(source, ctx, { policy: settings.policy });
      // A pickle followed by a zip is a polyglot: PyTorch reads it as a legacy pickle, unzip tools as a
      // zip. A zip end record inside the pickle (bytes handed to `_load_from_bytes`) is not one: those
      // bytes were scanned as embedded content already.
      const zipEnd = (await findEndRecord(source))?.offset;
      if (zipEnd !== undefined && zipEnd >= end) findings.push(...(await scanZip(source, ctx)));
      return findings;
    }
    case 'zip':
      return scanZip(source, ctx);
    case 'tar':
      return scanTar(source, ctx);
    case 'gzip':
      return scanGzip(source, ctx);
    case 'numpy':
      return scanNumpy(source, ctx);
    case 'hdf5':
      return scanHdf5(source, ctx);
    case 'gguf':
      return scanGguf(source, ctx);
    case 'safetensors':
      return scanSafetensors(source, ctx);
    case 'onnx':
      return scanOnnx(source, ctx);
    case 'json': {
      const head = await readFully(source, 0, Math.min(source.size, SNIFF_HEAD_BYTES));
      return looksLikeKerasConfig(head) ? scanKerasConfig(source, ctx) : [];
    }
    case 'binary': {
      const head = await readFully(source, 0, Math.min(source.size, SNIFF_HEAD_BYTES));
      return looksLikeSavedModel(head, source.size) ? scanSavedModel(source, ctx) : [];
    }
    default:
      return [];
  }
}

/** Scans content found inside an artifact; faults and depth become findings, never exceptions. */
async function scanNested(
  request: NestedScan,
  parent: ArtifactLocation,
  settings: ArtifactScanSettings,
  depth: number,
): Promise<Finding[]> {
  const location = request.member === undefined ? parent : memberLocation(parent, request.member);
  const shift = request.member === undefined ? (request.baseOffset ?? 0) : 0;
  if (depth + 1 > settings.limits.maxArchiveDepth) {
    return [
      findingOf(NESTING_TOO_DEEP, {
        message: `content nested ${depth + 1} levels deep was not scanned (limit ${settings.limits.maxArchiveDepth})`,
        location: shift > 0 ? { ...location, offset: shift } : location,
        evidence: { depth: depth + 1, limit: settings.limits.maxArchiveDepth },
      }),
    ];
  }
  let found: Finding[];
  try {
    const as = request.as ?? 'sniff';
    const identity =
      as === 'sniff' ? await identifySource(request.source) : { kind: 'pickle', mediaType: '' };
    found = await scanAt(request.source, location, settings, depth + 1, identity, as);
  } catch (error) {
    settings.signal?.throwIfAborted();
    const reason = describeError(error);
    return [
      findingOf(PART_NOT_INSPECTED, {
        message: `${request.member ?? `the part at offset ${shift}`} could not be inspected: ${reason}`,
        location: shift > 0 ? { ...location, offset: shift } : location,
        evidence: { error: reason },
      }),
    ];
  }
  if (shift === 0) return found;
  return found.map((finding) => {
    if (finding.location.path !== location.path || finding.location.member !== location.member)
      return finding;
    // Offsets in a region of the same file are made absolute, in the location and in the evidence.
    const callOffset = finding.evidence?.['callOffset'];
    return {
      ...finding,
      location: { ...finding.location, offset: (finding.location.offset ?? 0) + shift },
      ...(typeof callOffset === 'number'
        ? { evidence: { ...finding.evidence, callOffset: callOffset + shift } }
        : {}),
    };
  });
}

function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const { path, member, offset } = finding.location;
    const key = `${finding.ruleId}\0${path}\0${member ?? ''}\0${offset ?? ''}\0${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
