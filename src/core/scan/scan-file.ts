import { createHash } from 'node:crypto';
import type { Digest } from '../digest.js';
import { describeError } from '../errors.js';
import type { Finding } from '../findings.js';
import { findingOf } from '../rules.js';
import { extensionMismatch, isExecutableDisguise } from './extension-mismatch.js';
import { tooLargeFinding } from './problem-finding.js';
import type { ScannerRegistry } from './registry.js';
import { CONTENT_EXTENSION_MISMATCH, SCANNER_FAULT, UNREADABLE_FILE } from './rules.js';
import { identifySource } from './sniff.js';
import type { ByteSource, FileIdentity, ScanLimits, ScannedFile, ScanTarget } from './types.js';
import type { ClosableByteSource, FileWalkEntry } from './walk-entry.js';

/** The largest read the engine makes; digests stream in chunks of this size so memory stays bounded. */
export const READ_CHUNK_BYTES = 1024 * 1024;

/** What the engine needs to scan one file. */
export interface FileScanSettings {
  readonly registry: ScannerRegistry;
  readonly limits: ScanLimits;
  readonly scannerOptions?: Readonly<Record<string, unknown>>;
  readonly signal?: AbortSignal;
}

/** The result of one file: its record, its findings and whether it was read. */
export interface FileScanResult {
  readonly file: ScannedFile;
  readonly findings: Finding[];
  readonly scanned: boolean;
}

/**
 * Scans one file: size limit, open, sniff, digest, extension check, then every accepting scanner.
 * Faults of the file (unreadable) and of scanners become findings; only an abort is thrown.
 */
export async function scanFile(entry: FileWalkEntry, settings: FileScanSettings): Promise<FileScanResult> {
  const { limits } = settings;
  if (entry.size > limits.maxFileSize) return tooLarge(entry.path, entry.size, limits);
  let source: ClosableByteSource;
  try {
    source = await entry.open();
  } catch (error) {
    settings.signal?.throwIfAborted();
    return unreadable(entry.path, entry.size, error);
  }
  try {
    if (source.size > limits.maxFileSize) return tooLarge(entry.path, source.size, limits);
    let identity: FileIdentity;
    let digest: Digest;
    try {
      identity = await identifySource(source);
      digest = await digestSource(source, settings.signal);
    } catch (error) {
      settings.signal?.throwIfAborted();
      return unreadable(entry.path, source.size, error);
    }
    const findings: Finding[] = [];
    const mismatch = extensionMismatch(entry.path, identity);
    if (mismatch !== undefined) {
      findings.push(
        findingOf(CONTENT_EXTENSION_MISMATCH, {
          message: `${entry.path} is ${mismatch}`,
          location: { path: entry.path },
          severity: isExecutableDisguise(identity.kind) ? 'high' : 'medium',
          evidence: {
            kind: identity.kind,
            mediaType: identity.mediaType,
            ...(identity.detail ? { detail: identity.detail } : {}),
          },
        }),
      );
    }
    const target: ScanTarget = { path: entry.path, source, identity };
    const scanners = await runScanners(target, settings, findings);
    return {
      file: { path: entry.path, size: source.size, digest, identity, scanners },
      findings,
      scanned: true,
    };
  } finally {
    await source.close().catch(() => undefined);
  }
}

/** Runs every scanner that accepts the file; a scanner that throws yields a finding and the rest go on. */
async function runScanners(
  target: ScanTarget,
  settings: FileScanSettings,
  findings: Finding[],
): Promise<string[]> {
  const ran: string[] = [];
  for (const scanner of settings.registry.list()) {
    try {
      if (!scanner.accepts(target.identity)) continue;
      ran.push(scanner.id);
      const found: unknown = await scanner.scan(target, {
        limits: settings.limits,
        options: settings.scannerOptions?.[scanner.id],
        ...(settings.signal ? { signal: settings.signal } : {}),
      });
      if (!Array.isArray(found)) throw new Error('scan() did not return an array of findings');
      findings.push(...(found as Finding[]));
    } catch (error) {
      settings.signal?.throwIfAborted();
      if (!ran.includes(scanner.id)) ran.push(scanner.id);
      findings.push(
        findingOf(SCANNER_FAULT, {
          message: `scanner ${scanner.id} failed on ${target.path}: ${describeError(error)}`,
          location: { path: target.path },
          evidence: { scanner: scanner.id, error: describeError(error) },
        }),
      );
    }
  }
  return ran;
}

/** Streams the whole source through SHA-256 in chunks of at most `READ_CHUNK_BYTES`. */
export async function digestSource(source: ByteSource, signal?: AbortSignal): Promise<Digest> {
  const hash = createHash('sha256');
  let offset = 0;
  while (offset < source.size) {
    signal?.throwIfAborted();
    const wanted = Math.min(READ_CHUNK_BYTES, source.size - offset);
    const chunk = await source.read(offset, wanted);
    if (chunk.length === 0)
      throw new Error(`the file ended at byte ${offset} of ${source.size} (it changed during the scan)`);
    const used = chunk.length > wanted ? chunk.subarray(0, wanted) : chunk;
    hash.update(used);
    offset += used.length;
  }
  return `sha256:${hash.digest('hex')}`;
}

function tooLarge(path: string, size: number, limits: ScanLimits): FileScanResult {
  return {
    file: { path, size, scanners: [], skipped: 'too-large' },
    findings: [tooLargeFinding(path, size, limits)],
    scanned: false,
  };
}

function unreadable(path: string, size: number, error: unknown): FileScanResult {
  const reason = describeError(error);
  return {
    file: { path, size, scanners: [], skipped: 'unreadable' },
    findings: [
      findingOf(UNREADABLE_FILE, {
        message: `could not read ${path}: ${reason}`,
        location: { path },
        evidence: { detail: reason },
      }),
    ],
    scanned: false,
  };
}
