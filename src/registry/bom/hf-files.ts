import { parse as parseYaml } from 'yaml';

/** A CycloneDX performance metric as a model card reports it. */
export interface PerformanceMetric {
  readonly type: string;
  readonly value: string;
  readonly slice?: string;
  readonly confidenceInterval?: { readonly lowerBound?: string; readonly upperBound?: string };
}

/** A name/value pair kept as a CycloneDX property. */
export interface FactProperty {
  readonly name: string;
  readonly value: string;
}

/** What a Hugging Face `config.json` says about a model. */
export interface HfConfigFacts {
  readonly architectures: readonly string[];
  readonly modelType?: string;
  /** Sizes and the declared dtype, as `bulwark:model:*` properties. */
  readonly properties: readonly FactProperty[];
}

/** What the YAML front matter of a Hugging Face `README.md` (the model card metadata) says. */
export interface ReadmeFacts {
  readonly license?: { readonly id: string; readonly name?: string; readonly url?: string };
  readonly tags: readonly string[];
  readonly datasets: readonly string[];
  readonly baseModels: readonly string[];
  readonly pipelineTag?: string;
  readonly languages: readonly string[];
  readonly libraryName?: string;
  /** Results of the `model-index` block. */
  readonly metrics: readonly PerformanceMetric[];
}

/** A parse result: the facts, or the one-line reason the file was not usable. */
export type FactsResult<T> =
  { readonly ok: true; readonly facts: T } | { readonly ok: false; readonly problem: string };

/** `config.json` keys kept as properties, with the property name they get. */
const CONFIG_PROPERTIES: readonly (readonly [string, string])[] = [
  ['torch_dtype', 'bulwark:model:declaredDtype'],
  ['max_position_embeddings', 'bulwark:model:contextLength'],
  ['vocab_size', 'bulwark:model:vocabSize'],
  ['hidden_size', 'bulwark:model:hiddenSize'],
  ['num_hidden_layers', 'bulwark:model:layers'],
  ['num_attention_heads', 'bulwark:model:attentionHeads'],
  ['transformers_version', 'bulwark:model:transformersVersion'],
];

/** `generation_config.json` keys kept as `bulwark:generation:<key>` properties (the decoding defaults). */
const GENERATION_KEYS = [
  'do_sample',
  'temperature',
  'top_p',
  'top_k',
  'max_length',
  'max_new_tokens',
  'repetition_penalty',
  'num_beams',
];

/**
 * Hugging Face head-class suffixes and the pipeline task each one implements; a suffix names the task
 * exactly, so nothing is guessed. `ForConditionalGeneration` is left out: it serves several tasks.
 */
const TASK_BY_SUFFIX: readonly (readonly [string, string])[] = [
  ['ForCausalLM', 'text-generation'],
  ['ForMaskedLM', 'fill-mask'],
  ['ForSequenceClassification', 'text-classification'],
  ['ForTokenClassification', 'token-classification'],
  ['ForQuestionAnswering', 'question-answering'],
  ['ForMultipleChoice', 'multiple-choice'],
  ['ForImageClassification', 'image-classification'],
  ['ForObjectDetection', 'object-detection'],
  ['ForSemanticSegmentation', 'image-segmentation'],
  ['ForAudioClassification', 'audio-classification'],
  ['ForCTC', 'automatic-speech-recognition'],
  ['ForSpeechSeq2Seq', 'automatic-speech-recognition'],
];

/** The pipeline task a transformers architecture class implements, when its suffix says so. */
export function taskOfArchitecture(architecture: string): string | undefined {
  return TASK_BY_SUFFIX.find(([suffix]) => architecture.endsWith(suffix))?.[1];
}

/** Reads a transformers `config.json`: architectures, model type and a few size parameters. */
export function parseHfConfig(text: string): FactsResult<HfConfigFacts> {
  const json = parseJsonObject(text);
  if (json === undefined) return { ok: false, problem: 'config.json is not a JSON object' };
  const modelType = stringOf(json['model_type']);
  return {
    ok: true,
    facts: {
      architectures: stringsOf(json['architectures']),
      ...(modelType === undefined ? {} : { modelType }),
      properties: CONFIG_PROPERTIES.flatMap(([key, name]) => scalarProperty(name, json[key])),
    },
  };
}

