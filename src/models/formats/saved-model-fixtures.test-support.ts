/**
 * Deterministic TensorFlow SavedModel and keras_metadata.pb builders for tests, following the field
 * numbers of saved_model.proto, meta_graph.proto, graph.proto, node_def.proto, function.proto,
 * attr_value.proto, saver.proto, saved_object_graph.proto and keras saved_metadata.proto.
 */
import {
  bytesField,
  concat,
  fixed32Field,
  messageField,
  varintField,
} from './protobuf-encoder.test-support.js';

/** TensorFlow DataType DT_FLOAT. */
export const DT_FLOAT = 1;
/** TensorFlow DataType DT_STRING. */
export const DT_STRING = 7;

/** An AttrValue holding a function (NameAttrList). */
export function funcAttr(name: string): Uint8Array {
  return messageField(10, bytesField(1, name));
}

/** An AttrValue holding a string. */
export function stringAttr(value: string): Uint8Array {
  return bytesField(2, value);
}

/** An AttrValue holding a list of strings. */
export function stringListAttr(values: readonly string[]): Uint8Array {
  return messageField(1, ...values.map((value) => bytesField(2, value)));
}

/** An AttrValue holding a dtype. */
export function typeAttr(dtype: number): Uint8Array {
  return varintField(6, dtype);
}

/** An AttrValue holding a float tensor (TensorProto dtype 1, shape 2, tensor_content 4). */
export function tensorAttr(values: readonly number[]): Uint8Array {
  const content = new Uint8Array(values.length * 4);
  values.forEach((value, i) => new DataView(content.buffer).setFloat32(i * 4, value, true));
  const shape = messageField(2, messageField(2, varintField(1, values.length)));
  return messageField(8, varintField(1, DT_FLOAT), shape, bytesField(4, content));
}

/** A NodeDef; `attrs` maps attribute names to encoded AttrValue fields. */
export function nodeDef(options: {
  name: string;
  op: string;
  inputs?: readonly string[];
  device?: string;
  attrs?: Readonly<Record<string, Uint8Array>>;
}): Uint8Array {
  return concat(
    bytesField(1, options.name),
    bytesField(2, options.op),
    ...(options.inputs ?? []).map((input) => bytesField(3, input)),
    options.device === undefined ? new Uint8Array(0) : bytesField(4, options.device),
    ...Object.entries(options.attrs ?? {}).map(([key, value]) =>
      messageField(5, bytesField(1, key), bytesField(2, value)),
    ),
  );
}

/** A FunctionDef with an OpDef signature and a `ret` map. */
export function functionDef(options: {
  name: string;
  inputs?: readonly string[];
  outputs?: readonly string[];
  nodes: readonly Uint8Array[];
}): Uint8Array {
  const arg = (name: string) => concat(bytesField(1, name), varintField(3, DT_FLOAT));
  const signature = concat(
    bytesField(1, options.name),
    ...(options.inputs ?? []).map((input) => messageField(2, arg(input))),
    ...(options.outputs ?? []).map((output) => messageField(3, arg(output))),
  );
  return concat(
    messageField(1, signature),
    ...options.nodes.map((node) => bytesField(3, node)),
    ...(options.outputs ?? []).map((output) =>
      messageField(4, bytesField(1, output), bytesField(2, `${output}:output:0`)),
    ),
  );
}

/** A GraphDef with a function library and versions. */
export function graphDef(nodes: readonly Uint8Array[], functions: readonly Uint8Array[] = []): Uint8Array {
  return concat(
    ...nodes.map((node) => bytesField(1, node)),
    functions.length === 0 ? new Uint8Array(0) : messageField(2, ...functions.map((fn) => bytesField(1, fn))),
    messageField(4, varintField(1, 1645), varintField(2, 12)),
  );
}

