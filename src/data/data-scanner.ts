import { z } from 'zod';
import { describeError, isBulwarkError } from '../core/errors.js';
import type { Finding, Location } from '../core/findings.js';
import { findingOf } from '../core/rules.js';
import { SCANNER_FAULT } from '../core/scan/rules.js';
import type { FileIdentity, ScanContext, Scanner, ScanTarget } from '../core/scan/types.js';
import type { Severity } from '../core/severity.js';
import { CATEGORY_RULES, DATA_RULES } from './data-rules.js';
import {
  isPoisoningTable,
  poisoningSettingsSchema,
  scanTablePoisoning,
  type PoisoningSettings,
} from './poisoning/table-poisoning.js';
import { dataUnitBatches, isOwnedMatch } from './readers/read-data.js';
import { rawLocationOf } from './readers/notebook-units.js';
import { createDataAnalyzer } from './analyzer.js';
import { maskValue, parseRecognizerSpecs, type Analyzer } from './recognizers/index.js';
import type { DataUnit, RecognizerSpec, TextMatch } from './types.js';

/** File kinds the data scanner reads (content-sniffed by the framework, never by extension). */
const DATA_KINDS = new Set(['text', 'csv', 'tsv', 'json', 'jsonl', 'notebook', 'parquet', 'python', 'pem']);

/** Findings reported per file at most; the rest are counted in one summary finding's evidence. */
export const MAX_DATA_FINDINGS_PER_FILE = 1000;

/** `scanners.data` in bulwark.yaml. */
export const dataOptionsSchema = z
  .strictObject({
    recognizers: z.array(z.unknown()).default([]).meta({
      description: 'Your own recognizers (pattern, validator, context, score): see docs/data-scanning.md.',
    }),
    minConfidence: z
      .enum(['low', 'medium', 'high'])
      .default('medium')
      .meta({ description: 'Matches below this confidence tier are not reported.' }),
    maxFindingsPerFile: z.int().min(1).max(1_000_000).default(MAX_DATA_FINDINGS_PER_FILE).meta({
      description:
        'Findings reported per file of the sensitive-data recognizers at most; the rest are counted.',
    }),
    poisoning: poisoningSettingsSchema.optional(),
  })
  .meta({
    description: 'Data scanner options: sensitive data (control D1), poisoning and quality (D6, P3).',
  });

/** Parsed `scanners.data` options. */
export type DataOptions = z.output<typeof dataOptionsSchema>;

const TIER_RANK = { low: 0, medium: 1, high: 2 } as const;

const DOWNGRADE: Readonly<Record<Severity, Severity>> = {
  critical: 'high',
  high: 'medium',
  medium: 'low',
  low: 'low',
  info: 'info',
};

/**
 * The data scanner (`bulwark scan data`). Control D1: every text, table, JSON, notebook and Parquet
 * file is read as located units and run through the recognizers; each match becomes a finding of
 * its category's rule with an exact location and a masked preview, never the value itself. Controls
 * D6 and P3, when `poisoning` names a text or label column: each table gets a second pass of the
 * poisoning and quality checks (duplicates, conflicting labels, backdoor triggers, outliers, hidden
 * Unicode, class balance against a trusted reference).
 */
