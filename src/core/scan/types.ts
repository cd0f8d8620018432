import type { z } from 'zod';
import type { Digest } from '../digest.js';
import type { Finding } from '../findings.js';
import type { Rule } from '../rules.js';

/**
 * Random-access bytes of one file (or archive member). Engines read through this and never open
 * files themselves, so a 10 GB checkpoint is read only where a scanner seeks.
 */
export interface ByteSource {
  readonly size: number;
  /** Reads up to `length` bytes at `offset`; returns fewer only at the end of the source. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** What content sniffing says a file is (see `sniff.ts` for the kinds). */
export interface FileIdentity {
  readonly kind: string;
  readonly mediaType: string;
  /** Extra facts found while sniffing, e.g. the pickle protocol or the zip layout. */
  readonly detail?: string;
}

/** One file handed to scanners. */
export interface ScanTarget {
  /**
   * Path relative to the working directory, `/`-separated (absolute when outside it), so SARIF URIs
   * resolve from where the scan ran.
   */
  readonly path: string;
  readonly source: ByteSource;
  readonly identity: FileIdentity;
}

/** Limits that keep a scan of untrusted input bounded (control D7). */
export interface ScanLimits {
  /** Files larger than this are not handed to scanners (bytes). */
  readonly maxFileSize: number;
  /** Directory depth below each root that is walked. */
  readonly maxDepth: number;
  /** Files visited at most per scan. */
  readonly maxFiles: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = {
  maxFileSize: 16 * 1024 ** 3,
  maxDepth: 32,
  maxFiles: 1_000_000,
};

/** What a scanner gets besides the file. */
export interface ScanContext {
  readonly limits: ScanLimits;
  /** The scanner's own section of `bulwark.yaml` (`scanners.<id>`), unvalidated; the scanner parses it. */
  readonly options: unknown;
  readonly signal?: AbortSignal;
}

/**
 * A scanner registered with the scan framework. Later stages (models, data, supply) add theirs to the
 * registry; each declares the rules it can report so the catalogue and SARIF stay complete.
 */
export interface Scanner {
  readonly id: string;
  readonly description: string;
  readonly rules: readonly Rule[];
  /**
   * The schema of the scanner's section of `bulwark.yaml` (`scanners.<id>`). When given, the section is
   * validated when the config is loaded (errors point at the line) and the scanner receives its parsed
   * output, defaults applied, as `ScanContext.options`.
   */
  readonly optionsSchema?: z.ZodType;
  /**
   * Runs only when named (`bulwark scan corpus`), never in a plain `bulwark scan`: for checks whose
   * meaning depends on what the files are for (documents bound for a vector store, embeddings).
   */
  readonly explicitOnly?: boolean;
  /** Tells whether this scanner reads files of this identity. */
  accepts(identity: FileIdentity): boolean;
  /** Returns findings as data; throws only for faults, which the framework reports as a finding. */
  scan(target: ScanTarget, context: ScanContext): Promise<Finding[]>;
}

/** One file the scan saw, for the report and the evidence store. */
export interface ScannedFile {
  readonly path: string;
  readonly size: number;
  readonly digest?: Digest;
  readonly identity?: FileIdentity;
  /** Ids of the scanners that read it. */
  readonly scanners: readonly string[];
  /** Why the file was not scanned, if it was not. */
  readonly skipped?: string;
}
