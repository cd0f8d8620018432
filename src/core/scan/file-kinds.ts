import type { FileIdentity } from './types.js';

/** Every kind `identifyFile` can return. */
export const FILE_KINDS = [
  'pickle',
  'zip',
  'gzip',
  'tar',
  'numpy',
  'hdf5',
  'gguf',
  'safetensors',
  'onnx',
  'parquet',
  'sqlite',
  'pdf',
  'png',
  'jpeg',
  'elf',
  'pe',
  'mach-o',
  'pem',
  'json',
  'jsonl',
  'notebook',
  'csv',
  'tsv',
  'python',
  'text',
  'empty',
  'binary',
] as const;

export type FileKind = (typeof FILE_KINDS)[number];

/** A sniffed identity whose kind is one of `FILE_KINDS`. */
export interface KnownFileIdentity extends FileIdentity {
  readonly kind: FileKind;
}

/** The media type reported for each kind. */
export const MEDIA_TYPES: Readonly<Record<FileKind, string>> = {
  pickle: 'application/x-python-pickle',
  zip: 'application/zip',
  gzip: 'application/gzip',
  tar: 'application/x-tar',
  numpy: 'application/x-npy',
  hdf5: 'application/x-hdf5',
  gguf: 'application/x-gguf',
  safetensors: 'application/x-safetensors',
  onnx: 'application/x-onnx',
  parquet: 'application/vnd.apache.parquet',
  sqlite: 'application/vnd.sqlite3',
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  elf: 'application/x-executable',
  pe: 'application/vnd.microsoft.portable-executable',
  'mach-o': 'application/x-mach-binary',
  pem: 'application/x-pem-file',
  json: 'application/json',
  jsonl: 'application/jsonl',
  notebook: 'application/x-ipynb+json',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  python: 'text/x-python',
  text: 'text/plain',
  empty: 'application/x-empty',
  binary: 'application/octet-stream',
};

/** Builds an identity of `kind` with its media type. */
export function identityOf(kind: FileKind, detail?: string): KnownFileIdentity {
  return detail === undefined
    ? { kind, mediaType: MEDIA_TYPES[kind] }
    : { kind, mediaType: MEDIA_TYPES[kind], detail };
}
