import type { Finding } from '../../core/findings.js';
import { findingOf } from '../../core/rules.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { ArtifactContext } from '../artifact.js';
import { externalLocationProblem } from './onnx-external-data.js';
import { ONNX_CUSTOM_OPERATOR, ONNX_EXTERNAL_DATA_ESCAPE, ONNX_MALFORMED } from './onnx-tf-keras-rules.js';
import { ProtoReader, WIRE_TYPES, type ProtoField, type ProtoMessage } from './protobuf-reader.js';

/**
 * Operator domains implemented by ONNX itself and by ONNX Runtime's built-in kernels ('' is `ai.onnx`);
 * nodes in any other domain need a custom op library.
 */
export const STANDARD_ONNX_DOMAINS: ReadonlySet<string> = new Set([
  '',
  'ai.onnx',
  'ai.onnx.ml',
  'ai.onnx.training',
  'ai.onnx.preview',
  'ai.onnx.preview.training',
  'com.microsoft',
  'com.microsoft.nchwc',
  'com.microsoft.experimental',
  'com.microsoft.dml',
  'com.ms.internal.nhwc',
  'org.pytorch.aten',
]);

// onnx.proto field numbers.
const MODEL = { graph: 7, trainingInfo: 20, functions: 25 } as const;
const TRAINING_INFO = { initialization: 1, algorithm: 2 } as const;
const GRAPH = { node: 1, initializer: 5, sparseInitializer: 15 } as const;
const NODE = { name: 3, opType: 4, attribute: 5, domain: 7 } as const;
const ATTRIBUTE = {
  name: 1,
  t: 5,
  g: 6,
  tensors: 10,
  graphs: 11,
  sparseTensor: 22,
  sparseTensors: 23,
} as const;
const TENSOR = { name: 8, externalData: 13, dataLocation: 14 } as const;
const SPARSE_TENSOR = { values: 1, indices: 2 } as const;
const FUNCTION = { name: 1, node: 7, domain: 10 } as const;
const ENTRY = { key: 1, value: 2 } as const;
const DATA_LOCATION_EXTERNAL = 1;

const MAX_NAME = 4096;
const MAX_LOCATION = 64 * 1024;
const MAX_TRACKED = 10_000;
const MAX_LISTED = 20;

interface OperatorUse {
  readonly domain: string;
  readonly opType: string;
  count: number;
  readonly node: string;
  readonly graph: string;
  readonly offset: number;
}

interface ExternalUse {
  readonly reason: string;
  readonly tensors: string[];
  count: number;
  readonly offset: number;
}

interface OnnxFacts {
  readonly operators: Map<string, OperatorUse>;
  readonly functions: Set<string>;
  readonly external: Map<string, ExternalUse>;
  readonly missingLocations: Array<{ tensor: string; offset: number }>;
  readonly signal: AbortSignal | undefined;
  visited: number;
}

/**
 * Scans an ONNX ModelProto without reading its tensors: external data locations that leave the model
 * folder (high), operators from custom domains, in the main graph, subgraphs, training graphs and
 * model-local functions (medium), and a protobuf that does not parse within the limits (medium).
 */
export async function scanOnnx(source: ByteSource, ctx: ArtifactContext): Promise<Finding[]> {
  const reader = new ProtoReader(source, { maxBytes: ctx.limits.maxMetadataBytes });
  const facts: OnnxFacts = {
    operators: new Map(),
    functions: new Set(),
    external: new Map(),
    missingLocations: [],
    signal: ctx.signal,
    visited: 0,
  };
  await walkModel(reader.root(), facts);
  const at = (offset: number) => ({ ...ctx.location, offset });
  const findings: Finding[] = [];
  for (const [location, use] of facts.external) {
    findings.push(
      findingOf(ONNX_EXTERNAL_DATA_ESCAPE, {
        message: `tensor ${JSON.stringify(use.tensors[0] ?? '')} loads external data from ${JSON.stringify(location)} (${use.reason})`,
        location: at(use.offset),
        evidence: { location, reason: use.reason, tensors: use.tensors, tensorCount: use.count },
      }),
    );
  }
  for (const missing of facts.missingLocations.slice(0, MAX_LISTED)) {
    findings.push(
      findingOf(ONNX_MALFORMED, {
        message: `tensor ${JSON.stringify(missing.tensor)} declares external data without a location`,
        location: at(missing.offset),
        evidence: { tensor: missing.tensor },
      }),
    );
  }
  findings.push(...customOperatorFindings(facts, at));
  if (reader.problem !== undefined) {
    findings.push(
      findingOf(ONNX_MALFORMED, {
        message: `ONNX protobuf ${reader.problem.kind === 'limit' ? 'is over the limits' : 'is malformed'}: ${reader.problem.message}`,
        location: at(reader.problem.offset),
        evidence: { problem: reader.problem.message, kind: reader.problem.kind },
      }),
    );
  }
  return findings;
}

