/**
 * `bulwark scan prompt`: the prompt shield (controls G4, P4) on one prompt (an argument, a file or
 * stdin) or on JSON Lines of prompts; verdicts as JSON Lines, or flagged prompts as findings in a
 * report that is recorded and gated like every scan.
 */
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { allRules } from '../catalogue.js';
import { BulwarkError } from '../core/errors.js';
import type { Finding } from '../core/findings.js';
import { OUTPUT_FORMATS } from '../core/report/output-format.js';
import { buildReport, exitCodeFor, type ScanReport } from '../core/report/report.js';
import { renderJson } from '../core/report/render-json.js';
import { renderSarif } from '../core/report/render-sarif.js';
import { renderTable } from '../core/report/render-table.js';
import { resolveColor } from '../core/report/resolve-color.js';
import { SEVERITIES, type Severity } from '../core/severity.js';
import { DOCUMENT_INJECTION, PROMPT_INJECTION } from '../prompts/prompt-rules.js';
import { createPromptShield, type PromptShield, type ShieldVerdict } from '../prompts/shield.js';
import type { ShieldContext } from '../prompts/types.js';
import { VERSION } from '../version.js';
import { withContext, type CliContext } from './context.js';
import { emit } from './files.js';
import type { CliIo } from './io.js';
import { readStdinText } from './stdin.js';
import { openShieldModel } from './onnx-model.js';
import { applyRuleSettings, record } from './scan.js';

/** Output formats of `scan prompt`: the report formats, and one JSON line of verdict per input. */
const PROMPT_FORMATS = [...OUTPUT_FORMATS, 'jsonl'] as const;
type PromptFormat = (typeof PROMPT_FORMATS)[number];
const CONTEXTS = ['user', 'document'] as const;
/** One prompt (a file, stdin, or one JSON line) larger than this is refused, not scanned. */
const MAX_PROMPT_BYTES = 8 * 1024 * 1024;
const ARGUMENT = '<argument>';
const STDIN = '<stdin>';

interface ScanPromptOptions {
  file?: string;
  input?: string;
  context?: ShieldContext;
  threshold?: string;
  format?: PromptFormat;
  output?: string;
  failOn?: Severity | 'none';
  store: boolean;
  model?: string;
}

/** One prompt to scan; `line` is its 1-based line in a JSON Lines input. */
interface PromptItem {
  readonly id: string | number;
  readonly text: string;
  readonly context: ShieldContext;
  readonly line?: number;
}

/** Where the prompts come from: `path` names it in findings, `items` reads it (again, for a file). */
interface PromptSource {
  readonly path: string;
  readonly isJsonLines: boolean;
  items(): AsyncIterable<PromptItem>;
}

/** Adds `scan prompt [text]` under the `scan` command. */
export function registerScanPrompt(scanCommand: Command, io: CliIo): void {
  const prompt = scanCommand
    .command('prompt')
    .description('score prompts with the prompt shield: injection and jailbreak attempts, obfuscated or not')
    .argument('[text]', 'the prompt; - (or nothing, with stdin piped) reads one prompt from stdin')
    .option('--file <path>', 'scan the whole file as one prompt')
    .option('--input <file.jsonl>', 'scan JSON Lines of {"id","text","context"?}, streamed line by line')
    .addOption(
      new Option('--context <context>', 'user (a direct prompt) or document (retrieved text, tool output)')
        .choices(CONTEXTS)
        .default('user'),
    )
    .option(
      '--threshold <n>',
      'flag at or above this score, 0–1 (default: prompts.shield.threshold in bulwark.yaml, else calibrated)',
    )
    .addOption(
      new Option('-f, --format <format>', 'output (default: table, or `format` in bulwark.yaml)').choices(
        PROMPT_FORMATS,
      ),
    )
    .option(
      '--model <dir>',
      'also score with a local ONNX sequence classifier (model.onnx, tokenizer.json, config.json); default: prompts.shield.model in bulwark.yaml',
    )
    .option('-o, --output <file>', 'write the output to a file instead of stdout')
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a finding is at or above this severity (default: any flagged prompt)',
      ).choices([...SEVERITIES, 'none']),
    )
    .option('--no-store', 'do not record the scan, its findings and its gate decision in the evidence store')
    .action(async function (this: Command, text: string | undefined, opts: ScanPromptOptions) {
      await withContext(io, this, (ctx) => scanPrompt(ctx, text, inheritedOptions(this, opts)));
    });
  letScanPassJsonLines(scanCommand, prompt);
}

/**
 * Commander lets `scan` parse the options it shares with `prompt` wherever they are written
 * (`scan prompt x --format jsonl` included), so `scan` must let `jsonl` through to `prompt`; its
 * other verbs refuse it.
 */
