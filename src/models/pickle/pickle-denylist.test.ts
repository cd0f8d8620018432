import { describe, expect, it } from 'vitest';
import { DANGER_CATEGORIES, DENY_EXCEPTIONS, DENY_LIST } from './pickle-denylist.js';
import {
  DANGEROUS_ATTRIBUTE_GROUPS,
  MODULE_ALIASES,
  OBJECT_GRAPH_ATTRIBUTES,
  REFERENCE_ONLY_PATHS,
  REEXPORTING_PACKAGES,
  SIX_MOVES_RENAMES,
} from './pickle-policy-chains.js';
import { denylistStats, findDanger } from './pickle-policy-danger.js';

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const words = (texts: string | readonly string[]): string[] =>
  (typeof texts === 'string' ? [texts] : texts).flatMap((t) => t.split(/\s+/)).filter((w) => w !== '');

const paths = DANGER_CATEGORIES.flatMap((c) => DENY_LIST[c].flatMap(([, p]) => words(p)));

describe('deny list data', () => {
  it('has entries in every category', () => {
    for (const category of DANGER_CATEGORIES) expect(DENY_LIST[category].length).toBeGreaterThan(0);
    const stats = denylistStats();
    for (const category of DANGER_CATEGORIES) expect(stats[category]).toBeGreaterThan(0);
    expect(Object.values(stats).reduce((a, b) => a + b, 0)).toBe(paths.length + 2);
  });

  it('writes every path as a dotted identifier, once', () => {
    for (const path of paths) expect(path).toMatch(DOTTED);
    expect(paths.filter((p, i) => paths.indexOf(p) !== i)).toEqual([]);
  });

  it('writes reasons that complete a sentence', () => {
    for (const category of DANGER_CATEGORIES) {
      for (const [reason] of DENY_LIST[category]) {
        expect(reason).toMatch(/^[a-z]/);
        expect(reason).not.toMatch(/\.$/);
      }
    }
    for (const group of DANGEROUS_ATTRIBUTE_GROUPS) expect(group.reason).toMatch(/^[a-z].*[^.]$/);
  });

  it('covers the modules of the brief', () => {
    const required =
      'os posix nt subprocess _posixsubprocess pty socket _socket ssl shutil sys importlib imp pkgutil runpy ' +
      'ctypes _ctypes cffi marshal pickle _pickle cPickle dill cloudpickle shelve code codeop pdb bdb cProfile ' +
      'profile timeit trace webbrowser urllib.request http.client ftplib smtplib telnetlib requests httpx urllib3 ' +
      'multiprocessing asyncio.subprocess signal tempfile glob io.open builtins.eval builtins.exec builtins.compile ' +
      'builtins.open builtins.__import__ builtins.getattr builtins.setattr builtins.delattr builtins.globals ' +
      'builtins.locals builtins.vars builtins.breakpoint builtins.input builtins.help builtins.__build_class__ ' +
      'builtins.exit builtins.quit operator.attrgetter operator.itemgetter operator.methodcaller types.FunctionType ' +
      'types.CodeType types.ModuleType torch.load torch.serialization.load torch.hub torch.jit.load numpy.load ' +
      'numpy.testing._private joblib.load pandas.read_pickle yaml.load yaml.unsafe_load jinja2 ' +
      'asyncio.create_subprocess_exec asyncio.create_subprocess_shell';
    const missing = words(required).filter((p) => !paths.includes(p));
    expect(missing).toEqual([]);
  });

  it('covers loaders that red-team samples reached through unlisted modules', () => {
    const found = [
      ['scipy.io', 'loadmat'],
      ['scipy.io.matlab', 'loadmat'],
      ['h5py', 'File'],
      ['onnx', 'load'],
      ['safetensors.torch', 'load_file'],
      ['sklearn.datasets', 'fetch_openml'],
      ['torch.utils.model_zoo', 'load_url'],
      ['torch.utils.data.datapipes.iter.fileopener', 'FileOpenerIterDataPipe'],
    ].map(([module = '', name = '']) => findDanger(module, name)?.category);
    expect(found).toEqual([
      'file-access',
      'file-access',
      'file-access',
      'file-access',
      'file-access',
      'network-access',
      'nested-unpickling',
      'file-access',
    ]);
    expect(findDanger('onnx', 'load_from_string')).toBeUndefined();
  });

  it('keeps aliases, exceptions and re-exports consistent with the rules', () => {
    for (const alias of words(MODULE_ALIASES)) {
      expect(paths.includes(alias) || alias in REFERENCE_ONLY_PATHS).toBe(true);
    }
    for (const [path, children] of Object.entries(DENY_EXCEPTIONS)) {
      expect(paths).toContain(path);
      for (const child of children) expect(findDanger(path, child)).toBeUndefined();
    }
    for (const prefix of Object.keys(REEXPORTING_PACKAGES)) expect(prefix).toMatch(DOTTED);
    for (const target of Object.values(SIX_MOVES_RENAMES)) expect(target).toMatch(DOTTED);
    for (const attribute of words(OBJECT_GRAPH_ATTRIBUTES)) {
      expect(findDanger('collections', attribute)?.category).toBe('attribute-access');
    }
  });

  it('finds every path dangerous through the matcher, with its own category', () => {
    for (const category of DANGER_CATEGORIES) {
      for (const [, text] of DENY_LIST[category]) {
        for (const path of words(text)) {
          const cut = path.lastIndexOf('.');
          const [module, name] = cut < 0 ? [path, 'anything'] : [path.slice(0, cut), path.slice(cut + 1)];
          expect(findDanger(module, name)?.category, path).toBe(category);
        }
      }
    }
  });

  it('flags every dangerous attribute name inside a dotted name', () => {
    for (const group of DANGEROUS_ATTRIBUTE_GROUPS) {
      for (const name of words(group.names)) {
        expect(findDanger('mypkg', `Holder.${name}`), name).toBeDefined();
      }
    }
  });
});
