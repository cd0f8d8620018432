import { describe, expect, it } from 'vitest';
import { normalizePypiName } from './package-names.js';
import { POPULAR_NPM_PACKAGES, POPULAR_PYPI_PACKAGES } from './popular-packages.js';
import { foldConfusables, LookalikeDetector } from './typosquat.js';

const pypi = new LookalikeDetector(POPULAR_PYPI_PACKAGES.map(normalizePypiName));
const match = (name: string): ReturnType<LookalikeDetector['match']> => pypi.match(normalizePypiName(name));

describe('LookalikeDetector', () => {
  it('finds one edit from popular names', () => {
    expect(match('torchh')).toMatchObject({ target: 'torch', kind: 'one-edit' });
    expect(match('nupmy')).toMatchObject({ target: 'numpy', kind: 'one-edit' });
    expect(match('pandaz')).toMatchObject({ target: 'pandas', kind: 'one-edit' });
    expect(match('transfomers')).toMatchObject({ target: 'transformers', kind: 'one-edit' });
  });

  it('finds separators inserted, removed or swapped, and look-alike characters', () => {
    expect(match('scikitlearn')).toMatchObject({ target: 'scikit-learn', kind: 'separator' });
    expect(match('hugging-face-hub')).toMatchObject({ target: 'huggingface-hub', kind: 'separator' });
    expect(match('py-torch-lightning')).toMatchObject({ target: 'pytorch-lightning', kind: 'separator' });
    expect(match('t0rch')).toMatchObject({ target: 'torch', kind: 'confusable' });
    expect(match('scikit-leam')).toMatchObject({ target: 'scikit-learn', kind: 'confusable' });
    expect(match('pi1low')).toMatchObject({ target: 'pillow', kind: 'confusable' });
  });

  it('finds two edits only from long names, at lower confidence', () => {
    expect(match('transfromerss')).toMatchObject({ target: 'transformers', kind: 'two-edits' });
    expect(match('torchhh')).toBeUndefined();
  });

  it('never flags a popular name, nor its PEP 503 spellings', () => {
    for (const name of POPULAR_PYPI_PACKAGES) expect(match(name), name).toBeUndefined();
    expect(match('Scikit_Learn')).toBeUndefined();
    expect(match('scapy')).toBeUndefined();
    expect(match('dataset')).toBeUndefined();
    expect(match('numba')).toBeUndefined();
  });

  it('leaves short names and unrelated names alone', () => {
    expect(match('jaz')).toBeUndefined();
    expect(match('my-internal-lib')).toBeUndefined();
    expect(match('fastapi-users')).toBeUndefined();
  });

  it('works for npm names, scopes included', () => {
    const npm = new LookalikeDetector(POPULAR_NPM_PACKAGES);
    expect(npm.match('@hugingface/transformers')).toMatchObject({ target: '@huggingface/transformers' });
    expect(npm.match('onnxruntime_node')).toMatchObject({ target: 'onnxruntime-node', kind: 'separator' });
    expect(npm.match('0penai')).toMatchObject({ target: 'openai', kind: 'confusable' });
    expect(npm.match('opena1')).toMatchObject({ target: 'openai', kind: 'one-edit' });
    expect(npm.match('preact')).toBeUndefined();
  });

  it('folds look-alike characters', () => {
    expect(foldConfusables('faceb00k')).toBe('facebook');
    expect(foldConfusables('rnistral')).toBe('mistral');
    expect(foldConfusables('meta-IIama'.toLowerCase(), true)).toBe('metallama');
  });
});