function letScanPassJsonLines(scanCommand: Command, prompt: Command): void {
  const format = scanCommand.options.find((option) => option.attributeName() === 'format');
  if (format === undefined) return;
  format.choices(PROMPT_FORMATS);
  format.description += ' (jsonl: scan prompt only)';
  scanCommand.hook('preAction', (_scan, action) => {
    if (action !== prompt && scanCommand.opts<{ format?: string }>().format === 'jsonl')
      throw new BulwarkError('USAGE', '--format jsonl is for scan prompt only');
  });
}

/** Options of `scan` that `prompt` also has, which `scan` parsed (`scan prompt x -o out.json`). */
function inheritedOptions(command: Command, own: ScanPromptOptions): ScanPromptOptions {
  const parent = command.parent;
  if (parent === null) return own;
  const merged: Record<string, unknown> = { ...own };
  for (const [key, value] of Object.entries(parent.opts())) {
    if (parent.getOptionValueSource(key) !== 'cli') continue;
    if (!['format', 'output', 'failOn', 'store'].includes(key)) {
      const flag = parent.options.find((o) => o.attributeName() === key)?.long ?? key;
      throw new BulwarkError('USAGE', `${flag} does not apply to scan prompt`);
    }
    if (command.getOptionValueSource(key) !== 'cli') merged[key] = value;
  }
  return merged as unknown as ScanPromptOptions;
}

async function scanPrompt(ctx: CliContext, text: string | undefined, opts: ScanPromptOptions): Promise<void> {
  const { io, config } = ctx;
  const threshold = thresholdOption(opts.threshold) ?? config.prompts.shield.threshold;
  const source = promptSource(io, text, opts);
  const format = opts.format ?? config.format;
  const failOn = opts.failOn === 'none' ? undefined : (opts.failOn ?? 'info');
  // JSON Lines go out while scanning, so a bad line must be found before the first one is written.
  if (format === 'jsonl' && source.isJsonLines) for await (const item of source.items()) void item;
  const model = await openShieldModel(ctx, opts.model);
  const shield = createPromptShield({
    ...(threshold === undefined ? {} : { threshold }),
    ...(model === undefined ? {} : { detectors: [model] }),
  });
  const startedAt = new Date();
  let outcome: ScanOutcome;
  try {
    const sink = format === 'jsonl' ? await openLineSink(io, opts.output) : undefined;
    outcome = await scanItems(source, sink, (item) =>
      model === undefined ? shield.scan(item.text, item.context) : shield.scanAsync(item.text, item.context),
    );
  } finally {
    await model?.close();
  }
  const report = buildReport({
    toolVersion: VERSION,
    scanId: randomUUID(),
    startedAt,
    finishedAt: new Date(),
    targets: [source.path],
    filesScanned: 1,
    filesSkipped: 0,
    bytesScanned: outcome.bytes,
    findings: applyRuleSettings(outcome.findings, config.rules),
    ...(failOn === undefined ? {} : { failOn }),
  });
  if (opts.store) await record(ctx, report, []);
  const { last } = outcome;
  const summary =
    source.isJsonLines || last === undefined
      ? `${outcome.count} prompt(s) scanned, ${outcome.findings.length} flagged (threshold: ${thresholdsOf(shield)})`
      : `${source.path}: score ${round4(last.score)}, ${last.flagged ? 'flagged' : 'not flagged'} (threshold ${last.threshold}, ${last.context} context)`;
  if (format !== 'jsonl') await emit(io, renderReport(report, format, io, summary), opts.output);
  if (opts.output !== undefined && opts.output !== '-' && format !== 'table')
    io.stderr.write(`bulwark: ${summary}; written to ${opts.output}\n`);
  io.exitCode = Math.max(io.exitCode, exitCodeFor(report, failOn));
}

/** What scanning the inputs gave: flagged prompts as findings, counts, and the last verdict. */
interface ScanOutcome {
  readonly findings: Finding[];
  readonly count: number;
  readonly bytes: number;
  readonly last?: ShieldVerdict;
}

async function scanItems(
  source: PromptSource,
  sink: LineSink | undefined,
  scan: (item: PromptItem) => ShieldVerdict | Promise<ShieldVerdict>,
): Promise<ScanOutcome> {
  const findings: Finding[] = [];
  let count = 0;
  let bytes = 0;
  let last: ShieldVerdict | undefined;
  try {
    for await (const item of source.items()) {
      const verdict = await scan(item);
      count += 1;
      bytes += Buffer.byteLength(item.text);
      last = verdict;
      if (verdict.flagged) findings.push(findingOf(item, verdict, source.path));
      const line = {
        id: item.id,
        score: round4(verdict.score),
        flagged: verdict.flagged,
        categories: verdict.categories,
      };
      await sink?.write(`${JSON.stringify(line)}\n`);
    }
    await sink?.finish();
  } catch (error) {
    await sink?.abort();
    throw error;
  }
  return { findings, count, bytes, ...(last === undefined ? {} : { last }) };
}

