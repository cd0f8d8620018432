import type { Finding, Location } from '../../core/findings.js';
import { findingOf, type Rule } from '../../core/rules.js';
import { FILE_TOO_LARGE, SCANNER_FAULT } from '../../core/scan/rules.js';
import type { FileIdentity, ScanContext, Scanner, ScanTarget } from '../../core/scan/types.js';
import { createRegionLocator } from '../../core/source-regions.js';
import { decodeChunks, decodeHead } from '../../data/readers/byte-chunks.js';
import { PROMPT_RULES } from '../prompt-rules.js';
import { createPromptShield, type PromptShield } from '../shield.js';
import { findingOfHit } from './corpus-findings.js';
import { corpusOptionsOf, corpusOptionsSchema, type CorpusOptions } from './corpus-options.js';
import type { DocumentHit } from './corpus-types.js';
import { analyzeDocument, documentInputOf, type AnalysisSettings } from './document-analysis.js';
import { CORPUS_KINDS, corpusFormatOf, isJsonFormat, type CorpusFormat } from './document-format.js';
import { analyzeJsonValues } from './json-documents.js';
import { locateJsonHits } from './json-locations.js';

/** The scanner's id: `bulwark scan corpus`, `scanners.corpus` in bulwark.yaml. */
export const CORPUS_SCANNER_ID = 'corpus';

/** Findings reported per file at most; the count of the rest goes into the last one's evidence. */
export const MAX_CORPUS_FINDINGS_PER_FILE = 500;

/** Every rule the corpus scanner reports: the document rules of the shields, and two framework rules. */
export const CORPUS_RULES: readonly Rule[] = [
  ...PROMPT_RULES.filter((rule) => rule.id !== 'BW-PROMPT-001'),
  FILE_TOO_LARGE,
  SCANNER_FAULT,
];

/** Bytes of a document's start used to tell extension-less HTML. */
const HEAD_BYTES = 4096;

/** Options of {@link createCorpusScanner}. */
export interface CorpusScannerOptions {
  /** The shield to use; default one built on the first scan (phrase lists and weights load once). */
  readonly shield?: PromptShield;
}

/**
 * The corpus scanner (`bulwark scan corpus DIR`, control P4): documents bound for a vector store,
 * checked before they are indexed. Text, Markdown and HTML documents are read whole (up to
 * `maxDocumentBytes`), JSON and JSON Lines files streamed value by value; each document is chunked
 * as a RAG splitter would, every chunk and every piece of hidden text scanned by the prompt shield,
 * and each injected or hidden instruction reported with its exact location. Runs only when named.
 */
export function createCorpusScanner(options: CorpusScannerOptions = {}): Scanner {
  let shield = options.shield;
  return {
    id: CORPUS_SCANNER_ID,
    description:
      'RAG pre-indexing checks: injected and hidden instructions in text, Markdown, HTML, JSON and JSON Lines documents',
    rules: CORPUS_RULES,
    optionsSchema: corpusOptionsSchema,
    explicitOnly: true,
    accepts: (identity: FileIdentity) => CORPUS_KINDS.has(identity.kind),
    async scan(target: ScanTarget, context: ScanContext): Promise<Finding[]> {
      const corpusOptions = corpusOptionsOf(context.options);
      shield ??= createPromptShield();
      const settings: AnalysisSettings = {
        shield,
        threshold: corpusOptions.threshold ?? shield.thresholds.document,
        chunkSize: corpusOptions.chunkSize,
        overlap: corpusOptions.overlap,
        reportHiddenContent: corpusOptions.reportHiddenContent,
        ...(context.signal === undefined ? {} : { signal: context.signal }),
      };
      const head = await decodeHead(target.source, HEAD_BYTES);
      const format = corpusFormatOf(target.path, target.identity, head.text);
      const findings = isJsonFormat(format)
        ? await scanJson(target, format, settings, corpusOptions)
        : await scanWhole(target, format, settings, corpusOptions);
      return capped(findings, 0);
    },
  };
}

