export type { ByteSink, KeySource, WrappedKey } from './types.js';
export type { EncryptedHeader } from './format.js';
export { DEFAULT_CHUNK_SIZE, ENCRYPTED_FORMAT_VERSION, MAX_CHUNK_SIZE, MIN_CHUNK_SIZE } from './format.js';
export { encryptStream } from './encrypt-stream.js';
export type { EncryptOptions, EncryptResult } from './encrypt-stream.js';
export { decryptStream } from './decrypt-stream.js';
export type { DecryptOptions, DecryptResult } from './decrypt-stream.js';
export { readEncryptedHeader } from './read-encrypted-header.js';
export type { EncryptedFileInfo } from './read-encrypted-header.js';
export {
  generateLocalKey,
  keySourceFromEnvValue,
  keySourceFromFileContent,
  LocalKeySource,
  localKeyId,
  parseLocalKey,
} from './local-key-source.js';
export type { LocalKeySourceOptions } from './local-key-source.js';
