/**
 * The control catalogue of DESIGN.md. IDs are stable: rules, findings and docs refer to them, and each
 * control carries its mappings to OWASP Top 10 for LLM Applications 2025, MITRE ATLAS and NIST AI RMF.
 */
export const OWASP_LLM_2025 = {
  LLM01: 'Prompt Injection',
  LLM02: 'Sensitive Information Disclosure',
  LLM03: 'Supply Chain',
  LLM04: 'Data and Model Poisoning',
  LLM05: 'Improper Output Handling',
  LLM06: 'Excessive Agency',
  LLM07: 'System Prompt Leakage',
  LLM08: 'Vector and Embedding Weaknesses',
  LLM09: 'Misinformation',
  LLM10: 'Unbounded Consumption',
} as const;

export type OwaspLlmId = keyof typeof OWASP_LLM_2025;

/** MITRE ATLAS techniques referred to by Bulwark rules (id → name). */
export const ATLAS_TECHNIQUES = {
  'AML.T0010': 'AI Supply Chain Compromise',
  'AML.T0010.001': 'AI Supply Chain Compromise: AI Software',
  'AML.T0010.002': 'AI Supply Chain Compromise: Data',
  'AML.T0010.003': 'AI Supply Chain Compromise: Model',
  'AML.T0011': 'User Execution',
  'AML.T0011.000': 'User Execution: Unsafe AI Artifacts',
  'AML.T0018': 'Manipulate AI Model',
  'AML.T0018.002': 'Manipulate AI Model: Embed Malware',
  'AML.T0019': 'Publish Poisoned Datasets',
  'AML.T0020': 'Poison Training Data',
  'AML.T0024': 'Exfiltration via AI Inference API',
  'AML.T0025': 'Exfiltration via Cyber Means',
  'AML.T0029': 'Denial of AI Service',
  'AML.T0034': 'Cost Harvesting',
  'AML.T0040': 'AI Model Inference API Access',
  'AML.T0051': 'LLM Prompt Injection',
  'AML.T0051.000': 'LLM Prompt Injection: Direct',
  'AML.T0051.001': 'LLM Prompt Injection: Indirect',
  'AML.T0054': 'LLM Jailbreak',
  'AML.T0056': 'Extract LLM System Prompt',
  'AML.T0057': 'LLM Data Leakage',
  'AML.T0058': 'Publish Poisoned Models',
  'AML.T0070': 'RAG Poisoning',
} as const;

export type AtlasId = keyof typeof ATLAS_TECHNIQUES;

/** NIST AI RMF 1.0 functions; subcategories are written like `MEASURE 2.7`. */
export const NIST_AI_RMF_FUNCTIONS = ['GOVERN', 'MAP', 'MEASURE', 'MANAGE'] as const;

export type NistAiRmfRef = `${(typeof NIST_AI_RMF_FUNCTIONS)[number]} ${number}.${number}`;

/** Framework mappings carried by every control and rule (N1). */
export interface FrameworkMappings {
  readonly owaspLlm: readonly OwaspLlmId[];
  readonly atlas: readonly AtlasId[];
  readonly nistAiRmf: readonly NistAiRmfRef[];
}

export const STAGES = [
  'ingestion',
  'preparation',
  'training',
  'validation',
  'supply-chain',
  'runtime',
  'monitoring',
  'governance',
] as const;

export type Stage = (typeof STAGES)[number];

/** One control of the catalogue. */
export interface Control extends FrameworkMappings {
  readonly id: string;
  readonly stage: Stage;
  readonly title: string;
}

function control(
  id: string,
  stage: Stage,
  title: string,
  owaspLlm: readonly OwaspLlmId[],
  atlas: readonly AtlasId[],
  nistAiRmf: readonly NistAiRmfRef[],
): Control {
  return { id, stage, title, owaspLlm, atlas, nistAiRmf };
}