/** A SaverDef (V2 format). */
export function saverDef(filename: string, saveTensor: string, restoreOp: string): Uint8Array {
  return concat(
    bytesField(1, filename),
    bytesField(2, saveTensor),
    bytesField(3, restoreOp),
    varintField(4, 5),
    varintField(5, 1),
    fixed32Field(6, 0x47061c00),
    varintField(7, 2),
  );
}

/** A SavedObjectGraph with one SavedUserObject per Keras metadata string. */
export function objectGraph(
  userObjects: ReadonlyArray<{ identifier: string; metadata: string }>,
): Uint8Array {
  return concat(
    ...userObjects.map((object) =>
      messageField(
        1,
        messageField(
          4,
          bytesField(1, object.identifier),
          messageField(2, varintField(1, 1)),
          bytesField(3, object.metadata),
        ),
      ),
    ),
  );
}

/** A MetaGraphDef tagged `serve`, with a `serving_default` signature. */
export function metaGraph(options: {
  graph: Uint8Array;
  saver?: Uint8Array;
  objectGraph?: Uint8Array;
}): Uint8Array {
  const info = concat(
    bytesField(4, 'serve'),
    bytesField(5, '2.15.0'),
    bytesField(6, 'v2.15.0-rc1-8-g6887368d6d4'),
  );
  const tensorInfo = (name: string) => concat(bytesField(1, name), varintField(2, DT_FLOAT));
  const signature = concat(
    messageField(1, bytesField(1, 'x'), messageField(2, tensorInfo('serving_default_x:0'))),
    messageField(2, bytesField(1, 'output_0'), messageField(2, tensorInfo('StatefulPartitionedCall:0'))),
    bytesField(3, 'tensorflow/serving/predict'),
  );
  return concat(
    messageField(1, info),
    bytesField(2, options.graph),
    options.saver === undefined ? new Uint8Array(0) : bytesField(3, options.saver),
    messageField(5, bytesField(1, 'serving_default'), bytesField(2, signature)),
    options.objectGraph === undefined ? new Uint8Array(0) : bytesField(7, options.objectGraph),
  );
}

/** A SavedModel with schema version 1. */
export function savedModel(...metaGraphs: readonly Uint8Array[]): Uint8Array {
  return concat(varintField(1, 1), ...metaGraphs.map((meta) => bytesField(2, meta)));
}

const placeholder = (name: string, dtype: number) =>
  nodeDef({ name, op: 'Placeholder', attrs: { dtype: typeAttr(dtype) } });
const call = (name: string, f: string, inputs: readonly string[]) =>
  nodeDef({ name, op: 'StatefulPartitionedCall', inputs, attrs: { f: funcAttr(f) } });
const varHandle = (name: string) =>
  nodeDef({ name, op: 'VarHandleOp', attrs: { dtype: typeAttr(DT_FLOAT), shared_name: stringAttr(name) } });

/** The traced save function TF2 writes: sharded SaveV2 and MergeV2Checkpoints on `file_prefix`. */
export function tracedSave(name: string): Uint8Array {
  return functionDef({
    name,
    inputs: ['file_prefix', 'savev2_dense_kernel', 'savev2_dense_bias'],
    outputs: ['identity_1'],
    nodes: [
      nodeDef({
        name: 'StaticRegexFullMatch',
        op: 'StaticRegexFullMatch',
        inputs: ['file_prefix'],
        attrs: { pattern: stringAttr('^s3://.*') },
      }),
      nodeDef({ name: 'Const', op: 'Const', attrs: { dtype: typeAttr(DT_STRING) } }),
      nodeDef({
        name: 'Select',
        op: 'Select',
        inputs: ['StaticRegexFullMatch:output:0', 'Const:output:0', 'Const:output:0'],
      }),
      nodeDef({ name: 'StringJoin', op: 'StringJoin', inputs: ['file_prefix', 'Select:output:0'] }),
      nodeDef({ name: 'ShardedFilename', op: 'ShardedFilename', inputs: ['StringJoin:output:0'] }),
      nodeDef({
        name: 'SaveV2',
        op: 'SaveV2',
        inputs: ['ShardedFilename:filename:0', 'savev2_dense_kernel', 'savev2_dense_bias'],
      }),
      nodeDef({ name: 'MergeV2Checkpoints', op: 'MergeV2Checkpoints', inputs: ['file_prefix', '^SaveV2'] }),
      nodeDef({ name: 'Identity', op: 'Identity', inputs: ['file_prefix', '^MergeV2Checkpoints'] }),
      nodeDef({ name: 'NoOp', op: 'NoOp', inputs: ['^MergeV2Checkpoints'] }),
    ],
  });
}

