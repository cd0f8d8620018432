import { defineRule, type Rule } from '../../core/rules.js';

/** A Keras config carries marshalled Python bytecode (a Lambda layer or any `__lambda__` object). */
export const KERAS_LAMBDA_BYTECODE = defineRule({
  id: 'BW-MODEL-040',
  name: 'keras-lambda-bytecode',
  title: 'Keras model carries marshalled Python bytecode (Lambda)',
  defaultSeverity: 'critical',
  controls: ['R1'],
  description:
    'A Lambda layer (or another function serialized as `__lambda__`, such as an `output_shape`) stores its ' +
    'Python function as base64-encoded `marshal` bytecode. Loading the model rebuilds and runs that code: ' +
    'legacy HDF5 and SavedModel loaders do it unconditionally, and Keras 3 does it whenever `safe_mode` is ' +
    'off, which published bypasses (CVE-2025-1550, CVE-2025-8747, CVE-2025-9905) have shown can be forced ' +
    'or sidestepped. Bytecode cannot be reviewed by reading the config; it is a payload carrier.',
  remediation:
    'Do not load the model. Ask the publisher for a version without Lambda layers: rewrite each Lambda as a ' +
    'registered custom layer whose code you review and install yourself, then re-save the model.',
});

/** A Keras config names an object from a module that reaches the OS, the interpreter or the network. */
export const KERAS_DANGEROUS_MODULE = defineRule({
  id: 'BW-MODEL-041',
  name: 'keras-dangerous-module',
  title: 'Keras config loads an object from a dangerous module',
  defaultSeverity: 'high',
  controls: ['R1'],
  description:
    'A serialized Keras object names a `module` (or a legacy Lambda `module`) such as `os`, `subprocess`, ' +
    '`builtins`, `importlib` or `socket`. Keras imports the module and looks the name up while rebuilding the ' +
    'model, which is how the CVE-2025-1550 exploit reached `os.system` from `config.json`. No Keras model ' +
    'needs these modules; critical when the name is itself a way to run code (`system`, `eval`, `exec`, ' +
    '`Popen`, `__import__` …).',
  remediation:
    'Do not load the model. Treat it as malicious unless its producer can explain the reference; upgrade ' +
    'Keras to a release that refuses non-Keras modules in safe mode.',
});

/** A Keras config needs code from outside Keras (custom layers, losses, functions). */
export const KERAS_CUSTOM_OBJECT = defineRule({
  id: 'BW-MODEL-042',
  name: 'keras-custom-object',
  title: 'Keras config needs a custom object from outside Keras',
  defaultSeverity: 'medium',
  controls: ['R1'],
  description:
    'The config names a class or function from a module outside the Keras allowlist (keras, keras_hub, ' +
    'keras_nlp, keras_cv), a custom registered package, or a Lambda layer that calls a named function. ' +
    'Loading imports that module and runs its code, so the model is only as trustworthy as the package ' +
    'that provides it.',
  remediation:
    'Check that the module is a package you trust and have pinned; if it is, accept the finding for this ' +
    'model. Otherwise do not load the model.',
});

/** A Keras config calls a Keras API that downloads, loads or saves files, or disables safe mode. */
export const KERAS_UNSAFE_KERAS_API = defineRule({
  id: 'BW-MODEL-043',
  name: 'keras-unsafe-keras-api',
  title: 'Keras config calls a Keras API that reaches files or disables safe mode',
  defaultSeverity: 'high',
  controls: ['R1'],
  description:
    'The config references a Keras function that is harmless in code but dangerous when a model file can ' +
    'call it: `keras.utils.get_file` (downloads and writes files, CVE-2025-8747), `load_model` / ' +
    '`TFSMLayer` (loads another, unscanned model), `save_model` / `save_weights` (writes files) or ' +
    '`keras.config.enable_unsafe_deserialization` (turns safe mode off for what follows). Allowlisting ' +
    'Keras modules alone lets these through, which is how safe-mode bypasses were built.',
  remediation: 'Do not load the model; no ordinary architecture config calls these functions.',
});

