import type { Finding, JsonValue, Location } from '../findings.js';
import { BulwarkError } from '../errors.js';
import type { Rule } from '../rules.js';
import type { Severity } from '../severity.js';
import type { ReportedFinding, ScanReport } from './report.js';
import { ruleReferences, ruleTags, type NamedReference } from './rule-references.js';
import type {
  SarifLevel,
  SarifLocation,
  SarifLog,
  SarifRegion,
  SarifReportingDescriptor,
  SarifResult,
} from './sarif-log.js';

/** Where SARIF consumers find the tool, and the base of rule help links. */
export const BULWARK_INFORMATION_URI = 'https://github.com/bulwark-ai/bulwark';

/** The URI base id every relative artifact location is resolved against: the scan root. */
export const SRCROOT = '%SRCROOT%';

/** Severity → SARIF `level`. SARIF has no "critical": both critical and high are `error`. */
export const SARIF_LEVELS: Readonly<Record<Severity, SarifLevel>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/**
 * Severity → the `security-severity` rule property GitHub code scanning reads (a number 0.0–10.0 as a
 * string; it shows over 9.0 as critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low).
 */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

/** Options of {@link renderSarif}. */
export interface SarifOptions {
  /** The scan root as an absolute path or `file:` URI, recorded as `%SRCROOT%`; left for the viewer to supply when absent. */
  readonly srcRoot?: string;
}

/** Renders a report as a SARIF 2.1.0 log (2-space JSON with a trailing newline). */
export function renderSarif(report: ScanReport, rules: readonly Rule[], options: SarifOptions = {}): string {
  return `${JSON.stringify(buildSarifLog(report, rules, options), null, 2)}\n`;
}

/**
 * Builds the SARIF 2.1.0 log of a report: one run whose driver lists every rule given (the whole
 * catalogue, so that consumers know rules that found nothing) plus any rule a finding names that the
 * catalogue lacks, and one result per finding.
 *
 * Archive members: the physical location names the archive itself, because consumers such as GitHub
 * code scanning resolve `artifactLocation.uri` against the checkout and a member path would point at
 * nothing, and a `jar:`-style `archive!/member` URI is not a relative reference that `%SRCROOT%` can
 * resolve. The member is given as a logical location of kind "resource" (`archive!/member`), and
 * positions inside the member go into the result's properties rather than a region, which would
 * wrongly point into the archive's own bytes.
 */
export function buildSarifLog(
  report: ScanReport,
  rules: readonly Rule[],
  options: SarifOptions = {},
): SarifLog {
  const descriptors: SarifReportingDescriptor[] = [];
  const indexById = new Map<string, number>();
  const addDescriptor = (descriptor: SarifReportingDescriptor): void => {
    if (indexById.has(descriptor.id)) return;
    indexById.set(descriptor.id, descriptors.length);
    descriptors.push(descriptor);
  };
  [...rules].sort((a, b) => compare(a.id, b.id)).forEach((rule) => addDescriptor(descriptorOf(rule)));
  for (const finding of report.findings) {
    if (!indexById.has(finding.ruleId)) addDescriptor(descriptorOfUnknown(finding));
  }
  const results = report.findings.map((finding) => resultOf(finding, indexById.get(finding.ruleId) ?? 0));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Bulwark',
            semanticVersion: report.tool.version,
            informationUri: BULWARK_INFORMATION_URI,
            rules: descriptors,
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: report.scan.startedAt,
            endTimeUtc: report.scan.finishedAt,
          },
        ],
        originalUriBaseIds: {
          [SRCROOT]:
            options.srcRoot === undefined
              ? { description: { text: 'The directory the scan was run against.' } }
              : { uri: directoryUri(options.srcRoot) },
        },
        // Text regions count UTF-16 code units (what the data readers report); SARIF 2.1.0 §3.14.17 wants
        // columnKind stated whenever results come from text files.
        columnKind: 'utf16CodeUnits',
        newlineSequences: ['\r\n', '\n', '\r'],
        results,
        properties: {
          scanId: report.scan.id,
          targets: [...report.scan.targets],
          filesScanned: report.scan.filesScanned,
          filesSkipped: report.scan.filesSkipped,
          bytesScanned: report.scan.bytesScanned,
        },
      },
    ],
  };
}