/** A text, Markdown or HTML document: read whole, checked, located by line and column. */
async function scanWhole(
  target: ScanTarget,
  format: Exclude<CorpusFormat, 'json' | 'jsonl'>,
  settings: AnalysisSettings,
  options: CorpusOptions,
): Promise<Finding[]> {
  const { path, source } = target;
  if (source.size > options.maxDocumentBytes) {
    return [
      findingOf(FILE_TOO_LARGE, {
        severity: 'medium',
        message: `${path} is ${source.size} bytes, over the ${options.maxDocumentBytes} read as one document (scanners.corpus.maxDocumentBytes); it was not checked`,
        location: { path },
        evidence: { size: source.size, maxDocumentBytes: options.maxDocumentBytes, format },
      }),
    ];
  }
  let raw = '';
  for await (const piece of decodeChunks(source)) raw += piece;
  const problems: string[] = [];
  const input = documentInputOf(raw, format, problems);
  const analysis = analyzeDocument(input, settings);
  const locate = createRegionLocator(raw);
  const findings = analysis.hits.map((hit) =>
    findingOfHit(hit, (span) => ({ path, ...locate(span.start, span.end) }), settings.threshold),
  );
  return [...findings, ...[...problems, ...analysis.problems].map((problem) => faultOf(path, problem))];
}

/** A JSON or JSON Lines file: its string values streamed, hits located by row, field and region. */
async function scanJson(
  target: ScanTarget,
  format: 'json' | 'jsonl',
  settings: AnalysisSettings,
  options: CorpusOptions,
): Promise<Finding[]> {
  const { path, source } = target;
  const layout = format === 'jsonl' ? 'lines' : 'document';
  const maxValueLength = options.maxDocumentBytes;
  const analysis = await analyzeJsonValues(source, {
    ...settings,
    layout,
    maxValueLength,
    ...(options.fields === undefined ? {} : { fields: options.fields }),
  });
  // Hits past the cap are only counted: locating them would re-read their records for nothing.
  const kept = analysis.hits.slice(0, MAX_CORPUS_FINDINGS_PER_FILE);
  const regions = await locateJsonHits(source, kept, { layout, maxLength: maxValueLength });
  const findings = kept.map((valueHit) => {
    const region = regions.get(valueHit);
    const locate = (span: DocumentHit['span']): Location => ({
      path,
      ...(region === undefined
        ? layout === 'lines'
          ? { line: valueHit.row }
          : {}
        : region(span.start, span.end)),
      row: valueHit.row,
      field: valueHit.field,
    });
    return findingOfHit(valueHit.hit, locate, settings.threshold);
  });
  const problems = analysis.problems.map((problem) => faultOf(path, problem));
  return capped([...findings, ...problems], analysis.hits.length - kept.length);
}

/** A check that did not complete, as a finding of the framework's scanner-fault rule. */
function faultOf(path: string, problem: string): Finding {
  return findingOf(SCANNER_FAULT, {
    message: `corpus checks incomplete for ${path}: ${problem}`,
    location: { path },
    evidence: { scanner: CORPUS_SCANNER_ID, problem },
  });
}

/**
 * At most {@link MAX_CORPUS_FINDINGS_PER_FILE} findings (plus the problems of the file); the last one
 * counts the rest, with `dropped` more that were never turned into findings.
 */
function capped(findings: Finding[], dropped: number): Finding[] {
  const kept = findings.slice(0, MAX_CORPUS_FINDINGS_PER_FILE);
  const more = findings.length - kept.length + dropped;
  const last = kept[kept.length - 1];
  if (more === 0 || last === undefined) return kept;
  kept[kept.length - 1] = { ...last, evidence: { ...(last.evidence ?? {}), moreFindingsNotShown: more } };
  return kept;
}
