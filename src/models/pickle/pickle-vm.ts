import type { ByteSource } from '../../core/scan/types.js';
import { PickleMachine } from './pickle-vm-machine.js';
import { PickleReader } from './pickle-vm-reader.js';
import { createVmShared, type VmShared } from './pickle-vm-shared.js';
import type { PickleVmOptions, PickleVmResult } from './pickle-vm-types.js';
import { bigintOf, type PickleValue } from './pickle-vm-values.js';

/** The result types of the symbolic machine (see `pickle-vm-types.ts`). */
export type {
  PickleCallOpcode,
  PickleEvent,
  PickleImport,
  PickleStatus,
  PickleSummary,
  PickleVmOptions,
  PickleVmResult,
} from './pickle-vm-types.js';

/** Opcodes run at most over a stream unless `maxOps` says otherwise. */
export const DEFAULT_MAX_PICKLE_OPS = 20_000_000;
/** Pickles read at most from a stream unless `maxPickles` says otherwise. */
export const DEFAULT_MAX_PICKLES = 1000;

/** The first pickle of PyTorch's legacy (pre-zip) stream format is this integer. */
const TORCH_LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
/** magic, protocol version, sys_info, the object, the storage keys; raw storage bytes follow. */
const TORCH_LEGACY_PICKLES = 5;

/**
 * Runs a symbolic model of CPython's `pickle.Unpickler` over every pickle of a stream and reports each
 * callable that loading would import or call, computed imports and calls, extension codes, persistent
 * ids and byte strings that may be nested pickles. Nothing is ever imported or executed; malformed or
 * hostile input ends a pickle with a status and everything found before the break is kept.
 *
 * After a pickle stops, the next one is read from the following byte until the stream ends or a
 * pickle breaks; bytes that do not even start a pickle after a good one are reported as `trailing`.
 * PyTorch's legacy format (five pickles, then raw storages) and joblib's arrays interleaved with the
 * pickle are followed the way their loaders read them.
 */
export async function runPickleVm(
  source: ByteSource,
  options: PickleVmOptions = {},
): Promise<PickleVmResult> {
  options.signal?.throwIfAborted();
  const shared = createVmShared(source, {
    maxOps: options.maxOps ?? DEFAULT_MAX_PICKLE_OPS,
    signal: options.signal,
  });
  const recorder = shared.recorder;
  const maxPickles = options.maxPickles ?? DEFAULT_MAX_PICKLES;
  const result: PickleVmResult = {
    imports: recorder.imports,
    events: recorder.events,
    pickles: shared.pickles,
    joblibArrays: 0,
  };
  const reader = new PickleReader(source, Math.max(0, Math.min(options.offset ?? 0, source.size)));
  let good = 0;
  let torchLegacy = false;
  while (good === 0 || reader.pos < source.size) {
    if (good >= maxPickles) {
      shared.pickles.push(limitSummary(shared, reader.pos, `more than ${maxPickles} pickles in the stream`));
      break;
    }
    const before = { recorded: recorder.size, pickles: shared.pickles.length, index: shared.nextIndex };
    const machine = new PickleMachine(shared, reader, false);
    const summary = await machine.run();
    if (summary.status !== 'stop') {
      const brokeAtOnce =
        summary.status !== 'limit' && summary.ops === 0 && recorder.size === before.recorded;
      if (good > 0 && brokeAtOnce && shared.pickles.length === before.pickles + 1) {
        shared.pickles.length = before.pickles;
        shared.nextIndex = before.index;
        result.trailing = { offset: summary.start, length: source.size - summary.start };
      }
      break;
    }
    good++;
    if (good === 1 && isTorchLegacyMagic(machine.result)) torchLegacy = true;
    if (torchLegacy && good === TORCH_LEGACY_PICKLES) {
      if (reader.pos < source.size) {
        result.rawTail = {
          offset: reader.pos,
          length: source.size - reader.pos,
          reason: 'torch-legacy-storages',
        };
      }
      break;
    }
  }
  result.joblibArrays = shared.joblibArrays;
  return result;
}

function isTorchLegacyMagic(value: PickleValue | undefined): boolean {
  return bigintOf(value) === TORCH_LEGACY_MAGIC;
}

function limitSummary(shared: VmShared, at: number, error: string): PickleVmResult['pickles'][number] {
  return { index: shared.nextIndex++, start: at, end: at, protocol: 0, ops: 0, status: 'limit', error };
}
