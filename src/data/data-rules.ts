import { defineRule, type Rule } from '../core/rules.js';
import { POISONING_RULES } from './poisoning/poisoning-rules.js';
import type { SensitiveCategory } from './types.js';

/** Personal data in a dataset, log or notebook (control D1, T2). */
export const PII_FOUND = defineRule({
  id: 'BW-DATA-001',
  name: 'personal-data',
  title: 'Personal data (PII) found',
  defaultSeverity: 'medium',
  controls: ['D1', 'D2', 'T2'],
  description:
    'A recognizer matched personal data (email address, phone number, national id, IP address, name or location in context) with a validator or supporting context. Personal data that enters training can be memorised and disclosed by the model.',
  remediation:
    'Redact the values before admission (`bulwark redact --operator mask|replace|hash|encrypt`), or label the dataset and keep it out of training if the data is needed as is.',
});

/** Health data (control D1). */
export const PHI_FOUND = defineRule({
  id: 'BW-DATA-002',
  name: 'health-data',
  title: 'Health data (PHI) found',
  defaultSeverity: 'high',
  controls: ['D1', 'D2', 'T2'],
  description:
    'A recognizer matched protected health information (medical record number, or a date of birth next to health context). Health data is restricted under HIPAA and GDPR article 9.',
  remediation:
    'Remove or pseudonymise the values before the data is admitted; restricted data needs an explicit approval to enter training.',
});

/** Financial data (control D1). */
export const FINANCIAL_FOUND = defineRule({
  id: 'BW-DATA-003',
  name: 'financial-data',
  title: 'Financial data found',
  defaultSeverity: 'high',
  controls: ['D1', 'D2', 'T2'],
  description:
    'A recognizer matched a payment card number (Luhn-valid) or an IBAN (mod-97-valid). Card data in a dataset brings it into PCI DSS scope.',
  remediation: 'Mask or tokenise the numbers before admission (`bulwark redact --operator mask`).',
});

/** A credential (control D1, T2). */
export const SECRET_FOUND = defineRule({
  id: 'BW-DATA-004',
  name: 'secret',
  title: 'Secret or credential found',
  defaultSeverity: 'high',
  controls: ['D1', 'T2'],
  description:
    'A recognizer matched a credential: a cloud or SaaS API key, a token, a private key, a connection string with a password, or a high-entropy value assigned to a key-like name. A secret in training data or a notebook output can be extracted from the model or the artifact.',
  remediation:
    'Revoke and rotate the credential first, then remove it from the data, notebook outputs and version history; keep secrets in a secret manager.',
});

/** The rule of each category. */
export const CATEGORY_RULES: Readonly<Record<SensitiveCategory, Rule>> = {
  pii: PII_FOUND,
  phi: PHI_FOUND,
  financial: FINANCIAL_FOUND,
  secret: SECRET_FOUND,
};

/** Every sensitive-data rule, for the catalogue. */
export const SENSITIVE_DATA_RULES: readonly Rule[] = [PII_FOUND, PHI_FOUND, FINANCIAL_FOUND, SECRET_FOUND];

/** Every rule of the data scanner: sensitive data (D1) and the poisoning and quality checks (D6, P2, P3). */
export const DATA_RULES: readonly Rule[] = [...SENSITIVE_DATA_RULES, ...POISONING_RULES];
