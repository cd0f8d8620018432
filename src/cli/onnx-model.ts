/**
 * Opens a local sequence-classification model exported to ONNX (a Hugging Face folder: model.onnx,
 * tokenizer.json, config.json) as the prompt shields' model-backed detector, on onnxruntime-node's
 * CPU provider. Nothing is ever downloaded: the model is whatever the user has on disk.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { BulwarkError, describeError } from '../core/errors.js';
import { createHfTokenizer } from '../prompts/onnx/hf-tokenizer.js';
import type { AttackLabels } from '../prompts/onnx/label-scores.js';
import {
  MODEL_INPUT_NAMES,
  type Int64Batch,
  type ModelInputName,
  type OnnxSession,
} from '../prompts/onnx/model-session.js';
import { createOnnxDetector } from '../prompts/onnx/onnx-detector.js';
import type { Detector } from '../prompts/types.js';
import type * as OnnxRuntimeModule from 'onnxruntime-node';
import type { CliContext } from './context.js';
import { pathExists, readUserFile } from './files.js';

type OnnxRuntime = typeof OnnxRuntimeModule;
type InferenceSession = Awaited<ReturnType<OnnxRuntime['InferenceSession']['create']>>;

/** Options of {@link loadOnnxModelDetector} (bulwark.yaml `prompts.shield.model`). */
export interface OnnxModelOptions {
  /** Tokens per window, special tokens included; default the tokenizer's model_max_length, at most 512. */
  readonly maxLength?: number;
  /** Tokens consecutive windows share; default 64. */
  readonly stride?: number;
  /** Labels that count as attacks; default every label not named like benign, safe or LABEL_0. */
  readonly attackLabels?: AttackLabels;
  /** CPU threads per inference (onnxruntime intra-op threads); default 1, 0 lets onnxruntime choose. */
  readonly threads?: number;
  /** Detector id in verdicts; default `onnx-model`. */
  readonly id?: string;
  /** Also score decoded variants; default true. */
  readonly scoreVariants?: boolean;
  /** Windows run per scanned text; default 32. */
  readonly maxWindows?: number;
  /** Loads onnxruntime-node; replaceable in tests to check the message when it cannot load. */
  readonly importRuntime?: () => Promise<OnnxRuntime>;
}

/** The model-backed detector, with what was loaded and a way to free the session. */
export interface OnnxModelDetector extends Detector {
  /** The .onnx file that was loaded. */
  readonly modelPath: string;
  /** The model's labels, in id order. */
  readonly labels: readonly string[];
  /** Frees the onnxruntime session. */
  close(): Promise<void>;
}

/** The largest window by default: Prompt Guard and most BERT-family classifiers take 512 tokens. */
const DEFAULT_MAX_LENGTH = 512;

/**
 * Loads the model in `path` (a folder, or a .onnx file beside or one level below its tokenizer.json):
 * DIR/model.onnx, DIR/onnx/model.onnx as Hugging Face exports lay it out, or the single *.onnx in DIR;
 * tokenizer.json, tokenizer_config.json when present, and config.json for the labels.
 */
export async function loadOnnxModelDetector(
  path: string,
  options: OnnxModelOptions = {},
): Promise<OnnxModelDetector> {
  const { modelPath, dir } = await locateModel(resolve(path));
  const config = await readJson(join(dir, 'config.json'), 'model config');
  const labels = labelsOf(config, join(dir, 'config.json'));
  const tokenizerPath = join(dir, 'tokenizer.json');
  const tokenizerJson = await readJson(tokenizerPath, 'tokenizer');
  const configPath = join(dir, 'tokenizer_config.json');
  const tokenizerConfig = (await pathExists(configPath))
    ? await readJson(configPath, 'tokenizer config')
    : {};
  const tokenizer = createHfTokenizer(tokenizerJson, tokenizerConfig, tokenizerPath);

  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 0 || threads > 1024) {
    throw new BulwarkError('CONFIG_INVALID', `threads must be an integer in 0–1024, got ${threads}`);
  }
  const runtime = await loadRuntime(options.importRuntime);
  const session = await openSession(runtime, modelPath, threads);
  try {
    const output = checkSession(session, labels.length, modelPath);
    const modelName = modelNameOf(config, dir);
    const detector = createOnnxDetector({
      session: adaptSession(runtime, session, output),
      tokenizer,
      labels,
      modelName,
      maxLength: options.maxLength ?? defaultMaxLength(tokenizerConfig, config),
      stride: options.stride,
      attackLabels: options.attackLabels,
      id: options.id,
      scoreVariants: options.scoreVariants,
      maxWindows: options.maxWindows,
    });
    return {
      id: detector.id,
      detect: (input, context) => detector.detect(input, context),
      modelPath,
      labels,
      close: () => session.release(),
    };
  } catch (error) {
    await session.release();
    throw error;
  }
}

