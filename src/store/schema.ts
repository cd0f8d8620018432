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
  dataset_labels: DatasetLabelsRow;
  lineage_events: LineageEventRow;
  lineage_datasets: LineageDatasetRow;
  gateway_keys: GatewayKeyRow;
  gateway_approvals: GatewayApprovalRow;
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

/** `dataset_labels`: the label history of dataset versions; the newest row of a digest is current. */
export interface DatasetLabelsRow {
  id: string;
  digest: string;
  label: string;
  columns: string;
  entities: string;
  source: string;
  source_id: string | null;
  seq: number;
  created_at: string;
}

/** `lineage_events`: OpenLineage run events, unique on the digest of their JSON; `event` kept as received. */
export interface LineageEventRow {
  id: string;
  event_digest: string;
  run_id: string;
  event_type: string;
  event_time: string;
  job_namespace: string;
  job_name: string;
  producer: string;
  event: string;
  created_at: string;
}

/** `lineage_datasets`: the datasets an event reads (`input`) and writes (`output`). */
export interface LineageDatasetRow {
  event_id: string;
  direction: string;
  namespace: string;
  name: string;
  digest: string | null;
}

/** `gateway_keys`: gateway API keys by id, unique on prefix and on the SHA-256 (hex) of the key. */
export interface GatewayKeyRow {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  models: string;
  tools: string;
  rpm: number | null;
  tpm: number | null;
  max_tokens: number | null;
  budget: number | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  created_by: string | null;
}

/** `gateway_approvals`: sensitive tool calls held for a human decision, by id. */
export interface GatewayApprovalRow {
  id: string;
  request_id: string;
  principal: string;
  model: string;
  tool: string;
  tool_call_id: string;
  arguments: string;
  arguments_digest: string;
  /** `pending`, `approved` or `denied`; a pending row past `expires_at` reads as `expired`. */
  status: string;
  created_at: string;
  expires_at: string;
  decided_at: string | null;
  approver: string | null;
  reason: string | null;
  envelope: string | null;
}
