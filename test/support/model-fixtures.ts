import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A protocol-2 pickle that calls os.system(command): the model scanner reports it as critical. */
export function maliciousPickle(command = 'echo owned'): Buffer {
  const text = Buffer.from(command);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(text.length);
  return Buffer.concat([
    Buffer.from([0x80, 0x02]),
    Buffer.from('cos\nsystem\n'),
    Buffer.from('X'),
    length,
    text,
    Buffer.from([0x85]),
    Buffer.from('R.'),
  ]);
}

/** Writes NAME.key (PKCS#8) and NAME.pub (SPKI) PEM files: Ed25519, or ECDSA on the given curve. */
export function writeKeyPair(dir: string, name: string, curve?: 'P-256' | 'P-384' | 'P-521'): void {
  const pair =
    curve === undefined ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: curve });
  writeFileSync(join(dir, `${name}.key`), pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(dir, `${name}.pub`), pair.publicKey.export({ type: 'spki', format: 'pem' }));
}

/** Writes a small Hugging Face-style model folder (config and random weights) and returns its path. */
export function writeModel(dir: string, name = 'model', weightBytes = 200_000): string {
  const model = join(dir, name);
  mkdirSync(model, { recursive: true });
  writeFileSync(join(model, 'config.json'), '{"architectures":["BertForSequenceClassification"]}\n');
  writeFileSync(join(model, 'weights.bin'), randomBytes(weightBytes));
  return model;
}
