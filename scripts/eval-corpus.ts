/**
 * `npm run eval -- corpus [--data DIR] [--contexts N] [--misses N]` (or
 * `npx tsx scripts/eval-corpus.ts …`): the corpus scanner (`bulwark scan corpus`, control P4) on
 * documents built from the BIPIA TEST split only (contexts and attacks the shield never trained or
 * was tuned on), each document run through the scanner exactly as the CLI runs it, default options:
 *
 * - plain documents: every email (.txt), table (.md) and code answer (.md) context clean, and each
 *   poisoned with every test attack (text attacks in emails and tables, code attacks in code answers)
 *   at the start, in the middle and at the end, on `--contexts` contexts per attack (rotating);
 * - hidden documents: the same contexts as HTML pages and Markdown files, each test attack hidden by
 *   every technique the format has (CSS, attributes, comments, alt/title text, invisible Unicode…);
 * - clean HTML and Markdown versions of every context, for the false-positive rate.
 *
 * A document counts as detected when the scanner reports an injection for it (BW-PROMPT-002 or -003);
 * hidden documents also count as surfaced when any prompt finding names them (-004 and -005 too). A
 * clean document counts as a false positive when it gets BW-PROMPT-002 or -003. Nothing is tuned here.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Finding } from '../src/core/findings.js';
import { bytesSource } from '../src/core/scan/byte-sources.js';
import { identifySource } from '../src/core/scan/sniff.js';
import { DEFAULT_SCAN_LIMITS } from '../src/core/scan/types.js';
import {
  composePoisoned,
  INSERT_POSITIONS,
  readBipiaAttacks,
  readBipiaContexts,
  recordingReader,
  type InsertPosition,
} from '../src/prompts/classifier/prompt-datasets.js';
import { createCorpusScanner } from '../src/prompts/corpus/corpus-scanner.js';
import type { HiddenTechnique } from '../src/prompts/hidden/hidden-types.js';
import { HIDDEN_TECHNIQUES } from '../src/prompts/hidden/hidden-types.js';
import { createPromptShield } from '../src/prompts/shield.js';

/** The BIPIA tasks and the file each context becomes. */
const TASKS = [
  { task: 'email', attacks: 'text', extension: 'txt' },
  { task: 'table', attacks: 'text', extension: 'md' },
  { task: 'code', attacks: 'code', extension: 'md' },
] as const;

type Task = (typeof TASKS)[number]['task'];

/** One document of the evaluation corpus and what it is. */
interface EvalDocument {
  readonly path: string;
  readonly text: string;
  readonly task: Task;
  /** `plain`, or the format the attack is hidden in. */
  readonly form: 'plain' | 'html' | 'markdown';
  readonly position?: InsertPosition;
  readonly technique?: HiddenTechnique;
  readonly isPoisoned: boolean;
}

const INJECTION_RULES = new Set(['BW-PROMPT-002', 'BW-PROMPT-003']);
const PROMPT_RULES = new Set(['BW-PROMPT-002', 'BW-PROMPT-003', 'BW-PROMPT-004', 'BW-PROMPT-005']);

/** Techniques a Markdown file can hide text with (raw HTML in Markdown is read as HTML). */
const MARKDOWN_TECHNIQUES = [
  'display-none',
  'html-comment',
  'alt-text',
  'title-text',
  'definition-title',
  'zero-width',
  'bidi-control',
  'tag-characters',
  'variation-selectors',
] as const satisfies readonly HiddenTechnique[];

type MarkdownTechnique = (typeof MARKDOWN_TECHNIQUES)[number];
type InvisibleTechnique = 'zero-width' | 'bidi-control' | 'tag-characters' | 'variation-selectors';

function isMarkdownTechnique(technique: HiddenTechnique): technique is MarkdownTechnique {
  return (MARKDOWN_TECHNIQUES as readonly HiddenTechnique[]).includes(technique);
}

const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const percent = (part: number, whole: number): string =>
  whole === 0 ? '   n/a' : `${((part / whole) * 100).toFixed(1).padStart(5)}%`;

