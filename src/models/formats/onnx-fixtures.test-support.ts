/**
 * Deterministic ONNX ModelProto builders for tests, following onnx.proto field numbers, so fixtures are
 * real protobuf bytes that `onnx.load` would parse.
 */
import {
  bytesField,
  concat,
  messageField,
  stringEntry,
  varintField,
} from './protobuf-encoder.test-support.js';

/** TensorProto.DataType.FLOAT. */
export const FLOAT = 1;

/** An AttributeProto (AttributeType: 1 FLOAT … 5 GRAPH, 10 GRAPHS, 4 TENSOR, 2 INT). */
export function intAttribute(name: string, value: number): Uint8Array {
  return messageField(5, bytesField(1, name), varintField(3, value), varintField(20, 2));
}

/** An AttributeProto holding one subgraph (If/Loop/Scan bodies). */
export function graphAttribute(name: string, graph: Uint8Array): Uint8Array {
  return messageField(5, bytesField(1, name), bytesField(6, graph), varintField(20, 5));
}

/** An AttributeProto holding one tensor (Constant nodes). */
export function tensorAttribute(name: string, tensor: Uint8Array): Uint8Array {
  return messageField(5, bytesField(1, name), bytesField(5, tensor), varintField(20, 4));
}

/** A NodeProto. */
export function onnxNode(options: {
  op: string;
  inputs?: readonly string[];
  outputs?: readonly string[];
  name?: string;
  domain?: string;
  attributes?: readonly Uint8Array[];
}): Uint8Array {
  return concat(
    ...(options.inputs ?? []).map((input) => bytesField(1, input)),
    ...(options.outputs ?? []).map((output) => bytesField(2, output)),
    options.name === undefined ? new Uint8Array(0) : bytesField(3, options.name),
    bytesField(4, options.op),
    ...(options.attributes ?? []),
    options.domain === undefined ? new Uint8Array(0) : bytesField(7, options.domain),
  );
}

/** A TensorProto with float raw data, or with external data at `location` when given. */
export function onnxTensor(options: {
  name: string;
  dims: readonly number[];
  values?: readonly number[];
  location?: string;
  dataLocation?: number;
}): Uint8Array {
  const parts = [...options.dims.map((dim) => varintField(1, dim)), varintField(2, FLOAT)];
  parts.push(bytesField(8, options.name));
  if (options.location === undefined) {
    const raw = new Uint8Array((options.values ?? []).length * 4);
    const view = new DataView(raw.buffer);
    (options.values ?? []).forEach((value, i) => view.setFloat32(i * 4, value, true));
    parts.push(bytesField(9, raw));
  } else {
    parts.push(stringEntry(13, 'location', options.location));
    parts.push(stringEntry(13, 'offset', '0'));
    parts.push(stringEntry(13, 'length', String(4 * options.dims.reduce((a, b) => a * b, 1))));
  }
  const dataLocation = options.dataLocation ?? (options.location === undefined ? undefined : 1);
  if (dataLocation !== undefined) parts.push(varintField(14, dataLocation));
  return concat(...parts);
}

/** A ValueInfoProto for a float tensor of the given shape (strings are symbolic dimensions). */
export function valueInfo(name: string, shape: ReadonlyArray<number | string>): Uint8Array {
  const dims = shape.map((dim) =>
    messageField(1, typeof dim === 'number' ? varintField(1, dim) : bytesField(2, dim)),
  );
  const tensorType = messageField(1, varintField(1, FLOAT), messageField(2, ...dims));
  return concat(bytesField(1, name), messageField(2, tensorType));
}

/** A GraphProto. */
export function onnxGraph(options: {
  name: string;
  nodes: readonly Uint8Array[];
  initializers?: readonly Uint8Array[];
  inputs?: readonly Uint8Array[];
  outputs?: readonly Uint8Array[];
}): Uint8Array {
  return concat(
    ...options.nodes.map((node) => bytesField(1, node)),
    bytesField(2, options.name),
    ...(options.initializers ?? []).map((tensor) => bytesField(5, tensor)),
    ...(options.inputs ?? []).map((input) => bytesField(11, input)),
    ...(options.outputs ?? []).map((output) => bytesField(12, output)),
  );
}

/** A FunctionProto (model-local function). */
export function onnxFunction(options: {
  name: string;
  domain: string;
  nodes: readonly Uint8Array[];
  inputs: readonly string[];
  outputs: readonly string[];
}): Uint8Array {
  return concat(
    bytesField(1, options.name),
    ...options.inputs.map((input) => bytesField(4, input)),
    ...options.outputs.map((output) => bytesField(5, output)),
    ...options.nodes.map((node) => bytesField(7, node)),
    messageField(9, bytesField(1, ''), varintField(2, 17)),
    bytesField(10, options.domain),
  );
}

/** A ModelProto with opset imports (domain → version) and optional local functions. */
export function onnxModel(options: {
  graph: Uint8Array;
  opsets?: ReadonlyArray<readonly [string, number]>;
  functions?: readonly Uint8Array[];
  trainingInfo?: readonly Uint8Array[];
}): Uint8Array {
  const opsets = options.opsets ?? [['', 17]];
  return concat(
    varintField(1, 8),
    bytesField(2, 'pytorch'),
    bytesField(3, '2.3.0'),
    bytesField(7, options.graph),
    ...opsets.map(([domain, version]) => messageField(8, bytesField(1, domain), varintField(2, version))),
    ...(options.trainingInfo ?? []).map((info) => bytesField(20, info)),
    ...(options.functions ?? []).map((fn) => bytesField(25, fn)),
  );
}

/** A benign Conv → Relu model with a 8x3x3x3 weight initializer, as torch.onnx.export writes it. */
export function convReluModel(): Uint8Array {
  const weights = Array.from({ length: 8 * 3 * 3 * 3 }, (_, i) => Math.sin(i) / 10);
  const graph = onnxGraph({
    name: 'main_graph',
    nodes: [
      onnxNode({
        op: 'Conv',
        name: '/conv/Conv',
        inputs: ['input', 'conv.weight', 'conv.bias'],
        outputs: ['/conv/Conv_output_0'],
        attributes: [intAttribute('group', 1)],
      }),
      onnxNode({ op: 'Relu', name: '/relu/Relu', inputs: ['/conv/Conv_output_0'], outputs: ['output'] }),
    ],
    initializers: [
      onnxTensor({ name: 'conv.weight', dims: [8, 3, 3, 3], values: weights }),
      onnxTensor({ name: 'conv.bias', dims: [8], values: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7] }),
    ],
    inputs: [valueInfo('input', ['batch', 3, 32, 32])],
    outputs: [valueInfo('output', ['batch', 8, 30, 30])],
  });
  return onnxModel({ graph });
}
