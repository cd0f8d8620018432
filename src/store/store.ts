import type { AuditStorage } from '../audit/storage.js';
import type { Finding, JsonValue } from '../core/findings.js';

/** The two databases the evidence store runs on. */
export const STORE_DIALECTS = ['sqlite', 'postgres'] as const;

export type StoreDialect = (typeof STORE_DIALECTS)[number];

/** A JSON object, as kept in the store's JSON columns. */
export type JsonObject = { readonly [key: string]: JsonValue };

/** An artifact to record: a dataset, model, file or deployment, identified by its content digest. */
export interface ArtifactInput {
  /** `sha256:<hex>` of the content; the identity of the artifact. */
  readonly digest: string;
  /** What it is: `model`, `dataset`, `file`, … */
  readonly kind: string;
  readonly name?: string;
  /** Size in bytes. */
  readonly size: number;
  readonly mediaType?: string;
  readonly metadata?: JsonObject;
}

/** An artifact as stored; the first `putArtifact` of a digest wins. */
export interface ArtifactRecord {
  readonly digest: string;
  readonly kind: string;
  readonly name?: string;
  readonly size: number;
  readonly mediaType?: string;
  readonly metadata: JsonObject;
  readonly createdAt: string;
}

/** A signed attestation (DSSE envelope) about one subject digest. */
export interface AttestationInput {
  readonly subjectDigest: string;
  /** The in-toto predicate type URI. */
  readonly predicateType: string;
  /**
   * The DSSE envelope JSON as received. When the same statement is stored again with other signatures,
   * they are added to this envelope (the payload bytes are never touched).
   */
  readonly envelope: string;
  /** Ids of the keys whose signatures were verified. */
  readonly keyIds: readonly string[];
  /** `sha256:<hex>` of the DSSE payload; with the subject, the identity of the attestation. */
  readonly payloadDigest: string;
}

/** An attestation as stored. */
export interface AttestationRecord extends AttestationInput {
  readonly id: string;
  readonly createdAt: string;
}

/** A finding with the fingerprint that identifies it across scans (for baselines and suppressions). */
export interface StoredFinding extends Finding {
  readonly fingerprint: string;
}

/** A finished scan and all its findings, stored in one transaction. */
export interface ScanInput {
  readonly id: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** What was scanned: paths, URLs or digests. */
  readonly targets: readonly string[];
  readonly summary: JsonObject;
  readonly findings: readonly StoredFinding[];
}

/** A scan as listed, without its findings. */
export interface ScanSummaryRecord {
  readonly id: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly targets: readonly string[];
  readonly summary: JsonObject;
  readonly findingCount: number;
  readonly createdAt: string;
}

/** A scan with its findings in the order they were given. */
export interface ScanRecord extends ScanSummaryRecord {
  readonly findings: readonly StoredFinding[];
}

/** The verdicts a gate can record. */
export const VERDICTS = ['allow', 'deny'] as const;

export type Verdict = (typeof VERDICTS)[number];

/** A gate's decision about a subject (`scan-gate`, `promote`, `deploy`, …). */
export interface DecisionInput {
  /** `sha256:<hex>` of the subject when it is an artifact. */
  readonly subjectDigest?: string;
  /** A readable name of the subject (path, model name, deployment). */
  readonly subject: string;
  readonly action: string;
  readonly verdict: Verdict;
  readonly reason: string;
  /** Name or digest of the policy that decided. */
  readonly policy?: string;
  readonly details?: JsonObject;
}

/** A decision as stored. */
export interface DecisionRecord extends DecisionInput {
  readonly id: string;
  readonly createdAt: string;
}

/** A model version pushed to the registry; immutable once stored (control R5). */
export interface ModelVersionInput {
  readonly name: string;
  readonly version: string;
  /** The OMS root digest (`sha256:<hex>`) of the model's files: the version's identity. */
  readonly digest: string;
  /** Total bytes of the model's files. */
  readonly size: number;
  /** The files: path, size, SHA-256 and the blob that holds them, as JSON. */
  readonly manifest: JsonObject;
  readonly metadata?: JsonObject;
}

