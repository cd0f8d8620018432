/**
 * Row shapes of the store's tables as kysely sees them. JSON columns are `text` holding JSON: the same
 * bytes come back on both dialects (jsonb would reorder keys and drop duplicates), and no query looks
 * inside them. Byte columns are `blob` (SQLite) or `bytea` (PostgreSQL) and come back as Buffers.
 */
export interface StoreSchema {
  artifacts: ArtifactRow;
  attestations: AttestationRow;
  scans: ScanRow;
  findings: FindingRow;
  decisions: DecisionRow;
  audit_entries: AuditEntryRow;
  audit_checkpoints: AuditCheckpointRow;
  model_versions: ModelVersionRow;
  model_aliases: ModelAliasRow;
  model_signatures: ModelSignatureRow;
}

/** `artifacts`: one row per content digest. */
export interface ArtifactRow {
  digest: string;
  kind: string;
  name: string | null;
  size: number;
  media_type: string | null;
  metadata: string;
  created_at: string;
}

/** `attestations`: unique on (payload_digest, subject_digest). */
export interface AttestationRow {
  id: string;
  subject_digest: string;
  predicate_type: string;
  envelope: string;
  key_ids: string;
  payload_digest: string;
  created_at: string;
}

/** `scans`: one row per scan run. */
export interface ScanRow {
  id: string;
  started_at: string;
  finished_at: string;
  targets: string;
  summary: string;
  finding_count: number;
  created_at: string;
}

/** `findings`: belongs to a scan; `ordinal` keeps the order the scan reported. */
export interface FindingRow {
  id: string;
  scan_id: string;
  ordinal: number;
  rule_id: string;
  severity: string;
  message: string;
  location: string;
  evidence: string | null;
  fingerprint: string;
  controls: string;
}

/** `decisions`: gate verdicts. */
export interface DecisionRow {
  id: string;
  subject_digest: string | null;
  subject: string;
  action: string;
  verdict: string;
  reason: string;
  policy: string | null;
  details: string | null;
  created_at: string;
}

/** `audit_entries`: the Merkle log's leaves, keyed by seq. */
export interface AuditEntryRow {
  seq: number;
  kind: string;
  payload: string;
  leaf_hash: Buffer;
  created_at: string;
}

/** `audit_checkpoints`: signed notes, keyed by tree size. */
export interface AuditCheckpointRow {
  tree_size: number;
  root_hash: Buffer;
  note: string;
  created_at: string;
}

/** `model_versions`: one immutable row per (name, version); `digest` is the OMS root digest. */
export interface ModelVersionRow {
  name: string;
  version: string;
  digest: string;
  size: number;
  manifest: string;
  metadata: string;
  created_at: string;
}

/** `model_aliases`: keyed by (name, alias); (name, version) references `model_versions`. */
export interface ModelAliasRow {
  name: string;
  alias: string;
  version: string;
  updated_at: string;
}

/** `model_signatures`: unique on (name, version, bundle_digest); `bundle` is kept byte for byte. */
export interface ModelSignatureRow {
  id: string;
  name: string;
  version: string;
  bundle: string;
  bundle_digest: string;
  created_at: string;
}