/** Reads a `generation_config.json` into `bulwark:generation:*` properties (decoding defaults). */
export function parseGenerationConfig(text: string): FactsResult<readonly FactProperty[]> {
  const json = parseJsonObject(text);
  if (json === undefined) return { ok: false, problem: 'generation_config.json is not a JSON object' };
  return {
    ok: true,
    facts: GENERATION_KEYS.flatMap((key) => scalarProperty(`bulwark:generation:${key}`, json[key])),
  };
}

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * Reads the YAML front matter of a model card README (Hugging Face model card metadata). A README
 * without front matter gives empty facts; malformed YAML gives a problem.
 */
export function parseReadmeFrontMatter(text: string): FactsResult<ReadmeFacts> {
  const match = FRONT_MATTER.exec(text);
  const empty: ReadmeFacts = { tags: [], datasets: [], baseModels: [], languages: [], metrics: [] };
  if (match === null) return { ok: true, facts: empty };
  let data: unknown;
  try {
    data = parseYaml(match[1] ?? '', { maxAliasCount: 100, uniqueKeys: false });
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'parse error';
    return { ok: false, problem: `README.md front matter is not valid YAML: ${reason}` };
  }
  if (data === null || data === undefined) return { ok: true, facts: empty };
  if (typeof data !== 'object' || Array.isArray(data))
    return { ok: false, problem: 'README.md front matter is not a YAML mapping' };
  const meta = data as Record<string, unknown>;
  const pipelineTag = stringOf(meta['pipeline_tag']);
  const libraryName = stringOf(meta['library_name']);
  const license = licenseOf(meta);
  return {
    ok: true,
    facts: {
      ...(license === undefined ? {} : { license }),
      tags: stringsOf(meta['tags']),
      datasets: stringsOf(meta['datasets']),
      baseModels: stringsOf(meta['base_model']),
      ...(pipelineTag === undefined ? {} : { pipelineTag }),
      languages: stringsOf(meta['language']),
      ...(libraryName === undefined ? {} : { libraryName }),
      metrics: modelIndexMetrics(meta['model-index']),
    },
  };
}

function licenseOf(meta: Record<string, unknown>): ReadmeFacts['license'] {
  const id = stringOf(meta['license']);
  if (id === undefined) return undefined;
  const name = stringOf(meta['license_name']);
  const url = stringOf(meta['license_link']);
  return { id, ...(name === undefined ? {} : { name }), ...(url === undefined ? {} : { url }) };
}

/** `model-index: [{results: [{task, dataset, metrics: [{type, value}]}]}]` → performance metrics. */
function modelIndexMetrics(value: unknown): PerformanceMetric[] {
  const metrics: PerformanceMetric[] = [];
  for (const entry of arrayOf(value)) {
    for (const result of arrayOf(recordOf(entry)?.['results'])) {
      const dataset = recordOf(recordOf(result)?.['dataset']);
      const datasetName = stringOf(dataset?.['name']) ?? stringOf(dataset?.['type']);
      const split = stringOf(dataset?.['split']);
      const slice =
        datasetName === undefined ? split : split === undefined ? datasetName : `${datasetName} (${split})`;
      for (const metric of arrayOf(recordOf(result)?.['metrics'])) {
        const fields = recordOf(metric);
        const type = stringOf(fields?.['type']) ?? stringOf(fields?.['name']);
        const raw = fields?.['value'];
        const measured = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : stringOf(raw);
        if (type === undefined || measured === undefined) continue;
        metrics.push({ type, value: measured, ...(slice === undefined ? {} : { slice }) });
      }
    }
  }
  return metrics;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return recordOf(value);
  } catch {
    return undefined;
  }
}

function scalarProperty(name: string, value: unknown): FactProperty[] {
  if (typeof value === 'string' && value.trim() !== '') return [{ name, value: value.trim() }];
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean')
    return [{ name, value: String(value) }];
  return [];
}

function recordOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function arrayOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A string or a list of strings, as model card metadata allows; other items are dropped. */
function stringsOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return [...new Set(items.flatMap((item) => stringOf(item) ?? []))];
}
