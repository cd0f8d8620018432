import { BulwarkError } from '../../core/errors.js';
import { signStatement, serializeBundle, type SignStatementOptions } from './bundle-signer.js';
import type { OmsBundle } from './bundle-schema.js';
import { rootDigest, type Manifest } from './manifest.js';
import type { ModelTree } from './model-tree.js';
import type { OmsSigner } from './oms-keys.js';
import { serializeModel, type SerializationIssue, type SerializeOptions } from './serialization.js';
import { buildStatement, encodeStatement, type BuildStatementOptions } from './statement.js';

/** Options of {@link signModel}: how to serialize the model and how to write the bundle. */
export interface SignModelOptions extends SerializeOptions, SignStatementOptions, BuildStatementOptions {}

/** A signed model: the bundle to write next to it and what it covers. */
export interface SignedModel {
  readonly bundle: OmsBundle;
  /** The bundle as the reference implementation writes `model.sig`. */
  readonly bundleBytes: Uint8Array;
  readonly manifest: Manifest;
  /** `sha256:<hex>` over the resource digests: the signed subject, the model's identity. */
  readonly rootDigest: `sha256:${string}`;
  /** Warnings met while enumerating (errors stop signing). */
  readonly warnings: readonly SerializationIssue[];
}

/**
 * Serializes a model per OMS §6 and signs its in-toto Statement into an OMS bundle. Throws
 * `INPUT_INVALID` naming the first problem when the model cannot be signed as it stands (a symlink
 * without `allowSymlinks`, a special file, nothing to sign, …).
 */
export async function signModel(
  tree: ModelTree,
  signer: OmsSigner,
  options: SignModelOptions = {},
): Promise<SignedModel> {
  const { manifest, issues } = await serializeModel(tree, options);
  const errors = issues.filter((issue) => issue.severity === 'error');
  const first = errors[0];
  if (first !== undefined) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem(s))` : '';
    throw new BulwarkError(
      'INPUT_INVALID',
      `cannot sign ${tree.name}: ${first.path}: ${first.message}${more}`,
    );
  }
  const statement = buildStatement(manifest, options);
  const bundle = signStatement(encodeStatement(statement), signer, options);
  return {
    bundle,
    bundleBytes: serializeBundle(bundle),
    manifest,
    rootDigest: `sha256:${rootDigest(manifest.resources)}`,
    warnings: issues.filter((issue) => issue.severity === 'warning'),
  };
}
