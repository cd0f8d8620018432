import type { JsonValue } from '../findings.js';

/**
 * The subset of the SARIF 2.1.0 object model (OASIS Standard, errata 01) that Bulwark writes. Names
 * follow the specification; every document built from these types is validated against the official
 * schema in the tests.
 */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly SarifRun[];
}

/** SARIF `level` (§3.27.10): how serious a result is. */
export type SarifLevel = 'none' | 'note' | 'warning' | 'error';

/** A SARIF property bag (§3.8). */
export type SarifPropertyBag = { readonly [key: string]: JsonValue };

/** SARIF `message` and `multiformatMessageString` objects. */
export interface SarifMessage {
  readonly text: string;
  readonly markdown?: string;
}

/** SARIF `artifactLocation` (§3.4). */
export interface SarifArtifactLocation {
  readonly uri?: string;
  readonly uriBaseId?: string;
  readonly description?: SarifMessage;
}

/** SARIF `region` (§3.30): 1-based lines and columns, `endColumn` exclusive; or a byte range. */
export interface SarifRegion {
  readonly startLine?: number;
  readonly startColumn?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly byteOffset?: number;
}

/** SARIF `logicalLocation` (§3.33). */
export interface SarifLogicalLocation {
  readonly name: string;
  readonly fullyQualifiedName: string;
  readonly kind: string;
}

/** SARIF `location` (§3.28). */
export interface SarifLocation {
  readonly physicalLocation: {
    readonly artifactLocation: SarifArtifactLocation;
    readonly region?: SarifRegion;
  };
  readonly logicalLocations?: readonly SarifLogicalLocation[];
}

/** SARIF `reportingDescriptor` (§3.49), one per rule. */
export interface SarifReportingDescriptor {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: SarifMessage;
  readonly fullDescription: SarifMessage;
  readonly help: SarifMessage;
  readonly helpUri?: string;
  readonly defaultConfiguration: { readonly level: SarifLevel };
  readonly properties: SarifPropertyBag;
}

/** SARIF `result` (§3.27). */
export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: SarifMessage;
  readonly locations: readonly SarifLocation[];
  readonly partialFingerprints: { readonly [key: string]: string };
  readonly properties: SarifPropertyBag;
}

/** SARIF `run` (§3.14). */
export interface SarifRun {
  /** How columns are counted: UTF-16 code units, as JavaScript strings and the data readers do. */
  readonly columnKind: 'utf16CodeUnits' | 'unicodeCodePoints';
  /** Line terminators used to count lines in text regions. */
  readonly newlineSequences: readonly string[];
  readonly tool: {
    readonly driver: {
      readonly name: string;
      readonly semanticVersion: string;
      readonly informationUri: string;
      readonly rules: readonly SarifReportingDescriptor[];
    };
  };
  readonly invocations: readonly {
    readonly executionSuccessful: boolean;
    readonly startTimeUtc: string;
    readonly endTimeUtc: string;
  }[];
  readonly originalUriBaseIds: { readonly [id: string]: SarifArtifactLocation };
  readonly results: readonly SarifResult[];
  readonly properties: SarifPropertyBag;
}