/** The traced restore function TF2 writes: RestoreV2 then AssignVariableOp. */
export function tracedRestore(name: string): Uint8Array {
  return functionDef({
    name,
    inputs: ['file_prefix', 'assignvariableop_resource', 'assignvariableop_1_resource'],
    outputs: ['identity_2'],
    nodes: [
      nodeDef({ name: 'RestoreV2', op: 'RestoreV2', inputs: ['file_prefix'] }),
      nodeDef({ name: 'Identity', op: 'Identity', inputs: ['RestoreV2:tensors:0'] }),
      nodeDef({
        name: 'AssignVariableOp',
        op: 'AssignVariableOp',
        inputs: ['assignvariableop_resource', 'Identity:output:0'],
      }),
      nodeDef({ name: 'NoOp_1', op: 'NoOp', inputs: ['^AssignVariableOp'] }),
    ],
  });
}

/** A serving function computing relu(x @ kernel + bias), with extra nodes appended. */
export function serveFunction(name: string, extra: readonly Uint8Array[] = []): Uint8Array {
  return functionDef({
    name,
    inputs: ['x', 'matmul_readvariableop_resource', 'add_readvariableop_resource'],
    outputs: ['identity'],
    nodes: [
      nodeDef({
        name: 'MatMul/ReadVariableOp',
        op: 'ReadVariableOp',
        inputs: ['matmul_readvariableop_resource'],
      }),
      nodeDef({
        name: 'MatMul',
        op: 'MatMul',
        inputs: ['x', 'MatMul/ReadVariableOp:value:0'],
        attrs: { T: typeAttr(DT_FLOAT) },
      }),
      nodeDef({ name: 'Add/ReadVariableOp', op: 'ReadVariableOp', inputs: ['add_readvariableop_resource'] }),
      nodeDef({ name: 'Add', op: 'AddV2', inputs: ['MatMul:product:0', 'Add/ReadVariableOp:value:0'] }),
      nodeDef({ name: 'Relu', op: 'Relu', inputs: ['Add:z:0'] }),
      nodeDef({ name: 'Identity', op: 'Identity', inputs: ['Relu:activations:0'] }),
      ...extra,
    ],
  });
}

/**
 * A TF2 SavedModel as `tf.saved_model.save` writes it for a Dense model: variables, a serving call,
 * and the saver's save/restore calls named by SaverDef. `serveExtra` nodes go into the serving function;
 * `mainExtra` nodes into the main graph; `functions` are appended to the library.
 */
