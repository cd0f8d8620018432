import { z } from 'zod';
import { RULE_ID_PATTERN } from '../../core/rules.js';
import { SEVERITIES } from '../../core/severity.js';
import { labelSettingsSchema } from '../labels.js';
import { SENSITIVE_CATEGORIES, SENSITIVITY_LABELS } from '../types.js';

/** `data.admission` in bulwark.yaml: what keeps a dataset out of training (control D5). */
export const admissionPolicySchema = z
  .strictObject({
    blockCategories: z
      .array(z.enum(SENSITIVE_CATEGORIES))
      .default(['secret'])
      .meta({ description: 'Sensitive data of these categories blocks admission (default: secrets).' }),
    blockEntities: z
      .array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, { error: 'expected an entity name such as US_SSN' }))
      .default([])
      .meta({ description: 'Sensitive data of these entity types blocks admission (e.g. US_SSN).' }),
    maxLabel: z
      .enum(SENSITIVITY_LABELS)
      .default('restricted')
      .meta({ description: 'Highest dataset label admitted; a dataset labelled above it is rejected.' }),
    failOn: z
      .enum([...SEVERITIES, 'none'])
      .default('high')
      .meta({
        description:
          'Any other finding (poisoning, malicious files, quality) at or above this severity blocks; none: never.',
      }),
    allowRules: z
      .array(z.string().regex(RULE_ID_PATTERN, { error: 'expected a rule id such as BW-DATA-104' }))
      .default([])
      .meta({ description: 'Rules whose findings never block (accepted risks); they are still counted.' }),
    requireApprover: z
      .boolean()
      .default(false)
      .meta({ description: 'Refuse to admit without --approver naming the person who approves.' }),
  })
  .meta({ description: 'What blocks the admission of a dataset (control D5).' });

/** Parsed `data.admission`. */
export type AdmissionPolicy = z.output<typeof admissionPolicySchema>;

/** The `data` section of bulwark.yaml: labels and admission. */
export const dataSettingsSchema = z
  .strictObject({
    labels: labelSettingsSchema.prefault({}),
    admission: admissionPolicySchema.prefault({}),
  })
  .meta({ description: 'Dataset labels and admission (docs/data-admission.md).' });

/** Parsed `data` section. */
export type DataSettings = z.output<typeof dataSettingsSchema>;
