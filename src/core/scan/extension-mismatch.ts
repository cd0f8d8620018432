import type { FileKind } from './file-kinds.js';
import type { FileIdentity } from './types.js';

/**
 * Content kinds worth reporting under a misleading name: code that runs when loaded (pickle,
 * executables) and containers that can carry it (archives, HDF5 with Keras Lambda layers, NumPy
 * object arrays).
 */
export const DISGUISABLE_KINDS = [
  'pickle',
  'zip',
  'elf',
  'pe',
  'mach-o',
  'gzip',
  'tar',
  'hdf5',
  'numpy',
  'sqlite',
] as const satisfies readonly FileKind[];

/** Kinds whose disguise is most dangerous: executable code or a pickle, or a zip that may hold one. */
export const EXECUTABLE_DISGUISE_KINDS = [
  'pickle',
  'zip',
  'elf',
  'pe',
  'mach-o',
] as const satisfies readonly FileKind[];

interface Claim {
  readonly label: string;
  /** Disguisable kinds that this extension honestly names. */
  readonly allows: readonly FileKind[];
}

const TEXT: Claim = { label: 'a text file', allows: [] };
const IMAGE: Claim = { label: 'an image', allows: [] };

/**
 * Extensions that promise a content type. Ambiguous names (`.bin`, `.pt`, `.pth`, `.ckpt`, `.pkl`,
 * `.data`, `.model`, no extension…) are deliberately absent: they never mismatch.
 */
const CLAIMS: Readonly<Record<string, Claim>> = {
  txt: TEXT,
  text: TEXT,
  md: TEXT,
  markdown: TEXT,
  rst: TEXT,
  log: TEXT,
  csv: { label: 'a CSV table', allows: [] },
  tsv: { label: 'a TSV table', allows: [] },
  json: { label: 'a JSON document', allows: [] },
  jsonl: { label: 'JSON Lines', allows: [] },
  ndjson: { label: 'JSON Lines', allows: [] },
  yaml: { label: 'a YAML document', allows: [] },
  yml: { label: 'a YAML document', allows: [] },
  toml: TEXT,
  ini: TEXT,
  cfg: TEXT,
  xml: TEXT,
  html: TEXT,
  htm: TEXT,
  svg: IMAGE,
  py: { label: 'Python source', allows: [] },
  ipynb: { label: 'a Jupyter notebook', allows: [] },
  png: IMAGE,
  jpg: IMAGE,
  jpeg: IMAGE,
  gif: IMAGE,
  bmp: IMAGE,
  webp: IMAGE,
  pdf: { label: 'a PDF document', allows: [] },
  safetensors: { label: 'a safetensors file', allows: [] },
  gguf: { label: 'a GGUF model', allows: [] },
  onnx: { label: 'an ONNX model', allows: [] },
  parquet: { label: 'a Parquet table', allows: [] },
  npy: { label: 'a NumPy array', allows: ['numpy'] },
  npz: { label: 'a NumPy archive', allows: ['zip'] },
  zip: { label: 'a zip archive', allows: ['zip'] },
  keras: { label: 'a Keras archive', allows: ['zip'] },
  h5: { label: 'an HDF5 file', allows: ['hdf5'] },
  hdf5: { label: 'an HDF5 file', allows: ['hdf5'] },
  gz: { label: 'a gzip stream', allows: ['gzip'] },
  tgz: { label: 'a gzipped tar archive', allows: ['gzip'] },
  tar: { label: 'a tar archive', allows: ['tar'] },
  sqlite: { label: 'a SQLite database', allows: ['sqlite'] },
  sqlite3: { label: 'a SQLite database', allows: ['sqlite'] },
};

/**
 * Reports a file whose name promises a harmless type while its content is a kind that can run code
 * or carry it: a pickle named `notes.txt`, a zip named `.csv`, an ELF named `.png`, a pickle named
 * `.safetensors` (the payload-disguise trick; controls D7, R1). Returns a one-line explanation, or
 * undefined when the name is honest or says nothing (ambiguous or missing extension).
 */
export function extensionMismatch(path: string, identity: FileIdentity): string | undefined {
  const extension = extensionOf(path);
  if (extension === undefined) return undefined;
  const claim = CLAIMS[extension];
  if (claim === undefined) return undefined;
  const kind = identity.kind as FileKind;
  if (!(DISGUISABLE_KINDS as readonly string[]).includes(kind)) return undefined;
  if (claim.allows.includes(kind)) return undefined;
  const detail = identity.detail === undefined ? '' : `, ${identity.detail}`;
  return `named like ${claim.label} (.${extension}) but the content is ${kind} (${identity.mediaType}${detail})`;
}

/** Tells whether a disguised file of this kind is executable code, a pickle or a zip (high severity). */
export function isExecutableDisguise(kind: string): boolean {
  return (EXECUTABLE_DISGUISE_KINDS as readonly string[]).includes(kind);
}

/** The lowercase extension of the last path segment, without the dot; undefined for dotfiles. */
function extensionOf(path: string): string | undefined {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return undefined;
  return name.slice(dot + 1).toLowerCase();
}
