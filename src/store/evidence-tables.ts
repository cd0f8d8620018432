import { randomUUID } from 'node:crypto';
import { BulwarkError } from '../core/errors.js';
import type { ArtifactRow, AttestationRow, DecisionRow } from './schema.js';
import type { StoreBackend } from './store-backend.js';
import type {
  ArtifactInput,
  ArtifactRecord,
  AttestationInput,
  AttestationRecord,
  DecisionInput,
  DecisionRecord,
  JsonObject,
  ListOptions,
  Verdict,
} from './store.js';
import { VERDICTS } from './store.js';
import {
  jsonObjectText,
  listLimit,
  optionalText,
  parseJsonColumn,
  requireCount,
  requireDigest,
  requireJsonText,
  requireString,
  requireStrings,
  requireText,
} from './validate-input.js';

/** What the table functions share: the backend and the clock that stamps `created_at`. */
export interface TableContext {
  readonly backend: StoreBackend;
  /** Current time as ISO-8601 UTC. */
  readonly now: () => string;
}

/** Inserts an artifact unless its digest is known; a known digest with another kind or size conflicts. */
export async function putArtifact(ctx: TableContext, input: ArtifactInput): Promise<boolean> {
  const row: ArtifactRow = {
    digest: requireDigest(input.digest, 'artifact digest'),
    kind: requireText(input.kind, 'artifact kind'),
    name: optionalText(input.name, 'artifact name') ?? null,
    size: requireCount(input.size, 'artifact size'),
    media_type: optionalText(input.mediaType, 'artifact mediaType') ?? null,
    metadata: input.metadata === undefined ? '{}' : jsonObjectText(input.metadata, 'artifact metadata'),
    created_at: ctx.now(),
  };
  return ctx.backend.write('evidence', async (trx) => {
    const result = await trx
      .insertInto('artifacts')
      .values(row)
      .onConflict((oc) => oc.column('digest').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) return true;
    const existing = await trx
      .selectFrom('artifacts')
      .select(['kind', 'size'])
      .where('digest', '=', row.digest)
      .executeTakeFirstOrThrow();
    if (existing.kind !== row.kind || Number(existing.size) !== row.size) {
      throw new BulwarkError(
        'STORE_CONFLICT',
        `artifact ${row.digest} is already stored as a ${existing.kind} of ${existing.size} bytes`,
      );
    }
    return false;
  });
}

/** Reads one artifact by digest. */
export async function getArtifact(ctx: TableContext, digest: string): Promise<ArtifactRecord | undefined> {
  const row = await ctx.backend.db
    .selectFrom('artifacts')
    .selectAll()
    .where('digest', '=', requireText(digest, 'artifact digest'))
    .executeTakeFirst();
  return row === undefined ? undefined : artifactRecord(row);
}

/** Lists artifacts newest first, optionally of one kind. */
export async function listArtifacts(
  ctx: TableContext,
  options: ListOptions & { readonly kind?: string } = {},
): Promise<ArtifactRecord[]> {
  let query = ctx.backend.db.selectFrom('artifacts').selectAll();
  const kind = optionalText(options.kind, 'kind');
  if (kind !== undefined) query = query.where('kind', '=', kind);
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('digest', 'desc')
    .limit(listLimit(options.limit))
    .execute();
  return rows.map(artifactRecord);
}

/** Inserts an attestation unless the same payload about the same subject is stored; returns the id. */
export async function putAttestation(ctx: TableContext, input: AttestationInput): Promise<string> {
  const row: AttestationRow = {
    id: randomUUID(),
    subject_digest: requireDigest(input.subjectDigest, 'attestation subjectDigest'),
    predicate_type: requireText(input.predicateType, 'attestation predicateType'),
    envelope: requireJsonText(input.envelope, 'attestation envelope'),
    key_ids: JSON.stringify(requireStrings(input.keyIds, 'attestation keyIds')),
    payload_digest: requireDigest(input.payloadDigest, 'attestation payloadDigest'),
    created_at: ctx.now(),
  };
  return ctx.backend.write('evidence', async (trx) => {
    await trx
      .insertInto('attestations')
      .values(row)
      .onConflict((oc) => oc.columns(['payload_digest', 'subject_digest']).doNothing())
      .execute();
    const stored = await trx
      .selectFrom('attestations')
      .select(['id', 'envelope', 'key_ids'])
      .where('payload_digest', '=', row.payload_digest)
      .where('subject_digest', '=', row.subject_digest)
      .executeTakeFirstOrThrow();
    // The same statement signed again (by another key): keep every signature, so a signer who stored
    // a predictable statement first cannot make a later, trusted signature of it disappear.
    const merged = mergeEnvelopeSignatures(stored.envelope, row.envelope);
    if (merged !== undefined) {
      const keyIds = [...new Set([...(JSON.parse(stored.key_ids) as string[]), ...input.keyIds])];
      await trx
        .updateTable('attestations')
        .set({ envelope: merged, key_ids: JSON.stringify(keyIds) })
        .where('id', '=', stored.id)
        .execute();
    }
    return stored.id;
  });
}

