/** In-toto predicate types Bulwark writes and reads; one place, so producers and policies agree. */

/** A dataset admission: the scan verdict, counts per entity, labels and approver (control D5). */
export const DATASET_ADMISSION_PREDICATE = 'https://bulwark.dev/attestation/dataset-admission/v1';

/** Training provenance (control T1), written as SLSA Provenance v1 with ML resolved dependencies. */
export const TRAINING_PROVENANCE_PREDICATE = 'https://slsa.dev/provenance/v1';

/** A model scan summary: the scan id, counts per severity and the rules that fired (control R1). */
export const MODEL_SCAN_PREDICATE = 'https://bulwark.dev/attestation/model-scan/v1';