async function openSession(
  runtime: OnnxRuntime,
  modelPath: string,
  threads: number,
): Promise<InferenceSession> {
  try {
    return await runtime.InferenceSession.create(modelPath, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
  } catch (error) {
    const reason = firstLine(error).replace(/^Load model from .* failed: ?/, '');
    throw new BulwarkError('INPUT_INVALID', `cannot load the ONNX model ${modelPath}: ${reason}`, {
      cause: error,
    });
  }
}

async function locateModel(path: string): Promise<{ modelPath: string; dir: string }> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new BulwarkError('INPUT_NOT_FOUND', `model not found: ${path}`, { cause: error });
  }
  if (info.isFile()) {
    if (!path.endsWith('.onnx'))
      throw new BulwarkError('INPUT_INVALID', `not an .onnx file or a folder: ${path}`);
    const beside = dirname(path);
    const dir =
      basename(beside) === 'onnx' && !(await pathExists(join(beside, 'config.json')))
        ? dirname(beside)
        : beside;
    return { modelPath: path, dir };
  }
  for (const candidate of ['model.onnx', join('onnx', 'model.onnx')]) {
    if (await pathExists(join(path, candidate))) return { modelPath: join(path, candidate), dir: path };
  }
  const found = (await readdir(path)).filter((name) => name.endsWith('.onnx')).sort();
  if (found.length === 1 && found[0] !== undefined) return { modelPath: join(path, found[0]), dir: path };
  throw new BulwarkError(
    'INPUT_INVALID',
    found.length === 0
      ? `no model.onnx in ${path} (nor onnx/model.onnx): export the model to ONNX first`
      : `several .onnx files in ${path} (${found.join(', ')}): name the one to use`,
  );
}

async function readJson(path: string, what: string): Promise<unknown> {
  const text = await readUserFile(path, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BulwarkError('INPUT_INVALID', `${what} ${path} is not valid JSON: ${firstLine(error)}`, {
      cause: error,
    });
  }
}

/** The labels in id order from config.json `id2label` (ids 0…n-1, as transformers writes them). */
function labelsOf(config: unknown, path: string): string[] {
  const id2label = isRecord(config) ? config.id2label : undefined;
  if (!isRecord(id2label) || Object.keys(id2label).length === 0) {
    throw new BulwarkError('INPUT_INVALID', `${path} has no id2label: not a sequence classifier's config`);
  }
  const entries = Object.entries(id2label);
  const labels = entries.map((_, id) => id2label[String(id)]);
  if (!labels.every((label): label is string => typeof label === 'string' && label.length > 0)) {
    throw new BulwarkError(
      'INPUT_INVALID',
      `${path}: id2label must map ids 0…${entries.length - 1} to names`,
    );
  }
  return labels;
}

function modelNameOf(config: unknown, dir: string): string {
  const named = isRecord(config) ? config._name_or_path : undefined;
  const name = typeof named === 'string' && named !== '' ? named : basename(dir);
  return name.split(/[\\/]/).slice(-2).join('/').slice(0, 100);
}

function defaultMaxLength(tokenizerConfig: unknown, config: unknown): number {
  const limits = [DEFAULT_MAX_LENGTH];
  for (const [source, key] of [
    [tokenizerConfig, 'model_max_length'],
    [config, 'max_position_embeddings'],
  ] as const) {
    const value = isRecord(source) ? source[key] : undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value > 2) limits.push(value);
  }
  return Math.min(...limits);
}