function thresholdsOf(shield: PromptShield): string {
  const { user, document } = shield.thresholds;
  return `user ${user}, document ${document}`;
}

function thresholdOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= 0 && number <= 1))
    throw new BulwarkError('USAGE', `--threshold must be a number from 0 to 1, got "${value}"`);
  return number;
}

/** Picks the one input the command line names: an argument, `--file`, `--input`, or stdin. */
function promptSource(io: CliIo, text: string | undefined, opts: ScanPromptOptions): PromptSource {
  const context = opts.context ?? 'user';
  const given = [text !== undefined, opts.file !== undefined, opts.input !== undefined].filter(Boolean);
  if (given.length > 1)
    throw new BulwarkError('USAGE', 'give one of: a prompt argument, --file PATH or --input FILE.jsonl');
  const one = (path: string, read: () => Promise<string>, id = '-'): PromptSource => ({
    path,
    isJsonLines: false,
    async *items() {
      yield { id, text: await read(), context };
    },
  });
  if (opts.input !== undefined) {
    const shown = opts.input;
    const absolute = resolve(io.cwd, shown);
    return { path: shown, isJsonLines: true, items: () => readPromptLines(absolute, shown, context) };
  }
  if (opts.file !== undefined) {
    const shown = opts.file;
    return one(shown, () => readPromptFile(resolve(io.cwd, shown), shown), shown);
  }
  if (text !== undefined && text !== '-') return one(ARGUMENT, () => Promise.resolve(text));
  if (text === undefined && process.stdin.isTTY === true)
    throw new BulwarkError(
      'USAGE',
      'nothing to scan: give a prompt, --file PATH, --input FILE.jsonl, or pipe one on stdin',
    );
  return one(STDIN, () => readStdinText(MAX_PROMPT_BYTES, () => tooLarge(STDIN)));
}

async function readPromptFile(path: string, shown: string): Promise<string> {
  const handle = await openInput(path, shown);
  try {
    const size = (await handle.stat()).size;
    if (size > MAX_PROMPT_BYTES) throw tooLarge(shown);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Streams the prompts of a JSON Lines file: one line at a time, each bounded by MAX_PROMPT_BYTES
 * (node:readline would buffer a line of any length), blank lines skipped.
 */
async function* readPromptLines(
  path: string,
  shown: string,
  context: ShieldContext,
): AsyncGenerator<PromptItem> {
  const handle = await openInput(path, shown);
  try {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let line = 0;
    for await (const chunk of readChunks(handle, shown)) {
      let start = 0;
      for (;;) {
        const newline = chunk.indexOf(0x0a, start);
        const end = newline === -1 ? chunk.length : newline;
        pendingBytes += end - start;
        if (pendingBytes > MAX_PROMPT_BYTES) throw tooLarge(`${shown}:${line + 1}`);
        pending.push(chunk.subarray(start, end));
        if (newline === -1) break;
        line += 1;
        const item = parsePromptLine(Buffer.concat(pending).toString('utf8'), line, shown, context);
        if (item !== undefined) yield item;
        pending = [];
        pendingBytes = 0;
        start = newline + 1;
      }
    }
    if (pendingBytes > 0) {
      const item = parsePromptLine(Buffer.concat(pending).toString('utf8'), line + 1, shown, context);
      if (item !== undefined) yield item;
    }
  } finally {
    await handle.close();
  }
}

async function* readChunks(handle: FileHandle, shown: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of handle.createReadStream({ autoClose: false, highWaterMark: 1 << 16 }))
      yield chunk as Buffer;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new BulwarkError('INPUT_UNREADABLE', `cannot read ${shown}: ${code}`, { cause: error });
  }
}