/** A model version as stored. */
export interface ModelVersionRecord extends ModelVersionInput {
  readonly metadata: JsonObject;
  readonly createdAt: string;
}

/** An alias (`production`, `staging`…) pointing at one version of a model. */
export interface ModelAliasRecord {
  readonly name: string;
  readonly alias: string;
  readonly version: string;
  readonly updatedAt: string;
}

/** An OMS signature bundle stored with a model version, kept byte for byte. */
export interface ModelSignatureInput {
  readonly name: string;
  readonly version: string;
  /** The bundle JSON exactly as received (it is never re-serialized). */
  readonly bundle: string;
  /** `sha256:<hex>` of the bundle bytes; with the version, the identity of the signature. */
  readonly bundleDigest: string;
}

/** A stored signature bundle. */
export interface ModelSignatureRecord extends ModelSignatureInput {
  readonly id: string;
  readonly createdAt: string;
}

/** The sensitivity labels of one dataset version (control D2) and where they came from. */
export interface DatasetLabelsInput {
  /** Root digest of the dataset manifest. */
  readonly digest: string;
  /** The dataset's label: `public`, `internal`, `confidential` or `restricted`. */
  readonly label: string;
  /** Labels per file and column (`{ "train.csv": { "email": "confidential" } }`). */
  readonly columns?: JsonObject;
  /** Findings counted per entity type. */
  readonly entities?: JsonObject;
  /** What set them: `admission`, `scan`, `lineage`, `redaction`, … */
  readonly source: string;
  /** Id of the evidence behind them (attestation, run, scan). */
  readonly sourceId?: string;
}

/** Stored labels; the newest of a digest are its current labels. */
export interface DatasetLabelsRecord extends DatasetLabelsInput {
  readonly id: string;
  readonly columns: JsonObject;
  readonly entities: JsonObject;
  readonly createdAt: string;
}

/** A dataset an OpenLineage event reads or writes. */
export interface LineageDatasetRef {
  readonly direction: 'input' | 'output';
  readonly namespace: string;
  readonly name: string;
  /** `sha256:<hex>` when the event carries the dataset's digest. */
  readonly digest?: string;
}

/** An OpenLineage run event to record, with the fields the store indexes. */
export interface LineageEventInput {
  /** `sha256:<hex>` of the event's canonical JSON (RFC 8785); the same event twice is stored once. */
  readonly eventDigest: string;
  readonly runId: string;
  readonly eventType: string;
  readonly eventTime: string;
  readonly jobNamespace: string;
  readonly jobName: string;
  readonly producer: string;
  /** The event JSON, kept byte for byte. */
  readonly event: string;
  readonly datasets: readonly LineageDatasetRef[];
}

/** A stored lineage event. */
export interface LineageEventRecord extends LineageEventInput {
  readonly id: string;
  readonly createdAt: string;
}

/** Filters of `listLineageEvents`: one run, or the events touching a dataset by name or digest. */
export interface LineageQuery extends ListOptions {
  readonly runId?: string;
  readonly dataset?: { readonly namespace: string; readonly name: string };
  readonly digest?: string;
}

/** A gateway API key to record (control G2): its public prefix and a hash, never the key itself. */
export interface GatewayKeyInput {
  readonly id: string;
  readonly name: string;
  /** The public part of the key, shown to users and used to look the key up. */
  readonly prefix: string;
  /** SHA-256 of the whole key, 64 lowercase hex digits. */
  readonly hash: string;
  /** Models the key may call: exact names, `prefix*` patterns or `*`. */
  readonly models: readonly string[];
  /** Tools the key may declare, with the same patterns; empty allows none. */
  readonly tools: readonly string[];
  /** Requests per minute; absent is no limit of its own. */
  readonly rpm?: number;
  /** Tokens per minute; absent is no limit of its own. */
  readonly tpm?: number;
  /** Largest `max_tokens` one request may ask for. */
  readonly maxTokens?: number;
  /** Most the key may spend per budget period: money when routes have prices, else tokens. */
  readonly budget?: number;
  /** When the key stops working (ISO-8601). */
  readonly expiresAt?: string;
  /** Who created it (user or service), for the audit trail. */
  readonly createdBy?: string;
}