/** Runs the evaluation with the options of `argv`, prints it and returns the exit code. */
export async function runCorpusEvaluation(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      data: { type: 'string', default: '/work/shared/data/prompts' },
      contexts: { type: 'string', default: '4' },
      misses: { type: 'string', default: '0' },
    },
  });
  const perAttack = Number(values.contexts);
  if (!Number.isInteger(perAttack) || perAttack < 1)
    throw new Error(`--contexts must be a whole number of at least 1, got ${values.contexts}`);
  const dir = resolve(values.data);
  const reader = recordingReader((path) => readFileSync(join(dir, path)));
  const documents = buildCorpus(reader, perAttack);
  const shield = createPromptShield();
  const scanner = createCorpusScanner({ shield });

  const started = performance.now();
  let bytes = 0;
  const results: Array<{ doc: EvalDocument; findings: Finding[] }> = [];
  for (const doc of documents) {
    const encoded = new TextEncoder().encode(doc.text);
    bytes += encoded.length;
    const source = bytesSource(encoded);
    const identity = await identifySource(source);
    const findings = await scanner.scan(
      { path: doc.path, source, identity },
      { limits: DEFAULT_SCAN_LIMITS, options: {} },
    );
    results.push({ doc, findings });
  }
  const seconds = (performance.now() - started) / 1000;

  out(`corpus scanner evaluation on BIPIA test contexts and attacks (node ${process.version})`);
  out(
    `data ${dir}: ${reader.files().length} files; ${documents.length} documents, ` +
      `${(bytes / 1e6).toFixed(1)} MB, scanned in ${seconds.toFixed(1)} s ` +
      `(${(documents.length / seconds).toFixed(0)} documents/s, ${(bytes / 1e6 / seconds).toFixed(2)} MB/s)`,
  );
  out(`default options: document threshold ${shield.thresholds.document}, chunks of 1500 with 200 overlap`);
  report(results);
  listMisses(results, Number(values.misses) || 0);
  return 0;
}

function buildCorpus(reader: ReturnType<typeof recordingReader>, perAttack: number): EvalDocument[] {
  const documents: EvalDocument[] = [];
  for (const { task, attacks: kind, extension } of TASKS) {
    const contexts = readBipiaContexts(reader, task, 'test');
    const attacks = readBipiaAttacks(reader, kind, 'test');
    contexts.forEach((context, i) => {
      documents.push({
        path: `${task}/clean-${i}.${extension}`,
        text: context,
        task,
        form: 'plain',
        isPoisoned: false,
      });
      documents.push({
        path: `${task}/clean-${i}.html`,
        text: htmlPage(context, ''),
        task,
        form: 'html',
        isPoisoned: false,
      });
      documents.push({
        path: `${task}/clean-${i}-page.md`,
        text: markdownPage(context, ''),
        task,
        form: 'markdown',
        isPoisoned: false,
      });
    });
    attacks.forEach((attack, a) => {
      for (const [p, position] of INSERT_POSITIONS.entries()) {
        for (let k = 0; k < Math.min(perAttack, contexts.length); k++) {
          const c = (a * perAttack + k) % contexts.length;
          const poisoned = composePoisoned(contexts[c] as string, attack.text, position);
          documents.push({
            path: `${task}/poisoned-${a}-${position}-${c}.${extension}`,
            text: poisoned.text,
            task,
            form: 'plain',
            position,
            isPoisoned: true,
          });
        }
        // One context per attack and technique, the position rotating with the attack.
        if (p !== a % INSERT_POSITIONS.length) continue;
        const context = contexts[a % contexts.length] as string;
        for (const technique of HIDDEN_TECHNIQUES) {
          const name = `${task}/hidden-${a}-${technique}`;
          if (technique !== 'definition-title')
            documents.push({
              path: `${name}.html`,
              text: insertHidden(context, position, hideInHtml(attack.text, technique), htmlPage),
              task,
              form: 'html',
              position,
              technique,
              isPoisoned: true,
            });
          if (isMarkdownTechnique(technique))
            documents.push({
              path: `${name}.md`,
              text: insertHidden(context, position, hideInMarkdown(attack.text, technique), markdownPage),
              task,
              form: 'markdown',
              position,
              technique,
              isPoisoned: true,
            });
        }
      }
    });
  }
  return documents;
}

/** The context as a page with `hidden` (markup) inserted at `position` among its lines. */
function insertHidden(
  context: string,
  position: InsertPosition,
  hidden: string,
  page: (context: string, hidden: string, at?: number) => string,
): string {
  const lines = context.split('\n');
  const at = position === 'start' ? 0 : position === 'end' ? lines.length : Math.floor(lines.length / 2);
  return page(context, hidden, at);
}