export function tf2SavedModel(
  options: {
    serveExtra?: readonly Uint8Array[];
    mainExtra?: readonly Uint8Array[];
    functions?: readonly Uint8Array[];
    signatureCalls?: string;
    objectGraph?: Uint8Array;
  } = {},
): Uint8Array {
  const nodes = [
    varHandle('dense/kernel'),
    varHandle('dense/bias'),
    placeholder('serving_default_x', DT_FLOAT),
    call('StatefulPartitionedCall', options.signatureCalls ?? '__inference_signature_wrapper_110', [
      'serving_default_x',
      'dense/kernel',
      'dense/bias',
    ]),
    placeholder('saver_filename', DT_STRING),
    call('StatefulPartitionedCall_1', '__inference__traced_save_205', [
      'saver_filename',
      'dense/kernel',
      'dense/bias',
    ]),
    call('StatefulPartitionedCall_2', '__inference__traced_restore_230', [
      'saver_filename',
      'dense/kernel',
      'dense/bias',
    ]),
    ...(options.mainExtra ?? []),
  ];
  const functions = [
    functionDef({
      name: '__inference_signature_wrapper_110',
      inputs: ['x', 'unknown', 'unknown_0'],
      outputs: ['identity'],
      nodes: [call('StatefulPartitionedCall', '__inference_serve_95', ['x', 'unknown', 'unknown_0'])],
    }),
    serveFunction('__inference_serve_95', options.serveExtra),
    tracedSave('__inference__traced_save_205'),
    tracedRestore('__inference__traced_restore_230'),
    ...(options.functions ?? []),
  ];
  return savedModel(
    metaGraph({
      graph: graphDef(nodes, functions),
      saver: saverDef('saver_filename:0', 'StatefulPartitionedCall_1:0', 'StatefulPartitionedCall_2'),
      ...(options.objectGraph === undefined ? {} : { objectGraph: options.objectGraph }),
    }),
  );
}

/** A TF1 SavedModel (Estimator/`simple_save` style) whose saver lives in the main graph under `save/`. */
export function tf1SavedModel(extra: readonly Uint8Array[] = []): Uint8Array {
  const nodes = [
    nodeDef({ name: 'x', op: 'Placeholder', attrs: { dtype: typeAttr(DT_FLOAT) } }),
    nodeDef({ name: 'w', op: 'VariableV2', attrs: { dtype: typeAttr(DT_FLOAT) } }),
    nodeDef({ name: 'w/initial_value', op: 'Const', attrs: { value: tensorAttr([0.5, -0.25]) } }),
    nodeDef({ name: 'w/Assign', op: 'Assign', inputs: ['w', 'w/initial_value'] }),
    nodeDef({ name: 'y', op: 'MatMul', inputs: ['x', 'w'] }),
    nodeDef({ name: 'save/Const', op: 'Const', attrs: { value: stringAttr('model') } }),
    nodeDef({ name: 'save/SaveV2/tensor_names', op: 'Const' }),
    nodeDef({ name: 'save/SaveV2/shape_and_slices', op: 'Const' }),
    nodeDef({
      name: 'save/SaveV2',
      op: 'SaveV2',
      inputs: ['save/Const', 'save/SaveV2/tensor_names', 'save/SaveV2/shape_and_slices', 'w'],
    }),
    nodeDef({ name: 'save/control_dependency', op: 'Identity', inputs: ['save/Const', '^save/SaveV2'] }),
    nodeDef({
      name: 'save/RestoreV2',
      op: 'RestoreV2',
      inputs: ['save/Const', 'save/SaveV2/tensor_names', 'save/SaveV2/shape_and_slices'],
    }),
    nodeDef({ name: 'save/Assign', op: 'Assign', inputs: ['w', 'save/RestoreV2'] }),
    nodeDef({ name: 'save/restore_all', op: 'NoOp', inputs: ['^save/Assign'] }),
    ...extra,
  ];
  return savedModel(
    metaGraph({
      graph: graphDef(nodes),
      saver: saverDef('save/Const:0', 'save/control_dependency:0', 'save/restore_all'),
    }),
  );
}

/** A keras_metadata.pb (SavedMetadata) with one SavedObject per (path, identifier, JSON) triple. */
export function kerasMetadataPb(
  objects: ReadonlyArray<{ path: string; identifier: string; metadata: string }>,
): Uint8Array {
  return concat(
    ...objects.map((object, i) =>
      messageField(
        1,
        messageField(1, varintField(1, 2), varintField(2, 1)),
        i === 0 ? new Uint8Array(0) : varintField(2, i),
        bytesField(3, object.path),
        bytesField(4, object.identifier),
        bytesField(5, object.metadata),
      ),
    ),
  );
}
