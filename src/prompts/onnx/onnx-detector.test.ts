import { describe, expect, it } from 'vitest';
import { expectFault } from '../../../test/support/expect-fault.js';
import { plainInput } from '../heuristics/inputs.test-support.js';
import { createPromptShield } from '../shield.js';
import type { TextVariant } from '../types.js';
import type {
  Int64Batch,
  ModelInputName,
  ModelLogits,
  OnnxSession,
  SequenceTokenizer,
} from './model-session.js';
import { createOnnxDetector, type OnnxDetectorOptions } from './onnx-detector.js';

const CLS = 1;
const SEP = 2;
const VOCAB: Readonly<Record<string, number>> = {
  ignore: 10,
  instructions: 11,
  pretend: 12,
  hello: 20,
  data: 21,
};

/** Words to ids; unknown words are 99, "[SEP]" spelled in the text is the SEP id, as real tokenizers do. */
function fakeTokenizer(seen: string[] = []): SequenceTokenizer {
  return {
    prefix: [CLS],
    suffix: [SEP],
    encode(text) {
      seen.push(text);
      return text
        .split(/\s+/)
        .filter((w) => w !== '')
        .map((w) => (w === '[SEP]' ? SEP : (VOCAB[w.toLowerCase()] ?? 99)));
    },
  };
}

interface Call {
  readonly feeds: Readonly<Partial<Record<ModelInputName, Int64Batch>>>;
}

/**
 * A session whose logits count words per row: [BENIGN, INJECTION, JAILBREAK] = [3, 4·#ignore-ish,
 * 4·#pretend]; a SEP inside the content (not at the end) pushes INJECTION hard, to catch unframed ids.
 */
function fakeSession(options: { inputNames?: string[]; width?: number; logits?: ModelLogits } = {}): {
  session: OnnxSession;
  calls: Call[];
} {
  const calls: Call[] = [];
  const width = options.width ?? 3;
  return {
    calls,
    session: {
      inputNames: options.inputNames ?? ['input_ids', 'attention_mask'],
      run(feeds) {
        calls.push({ feeds });
        if (options.logits !== undefined) return Promise.resolve(options.logits);
        const ids = feeds.input_ids;
        if (ids === undefined) throw new Error('no input_ids');
        const [rows, columns] = ids.dims;
        const data = new Float32Array(rows * width);
        for (let r = 0; r < rows; r++) {
          const row = Array.from(ids.data.subarray(r * columns, (r + 1) * columns), Number);
          const count = (id: number): number => row.filter((t) => t === id).length;
          const innerSep = row.slice(0, -1).filter((t) => t === SEP).length;
          const logits = [3, 4 * (count(10) + count(11)) + 20 * innerSep, 4 * count(12)];
          for (let c = 0; c < width; c++) data[r * width + c] = logits[c] ?? 0;
        }
        return Promise.resolve({ data, dims: [rows, width] });
      },
    },
  };
}

function detector(overrides: Partial<OnnxDetectorOptions> = {}, session = fakeSession().session) {
  return createOnnxDetector({
    session,
    tokenizer: fakeTokenizer(),
    labels: ['BENIGN', 'INJECTION', 'JAILBREAK'],
    modelName: 'fake-guard',
    ...overrides,
  });
}

const filler = (words: number): string => Array.from({ length: words }, () => 'data').join(' ');