/** A stored gateway key; `revokedAt` is set once it is revoked. */
export interface GatewayKeyRecord extends GatewayKeyInput {
  readonly createdAt: string;
  readonly revokedAt?: string;
}

/** The states of a tool-call approval; `expired` is a pending one past its deadline. */
export const APPROVAL_STATUSES = ['pending', 'approved', 'denied', 'expired'] as const;

export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** A sensitive tool call the gateway held back for a human decision. */
export interface ApprovalInput {
  readonly id: string;
  /** The gateway request whose answer held the call. */
  readonly requestId: string;
  /** Id of the principal that made the request; only it may read the approval. */
  readonly principal: string;
  readonly model: string;
  readonly tool: string;
  /** The `id` of the tool call in the model's answer. */
  readonly toolCallId: string;
  /** The call's `arguments`, the JSON text exactly as the model wrote it. */
  readonly arguments: string;
  /** `sha256:<hex>` of `arguments`: what a signed decision names. */
  readonly argumentsDigest: string;
  /** When the approval lapses unless decided (ISO-8601). */
  readonly expiresAt: string;
}

/** A human decision on a pending approval. */
export interface ApprovalDecisionInput {
  readonly decision: 'approved' | 'denied';
  readonly approver: string;
  readonly reason?: string;
  /** The DSSE envelope of the signed decision. */
  readonly envelope: string;
}

/** A stored approval with its current status and, once decided, the decision. */
export interface ApprovalRecord extends ApprovalInput {
  readonly status: ApprovalStatus;
  readonly createdAt: string;
  readonly decidedAt?: string;
  readonly approver?: string;
  readonly reason?: string;
  readonly envelope?: string;
}

/** Paging for lists; lists are newest first. `limit` defaults to 100 and may be at most 10,000. */
export interface ListOptions {
  readonly limit?: number;
}

/**
 * The evidence store: artifacts, attestations, scans with findings, decisions, and the audit log's
 * entries and checkpoints. Every method is async; every fault is a `BulwarkError` (`INPUT_INVALID` for
 * bad input, `STORE_CONFLICT` for a clashing id, `STORE_UNAVAILABLE` when the database fails).
 */
export interface Store extends AuditStorage {
  readonly dialect: StoreDialect;
  /** Name of the newest applied migration (kysely's migration table), e.g. `0001-initial`. */
  schemaVersion(): Promise<string | undefined>;
  /** Releases the database; the store must not be used afterwards. */
  close(): Promise<void>;

  /** Records an artifact once per digest; tells whether it was new. */
  putArtifact(input: ArtifactInput): Promise<boolean>;
  getArtifact(digest: string): Promise<ArtifactRecord | undefined>;
  listArtifacts(options?: ListOptions & { readonly kind?: string }): Promise<ArtifactRecord[]>;

  /**
   * Records an attestation once per (payload digest, subject), adding the signatures of a later copy
   * to the stored envelope; returns its id.
   */
  putAttestation(input: AttestationInput): Promise<string>;
  getAttestation(id: string): Promise<AttestationRecord | undefined>;
  listAttestations(
    options?: ListOptions & { readonly subjectDigest?: string; readonly predicateType?: string },
  ): Promise<AttestationRecord[]>;

  /** Stores a scan and its findings atomically; a second scan with the same id is a `STORE_CONFLICT`. */
  putScan(input: ScanInput): Promise<void>;
  getScan(id: string): Promise<ScanRecord | undefined>;
  listScans(options?: ListOptions): Promise<ScanSummaryRecord[]>;

