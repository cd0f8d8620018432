import { Option, type Command } from 'commander';
import { buildStatement } from '../core/attestation.js';
import { BulwarkError } from '../core/errors.js';
import { DATASET_ADMISSION_PREDICATE } from '../core/predicate-types.js';
import { evaluateAdmission, type AdmissionResult } from '../data/admission/evaluate-admission.js';
import { WHOLE_FILE, type DatasetLabels } from '../data/labels.js';
import { VERSION } from '../version.js';
import { withContext, type CliContext } from './context.js';
import { emit } from './files.js';
import type { CliIo } from './io.js';
import { datasetFromManifest, recordRunEvent } from './lineage.js';
import { addPoisoningOptions, type PoisoningCliOptions } from './scan-data-options.js';
import { assessDataset } from './data-assess.js';
import { signAndStore, signerFromOptions } from './signed-evidence.js';

interface AdmitOptions extends PoisoningCliOptions {
  key: string;
  passphraseEnv?: string;
  approver?: string;
  output?: string;
  workers?: string;
  format: string;
}

/** The outcome of `data admit`, as `--format json` prints it (docs/schema/data-admit.schema.json). */
export interface AdmissionOutcome {
  readonly verdict: AdmissionResult['verdict'];
  readonly reasons: AdmissionResult['reasons'];
  readonly dataset: {
    readonly name: string;
    readonly rootDigest: string;
    readonly files: number;
    readonly bytes: number;
  };
  readonly labels: DatasetLabels;
  readonly scanId: string;
  readonly findings: { readonly total: number; readonly byRule: Readonly<Record<string, number>> };
  readonly approver?: string;
  readonly attestation: { readonly id: string; readonly payloadDigest: string; readonly keyId: string };
  /** The OpenLineage run recorded for the admission. */
  readonly lineageRunId: string;
}

/** `bulwark data admit DATASET --key KEY`: the admission gate of control D5. */
export function registerDataAdmit(data: Command, io: CliIo): void {
  const command = data
    .command('admit')
    .description(
      'hash and scan a dataset, label it, decide admission under data.admission, and sign the verdict; exit 1 if rejected',
    )
    .argument('<dataset>', 'dataset folder or file')
    .requiredOption('-k, --key <file>', 'private key (PEM) that signs the admission attestation')
    .option('--passphrase-env <var>', 'passphrase of an encrypted private key')
    .option('--approver <name>', 'who approves the admission (recorded in the attestation)')
    .option('-o, --output <file>', 'also write the signed attestation (DSSE envelope) to this file')
    .option('--workers <n>', 'hashing threads (default: the number of cores)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'));
  addPoisoningOptions(command).action(async function (this: Command, dataset: string, opts: AdmitOptions) {
    await withContext(io, this, (ctx) => admit(ctx, dataset, opts));
  });
}

