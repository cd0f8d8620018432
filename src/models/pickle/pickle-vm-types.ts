/** The opcodes through which loading a pickle calls something. */
export type PickleCallOpcode = 'REDUCE' | 'INST' | 'OBJ' | 'NEWOBJ' | 'NEWOBJ_EX' | 'BUILD';

/**
 * A global that loading the pickle imports (and maybe calls), reported once per (module, name, pickle)
 * with the offset of the opcode that first imported it. Names are as written in the stream: Python 2
 * names (`__builtin__`) are not mapped and dotted names (`os.path`) are not split.
 */
export interface PickleImport {
  module: string;
  name: string;
  opcode: 'GLOBAL' | 'STACK_GLOBAL' | 'INST';
  offset: number;
  pickleIndex: number;
  called: boolean;
  /** The opcode of the first call; BUILD means the class's `__setstate__` runs on an instance. */
  callOpcode?: PickleCallOpcode;
  callOffset?: number;
  calls: number;
  /**
   * The protocol the unpickler was at when it imported the global (the last PROTO before it, 0 when
   * none came first), lowest over repeated imports. Below 3, CPython maps Python 2 names
   * (`__builtin__`, `copy_reg`...) with `fix_imports`, whatever opcodes the stream uses.
   */
  protocol?: number;
}

/**
 * Something loading would do that is not a plain import: an import or call whose target is computed,
 * an extension-registry code, a persistent id handed to the loader, or bytes that may be a nested pickle
 * (contiguous in the source at `offset`, or materialized in `bytes` when loading would compute them).
 */
export type PickleEvent =
  | { kind: 'dynamicImport'; offset: number; pickleIndex: number; description: string }
  | { kind: 'indirectCall'; offset: number; pickleIndex: number; opcode: string; description: string }
  | { kind: 'extension'; offset: number; pickleIndex: number; code: number }
  | { kind: 'persistentId'; offset: number; pickleIndex: number; summary: string }
  | { kind: 'embedded'; offset: number; pickleIndex: number; length: number; bytes?: Uint8Array };

/** How one pickle of the stream ended. */
export type PickleStatus = 'stop' | 'truncated' | 'invalid' | 'limit';

/**
 * One pickle of the stream. `end` is the offset after STOP, or the offset of the opcode where the
 * pickle broke. `protocol` is the lowest PROTO value seen, else the highest protocol of its opcodes.
 * `nested` marks an object-array pickle that joblib reads in the middle of another pickle.
 */
export interface PickleSummary {
  index: number;
  start: number;
  end: number;
  protocol: number;
  ops: number;
  status: PickleStatus;
  error?: string;
  nested?: boolean;
}

/** Everything the symbolic machine found in a stream; offsets are absolute in the source. */
export interface PickleVmResult {
  imports: PickleImport[];
  events: PickleEvent[];
  pickles: PickleSummary[];
  /** Bytes after the last good pickle that do not even start a pickle. */
  trailing?: { offset: number; length: number };
  /** Bytes after the pickles that a known loader reads as raw data (legacy PyTorch storages). */
  rawTail?: { offset: number; length: number; reason: string };
  /** Arrays that joblib reads from the stream after a NumpyArrayWrapper. */
  joblibArrays: number;
}

/** Options of `runPickleVm`. */
export interface PickleVmOptions {
  /** Where the first pickle starts in the source (default 0). */
  offset?: number;
  /** Opcodes run at most over the whole stream (default 20,000,000); beyond, the pickle ends as 'limit'. */
  maxOps?: number;
  /** Pickles read at most from one stream (default 1000). */
  maxPickles?: number;
  /** Checked every 65,536 opcodes; an aborted scan throws the signal's reason. */
  signal?: AbortSignal;
}
