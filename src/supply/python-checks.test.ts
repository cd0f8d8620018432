import { describe, expect, it } from 'vitest';
import { seededRandom, textAt } from '../../test/fixtures/deps/text-at.js';
import type { Finding } from '../core/findings.js';
import { depsSettings } from './check-context.js';
import { checkText } from './deps-scanner.js';
import { tokenizePython } from './python-tokens.js';

function check(source: string): Finding[] {
  return checkText('train.py', 'python-source', source, depsSettings(undefined));
}

function trust(source: string): { severity: string; text: string }[] {
  return check(source)
    .filter((f) => f.ruleId === 'BW-DEP-012')
    .map((f) => ({ severity: f.severity, text: textAt(source, f.location) }));
}

const PINNED = 'revision="0123456789abcdef0123456789abcdef01234567"';

describe('trust_remote_code', () => {
  it('is found as a keyword, medium for a popular repo and high for another', () => {
    const source = [
      'from transformers import AutoModelForCausalLM',
      `a = AutoModelForCausalLM.from_pretrained("microsoft/phi-2", ${PINNED}, trust_remote_code=True)`,
      `b = AutoModelForCausalLM.from_pretrained(\n    "someone/cool-model",\n    ${PINNED},\n    trust_remote_code = True,\n)`,
    ].join('\n');
    expect(trust(source)).toEqual([
      { severity: 'medium', text: 'trust_remote_code=True' },
      { severity: 'high', text: 'trust_remote_code = True' },
    ]);
  });

  it('is found in kwargs dicts, subscript assignments and plain assignments', () => {
    const source = [
      `m = AutoModel.from_pretrained(name, **{"trust_remote_code": True})`,
      `p = pipeline("text-generation", model="acme/bot", ${PINNED}, model_kwargs={'trust_remote_code': True})`,
      'kwargs["trust_remote_code"] = True',
      'trust_remote_code = True',
      'opts = dict(trust_remote_code=True)',
    ].join('\n');
    expect(trust(source)).toEqual([
      { severity: 'medium', text: '"trust_remote_code": True' },
      { severity: 'high', text: "'trust_remote_code': True" },
      { severity: 'medium', text: '["trust_remote_code"] = True' },
      { severity: 'medium', text: 'trust_remote_code = True' },
      { severity: 'medium', text: 'trust_remote_code=True' },
    ]);
  });

  it('ignores comments, strings, False and comparisons', () => {
    const source = [
      '# model = AutoModel.from_pretrained(x, trust_remote_code=True)',
      'doc = "pass trust_remote_code=True to load it"',
      "help = '''",
      'trust_remote_code=True',
      "'''",
      'm = AutoModel.from_pretrained(x, trust_remote_code=False)',
      'if trust_remote_code == True: pass',
      'm = AutoModel.from_pretrained(x, trust_remote_code=args.trust)',
      'f"{trust_remote_code=True}"',
    ].join('\n');
    expect(trust(source)).toEqual([]);
  });
});

describe('Hugging Face repo ids', () => {
  it('reports look-alike organisations, shadow repos and unpinned revisions at the literal', () => {
    const source = [
      'tok = AutoTokenizer.from_pretrained("meta-lama/Llama-3.1-8B-Instruct")',
      'emb = SentenceTransformer("some-user/all-MiniLM-L6-v2", revision="main")',
      `ok = AutoModel.from_pretrained("google-bert/bert-base-uncased", ${PINNED})`,
      'path = hf_hub_download(repo_id="faceb00k/opt-125m", filename="model.safetensors")',
      'ds = load_dataset("tatsu-lab/alpaca")',
    ].join('\n');
    const findings = check(source).map((f) => [f.ruleId, f.severity, textAt(source, f.location)]);
    expect(findings).toEqual([
      ['BW-DEP-009', 'high', '"meta-lama/Llama-3.1-8B-Instruct"'],
      ['BW-DEP-011', 'info', '"meta-lama/Llama-3.1-8B-Instruct"'],
      ['BW-DEP-010', 'medium', '"some-user/all-MiniLM-L6-v2"'],
      ['BW-DEP-011', 'info', '"main"'],
      ['BW-DEP-009', 'high', '"faceb00k/opt-125m"'],
      ['BW-DEP-011', 'info', '"faceb00k/opt-125m"'],
      ['BW-DEP-011', 'info', '"tatsu-lab/alpaca"'],
    ]);
  });

  it('skips local paths, variables and f-strings', () => {
    const source = [
      'a = AutoModel.from_pretrained("./checkpoints/final")',
      'b = AutoModel.from_pretrained("outputs/bert-base-uncased")',
      'c = AutoModel.from_pretrained(model_name)',
      'd = AutoModel.from_pretrained(f"{org}/Llama-3.1-8B-Instruct")',
      'e = AutoModel.from_pretrained("/models/x/y")',
    ].join('\n');
    expect(check(source)).toEqual([]);
  });

  it('honours ignore and popularModels', () => {
    const source =
      'm = AutoModel.from_pretrained("acme-ml/fraud", revision="0123456789abcdef0123456789abcdef01234567", trust_remote_code=True)';
    const settings = depsSettings({ popularModels: ['acme-ml/fraud'] });
    expect(checkText('a.py', 'python-source', source, settings).map((f) => f.severity)).toEqual(['medium']);
    expect(checkText('a.py', 'python-source', source, depsSettings({ ignore: ['acme-ml/fraud'] }))).toEqual(
      [],
    );
  });
});

describe('tokenizePython', () => {
  it('reads prefixed and triple-quoted strings and drops comments', () => {
    const tokens = tokenizePython('x = rb"a\\"b" + f\'{y}\' # c\ns = """q\n"""');
    expect(tokens.filter((t) => t.kind === 'string').map((t) => [t.value, t.formatted])).toEqual([
      ['a\\"b', false],
      ['{y}', true],
      ['q\n', false],
    ]);
  });

  it('never throws or hangs on random input', () => {
    const random = seededRandom(99);
    const alphabet = 'trust_remote_code=True()[]{},:"\'\\#\n fro_mpetain."*';
    for (let round = 0; round < 1500; round++) {
      const text = Array.from(
        { length: Math.floor(random() * 400) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      const findings = check(text);
      for (const finding of findings) expect(finding.location.line).toBeGreaterThanOrEqual(1);
    }
  });
});
