import { classifyTfOp } from './saved-model-ops.js';

/** Top-level packages whose objects Keras configs legitimately name: Keras itself and its own libraries. */
export const KERAS_MODULE_ROOTS: ReadonlySet<string> = new Set([
  'keras',
  'tf_keras',
  'keras_hub',
  'keras_nlp',
  'keras_cv',
]);

/**
 * Top-level modules that reach the OS, the interpreter, files or the network. No model config needs
 * them; naming one is how the CVE-2025-1550 exploit reached `os.system`.
 */
export const DANGEROUS_PYTHON_MODULES: ReadonlySet<string> = new Set([
  '__builtin__',
  '_io',
  '_pickle',
  '_posixsubprocess',
  'asyncio',
  'builtins',
  'code',
  'codeop',
  'commands',
  'cPickle',
  'ctypes',
  'cffi',
  'dill',
  'ftplib',
  'glob',
  'http',
  'httpx',
  'imp',
  'importlib',
  'inspect',
  'io',
  'joblib',
  'marshal',
  'multiprocessing',
  'nt',
  'os',
  'pathlib',
  'pdb',
  'pickle',
  'pkgutil',
  'posix',
  'pty',
  'requests',
  'runpy',
  'shutil',
  'signal',
  'smtplib',
  'socket',
  'subprocess',
  'sys',
  'telnetlib',
  'tempfile',
  'timeit',
  'types',
  'urllib',
  'urllib3',
  'webbrowser',
  'zipimport',
]);

/** Names that run code or commands when called: with a dangerous module they make the finding critical. */
const EXEC_NAMES: ReadonlySet<string> = new Set([
  '__import__',
  'call',
  'check_call',
  'check_output',
  'compile',
  'create_subprocess_exec',
  'create_subprocess_shell',
  'eval',
  'exec',
  'execfile',
  'execl',
  'execle',
  'execlp',
  'execv',
  'execve',
  'execvp',
  'getoutput',
  'getstatusoutput',
  'import_module',
  'interact',
  'load',
  'loads',
  'popen',
  'Popen',
  'run',
  'run_module',
  'run_path',
  'spawnl',
  'spawnv',
  'spawnve',
  'startfile',
  'system',
]);

/**
 * Keras APIs that download, load or save files or switch safe mode off: allowed modules, dangerous
 * calls (CVE-2025-8747 used `keras.utils.get_file`).
 */
const UNSAFE_KERAS_NAMES: ReadonlySet<string> = new Set([
  'enable_unsafe_deserialization',
  'extract_archive',
  'get_file',
  'load_model',
  'load_weights',
  'save_model',
  'save_weights',
  'TFSMLayer',
]);

/**
 * Functions Keras resolves from its own modules when a config says `"module": "builtins"` (activations,
 * losses, metrics): Keras looks them up in `keras.activations` and friends before `builtins`.
 */
const KERAS_FUNCTION_NAMES: ReadonlySet<string> = new Set([
  'celu',
  'elu',
  'exponential',
  'gelu',
  'glu',
  'hard_sigmoid',
  'hard_silu',
  'hard_swish',
  'leaky_relu',
  'linear',
  'log_sigmoid',
  'log_softmax',
  'mish',
  'relu',
  'relu6',
  'selu',
  'sigmoid',
  'silu',
  'softmax',
  'softplus',
  'softsign',
  'swish',
  'tanh',
  'binary_crossentropy',
  'binary_focal_crossentropy',
  'categorical_crossentropy',
  'categorical_focal_crossentropy',
  'categorical_hinge',
  'cosine_similarity',
  'ctc',
  'dice',
  'hinge',
  'huber',
  'kl_divergence',
  'kld',
  'kullback_leibler_divergence',
  'log_cosh',
  'logcosh',
  'mae',
  'mape',
  'mean_absolute_error',
  'mean_absolute_percentage_error',
  'mean_squared_error',
  'mean_squared_logarithmic_error',
  'mse',
  'msle',
  'poisson',
  'sparse_categorical_crossentropy',
  'squared_hinge',
  'tversky',
  'accuracy',
  'binary_accuracy',
  'categorical_accuracy',
  'sparse_categorical_accuracy',
  'sparse_top_k_categorical_accuracy',
  'top_k_categorical_accuracy',
]);

