import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../core/scan/byte-sources.js';
import { buildGguf, str, u32 } from '../../models/formats/gguf.test-support.js';
import { buildSafetensors, rawSafetensors } from '../../models/formats/safetensors.test-support.js';
import { parseHfConfig, parseReadmeFrontMatter, taskOfArchitecture } from './hf-files.js';
import { summarizeGguf, summarizeSafetensors } from './weights-summary.js';

describe('parseReadmeFrontMatter', () => {
  it('gives empty facts for a README without front matter', () => {
    expect(parseReadmeFrontMatter('# A model\n\nlicense: mit\n')).toEqual({
      ok: true,
      facts: { tags: [], datasets: [], baseModels: [], languages: [], metrics: [] },
    });
  });

  it('reads single values and lists, the "other" licence, and drops non-strings', () => {
    const result = parseReadmeFrontMatter(
      '---\r\nlicense: other\r\nlicense_name: acme-licence\r\nlicense_link: LICENSE\r\nbase_model:\r\n  - a/b\r\n  - c/d\r\ndatasets: squad\r\ntags: [x, 3, y]\r\n---\r\nbody',
    );
    expect(result).toEqual({
      ok: true,
      facts: {
        license: { id: 'other', name: 'acme-licence', url: 'LICENSE' },
        tags: ['x', 'y'],
        datasets: ['squad'],
        baseModels: ['a/b', 'c/d'],
        languages: [],
        metrics: [],
      },
    });
  });

  it('skips model-index metrics without a value, and reports malformed YAML', () => {
    const readme = `---\nmodel-index:\n  - results:\n      - dataset: {name: glue}\n        metrics:\n          - {type: accuracy}\n          - {name: BLEU, value: 31.5}\n---\n`;
    const result = parseReadmeFrontMatter(readme);
    expect(result.ok && result.facts.metrics).toEqual([{ type: 'BLEU', value: '31.5', slice: 'glue' }]);
    expect(parseReadmeFrontMatter('---\n: [\n---\n')).toMatchObject({ ok: false });
    expect(parseReadmeFrontMatter('---\n- a list\n---\n')).toMatchObject({ ok: false });
  });
});

describe('parseHfConfig', () => {
  it('keeps architectures, model type and known sizes', () => {
    expect(
      parseHfConfig(
        '{"architectures":["LlamaForCausalLM"],"model_type":"llama","vocab_size":32000,"rope":{}}',
      ),
    ).toEqual({
      ok: true,
      facts: {
        architectures: ['LlamaForCausalLM'],
        modelType: 'llama',
        properties: [{ name: 'bulwark:model:vocabSize', value: '32000' }],
      },
    });
    expect(parseHfConfig('[1]')).toMatchObject({ ok: false });
  });

  it('maps head classes to tasks only when the suffix names one', () => {
    expect(taskOfArchitecture('LlamaForCausalLM')).toBe('text-generation');
    expect(taskOfArchitecture('WhisperForConditionalGeneration')).toBeUndefined();
    expect(taskOfArchitecture('BertModel')).toBeUndefined();
  });
});

describe('weights summaries', () => {
  it('counts safetensors parameters from the header and refuses broken headers', async () => {
    const bytes = buildSafetensors({
      tensors: [
        { name: 'a', dtype: 'BF16', shape: [3, 5] },
        { name: 'b', dtype: 'F32', shape: [] },
      ],
    });
    expect(await summarizeSafetensors(bytesSource(bytes))).toEqual({
      ok: true,
      summary: { format: 'safetensors', parameterCount: 16n, dtypes: ['BF16', 'F32'], metadata: {} },
    });
    expect(
      await summarizeSafetensors(
        bytesSource(rawSafetensors('{"a":{"dtype":"Q9","shape":[1],"data_offsets":[0,1]}}', 1)),
      ),
    ).toMatchObject({ ok: false });
    expect(await summarizeSafetensors(bytesSource(rawSafetensors('not json')))).toMatchObject({ ok: false });
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setUint32(0, 0xffffffff, true);
    expect(await summarizeSafetensors(bytesSource(huge))).toMatchObject({ ok: false });
  });

  it('counts GGUF parameters and keeps general.* strings', async () => {
    const { bytes } = buildGguf({
      kvs: [
        ['general.architecture', str('llama')],
        ['general.name', str('Tiny')],
        ['llama.context_length', u32(2048)],
      ],
      tensors: [
        { name: 'tok', dims: [4, 6], ggmlType: 0 },
        { name: 'norm', dims: [6], ggmlType: 0 },
      ],
    });
    expect(await summarizeGguf(bytesSource(bytes))).toEqual({
      ok: true,
      summary: {
        format: 'gguf',
        parameterCount: 30n,
        dtypes: [],
        metadata: { 'general.architecture': 'llama', 'general.name': 'Tiny' },
      },
    });
    expect(await summarizeGguf(bytesSource(bytes.subarray(0, 40)))).toMatchObject({ ok: false });
  });
});
