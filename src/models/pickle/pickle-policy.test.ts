import { describe, expect, it } from 'vitest';
import {
  ALLOWLIST_STATS,
  DANGER_CATEGORIES,
  createPicklePolicy,
  parseAllowEntry,
  type GlobalVerdict,
} from './pickle-policy.js';

const policy = createPicklePolicy();

function verdict(module: string, name: string, protocol?: number): GlobalVerdict {
  return policy.classify(module, name, protocol);
}

function dangerOf(module: string, name: string, protocol = 4): { category: string; reason: string } {
  const v = verdict(module, name, protocol);
  if (v.kind !== 'dangerous') throw new Error(`${module}.${name} at protocol ${protocol} is ${v.kind}`);
  return v;
}

describe('classify: one example per danger category', () => {
  const examples: readonly (readonly [string, string, string])[] = [
    ['code-execution', 'builtins', 'eval'],
    ['file-access', 'builtins', 'open'],
    ['network-access', 'socket', 'create_connection'],
    ['process-control', 'os', 'system'],
    ['import-machinery', 'importlib', 'import_module'],
    ['nested-unpickling', 'pickle', 'loads'],
    ['attribute-access', 'builtins', 'getattr'],
    ['memory-access', 'ctypes', 'CDLL'],
    ['interpreter-tampering', 'sys', 'modules'],
  ];

  it('covers every category', () => {
    expect(new Set(examples.map(([c]) => c))).toEqual(new Set(DANGER_CATEGORIES));
  });

  it.each(examples)('%s: %s.%s', (category, module, name) => {
    const danger = dangerOf(module, name);
    expect(danger.category).toBe(category);
    expect(danger.reason).toMatch(/^`.+\.$/);
  });

  it.each([
    ['code-execution', 'torch.fx.graph_module', 'reduce_graph_module'],
    ['code-execution', 'scipy.stats._continuous_distns', 'norm_gen'],
    ['code-execution', 'numexpr', 'evaluate'],
    ['code-execution', 'types', 'CodeType'],
    ['code-execution', 'yaml', 'unsafe_load'],
    ['code-execution', 'code', 'InteractiveInterpreter'],
    ['nested-unpickling', 'torch', 'load'],
    ['nested-unpickling', 'torch.serialization', 'load'],
    ['nested-unpickling', 'numpy', 'load'],
    ['nested-unpickling', 'joblib', 'load'],
    ['nested-unpickling', 'pandas', 'read_pickle'],
    ['nested-unpickling', 'dill', 'loads'],
    ['network-access', 'torch.hub', 'load_state_dict_from_url'],
    ['network-access', 'urllib.request', 'urlopen'],
    ['network-access', 'requests', 'get'],
    ['process-control', 'subprocess', 'Popen'],
    ['process-control', 'asyncio', 'create_subprocess_shell'],
    ['process-control', 'builtins', 'exit'],
    ['process-control', 'uuid', '_get_command_stdout'],
    ['attribute-access', 'operator', 'attrgetter'],
    ['attribute-access', '_operator', 'methodcaller'],
    ['attribute-access', 'types', 'MethodType'],
    ['file-access', 'shutil', 'rmtree'],
    ['file-access', 'io', 'open'],
    ['file-access', 'numpy', 'fromfile'],
    ['interpreter-tampering', 'copyreg', 'add_extension'],
    ['import-machinery', 'importlib.util', 'spec_from_file_location'],
    ['import-machinery', 'builtins', '__import__'],
  ])('%s: %s.%s', (category, module, name) => {
    expect(dangerOf(module, name).category).toBe(category);
  });

  it('prefers the most specific rule', () => {
    expect(dangerOf('asyncio', 'subprocess').category).toBe('process-control');
    expect(dangerOf('asyncio', 'open_connection').category).toBe('network-access');
    expect(dangerOf('pandas.io.pickle', 'read_pickle').category).toBe('nested-unpickling');
    expect(dangerOf('pandas.io.parsers', 'read_csv').category).toBe('file-access');
  });
});

describe('classify: dotted names and other bypasses', () => {
  it('follows a dotted name through a harmless module to os', () => {
    const danger = dangerOf('torch', 'serialization.os.system');
    expect(danger.category).toBe('process-control');
    expect(danger.reason).toContain('`os`');
  });

  it('catches numpy + testing._private.utils.runstring', () => {
    expect(dangerOf('numpy', 'testing._private.utils.runstring').category).toBe('code-execution');
  });

  it('catches builtins + getattr, posix/nt + system', () => {
    expect(dangerOf('builtins', 'getattr').category).toBe('attribute-access');
    expect(dangerOf('posix', 'system').category).toBe('process-control');
    expect(dangerOf('nt', 'system').category).toBe('process-control');
  });

  it('names the chain for object-graph attributes', () => {
    const danger = dangerOf('torch.nn.modules.module', 'Module.__init__.__globals__');
    expect(danger.category).toBe('attribute-access');
    expect(danger.reason).toContain('__init__');
    expect(dangerOf('collections', 'OrderedDict.__class__.__base__.__subclasses__').category).toBe(
      'attribute-access',
    );
    expect(dangerOf('torch', '__builtins__').category).toBe('attribute-access');
    expect(dangerOf('collections', 'OrderedDict.__version__').category).toBe('attribute-access');
  });

  it('treats a module reached by attribute as that module', () => {
    expect(dangerOf('torch', 'hub.load').category).toBe('network-access');
    expect(dangerOf('torch', 'os').category).toBe('process-control');
    expect(dangerOf('mypkg', 'helpers.subprocess.run').category).toBe('process-control');
    expect(dangerOf('mypkg', 'utils.builtins.set').category).toBe('code-execution');
    expect(dangerOf('mypkg', 'urllib.request.urlopen').category).toBe('network-access');
    expect(dangerOf('mypkg', 'Outer.code').category).toBe('code-execution');
  });

  it('flags dangerous attribute names inside dotted names', () => {
    expect(dangerOf('mypkg', 'Loader.loads').category).toBe('nested-unpickling');
    expect(dangerOf('pathlib', 'Path.write_text').category).toBe('file-access');
    expect(dangerOf('torch', 'UntypedStorage.from_file').category).toBe('file-access');
    expect(dangerOf('transformers', 'AutoModel.from_pretrained').category).toBe('network-access');
  });

  it('judges modules re-exported by six and future as what they are', () => {
    expect(dangerOf('six.moves.builtins', 'eval').category).toBe('code-execution');
    expect(dangerOf('six.moves.urllib.request', 'urlopen').category).toBe('network-access');
    expect(dangerOf('six.moves', 'http_client.HTTPConnection').category).toBe('network-access');
    expect(dangerOf('six.moves', 'getoutput').category).toBe('process-control');
    expect(dangerOf('future.builtins', 'open').category).toBe('file-access');
    expect(dangerOf('past.builtins', 'execfile').category).toBe('code-execution');
    expect(verdict('six.moves', 'range', 4).kind).toBe('unknown');
  });

  it('keeps os.path harmless but not what it leads to', () => {
    expect(verdict('os.path', 'join', 4).kind).toBe('unknown');
    expect(verdict('os', 'path.join', 4).kind).toBe('unknown');
    expect(verdict('posixpath', 'join', 4).kind).toBe('unknown');
    expect(dangerOf('os.path', 'os.system').category).toBe('process-control');
    expect(dangerOf('posixpath', 'os.system').category).toBe('process-control');
    expect(dangerOf('os', 'path.os.system').category).toBe('process-control');
  });

  it('does not flag ordinary package names that happen to be stdlib words', () => {
    expect(verdict('mypkg', 'code', 4).kind).toBe('unknown');
    expect(verdict('mypkg.code.models', 'Net', 4).kind).toBe('unknown');
    expect(verdict('mypkg.logging.config', 'LogConfig', 4).kind).toBe('unknown');
    expect(verdict('scipy.signal._signaltools', 'detrend', 4).kind).toBe('unknown');
    expect(verdict('joblib.numpy_pickle', 'NumpyArrayWrapper', 4).kind).toBe('allowed');
  });

  it('keeps reasons short for enormous names', () => {
    const danger = dangerOf('torch', `${'x'.repeat(100_000)}.os.system`);
    expect(danger.reason.length).toBeLessThan(600);
  });
});

describe('classify: Python 2 names', () => {
  it('maps __builtin__ below protocol 3 only', () => {
    expect(dangerOf('__builtin__', 'eval', 2).category).toBe('code-execution');
    expect(verdict('__builtin__', 'eval', 3)).toEqual({ kind: 'unknown' });
    expect(verdict('__builtin__', 'set', 2)).toEqual({ kind: 'allowed', library: 'python' });
    expect(verdict('__builtin__', 'set', 4)).toEqual({ kind: 'unknown' });
  });

  it('maps commands to subprocess and copy_reg to copyreg', () => {
    expect(dangerOf('commands', 'getoutput', 2).category).toBe('process-control');
    expect(verdict('commands', 'getoutput', 4).kind).toBe('unknown');
    expect(verdict('copy_reg', '_reconstructor', 0)).toEqual({ kind: 'allowed', library: 'python' });
    expect(verdict('copy_reg', '_reconstructor', 3).kind).toBe('unknown');
  });

  it('maps moved names and exceptions', () => {
    expect(dangerOf('urllib', 'urlopen', 2).category).toBe('network-access');
    expect(dangerOf('urllib2', 'urlopen', 1).category).toBe('network-access');
    expect(dangerOf('httplib', 'HTTPConnection', 0).category).toBe('network-access');
    expect(dangerOf('cPickle', 'loads', 2).category).toBe('nested-unpickling');
    expect(dangerOf('cPickle', 'loads', 4).category).toBe('nested-unpickling');
    expect(verdict('__builtin__', 'long', 2)).toEqual({ kind: 'allowed', library: 'python' });
  });

  it('checks the written name too below protocol 3 (fix_imports may be off)', () => {
    expect(dangerOf('subprocess', 'Popen', 2).category).toBe('process-control');
  });

  it('checks both spellings when the protocol is unknown', () => {
    expect(verdict('__builtin__', 'eval')).toMatchObject({ kind: 'dangerous', category: 'code-execution' });
    expect(verdict('copy_reg', '_reconstructor')).toEqual({ kind: 'allowed', library: 'python' });
    expect(verdict('__builtin__', 'eval', Number.NaN).kind).toBe('dangerous');
  });
});

describe('classify: allowlist', () => {
  it.each([
    ['python', 'collections', 'OrderedDict'],
    ['python', 'copyreg', '__newobj__'],
    ['python', '_codecs', 'encode'],
    ['python', 'functools', 'partial'],
    ['pytorch', 'torch._utils', '_rebuild_tensor_v2'],
    ['pytorch', 'torch', 'FloatStorage'],
    ['pytorch', 'torch', 'bfloat16'],
    ['pytorch', 'torch', 'contiguous_format'],
    ['pytorch', 'torch.nn.modules.linear', 'Linear'],
    ['pytorch', 'torch.storage', '_load_from_bytes'],
    ['numpy', 'numpy.core.multiarray', '_reconstruct'],
    ['numpy', 'numpy._core.multiarray', 'scalar'],
    ['numpy', 'numpy', 'float64'],
    ['scipy', 'scipy.sparse._csr', 'csr_matrix'],
    ['scikit-learn', 'sklearn.linear_model._logistic', 'LogisticRegression'],
    ['scikit-learn', 'sklearn.ensemble._forest', 'RandomForestClassifier'],
    ['scikit-learn', 'sklearn.tree._tree', 'Tree'],
    ['joblib', 'joblib.numpy_pickle', 'NumpyArrayWrapper'],
    ['pandas', 'pandas.core.frame', 'DataFrame'],
    ['pandas', 'pandas._libs.internals', '_unpickle_block'],
    ['xgboost', 'xgboost.sklearn', 'XGBClassifier'],
    ['lightgbm', 'lightgbm.basic', 'Booster'],
    ['catboost', 'catboost.core', 'CatBoostClassifier'],
    ['transformers', 'transformers.training_args', 'TrainingArguments'],
    ['transformers', 'transformers.models.llama.configuration_llama', 'LlamaConfig'],
    ['tokenizers', 'tokenizers', 'Tokenizer'],
    ['accelerate', 'accelerate.state', 'PartialState'],
    ['peft', 'peft.tuners.lora.config', 'LoraConfig'],
    ['omegaconf', 'omegaconf.dictconfig', 'DictConfig'],
    ['lightning', 'lightning_fabric.utilities.data', 'AttributeDict'],
    ['pytz', 'pytz', '_p'],
    ['dateutil', 'dateutil.tz.tz', 'tzutc'],
  ])('%s: %s.%s', (library, module, name) => {
    expect(verdict(module, name, 4)).toEqual({ kind: 'allowed', library });
  });

  it('matches exactly, without wildcards', () => {
    expect(verdict('torch.nn.modules.linear', 'Linear2', 4).kind).toBe('unknown');
    expect(verdict('torch.nn.modules', 'linear.Linear', 4).kind).toBe('unknown');
    expect(verdict('builtins', 'type', 4).kind).toBe('unknown');
    expect(verdict('operator', 'getitem', 4).kind).toBe('unknown');
  });

  it('reports counts for every library', () => {
    expect(Object.keys(ALLOWLIST_STATS)).toContain('scikit-learn');
    expect(ALLOWLIST_STATS['scikit-learn']).toBeGreaterThanOrEqual(150);
    expect(ALLOWLIST_STATS.pytorch).toBeGreaterThanOrEqual(200);
  });
});

describe('createPicklePolicy: user entries', () => {
  const custom = createPicklePolicy({
    allow: [
      { module: 'mypkg.models', name: 'MyNet' },
      { module: 'mypkg.models', name: 'MyNet.Config' },
      { module: 'mypkg.layers', name: '*' },
      { module: 'os', name: 'system' },
      { module: 'subprocess', name: '*' },
      { module: 'mypkg.tools', name: 'Runner.eval' },
    ],
  });

  it('allows exact entries and every plain name of a * module', () => {
    expect(custom.classify('mypkg.models', 'MyNet', 4)).toEqual({ kind: 'allowed', library: 'user' });
    expect(custom.classify('mypkg.models', 'MyNet.Config', 4)).toEqual({ kind: 'allowed', library: 'user' });
    expect(custom.classify('mypkg.models', 'Other', 4).kind).toBe('unknown');
    expect(custom.classify('mypkg.layers', 'Block', 4)).toEqual({ kind: 'allowed', library: 'user' });
    expect(custom.classify('mypkg.layers.sub', 'Block', 4).kind).toBe('unknown');
    expect(custom.classify('mypkg.layers', 'Block.Inner', 4).kind).toBe('unknown');
  });

  it('never turns a dangerous global into an allowed one', () => {
    expect(custom.classify('os', 'system', 4).kind).toBe('dangerous');
    expect(custom.classify('subprocess', 'Popen', 4).kind).toBe('dangerous');
    expect(custom.classify('mypkg.tools', 'Runner.eval', 4).kind).toBe('dangerous');
    expect(custom.classify('mypkg.layers', '__builtins__', 4).kind).toBe('dangerous');
  });

  it('leaves the default policy untouched', () => {
    expect(policy.classify('mypkg.models', 'MyNet', 4).kind).toBe('unknown');
  });
});

describe('parseAllowEntry', () => {
  it('parses module:qualname and module:*', () => {
    expect(parseAllowEntry('mypkg.models:MyNet')).toEqual({ module: 'mypkg.models', name: 'MyNet' });
    expect(parseAllowEntry('  mypkg.layers : * ')).toEqual({ module: 'mypkg.layers', name: '*' });
    expect(parseAllowEntry('mypkg:Outer.Inner')).toEqual({ module: 'mypkg', name: 'Outer.Inner' });
    expect(parseAllowEntry('modèle:Réseau')).toEqual({ module: 'modèle', name: 'Réseau' });
    expect(parseAllowEntry('_priv._x:_Y1')).toEqual({ module: '_priv._x', name: '_Y1' });
  });

  it.each([
    '',
    'mypkg',
    'mypkg.MyNet',
    ':MyNet',
    'mypkg:',
    'a:b:c',
    '*:MyNet',
    'mypkg.*:MyNet',
    'mypkg:Net.*',
    'mypkg:*.Net',
    'my pkg:Net',
    'mypkg..models:Net',
    'mypkg.:Net',
    '.mypkg:Net',
    '1pkg:Net',
    'mypkg:My-Net',
    'mypkg:<locals>',
    'mypkg:Net\nos:system',
  ])('rejects %j', (text) => {
    expect(parseAllowEntry(text)).toBeUndefined();
  });
});