function customOperatorFindings(facts: OnnxFacts, at: (offset: number) => Finding['location']): Finding[] {
  const byDomain = new Map<string, OperatorUse[]>();
  for (const use of facts.operators.values()) {
    if (STANDARD_ONNX_DOMAINS.has(use.domain)) continue;
    if (facts.functions.has(functionKey(use.domain, use.opType))) continue;
    const uses = byDomain.get(use.domain) ?? [];
    uses.push(use);
    byDomain.set(use.domain, uses);
  }
  return [...byDomain].map(([domain, uses]) => {
    const first = uses.reduce((a, b) => (b.offset < a.offset ? b : a));
    const nodeCount = uses.reduce((sum, use) => sum + use.count, 0);
    const opTypes = uses.map((use) => use.opType).slice(0, MAX_LISTED);
    return findingOf(ONNX_CUSTOM_OPERATOR, {
      message:
        `${nodeCount} node(s) use custom operator domain ${JSON.stringify(domain)} (${opTypes.join(', ')}): ` +
        'custom operators need native code (a custom op library) to run',
      location: at(first.offset),
      evidence: { domain, opTypes, nodeCount, firstNode: first.node, graph: first.graph },
    });
  });
}

function functionKey(domain: string, name: string): string {
  return `${domain === 'ai.onnx' ? '' : domain}\0${name}`;
}

async function walkModel(model: ProtoMessage, facts: OnnxFacts): Promise<void> {
  for (let field = await model.next(); field; field = await model.next()) {
    if (field.wireType !== WIRE_TYPES.bytes) continue;
    const child = model.child(field);
    if (child === undefined) return;
    if (field.number === MODEL.graph) await walkGraph(child, 'graph', facts);
    else if (field.number === MODEL.trainingInfo) await walkTrainingInfo(child, facts);
    else if (field.number === MODEL.functions) await walkFunction(child, facts);
  }
}

async function walkTrainingInfo(info: ProtoMessage, facts: OnnxFacts): Promise<void> {
  for (let field = await info.next(); field; field = await info.next()) {
    const isGraph = field.number === TRAINING_INFO.initialization || field.number === TRAINING_INFO.algorithm;
    if (!isGraph || field.wireType !== WIRE_TYPES.bytes) continue;
    const child = info.child(field);
    if (child === undefined) return;
    await walkGraph(child, `training_info.${field.number === 1 ? 'initialization' : 'algorithm'}`, facts);
  }
}

async function walkFunction(fn: ProtoMessage, facts: OnnxFacts): Promise<void> {
  let name = '';
  let domain = '';
  const nodes: ProtoField[] = [];
  for (let field = await fn.next(); field; field = await fn.next()) {
    if (field.wireType !== WIRE_TYPES.bytes) continue;
    if (field.number === FUNCTION.name) name = (await fn.text(field, MAX_NAME)) ?? '';
    else if (field.number === FUNCTION.domain) domain = (await fn.text(field, MAX_NAME)) ?? '';
    else if (field.number === FUNCTION.node) nodes.push(field);
  }
  if (name !== '') facts.functions.add(functionKey(domain, name));
  for (const field of nodes) {
    const child = fn.child(field);
    if (child === undefined) return;
    await walkNode(child, `function ${domain}:${name}`, field.start, facts);
  }
}

async function walkGraph(graph: ProtoMessage, path: string, facts: OnnxFacts): Promise<void> {
  for (let field = await graph.next(); field; field = await graph.next()) {
    if (field.wireType !== WIRE_TYPES.bytes) continue;
    if (++facts.visited % 4096 === 0) facts.signal?.throwIfAborted();
    const kind = field.number;
    if (kind !== GRAPH.node && kind !== GRAPH.initializer && kind !== GRAPH.sparseInitializer) continue;
    const child = graph.child(field);
    if (child === undefined) return;
    if (kind === GRAPH.node) await walkNode(child, path, field.start, facts);
    else if (kind === GRAPH.initializer) await walkTensor(child, field.start, facts);
    else await walkSparseTensor(child, facts);
  }
}

async function walkNode(node: ProtoMessage, graph: string, offset: number, facts: OnnxFacts): Promise<void> {
  let name = '';
  let opType = '';
  let domain = '';
  for (let field = await node.next(); field; field = await node.next()) {
    if (field.wireType !== WIRE_TYPES.bytes) continue;
    if (field.number === NODE.name) name = (await node.text(field, MAX_NAME)) ?? '';
    else if (field.number === NODE.opType) opType = (await node.text(field, MAX_NAME)) ?? '';
    else if (field.number === NODE.domain) domain = (await node.text(field, MAX_NAME)) ?? '';
    else if (field.number === NODE.attribute) {
      const child = node.child(field);
      if (child === undefined) return;
      await walkAttribute(child, `${graph}/${name || opType || 'node'}`, facts);
    }
  }
  const key = `${domain}\0${opType}`;
  const known = facts.operators.get(key);
  if (known !== undefined) known.count++;
  else if (facts.operators.size < MAX_TRACKED) {
    facts.operators.set(key, { domain, opType, count: 1, node: name, graph, offset });
  }
}

