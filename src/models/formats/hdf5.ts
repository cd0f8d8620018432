import type { Finding } from '../../core/findings.js';
import { findingOf } from '../../core/rules.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { ArtifactContext } from '../artifact.js';
import { attributeName, decodeStringAttribute } from './hdf5-attributes.js';
import {
  Hdf5Reader,
  MESSAGE_TYPES,
  readAddress,
  UNDEFINED_ADDRESS,
  type Hdf5Superblock,
} from './hdf5-reader.js';
import { checkKerasConfigText } from './keras-config-checks.js';
import { HDF5_ATTRIBUTES_NOT_INSPECTED, HDF5_MALFORMED } from './onnx-tf-keras-rules.js';

/** Root attributes where tf.keras and Keras 3 (legacy `.h5` saving) keep JSON that loading deserializes. */
const KERAS_ATTRIBUTES: ReadonlySet<string> = new Set(['model_config', 'training_config']);
const MAX_PROBLEM_FINDINGS = 10;

/**
 * Scans an HDF5 file's root group attributes without reading any dataset: the Keras `model_config`
 * and `training_config` JSON of a legacy `.h5` model (fixed-length or variable-length strings, in
 * object header chunks and their continuations) gets the Keras config checks. Structure that cannot be
 * followed is reported (medium); attributes kept in dense storage are reported as not inspected (low).
 */
export async function scanHdf5(source: ByteSource, ctx: ArtifactContext): Promise<Finding[]> {
  const reader = new Hdf5Reader(source, ctx.limits.maxMetadataBytes);
  const findings: Finding[] = [];
  const notInspected: Array<{ reason: string; offset: number }> = [];
  const superblock = await reader.findSuperblock();
  if (superblock !== undefined) {
    findings.push(...(await scanRootAttributes(superblock, reader, ctx, notInspected)));
  }
  for (const problem of reader.problems.slice(0, MAX_PROBLEM_FINDINGS)) {
    findings.push(
      findingOf(HDF5_MALFORMED, {
        message: `HDF5 structure is invalid: ${problem.message}`,
        location: { ...ctx.location, offset: problem.offset },
        evidence: { problem: problem.message },
      }),
    );
  }
  for (const skipped of notInspected.slice(0, MAX_PROBLEM_FINDINGS)) {
    findings.push(
      findingOf(HDF5_ATTRIBUTES_NOT_INSPECTED, {
        message: `root attributes not inspected: ${skipped.reason}`,
        location: { ...ctx.location, offset: skipped.offset },
        evidence: { reason: skipped.reason },
      }),
    );
  }
  return findings;
}

async function scanRootAttributes(
  superblock: Hdf5Superblock,
  reader: Hdf5Reader,
  ctx: ArtifactContext,
  notInspected: Array<{ reason: string; offset: number }>,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const messages = await reader.readObjectHeader(superblock, superblock.rootHeader);
  for (const message of messages) {
    ctx.signal?.throwIfAborted();
    if (message.type === MESSAGE_TYPES.attributeInfo) {
      // Attribute Info: version, flags, [max creation index], fractal heap address, name index address.
      const flags = message.data[1] ?? 0;
      const heap = readAddress(message.data, 2 + (flags & 0x01 ? 2 : 0), superblock.offsetSize);
      if (heap !== UNDEFINED_ADDRESS) {
        notInspected.push({
          reason: 'attributes are stored densely in a fractal heap',
          offset: message.offset,
        });
      }
      continue;
    }
    if (message.type !== MESSAGE_TYPES.attribute) continue;
    const name = attributeName(message);
    if (name === undefined) {
      reader.problem('attribute message is malformed', message.offset);
      continue;
    }
    if (!KERAS_ATTRIBUTES.has(name)) continue;
    const attribute = await decodeStringAttribute(message, superblock, reader, ctx.limits.maxMetadataBytes);
    if (attribute === undefined) continue;
    if (attribute.kind === 'unsupported') {
      notInspected.push({ reason: `attribute ${name}: ${attribute.reason}`, offset: attribute.offset });
      continue;
    }
    if (attribute.value.trim() === '') continue;
    const origin = {
      location: { ...ctx.location, offset: attribute.offset },
      source: `HDF5 attribute ${name}`,
    };
    findings.push(...checkKerasConfigText(attribute.value, origin));
  }
  return findings;
}
