import { readFully } from '../../core/scan/byte-sources.js';
import { OP, OPCODE_PROTOCOL, opcodeName } from './opcodes.js';
import {
  addToList,
  addToSet,
  build,
  extension,
  newObj,
  newObjEx,
  obj,
  persistentId,
  reduce,
  setItems,
  stackGlobal,
} from './pickle-vm-calls.js';
import { globalLine, lineOp, payload } from './pickle-vm-data.js';
import type { PickleSite } from './pickle-vm-recorder.js';
import { PickleBreak, PickleReader, invalid, LOOKAHEAD, READ_WINDOW, truncated } from './pickle-vm-reader.js';
import type { VmShared } from './pickle-vm-shared.js';
import { PickleStack, countReference } from './pickle-vm-stack.js';
import type { PickleSummary } from './pickle-vm-types.js';
import { FALSE, NONE, TRUE, intValue, type PickleValue } from './pickle-vm-values.js';

/**
 * One pickle's run of the symbolic unpickler: CPython's stack, mark stack and memo over symbolic
 * values. Nothing is imported or called; what would be is recorded in the shared recorder. Malformed
 * input ends the pickle with a status, never an exception (only an abort signal throws).
 */
export class PickleMachine extends PickleStack {
  readonly index: number;
  readonly start: number;
  /** The value STOP returned, once the pickle stopped. */
  result: PickleValue | undefined;
  /** Offset of the opcode being run. */
  at = 0;
  ops = 0;
  /** The protocol CPython's unpickler is at: the last PROTO value, 0 before any. */
  protocol = 0;
  private lowestProto = Infinity;
  private opProtocol = 0;

  constructor(
    shared: VmShared,
    readonly reader: PickleReader,
    readonly nested: boolean,
  ) {
    super(shared);
    this.index = shared.nextIndex++;
    this.start = reader.pos;
    this.at = reader.pos;
  }

  /** Runs the pickle to its STOP or its break and returns (and records) its summary. */
  async run(): Promise<PickleSummary> {
    const summary: PickleSummary = {
      index: this.index,
      start: this.start,
      end: this.start,
      protocol: 0,
      ops: 0,
      status: 'stop',
    };
    if (this.nested) summary.nested = true;
    this.shared.pickles.push(summary);
    try {
      await this.loop();
      summary.end = this.reader.pos;
    } catch (caught) {
      if (!(caught instanceof PickleBreak)) throw caught;
      summary.status = caught.status;
      summary.error = caught.message;
      summary.end = this.at;
    }
    summary.ops = this.ops;
    summary.protocol = this.lowestProto <= 5 ? this.lowestProto : this.opProtocol;
    return summary;
  }

  private async loop(): Promise<void> {
    const r = this.reader;
    const shared = this.shared;
    for (;;) {
      this.at = r.pos;
      if (r.pos >= r.jumpFrom) this.jump();
      if (r.ahead < LOOKAHEAD && !r.reachesEnd) await r.fill(READ_WINDOW);
      if (r.ahead <= 0) throw truncated();
      if (shared.ops >= shared.maxOps) {
        throw new PickleBreak('limit', `the opcode limit (${shared.maxOps}) was reached`);
      }
      if ((shared.ops & 0xffff) === 0xffff) shared.signal?.throwIfAborted();
      const op = r.buf[r.pos - r.base] ?? 0;
      r.pos++;
      if (op === OP.STOP) {
        this.result = this.pop();
        this.count(op);
        return;
      }
      const pending = this.step(op);
      if (pending !== undefined) await pending;
      this.count(op);
    }
  }

  private count(op: number): void {
    this.ops++;
    this.shared.ops++;
    const protocol = OPCODE_PROTOCOL[op] ?? 0;
    if (protocol > this.opProtocol) this.opProtocol = protocol;
  }

  /** The current opcode's offset and this pickle's index, for records and events. */
  site(): PickleSite {
    return { offset: this.at, pickleIndex: this.index };
  }

  /** Continues after array data joblib read from the end of the current frame. */
  private jump(): void {
    const r = this.reader;
    if (r.pos > r.jumpFrom) throw invalid('an opcode crosses the end of a protocol 4 frame');
    r.pos = r.jumpTo;
    r.jumpFrom = Infinity;
    this.at = r.pos;
  }

