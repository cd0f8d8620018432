import { rootDigest, type Manifest } from './manifest.js';

/** The in-toto Statement v1 `_type`. */
export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';

/** The OMS v1.0 predicate type (§5.1). */
export const OMS_PREDICATE_TYPE = 'https://model_signing/signature/v1.0';

/** The deprecated predicate of model_signing v0.2.0, accepted for verification only. */
export const LEGACY_PREDICATE_TYPE = 'https://model_signing/Digests/v0.1';

/** The DSSE `payloadType` of an in-toto statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** The in-toto Statement an OMS signer puts in the DSSE payload, field for field. */
export interface OmsStatement {
  readonly _type: typeof IN_TOTO_STATEMENT_V1;
  readonly subject: readonly [{ readonly name: string; readonly digest: { readonly sha256: string } }];
  readonly predicateType: typeof OMS_PREDICATE_TYPE;
  readonly predicate: {
    readonly serialization: {
      readonly method: string;
      readonly hash_type: string;
      readonly allow_symlinks: boolean;
      readonly shard_size?: number;
      readonly ignore_paths?: readonly string[];
    };
    readonly resources: readonly {
      readonly name: string;
      readonly algorithm: string;
      readonly digest: string;
    }[];
  };
}

/** How the statement is written. */
export interface BuildStatementOptions {
  /** Record `serialization.ignore_paths` as model_signing v1.1.0 does (default true). */
  readonly recordIgnorePaths?: boolean;
  /** Overrides `subject[0].name` (default: the manifest's model name). */
  readonly subjectName?: string;
}

/**
 * Builds the OMS in-toto Statement for a manifest exactly as the reference implementation does:
 * one subject whose digest is the root digest, and the serialization parameters and resources.
 */
export function buildStatement(manifest: Manifest, options: BuildStatementOptions = {}): OmsStatement {
  const params = manifest.serialization;
  const recordIgnore = (options.recordIgnorePaths ?? true) && params.ignorePaths.length > 0;
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: [
      { name: options.subjectName ?? manifest.modelName, digest: { sha256: rootDigest(manifest.resources) } },
    ],
    predicateType: OMS_PREDICATE_TYPE,
    predicate: {
      serialization: {
        method: params.method,
        hash_type: params.hashType,
        allow_symlinks: params.allowSymlinks,
        ...(params.method === 'shards' && params.shardSize !== undefined
          ? { shard_size: params.shardSize }
          : {}),
        ...(recordIgnore ? { ignore_paths: [...params.ignorePaths] } : {}),
      },
      resources: manifest.resources.map((r) => ({ name: r.name, algorithm: r.algorithm, digest: r.digest })),
    },
  };
}

/** Encodes a statement as the DSSE payload bytes (UTF-8 JSON); the verifier never re-encodes them. */
export function encodeStatement(statement: OmsStatement): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(statement, undefined, 2));
}
