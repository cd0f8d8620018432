import { WIRE_TYPES, type ProtoField, type ProtoMessage } from './protobuf-reader.js';
import { DECISIVE_STRING_ATTRS } from './saved-model-ops.js';

/** One NodeDef: what the op checks and the saver analysis need, never its tensors. */
export interface TfNode {
  readonly name: string;
  readonly op: string;
  /** Input names (main graph only; function bodies do not need them). */
  readonly inputs: string[];
  /** Functions named by `func` attributes (PartitionedCall `f`, If/While branches, dataset `f`…). */
  readonly functionRefs: string[];
  /** The string attributes `classifyTfOp` decides on. */
  readonly attrs: Map<string, string[]>;
  readonly offset: number;
}

/** One FunctionDef of the graph's library. */
export interface TfFunction {
  readonly name: string;
  readonly nodes: TfNode[];
  readonly offset: number;
}

/** The names SaverDef gives to the saver's entry points (tensor names with `:N` and `^` stripped). */
export interface TfSaver {
  readonly filenameTensor: string;
  readonly saveTensor: string;
  readonly restoreOp: string;
}

/** A Keras JSON document found inside a SavedModel (SavedUserObject metadata). */
export interface KerasMetadataEntry {
  readonly label: string;
  /** The JSON text; undefined when it is longer than the metadata limit. */
  readonly json: string | undefined;
  readonly offset: number;
}

/** What one MetaGraphDef holds that the scanner checks. */
export interface TfMetaGraph {
  readonly tags: string[];
  readonly nodes: TfNode[];
  /** The library by name; a later definition of a name replaces an earlier one, as in TensorFlow. */
  readonly functions: Map<string, TfFunction>;
  /** Definitions replaced by a later one of the same name: never run, but still checked. */
  readonly shadowed: TfFunction[];
  saver: TfSaver | undefined;
  readonly keras: KerasMetadataEntry[];
}

// Field numbers from meta_graph.proto, graph.proto, node_def.proto, function.proto, attr_value.proto,
// saver.proto and saved_object_graph.proto.
const META_GRAPH = { metaInfo: 1, graph: 2, saver: 3, objectGraph: 7 } as const;
const META_INFO = { tags: 4 } as const;
const GRAPH = { node: 1, library: 2 } as const;
const LIBRARY = { function: 1 } as const;
const FUNCTION = { signature: 1, nodeDef: 3 } as const;
const OP_DEF = { name: 1 } as const;
const NODE = { name: 1, op: 2, input: 3, attr: 5 } as const;
const MAP_ENTRY = { key: 1, value: 2 } as const;
const ATTR_VALUE = { list: 1, s: 2, func: 10 } as const;
const LIST_VALUE = { s: 2, func: 9 } as const;
const NAME_ATTR_LIST = { name: 1, attr: 2 } as const;
const SAVER = { filename: 1, save: 2, restore: 3 } as const;
const OBJECT_GRAPH = { nodes: 1 } as const;
const SAVED_OBJECT = { userObject: 4 } as const;
const USER_OBJECT = { identifier: 1, metadata: 3 } as const;

const MAX_NAME = 64 * 1024;
const MAX_ATTR_TEXT = 4096;

/** Reads one MetaGraphDef; stops quietly when the reader records a problem. */
export async function readMetaGraph(meta: ProtoMessage, maxJson: number): Promise<TfMetaGraph> {
  const graph: TfMetaGraph = {
    tags: [],
    nodes: [],
    functions: new Map(),
    shadowed: [],
    saver: undefined,
    keras: [],
  };
  for (let field = await meta.next(); field; field = await meta.next()) {
    if (field.wireType !== WIRE_TYPES.bytes) continue;
    const child = meta.child(field);
    if (child === undefined) break;
    if (field.number === META_GRAPH.metaInfo) await readTags(child, graph.tags);
    else if (field.number === META_GRAPH.graph) await readGraphDef(child, graph);
    else if (field.number === META_GRAPH.saver) graph.saver = await readSaver(child);
    else if (field.number === META_GRAPH.objectGraph) await readObjectGraph(child, graph.keras, maxJson);
  }
  return graph;
}

