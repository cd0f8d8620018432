import type { Readable } from 'node:stream';
import { BulwarkError } from '../core/errors.js';
import type { ByteSource } from '../core/scan/types.js';
import type { BlobStore } from './blob-store.js';
import type { ModelTree, ModelTreeEntry } from './oms/model-tree.js';

/** One file of a stored model version: where it sits in the model and the blob that holds it. */
export interface StoredModelFile {
  readonly path: string;
  readonly size: number;
  /** `sha256:<hex>` of the file, which is also the blob's name. */
  readonly digest: string;
  readonly encrypted: boolean;
}

/** Opens a stored file in place for random access (the CLI's file source, so workers can hash it). */
export type OpenBlobFile = (path: string) => Promise<ByteSource & { close?(): Promise<void> }>;

/**
 * The OMS serializer's view of a model version as stored in the registry, so a signature is verified
 * against the stored bytes, never against a copy the user still has. Plain blobs are opened in place;
 * encrypted ones are decrypted as a stream, which the serializer reads front to back.
 */
export function registryModelTree(
  name: string,
  files: readonly StoredModelFile[],
  blobs: BlobStore,
  openFile: OpenBlobFile,
): ModelTree {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const isSingleFile = files.length === 1 && files[0]?.path === '.';
  return {
    name,
    isSingleFile,
    list(): Promise<readonly ModelTreeEntry[]> {
      const entries: ModelTreeEntry[] = [];
      const dirs = new Set<string>();
      for (const file of files) {
        const parts = file.path.split('/');
        for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
        entries.push({ path: file.path, kind: 'file', size: file.size });
      }
      for (const dir of dirs) entries.push({ path: dir, kind: 'dir', size: 0 });
      return Promise.resolve(entries);
    },
    async open(path: string) {
      const file = byPath.get(path);
      if (file === undefined) throw new BulwarkError('NOT_FOUND', `the stored model has no file ${path}`);
      if (!file.encrypted) return openFile(await blobs.path(file.digest));
      return sequentialSource(await blobs.open(file.digest), file.size);
    },
  };
}

/**
 * A byte source over a stream that is read front to back: each read must start where the last one
 * ended (the hashers do exactly that). The stream's own integrity error surfaces from `read`.
 */
export function sequentialSource(stream: Readable, size: number): ByteSource & { close(): Promise<void> } {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  let position = 0;
  let pending: Uint8Array = new Uint8Array(0);
  let ended = false;
  return {
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (offset !== position) {
        throw new BulwarkError(
          'INTERNAL',
          `encrypted blobs are read in order: asked for ${offset}, at ${position}`,
        );
      }
      const want = Math.max(0, Math.min(length, size - offset));
      const parts: Uint8Array[] = [];
      let have = 0;
      while (have < want) {
        if (pending.length === 0) {
          if (ended) break;
          const next = await iterator.next();
          if (next.done === true) {
            ended = true;
            break;
          }
          pending = next.value;
        }
        const take = Math.min(pending.length, want - have);
        parts.push(pending.subarray(0, take));
        pending = pending.subarray(take);
        have += take;
      }
      position += have;
      return parts.length === 1 ? (parts[0] as Uint8Array) : new Uint8Array(Buffer.concat(parts));
    },
    close(): Promise<void> {
      stream.destroy();
      return Promise.resolve();
    },
  };
}
