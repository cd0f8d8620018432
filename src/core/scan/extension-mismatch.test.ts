import { describe, expect, it } from 'vitest';
import { extensionMismatch, isExecutableDisguise } from './extension-mismatch.js';
import { identityOf, type FileKind } from './file-kinds.js';
import { identifyFile } from './sniff.js';

const pickleBytes = Uint8Array.from([0x80, 0x02, 0x4e, 0x2e]); // PROTO 2, NONE, STOP
const jsonBytes = new TextEncoder().encode('{"ok": true}');

describe('extensionMismatch', () => {
  it('reports a pickle named data.txt, identified by content', () => {
    const identity = identifyFile(pickleBytes, pickleBytes.length);
    const message = extensionMismatch('data/data.txt', identity);
    expect(message).toMatch(/\.txt/);
    expect(message).toMatch(/pickle/);
  });

  it('accepts JSON named .txt', () => {
    expect(extensionMismatch('notes.txt', identifyFile(jsonBytes, jsonBytes.length))).toBeUndefined();
  });

  it.each([
    ['model.safetensors', 'pickle'],
    ['weights.json', 'zip'],
    ['table.csv', 'zip'],
    ['logo.png', 'elf'],
    ['README.md', 'pe'],
    ['config.yaml', 'mach-o'],
    ['array.npy', 'pickle'],
    ['model.onnx', 'pickle'],
    ['archive.zip', 'pickle'],
    ['model.h5', 'pickle'],
    ['train.py', 'pickle'],
    ['notes.txt', 'gzip'],
    ['notes.TXT', 'pickle'],
    ['model.pkl.txt', 'pickle'],
  ] as [string, FileKind][])('reports %s holding %s', (path, kind) => {
    expect(extensionMismatch(path, identityOf(kind))).toBeDefined();
  });

  it.each([
    ['model.bin', 'pickle'],
    ['model.pt', 'zip'],
    ['model.pth', 'pickle'],
    ['model.ckpt', 'zip'],
    ['model.pkl', 'pickle'],
    ['train.data', 'pickle'],
    ['Makefile', 'elf'],
    ['.hidden', 'pickle'],
    ['dir.txt/payload', 'pickle'],
    ['trailing.', 'pickle'],
    ['model.npz', 'zip'],
    ['model.keras', 'zip'],
    ['model.h5', 'hdf5'],
    ['array.npy', 'numpy'],
    ['data.tar', 'tar'],
    ['data.tgz', 'gzip'],
    ['notes.txt', 'text'],
    ['table.csv', 'json'],
    ['model.safetensors', 'binary'],
    ['logo.png', 'jpeg'],
    ['empty.json', 'empty'],
  ] as [string, FileKind][])('stays quiet for %s holding %s', (path, kind) => {
    expect(extensionMismatch(path, identityOf(kind))).toBeUndefined();
  });

  it('tells executable disguises from other containers', () => {
    expect(isExecutableDisguise('pickle')).toBe(true);
    expect(isExecutableDisguise('zip')).toBe(true);
    expect(isExecutableDisguise('elf')).toBe(true);
    expect(isExecutableDisguise('gzip')).toBe(false);
    expect(isExecutableDisguise('hdf5')).toBe(false);
  });
});