export const CONTROLS = [
  control(
    'D1',
    'ingestion',
    'Classify sensitive data',
    ['LLM02'],
    ['AML.T0057'],
    ['MAP 4.1', 'MEASURE 2.10'],
  ),
  control('D2', 'ingestion', 'Sensitivity labels', ['LLM02'], [], ['MAP 4.1', 'GOVERN 1.6']),
  control(
    'D3',
    'ingestion',
    'DLP redaction and blocking',
    ['LLM02'],
    ['AML.T0057'],
    ['MANAGE 2.2', 'MEASURE 2.10'],
  ),
  control(
    'D4',
    'ingestion',
    'Signed dataset manifest',
    ['LLM04'],
    ['AML.T0010.002'],
    ['MAP 4.1', 'MEASURE 2.7'],
  ),
  control(
    'D5',
    'ingestion',
    'Training admission gate',
    ['LLM04'],
    ['AML.T0020'],
    ['MANAGE 1.3', 'GOVERN 1.4'],
  ),
  control('D6', 'ingestion', 'Poisoning heuristics', ['LLM04'], ['AML.T0020', 'AML.T0019'], ['MEASURE 2.7']),
  control(
    'D7',
    'ingestion',
    'Safe ingestion of untrusted files',
    ['LLM03', 'LLM10'],
    ['AML.T0011.000'],
    ['MEASURE 2.7', 'MANAGE 2.4'],
  ),
  control('D8', 'ingestion', 'Lineage', ['LLM04'], [], ['MAP 4.1', 'GOVERN 1.6']),
  control('D9', 'ingestion', 'Continuous compliance', ['LLM02'], [], ['MANAGE 4.1', 'GOVERN 1.5']),
  control('P1', 'preparation', 'Versioned transformations', ['LLM04'], ['AML.T0020'], ['MAP 4.1']),
  control('P2', 'preparation', 'Split integrity', ['LLM04', 'LLM09'], [], ['MEASURE 2.3', 'MEASURE 2.5']),
  control('P3', 'preparation', 'Feature backdoors', ['LLM04'], ['AML.T0020'], ['MEASURE 2.7']),
  control(
    'P4',
    'preparation',
    'RAG pre-indexing checks',
    ['LLM01', 'LLM08'],
    ['AML.T0070', 'AML.T0051.001'],
    ['MEASURE 2.7'],
  ),
  control(
    'T1',
    'training',
    'Training-run provenance',
    ['LLM03', 'LLM04'],
    ['AML.T0010'],
    ['MAP 4.1', 'MEASURE 2.7'],
  ),
  control(
    'T2',
    'training',
    'Environment hygiene evidence',
    ['LLM02', 'LLM03'],
    ['AML.T0025'],
    ['GOVERN 6.1', 'MANAGE 2.4'],
  ),
  control(
    'T3',
    'training',
    'Base models verified and scanned',
    ['LLM03'],
    ['AML.T0010.003'],
    ['GOVERN 6.1', 'MEASURE 2.7'],
  ),
  control(
    'V1',
    'validation',
    'Red-team probes',
    ['LLM01', 'LLM02', 'LLM05', 'LLM06', 'LLM07', 'LLM10'],
    ['AML.T0051', 'AML.T0054', 'AML.T0056'],
    ['MEASURE 2.7', 'MEASURE 2.6'],
  ),
  control('V2', 'validation', 'Robustness of classic models', ['LLM09'], ['AML.T0018'], ['MEASURE 2.5']),
  control('V3', 'validation', 'Fairness and subgroup performance', ['LLM09'], [], ['MEASURE 2.11']),
  control('V4', 'validation', 'Release gates', ['LLM03'], [], ['MANAGE 1.1', 'GOVERN 1.4']),
  control(
    'R1',
    'supply-chain',
    'Model artifact scanning',
    ['LLM03', 'LLM04'],
    ['AML.T0011.000', 'AML.T0018.002', 'AML.T0010.003'],
    ['MEASURE 2.7', 'GOVERN 6.1'],
  ),
  control(
    'R2',
    'supply-chain',
    'Model signing (OMS)',
    ['LLM03'],
    ['AML.T0010.003', 'AML.T0058'],
    ['GOVERN 6.1', 'MEASURE 2.7'],
  ),
  control('R3', 'supply-chain', 'AI-BOM', ['LLM03'], ['AML.T0010'], ['GOVERN 6.1', 'MAP 4.1']),
  control(
    'R4',
    'supply-chain',
    'Dependency supply chain',
    ['LLM03'],
    ['AML.T0010.001'],
    ['GOVERN 6.1', 'MAP 4.2'],
  ),
  control(
    'R5',
    'supply-chain',
    'Registry with immutable versions',
    ['LLM03'],
    ['AML.T0058'],
    ['GOVERN 6.1', 'MANAGE 3.1'],
  ),
  control(
    'R6',
    'supply-chain',
    'No signature, no deploy',
    ['LLM03'],
    ['AML.T0010.003'],
    ['MANAGE 1.3', 'GOVERN 6.1'],
  ),
  control('R7', 'supply-chain', 'Encryption at rest', ['LLM02'], ['AML.T0025'], ['MANAGE 2.4']),
  control('G1', 'runtime', 'OpenAI-compatible proxy', [], ['AML.T0040'], ['MANAGE 2.2']),
  control(
    'G2',
    'runtime',
    'Authentication and authorization',
    ['LLM06', 'LLM10'],
    ['AML.T0040'],
    ['MANAGE 2.4'],
  ),
  control('G3', 'runtime', 'Rate limits and quotas', ['LLM10'], ['AML.T0029', 'AML.T0034'], ['MANAGE 2.4']),
  control(
    'G4',
    'runtime',
    'Prompt shields',
    ['LLM01'],
    ['AML.T0051', 'AML.T0054'],
    ['MEASURE 2.7', 'MANAGE 2.4'],
  ),
  control(
    'G5',
    'runtime',
    'Spotlighting and context segmentation',
    ['LLM01'],
    ['AML.T0051.001'],
    ['MANAGE 2.4'],
  ),
  control(
    'G6',
    'runtime',
    'Bidirectional DLP',
    ['LLM02'],
    ['AML.T0057', 'AML.T0024'],
    ['MEASURE 2.10', 'MANAGE 2.4'],
  ),
  control('G7', 'runtime', 'Output handling', ['LLM05'], ['AML.T0024'], ['MANAGE 2.4']),
  control(
    'G8',
    'runtime',
    'Tool and agent controls',
    ['LLM06'],
    ['AML.T0051.001'],
    ['MANAGE 2.4', 'GOVERN 3.2'],
  ),
  control(
    'G9',
    'runtime',
    'Extraction and abuse detection',
    ['LLM10'],
    ['AML.T0024', 'AML.T0034'],
    ['MEASURE 2.7'],
  ),
  control('G10', 'runtime', 'Error sanitization', ['LLM07'], [], ['MANAGE 2.4']),
  control('G11', 'runtime', 'Events, SIEM export and metrics', [], [], ['MEASURE 3.1', 'MANAGE 4.1']),
  control(
    'G12',
    'runtime',
    'Runtime enforcement of no signature, no deploy',
    ['LLM03'],
    ['AML.T0010.003'],
    ['MANAGE 1.3'],
  ),
  control('M1', 'monitoring', 'Data drift', ['LLM04', 'LLM09'], [], ['MEASURE 2.4', 'MANAGE 4.1']),
  control('M2', 'monitoring', 'Prediction drift and data quality', ['LLM09'], [], ['MEASURE 2.4']),
  control('M3', 'monitoring', 'Fairness drift', ['LLM09'], [], ['MEASURE 2.11', 'MANAGE 4.1']),
  control('M4', 'monitoring', 'Attack trends', ['LLM01'], ['AML.T0051', 'AML.T0054'], ['MEASURE 3.1']),
  control('M5', 'monitoring', 'Alerts and automated triggers', [], [], ['MANAGE 4.1', 'MANAGE 4.3']),
  control('M6', 'monitoring', 'Tamper-evident telemetry', [], [], ['GOVERN 1.5', 'MEASURE 3.1']),
  control('M7', 'monitoring', 'Cost abuse and bot detection', ['LLM10'], ['AML.T0034'], ['MEASURE 2.7']),
  control('M8', 'monitoring', 'Shadow deployment audit', ['LLM03'], [], ['GOVERN 1.6', 'MANAGE 3.1']),
  control('N1', 'governance', 'Framework mappings on every rule', [], [], ['GOVERN 1.1']),
  control('N2', 'governance', 'AI inventory', ['LLM03'], [], ['GOVERN 1.6', 'MAP 4.1']),
  control('N3', 'governance', 'Compliance report with evidence', [], [], ['GOVERN 1.5', 'MEASURE 3.1']),
  control('N4', 'governance', 'Automated responses', [], [], ['MANAGE 2.3', 'MANAGE 4.1']),
  control('N5', 'governance', 'Dashboard', [], [], ['GOVERN 1.5']),
] as const satisfies readonly Control[];

export type ControlId = (typeof CONTROLS)[number]['id'];

const BY_ID = new Map<string, Control>(CONTROLS.map((c) => [c.id, c]));

/** Returns the control with this id, or undefined. */
export function findControl(id: string): Control | undefined {
  return BY_ID.get(id);
}

/** Merges the framework mappings of several controls, deduplicated and sorted. */
export function mappingsOfControls(ids: readonly ControlId[]): FrameworkMappings {
  const owasp = new Set<OwaspLlmId>();
  const atlas = new Set<AtlasId>();
  const nist = new Set<NistAiRmfRef>();
  for (const id of ids) {
    const c = BY_ID.get(id);
    if (!c) continue;
    c.owaspLlm.forEach((x) => owasp.add(x));
    c.atlas.forEach((x) => atlas.add(x));
    c.nistAiRmf.forEach((x) => nist.add(x));
  }
  return { owaspLlm: [...owasp].sort(), atlas: [...atlas].sort(), nistAiRmf: [...nist].sort() };
}