/** One JSON line as a prompt, or undefined for a blank line; anything else is one error naming the line. */
function parsePromptLine(
  raw: string,
  line: number,
  shown: string,
  fallback: ShieldContext,
): PromptItem | undefined {
  const text = line === 1 ? raw.replace(/^\ufeff/, '') : raw;
  if (text.trim() === '') return undefined;
  const bad = (why: string): BulwarkError =>
    new BulwarkError('INPUT_INVALID', `${shown}:${line}: ${why}; each line must be {"id","text","context"?}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The parser's message quotes the line, which may be a prompt: say only where.
    throw new BulwarkError('INPUT_INVALID', `${shown}:${line}: not valid JSON`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('not a JSON object');
  const { id, text: prompt, context } = value as Record<string, unknown>;
  if (!(typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))))
    throw bad('"id" must be a string or a number');
  if (typeof prompt !== 'string') throw bad('"text" must be a string');
  if (context !== undefined && context !== 'user' && context !== 'document')
    throw bad('"context" must be "user" or "document"');
  return { id, text: prompt, context: context ?? fallback, line };
}

async function openInput(path: string, shown: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT')
      throw new BulwarkError('INPUT_NOT_FOUND', `no such file: ${shown}`, { cause: error });
    throw new BulwarkError('INPUT_UNREADABLE', `cannot read ${shown}: ${code}`, { cause: error });
  }
  const info = await handle.stat();
  if (!info.isFile()) {
    await handle.close();
    throw new BulwarkError('INPUT_INVALID', `not a regular file: ${shown}`);
  }
  return handle;
}

function tooLarge(where: string): BulwarkError {
  return new BulwarkError(
    'LIMIT_EXCEEDED',
    `${where}: a prompt larger than ${MAX_PROMPT_BYTES} bytes is not scanned`,
  );
}

/** A flagged prompt as a finding: scores and categories, never the prompt beyond a masked preview. */
function findingOf(item: PromptItem, verdict: ShieldVerdict, path: string): Finding {
  const rule = item.context === 'document' ? DOCUMENT_INJECTION : PROMPT_INJECTION;
  const what =
    item.context === 'document'
      ? 'document text reads as instructions to the model'
      : 'prompt injection or jailbreak';
  const categories = verdict.categories.length > 0 ? verdict.categories.join(', ') : 'no category';
  const id = item.line === undefined ? '' : ` (id ${JSON.stringify(item.id)})`;
  return {
    ruleId: rule.id,
    severity: rule.defaultSeverity,
    message: `${what}${id}: score ${round4(verdict.score)} at or above ${verdict.threshold} (${categories}); "${maskedPreview(item.text)}"`,
    location: { path, ...(item.line === undefined ? {} : { line: item.line }) },
    evidence: {
      id: item.id,
      context: item.context,
      score: round4(verdict.score),
      threshold: verdict.threshold,
      categories: [...verdict.categories],
      detectors: Object.fromEntries(verdict.detectors.map((d) => [d.detector, round4(d.score)])),
      notes: verdict.detectors.flatMap((d) => d.evidence.map((e) => e.note)).slice(0, 5),
      signals: verdict.signals.map((s) => s.kind),
      fingerprintKey: createHash('sha256').update(`${item.context}\n${item.text}`).digest('hex'),
    },
    controls: rule.controls,
  };
}

/** The first few words with all but their first two letters masked: enough to find the prompt, not to read it. */
function maskedPreview(text: string): string {
  const words = text
    .normalize('NFKC')
    .replace(/[\p{C}\p{Z}\s]+/gu, ' ')
    .trim()
    .split(' ');
  const shown = words.slice(0, 5).map((word) => {
    const chars = [...word].slice(0, 12);
    return chars.slice(0, 2).join('') + '*'.repeat(Math.max(0, chars.length - 2));
  });
  return `${shown.join(' ')}${words.length > 5 ? ' …' : ''}`;
}

function round4(score: number): number {
  return Math.round(score * 10_000) / 10_000;
}

function renderReport(
  report: ScanReport,
  format: Exclude<PromptFormat, 'jsonl'>,
  io: CliIo,
  summary: string,
): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report, allRules());
    case 'table':
      return `${renderTable(report, { color: resolveColor(io.stdout, io.env) })}${summary}\n`;
  }
}

/** Where JSON Lines go while scanning: stdout, or a temporary file renamed over `--output` at the end. */
interface LineSink {
  write(text: string): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

async function openLineSink(io: CliIo, output: string | undefined): Promise<LineSink> {
  let buffered = '';
  const batched = (send: (text: string) => Promise<unknown>, close: () => Promise<void>) => ({
    async write(text: string) {
      buffered += text;
      if (buffered.length < 1 << 16) return;
      const chunk = buffered;
      buffered = '';
      await send(chunk);
    },
    finish: async () => {
      if (buffered !== '') await send(buffered);
      await close();
    },
  });
  if (output === undefined || output === '-') {
    const send = async (text: string): Promise<void> => {
      if (!io.stdout.write(text)) await once(io.stdout, 'drain');
    };
    return { ...batched(send, () => Promise.resolve()), abort: () => Promise.resolve() };
  }
  const target = resolve(io.cwd, output);
  const temp = `${target}.${process.pid}.tmp`;
  const guard = async <T>(step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new BulwarkError('INPUT_UNREADABLE', `cannot write ${output}: ${code}`, { cause: error });
    }
  };
  await guard(() => mkdir(dirname(target), { recursive: true }));
  const handle = await guard(() => open(temp, 'w', 0o644));
  const sink = batched(
    (text) => guard(() => handle.write(text)),
    () =>
      guard(async () => {
        await handle.close();
        await rename(temp, target);
      }),
  );
  return {
    ...sink,
    async abort() {
      await handle.close().catch(() => undefined);
      await rm(temp, { force: true });
    },
  };
}
