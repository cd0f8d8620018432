import { evaluateCall } from './pickle-vm-eval.js';
import { isJoblibWrapperClass, joblibArrayLayout, type JoblibArrayLayout } from './pickle-vm-joblib.js';
import type { PickleMachine } from './pickle-vm-machine.js';
import { usesOf } from './pickle-vm-recorder.js';
import { PickleBreak, invalid, truncated } from './pickle-vm-reader.js';
import type { PickleImport } from './pickle-vm-types.js';
import {
  CONSTANT_KINDS,
  describeValue,
  isNeverCallable,
  type GlobalValue,
  type PickleValue,
} from './pickle-vm-values.js';

/** The constant kinds except `kinds`: values that certainly lack what an opcode needs of them. */
function constantsBut(...kinds: string[]): ReadonlySet<string> {
  return new Set(CONSTANT_KINDS.filter((kind) => !kinds.includes(kind)));
}

/** CPython calls need an argument tuple, NEWOBJ_EX keyword arguments a dict, STACK_GLOBAL exact strs. */
const NOT_TUPLE = constantsBut('tuple');
const NOT_DICT = constantsBut('dict');
const NOT_STR = constantsBut('str');
/** APPEND needs `append`/`extend`, SETITEM `__setitem__` (a list takes int keys), ADDITEMS `add`. */
const NO_APPEND = constantsBut('list');
const NO_SETITEM = constantsBut('dict', 'list');
const NO_ADD = constantsBut('set');
const UNHASHABLE = new Set(['list', 'dict', 'set']);

/** Calls whose result is an instance of their first argument, so BUILD runs that class's `__setstate__`. */
const RECONSTRUCTORS = new Set([
  'copyreg._reconstructor',
  'copy_reg._reconstructor',
  'copyreg.__newobj__',
  'copyreg.__newobj_ex__',
  'numpy.core.multiarray._reconstruct',
  'numpy._core.multiarray._reconstruct',
]);

/** Records an import at the current opcode and returns the global value to push. */
export function importGlobal(
  m: PickleMachine,
  module: string,
  name: string,
  opcode: PickleImport['opcode'],
): GlobalValue {
  const record = m.shared.recorder.importGlobal(module, name, { ...m.site(), opcode, protocol: m.protocol });
  usesOf(record).references++;
  return { kind: 'global', module, name, record };
}

/** STACK_GLOBAL: module and name come from the stack, so from anywhere (memo, calls, dotted strings). */
export function stackGlobal(m: PickleMachine): void {
  const name = m.pop();
  const module = m.pop();
  if (module.kind === 'str' && name.kind === 'str') {
    return m.push(
      importGlobal(m, shown(module.text, module.truncated), shown(name.text, name.truncated), 'STACK_GLOBAL'),
    );
  }
  if (NOT_STR.has(module.kind) || NOT_STR.has(name.kind)) throw invalid('STACK_GLOBAL requires str');
  const description = `module ${describeValue(module)}, name ${describeValue(name)}`;
  m.shared.recorder.event({ kind: 'dynamicImport', offset: m.at, pickleIndex: m.index, description });
  m.push({ kind: 'dynamicGlobal', description: `${operand(module)}.${operand(name)}` });
}

function shown(text: string, cut: boolean): string {
  return cut ? `${text}…` : text;
}

function operand(value: PickleValue): string {
  return value.kind === 'str' ? shown(value.text, value.truncated) : `(${describeValue(value)})`;
}

/** REDUCE: `callee(*args)`; a few byte-building calls are evaluated (see `evaluateCall`). */
export function reduce(m: PickleMachine): void | Promise<void> {
  const args = m.pop();
  const callee = m.pop();
  if (isNeverCallable(callee)) throw invalid(`REDUCE calls a ${callee.kind}, which is not callable`);
  if (NOT_TUPLE.has(args.kind)) throw invalid('REDUCE arguments are not a tuple');
  const attribute = attributeLookup(callee, args);
  if (attribute !== undefined) {
    // `getattr(cls, 'name')` is how CPython pickles bound class methods (`ZoneInfo._unpickle`): judge
    // the dotted global it reaches, as protocol 4 would have written it, rather than getattr itself.
    const [getattr, owner, name] = attribute;
    usesOf(getattr.record).attributeLookups++;
    return m.push(importGlobal(m, owner.module, `${owner.name}.${name}`, 'STACK_GLOBAL'));
  }
  m.shared.recorder.recordCall(callee, 'REDUCE', m.site());
  if (callee.kind === 'global') {
    const evaluated = evaluateCall(callee, args, { shared: m.shared, offset: m.at, pickleIndex: m.index });
    if (evaluated instanceof Promise) return evaluated.then((value) => m.push(value));
    if (evaluated !== undefined) return m.push(evaluated);
  }
  m.push({ kind: 'call', callee, args });
}

const ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The owner and attribute of `getattr(<global>, '<name>')` with a plain identifier that is not a special
 * name, or undefined for any other call. Special names and computed owners stay calls of getattr.
 */
function attributeLookup(
  callee: PickleValue,
  args: PickleValue,
): [getattr: GlobalValue, owner: GlobalValue, name: string] | undefined {
  if (callee.kind !== 'global' || callee.name !== 'getattr') return undefined;
  if (callee.module !== 'builtins' && callee.module !== '__builtin__') return undefined;
  if (args.kind !== 'tuple' || args.count !== 2 || args.items.length !== 2) return undefined;
  const [owner, name] = args.items;
  if (owner?.kind !== 'global' || name?.kind !== 'str' || name.truncated) return undefined;
  if (!ATTRIBUTE_NAME.test(name.text) || name.text.startsWith('__')) return undefined;
  return [callee, owner, name.text];
}

/** NEWOBJ: `cls.__new__(cls, *args)`. */
export function newObj(m: PickleMachine): void {
  const args = m.pop();
  if (NOT_TUPLE.has(args.kind)) throw invalid('NEWOBJ expected an arg tuple');
  const cls = m.pop();
  if (isNeverCallable(cls)) throw invalid("NEWOBJ class argument isn't a type object");
  m.shared.recorder.recordCall(cls, 'NEWOBJ', m.site());
  m.push({ kind: 'object', cls, args, initialized: false });
}

/** NEWOBJ_EX: `cls.__new__(cls, *args, **kwargs)`. */
export function newObjEx(m: PickleMachine): void {
  const kwargs = m.pop();
  const args = m.pop();
  const cls = m.pop();
  if (isNeverCallable(cls)) throw invalid('NEWOBJ_EX class argument must be a type');
  if (NOT_TUPLE.has(args.kind)) throw invalid('NEWOBJ_EX args argument must be a tuple');
  if (NOT_DICT.has(kwargs.kind)) throw invalid('NEWOBJ_EX kwargs argument must be a dict');
  m.shared.recorder.recordCall(cls, 'NEWOBJ_EX', m.site());
  m.push({ kind: 'object', cls, args, kwargs, initialized: false });
}

/** OBJ: the class and its arguments above the mark; `cls(*args)` (only `__new__` without arguments). */
export function obj(m: PickleMachine, items: PickleValue[]): void {
  const cls = items.shift();
  if (cls === undefined) throw invalid('stack underflow');
  if (isNeverCallable(cls)) throw invalid(`OBJ calls a ${cls.kind}, which is not callable`);
  const args = m.seq('tuple', items);
  m.shared.recorder.recordCall(cls, 'OBJ', m.site());
  m.push({ kind: 'object', cls, args, initialized: args.count > 0 });
}

/** INST: a global class called with the values above the mark. */
export function inst(m: PickleMachine, cls: GlobalValue, items: PickleValue[]): void {
  const args = m.seq('tuple', items);
  m.shared.recorder.recordCall(cls, 'INST', m.site());
  m.push({ kind: 'object', cls, args, initialized: args.count > 0 });
}

/**
 * BUILD: sets the state of the object below it, through its class's `__setstate__` when it has one
 * (reported as a BUILD call of a global class). joblib reads an array right after its wrapper's BUILD.
 */
export function build(m: PickleMachine): void | Promise<void> {
  const state = m.pop();
  const target = m.top();
  if (target.kind === 'global') {
    // BUILD on a class or function itself sets attributes on it for the whole process (monkeypatching a
    // library); ordinary pickles only ever BUILD the instances they just created.
    const description = `setattr on the global ${target.module}.${target.name} itself, patching it for every later use`;
    m.shared.recorder.event({ kind: 'indirectCall', ...m.site(), opcode: 'BUILD', description });
    return;
  }
  const cls = classOf(target);
  if (cls?.kind === 'global') m.shared.recorder.recordCall(cls, 'BUILD', m.site());
  if (target.kind === 'object' || target.kind === 'call') target.state = state;
  if (m.nested || !isJoblibWrapperClass(cls)) return;
  const layout = joblibArrayLayout(target);
  if (layout.kind === 'error') throw invalid(layout.error);
  return readJoblibArray(m, layout);
}

