import { stat } from 'node:fs/promises';
import { basename, relative, resolve, sep } from 'node:path';
import { BulwarkError } from '../core/errors.js';
import type { Finding } from '../core/findings.js';
import type { ScanReport } from '../core/report/report.js';
import { deriveLabels, type DatasetLabels } from '../data/labels.js';
import type { CliContext } from './context.js';
import { datasetManifest, storeManifest, type DatasetManifest } from './data.js';
import { performScan } from './scan.js';
import { dataScannerOptions, type PoisoningCliOptions } from './scan-data-options.js';

/** A dataset hashed, scanned and labelled: what `data admit` decides on and `data label` records. */
export interface DatasetAssessment {
  /** Absolute path of the dataset folder or file. */
  readonly root: string;
  readonly manifest: DatasetManifest;
  readonly report: ScanReport;
  /** The scan's findings with paths relative to the dataset, as in the manifest. */
  readonly findings: readonly Finding[];
  readonly labels: DatasetLabels;
  /** Files of the manifest the scan did not read, with why. */
  readonly notScanned: readonly { readonly path: string; readonly reason: string }[];
}

/**
 * Hashes a dataset (its manifest is stored), scans it with every scanner (poisoning checks too when
 * columns are given), and derives its labels under `data.labels`. The scan is recorded as evidence.
 */
export async function assessDataset(
  ctx: CliContext,
  dataset: string,
  opts: PoisoningCliOptions & { readonly workers?: string },
): Promise<DatasetAssessment> {
  const { io, config } = ctx;
  const root = resolve(io.cwd, dataset);
  const isFolder = (await stat(root).catch(() => undefined))?.isDirectory() === true;
  const manifest = await datasetManifest(ctx, dataset, opts.workers);
  await storeManifest(ctx, manifest);
  const scannerOptions = await dataScannerOptions(ctx, [dataset], opts);
  const report = await performScan(ctx, [dataset], {
    files: true,
    failOn: 'none',
    progress: true,
    ...(scannerOptions === undefined ? {} : { scannerOptions }),
  });
  const toManifestPath = (path: string): string =>
    isFolder ? relative(root, resolve(io.cwd, path)).split(sep).join('/') : basename(root);
  const notScanned = coverage(manifest, report, toManifestPath);
  const findings = report.findings.map((f) => relocate(f, toManifestPath));
  return { root, manifest, report, findings, notScanned, labels: deriveLabels(findings, config.data.labels) };
}

/**
 * The files of the manifest the scan did not read: skipped by a limit, unreadable, or left out by an
 * ignore file. A scan that read other bytes than were hashed means the dataset changed under the
 * admission, which stops it: the attestation would vouch for bytes nobody scanned.
 */
function coverage(
  manifest: DatasetManifest,
  report: ScanReport,
  toManifestPath: (path: string) => string,
): { path: string; reason: string }[] {
  const seen = new Map((report.files ?? []).map((file) => [toManifestPath(file.path), file]));
  const missing: { path: string; reason: string }[] = [];
  for (const file of manifest.files) {
    const scanned = seen.get(file.path);
    if (scanned === undefined) {
      missing.push({
        path: file.path,
        reason: 'not visited (an ignore pattern or .bulwarkignore left it out)',
      });
    } else if (scanned.skipped !== undefined) {
      missing.push({ path: file.path, reason: scanned.skipped });
    } else if (scanned.digest !== undefined && scanned.digest !== `sha256:${file.sha256}`) {
      throw new BulwarkError(
        'INPUT_INVALID',
        `${file.path} changed while the dataset was being admitted; run data admit again on a dataset that is not being written`,
      );
    }
  }
  return missing;
}

function relocate(finding: Finding, toManifestPath: (path: string) => string): Finding {
  return { ...finding, location: { ...finding.location, path: toManifestPath(finding.location.path) } };
}
