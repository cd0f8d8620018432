import type { Finding } from '../../core/findings.js';
import { isAtOrAbove } from '../../core/severity.js';
import { labelRank, sensitiveEvidence, type DatasetLabels } from '../labels.js';
import type { AdmissionPolicy } from './admission-config.js';

/** Why a dataset is not admitted; each reason names what the user must fix. */
export interface AdmissionReason {
  /** `category`, `entity`, `label`, `finding`, `not-scanned` or `approver`. */
  readonly kind: 'category' | 'entity' | 'label' | 'finding' | 'not-scanned' | 'approver';
  readonly message: string;
  /** Findings or files behind the reason. */
  readonly count: number;
}

/** The verdict of the admission gate and every reason behind a rejection. */
export interface AdmissionResult {
  readonly verdict: 'admitted' | 'rejected';
  readonly reasons: readonly AdmissionReason[];
}

/** What the admission gate looks at. */
export interface AdmissionInput {
  readonly findings: readonly Finding[];
  readonly labels: DatasetLabels;
  readonly policy: AdmissionPolicy;
  /** Files the scan could not read (too large, unreadable), by path and reason. */
  readonly notScanned: readonly { readonly path: string; readonly reason: string }[];
  readonly approver?: string;
}

/**
 * Decides admission (control D5). Sensitive-data findings block by category or entity type, and the
 * dataset's label must not exceed `maxLabel`; every other finding (poisoning, malicious files) blocks
 * at or above `failOn`; findings of `allowRules` never block. A file the scan could not read blocks:
 * the gate fails closed. Every reason is listed, not just the first.
 */
export function evaluateAdmission(input: AdmissionInput): AdmissionResult {
  const { policy } = input;
  const allowed = new Set(policy.allowRules);
  const blockedCategories = new Set<string>(policy.blockCategories);
  const blockedEntities = new Set(policy.blockEntities);
  const byCategory = new Map<string, number>();
  const byEntity = new Map<string, number>();
  const byRule = new Map<string, number>();
  for (const finding of input.findings) {
    if (allowed.has(finding.ruleId)) continue;
    const sensitive = sensitiveEvidence(finding);
    if (sensitive !== undefined) {
      if (blockedEntities.has(sensitive.entity))
        byEntity.set(sensitive.entity, (byEntity.get(sensitive.entity) ?? 0) + 1);
      else if (blockedCategories.has(sensitive.category))
        byCategory.set(sensitive.category, (byCategory.get(sensitive.category) ?? 0) + 1);
      continue;
    }
    if (policy.failOn !== 'none' && isAtOrAbove(finding.severity, policy.failOn))
      byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
  }
  const reasons: AdmissionReason[] = [];
  for (const [category, count] of [...byCategory].sort()) {
    reasons.push({
      kind: 'category',
      count,
      message: `${count} ${category} finding(s): redact them (bulwark redact) or remove the files`,
    });
  }
  for (const [entity, count] of [...byEntity].sort()) {
    reasons.push({ kind: 'entity', count, message: `${count} ${entity} value(s), which the policy blocks` });
  }
  if (labelRank(input.labels.label) > labelRank(policy.maxLabel)) {
    const columns = Object.entries(input.labels.columns).flatMap(([path, cols]) =>
      Object.entries(cols)
        .filter(([, label]) => labelRank(label) > labelRank(policy.maxLabel))
        .map(([column]) => (column === '*' ? path : `${path}:${column}`)),
    );
    reasons.push({
      kind: 'label',
      count: columns.length,
      message: `labelled ${input.labels.label}, above the ${policy.maxLabel} the policy admits (${columns.slice(0, 5).join(', ')}${columns.length > 5 ? ', …' : ''})`,
    });
  }
  for (const [ruleId, count] of [...byRule].sort()) {
    reasons.push({
      kind: 'finding',
      count,
      message: `${count} ${ruleId} finding(s) at or above ${policy.failOn}`,
    });
  }
  if (input.notScanned.length > 0) {
    const first = input.notScanned[0];
    reasons.push({
      kind: 'not-scanned',
      count: input.notScanned.length,
      message: `${input.notScanned.length} file(s) could not be scanned (${first?.path}: ${first?.reason})`,
    });
  }
  if (policy.requireApprover && (input.approver === undefined || input.approver.trim() === '')) {
    reasons.push({
      kind: 'approver',
      count: 0,
      message: 'the policy requires an approver (--approver NAME)',
    });
  }
  return { verdict: reasons.length === 0 ? 'admitted' : 'rejected', reasons };
}
