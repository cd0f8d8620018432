import type { FindingSink } from './check-context.js';
import { parseJsonTree, type JsonMember, type JsonNode } from './json-tree.js';
import { UNPARSABLE_MANIFEST } from './rules.js';

/** Parses a JSON manifest; a syntax error becomes one BW-DEP-013 finding at its position. */
export function parseJsonDocument(sink: FindingSink, text: string, what: string): JsonNode | undefined {
  const parsed = parseJsonTree(text);
  if (parsed.ok) return parsed.root;
  sink.add(UNPARSABLE_MANIFEST, {
    start: parsed.offset,
    end: parsed.offset + 1,
    message: `could not parse ${what}: ${parsed.message}`,
    evidence: { ...sink.lines.position(parsed.offset) },
  });
  return undefined;
}

/** The offsets of a member from its key to the end of its value, when both are on one line; else the key. */
export function memberSpan(sink: FindingSink, member: JsonMember): { start: number; end: number } {
  const keyLine = sink.lines.position(member.keyStart).line;
  const valueLine = sink.lines.position(member.value.end).line;
  return { start: member.keyStart, end: keyLine === valueLine ? member.value.end : member.keyEnd };
}

/** The offsets of a member's key (quotes included). */
export function keySpan(member: JsonMember): { start: number; end: number } {
  return { start: member.keyStart, end: member.keyEnd };
}

/** The members of an object node, or none. */
export function membersOf(node: JsonNode | undefined): readonly JsonMember[] {
  return node?.kind === 'object' ? node.members : [];
}