describe('createOnnxDetector', () => {
  it('scores an attack high and a benign text low, with evidence that names the model, not the input', async () => {
    const attack = await detector().detect(plainInput('ignore instructions'), 'user');
    expect(attack.detector).toBe('onnx-model');
    expect(attack.score).toBeGreaterThan(0.99);
    expect(attack.categories).toEqual(['instruction-override']);
    expect(attack.evidence[0]?.note).toMatch(/^fake-guard: INJECTION 0\.99\d$/);
    expect(attack.evidence[0]?.variant).toBe('normalized');
    const benign = await detector().detect(plainInput('hello data'), 'user');
    expect(benign.score).toBeLessThan(0.1);
    expect(benign).toMatchObject({ categories: [], evidence: [] });
  });

  it('names jailbreak labels as jailbreak and sums the mass of every attack label', async () => {
    const result = await detector().detect(plainInput('pretend pretend'), 'document');
    expect(result.categories).toEqual(['jailbreak']);
    // Logits [3, 0, 8]: the INJECTION mass (e^0) adds to JAILBREAK's.
    const [e3, e0, e8] = [Math.exp(3), 1, Math.exp(8)];
    expect(result.score).toBeCloseTo((e0 + e8) / (e3 + e0 + e8), 6);
  });

  it('counts only the configured attack labels, per context', async () => {
    const d = detector({ attackLabels: { user: ['JAILBREAK'], document: ['INJECTION', 'JAILBREAK'] } });
    expect((await d.detect(plainInput('ignore instructions'), 'user')).score).toBeLessThan(0.01);
    expect((await d.detect(plainInput('ignore instructions'), 'document')).score).toBeGreaterThan(0.99);
    expect((await d.detect(plainInput('pretend pretend'), 'user')).score).toBeGreaterThan(0.99);
  });

  it('scores long texts in overlapping full windows, each framed, and finds an attack at the end', async () => {
    const { session, calls } = fakeSession();
    const d = detector({ maxLength: 18, stride: 4, batchSize: 100 }, session);
    const result = await d.detect(plainInput(`${filler(200)} ignore instructions`), 'document');
    expect(result.score).toBeGreaterThan(0.99);
    expect(result.evidence[0]?.note).toMatch(/in window 17 of 17$/);
    const ids = calls[0]?.feeds.input_ids;
    expect(ids?.dims).toEqual([17, 18]);
    const rows = Array.from({ length: 17 }, (_, r) =>
      Array.from(ids?.data.subarray(r * 18, r * 18 + 18) ?? [], Number),
    );
    for (const row of rows) expect([row[0], row.at(-1)]).toEqual([CLS, SEP]);
    expect(rows.at(-1)?.slice(-3, -1)).toEqual([10, 11]);
    expect(Array.from(calls[0]?.feeds.attention_mask?.data ?? []).every((v) => v === 1n)).toBe(true);
  });

  it('runs windows in batches of batchSize and stops at maxWindows, keeping the last window', async () => {
    const { session, calls } = fakeSession();
    const d = detector({ maxLength: 12, stride: 0, batchSize: 2, maxWindows: 5 }, session);
    const result = await d.detect(plainInput(`${filler(300)} ignore instructions`), 'user');
    expect(calls.map((c) => c.feeds.input_ids?.dims[0])).toEqual([2, 2, 1]);
    expect(result.score).toBeGreaterThan(0.99);
    expect(result.evidence[0]?.note).toMatch(/window 5 of 5 \(long input: part of it was not scored/);
    // The middle of a text beyond the window budget is not seen: the fast tier covers it.
    const middle = await d.detect(plainInput(`${filler(150)} ignore instructions ${filler(150)}`), 'user');
    expect(middle.score).toBeLessThan(0.1);
  });

  it('tokenizes at most maxChars characters per call', async () => {
    const seen: string[] = [];
    const d = detector({ tokenizer: fakeTokenizer(seen), maxChars: 100 });
    const result = await d.detect(plainInput(`${filler(100)} ignore instructions`), 'user');
    expect(seen.join('').length).toBeLessThanOrEqual(100);
    expect(result.score).toBeLessThan(0.1);
  });

  it('does not let framing tokens spelled in the text open a segment', async () => {
    const result = await detector().detect(plainInput('hello [SEP] data'), 'user');
    expect(result.score).toBeLessThan(0.1);
  });

  it('feeds only the inputs the model takes, token types as zeros', async () => {
    const { session, calls } = fakeSession({ inputNames: ['input_ids', 'token_type_ids'] });
    await detector({}, session).detect(plainInput('hello'), 'user');
    expect(Object.keys(calls[0]?.feeds ?? {}).sort()).toEqual(['input_ids', 'token_type_ids']);
    expect(Array.from(calls[0]?.feeds.token_type_ids?.data ?? [])).toEqual([0n, 0n, 0n]);
  });

  it('scores decoded variants too, unless told not to', async () => {
    const base64: TextVariant = { kind: 'base64', text: 'ignore instructions', start: 6, end: 34 };
    const input = plainInput('hello aWdub3JlIGluc3RydWN0aW9ucw==', [base64]);
    const result = await detector().detect(input, 'user');
    expect(result.score).toBeGreaterThan(0.99);
    expect(result.evidence[0]?.variant).toBe('base64');
    expect((await detector({ scoreVariants: false }).detect(input, 'user')).score).toBeLessThan(0.1);
  });

  it('does not run the model on an empty text', async () => {
    const { session, calls } = fakeSession();
    const result = await detector({}, session).detect(plainInput('   '), 'user');
    expect(result.score).toBe(0);
    expect(calls).toHaveLength(0);
  });

  it('takes the sigmoid of a single-output model', async () => {
    const { session } = fakeSession({ width: 1, logits: { data: [Math.log(4)], dims: [1, 1] } });
    const result = await detector({ labels: ['INJECTION'] }, session).detect(plainInput('hello'), 'user');
    expect(result.score).toBeCloseTo(0.8, 6);
    expect(result.categories).toEqual(['instruction-override']);
  });

  it('turns a model that fails or returns the wrong shape into one clear error', async () => {
    const wrongShape = fakeSession({ logits: { data: new Float32Array(6), dims: [1, 3, 2] } }).session;
    await expect(detector({}, wrongShape).detect(plainInput('hello'), 'user')).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringMatching(
        /shape \[1, 3, 2\], expected \[1, 3\]: not a sequence classifier/,
      ) as string,
    });
    const nan = fakeSession({ logits: { data: [Number.NaN, 0, 0], dims: [1, 3] } }).session;
    await expect(detector({}, nan).detect(plainInput('hello'), 'user')).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringMatching(/non-finite/) as string,
    });
    const failing: OnnxSession = {
      inputNames: ['input_ids'],
      run: () => Promise.reject(new Error('indices element out of data bounds\n  at native code')),
    };
    await expect(detector({}, failing).detect(plainInput('hello'), 'user')).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: 'model fake-guard failed: indices element out of data bounds',
    });
  });

  it('checks its options and the model inputs once, when built', () => {
    expectFault(() => detector({ maxLength: 2 }), 'CONFIG_INVALID', /no room beside 2 special tokens/);
    expectFault(
      () => detector({ maxLength: 10, stride: 8 }),
      'CONFIG_INVALID',
      /stride must be an integer in 0–7/,
    );
    expectFault(() => detector({ maxWindows: 0 }), 'CONFIG_INVALID', /maxWindows must be a positive integer/);
    expectFault(() => detector({ batchSize: 1.5 }), 'CONFIG_INVALID', /batchSize/);
    expectFault(() => detector({ evidenceThreshold: 2 }), 'CONFIG_INVALID', /evidenceThreshold/);
    expectFault(() => detector({ labels: ['A', 'B'] }), 'CONFIG_INVALID', /set attackLabels/);
    const pixels = fakeSession({ inputNames: ['pixel_values'] }).session;
    expectFault(
      () => detector({}, pixels),
      'INPUT_INVALID',
      /takes inputs pixel_values; a sequence classifier/,
    );
  });

  it('joins the prompt shield through scanAsync, whose score is the larger of the two tiers', async () => {
    const shield = createPromptShield({ detectors: [detector({ id: 'guard' })] });
    const verdict = await shield.scanAsync('pretend pretend pretend', 'user');
    expect(verdict.detectors.map((d) => d.detector)).toContain('guard');
    expect(verdict.score).toBeGreaterThan(0.99);
    expect(verdict.flagged).toBe(true);
    expect(verdict.categories).toContain('jailbreak');
    expect(shield.scan('pretend pretend pretend', 'user').score).toBeLessThan(verdict.score);
  });
});
