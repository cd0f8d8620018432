/**
 * Tool calls arrive in a stream as fragments (`delta.tool_calls[]` with an `index`, the id and name
 * once, the arguments in pieces). Arguments can only be judged whole, so a streaming gateway holds
 * the fragments back, assembles each call, checks it, and only then sends the calls in one delta.
 */
import type { ToolCall } from './check-tool-calls.js';

/** One fragment of `delta.tool_calls`, as upstreams stream it. */
export interface ToolCallDelta {
  readonly index?: number;
  readonly id?: string;
  readonly type?: string;
  readonly function?: { readonly name?: string; readonly arguments?: string };
}

/** Collects the tool-call fragments of every choice of one stream. */
export interface ToolCallCollector {
  /** Adds the `delta.tool_calls` of one chunk of choice `choice`; anything not an array is ignored. */
  push(choice: number, deltas: unknown): void;
  /** The choices that received tool calls. */
  choices(): number[];
  /** The assembled calls of a choice, in index order. */
  calls(choice: number): ToolCall[];
}

/** Longest arguments assembled per call (1 Mi characters); more is cut and then fails validation. */
const MAX_ARGUMENTS = 1024 * 1024 + 1;

/** Creates an empty collector. */
export function createToolCallCollector(): ToolCallCollector {
  const byChoice = new Map<
    number,
    Map<number, { id: string; type: string; name: string; arguments: string }>
  >();
  return {
    push(choice, deltas) {
      if (!Array.isArray(deltas)) return;
      let calls = byChoice.get(choice);
      if (calls === undefined) {
        calls = new Map();
        byChoice.set(choice, calls);
      }
      for (const raw of deltas as ToolCallDelta[]) {
        if (typeof raw !== 'object' || raw === null) continue;
        const index = typeof raw.index === 'number' ? raw.index : calls.size;
        const call = calls.get(index) ?? { id: '', type: 'function', name: '', arguments: '' };
        if (typeof raw.id === 'string' && raw.id !== '') call.id = raw.id;
        if (typeof raw.type === 'string' && raw.type !== '') call.type = raw.type;
        const fn = raw.function;
        if (typeof fn?.name === 'string') call.name += fn.name;
        if (typeof fn?.arguments === 'string' && call.arguments.length < MAX_ARGUMENTS)
          call.arguments = (call.arguments + fn.arguments).slice(0, MAX_ARGUMENTS);
        calls.set(index, call);
      }
    },
    choices: () => [...byChoice.keys()].sort((a, b) => a - b),
    calls(choice) {
      const calls = byChoice.get(choice);
      if (calls === undefined) return [];
      return [...calls.entries()]
        .sort(([a], [b]) => a - b)
        .map(([index, c]) => ({
          id: c.id === '' ? `call_${index}` : c.id,
          type: c.type,
          function: { name: c.name, arguments: c.arguments },
        }));
    },
  };
}
