import type { JsonValue } from '../core/findings.js';
import type { AuditEntryRecord } from './storage.js';

/** Formats `audit export` writes. */
export const EXPORT_FORMATS = ['jsonl', 'ocsf'] as const;

export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** OCSF schema version the export follows. */
export const OCSF_VERSION = '1.3.0';

const OCSF_COMPLIANCE_FINDING = 2003;
const OCSF_FINDINGS_CATEGORY = 2;
const OCSF_ACTIVITY_CREATE = 1;

/** Renders one stored entry as a line of the chosen format (no trailing newline). */
export function renderExportLine(
  entry: AuditEntryRecord,
  format: ExportFormat,
  productVersion: string,
): string {
  const payload = JSON.parse(entry.payload) as {
    kind: string;
    time: string;
    data: Record<string, JsonValue>;
  };
  const leafHash = Buffer.from(entry.leafHash).toString('hex');
  switch (format) {
    case 'jsonl':
      return JSON.stringify({
        seq: entry.seq,
        kind: payload.kind,
        time: payload.time,
        leafHash,
        data: payload.data,
      });
    case 'ocsf':
      return JSON.stringify(toOcsf(entry.seq, payload, leafHash, productVersion));
  }
}

/**
 * Maps an audit entry to an OCSF Compliance Finding: each entry records that a control ran on a
 * subject and what it concluded (a decision's verdict, an attestation's existence), which is what a
 * SIEM's compliance views expect. The entry's position and leaf hash stay in `unmapped` for proofs.
 */
function toOcsf(
  seq: number,
  payload: { kind: string; time: string; data: Record<string, JsonValue> },
  leafHash: string,
  productVersion: string,
): Record<string, JsonValue> {
  const data = payload.data;
  if (payload.kind === 'event' && data['type'] === 'gateway.request')
    return gatewayRequestToOcsf(seq, payload, leafHash, productVersion);
  const verdict = typeof data['verdict'] === 'string' ? data['verdict'] : undefined;
  const statusId = verdict === 'deny' ? 3 : 1;
  const title =
    payload.kind === 'decision'
      ? `Decision ${textOf(data['action'])}: ${verdict ?? 'recorded'}`
      : payload.kind === 'attestation'
        ? `Attestation ${textOf(data['predicateType'])}`
        : `Audit ${payload.kind}`;
  return {
    class_uid: OCSF_COMPLIANCE_FINDING,
    class_name: 'Compliance Finding',
    category_uid: OCSF_FINDINGS_CATEGORY,
    category_name: 'Findings',
    activity_id: OCSF_ACTIVITY_CREATE,
    activity_name: 'Create',
    type_uid: OCSF_COMPLIANCE_FINDING * 100 + OCSF_ACTIVITY_CREATE,
    time: Date.parse(payload.time),
    severity_id: statusId === 3 ? 4 : 1,
    status_id: 1,
    message: typeof data['reason'] === 'string' ? data['reason'] : title,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'Bulwark', vendor_name: 'Bulwark', version: productVersion },
      log_name: 'bulwark-audit',
      sequence: seq,
      uid: leafHash,
    },
    finding_info: { uid: `${seq}`, title, types: [payload.kind] },
    compliance: {
      standards: ['OWASP LLM Top 10 2025', 'NIST AI RMF 1.0'],
      control: typeof data['action'] === 'string' ? data['action'] : payload.kind,
      status: statusId === 3 ? 'Fail' : 'Pass',
      status_id: statusId,
    },
    unmapped: { seq, leaf_hash: leafHash, kind: payload.kind, data },
  };
}

const OCSF_HTTP_ACTIVITY = 4002;
const OCSF_NETWORK_CATEGORY = 4;
const OCSF_HTTP_POST = 6;
const OCSF_HTTP_GET = 3;
/** Gateway endpoint names whose path is not `/v1/<name>`. */
const GATEWAY_PATHS: Readonly<Record<string, string>> = {
  chat: '/v1/chat/completions',
  usage: '/v1/bulwark/usage',
};

/**
 * Maps a gateway request (control G11) to an OCSF HTTP Activity: who called which model, the HTTP
 * status, whether a guard or a limit refused it (disposition), the guard verdicts and token counts.
 */
function gatewayRequestToOcsf(
  seq: number,
  payload: { kind: string; time: string; data: Record<string, JsonValue> },
  leafHash: string,
  productVersion: string,
): Record<string, JsonValue> {
  const data = payload.data;
  const endpoint = textOf(data['endpoint']);
  const activity = endpoint === 'models' || endpoint === 'usage' ? OCSF_HTTP_GET : OCSF_HTTP_POST;
  const status = typeof data['status'] === 'number' ? data['status'] : 0;
  const outcome = textOf(data['outcome']);
  const blocked = outcome === 'blocked' || outcome === 'limited' || outcome === 'refused';
  const path = GATEWAY_PATHS[endpoint] ?? `/v1/${endpoint}`;
  return {
    class_uid: OCSF_HTTP_ACTIVITY,
    class_name: 'HTTP Activity',
    category_uid: OCSF_NETWORK_CATEGORY,
    category_name: 'Network Activity',
    activity_id: activity,
    activity_name: activity === OCSF_HTTP_GET ? 'Get' : 'Post',
    type_uid: OCSF_HTTP_ACTIVITY * 100 + activity,
    time: Date.parse(payload.time),
    severity_id: outcome === 'blocked' ? 3 : 1,
    status_id: status >= 200 && status < 400 ? 1 : 2,
    disposition_id: blocked ? 2 : 1,
    disposition: blocked ? 'Blocked' : 'Allowed',
    message: `${path} ${textOf(data['model']) || '-'}: ${outcome || 'unknown'}`,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'Bulwark gateway', vendor_name: 'Bulwark', version: productVersion },
      log_name: 'bulwark-audit',
      sequence: seq,
      uid: textOf(data['requestId']) || leafHash,
    },
    actor: { user: { uid: textOf(data['principal']) || 'anonymous', type: textOf(data['principalKind']) } },
    http_request: { http_method: activity === OCSF_HTTP_GET ? 'GET' : 'POST', url: { path } },
    http_response: { code: status },
    duration: typeof data['latencyMs'] === 'number' ? Math.round(data['latencyMs']) : 0,
    unmapped: { seq, leaf_hash: leafHash, kind: payload.kind, data },
  };
}

function textOf(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : '';
}