async function walkAttribute(attribute: ProtoMessage, owner: string, facts: OnnxFacts): Promise<void> {
  let name = '';
  for (let field = await attribute.next(); field; field = await attribute.next()) {
    if (field.wireType !== WIRE_TYPES.bytes) continue;
    if (field.number === ATTRIBUTE.name) {
      name = (await attribute.text(field, MAX_NAME)) ?? '';
      continue;
    }
    const isTensor = field.number === ATTRIBUTE.t || field.number === ATTRIBUTE.tensors;
    const isGraph = field.number === ATTRIBUTE.g || field.number === ATTRIBUTE.graphs;
    const isSparse = field.number === ATTRIBUTE.sparseTensor || field.number === ATTRIBUTE.sparseTensors;
    if (!isTensor && !isGraph && !isSparse) continue;
    const child = attribute.child(field);
    if (child === undefined) return;
    if (isGraph) await walkGraph(child, `${owner}.${name || 'graph'}`, facts);
    else if (isTensor) await walkTensor(child, field.start, facts);
    else await walkSparseTensor(child, facts);
  }
}

async function walkSparseTensor(sparse: ProtoMessage, facts: OnnxFacts): Promise<void> {
  for (let field = await sparse.next(); field; field = await sparse.next()) {
    const isPart = field.number === SPARSE_TENSOR.values || field.number === SPARSE_TENSOR.indices;
    if (!isPart || field.wireType !== WIRE_TYPES.bytes) continue;
    const child = sparse.child(field);
    if (child === undefined) return;
    await walkTensor(child, field.start, facts);
  }
}

async function walkTensor(tensor: ProtoMessage, offset: number, facts: OnnxFacts): Promise<void> {
  let name = '';
  let external = false;
  const locations: ExternalLocation[] = [];
  for (let field = await tensor.next(); field; field = await tensor.next()) {
    if (field.number === TENSOR.dataLocation && field.wireType === WIRE_TYPES.varint) {
      external = field.value === DATA_LOCATION_EXTERNAL;
    } else if (field.wireType !== WIRE_TYPES.bytes) {
      continue;
    } else if (field.number === TENSOR.name) {
      name = (await tensor.text(field, MAX_NAME)) ?? '';
    } else if (field.number === TENSOR.externalData) {
      const child = tensor.child(field);
      if (child === undefined) return;
      const location = await locationOf(child);
      if (location !== undefined) locations.push(location);
    }
  }
  if (external && locations.length === 0) facts.missingLocations.push({ tensor: name, offset });
  // A location is checked even when data_location does not say EXTERNAL: no legitimate file carries an
  // escaping path, and lenient loaders differ on which field they trust.
  for (const location of locations) recordLocation(location, name, offset, facts);
}

interface ExternalLocation {
  readonly path: string;
  /** Set when the value was too long to read: the path is then a placeholder. */
  readonly tooLong?: number;
}

function recordLocation(location: ExternalLocation, tensor: string, offset: number, facts: OnnxFacts): void {
  const known = facts.external.get(location.path);
  if (known !== undefined) {
    known.count++;
    if (known.tensors.length < MAX_LISTED) known.tensors.push(tensor);
    return;
  }
  const reason =
    location.tooLong === undefined
      ? externalLocationProblem(location.path)
      : `a ${location.tooLong}-byte path, longer than any file name`;
  if (reason === undefined || facts.external.size >= MAX_LISTED * 5) return;
  facts.external.set(location.path, { reason, tensors: [tensor], count: 1, offset });
}

/** The `location` value of one external_data entry, if the entry is the location. */
async function locationOf(entry: ProtoMessage): Promise<ExternalLocation | undefined> {
  let key: string | undefined;
  let value: ExternalLocation | undefined;
  for (let field = await entry.next(); field; field = await entry.next()) {
    if (field.wireType !== WIRE_TYPES.bytes) continue;
    if (field.number === ENTRY.key) key = await entry.text(field, MAX_NAME);
    else if (field.number === ENTRY.value) {
      const text = await entry.text(field, MAX_LOCATION);
      value =
        text === undefined ? { path: `<${field.length} bytes>`, tooLong: field.length } : { path: text };
    }
  }
  return key === 'location' ? value : undefined;
}