  private step(op: number): void | Promise<void> {
    const r = this.reader;
    switch (op) {
      case OP.MARK:
        return this.pushMark();
      case OP.POP:
        return this.popTop();
      case OP.POP_MARK:
        this.popMark();
        return;
      case OP.DUP:
        countReference(this.top());
        return this.push(this.top());
      case OP.FLOAT:
      case OP.INT:
      case OP.LONG:
      case OP.STRING:
      case OP.UNICODE:
      case OP.PERSID:
      case OP.GET:
      case OP.PUT:
        return lineOp(this, op);
      case OP.GLOBAL:
      case OP.INST:
        return globalLine(this, op);
      case OP.BININT:
        return this.push(intValue(r.i4()));
      case OP.BININT1:
        return this.push(intValue(r.u1()));
      case OP.BININT2:
        return this.push(intValue(r.u2()));
      case OP.NONE:
        return this.push(NONE);
      case OP.NEWTRUE:
        return this.push(TRUE);
      case OP.NEWFALSE:
        return this.push(FALSE);
      case OP.BINFLOAT:
        return this.push({ kind: 'float', value: r.f8() });
      case OP.BINSTRING: {
        const length = r.i4();
        if (length < 0) throw invalid('BINSTRING has a negative byte count');
        return payload(this, op, length);
      }
      case OP.LONG4: {
        const length = r.i4();
        if (length < 0) throw invalid('LONG4 has a negative byte count');
        return payload(this, op, length);
      }
      case OP.SHORT_BINSTRING:
      case OP.SHORT_BINBYTES:
      case OP.SHORT_BINUNICODE:
      case OP.LONG1:
        return payload(this, op, r.u1());
      case OP.BINUNICODE:
      case OP.BINBYTES:
        return payload(this, op, r.u4());
      case OP.BINUNICODE8:
      case OP.BINBYTES8:
      case OP.BYTEARRAY8:
        return payload(this, op, r.u8());
      case OP.BINPERSID:
        return persistentId(this, this.pop());
      case OP.REDUCE:
        return reduce(this);
      case OP.BUILD:
        return build(this);
      case OP.NEWOBJ:
        return newObj(this);
      case OP.NEWOBJ_EX:
        return newObjEx(this);
      case OP.OBJ:
        return obj(this, this.popMark());
      case OP.STACK_GLOBAL:
        return stackGlobal(this);
      case OP.EXT1:
        return extension(this, r.u1());
      case OP.EXT2:
        return extension(this, r.u2());
      case OP.EXT4:
        return extension(this, r.i4());
      case OP.EMPTY_TUPLE:
        return this.push(this.seq('tuple', []));
      case OP.TUPLE:
        return this.push(this.seq('tuple', this.popMark()));
      case OP.TUPLE1:
      case OP.TUPLE2:
      case OP.TUPLE3:
        return this.push(this.seq('tuple', this.popItems(op - OP.TUPLE1 + 1)));
      case OP.EMPTY_LIST:
        return this.push(this.seq('list', []));
      case OP.LIST:
        return this.push(this.seq('list', this.popMark()));
      case OP.APPEND: {
        const value = this.pop();
        return addToList(this, this.top(), [value]);
      }
      case OP.APPENDS: {
        const items = this.popMark();
        return addToList(this, this.top(), items);
      }
      case OP.EMPTY_DICT:
        return this.push(this.dict([]));
      case OP.DICT: {
        const items = this.popMark();
        if (items.length % 2 !== 0) throw invalid('odd number of items for DICT');
        return this.push(this.dict(items));
      }
      case OP.SETITEM: {
        const value = this.pop();
        const key = this.pop();
        return setItems(this, this.top(), [key, value]);
      }
      case OP.SETITEMS: {
        const items = this.popMark();
        if (items.length % 2 !== 0) throw invalid('odd number of items for SETITEMS');
        return setItems(this, this.top(), items);
      }
      case OP.EMPTY_SET:
        return this.push(this.seq('set', []));
      case OP.ADDITEMS: {
        const items = this.popMark();
        return addToSet(this, this.top(), items);
      }
      case OP.FROZENSET:
        return this.push(this.seq('frozenset', this.popMark()));
      case OP.BINGET:
        return this.push(this.memoGet(r.u1()));
      case OP.LONG_BINGET:
        return this.push(this.memoGet(r.u4()));
      case OP.BINPUT:
        return this.memoPut(r.u1(), this.top());
      case OP.LONG_BINPUT:
        return this.memoPut(r.u4(), this.top());
      case OP.MEMOIZE:
        return this.memoPut(this.memoCount, this.top());
      case OP.PROTO: {
        const protocol = r.u1();
        if (protocol > 5) throw invalid(`unsupported pickle protocol: ${protocol}`);
        if (protocol < this.lowestProto) this.lowestProto = protocol;
        this.protocol = protocol;
        return;
      }
      case OP.FRAME: {
        const length = r.u8();
        if (length > r.size - r.pos) throw truncated('the stream ends inside a frame');
        r.frameEnd = r.pos + length;
        return;
      }
      case OP.NEXT_BUFFER:
        return this.push({ kind: 'unknown', reason: 'out-of-band buffer' });
      case OP.READONLY_BUFFER:
        this.top();
        return;
      default:
        throw invalid(`unknown opcode ${opcodeName(op)}`);
    }
  }

  /**
   * Runs the pickle joblib loads with plain `pickle.load` from `offset` (an object array) as a nested
   * pickle with its own memo, and returns its summary.
   */
  async runNested(offset: number): Promise<PickleSummary> {
    const reader = new PickleReader(this.reader.source, offset);
    reader.share(this.reader);
    return new PickleMachine(this.shared, reader, true).run();
  }

  /** The byte at absolute `offset` (from the buffer when it is there). */
  async byteAt(offset: number): Promise<number> {
    const r = this.reader;
    if (offset >= r.base && offset < r.base + r.buf.length) return r.buf[offset - r.base] ?? 0;
    const bytes = await readFully(r.source, offset, 1);
    if (bytes.length === 0) throw truncated();
    return bytes[0] ?? 0;
  }
}