async function readTags(info: ProtoMessage, tags: string[]): Promise<void> {
  for (let field = await info.next(); field; field = await info.next()) {
    if (field.number !== META_INFO.tags || field.wireType !== WIRE_TYPES.bytes) continue;
    const tag = await info.text(field, MAX_ATTR_TEXT);
    if (tag !== undefined && tags.length < 64) tags.push(tag);
  }
}

async function readGraphDef(def: ProtoMessage, graph: TfMetaGraph): Promise<void> {
  for (let field = await def.next(); field; field = await def.next()) {
    if (field.wireType !== WIRE_TYPES.bytes) continue;
    if (field.number !== GRAPH.node && field.number !== GRAPH.library) continue;
    const child = def.child(field);
    if (child === undefined) return;
    if (field.number === GRAPH.node) graph.nodes.push(await readNode(child, field.start, true));
    else await readLibrary(child, graph);
  }
}

/** Reads a FunctionDefLibrary; TensorFlow's FunctionLibraryDefinition keeps the last definition of a name. */
async function readLibrary(library: ProtoMessage, graph: TfMetaGraph): Promise<void> {
  for (let field = await library.next(); field; field = await library.next()) {
    if (field.number !== LIBRARY.function || field.wireType !== WIRE_TYPES.bytes) continue;
    const child = library.child(field);
    if (child === undefined) return;
    const fn = await readFunction(child, field.start);
    const earlier = graph.functions.get(fn.name);
    if (earlier !== undefined) graph.shadowed.push(earlier);
    graph.functions.set(fn.name, fn);
  }
}

async function readFunction(def: ProtoMessage, offset: number): Promise<TfFunction> {
  let name = '';
  const nodes: TfNode[] = [];
  for (let field = await def.next(); field; field = await def.next()) {
    if (field.wireType !== WIRE_TYPES.bytes) continue;
    if (field.number !== FUNCTION.signature && field.number !== FUNCTION.nodeDef) continue;
    const child = def.child(field);
    if (child === undefined) break;
    if (field.number === FUNCTION.nodeDef) nodes.push(await readNode(child, field.start, false));
    else name = await readOpDefName(child);
  }
  return { name, nodes, offset };
}

async function readOpDefName(opDef: ProtoMessage): Promise<string> {
  for (let field = await opDef.next(); field; field = await opDef.next()) {
    if (field.number === OP_DEF.name && field.wireType === WIRE_TYPES.bytes) {
      return (await opDef.text(field, MAX_NAME)) ?? '';
    }
  }
  return '';
}

/** Reads a NodeDef; `withInputs` keeps input names (needed for the main graph's saver analysis). */
export async function readNode(def: ProtoMessage, offset: number, withInputs: boolean): Promise<TfNode> {
  const node: TfNode = { name: '', op: '', inputs: [], functionRefs: [], attrs: new Map(), offset };
  let name = '';
  let op = '';
  for (let field = await def.next(); field; field = await def.next()) {
    if (field.wireType !== WIRE_TYPES.bytes) continue;
    if (field.number === NODE.name) name = (await def.text(field, MAX_NAME)) ?? '';
    else if (field.number === NODE.op) op = (await def.text(field, MAX_NAME)) ?? '';
    else if (field.number === NODE.input && withInputs) {
      const input = await def.text(field, MAX_NAME);
      if (input !== undefined) node.inputs.push(input);
    } else if (field.number === NODE.attr) {
      const entry = def.child(field);
      if (entry === undefined) break;
      await readAttrEntry(entry, node);
    }
  }
  return { ...node, name, op };
}

async function readAttrEntry(entry: ProtoMessage, node: TfNode): Promise<void> {
  let key = '';
  let value: ProtoField | undefined;
  for (let field = await entry.next(); field; field = await entry.next()) {
    if (field.wireType !== WIRE_TYPES.bytes) continue;
    if (field.number === MAP_ENTRY.key) key = (await entry.text(field, MAX_ATTR_TEXT)) ?? '';
    else if (field.number === MAP_ENTRY.value) value = field;
  }
  if (value === undefined) return;
  const child = entry.child(value);
  if (child !== undefined) await readAttrValue(child, key, node);
}