export function createDataScanner(extraSpecs: readonly RecognizerSpec[] = []): Scanner {
  const analyzers = new Map<string, Analyzer>();
  const analyzerFor = (options: DataOptions): Analyzer => {
    const key = JSON.stringify(options.recognizers);
    let analyzer = analyzers.get(key);
    if (analyzer === undefined) {
      const user = parseRecognizerSpecs(options.recognizers, { where: 'scanners.data.recognizers' });
      analyzer = createDataAnalyzer([...extraSpecs, ...user]);
      analyzers.set(key, analyzer);
    }
    return analyzer;
  };
  return {
    id: 'data',
    description:
      'sensitive data (PII, PHI, financial, secrets) in text, tables, JSON, notebooks and Parquet; poisoning and quality checks of tables',
    rules: DATA_RULES,
    optionsSchema: dataOptionsSchema,
    accepts: (identity: FileIdentity) => DATA_KINDS.has(identity.kind),
    async scan(target: ScanTarget, context: ScanContext): Promise<Finding[]> {
      const options = dataOptionsSchema.parse(context.options ?? {});
      const analyzer = analyzerFor(options);
      const findings: Finding[] = [];
      let dropped = 0;
      for await (const batch of dataUnitBatches(target.source, { identity: target.identity })) {
        if (context.signal?.aborted) break;
        for (const unit of batch) {
          const matches = analyzer.analyze(unit.text, unit.kind === 'cell' ? { field: unit.field } : {});
          for (const match of matches) {
            // A long line is read in overlapping pieces: a match in the overlap belongs to one of them.
            if (!isOwnedMatch(unit, match.start)) continue;
            if (TIER_RANK[match.confidence] < TIER_RANK[options.minConfidence]) continue;
            if (findings.length >= options.maxFindingsPerFile) {
              dropped++;
              continue;
            }
            findings.push(findingFor(target.path, unit, match));
          }
        }
      }
      if (dropped > 0 && findings.length > 0) {
        const last = findings[findings.length - 1] as Finding;
        findings[findings.length - 1] = {
          ...last,
          evidence: { ...(last.evidence ?? {}), moreFindingsNotShown: dropped },
        };
      }
      const poisoning = options.poisoning;
      if (
        poisoning !== undefined &&
        context.signal?.aborted !== true &&
        isPoisoningTable(target.identity.kind, poisoning)
      ) {
        findings.push(...(await poisoningPass(target, poisoning, context)));
      }
      return findings;
    },
  };
}

/**
 * The poisoning checks of one table. Their fault (a table without the named columns, an unreadable
 * row group) is one finding of the framework's scanner-fault rule, so the sensitive-data findings of
 * the file are kept and the rest of the scan goes on.
 */
async function poisoningPass(
  target: ScanTarget,
  settings: PoisoningSettings,
  context: ScanContext,
): Promise<Finding[]> {
  try {
    return await scanTablePoisoning(target, settings);
  } catch (error) {
    context.signal?.throwIfAborted();
    const message = describeError(error);
    const reason = message.startsWith(`${target.path}: `) ? message.slice(target.path.length + 2) : message;
    return [
      findingOf(SCANNER_FAULT, {
        message: `poisoning checks skipped for ${target.path}: ${reason}`,
        location: { path: target.path },
        evidence: {
          scanner: 'data',
          check: 'poisoning',
          error: reason,
          ...(isBulwarkError(error) ? { code: error.code } : {}),
        },
      }),
    ];
  }
}

/** The finding of one match: category rule, severity by confidence, exact location, masked value. */
export function findingFor(path: string, unit: DataUnit, match: TextMatch): Finding {
  const rule = CATEGORY_RULES[match.category];
  const value = unit.text.slice(match.start, match.end);
  const severity = match.confidence === 'low' ? DOWNGRADE[rule.defaultSeverity] : rule.defaultSeverity;
  const where = unit.kind === 'cell' ? ` in column ${unit.field}` : '';
  return findingOf(rule, {
    severity,
    message: `${match.entity}${where} (${match.confidence} confidence): ${maskValue(match.entity, value, match.category)}`,
    location: locationOf(path, unit, match),
    evidence: {
      entity: match.entity,
      category: match.category,
      confidence: match.confidence,
      score: Math.round(match.score * 100) / 100,
      masked: maskValue(match.entity, value, match.category),
      recognizer: match.recognizer,
      ...(match.contextWord === undefined ? {} : { context: match.contextWord }),
    },
  });
}

/** SARIF-style region of a match: same line for line units; row and field for cells. */
export function locationOf(path: string, unit: DataUnit, match: TextMatch): Location {
  const raw = rawLocationOf(path, unit, match);
  if (raw !== undefined) return raw;
  if (unit.kind === 'cell') return { path, row: unit.row, field: unit.field };
  const before = unit.text.slice(0, match.start);
  const lines = before.split(/\r\n|\r|\n/);
  const line = unit.line + lines.length - 1;
  const column = lines.length === 1 ? unit.column + match.start : (lines[lines.length - 1] ?? '').length + 1;
  const inside = unit.text.slice(match.start, match.end).split(/\r\n|\r|\n/);
  const endLine = line + inside.length - 1;
  const endColumn =
    inside.length === 1 ? column + match.end - match.start : (inside[inside.length - 1] ?? '').length + 1;
  return { path, line, column, ...(endLine === line ? {} : { endLine }), endColumn };
}
