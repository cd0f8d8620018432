import type { ModelCardConfig } from './bom-config.js';
import { taskOfArchitecture, type FactProperty, type PerformanceMetric } from './hf-files.js';
import type { ModelFacts } from './model-files.js';

/** A dataset as the model card lists it: a reference to a data component, or an inline name. */
export type CardDataset = { readonly ref: string } | { readonly type: 'dataset'; readonly name: string };

/** A CycloneDX 1.6 `modelCard` object (plain JSON: the CycloneDX library does not model it). */
export type ModelCardJson = Record<string, unknown>;

/**
 * Builds the CycloneDX model card from what the model's files say and what `bulwark.yaml` adds
 * (which wins where both speak). Unknown fields are left out, never filled with guesses; returns
 * undefined when nothing at all is known.
 */
export function buildModelCard(
  facts: ModelFacts,
  settings: ModelCardConfig | undefined,
  datasets: readonly CardDataset[],
): ModelCardJson | undefined {
  const architectures = facts.config?.architectures ?? [];
  const firstArchitecture = architectures[0];
  const task =
    settings?.task ??
    facts.readme?.pipelineTag ??
    (firstArchitecture === undefined ? undefined : taskOfArchitecture(firstArchitecture));
  const modelParameters = compact({
    approach: settings?.approach === undefined ? undefined : { type: settings.approach },
    task,
    architectureFamily:
      settings?.architectureFamily ?? facts.config?.modelType ?? facts.weights?.gguf['general.architecture'],
    modelArchitecture:
      settings?.modelArchitecture ?? (architectures.length > 0 ? architectures.join(', ') : undefined),
    datasets: datasets.length > 0 ? datasets : undefined,
    inputs: settings?.inputs?.map((format) => ({ format })),
    outputs: settings?.outputs?.map((format) => ({ format })),
  });
  const metrics = [...(settings?.metrics ?? []).map(configMetric), ...(facts.readme?.metrics ?? [])];
  const considerations = compact({
    users: settings?.users,
    useCases: settings?.intendedUse,
    technicalLimitations: settings?.limitations,
    performanceTradeoffs: settings?.performanceTradeoffs,
    ethicalConsiderations: settings?.ethicalConsiderations?.map((risk) =>
      compact({ name: risk.name, mitigationStrategy: 'mitigation' in risk ? risk.mitigation : undefined }),
    ),
    fairnessAssessments: settings?.fairnessAssessments?.map((assessment) =>
      compact({
        groupAtRisk: assessment.groupAtRisk,
        benefits: assessment.benefits,
        harms: assessment.harms,
        mitigationStrategy: assessment.mitigation,
      }),
    ),
  });
  const properties = cardProperties(facts);
  return compact({
    modelParameters,
    quantitativeAnalysis: metrics.length > 0 ? { performanceMetrics: metrics } : undefined,
    considerations,
    properties: properties.length > 0 ? properties : undefined,
  });
}

function configMetric(metric: NonNullable<ModelCardConfig['metrics']>[number]): PerformanceMetric {
  const interval = compact({ lowerBound: metric.lowerBound, upperBound: metric.upperBound });
  return {
    type: metric.type,
    value: metric.value,
    ...(metric.slice === undefined ? {} : { slice: metric.slice }),
    ...(interval === undefined ? {} : { confidenceInterval: interval }),
  };
}

/** Facts with no model card field of their own, kept as `bulwark:*` properties. */
function cardProperties(facts: ModelFacts): FactProperty[] {
  const properties: FactProperty[] = [...(facts.config?.properties ?? []), ...facts.generation];
  const weights = facts.weights;
  if (weights !== undefined) {
    properties.push({ name: 'bulwark:model:format', value: weights.format });
    properties.push({ name: 'bulwark:model:parameterCount', value: weights.parameterCount.toString() });
    for (const dtype of weights.dtypes) properties.push({ name: 'bulwark:model:dtype', value: dtype });
  }
  for (const language of facts.readme?.languages ?? [])
    properties.push({ name: 'bulwark:model:language', value: language });
  if (facts.readme?.libraryName !== undefined)
    properties.push({ name: 'bulwark:model:library', value: facts.readme.libraryName });
  return properties;
}

/** The object without its undefined fields, or undefined when none is left. */
function compact<T extends Record<string, unknown>>(value: T): T | undefined {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as T);
}
