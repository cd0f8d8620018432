import { z } from 'zod';
import { schemaDocs } from '../core/schema-docs.js';
import type { Lineage } from './lineage.js';
import { SEVERITIES } from '../core/severity.js';
import { MAX_CHUNK_SIZE, MAX_KEY_SOURCE_ID_LENGTH, MIN_CHUNK_SIZE } from './encryption/format.js';
import { LOOKALIKE_REASONS, VARIANT_KINDS, type Lookalike } from './lookalike.js';
import { SIGNING_METHODS } from './oms/bundle.js';
import { VERIFICATION_STAGES, type ModelVerification } from './oms/verify-model.js';
import type { ReleaseDecision } from './policy/evaluate-policy.js';
import type { StoredModelFile } from './registry-tree.js';

const { described, field, publish } = schemaDocs();

const count = z.int().min(0);
const text = z.string().min(1);
const names = z.array(z.string());
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const digest = described(z.templateLiteral(['sha256:', hex64]), {
  id: 'Sha256Digest',
  description: '`sha256:` and 64 lowercase hex digits.',
});
const timestamp = described(z.iso.datetime(), {
  id: 'Timestamp',
  description: 'ISO 8601 time in UTC (`Z`), e.g. 2025-01-31T12:00:00.000Z.',
});
const keyId = described(hex64.clone(), {
  id: 'KeyId',
  description: "Lowercase hex SHA-256 of the key's SubjectPublicKeyInfo (DER): Bulwark's key id.",
});
const jsonValue = described(z.json(), { id: 'JsonValue', description: 'Any JSON value.' });

/** `bulwark sign MODEL --format json`: what was signed, where the bundle went and with which key. */
export const signOutputSchema = described(
  z.strictObject({
    model: field(text, 'Absolute path of the model folder or file.'),
    signature: field(text, 'Absolute path of the OMS bundle written.'),
    rootDigest: field(digest, "Root digest of the signed manifest: the model's identity."),
    method: field(z.enum(['key', 'certificate']), 'key, or certificate with --certificate-chain.'),
    keyId: field(keyId, 'The signing key.'),
    resources: field(count, 'Files (or shards with --method shards) the signature covers.'),
    bytes: field(count, 'Bytes of the files signed.'),
    seconds: field(z.number().min(0), 'Wall time of hashing and signing, in seconds.'),
    warnings: field(names, 'Things worth knowing that did not stop signing, as `path: message`.'),
  }),
  { description: 'The output of `bulwark sign MODEL --format json`.' },
);

/** Output of `bulwark sign --format json`. */
export type SignOutput = z.output<typeof signOutputSchema>;

const verificationFailure = described(
  z.strictObject({
    stage: z.enum(VERIFICATION_STAGES),
    kind: field(text, 'For model failures: the difference found (`digest-mismatch`, …).').optional(),
    path: field(z.string(), 'The file concerned, relative to the model root.').optional(),
    reason: text,
  }),
  {
    id: 'VerificationFailure',
    description: 'One reason a model does not verify, and the stage (bundle, signature, statement, model).',
  },
);

/** `bulwark verify MODEL --format json`: the {@link ModelVerification} of the model. */
export const verifyOutputSchema = described(
  z.strictObject({
    ok: field(z.boolean(), 'True only when the signature is trusted and every byte matches.'),
    model: field(z.string(), 'Name of the model folder or file.'),
    method: z.enum(SIGNING_METHODS).optional(),
    signer: field(z.string(), 'Certificate subject or Sigstore identity of the signer.').optional(),
    issuer: field(z.string(), 'OIDC issuer of a Sigstore signer.').optional(),
    keyId: field(keyId, 'The key that verified.').optional(),
    predicateType: field(text, 'The in-toto predicate type of the signed statement.').optional(),
    rootDigest: field(digest, "Root digest of the signed manifest: the model's identity.").optional(),
    resources: field(count, 'Resources (files or shards) the signature covers.'),
    legacyEncoding: field(z.boolean(), 'True when only the v0.2.0 signing encoding verified.').optional(),
    notes: field(names, 'Facts that do not fail verification (warnings, compatibility paths taken).'),
    failures: field(z.array(verificationFailure), 'Every reason the model does not verify; empty when ok.'),
  }),
  { description: 'The output of `bulwark verify MODEL --format json`; exit code 1 when ok is false.' },
);

/** An existing registry name that a pushed name imitates (control R5). */
export const lookalikeSchema = described(
  z.strictObject({
    name: field(text, 'The existing name imitated.'),
    reason: z.enum(LOOKALIKE_REASONS),
    distance: field(z.int().min(1), 'Edits between the folded names (edit-distance only).').optional(),
    severity: field(
      z.enum(SEVERITIES),
      'high: renders alike; medium: one edit; low: two edits; info: a sibling variant.',
    ),
    variant: field(z.enum(VARIANT_KINDS), 'Set when the edits look like a sibling model.').optional(),
    detail: field(text, 'One line: what differs, look-alike characters and mixed scripts.'),
  }),
  { id: 'Lookalike', description: 'An existing model name that the pushed name imitates, and how.' },
);