  /**
   * Records a model version. The same name, version and digest again is `'exists'`; the same name and
   * version with another digest is a `STORE_CONFLICT`: versions are immutable.
   */
  putModelVersion(input: ModelVersionInput): Promise<'created' | 'exists'>;
  getModelVersion(name: string, version: string): Promise<ModelVersionRecord | undefined>;
  /** Versions newest first, of one model or of all; `digest` finds the versions holding those bytes. */
  listModelVersions(
    options?: ListOptions & { readonly name?: string; readonly digest?: string },
  ): Promise<ModelVersionRecord[]>;
  /** Every model name in the registry, sorted. */
  listModelNames(): Promise<string[]>;
  /** Points an alias at an existing version (`NOT_FOUND` otherwise); returns the version it replaced. */
  setModelAlias(input: {
    readonly name: string;
    readonly alias: string;
    readonly version: string;
  }): Promise<{ readonly previous?: string }>;
  getModelAlias(name: string, alias: string): Promise<ModelAliasRecord | undefined>;
  /** Aliases sorted by name then alias, of one model or of all. */
  listModelAliases(options?: { readonly name?: string }): Promise<ModelAliasRecord[]>;
  /** Stores a signature bundle of an existing version once per bundle digest; returns its id. */
  putModelSignature(input: ModelSignatureInput): Promise<string>;
  /** Signatures of a version, oldest first. */
  listModelSignatures(name: string, version: string): Promise<ModelSignatureRecord[]>;

  /** Records a decision; returns its id. */
  putDecision(input: DecisionInput): Promise<string>;
  listDecisions(options?: ListOptions & { readonly subjectDigest?: string }): Promise<DecisionRecord[]>;

  /** Records labels of a dataset version; returns their id. */
  putDatasetLabels(input: DatasetLabelsInput): Promise<string>;
  /** Label records newest first, of one dataset digest or of all. */
  listDatasetLabels(options?: ListOptions & { readonly digest?: string }): Promise<DatasetLabelsRecord[]>;
  /** Records an OpenLineage event once per event digest; tells its id and whether it was new. */
  putLineageEvent(input: LineageEventInput): Promise<{ readonly id: string; readonly created: boolean }>;
  /** Lineage events by event time, newest first. */
  listLineageEvents(options?: LineageQuery): Promise<LineageEventRecord[]>;

  /** Records a gateway key; a clashing id, prefix or hash is a `STORE_CONFLICT`. */
  putGatewayKey(input: GatewayKeyInput): Promise<void>;
  /** The key with this prefix, revoked or not: the gateway's lookup on every request. */
  getGatewayKeyByPrefix(prefix: string): Promise<GatewayKeyRecord | undefined>;
  /** Gateway keys newest first; revoked ones only when asked for. */
  listGatewayKeys(options?: ListOptions & { readonly includeRevoked?: boolean }): Promise<GatewayKeyRecord[]>;
  /**
   * Revokes the key whose id or prefix is `ref` (`NOT_FOUND` otherwise) and returns it; revoking a
   * revoked key keeps its first revocation time and tells so with `wasRevoked`.
   */
  revokeGatewayKey(ref: string): Promise<{ readonly record: GatewayKeyRecord; readonly wasRevoked: boolean }>;

  /** Records a held tool call as pending; a clashing id is a `STORE_CONFLICT`. */
  putApproval(input: ApprovalInput): Promise<void>;
  /** The approval with this id; a pending one past its deadline reads as `expired`. */
  getApproval(id: string): Promise<ApprovalRecord | undefined>;
  /** Approvals newest first, all or those in one status. */
  listApprovals(options?: ListOptions & { readonly status?: ApprovalStatus }): Promise<ApprovalRecord[]>;
  /**
   * Decides a pending approval once (`NOT_FOUND` when unknown, `STORE_CONFLICT` when already decided or
   * expired) and returns it as decided.
   */
  decideApproval(id: string, decision: ApprovalDecisionInput): Promise<ApprovalRecord>;
}
