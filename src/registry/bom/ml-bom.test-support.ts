// Test-only: writes a small Hugging Face-style model, datasets and dependency files, deterministically.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSafetensors } from '../../models/formats/safetensors.test-support.js';

/** A pinned revision of the Hub base model the fixture README names. */
export const BASE_REVISION = '86b5e0934494bd15c9632b12f734a8a67f723594';

/** A valid SHA-256 hex digest for `--hash=` in the fixture requirements. */
export const TORCH_HASH = createHash('sha256').update('torch-2.3.1-wheel').digest('hex');

const README = `---
license: apache-2.0
tags:
  - text-classification
  - bert
datasets:
  - stanfordnlp/imdb
base_model: google-bert/bert-base-uncased
pipeline_tag: text-classification
language:
  - en
library_name: transformers
model-index:
  - name: tiny-bert-imdb
    results:
      - task:
          type: text-classification
        dataset:
          name: imdb
          type: stanfordnlp/imdb
          split: test
        metrics:
          - type: accuracy
            value: 0.93
          - type: f1
            value: 0.925
---

# tiny-bert-imdb

A tiny BERT fine-tuned for sentiment.
`;

/**
 * Writes a Hugging Face-style model folder: config.json, README.md with model card metadata,
 * generation_config.json, a safetensors file of 40 float32 parameters, and tokenizer.json.
 */
export function writeHfModel(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeJson(join(dir, 'config.json'), {
    architectures: ['BertForSequenceClassification'],
    model_type: 'bert',
    torch_dtype: 'float32',
    max_position_embeddings: 512,
    vocab_size: 30522,
    hidden_size: 8,
    num_hidden_layers: 2,
    transformers_version: '4.44.0',
  });
  writeFileSync(join(dir, 'README.md'), README);
  writeJson(join(dir, 'generation_config.json'), { do_sample: false, max_length: 64, temperature: 0.7 });
  writeFileSync(
    join(dir, 'model.safetensors'),
    buildSafetensors({
      tensors: [
        { name: 'classifier.weight', dtype: 'F32', shape: [4, 8] },
        { name: 'classifier.bias', dtype: 'F32', shape: [8] },
      ],
      metadata: { format: 'pt' },
    }),
  );
  writeJson(join(dir, 'tokenizer.json'), { version: '1.0', model: { type: 'WordPiece' } });
}

/** Writes a dataset folder with two CSV files. */
export function writeDataset(dir: string, rows: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'train.csv'), `text,label\n${rows}\n`);
  writeFileSync(join(dir, 'test.csv'), 'text,label\nfine,1\n');
}

/** Writes `requirements.txt` (a hashed pin, a range, an include) and a lockfileVersion 3 `package-lock.json`. */
export function writeDependencyFiles(dir: string): void {
  writeFileSync(
    join(dir, 'requirements.txt'),
    `torch==2.3.1 --hash=sha256:${TORCH_HASH}\nnumpy>=1.26\ntransformers==4.44.0\n-r more.txt\n`,
  );
  writeJson(join(dir, 'package-lock.json'), {
    name: 'app',
    lockfileVersion: 3,
    packages: {
      '': { name: 'app', dependencies: { '@scope/pkg': '^1.0.0' }, devDependencies: { 'left-pad': '1.3.0' } },
      'node_modules/@scope/pkg': {
        version: '1.0.0',
        resolved: 'https://registry.npmjs.org/@scope/pkg/-/pkg-1.0.0.tgz',
        integrity: `sha512-${createHash('sha512').update('pkg').digest('base64')}`,
      },
      'node_modules/left-pad': {
        version: '1.3.0',
        resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz',
        integrity: `sha512-${createHash('sha512').update('left-pad').digest('base64')}`,
        dev: true,
      },
    },
  });
}

/**
 * The OMS root digest of a folder, computed here without the serializer: SHA-256 over the raw
 * SHA-256 of each file, in path order (valid for the flat, ASCII-named fixtures).
 */
export function independentRootDigest(dir: string, files: readonly string[]): string {
  const root = createHash('sha256');
  for (const file of [...files].sort())
    root.update(
      createHash('sha256')
        .update(readFileSync(join(dir, file)))
        .digest(),
    );
  return root.digest('hex');
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** The parts of a CycloneDX component the tests read. */
export interface CdxComponent {
  readonly type: string;
  readonly name: string;
  readonly 'bom-ref'?: string;
  readonly group?: string;
  readonly version?: string;
  readonly description?: string;
  readonly purl?: string;
  readonly scope?: string;
  readonly 'mime-type'?: string;
  readonly hashes?: { alg: string; content: string }[];
  readonly licenses?: unknown[];
  readonly properties?: { name: string; value: string }[];
  readonly components?: CdxComponent[];
  readonly data?: unknown[];
  readonly tags?: string[];
  readonly authors?: unknown[];
  readonly pedigree?: { ancestors: CdxComponent[] };
  readonly modelCard?: {
    modelParameters?: { task?: string; approach?: unknown; datasets?: unknown[] } & Record<string, unknown>;
    quantitativeAnalysis?: { performanceMetrics: unknown[] };
    considerations?: Record<string, unknown>;
    properties?: { name: string; value: string }[];
  };
}

/** The parts of a CycloneDX BOM the tests read. */
export interface CdxBom {
  readonly bomFormat: string;
  readonly specVersion: string;
  readonly serialNumber: string;
  readonly metadata: { tools: { components: CdxComponent[] }; component: CdxComponent };
  readonly components: CdxComponent[];
  readonly dependencies: { ref: string; dependsOn?: string[] }[];
}
