// Test-only fixture builder: writes the upstream model_signing test models to a temp folder.
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the OMS conformance data lives (see its README). */
export const OMS_DATA = '/work/shared/data/oms';

/** The upstream fixture models, by golden file name, with the directory name upstream gave them. */
export const FIXTURE_MODELS = {
  sample_model_file: 'file_model',
  empty_model_file: 'empty_file_model',
  sample_model_folder: 'sample_model',
  deep_model_folder: 'deep_model',
  empty_model_folder: 'empty_folder_model',
  model_folder_with_empty_file: 'empty_file_inside_model',
  symlink_model_folder: 'symlink_model',
} as const;

/** A fixture model's golden name. */
export type FixtureModel = keyof typeof FIXTURE_MODELS;

/** Builds one upstream fixture model under a fresh temp folder and returns the model path. */
export function buildFixtureModel(model: FixtureModel): string {
  const base = mkdtempSync(join(tmpdir(), 'bulwark-oms-'));
  const path = join(base, FIXTURE_MODELS[model]);
  switch (model) {
    case 'sample_model_file':
      writeFileSync(path, 'This is a simple model');
      break;
    case 'empty_model_file':
      writeFileSync(path, '');
      break;
    case 'sample_model_folder':
      for (let i = 0; i < 2; i++) {
        mkdirSync(join(path, `d${i}`), { recursive: true });
        for (let j = 0; j < 3; j++)
          writeFileSync(join(path, `d${i}`, `f${i}${j}`), `This is file f${i}${j} in d${i}.`);
      }
      for (let i = 0; i < 4; i++) writeFileSync(join(path, `f${i}`), `This is file f${i} in root.`);
      break;
    case 'deep_model_folder': {
      const deep = join(path, 'd0', 'd1', 'd2', 'd3', 'd4');
      mkdirSync(deep, { recursive: true });
      for (let i = 0; i < 4; i++) writeFileSync(join(deep, `f${i}`), `This is file f${i}.`);
      break;
    }
    case 'empty_model_folder':
      mkdirSync(path);
      break;
    case 'model_folder_with_empty_file':
      mkdirSync(path);
      writeFileSync(join(path, 'empty_file'), '');
      break;
    case 'symlink_model_folder': {
      mkdirSync(path);
      const external = join(base, 'external_file');
      writeFileSync(external, 'This is a simple model');
      symlinkSync(external, join(path, 'symlink_file'));
      break;
    }
  }
  return path;
}

/** Decodes `dsseEnvelope.payload` of a bundle file (base64, padding optional). */
export function bundlePayload(bundlePath: string): Uint8Array {
  const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as { dsseEnvelope: { payload: string } };
  return new Uint8Array(Buffer.from(bundle.dsseEnvelope.payload, 'base64'));
}