/** An HTML page: a paragraph per line of the context, `hidden` before line `at`. */
function htmlPage(context: string, hidden: string, at = 0): string {
  const lines = context.split('\n').map((line) => `<p>${escapeHtml(line)}</p>`);
  lines.splice(at, 0, hidden);
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>Document</title></head>\n<body>\n${lines.join('\n')}\n</body></html>\n`;
}

/** A Markdown file: the context as it is, `hidden` before line `at`, as its own paragraph. */
function markdownPage(context: string, hidden: string, at = 0): string {
  const lines = context.split('\n');
  if (hidden !== '') lines.splice(at, 0, `\n${hidden}\n`);
  return `# Document\n\n${lines.join('\n')}\n`;
}

function hideInHtml(attack: string, technique: HiddenTechnique): string {
  const text = escapeHtml(attack);
  const value = escapeAttribute(attack);
  switch (technique) {
    case 'display-none':
      return `<div style="display:none">${text}</div>`;
    case 'visibility-hidden':
      return `<span style="visibility:hidden">${text}</span>`;
    case 'opacity-zero':
      return `<p style="opacity:0">${text}</p>`;
    case 'tiny-font':
      return `<span style="font-size:0">${text}</span>`;
    case 'colour-matches-background':
      return `<p style="color:#ffffff;background-color:#ffffff">${text}</p>`;
    case 'off-screen':
      return `<div style="position:absolute;left:-9999px">${text}</div>`;
    case 'clipped':
      return `<div style="clip-path:inset(100%)">${text}</div>`;
    case 'hidden-attribute':
      return `<div hidden>${text}</div>`;
    case 'aria-hidden':
      return `<div aria-hidden="true">${text}</div>`;
    case 'html-comment':
      return `<!-- ${attack.replace(/--/g, '- -')} -->`;
    case 'noscript':
      return `<noscript>${text}</noscript>`;
    case 'template':
      return `<template>${text}</template>`;
    case 'alt-text':
      return `<img src="figure.png" alt="${value}">`;
    case 'title-text':
      return `<a href="/more" title="${value}">more</a>`;
    case 'meta-content':
      return `<meta name="description" content="${value}">`;
    case 'definition-title':
      return `<p>${text}</p>`;
    case 'zero-width':
    case 'bidi-control':
    case 'tag-characters':
    case 'variation-selectors':
      return `<p>See below.${invisible(attack, technique)}</p>`;
  }
}

function hideInMarkdown(attack: string, technique: MarkdownTechnique): string {
  const line = attack.replace(/\s+/g, ' ');
  switch (technique) {
    case 'display-none':
      return `<div style="display:none">\n\n${line}\n\n</div>`;
    case 'html-comment':
      return `<!-- ${line.replace(/--/g, '- -')} -->`;
    case 'alt-text':
      return `![${line.replace(/[[\]]/g, ' ')}](figure.png)`;
    case 'title-text':
      return `[more](https://example.org/more "${line.replace(/"/g, "'")}")`;
    case 'definition-title':
      return `[//]: # (${line.replace(/[()]/g, ' ')})`;
    case 'zero-width':
    case 'bidi-control':
    case 'tag-characters':
    case 'variation-selectors':
      return `See below.${invisible(attack, technique)}`;
  }
}

