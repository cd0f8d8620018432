import { randomUUID } from 'node:crypto';
import { Option, type Command } from 'commander';
import { allRules } from '../catalogue.js';
import { parseByteSize } from '../core/config/byte-size.js';
import { BulwarkError } from '../core/errors.js';
import type { Finding } from '../core/findings.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../core/report/output-format.js';
import { buildReport, exitCodeFor, type ScanReport } from '../core/report/report.js';
import { renderJson } from '../core/report/render-json.js';
import { renderSarif } from '../core/report/render-sarif.js';
import { renderTable } from '../core/report/render-table.js';
import { resolveColor } from '../core/report/resolve-color.js';
import { runScan } from '../core/scan/engine.js';
import type { ScanLimits } from '../core/scan/types.js';
import { isAtOrAbove, SEVERITIES, type Severity } from '../core/severity.js';
import { defaultRegistry } from '../scanners.js';
import { VERSION } from '../version.js';
import { withContext, type CliContext } from './context.js';
import { emit } from './files.js';
import type { CliIo } from './io.js';
import { collect, wholeNumberOption } from './options.js';
import { createProgress } from './progress.js';
import { walkPaths } from './walk.js';
import { addPoisoningOptions, dataScannerOptions } from './scan-data-options.js';
import { registerScanPrompt } from './scan-prompt.js';

interface ScanOptions {
  format?: OutputFormat;
  output?: string;
  failOn?: Severity | 'none';
  maxFileSize?: string;
  maxDepth?: string;
  maxFiles?: string;
  followSymlinks?: boolean;
  ignore: string[];
  store: boolean;
  progress: boolean;
  files: boolean;
  /** `scan data` only: the poisoning checks' columns and trusted reference dataset. */
  textColumn?: string;
  labelColumn?: string;
  reference?: string;
}

/** Which scanners a `scan` verb runs: all of them, or one stage's. */
const SCAN_VERBS = [
  { name: undefined, scannerId: undefined, what: 'every registered scanner' },
  { name: 'model', scannerId: 'model', what: 'the model artifact scanner' },
  { name: 'deps', scannerId: 'deps', what: 'the dependency supply-chain checks' },
  {
    name: 'data',
    scannerId: 'data',
    what: 'the data scanner (sensitive data; with --text-column or --label-column, also poisoning and quality checks of tables)',
  },
  {
    name: 'corpus',
    scannerId: 'corpus',
    what: 'the corpus scanner (RAG pre-indexing checks: injected and hidden instructions in documents)',
  },
  {
    name: 'vectors',
    scannerId: 'vectors',
    what: 'the embedding checks (.npy or JSON Lines vectors bound for a vector store: duplicates, norms, density outliers)',
  },
] as const;

/**
 * `bulwark scan PATH...`: walks, identifies files by content, runs the registered scanners, gates.
 * `bulwark scan model PATH...` and `bulwark scan deps DIR...` run one stage's scanner with the same
 * options, report formats and evidence.
 */
export function registerScan(program: Command, io: CliIo): void {
  const scanCommand = addScanOptions(
    program
      .command('scan')
      .description('scan files and folders with every registered scanner and report the findings')
      .argument('<paths...>', 'files or folders to scan (.gitignore and .bulwarkignore are honoured)'),
  ).action(async function (this: Command, paths: string[], opts: ScanOptions) {
    await withContext(io, this, (ctx) => scan(ctx, paths, opts));
  });
  for (const verb of SCAN_VERBS) {
    if (verb.name === undefined) continue;
    const scannerId = verb.scannerId;
    const command = addScanOptions(
      scanCommand
        .command(verb.name)
        .description(`scan with ${verb.what} only`)
        .argument('<paths...>', 'files or folders to scan (.gitignore and .bulwarkignore are honoured)'),
    );
    if (verb.name === 'data') addPoisoningOptions(command);
    command.action(async function (this: Command, paths: string[], opts: ScanOptions) {
      await withContext(io, this, (ctx) => scan(ctx, paths, stageOptions(this, opts), scannerId));
    });
  }
  registerScanPrompt(scanCommand, io);
}

/**
 * The options of `scan <stage>`: commander lets `scan` itself parse options written after the stage
 * name (`scan model . --format json`), so those given on the command line win over the stage's defaults.
 */
