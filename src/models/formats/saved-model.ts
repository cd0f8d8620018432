import type { Finding, Location } from '../../core/findings.js';
import { findingOf, type Rule } from '../../core/rules.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { ArtifactContext } from '../artifact.js';
import { checkKerasConfigText } from './keras-config-checks.js';
import {
  KERAS_CONFIG_MALFORMED,
  SAVED_MODEL_CHECKPOINT_OP,
  SAVED_MODEL_CODE_OP,
  SAVED_MODEL_FILE_OP,
  SAVED_MODEL_MALFORMED,
} from './onnx-tf-keras-rules.js';
import { ProtoReader, WIRE_TYPES, type ProtoMessage } from './protobuf-reader.js';
import {
  readMetaGraph,
  type KerasMetadataEntry,
  type TfMetaGraph,
  type TfNode,
} from './saved-model-graph.js';
import { classifyTfOp } from './saved-model-ops.js';
import { findSaverScope } from './saved-model-saver.js';

export { looksLikeSavedModel } from './saved-model-sniff.js';

const SAVED_MODEL = { metaGraphs: 2 } as const;
const SAVED_METADATA = { nodes: 1 } as const;
const KERAS_OBJECT = { nodePath: 3, identifier: 4, metadata: 5 } as const;
const MAX_OP_FINDINGS = 100;

interface OpUse {
  readonly rule: Rule;
  readonly op: string;
  readonly scope: string;
  readonly reason: string;
  readonly node: string;
  readonly offset: number;
  count: number;
}

/**
 * Scans a TensorFlow SavedModel (`saved_model.pb`) or its Keras metadata (`keras_metadata.pb`, told
 * apart by the first field): every op of every node in each meta graph and in every library function
 * is classified. Ops that run Python are critical; ops that touch files or the network are high;
 * checkpoint ops are expected inside the saver (see `findSaverScope`) and high anywhere else. Keras JSON
 * found in Keras metadata or object-graph user objects gets the Keras config checks. Tensors are skipped.
 */
export async function scanSavedModel(source: ByteSource, ctx: ArtifactContext): Promise<Finding[]> {
  const reader = new ProtoReader(source, { maxBytes: ctx.limits.maxMetadataBytes });
  const root = reader.root();
  const findings: Finding[] = [];
  let metaIndex = 0;
  for (let field = await root.next(); field; field = await root.next()) {
    ctx.signal?.throwIfAborted();
    if (field.wireType !== WIRE_TYPES.bytes) continue;
    const child = root.child(field);
    if (child === undefined) break;
    if (field.number === SAVED_MODEL.metaGraphs) {
      const graph = await readMetaGraph(child, ctx.limits.maxMetadataBytes);
      findings.push(...opFindings(graph, metaIndex++, ctx));
      for (const entry of graph.keras) findings.push(...kerasFindings(entry, ctx));
    } else if (field.number === SAVED_METADATA.nodes) {
      // Field 1 as bytes is SavedMetadata.nodes: in a SavedModel it is the varint schema version.
      const entry = await readKerasObject(child, ctx.limits.maxMetadataBytes);
      if (entry !== undefined) findings.push(...kerasFindings(entry, ctx));
    }
  }
  if (reader.problem !== undefined) {
    findings.push(
      findingOf(SAVED_MODEL_MALFORMED, {
        message: `SavedModel protobuf ${reader.problem.kind === 'limit' ? 'is over the limits' : 'is malformed'}: ${reader.problem.message}`,
        location: { ...ctx.location, offset: reader.problem.offset },
        evidence: { problem: reader.problem.message, kind: reader.problem.kind },
      }),
    );
  }
  return findings;
}

function opFindings(graph: TfMetaGraph, metaIndex: number, ctx: ArtifactContext): Finding[] {
  const saver = findSaverScope(graph);
  const uses = new Map<string, OpUse>();
  const record = (node: TfNode, scope: string, inSaver: boolean) => {
    // A call of a library function by op name; a function named like a risky op is still reported.
    const risk = classifyTfOp(node.op, node.attrs);
    if (risk === undefined || (risk.kind === 'checkpoint' && inSaver)) return;
    const rule =
      risk.kind === 'code'
        ? SAVED_MODEL_CODE_OP
        : risk.kind === 'file'
          ? SAVED_MODEL_FILE_OP
          : SAVED_MODEL_CHECKPOINT_OP;
    const key = `${rule.id}\0${node.op}\0${scope}\0${risk.reason}`;
    const known = uses.get(key);
    if (known !== undefined) known.count++;
    else
      uses.set(key, {
        rule,
        op: node.op,
        scope,
        reason: risk.reason,
        node: node.name,
        offset: node.offset,
        count: 1,
      });
  };
  for (const node of graph.nodes) record(node, 'graph', saver.nodes.has(node.name));
  for (const fn of [...graph.functions.values(), ...graph.shadowed]) {
    for (const node of fn.nodes) record(node, `function ${fn.name}`, saver.functions.has(fn.name));
  }
  return [...uses.values()].slice(0, MAX_OP_FINDINGS).map((use) =>
    findingOf(use.rule, {
      message:
        `op ${use.op} in ${use.scope} ${use.reason} (node "${use.node}"` +
        `${use.count > 1 ? ` and ${use.count - 1} more` : ''}${use.rule === SAVED_MODEL_CHECKPOINT_OP ? ', outside the saver' : ''})`,
      location: { ...ctx.location, offset: use.offset },
      evidence: {
        op: use.op,
        node: use.node,
        scope: use.scope,
        count: use.count,
        reason: use.reason,
        metaGraph: metaIndex,
        tags: graph.tags,
      },
    }),
  );
}

function kerasFindings(entry: KerasMetadataEntry, ctx: ArtifactContext): Finding[] {
  const location: Location = { ...ctx.location, offset: entry.offset };
  const source = `Keras metadata of ${entry.label}`;
  if (entry.json === undefined) {
    return [
      findingOf(KERAS_CONFIG_MALFORMED, {
        message: `${source} is over the metadata limit and was not checked`,
        location,
        evidence: { source },
      }),
    ];
  }
  return checkKerasConfigText(entry.json, { location, source });
}

/** Reads one keras_metadata.pb SavedObject (version 1, node_id 2, node_path 3, identifier 4, metadata 5). */
async function readKerasObject(
  object: ProtoMessage,
  maxJson: number,
): Promise<KerasMetadataEntry | undefined> {
  let path = '';
  let identifier = '';
  let metadata: { json: string | undefined; offset: number } | undefined;
  for (let field = await object.next(); field; field = await object.next()) {
    if (field.wireType !== WIRE_TYPES.bytes) continue;
    if (field.number === KERAS_OBJECT.nodePath) path = (await object.text(field, 4096)) ?? '';
    else if (field.number === KERAS_OBJECT.identifier) identifier = (await object.text(field, 4096)) ?? '';
    else if (field.number === KERAS_OBJECT.metadata && field.length > 0) {
      metadata = { json: await object.text(field, maxJson), offset: field.offset };
    }
  }
  if (metadata === undefined) return undefined;
  return { label: `${path || 'node'} (${identifier || 'no identifier'})`, ...metadata };
}