/**
 * Adds the signatures of `incoming` that `existing` lacks (both DSSE envelopes of the same payload);
 * undefined when there is nothing to add. The payload bytes are never touched.
 */
export function mergeEnvelopeSignatures(existing: string, incoming: string): string | undefined {
  type Envelope = { payload?: unknown; payloadType?: unknown; signatures?: { sig?: unknown }[] };
  let old: Envelope;
  let added: Envelope;
  try {
    old = JSON.parse(existing) as Envelope;
    added = JSON.parse(incoming) as Envelope;
  } catch {
    return undefined;
  }
  if (!Array.isArray(old.signatures) || !Array.isArray(added.signatures)) return undefined;
  if (old.payload !== added.payload || old.payloadType !== added.payloadType) return undefined;
  const known = new Set(old.signatures.map((s) => s.sig));
  const fresh = added.signatures.filter((s) => !known.has(s.sig));
  if (fresh.length === 0) return undefined;
  return `${JSON.stringify({ ...old, signatures: [...old.signatures, ...fresh] }, null, 2)}\n`;
}

/** Reads one attestation by id. */
export async function getAttestation(ctx: TableContext, id: string): Promise<AttestationRecord | undefined> {
  const row = await ctx.backend.db
    .selectFrom('attestations')
    .selectAll()
    .where('id', '=', requireText(id, 'attestation id'))
    .executeTakeFirst();
  return row === undefined ? undefined : attestationRecord(row);
}

/** Lists attestations newest first, optionally about one subject or of one predicate type. */
export async function listAttestations(
  ctx: TableContext,
  options: ListOptions & { readonly subjectDigest?: string; readonly predicateType?: string } = {},
): Promise<AttestationRecord[]> {
  let query = ctx.backend.db.selectFrom('attestations').selectAll();
  const subject = optionalText(options.subjectDigest, 'subjectDigest');
  if (subject !== undefined) query = query.where('subject_digest', '=', subject);
  const predicateType = optionalText(options.predicateType, 'predicateType');
  if (predicateType !== undefined) query = query.where('predicate_type', '=', predicateType);
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(listLimit(options.limit))
    .execute();
  return rows.map(attestationRecord);
}

/** Records a gate decision; returns its id. */
export async function putDecision(ctx: TableContext, input: DecisionInput): Promise<string> {
  if (!(VERDICTS as readonly unknown[]).includes(input.verdict)) {
    throw new BulwarkError('INPUT_INVALID', `decision verdict must be one of ${VERDICTS.join(', ')}`);
  }
  const row: DecisionRow = {
    id: randomUUID(),
    subject_digest:
      input.subjectDigest === undefined ? null : requireDigest(input.subjectDigest, 'decision subjectDigest'),
    subject: requireText(input.subject, 'decision subject'),
    action: requireText(input.action, 'decision action'),
    verdict: input.verdict,
    reason: requireString(input.reason, 'decision reason'),
    policy: optionalText(input.policy, 'decision policy') ?? null,
    details: input.details === undefined ? null : jsonObjectText(input.details, 'decision details'),
    created_at: ctx.now(),
  };
  await ctx.backend.write('evidence', (trx) => trx.insertInto('decisions').values(row).execute());
  return row.id;
}

/** Lists decisions newest first, optionally about one subject digest. */
export async function listDecisions(
  ctx: TableContext,
  options: ListOptions & { readonly subjectDigest?: string } = {},
): Promise<DecisionRecord[]> {
  let query = ctx.backend.db.selectFrom('decisions').selectAll();
  const subject = optionalText(options.subjectDigest, 'subjectDigest');
  if (subject !== undefined) query = query.where('subject_digest', '=', subject);
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(listLimit(options.limit))
    .execute();
  return rows.map(decisionRecord);
}

function artifactRecord(row: ArtifactRow): ArtifactRecord {
  return {
    digest: row.digest,
    kind: row.kind,
    ...(row.name === null ? {} : { name: row.name }),
    size: Number(row.size),
    ...(row.media_type === null ? {} : { mediaType: row.media_type }),
    metadata: parseJsonColumn(row.metadata, 'artifact metadata'),
    createdAt: row.created_at,
  };
}

function attestationRecord(row: AttestationRow): AttestationRecord {
  return {
    id: row.id,
    subjectDigest: row.subject_digest,
    predicateType: row.predicate_type,
    envelope: row.envelope,
    keyIds: parseJsonColumn<string[]>(row.key_ids, 'attestation keyIds'),
    payloadDigest: row.payload_digest,
    createdAt: row.created_at,
  };
}

function decisionRecord(row: DecisionRow): DecisionRecord {
  return {
    id: row.id,
    ...(row.subject_digest === null ? {} : { subjectDigest: row.subject_digest }),
    subject: row.subject,
    action: row.action,
    verdict: row.verdict as Verdict,
    reason: row.reason,
    ...(row.policy === null ? {} : { policy: row.policy }),
    ...(row.details === null
      ? {}
      : { details: parseJsonColumn<JsonObject>(row.details, 'decision details') }),
    createdAt: row.created_at,
  };
}
