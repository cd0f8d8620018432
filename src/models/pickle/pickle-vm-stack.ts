import { invalid, PickleBreak } from './pickle-vm-reader.js';
import { usesOf } from './pickle-vm-recorder.js';
import { CONTAINER_KEEP, HELD_BUDGET, MAX_MEMO, MAX_STACK, type VmShared } from './pickle-vm-shared.js';
import type { DictValue, PickleValue, SeqValue } from './pickle-vm-values.js';

const UNDERFLOW = 'stack underflow';

/**
 * The unpickler's data: CPython's object stack with its mark stack (marks are stack heights and the
 * top one is the fence below which nothing may be popped), the memo, and containers built within the
 * scan's memory budgets. Every violation ends the pickle the way CPython fails.
 */
export class PickleStack {
  readonly stack: PickleValue[] = [];
  private readonly marks: number[] = [];
  private fence = 0;
  // A plain array (sparse when indices are): much faster than a Map for the dense indices picklers write.
  private readonly memo: (PickleValue | undefined)[] = [];
  /** Entries in the memo: MEMOIZE stores at len(memo). */
  memoCount = 0;

  constructor(readonly shared: VmShared) {}

  /** MARK: opens a mark at the current height. */
  pushMark(): void {
    if (this.marks.length >= MAX_STACK) throw new PickleBreak('limit', 'too many open marks');
    this.marks.push(this.stack.length);
    this.fence = this.stack.length;
  }

  /** POP: drops the top value, or the top mark when nothing is above it. */
  popTop(): void {
    if (this.marks.length > 0 && this.marks[this.marks.length - 1] === this.stack.length) this.popMark();
    else this.pop();
  }

  /** Pushes a value, bounded by {@link MAX_STACK}. */
  push(value: PickleValue): void {
    if (this.stack.length >= MAX_STACK)
      throw new PickleBreak('limit', `the stack grew beyond ${MAX_STACK} items`);
    this.stack.push(value);
  }

  /** Pops the top value above the current mark (CPython's stack underflow otherwise). */
  pop(): PickleValue {
    if (this.stack.length <= this.fence) throw invalid(UNDERFLOW);
    return this.stack.pop() as PickleValue;
  }

  /** The top value above the current mark. */
  top(): PickleValue {
    if (this.stack.length <= this.fence) throw invalid(UNDERFLOW);
    return this.stack[this.stack.length - 1] as PickleValue;
  }

  /** Replaces the top value (joblib swaps its wrapper for the array it read). */
  replaceTop(value: PickleValue): void {
    this.stack[this.stack.length - 1] = value;
  }

  /** Pops the topmost mark and returns the values above it. */
  popMark(): PickleValue[] {
    const mark = this.marks.pop();
    if (mark === undefined) throw invalid('could not find MARK');
    this.fence = this.marks.length > 0 ? (this.marks[this.marks.length - 1] as number) : 0;
    return this.stack.splice(mark);
  }

  popItems(count: number): PickleValue[] {
    if (this.stack.length - count < this.fence) throw invalid(UNDERFLOW);
    return this.stack.splice(this.stack.length - count);
  }

  memoGet(index: number): PickleValue {
    const value = this.memo[index];
    if (value === undefined) throw invalid(`memo value not found at index ${index}`);
    countReference(value);
    return value;
  }

  /** Stores a value in the memo at `index` (PUT, BINPUT, LONG_BINPUT, MEMOIZE). */
  memoPut(index: number, value: PickleValue): void {
    if (index < 0) throw invalid('negative PUT argument');
    if (this.memo[index] === undefined) {
      if (this.memoCount >= MAX_MEMO) throw new PickleBreak('limit', `more than ${MAX_MEMO} memo entries`);
      this.memoCount++;
    }
    this.memo[index] = value;
  }

  /** Pushes the value stored in the memo at `index` (GET). */
  memoPush(index: number): void {
    this.push(this.memoGet(index));
  }

  /** Keeps at most {@link CONTAINER_KEEP} elements (and the scan's held budget) of a new container. */
  seq(kind: SeqValue['kind'], items: PickleValue[]): SeqValue {
    const count = items.length;
    const keep = this.keepable(count, 0);
    if (keep < count) items.length = keep;
    this.shared.held += keep;
    return { kind, items, count };
  }

  /** A dict from alternating keys and values. */
  dict(items: readonly PickleValue[]): DictValue {
    const value: DictValue = { kind: 'dict', keys: [], values: [], count: 0 };
    this.addEntries(value, items);
    return value;
  }

  /** Adds alternating keys and values to a dict, keeping what the budgets allow. */
  addEntries(dict: DictValue, items: readonly PickleValue[]): void {
    const pairs = items.length / 2;
    const keep = this.keepable(pairs, dict.keys.length);
    for (let i = 0; i < keep; i++) {
      dict.keys.push(items[2 * i] as PickleValue);
      dict.values.push(items[2 * i + 1] as PickleValue);
    }
    this.shared.held += 2 * keep;
    dict.count += pairs;
  }

  /** Adds values to a list or set, keeping what the budgets allow. */
  addItems(target: SeqValue, items: readonly PickleValue[]): void {
    const keep = this.keepable(items.length, target.items.length);
    for (let i = 0; i < keep; i++) target.items.push(items[i] as PickleValue);
    this.shared.held += keep;
    target.count += items.length;
  }

  private keepable(count: number, already: number): number {
    return Math.max(0, Math.min(count, CONTAINER_KEEP - already, HELD_BUDGET - this.shared.held));
  }
}

/** Counts one more push of a global (memo GET, DUP), so unused-but-named globals stay visible. */
export function countReference(value: PickleValue): void {
  if (value.kind === 'global') usesOf(value.record).references++;
}
