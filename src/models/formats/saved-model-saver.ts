import { nodeNameOf, type TfMetaGraph, type TfNode } from './saved-model-graph.js';

/** The parts of a meta graph that belong to its checkpoint saver. */
export interface SaverScope {
  /** Main-graph nodes the SaverDef's save tensor and restore op depend on. */
  readonly nodes: ReadonlySet<string>;
  /** Library functions reachable only from those nodes (TF2 `__inference__traced_save/restore_*`). */
  readonly functions: ReadonlySet<string>;
}

/** The functions a node calls: its `func` attributes, and its op when the op names a library function. */
export function calledFunctions(node: TfNode, graph: TfMetaGraph): string[] {
  return graph.functions.has(node.op) ? [...node.functionRefs, node.op] : node.functionRefs;
}

/**
 * Finds the saver of a meta graph, where checkpoint ops are expected. The saver is what SaverDef names:
 * in TF1 the `save/…` subgraph that its save tensor and restore op depend on (walked through inputs,
 * control inputs included); in TF2 the `StatefulPartitionedCall` nodes those names point at and the
 * traced save/restore functions they call. A function also reachable from anything else (a serving
 * signature, another function, the object graph's concrete functions, which are every library function
 * not called by the saver) is not the saver's, so a payload cannot hide by also being called from it.
 */
export function findSaverScope(graph: TfMetaGraph): SaverScope {
  const saver = graph.saver;
  if (saver === undefined) return { nodes: new Set(), functions: new Set() };
  const byName = new Map<string, TfNode>();
  for (const node of graph.nodes) if (!byName.has(node.name)) byName.set(node.name, node);
  const nodes = new Set<string>();
  const queue = [saver.saveTensor, saver.restoreOp].filter((name) => byName.has(name));
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (nodes.has(name)) continue;
    nodes.add(name);
    for (const input of byName.get(name)?.inputs ?? []) {
      const source = nodeNameOf(input);
      if (byName.has(source) && !nodes.has(source)) queue.push(source);
    }
  }
  const saverRoots: string[] = [];
  const otherRoots: string[] = [];
  for (const node of graph.nodes)
    (nodes.has(node.name) ? saverRoots : otherRoots).push(...calledFunctions(node, graph));
  const saverReach = reachable(saverRoots, graph);
  for (const name of graph.functions.keys()) if (!saverReach.has(name)) otherRoots.push(name);
  const otherReach = reachable(otherRoots, graph);
  return { nodes, functions: new Set([...saverReach].filter((name) => !otherReach.has(name))) };
}

/** Library functions reachable from `roots` through calls. */
function reachable(roots: readonly string[], graph: TfMetaGraph): Set<string> {
  const seen = new Set<string>();
  const queue = roots.filter((name) => graph.functions.has(name));
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const node of graph.functions.get(name)?.nodes ?? []) {
      for (const callee of calledFunctions(node, graph)) {
        if (graph.functions.has(callee) && !seen.has(callee)) queue.push(callee);
      }
    }
  }
  return seen;
}