function stageOptions(stage: Command, own: ScanOptions): ScanOptions {
  const parent = stage.parent;
  if (parent === null) return own;
  const merged: Record<string, unknown> = { ...own };
  for (const [key, value] of Object.entries(parent.opts())) {
    if (parent.getOptionValueSource(key) !== 'cli') continue;
    merged[key] = key === 'ignore' ? [...own.ignore, ...(value as string[])] : value;
  }
  return merged as unknown as ScanOptions;
}

function addScanOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '-f, --format <format>',
        'report format (default: table, or `format` in bulwark.yaml)',
      ).choices(OUTPUT_FORMATS),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a finding is at or above this severity (default: high)',
      ).choices([...SEVERITIES, 'none']),
    )
    .option('--max-file-size <size>', 'skip files larger than this, e.g. 2GiB (default: 16GiB)')
    .option('--max-depth <n>', 'folder depth walked below each path (default: 32)')
    .option('--max-files <n>', 'files visited at most (default: 1000000)')
    .option('--follow-symlinks', 'follow symbolic links that stay inside the scanned folder')
    .option('--ignore <pattern>', 'extra gitignore-style pattern to skip; repeatable', collect, [])
    .option('--no-store', 'do not record the scan, its findings and its gate decision in the evidence store')
    .option('--no-progress', 'no progress bar (it is shown only on a terminal anyway)')
    .option('--files', 'list every file with its digest and detected type in JSON output', false);
}

async function scan(ctx: CliContext, paths: string[], opts: ScanOptions, scannerId?: string): Promise<void> {
  const { io, config } = ctx;
  const failOn = opts.failOn === 'none' ? undefined : (opts.failOn ?? config.failOn);
  const format = opts.format ?? config.format;
  const scannerOptions = scannerId === 'data' ? await dataScannerOptions(ctx, paths, opts) : undefined;
  const report = await performScan(ctx, paths, {
    ...opts,
    ...(scannerId ? { scannerId } : {}),
    ...(scannerOptions === undefined ? {} : { scannerOptions }),
  });
  await emit(io, render(report, format, io), opts.output);
  if (opts.output && format !== 'table') io.stderr.write(summaryLine(report, opts.output));
  io.exitCode = Math.max(io.exitCode, exitCodeFor(report, failOn));
}

/** What `performScan` needs besides the paths; every field defaults to the configuration. */
export interface PerformScanOptions {
  readonly scannerId?: string;
  readonly failOn?: Severity | 'none';
  readonly maxFileSize?: string;
  readonly maxDepth?: string;
  readonly maxFiles?: string;
  readonly followSymlinks?: boolean;
  readonly ignore?: readonly string[];
  /** Record the scan, its findings and its gate decision (default true). */
  readonly store?: boolean;
  readonly progress?: boolean;
  readonly files?: boolean;
  /** Per-scanner options of this run, replacing the `scanners.<id>` sections of bulwark.yaml they name. */
  readonly scannerOptions?: Readonly<Record<string, unknown>>;
}

/**
 * Runs a scan the way `bulwark scan` does (walk, sniff, scanners, `rules:` settings) and records it as
 * evidence; other verbs (`registry push`) call it to scan what they are about to store.
 */
export async function performScan(
  ctx: CliContext,
  paths: readonly string[],
  opts: PerformScanOptions,
): Promise<ScanReport> {
  const { io, config } = ctx;
  const limits: ScanLimits = {
    maxFileSize: opts.maxFileSize === undefined ? config.scan.maxFileSize : sizeOption(opts.maxFileSize),
    maxDepth:
      opts.maxDepth === undefined ? config.scan.maxDepth : wholeNumberOption(opts.maxDepth, '--max-depth'),
    maxFiles:
      opts.maxFiles === undefined ? config.scan.maxFiles : wholeNumberOption(opts.maxFiles, '--max-files'),
  };
  const failOn = opts.failOn === 'none' ? undefined : (opts.failOn ?? config.failOn);
  const registry =
    opts.scannerId === undefined ? defaultRegistry().automatic() : defaultRegistry().only(opts.scannerId);
  const startedAt = new Date();
  const progress = createProgress(io.stderr as NodeJS.WriteStream, {
    enabled: opts.progress === true && io.stderr.isTTY === true && !io.env['CI'],
  });
  const outcome = await runScan({
    entries: walkPaths([...paths], {
      limits,
      ignore: [...config.scan.ignore, ...(opts.ignore ?? [])],
      followSymlinks: opts.followSymlinks ?? config.scan.followSymlinks,
      cwd: io.cwd,
    }),
    registry,
    limits,
    scannerOptions: { ...config.scanners, ...opts.scannerOptions },
    onProgress: (p) => progress.update(p),
  });
  progress.done();
  const report = buildReport({
    toolVersion: VERSION,
    scanId: randomUUID(),
    startedAt,
    finishedAt: new Date(),
    targets: [...paths],
    filesScanned: outcome.stats.filesScanned,
    filesSkipped: outcome.stats.filesSkipped,
    bytesScanned: outcome.stats.bytesScanned,
    findings: applyRuleSettings(outcome.findings, config.rules),
    ...(failOn === undefined ? {} : { failOn }),
    ...(opts.files === true ? { files: outcome.files } : {}),
  });
  if (opts.store !== false) await record(ctx, report, outcome.files);
  return report;
}