function descriptorOf(rule: Rule): SarifReportingDescriptor {
  const refs = ruleReferences(rule);
  const sections: [string, readonly NamedReference[]][] = [
    ['Controls', refs.controls],
    ['OWASP Top 10 for LLM Applications 2025', refs.owaspLlm],
    ['MITRE ATLAS', refs.atlas],
    ['NIST AI RMF', refs.nistAiRmf],
  ];
  const present = sections.filter(([, items]) => items.length > 0);
  const named = (items: readonly NamedReference[], quote: (id: string) => string): string =>
    items.map(({ id, name }) => (name === id ? quote(id) : `${quote(id)} ${name}`)).join(', ');
  const text = [
    rule.description,
    `Remediation: ${rule.remediation}`,
    ...present.map(([label, items]) => `${label}: ${named(items, (id) => id)}`),
  ].join('\n\n');
  const markdown = [
    rule.description,
    `**Remediation:** ${rule.remediation}`,
    ...(present.length === 0
      ? []
      : [present.map(([label, items]) => `- **${label}:** ${named(items, (id) => `\`${id}\``)}`).join('\n')]),
  ].join('\n\n');
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: { text, markdown },
    helpUri: `${BULWARK_INFORMATION_URI}/blob/main/docs/rules.md#${rule.id.toLowerCase()}`,
    defaultConfiguration: { level: SARIF_LEVELS[rule.defaultSeverity] },
    properties: {
      tags: ['security', ...ruleTags(rule)],
      'security-severity': SECURITY_SEVERITY[rule.defaultSeverity],
      // The catalogue records no false-positive rate per rule; findings come from parsers and validators,
      // not guesses, so "high" is the honest default.
      precision: 'high',
    },
  };
}

/** A descriptor for a rule missing from the catalogue, so that its results are never dropped. */
function descriptorOfUnknown(finding: Finding): SarifReportingDescriptor {
  const text = `Rule ${finding.ruleId} (not in this build's catalogue).`;
  return {
    id: finding.ruleId,
    name: finding.ruleId.toLowerCase(),
    shortDescription: { text: finding.ruleId },
    fullDescription: { text },
    help: { text, markdown: text },
    defaultConfiguration: { level: SARIF_LEVELS[finding.severity] },
    properties: {
      tags: ['security', ...finding.controls],
      'security-severity': SECURITY_SEVERITY[finding.severity],
      precision: 'high',
    },
  };
}

function resultOf(finding: ReportedFinding, ruleIndex: number): SarifResult {
  const { location } = finding;
  const properties: Record<string, JsonValue> = {
    severity: finding.severity,
    controls: [...finding.controls],
  };
  if (finding.evidence !== undefined) properties.evidence = finding.evidence;
  if (location.row !== undefined) properties.row = location.row;
  if (location.field !== undefined) properties.field = location.field;
  if (location.member !== undefined) {
    properties.member = location.member;
    const inner = { ...textRegion(location), ...byteRegion(location) };
    if (Object.keys(inner).length > 0) properties.memberRegion = inner;
  }
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: SARIF_LEVELS[finding.severity],
    message: { text: finding.message },
    locations: [locationOf(location)],
    partialFingerprints: { 'bulwark/v1': finding.fingerprint },
    properties,
  };
}

function locationOf(location: Location): SarifLocation {
  const artifactLocation = artifactLocationOf(location.path);
  if (location.member !== undefined) {
    const fullyQualifiedName = `${location.path}!/${location.member}`;
    const name = location.member.split('/').filter(Boolean).pop() ?? location.member;
    return {
      physicalLocation: { artifactLocation },
      logicalLocations: [{ name, fullyQualifiedName, kind: 'resource' }],
    };
  }
  const text = textRegion(location);
  const region: SarifRegion | undefined =
    text.startLine !== undefined ? text : location.offset !== undefined ? byteRegion(location) : undefined;
  return { physicalLocation: region === undefined ? { artifactLocation } : { artifactLocation, region } };
}

function textRegion(location: Location): SarifRegion {
  if (location.line === undefined) return {};
  return {
    startLine: location.line,
    ...(location.column === undefined ? {} : { startColumn: location.column }),
    ...(location.endLine === undefined ? {} : { endLine: location.endLine }),
    ...(location.endColumn === undefined ? {} : { endColumn: location.endColumn }),
  };
}

function byteRegion(location: Location): SarifRegion {
  return location.offset === undefined ? {} : { byteOffset: location.offset };
}

const WINDOWS_ABSOLUTE = /^[A-Za-z]:[\\/]/;

/** A relative path becomes a URI-escaped reference resolved against %SRCROOT%; an absolute one a `file:` URI. */
function artifactLocationOf(path: string): { uri: string; uriBaseId?: string } {
  const slashed = path.replace(/\\/g, '/');
  if (slashed.startsWith('/') || WINDOWS_ABSOLUTE.test(path)) return { uri: fileUri(slashed) };
  return { uri: escapePath(slashed), uriBaseId: SRCROOT };
}

function directoryUri(root: string): string {
  let uri: string;
  if (root.startsWith('file:')) uri = root;
  else if (root.startsWith('/') || WINDOWS_ABSOLUTE.test(root)) uri = fileUri(root.replace(/\\/g, '/'));
  else
    throw new BulwarkError(
      'USAGE',
      `SARIF source root must be an absolute path or a file: URI, got ${JSON.stringify(root)}`,
    );
  return uri.endsWith('/') ? uri : `${uri}/`;
}

function fileUri(absolute: string): string {
  const withSlash = absolute.startsWith('/') ? absolute : `/${absolute}`;
  const drive = /^\/[A-Za-z]:/.exec(withSlash)?.[0] ?? '';
  return `file://${drive}${escapePath(withSlash.slice(drive.length))}`;
}

function escapePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