/** The attack disguised (zero-width, bidi) or smuggled (tag characters, variation selectors). */
function invisible(attack: string, technique: InvisibleTechnique): string {
  switch (technique) {
    case 'zero-width':
      return ` ${attack.replace(/(\p{L})(\p{L}+)/gu, '$1\u200B$2')}`;
    case 'bidi-control':
      return ` \u202E${attack}\u202C`;
    case 'tag-characters':
      return [...attack.replace(/\s+/g, ' ')]
        .map((c) => c.charCodeAt(0))
        .filter((code) => code >= 0x20 && code <= 0x7e)
        .map((code) => String.fromCodePoint(0xe0000 + code))
        .join('');
    case 'variation-selectors':
      return `🙂${[...new TextEncoder().encode(attack)]
        .map((b) => String.fromCodePoint(b < 16 ? 0xfe00 + b : 0xe0100 + b - 16))
        .join('')}`;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;').replace(/\s+/g, ' ');
}

/** Prints up to `count` hidden attacks no prompt finding names, and clean documents flagged, to study them. */
function listMisses(results: ReadonlyArray<{ doc: EvalDocument; findings: Finding[] }>, count: number): void {
  if (count <= 0) return;
  const unseen = results.filter(
    (r) => r.doc.technique !== undefined && !r.findings.some((f) => PROMPT_RULES.has(f.ruleId)),
  );
  const flagged = results.filter(
    (r) => !r.doc.isPoisoned && r.findings.some((f) => INJECTION_RULES.has(f.ruleId)),
  );
  for (const [title, rows] of [
    ['hidden attacks no prompt finding names', unseen],
    ['clean documents reported as injections', flagged],
  ] as const) {
    out();
    out(`${title} (${rows.length}; first ${Math.min(count, rows.length)})`);
    for (const { doc, findings } of rows.slice(0, count)) {
      const first = findings.find((f) => INJECTION_RULES.has(f.ruleId));
      const where = first === undefined ? '' : ` line ${first.location.line ?? '?'}: ${first.message}`;
      out(`  ${doc.path}${where}`);
    }
  }
}

/** Prints detection and false-positive rates by task, position, format and technique. */
function report(results: ReadonlyArray<{ doc: EvalDocument; findings: Finding[] }>): void {
  const isDetected = (findings: readonly Finding[]): boolean =>
    findings.some((f) => INJECTION_RULES.has(f.ruleId));
  const isSurfaced = (findings: readonly Finding[]): boolean =>
    findings.some((f) => PROMPT_RULES.has(f.ruleId));
  const rate = (rows: typeof results, test: (f: readonly Finding[]) => boolean): string =>
    `${percent(rows.filter((r) => test(r.findings)).length, rows.length)} of ${String(rows.length).padStart(5)}`;

  out();
  out('plain documents, detection rate (BW-PROMPT-002/003) by task and position');
  for (const { task } of TASKS) {
    const cells = INSERT_POSITIONS.map((position) => {
      const rows = results.filter(
        (r) => r.doc.task === task && r.doc.form === 'plain' && r.doc.position === position,
      );
      return `${position} ${rate(rows, isDetected)}`;
    });
    const all = results.filter((r) => r.doc.task === task && r.doc.form === 'plain' && r.doc.isPoisoned);
    out(`  ${task.padEnd(6)} all ${rate(all, isDetected)}   ${cells.join('   ')}`);
  }

  out();
  out('hidden attacks, detection rate (002/003) and surfaced rate (any prompt finding) by technique');
  for (const technique of HIDDEN_TECHNIQUES) {
    const cells = (['html', 'markdown'] as const).map((form) => {
      const rows = results.filter((r) => r.doc.technique === technique && r.doc.form === form);
      return rows.length === 0
        ? `${form.padEnd(8)} ${'-'.padStart(39)}`
        : `${form.padEnd(8)} ${rate(rows, isDetected)} / ${rate(rows, isSurfaced)}`;
    });
    out(`  ${technique.padEnd(26)} ${cells.join('   ')}`);
  }
  const hidden = results.filter((r) => r.doc.technique !== undefined);
  out(`  ${'all techniques'.padEnd(26)} ${rate(hidden, isDetected)} / ${rate(hidden, isSurfaced)}`);

  out();
  out('clean documents, false-positive rate (002/003; any finding at medium or above)');
  const isMedium = (findings: readonly Finding[]): boolean =>
    findings.some((f) => f.severity !== 'low' && f.severity !== 'info');
  for (const { task } of TASKS) {
    const cells = (['plain', 'html', 'markdown'] as const).map((form) => {
      const rows = results.filter((r) => r.doc.task === task && r.doc.form === form && !r.doc.isPoisoned);
      return `${form} ${rate(rows, isDetected)} (${percent(rows.filter((r) => isMedium(r.findings)).length, rows.length).trim()})`;
    });
    out(`  ${task.padEnd(6)} ${cells.join('   ')}`);
  }
  const clean = results.filter((r) => !r.doc.isPoisoned);
  out(`  ${'all'.padEnd(6)} ${rate(clean, isDetected)}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runCorpusEvaluation(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`eval corpus: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