async function loadRuntime(importRuntime?: () => Promise<OnnxRuntime>): Promise<OnnxRuntime> {
  try {
    return await (importRuntime ?? (() => import('onnxruntime-node')))();
  } catch (error) {
    throw new BulwarkError(
      'CONFIG_INVALID',
      `onnxruntime-node cannot load (${firstLine(error)}): install it with \`npm install onnxruntime-node\` ` +
        '(a CPU build for linux, macOS and Windows ships inside the package)',
      { cause: error },
    );
  }
}

/** Checks inputs and outputs against a sequence classifier's and returns the logits output's name. */
function checkSession(session: InferenceSession, labelCount: number, modelPath: string): string {
  const inputs = new Set<string>(MODEL_INPUT_NAMES);
  for (const input of session.inputMetadata) {
    if (inputs.has(input.name) && input.isTensor && input.type !== 'int64') {
      throw new BulwarkError(
        'INPUT_INVALID',
        `${modelPath}: input ${input.name} is ${input.type}, expected int64`,
      );
    }
  }
  const name = session.outputNames.includes('logits') ? 'logits' : session.outputNames[0];
  const output = session.outputMetadata.find((o) => o.name === name);
  if (name === undefined || output === undefined || (name !== 'logits' && session.outputNames.length > 1)) {
    throw new BulwarkError(
      'INPUT_INVALID',
      `${modelPath}: no "logits" output among ${session.outputNames.join(', ') || '(none)'}: not a sequence classifier`,
    );
  }
  if (!output.isTensor || output.type !== 'float32') {
    throw new BulwarkError('INPUT_INVALID', `${modelPath}: output ${name} must be a float32 tensor`);
  }
  const shape = output.shape;
  if (shape.length > 0 && shape.length !== 2) {
    throw new BulwarkError(
      'INPUT_INVALID',
      `${modelPath} is not a sequence classifier: output ${name} has shape [${shape.join(', ')}], expected [batch, labels]`,
    );
  }
  const width = shape[1];
  if (typeof width === 'number' && width !== labelCount) {
    throw new BulwarkError(
      'INPUT_INVALID',
      `${modelPath} outputs ${width} logits but its config.json names ${labelCount} labels`,
    );
  }
  return name;
}

function adaptSession(runtime: OnnxRuntime, session: InferenceSession, output: string): OnnxSession {
  return {
    inputNames: session.inputNames,
    async run(feeds) {
      const tensors: Record<string, InstanceType<OnnxRuntime['Tensor']>> = {};
      for (const [name, batch] of Object.entries(feeds) as Array<[ModelInputName, Int64Batch]>) {
        tensors[name] = new runtime.Tensor('int64', batch.data, [...batch.dims]);
      }
      const result = await session.run(tensors, [output]);
      const logits = result[output];
      if (logits === undefined || logits.type !== 'float32') {
        throw new BulwarkError('INPUT_INVALID', `the model returned no float32 ${output}`);
      }
      return { data: logits.data as Float32Array, dims: logits.dims };
    },
  };
}

function firstLine(error: unknown): string {
  return describeError(error).split('\n', 1)[0] ?? '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The prompt shield's model tier for a command: `--model DIR` (relative to the working directory),
 * else `prompts.shield.model` of bulwark.yaml (relative to the file), loaded with that section's
 * settings; none when neither is given. Prompts then go through `scanAsync`.
 */
export async function openShieldModel(
  ctx: CliContext,
  given: string | undefined,
): Promise<OnnxModelDetector | undefined> {
  const settings = ctx.config.prompts.shield.model;
  if (given === undefined && settings === undefined) return undefined;
  const path =
    given === undefined ? resolve(ctx.configDir, settings?.path ?? '') : resolve(ctx.io.cwd, given);
  return loadOnnxModelDetector(path, {
    ...(settings === undefined
      ? {}
      : {
          maxLength: settings.maxLength,
          threads: settings.threads,
          ...(settings.stride === undefined ? {} : { stride: settings.stride }),
          ...(settings.attackLabels === undefined ? {} : { attackLabels: settings.attackLabels }),
        }),
  });
}