/** `bulwark registry push … --format json`: the stored version and what was found on the way. */
export const pushOutputSchema = described(
  z.strictObject({
    name: text,
    version: text,
    digest: field(digest, "OMS root digest of the model's files: the version's identity."),
    outcome: field(z.enum(['created', 'exists']), 'exists: the same bytes were already pushed.'),
    files: field(count, 'Files stored.'),
    size: field(count, 'Bytes stored.'),
    encrypted: field(z.boolean(), 'Blobs are encrypted at rest (registry.encryption).'),
    signature: field(digest.nullable(), 'Digest of the OMS bundle kept with the version, or null.'),
    scans: field(names, 'Ids of the model scans run on these bytes.'),
    lookalikes: field(z.array(lookalikeSchema), 'Existing names this new name imitates.'),
  }),
  { description: 'The output of `bulwark registry push --format json`.' },
);

const versionFields = {
  name: text,
  version: text,
  digest: field(digest, "OMS root digest of the model's files: the version's identity."),
  size: field(count, 'Bytes of all files.'),
  createdAt: field(timestamp, 'When the version was pushed.'),
  aliases: field(names, 'Aliases pointing at this version.'),
};

/** `bulwark registry list --format json`: model versions, newest first. */
export const listOutputSchema = described(
  z.array(
    described(z.strictObject(versionFields), {
      id: 'ModelVersionRow',
      description: 'One model version and its aliases.',
    }),
  ),
  { description: 'The output of `bulwark registry list --format json`: versions, newest first.' },
);

const storedFile = described(
  z.strictObject({
    path: field(text, 'Path in the model with / separators (`.` for a single-file model).'),
    size: count,
    digest: field(digest, "The file's digest, which also names its blob."),
    encrypted: z.boolean(),
  }),
  { id: 'StoredModelFile', description: 'One file of a stored model version.' },
);

/** `bulwark registry show … --format json`: one version with its files, signatures and scans. */
export const showOutputSchema = described(
  z.strictObject({
    ...versionFields,
    files: z.array(storedFile),
    signatures: field(
      z.array(z.strictObject({ id: text, bundleDigest: digest, createdAt: timestamp })),
      'OMS bundles stored with the version.',
    ),
    scans: field(names, 'Ids of the model scans run on these bytes.'),
    metadata: field(
      z.record(z.string(), jsonValue),
      'Free JSON recorded with the version; `registry push` writes source, scans and lookalikes.',
    ),
  }),
  { description: 'The output of `bulwark registry show NAME@REF --format json`.' },
);

const requirementResult = described(
  z.strictObject({
    id: z.union([
      z.enum(['default-policy', 'signature', 'scan', 'provenance', 'dataset-admission']),
      z.templateLiteral(['attestation:', z.string()]),
    ]),
    met: z.boolean(),
    reason: field(text, 'One sentence naming the evidence looked at.'),
  }),
  { id: 'RequirementResult', description: 'One requirement of the policy entry, met or not.' },
);

const releaseDecisionFields = z.strictObject({
  allowed: z.boolean(),
  alias: text,
  model: z.strictObject({ name: text, version: text, digest }),
  policy: field(text, 'What decided: `release.policies[<n>]` or `release.defaultPolicy`.'),
  policyName: field(z.string(), "The entry's name, when it has one.").optional(),
  requirements: field(z.array(requirementResult), 'Every requirement, in evaluation order.'),
  summary: field(text, 'One line for terminals and the decision record.'),
});

/** `bulwark registry promote` and `bulwark deploy check` with `--format json`: a release decision. */
export const releaseDecisionSchema = described(
  releaseDecisionFields.extend({
    previous: field(text, 'promote only: the version the alias pointed at before.').optional(),
  }),
  {
    description:
      'The output of `bulwark registry promote --format json` and `bulwark deploy check --format json`; exit code 1 when allowed is false.',
  },
);

const lineageInput = described(
  z.strictObject({
    role: field(text, '`dataset`, `base-model`, `code`, … (`input` when unnamed).'),
    name: z.string().optional(),
    uri: z.string().optional(),
    digest: field(
      z.union([digest, z.templateLiteral(['gitCommit:', z.string()])]),
      '`sha256:<hex>`, or `gitCommit:<sha>` for code.',
    ).optional(),
    registry: field(names, 'Base models: registry versions holding exactly these bytes.').optional(),
    admissions: field(
      z.array(z.strictObject({ verdict: text, createdAt: timestamp })),
      'Datasets: admission verdicts recorded, newest first.',
    ).optional(),
    sensitivity: field(z.string(), 'Datasets: the sensitivity label recorded, if any.').optional(),
  }),
  { id: 'LineageInput', description: 'One input of a training run, as its provenance names it.' },
);

