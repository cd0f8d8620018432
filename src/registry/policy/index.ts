export {
  attestationRequirementSchema,
  datasetRequirementSchema,
  DEFAULT_RELEASE_DECISIONS,
  durationSchema,
  fieldConditionSchema,
  releasePolicyEntrySchema,
  releasePolicySchema,
  scanRequirementSchema,
  signatureRequirementSchema,
} from './policy-schema.js';
export type {
  AttestationRequirement,
  DefaultReleaseDecision,
  ReleasePolicyEntry,
  ReleaseSettings,
} from './policy-schema.js';
export { ADMISSION_VERDICTS } from './release-facts.js';
export type {
  AdmissionFact,
  AdmissionVerdict,
  AttestationFact,
  LoadedKey,
  ProvenanceFact,
  ReleaseFacts,
  ReleaseModel,
  ScanFact,
  SignatureFact,
  TrustMaterial,
} from './release-facts.js';
export { selectReleasePolicy, trustMaterialOf } from './select-policy.js';
export type { SelectedPolicy } from './select-policy.js';
export { evaluateRelease } from './evaluate-policy.js';
export type { ReleaseDecision, RequirementId, RequirementResult } from './evaluate-policy.js';
export { CONDITION_OPS, evaluateCondition, jsonEqual } from './field-condition.js';
export type { ConditionOp, ConditionResult, FieldCondition } from './field-condition.js';
