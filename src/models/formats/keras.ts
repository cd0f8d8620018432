import type { Finding } from '../../core/findings.js';
import { findingOf } from '../../core/rules.js';
import { readFully } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { ArtifactContext } from '../artifact.js';
import { checkKerasConfigText } from './keras-config-checks.js';
import { KERAS_CONFIG_MALFORMED } from './onnx-tf-keras-rules.js';

const HEAD_BYTES = 4096;
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/**
 * Tells from the head of a JSON file whether it is a Keras model config (Keras 3 `config.json`,
 * `model.to_json()`, a legacy `model_config`): a JSON object whose head has both `"class_name"` and
 * `"config"` keys. Diffusers' `"_class_name"` and transformers configs do not match.
 */
export function looksLikeKerasConfig(bytes: Uint8Array): boolean {
  const head = latin1.decode(bytes.subarray(0, HEAD_BYTES));
  const start = head.replace(/^(?:\u00ef\u00bb\u00bf)?\s*/, '');
  if (!start.startsWith('{')) return false;
  return /"class_name"\s*:/.test(head) && /"config"\s*:/.test(head);
}

/**
 * Scans a Keras JSON config (the `config.json` member of a `.keras` zip, or a standalone Keras JSON):
 * Lambda bytecode, modules outside the Keras allowlist, file and safe-mode APIs, TFOpLambda calls.
 * A config over `maxMetadataBytes` is reported rather than read.
 */
export async function scanKerasConfig(source: ByteSource, ctx: ArtifactContext): Promise<Finding[]> {
  const origin = { location: ctx.location, source: ctx.location.member ?? ctx.location.path };
  if (source.size > ctx.limits.maxMetadataBytes) {
    return [
      findingOf(KERAS_CONFIG_MALFORMED, {
        message: `Keras config of ${source.size} bytes is over the ${ctx.limits.maxMetadataBytes}-byte metadata limit and was not checked`,
        location: ctx.location,
        evidence: { size: source.size, limit: ctx.limits.maxMetadataBytes },
      }),
    ];
  }
  const bytes = await readFully(source, 0, source.size);
  return checkKerasConfigText(utf8.decode(bytes), origin);
}