/** The class of an instance, when the stream says which it is. */
function classOf(value: PickleValue): PickleValue | undefined {
  if (value.kind === 'object') return value.cls;
  if (value.kind !== 'call' || value.callee.kind !== 'global') return undefined;
  if (!RECONSTRUCTORS.has(`${value.callee.module}.${value.callee.name}`)) return value.callee;
  return value.args.kind === 'tuple' ? value.args.items[0] : undefined;
}

/**
 * Moves over the array joblib reads from the file after a wrapper's BUILD: at the cursor, or at the end
 * of the current frame (joblib reads the file, which the unframer has read up to the frame's end).
 */
async function readJoblibArray(
  m: PickleMachine,
  layout: Exclude<JoblibArrayLayout, { kind: 'error' }>,
): Promise<void> {
  const r = m.reader;
  const inFrame = r.pos < r.frameEnd;
  const start = !inFrame ? r.pos : r.jumpFrom === r.frameEnd ? r.jumpTo : r.frameEnd;
  let end: number;
  if (layout.kind === 'pickle') {
    const nested = await m.runNested(start);
    if (nested.status !== 'stop') {
      const message = `the object array pickle joblib reads at offset ${start} ended as ${nested.status}`;
      throw new PickleBreak(nested.status, message);
    }
    end = nested.end;
  } else {
    let at = start;
    if (layout.padded) {
      if (at >= r.size) throw truncated('the stream ends before a joblib array');
      at += 1 + (await m.byteAt(at));
    }
    if (BigInt(at) + layout.bytes > BigInt(r.size)) throw truncated('the stream ends inside a joblib array');
    end = at + Number(layout.bytes);
  }
  m.shared.joblibArrays++;
  if (inFrame) {
    r.jumpFrom = r.frameEnd;
    r.jumpTo = end;
  } else r.pos = end;
  m.replaceTop({ kind: 'unknown', reason: 'array read by joblib' });
}

/** BINPERSID and PERSID: the loader's `persistent_load(pid)` builds the object. */
export function persistentId(m: PickleMachine, pid: PickleValue): void {
  m.shared.recorder.persistentId(pid, m.site());
  m.push({ kind: 'persid', pid });
}

/** EXT1, EXT2, EXT4: a global looked up in copyreg's extension registry. */
export function extension(m: PickleMachine, code: number): void {
  if (code <= 0) throw invalid('EXT specifies code <= 0');
  m.shared.recorder.event({ kind: 'extension', offset: m.at, pickleIndex: m.index, code });
  m.push({ kind: 'ext', code });
}

/** APPEND, APPENDS: `list.extend(items)` (other objects' own `append` is not modelled). */
export function addToList(m: PickleMachine, target: PickleValue, items: PickleValue[]): void {
  if (items.length === 0) return;
  if (target.kind === 'list') return m.addItems(target, items);
  if (NO_APPEND.has(target.kind)) throw invalid(`APPEND to a ${target.kind}`);
}

/** SETITEM, SETITEMS: `target[key] = value` for alternating keys and values. */
export function setItems(m: PickleMachine, target: PickleValue, items: PickleValue[]): void {
  if (items.length === 0) return;
  if (NO_SETITEM.has(target.kind)) throw invalid(`SETITEM on a ${target.kind}`);
  if (target.kind !== 'dict') return;
  for (let i = 0; i < items.length; i += 2) {
    if (UNHASHABLE.has(items[i]?.kind ?? '')) throw invalid(`unhashable ${items[i]?.kind} key`);
  }
  m.addEntries(target, items);
}

/** ADDITEMS: `set.add(item)` for each item. */
export function addToSet(m: PickleMachine, target: PickleValue, items: PickleValue[]): void {
  if (items.length === 0) return;
  if (NO_ADD.has(target.kind)) throw invalid(`ADDITEMS on a ${target.kind}`);
  if (target.kind !== 'set') return;
  if (items.some((item) => UNHASHABLE.has(item.kind))) throw invalid('unhashable set item');
  m.addItems(target, items);
}
