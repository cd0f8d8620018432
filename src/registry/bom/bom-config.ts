import { z } from 'zod';

/** The CycloneDX 1.6 learning types (`modelCard.modelParameters.approach.type`). */
export const LEARNING_APPROACHES = [
  'supervised',
  'unsupervised',
  'reinforcement-learning',
  'semi-supervised',
  'self-supervised',
] as const;

/** One CycloneDX learning type. */
export type LearningApproach = (typeof LEARNING_APPROACHES)[number];

const text = z.string().trim().min(1);

/** One string or a list of strings, read as a list (`intendedUse: "triage"` or a YAML list). */
const texts = z.union([text.transform((value) => [value]), z.array(text)]);

const metricValue = z.union([text, z.number()]).transform(String);

const ownerSchema = z
  .strictObject({
    name: text.optional().meta({ description: 'Name of the person or team.' }),
    email: z.email().optional().meta({ description: 'Contact email address.' }),
  })
  .refine((owner) => owner.name !== undefined || owner.email !== undefined, {
    error: 'an owner needs a name or an email',
  });

const riskSchema = z.union([
  text.transform((name) => ({ name })),
  z.strictObject({
    name: text.meta({ description: 'The ethical risk.' }),
    mitigation: text.optional().meta({ description: 'How the risk is mitigated.' }),
  }),
]);

const fairnessSchema = z.strictObject({
  groupAtRisk: text.meta({ description: 'The group at risk of being systematically disadvantaged.' }),
  benefits: text.optional(),
  harms: text.optional(),
  mitigation: text.optional().meta({ description: 'How the harms are mitigated.' }),
});

const metricSchema = z.strictObject({
  type: text.meta({ description: 'The metric, e.g. "accuracy" or "f1".' }),
  value: metricValue.meta({ description: 'The measured value.' }),
  slice: text.optional().meta({ description: 'The data slice it was measured on, e.g. "test".' }),
  lowerBound: metricValue.optional().meta({ description: 'Lower bound of the confidence interval.' }),
  upperBound: metricValue.optional().meta({ description: 'Upper bound of the confidence interval.' }),
});

/** The `bom.modelCard` section: what only people can say about a model, written into the ML-BOM. */
export const modelCardConfigSchema = z.strictObject({
  approach: z
    .enum(LEARNING_APPROACHES)
    .optional()
    .meta({ description: 'How the model learned (CycloneDX learning type).' }),
  task: text.optional().meta({ description: 'The task, e.g. "text-classification" (overrides the files).' }),
  architectureFamily: text.optional().meta({ description: 'e.g. "transformer" (overrides the files).' }),
  modelArchitecture: text.optional().meta({ description: 'e.g. "BertForSequenceClassification".' }),
  inputs: texts.optional().meta({ description: 'Input formats, e.g. "string", "image".' }),
  outputs: texts.optional().meta({ description: 'Output formats.' }),
  intendedUse: texts.optional().meta({ description: 'Intended use cases (considerations.useCases).' }),
  users: texts.optional().meta({ description: 'Intended users (considerations.users).' }),
  limitations: texts
    .optional()
    .meta({ description: 'Known technical limitations (considerations.technicalLimitations).' }),
  performanceTradeoffs: texts.optional().meta({ description: 'Known accuracy/performance trade-offs.' }),
  ethicalConsiderations: z
    .array(riskSchema)
    .optional()
    .meta({ description: 'Ethical risks, each a name or {name, mitigation}.' }),
  fairnessAssessments: z.array(fairnessSchema).optional().meta({ description: 'Fairness assessments.' }),
  metrics: z
    .array(metricSchema)
    .optional()
    .meta({ description: 'Performance metrics (quantitativeAnalysis.performanceMetrics).' }),
});

/** The `bom` section of `bulwark.yaml`: identity and model card of the model an ML-BOM describes. */
export const bomConfigSchema = z
  .strictObject({
    name: text.optional().meta({ description: 'Model name (default: the folder or file name).' }),
    version: text.optional().meta({ description: 'Model version.' }),
    description: text.optional().meta({ description: 'What the model is.' }),
    license: text
      .optional()
      .meta({ description: 'SPDX licence id or expression, or a licence name (overrides README.md).' }),
    owners: z.array(ownerSchema).optional().meta({ description: 'Who is accountable for the model.' }),
    modelCard: modelCardConfigSchema.optional(),
  })
  .meta({ description: 'What `bulwark bom` writes into the ML-BOM beyond what the model files say.' });

/** A parsed `bom` section. */
export type BomConfig = z.output<typeof bomConfigSchema>;

/** A parsed `bom.modelCard` section. */
export type ModelCardConfig = z.output<typeof modelCardConfigSchema>;