function render(report: ScanReport, format: OutputFormat, io: CliIo): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report, allRules());
    case 'table':
      return renderTable(report, { color: resolveColor(io.stdout, io.env) });
  }
}

/** Applies `rules:` of bulwark.yaml: disabled rules are dropped, severities overridden. */
export function applyRuleSettings(
  findings: readonly Finding[],
  rules: CliContext['config']['rules'],
): Finding[] {
  const kept: Finding[] = [];
  for (const finding of findings) {
    const setting = rules[finding.ruleId];
    if (setting?.enabled === false) continue;
    kept.push(setting?.severity ? { ...finding, severity: setting.severity } : finding);
  }
  return kept;
}

/**
 * Records the scan as evidence: every file as an artifact by digest, the scan with its findings, and the
 * gate decision, which also goes into the audit log.
 */
export async function record(
  ctx: CliContext,
  report: ScanReport,
  files: Awaited<ReturnType<typeof runScan>>['files'],
): Promise<void> {
  const store = await ctx.store();
  for (const file of files) {
    if (!file.digest) continue;
    await store.putArtifact({
      digest: file.digest,
      kind: 'file',
      name: file.path,
      size: file.size,
      ...(file.identity ? { mediaType: file.identity.mediaType } : {}),
    });
  }
  await store.putScan({
    id: report.scan.id,
    startedAt: report.scan.startedAt,
    finishedAt: report.scan.finishedAt,
    targets: report.scan.targets,
    summary: { ...report.summary, ...report.scan },
    findings: report.findings,
  });
  const failOn = report.summary.failOn;
  const blocking = failOn ? report.findings.filter((f) => isAtOrAbove(f.severity, failOn)).length : 0;
  const verdict = report.summary.failed ? 'deny' : 'allow';
  const reason = failOn
    ? `${blocking} finding(s) at or above ${failOn} in ${report.scan.filesScanned} file(s)`
    : `no threshold; ${report.summary.total} finding(s) in ${report.scan.filesScanned} file(s)`;
  const decisionId = await store.putDecision({
    subject: `scan ${report.scan.id}`,
    action: 'scan-gate',
    verdict,
    reason,
    ...(failOn ? { policy: `fail-on ${failOn}` } : {}),
    details: {
      scanId: report.scan.id,
      targets: [...report.scan.targets],
      bySeverity: { ...report.summary.bySeverity },
    },
  });
  const log = await ctx.auditLog();
  await log.append({
    kind: 'decision',
    data: {
      decisionId,
      action: 'scan-gate',
      verdict,
      reason,
      scanId: report.scan.id,
      targets: [...report.scan.targets],
      findings: report.summary.total,
    },
  });
}

function summaryLine(report: ScanReport, output: string): string {
  const s = report.summary.bySeverity;
  return `bulwark: ${report.summary.total} finding(s) (critical ${s.critical}, high ${s.high}, medium ${s.medium}, low ${s.low}, info ${s.info}) in ${report.scan.filesScanned} file(s); report written to ${output}\n`;
}

function sizeOption(value: string): number {
  const bytes = parseByteSize(value);
  if (bytes === undefined || bytes < 1)
    throw new BulwarkError('USAGE', `--max-file-size: not a size: "${value}" (e.g. 512MiB, 2GiB)`);
  return bytes;
}