/** A legacy TFOpLambda layer calls a TensorFlow function that runs Python or touches files. */
export const KERAS_TF_OP_LAMBDA = defineRule({
  id: 'BW-MODEL-044',
  name: 'keras-tf-op-lambda',
  title: 'TFOpLambda layer calls a TensorFlow function that runs code or touches files',
  defaultSeverity: 'high',
  controls: ['R1'],
  description:
    'tf.keras records TensorFlow functions called on Keras tensors as `TFOpLambda` / `SlicingOpLambda` ' +
    'layers naming the function (`math.add`). Loading resolves that name in the TensorFlow API and calls it, ' +
    'so a config can call `io.write_file`, `io.gfile.remove`, `py_function` or `load_op_library`. Ordinary ' +
    'models only use math, array and neural-network functions. Critical for functions that run Python or ' +
    'load native libraries, high for file and dataset access.',
  remediation: 'Do not load the model unless its producer can explain the call; rebuild it without it.',
});

/** A Keras JSON config could not be parsed or walked within the limits. */
export const KERAS_CONFIG_MALFORMED = defineRule({
  id: 'BW-MODEL-045',
  name: 'keras-config-malformed',
  title: 'Keras model config is malformed or over the limits',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'The Keras config (config.json, the HDF5 `model_config` attribute or SavedModel Keras metadata) is not ' +
    'valid JSON, is nested deeper or is larger than the scan limits, so it was not fully checked. Keras may ' +
    'still load what the scanner could not read.',
  remediation: 'Re-save the model with a current Keras release, or raise `scanners.model.maxMetadataBytes`.',
});

/** An HDF5 file could not be parsed far enough to read its root attributes. */
export const HDF5_MALFORMED = defineRule({
  id: 'BW-MODEL-050',
  name: 'hdf5-malformed',
  title: 'HDF5 file is malformed',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'The HDF5 structures that lead to the root group attributes (superblock, object header, continuation ' +
    'chunks, attribute messages, global heap) point outside the file, loop, fail their checksum, exceed the ' +
    'scan limits or are otherwise invalid, so the Keras model config in them was not (fully) checked. Broken ' +
    'structure is ' +
    'also a way to make a scanner give up on a payload that a lenient reader still finds.',
  remediation: 'Re-create the file from a trusted source; do not load a model whose file is corrupt.',
});

/** An HDF5 file keeps its root attributes in a form the scanner does not read. */
export const HDF5_ATTRIBUTES_NOT_INSPECTED = defineRule({
  id: 'BW-MODEL-051',
  name: 'hdf5-attributes-not-inspected',
  title: 'HDF5 root attributes were not inspected',
  defaultSeverity: 'low',
  controls: ['R1', 'D7'],
  description:
    'The root group stores (some of) its attributes densely in a fractal heap, as shared messages, or ' +
    'with a datatype the scanner does not decode, so a Keras `model_config` there was not checked. h5py ' +
    'only does this for very many or very large attributes.',
  remediation: 'Load the config with h5py in an isolated environment and review it, or re-save the model.',
});

/** A SavedModel graph runs Python code. */
export const SAVED_MODEL_CODE_OP = defineRule({
  id: 'BW-MODEL-060',
  name: 'saved-model-code-op',
  title: 'TensorFlow graph runs Python code (PyFunc)',
  defaultSeverity: 'critical',
  controls: ['R1'],
  description:
    'The graph or one of its functions uses `PyFunc`, `PyFuncStateless` or `EagerPyFunc`, the ops behind ' +
    '`tf.py_function` and `tf.numpy_function`: running the model calls back into arbitrary Python in the ' +
    'serving process. A model meant to be served never needs them.',
  remediation: 'Do not serve the model; ask for one whose computation is expressed in TensorFlow ops only.',
});

/** A SavedModel graph reads, writes or lists files, or reaches the network. */
export const SAVED_MODEL_FILE_OP = defineRule({
  id: 'BW-MODEL-061',
  name: 'saved-model-file-op',
  title: 'TensorFlow graph reads or writes files or reaches the network',
  defaultSeverity: 'high',
  controls: ['R1'],
  description:
    'The graph uses ops that read, write or list files (`ReadFile`, `WriteFile`, `MatchingFiles`, file ' +
    'readers and datasets, summary file writers, `ImmutableConst` memory regions, `PrintV2` to a file, ' +
    'debug ops with file or gRPC URLs) or call over the network (`Rpc`). A model that touches the file ' +
    'system can exfiltrate secrets through its outputs or plant files in the serving host.',
  remediation:
    'Do not serve the model until the op is explained; an inference graph should take its inputs from the ' +
    'request and its assets from the SavedModel `assets/` folder.',
});