/** `bulwark registry lineage … --format json`: the {@link Lineage} of a version. */
export const lineageOutputSchema = described(
  z.strictObject({
    model: z.strictObject({ name: text, version: text, digest }),
    aliases: names,
    signatures: field(count, 'OMS bundles stored with the version.'),
    scans: field(names, 'Ids of the model scans run on these bytes.'),
    provenance: z.array(
      z.strictObject({
        attestation: field(digest, 'Payload digest of the training provenance attestation.'),
        createdAt: timestamp,
        signedBy: field(names, 'Ids of the keys whose signatures were verified when stored.'),
        builder: z.string().optional(),
        parameters: field(z.unknown(), 'The external parameters of the run: any JSON.').optional(),
        inputs: z.array(lineageInput),
      }),
    ),
    derived: field(names, 'Versions (NAME@VERSION) trained from this version as a base model.'),
  }),
  { description: 'The output of `bulwark registry lineage NAME@REF --format json`.' },
);

/** `bulwark decrypt --info FILE --format json`: the header of an encrypted file, read without a key. */
export const decryptInfoSchema = described(
  z.strictObject({
    file: field(text, 'The file, relative to the working folder when inside it.'),
    formatVersion: z.int().min(1),
    cipher: z.literal('AES-256-GCM, STREAM chunks'),
    keyId: field(
      z.string().regex(new RegExp(`^[!-~]{1,${MAX_KEY_SOURCE_ID_LENGTH}}$`)),
      'The key source the file needs (e.g. `local:<16 hex>`).',
    ),
    chunkSize: field(z.int().min(MIN_CHUNK_SIZE).max(MAX_CHUNK_SIZE), 'Plaintext bytes per chunk.'),
    chunks: z.int().min(1),
    headerBytes: count,
    encryptedSize: count,
    plaintextSize: field(count, 'Implied by the file size; authenticated only by decrypting.'),
  }),
  { description: 'The output of `bulwark decrypt --info FILE --format json`.' },
);

/** Every field of a JSON shape as a dotted path (`.a.b[].c`): equal sets mean neither side has one more. */
type FieldPaths<T, P extends string = ''> = T extends readonly (infer U)[]
  ? FieldPaths<U, `${P}[]`>
  : T extends object
    ? {
        [K in keyof T & string]-?: `${P}.${K}` | FieldPaths<Exclude<T[K], undefined>, `${P}.${K}`>;
      }[keyof T & string]
    : never;
type SameFields<A, B> = [FieldPaths<A>] extends [FieldPaths<B>]
  ? [FieldPaths<B>] extends [FieldPaths<A>]
    ? true
    : false
  : false;

// Compile-time checks that each schema describes its TypeScript type: every output fits the type,
// and both have the same fields, so neither can drift from the other.
const _verifyFits: (v: z.output<typeof verifyOutputSchema>) => ModelVerification = (v) => v;
const _verifySame: SameFields<ModelVerification, z.output<typeof verifyOutputSchema>> = true;
const _lookalikeFits: (v: z.output<typeof lookalikeSchema>) => Lookalike = (v) => v;
const _lookalikeSame: SameFields<Lookalike, z.output<typeof lookalikeSchema>> = true;
const _fileFits: (v: z.output<typeof storedFile>) => StoredModelFile = (v) => v;
const _fileSame: SameFields<StoredModelFile, z.output<typeof storedFile>> = true;
const _decisionFits: (v: z.output<typeof releaseDecisionFields>) => ReleaseDecision = (v) => v;
const _decisionSame: SameFields<ReleaseDecision, z.output<typeof releaseDecisionFields>> = true;
const _lineageFits: (v: z.output<typeof lineageOutputSchema>) => Lineage = (v) => v;
const _lineageSame: SameFields<Lineage, z.output<typeof lineageOutputSchema>> = true;
void [_verifyFits, _verifySame, _lookalikeFits, _lookalikeSame, _fileFits, _fileSame];
void [_decisionFits, _decisionSame, _lineageFits, _lineageSame];

/** Each published schema: its file under docs/schema/, its title and its zod schema. */
const OUTPUTS = [
  ['sign.schema.json', 'Bulwark sign output', signOutputSchema],
  ['verify.schema.json', 'Bulwark verify output', verifyOutputSchema],
  ['registry-push.schema.json', 'Bulwark registry push output', pushOutputSchema],
  ['registry-list.schema.json', 'Bulwark registry list output', listOutputSchema],
  ['registry-show.schema.json', 'Bulwark registry show output', showOutputSchema],
  ['release-decision.schema.json', 'Bulwark release decision', releaseDecisionSchema],
  ['lineage.schema.json', 'Bulwark registry lineage output', lineageOutputSchema],
  ['decrypt-info.schema.json', 'Bulwark decrypt --info output', decryptInfoSchema],
] as const;

export { SCHEMA_BASE_URL } from '../core/schema-docs.js';

/**
 * The JSON Schemas (draft 2020-12) of the JSON outputs of the signing, registry, release and
 * decrypt-info commands, by file name under `docs/schema/`, each with its `$id` and title.
 */
export function registryOutputJsonSchemas(): Record<string, object> {
  return publish(OUTPUTS);
}
