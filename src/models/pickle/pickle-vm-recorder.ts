import { PickleBreak } from './pickle-vm-reader.js';
import type { PickleCallOpcode, PickleEvent, PickleImport } from './pickle-vm-types.js';
import { describeCallee, describeValue, type PickleValue } from './pickle-vm-values.js';

/** Where something happens: the opcode's offset and the pickle it belongs to. */
export interface PickleSite {
  readonly offset: number;
  readonly pickleIndex: number;
}

/** Distinct (module, name, pickle) imports kept at most; beyond, the pickle ends as 'limit'. */
export const MAX_IMPORTS = 100_000;
/** Events kept at most; beyond, the pickle ends as 'limit' (persistent ids are only dropped). */
export const MAX_EVENTS = 100_000;
/** Persistent-id events kept at most: they are informational, so later ones are dropped. */
export const MAX_PERSISTENT_ID_EVENTS = 20_000;

/**
 * Collects what loading would import and call, across every pickle of a stream: one import record per
 * (module, name, pickle index), updated in place when the global is called, plus the other events.
 */
export class PickleRecorder {
  readonly imports: PickleImport[] = [];
  readonly events: PickleEvent[] = [];
  private readonly byKey = new Map<string, PickleImport>();
  private persistentIds = 0;

  /**
   * Records an import (once per pickle) and returns its record, which calls update. The record keeps
   * the lowest protocol the unpickler was at when importing it (what `fix_imports` depends on).
   */
  importGlobal(
    module: string,
    name: string,
    how: PickleSite & { readonly opcode: PickleImport['opcode']; readonly protocol: number },
  ): PickleImport {
    const key = `${how.pickleIndex}\n${module}\n${name}`;
    const known = this.byKey.get(key);
    if (known !== undefined) {
      if (how.protocol < (known.protocol ?? Infinity)) known.protocol = how.protocol;
      return known;
    }
    if (this.imports.length >= MAX_IMPORTS) {
      throw new PickleBreak('limit', `more than ${MAX_IMPORTS} distinct globals`);
    }
    const { opcode, offset, pickleIndex, protocol } = how;
    const record: PickleImport = {
      module,
      name,
      opcode,
      offset,
      pickleIndex,
      called: false,
      calls: 0,
      protocol,
    };
    this.byKey.set(key, record);
    this.imports.push(record);
    return record;
  }

  /**
   * Records that loading calls `callee` through `opcode`: a call of a global updates its import record,
   * a call of anything computed becomes an `indirectCall` event describing the chain.
   */
  recordCall(callee: PickleValue, opcode: PickleCallOpcode, site: PickleSite): void {
    const { offset, pickleIndex } = site;
    if (callee.kind === 'global') {
      const record = callee.record;
      if (!record.called) {
        record.called = true;
        record.callOpcode = opcode;
        record.callOffset = offset;
      }
      record.calls++;
      return;
    }
    this.event({ kind: 'indirectCall', offset, pickleIndex, opcode, description: describeCallee(callee) });
  }

  /** Records a persistent id handed to the loader (described only while such events are kept). */
  persistentId(pid: PickleValue, site: PickleSite): void {
    if (++this.persistentIds > MAX_PERSISTENT_ID_EVENTS) return;
    this.event({ kind: 'persistentId', ...site, summary: describeValue(pid) });
  }

  /** Adds an event; ends the pickle as 'limit' when there are too many. */
  event(event: PickleEvent): void {
    if (this.events.length >= MAX_EVENTS) throw new PickleBreak('limit', `more than ${MAX_EVENTS} events`);
    this.events.push(event);
  }

  /** How much has been recorded, to tell whether a failed pickle did anything at all. */
  get size(): number {
    return this.imports.length + this.events.length;
  }
}

/**
 * How a global was used: how many times the stream pushed it (its imports, memo GETs and DUPs) and how
 * many of those pushes were consumed as `getattr(<global>, '<identifier>')`, which the machine resolves
 * into the dotted global reached (classified on its own). Kept beside the records, not in them.
 */
export interface GlobalUses {
  references: number;
  attributeLookups: number;
}

const USES = new WeakMap<PickleImport, GlobalUses>();

/** The uses counted for an import record (zero when none were). */
export function usesOf(record: PickleImport): GlobalUses {
  let uses = USES.get(record);
  if (uses === undefined) {
    uses = { references: 0, attributeLookups: 0 };
    USES.set(record, uses);
  }
  return uses;
}
