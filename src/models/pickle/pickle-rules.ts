import { defineRule, type Rule } from '../../core/rules.js';

/** A pickle imports or calls a global that runs code or reaches files, network or the import machinery. */
export const DANGEROUS_PICKLE_GLOBAL = defineRule({
  id: 'BW-PICKLE-001',
  name: 'dangerous-pickle-global',
  title: 'Pickle imports or calls a dangerous global',
  defaultSeverity: 'critical',
  controls: ['R1', 'T3'],
  description:
    'Loading a pickle (torch.load, pickle.load, joblib.load, np.load with allow_pickle) imports every global the ' +
    'stream names and calls the ones it reduces, before any of the loaded object is returned. This stream names a ' +
    'global that runs commands or code, opens files or sockets, reaches the import machinery, walks attributes to ' +
    'any object, or unpickles further data: loading the file is running code chosen by whoever wrote it. ' +
    'The global is matched exactly after Python 2 name mapping and through dotted attribute chains, so moving the ' +
    'call behind a harmless module (`torch` + `serialization.os.system`) or into the memo does not hide it.',
  remediation:
    'Do not load the file. Obtain the model from its original publisher and verify its signature, or ask for a ' +
    'format that holds no code (safetensors, GGUF, ONNX). If you produced the file yourself, find out how the ' +
    'global got into it: a checkpoint never needs it.',
});

/** A pickle names a global that is not on the allowlist. */
export const UNREVIEWED_PICKLE_GLOBAL = defineRule({
  id: 'BW-PICKLE-002',
  name: 'unreviewed-pickle-global',
  title: 'Pickle uses a global that is not on the allowlist',
  defaultSeverity: 'medium',
  controls: ['R1', 'T3'],
  description:
    'The stream imports a global that is neither on the curated allowlist of what PyTorch, NumPy, scikit-learn, ' +
    'transformers and common ML libraries legitimately pickle, nor known to be dangerous. Loading will import its ' +
    "module (running that module's import-time code) and may call it. Deny-lists miss what they do not list; " +
    'Bulwark treats everything it does not know as requiring review.',
  remediation:
    'Check what the global is. If it is your own class or a library class you trust, add it to ' +
    '`scanners.model.allow` in bulwark.yaml as `module:qualname` (e.g. `mypkg.models:MyNet`); prefer saving ' +
    'a state dict (tensors only) over pickling whole objects.',
});

/** STACK_GLOBAL whose module or name is computed while loading. */
export const DYNAMIC_PICKLE_GLOBAL = defineRule({
  id: 'BW-PICKLE-003',
  name: 'dynamic-pickle-global',
  title: 'Pickle imports a global whose name is computed at load time',
  defaultSeverity: 'high',
  controls: ['R1'],
  description:
    'A STACK_GLOBAL opcode takes its module or name from the result of a call rather than from a string in the ' +
    'stream, so which function is imported is only decided while loading. Ordinary pickles always name their ' +
    'globals with constant strings; computing them is a way to hide the target from scanners.',
  remediation: 'Do not load the file; treat it as malicious unless its producer can explain the construct.',
});

/** A call of something that is not a named global (the result of another call or attribute walk). */
export const INDIRECT_PICKLE_CALL = defineRule({
  id: 'BW-PICKLE-004',
  name: 'indirect-pickle-call',
  title: 'Pickle calls the result of another call',
  defaultSeverity: 'high',
  controls: ['R1'],
  description:
    'The stream calls an object that is not a named global but the product of another call, for example the ' +
    'function returned by getattr(...) or by an import helper. Such chains are how payloads reach functions that ' +
    'are never named in the stream; ordinary checkpoints do not call computed callables.',
  remediation:
    'Do not load the file unless the chain is explained and every global it starts from is trusted.',
});

/** EXT1/EXT2/EXT4 resolve through copyreg's extension registry. */
export const PICKLE_EXTENSION_CODE = defineRule({
  id: 'BW-PICKLE-005',
  name: 'pickle-extension-code',
  title: 'Pickle uses an extension-registry code',
  defaultSeverity: 'medium',
  controls: ['R1'],
  description:
    'EXT1/EXT2/EXT4 opcodes import whatever global the loading process registered under a number with ' +
    'copyreg.add_extension. The registry is empty in a plain Python process, so the code cannot be checked ' +
    'against the allowlist; which function it means depends on the loader.',
  remediation:
    'Re-save the object without extension codes, or review which global the code is registered to.',
});

/** The stream breaks (truncated or invalid) after some opcodes ran. */
export const BROKEN_PICKLE_STREAM = defineRule({
  id: 'BW-PICKLE-006',
  name: 'broken-pickle-stream',
  title: 'Pickle stream is truncated or invalid',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'The pickle stream ends or turns invalid before its STOP opcode. The unpickler executes every opcode before ' +
    'the break, so a payload placed before deliberate garbage still runs, while scanners that give up on the ' +
    'error report nothing. Bulwark reports what came before the break and this finding for the break itself.',
  remediation: 'Do not load the file. If it is a damaged download, fetch it again and verify its digest.',
});

/** Bytes after the last pickle that are not a pickle. */
export const PICKLE_TRAILING_DATA = defineRule({
  id: 'BW-PICKLE-007',
  name: 'pickle-trailing-data',
  title: 'Data after the end of the pickle stream',
  defaultSeverity: 'low',
  controls: ['R1'],
  description:
    'The file continues after the last STOP opcode with bytes that are not another pickle. pickle.load ignores ' +
    'them, but a different loader (or a second load call) may read them; extra data is a known place to hide ' +
    'a payload or a second format (a polyglot).',
  remediation: 'Find out what the extra bytes are; re-save the object so the file holds only the pickle.',
});

/** The opcode budget ran out; the rest of the stream was not examined. */
export const PICKLE_LIMIT_REACHED = defineRule({
  id: 'BW-PICKLE-008',
  name: 'pickle-limit-reached',
  title: 'Pickle scan stopped at the opcode limit',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'The stream has more opcodes than the scan allows, so its end was not examined. Very long streams are ' +
    'normal for huge pickled objects, but what follows the limit went unchecked.',
  remediation: 'Raise `scanners.model.maxPickleOps` in bulwark.yaml and scan again.',
});

/** Every rule of the pickle scanner. */
export const PICKLE_RULES: readonly Rule[] = [
  DANGEROUS_PICKLE_GLOBAL,
  UNREVIEWED_PICKLE_GLOBAL,
  DYNAMIC_PICKLE_GLOBAL,
  INDIRECT_PICKLE_CALL,
  PICKLE_EXTENSION_CODE,
  BROKEN_PICKLE_STREAM,
  PICKLE_TRAILING_DATA,
  PICKLE_LIMIT_REACHED,
];
