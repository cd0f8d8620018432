/** What a TensorFlow op does that matters to someone loading or serving a model. */
export type TfOpRisk =
  | { readonly kind: 'code'; readonly reason: string }
  | { readonly kind: 'file'; readonly reason: string }
  | { readonly kind: 'checkpoint'; readonly reason: string };

/** Ops behind `tf.py_function` / `tf.numpy_function`: they call back into arbitrary Python. */
const CODE_OPS: ReadonlySet<string> = new Set(['PyFunc', 'PyFuncStateless', 'EagerPyFunc']);

/**
 * Checkpoint I/O: present in every SavedModel's saver, so only reported outside it (see
 * `scanSavedModel`). `MergeV2Checkpoints` also moves and deletes files.
 */
const CHECKPOINT_OPS: ReadonlySet<string> = new Set([
  'Save',
  'SaveV2',
  'SaveSlices',
  'Restore',
  'RestoreV2',
  'RestoreSlice',
  'MergeV2Checkpoints',
]);

/** Ops that read, write or list files, or reach the network, whatever their attributes. */
const FILE_OPS: ReadonlyMap<string, string> = new Map([
  ['ReadFile', 'reads a file'],
  ['WriteFile', 'writes a file'],
  ['MatchingFiles', 'lists files'],
  ['ImmutableConst', 'maps a file from disk (memory_region_name)'],
  ['WholeFileReader', 'reads whole files'],
  ['WholeFileReaderV2', 'reads whole files'],
  ['TextLineReader', 'reads text files'],
  ['TextLineReaderV2', 'reads text files'],
  ['FixedLengthRecordReader', 'reads record files'],
  ['FixedLengthRecordReaderV2', 'reads record files'],
  ['TFRecordReader', 'reads TFRecord files'],
  ['TFRecordReaderV2', 'reads TFRecord files'],
  ['LMDBReader', 'reads LMDB databases'],
  ['TFRecordDataset', 'reads TFRecord files'],
  ['TFRecordDatasetV2', 'reads TFRecord files'],
  ['TextLineDataset', 'reads text files'],
  ['FixedLengthRecordDataset', 'reads record files'],
  ['FixedLengthRecordDatasetV2', 'reads record files'],
  ['CSVDataset', 'reads CSV files'],
  ['CSVDatasetV2', 'reads CSV files'],
  ['ExperimentalCSVDataset', 'reads CSV files'],
  ['LMDBDataset', 'reads LMDB databases'],
  ['ExperimentalLMDBDataset', 'reads LMDB databases'],
  ['SqlDataset', 'queries a database'],
  ['ExperimentalSqlDataset', 'queries a database'],
  ['MatchingFilesDataset', 'lists files'],
  ['ExperimentalMatchingFilesDataset', 'lists files'],
  ['SaveDataset', 'writes dataset files'],
  ['SaveDatasetV2', 'writes dataset files'],
  ['LoadDataset', 'reads dataset files'],
  ['SnapshotDataset', 'writes and reads snapshot files'],
  ['SnapshotDatasetV2', 'writes and reads snapshot files'],
  ['DatasetToTFRecord', 'writes TFRecord files'],
  ['ExperimentalDatasetToTFRecord', 'writes TFRecord files'],
  ['CreateSummaryFileWriter', 'writes event files'],
  ['CreateSummaryDbWriter', 'writes a summary database'],
  ['GenerateVocabRemapping', 'reads vocabulary files'],
  ['LoadAndRemapMatrix', 'reads checkpoint files'],
  ['FileSystemSetConfiguration', 'reconfigures file systems'],
  ['GcsConfigureCredentials', 'sets cloud storage credentials'],
  ['Rpc', 'calls a remote server'],
  ['TryRpc', 'calls a remote server'],
]);

const STANDARD_STREAMS: ReadonlySet<string> = new Set([
  '',
  'stderr',
  'stdout',
  'log(info)',
  'log(warning)',
  'log(error)',
]);
const DEBUG_OPS = /^Debug(?:Identity|NanCount|NumericSummary)(?:V\d)?$/;

/**
 * What an op does that a reviewer must know (runs Python, touches files or the network, or is checkpoint
 * I/O), or undefined for ordinary computation. `attrs` holds the string attributes that decide it:
 * `output_stream` of PrintV2, `debug_urls` of debug ops, `descriptor_source` of proto codecs.
 * `InitializeTableFromTextFile` is deliberately not here: vocabulary assets are ordinary, and the loader
 * points their paths into the SavedModel's own `assets/` folder.
 */
export function classifyTfOp(
  op: string,
  attrs: ReadonlyMap<string, readonly string[]>,
): TfOpRisk | undefined {
  if (CODE_OPS.has(op)) return { kind: 'code', reason: 'runs arbitrary Python code' };
  if (CHECKPOINT_OPS.has(op))
    return { kind: 'checkpoint', reason: 'writes, reads or moves checkpoint files' };
  const fileReason = FILE_OPS.get(op);
  if (fileReason !== undefined) return { kind: 'file', reason: fileReason };
  if (op === 'PrintV2') {
    const stream = attrs.get('output_stream')?.[0] ?? '';
    if (!STANDARD_STREAMS.has(stream)) return { kind: 'file', reason: `prints to ${stream}` };
  }
  if (DEBUG_OPS.test(op)) {
    const urls = attrs.get('debug_urls') ?? [];
    if (urls.length > 0) return { kind: 'file', reason: `sends tensors to ${urls.join(', ')}` };
  }
  if (op === 'DecodeProtoV2' || op === 'EncodeProto') {
    const source = attrs.get('descriptor_source')?.[0] ?? 'local://';
    if (source !== 'local://' && !source.startsWith('bytes://')) {
      return { kind: 'file', reason: `reads proto descriptors from ${source}` };
    }
  }
  return undefined;
}

/** String attributes `classifyTfOp` needs; the scanner reads only these. */
export const DECISIVE_STRING_ATTRS: ReadonlySet<string> = new Set([
  'output_stream',
  'debug_urls',
  'descriptor_source',
]);