/** A SavedModel (or keras_metadata.pb) protobuf could not be parsed within the limits. */
export const SAVED_MODEL_MALFORMED = defineRule({
  id: 'BW-MODEL-062',
  name: 'saved-model-malformed',
  title: 'TensorFlow SavedModel protobuf is malformed',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'saved_model.pb (or keras_metadata.pb) is not a valid protobuf, nests deeper or is larger than the scan ' +
    'limits, so its ops were not all checked. TensorFlow refuses a broken file, but a scanner that stops ' +
    'early can miss what comes after the break in a file another parser accepts.',
  remediation: 'Re-export the model from its source; do not serve a SavedModel that does not parse.',
});

/** Checkpoint ops used outside the SavedModel's own saver. */
export const SAVED_MODEL_CHECKPOINT_OP = defineRule({
  id: 'BW-MODEL-063',
  name: 'saved-model-checkpoint-op',
  title: 'Checkpoint save/restore op outside the saver',
  defaultSeverity: 'high',
  controls: ['R1'],
  description:
    'Every SavedModel has a saver: the nodes its SaverDef names (TF1 `save/…`) or the traced save/restore ' +
    'functions they call (TF2), which run `SaveV2`, `RestoreV2` and `MergeV2Checkpoints` on the variables ' +
    'folder the loader passes in; those are not reported. Here such an op sits outside that saver, in a ' +
    'serving graph or function, where it writes, reads, moves or deletes checkpoint files at paths the graph ' +
    'chooses.',
  remediation:
    'Do not serve the model until the op is explained; inference never saves or restores checkpoints.',
});

/** An ONNX tensor's external data path leaves the model folder. */
export const ONNX_EXTERNAL_DATA_ESCAPE = defineRule({
  id: 'BW-MODEL-070',
  name: 'onnx-external-data-escape',
  title: 'ONNX external data path escapes the model folder',
  defaultSeverity: 'high',
  controls: ['R1', 'D7'],
  description:
    'A tensor stores its data in an external file whose `location` is absolute, climbs out of the model ' +
    'folder with `..`, names a drive or UNC share, or is a URL. ONNX loaders resolve it relative to the ' +
    'model and read it at load time, so a model can pull `/etc/passwd` or a key file into a tensor and leak ' +
    'it through its outputs (CVE-2022-25882, CVE-2024-27318).',
  remediation:
    'Do not load the model. External data files must sit next to the model and be named by a plain relative ' +
    'path; re-export with `onnx.save(..., save_as_external_data=True, location="model.onnx.data")`.',
});

/** An ONNX graph uses operators from a domain outside the standard ones. */
export const ONNX_CUSTOM_OPERATOR = defineRule({
  id: 'BW-MODEL-071',
  name: 'onnx-custom-operator',
  title: 'ONNX model uses custom operators',
  defaultSeverity: 'medium',
  controls: ['R1'],
  description:
    'Nodes use an operator domain outside ONNX (`ai.onnx`, `ai.onnx.ml`, training and preview domains) and ' +
    "ONNX Runtime's built-in contrib domains, and are not functions defined in the model. Custom operators " +
    'need native code (a custom op library registered with the runtime) to run, so the model is only as ' +
    'trustworthy as that library.',
  remediation:
    'Find out which library implements the domain and whether you trust it; otherwise use a model built ' +
    'from standard operators.',
});

/** An ONNX file is not a valid protobuf ModelProto. */
export const ONNX_MALFORMED = defineRule({
  id: 'BW-MODEL-072',
  name: 'onnx-malformed',
  title: 'ONNX model protobuf is malformed',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'The ModelProto is not a valid protobuf, nests deeper or is larger than the scan limits, or declares ' +
    'external data without a location, so it was not fully checked. A scanner that stops at a break can ' +
    'miss what a more lenient parser still loads.',
  remediation: 'Re-export the model; run `onnx.checker.check_model` on it before use.',
});

/** Rules of the ONNX, TensorFlow SavedModel, Keras and HDF5 scanners. */
export const ONNX_TF_KERAS_RULES: readonly Rule[] = [
  KERAS_LAMBDA_BYTECODE,
  KERAS_DANGEROUS_MODULE,
  KERAS_CUSTOM_OBJECT,
  KERAS_UNSAFE_KERAS_API,
  KERAS_TF_OP_LAMBDA,
  KERAS_CONFIG_MALFORMED,
  HDF5_MALFORMED,
  HDF5_ATTRIBUTES_NOT_INSPECTED,
  SAVED_MODEL_CODE_OP,
  SAVED_MODEL_FILE_OP,
  SAVED_MODEL_MALFORMED,
  SAVED_MODEL_CHECKPOINT_OP,
  ONNX_EXTERNAL_DATA_ESCAPE,
  ONNX_CUSTOM_OPERATOR,
  ONNX_MALFORMED,
];