async function admit(ctx: CliContext, dataset: string, opts: AdmitOptions): Promise<void> {
  const { io, config } = ctx;
  const approver = opts.approver?.trim();
  if (opts.approver !== undefined && approver === '')
    throw new BulwarkError('USAGE', '--approver must name someone');
  // The key is read first: a wrong passphrase must not cost a full hash and scan.
  const signer = await signerFromOptions(ctx, opts);
  const { root, manifest, report, findings, labels, notScanned } = await assessDataset(ctx, dataset, opts);
  const policy = config.data.admission;
  const result = evaluateAdmission({
    findings,
    labels,
    policy,
    notScanned,
    ...(approver === undefined ? {} : { approver }),
  });
  const byRule: Record<string, number> = {};
  for (const f of [...findings].sort((a, b) => (a.ruleId < b.ruleId ? -1 : 1)))
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  const bytes = manifest.files.reduce((sum, f) => sum + f.size, 0);
  const statement = buildStatement({
    subjects: [{ name: manifest.name, digest: manifest.rootDigest as `sha256:${string}` }],
    predicateType: DATASET_ADMISSION_PREDICATE,
    predicate: {
      verdict: result.verdict,
      reasons: result.reasons,
      dataset: { name: manifest.name, files: manifest.files.length, bytes },
      scan: {
        id: report.scan.id,
        filesScanned: report.scan.filesScanned,
        filesSkipped: report.scan.filesSkipped,
        findings: { total: findings.length, bySeverity: report.summary.bySeverity, byRule },
      },
      entities: labels.entities,
      labels: { dataset: labels.label, columns: labels.columns },
      ...(approver === undefined ? {} : { approver }),
      policy,
      tool: { name: 'bulwark', version: VERSION },
      decidedAt: new Date().toISOString(),
    },
  });
  const stored = await signAndStore(ctx, statement, signer, {
    action: 'dataset-admission',
    verdict: result.verdict,
    dataset: manifest.name,
    label: labels.label,
    ...(approver === undefined ? {} : { approver }),
  });
  const attestationId = stored.ids[0] ?? '';
  const store = await ctx.store();
  await store.putDatasetLabels({
    digest: manifest.rootDigest,
    label: labels.label,
    columns: labels.columns,
    entities: labels.entities,
    source: 'admission',
    sourceId: attestationId,
  });
  await store.putDecision({
    subjectDigest: manifest.rootDigest,
    subject: manifest.name,
    action: 'admit-dataset',
    verdict: result.verdict === 'admitted' ? 'allow' : 'deny',
    reason:
      result.verdict === 'admitted'
        ? `admitted, labelled ${labels.label}`
        : result.reasons.map((r) => r.message).join('; '),
    policy: 'data.admission',
    details: { attestationId, payloadDigest: stored.payloadDigest, scanId: report.scan.id },
  });
  // The admission is a run over the dataset (control D8): lineage consumers see the verdict's labels.
  const run = await recordRunEvent(ctx, {
    job: { name: 'data-admit' },
    jobType: 'ADMIT',
    inputs: [
      {
        ...datasetFromManifest(root, manifest),
        sensitivity: {
          label: labels.label,
          columns: labels.columns,
          entities: labels.entities,
          source: 'admission',
        },
      },
    ],
    outputs: [],
  });
  if (opts.output) await emit(io, stored.envelope, opts.output);
  if (result.verdict === 'rejected') io.exitCode = Math.max(io.exitCode, 1);
  const outcome: AdmissionOutcome = {
    verdict: result.verdict,
    reasons: result.reasons,
    dataset: { name: manifest.name, rootDigest: manifest.rootDigest, files: manifest.files.length, bytes },
    labels,
    scanId: report.scan.id,
    findings: { total: findings.length, byRule },
    ...(approver === undefined ? {} : { approver }),
    attestation: { id: attestationId, payloadDigest: stored.payloadDigest, keyId: stored.keyId },
    lineageRunId: run.runId,
  };
  if (opts.format === 'json') return emit(io, `${JSON.stringify(outcome, null, 2)}\n`);
  return emit(io, renderAdmission(outcome));
}

function renderAdmission(outcome: AdmissionOutcome): string {
  const lines = [
    `${outcome.verdict === 'admitted' ? 'ADMITTED' : 'REJECTED'}  ${outcome.dataset.name} (${outcome.dataset.rootDigest})`,
    `  files ${outcome.dataset.files}, ${outcome.dataset.bytes} bytes; ${outcome.findings.total} finding(s) in scan ${outcome.scanId}`,
    `  label ${outcome.labels.label}`,
  ];
  for (const [path, columns] of Object.entries(outcome.labels.columns)) {
    const parts = Object.entries(columns).map(([column, label]) =>
      column === WHOLE_FILE ? label : `${column}=${label}`,
    );
    lines.push(`    ${path}: ${parts.join(', ')}`);
  }
  const entities = Object.entries(outcome.labels.entities);
  if (entities.length > 0) lines.push(`  entities ${entities.map(([e, n]) => `${e} ${n}`).join(', ')}`);
  for (const reason of outcome.reasons) lines.push(`  ✗ ${reason.message}`);
  if (outcome.approver !== undefined) lines.push(`  approver ${outcome.approver}`);
  lines.push(`  attestation ${outcome.attestation.payloadDigest} signed by ${outcome.attestation.keyId}`);
  return `${lines.join('\n')}\n`;
}