async function readAttrValue(value: ProtoMessage, key: string, node: TfNode): Promise<void> {
  for (let field = await value.next(); field; field = await value.next()) {
    if (field.wireType !== WIRE_TYPES.bytes) continue;
    if (field.number === ATTR_VALUE.s) await keepString(value, field, key, node);
    else if (field.number === ATTR_VALUE.func) {
      const child = value.child(field);
      if (child === undefined) return;
      await readNameAttrList(child, node);
    } else if (field.number === ATTR_VALUE.list) {
      const list = value.child(field);
      if (list === undefined) return;
      for (let item = await list.next(); item; item = await list.next()) {
        if (item.wireType !== WIRE_TYPES.bytes) continue;
        if (item.number === LIST_VALUE.s) await keepString(list, item, key, node);
        else if (item.number === LIST_VALUE.func) {
          const child = list.child(item);
          if (child === undefined) return;
          await readNameAttrList(child, node);
        }
      }
    }
  }
}

async function keepString(
  message: ProtoMessage,
  field: ProtoField,
  key: string,
  node: TfNode,
): Promise<void> {
  if (!DECISIVE_STRING_ATTRS.has(key)) return;
  const text = (await message.text(field, MAX_ATTR_TEXT)) ?? `<${field.length} bytes>`;
  const values = node.attrs.get(key) ?? [];
  if (values.length < 64) values.push(text);
  node.attrs.set(key, values);
}

async function readNameAttrList(list: ProtoMessage, node: TfNode): Promise<void> {
  for (let field = await list.next(); field; field = await list.next()) {
    if (field.wireType !== WIRE_TYPES.bytes) continue;
    if (field.number === NAME_ATTR_LIST.name) {
      const name = await list.text(field, MAX_NAME);
      if (name !== undefined && name !== '') node.functionRefs.push(name);
    } else if (field.number === NAME_ATTR_LIST.attr) {
      const entry = list.child(field);
      if (entry === undefined) return;
      await readAttrEntry(entry, node);
    }
  }
}

async function readSaver(def: ProtoMessage): Promise<TfSaver> {
  const names = ['', '', ''];
  for (let field = await def.next(); field; field = await def.next()) {
    if (field.wireType !== WIRE_TYPES.bytes) continue;
    if (field.number >= SAVER.filename && field.number <= SAVER.restore) {
      names[field.number - 1] = nodeNameOf((await def.text(field, MAX_NAME)) ?? '');
    }
  }
  return { filenameTensor: names[0] ?? '', saveTensor: names[1] ?? '', restoreOp: names[2] ?? '' };
}

/** The node a tensor or control input names: `^name` and `name:1` both mean node `name`. */
export function nodeNameOf(input: string): string {
  const bare = input.startsWith('^') ? input.slice(1) : input;
  const colon = bare.indexOf(':');
  return colon < 0 ? bare : bare.slice(0, colon);
}

async function readObjectGraph(
  graph: ProtoMessage,
  keras: KerasMetadataEntry[],
  maxJson: number,
): Promise<void> {
  let index = 0;
  for (let field = await graph.next(); field; field = await graph.next()) {
    if (field.number !== OBJECT_GRAPH.nodes || field.wireType !== WIRE_TYPES.bytes) continue;
    const object = graph.child(field);
    if (object === undefined) return;
    const node = index++;
    for (let part = await object.next(); part; part = await object.next()) {
      if (part.number !== SAVED_OBJECT.userObject || part.wireType !== WIRE_TYPES.bytes) continue;
      const user = object.child(part);
      if (user === undefined) return;
      const entry = await readUserObject(user, maxJson);
      if (entry !== undefined) keras.push({ ...entry, label: `object graph node ${node} (${entry.label})` });
    }
  }
}

async function readUserObject(user: ProtoMessage, maxJson: number): Promise<KerasMetadataEntry | undefined> {
  let identifier = '';
  let metadata: { json: string | undefined; offset: number } | undefined;
  for (let field = await user.next(); field; field = await user.next()) {
    if (field.wireType !== WIRE_TYPES.bytes) continue;
    if (field.number === USER_OBJECT.identifier) identifier = (await user.text(field, MAX_ATTR_TEXT)) ?? '';
    else if (field.number === USER_OBJECT.metadata && field.length > 0) {
      metadata = { json: await user.text(field, maxJson), offset: field.offset };
    }
  }
  if (metadata === undefined || !identifier.startsWith('_tf_keras')) return undefined;
  return { label: identifier, ...metadata };
}
