import { describe, expect, it } from 'vitest';
import { isRepoIdShape, RepoIdChecker } from './repo-ids.js';

const checker = new RepoIdChecker();

describe('RepoIdChecker', () => {
  it('accepts popular repos, case-insensitively, and legacy ids', () => {
    expect(checker.check('meta-llama/Llama-3.1-8B-Instruct').kind).toBe('popular');
    expect(checker.check('META-LLAMA/llama-3.1-8b-instruct').kind).toBe('popular');
    expect(checker.isPopular('gpt2')).toBe(true);
  });

  it('trusts other repos of popular organisations and of known mirrors', () => {
    expect(checker.check('meta-llama/Some-New-Model').kind).toBe('trusted-organisation');
    expect(checker.check('unsloth/Llama-3.1-8B-Instruct').kind).toBe('trusted-organisation');
    expect(checker.check('Xenova/all-MiniLM-L6-v2').kind).toBe('trusted-organisation');
  });

  it('flags look-alike organisations', () => {
    expect(checker.check('meta-lama/Llama-3.1-8B-Instruct')).toMatchObject({
      kind: 'lookalike-organisation',
      organisation: 'meta-llama',
      imitates: 'meta-llama/Llama-3.1-8B-Instruct',
    });
    expect(checker.check('mistral-ai/Mistral-7B-Instruct-v0.3')).toMatchObject({
      organisation: 'mistralai',
      how: 'separator',
    });
    expect(checker.check('faceb00k/opt-125m')).toMatchObject({ organisation: 'facebook', how: 'confusable' });
    expect(checker.check('mlcrosoft/phi-2')).toMatchObject({ organisation: 'microsoft', how: 'confusable' });
    expect(checker.check('sentence-transfromers/all-MiniLM-L6-v2')).toMatchObject({
      organisation: 'sentence-transformers',
    });
  });

  it('flags a popular model name under an unknown organisation as a shadow repo', () => {
    expect(checker.check('random-user/Mistral-7B-Instruct-v0.3')).toEqual({
      kind: 'shadow',
      imitates: 'mistralai/Mistral-7B-Instruct-v0.3',
    });
  });

  it('leaves unrelated repos alone', () => {
    expect(checker.check('deepset/roberta-base-squad2').kind).toBe('unknown');
    expect(checker.check('my-org/my-classifier').kind).toBe('unknown');
  });

  it('takes extra popular models from the options', () => {
    const custom = new RepoIdChecker(['acme-ml/fraud-detector']);
    expect(custom.check('acme-ml/fraud-detector').kind).toBe('popular');
    expect(custom.check('acme-m1/fraud-detector').kind).toBe('lookalike-organisation');
  });

  it('recognises the shape of repo ids', () => {
    expect(isRepoIdShape('org/name')).toBe(true);
    expect(isRepoIdShape('./local/model')).toBe(false);
    expect(isRepoIdShape('a/b/c')).toBe(false);
    expect(isRepoIdShape('org/../etc')).toBe(false);
  });
});