/** What a `module` + name reference in a Keras config leads to. */
export type KerasReferenceVerdict =
  | { readonly kind: 'allowed' }
  | { readonly kind: 'unsafe-keras-api' }
  | { readonly kind: 'dangerous'; readonly runsCode: boolean }
  | { readonly kind: 'custom' };

/**
 * Classifies the object a config names by `module` and class or function `name`: Keras's own modules
 * are allowed (unless the name is one of the file or safe-mode APIs), modules that reach the OS are
 * dangerous, and everything else is custom code that needs review.
 */
export function classifyKerasReference(module: string, name: string): KerasReferenceVerdict {
  const root = module.split('.')[0] ?? '';
  if (KERAS_MODULE_ROOTS.has(root)) {
    const unsafe = UNSAFE_KERAS_NAMES.has(name) || module.split('.').includes('file_utils');
    return unsafe ? { kind: 'unsafe-keras-api' } : { kind: 'allowed' };
  }
  if (root === 'builtins' && KERAS_FUNCTION_NAMES.has(name)) return { kind: 'allowed' };
  if (DANGEROUS_PYTHON_MODULES.has(root)) return { kind: 'dangerous', runsCode: EXEC_NAMES.has(name) };
  return { kind: 'custom' };
}

/** Tells whether a registered-name package (`pkg>Name`) belongs to Keras or its own libraries. */
export function isKerasPackage(registeredName: string): boolean {
  const separator = registeredName.indexOf('>');
  return separator < 0 || KERAS_MODULE_ROOTS.has(registeredName.slice(0, separator));
}

/** Prefixes of TensorFlow API functions that reach files, datasets on disk or saved state. */
const TF_FILE_PREFIXES = [
  'io.',
  'gfile.',
  'summary.',
  'saved_model.',
  'train.',
  'debugging.experimental.',
  'keras.models.load_model',
  'keras.utils.get_file',
  'data.TFRecordDataset',
  'data.TextLineDataset',
  'data.FixedLengthRecordDataset',
  'data.Dataset.list_files',
  'data.Dataset.load',
  'data.Dataset.save',
  'data.experimental.',
  'read_file',
  'write_file',
  'matching_files',
] as const;

/** TensorFlow API functions that run Python or load native libraries. */
const TF_CODE_FUNCTIONS: ReadonlySet<string> = new Set([
  'py_function',
  'numpy_function',
  'py_func',
  'load_op_library',
  'load_library',
  'experimental.load_op_library',
]);

/**
 * What a TFOpLambda `function` name (a TensorFlow API path such as `math.add` or `raw_ops.ReadFile`)
 * does when called, or undefined for ordinary math, array and neural-network functions.
 */
export function classifyTfApiFunction(name: string): { runsCode: boolean; reason: string } | undefined {
  let path = name.startsWith('tf.') ? name.slice(3) : name;
  while (/^compat\.v[12]\./.test(path)) path = path.slice('compat.v1.'.length);
  if (path.startsWith('raw_ops.')) {
    const op = classifyTfOp(path.slice('raw_ops.'.length), new Map());
    if (op === undefined || op.kind === 'checkpoint') {
      return op === undefined ? undefined : { runsCode: false, reason: op.reason };
    }
    return { runsCode: op.kind === 'code', reason: op.reason };
  }
  if (TF_CODE_FUNCTIONS.has(path))
    return { runsCode: true, reason: 'runs Python code or loads a native library' };
  if (TF_FILE_PREFIXES.some((prefix) => path.startsWith(prefix))) {
    return { runsCode: false, reason: 'reads, writes or lists files' };
  }
  return undefined;
}
