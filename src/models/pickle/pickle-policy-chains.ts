import type { DangerCategory } from './pickle-denylist.js';

/**
 * One-segment paths that count even as a one-part name (`torch` + `os`), because modules routinely hold
 * them as attributes. Other one-segment paths count away from the start only inside a dotted name,
 * since words such as `code` or `signal` are also ordinary function names.
 */
export const MODULE_ALIASES: readonly string[] = [
  'os posix nt sys subprocess importlib pickle _pickle cPickle marshal ctypes _ctypes socket _socket shutil runpy ' +
    'pty dill cloudpickle builtins __builtin__',
];

/**
 * Modules that are harmless to import themselves but dangerous to reach from elsewhere: reaching the
 * builtins module is the step before eval, exec and __import__.
 */
export const REFERENCE_ONLY_PATHS: Readonly<Record<string, { category: DangerCategory; reason: string }>> = {
  builtins: { category: 'code-execution', reason: 'holds eval, exec, open and __import__' },
  __builtin__: { category: 'code-execution', reason: 'holds eval, exec, open and __import__' },
};

/**
 * Packages that re-export other modules under their own path; a path through them is also judged as
 * the module it reaches. An empty target means the next segment names the module (renamed through
 * {@link SIX_MOVES_RENAMES}).
 */
export const REEXPORTING_PACKAGES: Readonly<Record<string, string>> = {
  'six.moves': '',
  'sklearn.externals.six.moves': '',
  'future.moves': '',
  'future.builtins': 'builtins',
  'past.builtins': 'builtins',
};

/** The names under which `six.moves` exposes Python 3 modules and functions (six 1.16). */
export const SIX_MOVES_RENAMES: Readonly<Record<string, string>> = {
  cPickle: 'pickle',
  http_client: 'http.client',
  BaseHTTPServer: 'http.server',
  CGIHTTPServer: 'http.server',
  SimpleHTTPServer: 'http.server',
  http_cookiejar: 'http.cookiejar',
  http_cookies: 'http.cookies',
  xmlrpc_client: 'xmlrpc.client',
  xmlrpc_server: 'xmlrpc.server',
  urllib_request: 'urllib.request',
  urllib_response: 'urllib.response',
  urllib_error: 'urllib.error',
  urllib_parse: 'urllib.parse',
  urllib_robotparser: 'urllib.robotparser',
  dbm_gnu: 'dbm.gnu',
  dbm_ndbm: 'dbm.ndbm',
  input: 'builtins.input',
  intern: 'sys.intern',
  reload_module: 'importlib.reload',
  reduce: 'functools.reduce',
  getcwd: 'os.getcwd',
  getcwdb: 'os.getcwdb',
  getoutput: 'subprocess.getoutput',
  shlex_quote: 'shlex.quote',
};

/**
 * Attributes that open the object graph: from any object they lead to classes, functions, globals and
 * frames, which is how sandbox escapes reach `os` from a harmless start. Matched in any name.
 */
export const OBJECT_GRAPH_ATTRIBUTES: readonly string[] = [
  '__globals__ __builtins__ __import__ __subclasses__ __class__ __mro__ __bases__ __base__ __getattribute__ ' +
    '__getattr__ __setattr__ __delattr__ __dict__ __code__ __closure__ __func__ __self__ __reduce__ __reduce_ex__ ' +
    '__init__ __new__ __call__ __loader__ __spec__ __wrapped__ __defaults__ __kwdefaults__ __objclass__ ' +
    '__init_subclass__ __class_getitem__ __set_name__ __getstate__ __setstate__ __getitem__ __setitem__ __get__ ' +
    '__set__ func_globals func_code f_globals f_locals f_builtins f_back f_code gi_frame gi_code cr_frame cr_code ' +
    'ag_frame ag_code tb_frame tb_next im_func im_self',
];

/** Attribute names whose appearance inside a dotted name marks the chain as dangerous. */
export interface DangerousAttributeGroup {
  readonly category: DangerCategory;
  /** Completes "…reaches the attribute `x`, which …"; no final period. */
  readonly reason: string;
  readonly names: string;
}

/**
 * Attributes that a dotted name (protocol 4 qualified names, resolved by getattr chains) must never
 * walk to. Legitimate dotted names are nested classes; none of these is one.
 */
export const DANGEROUS_ATTRIBUTE_GROUPS: readonly DangerousAttributeGroup[] = [
  {
    category: 'process-control',
    reason: 'runs a shell command or starts a process',
    names:
      'system popen popen2 popen3 popen4 Popen spawn spawnl spawnle spawnlp spawnlpe spawnv spawnve spawnvp spawnvpe ' +
      'posix_spawn posix_spawnp execl execle execlp execlpe execv execve execvp execvpe fork forkpty getoutput ' +
      'getstatusoutput check_output check_call startfile _exit abort kill killpg',
  },
  {
    category: 'code-execution',
    reason: 'evaluates or runs code',
    names:
      'eval exec execfile compile run runctx runcall runeval runcode runsource runcommand runstring execWrapper ' +
      'evaluate_guards_expression compile_file load_inline interact',
  },
  {
    category: 'nested-unpickling',
    reason: 'deserializes another file or byte string',
    names: 'load loads load_all unsafe_load full_load read_pickle load_model Unpickler',
  },
  {
    category: 'import-machinery',
    reason: 'imports a module by name or from a file',
    names:
      'import_module reload find_spec module_from_spec spec_from_file_location exec_module load_module get_importer resolve_name locate',
  },
  {
    category: 'file-access',
    reason: 'reads, writes or deletes a file',
    names:
      'open from_file fromfile tofile read_text read_bytes write_text write_bytes unlink rmtree rmdir remove ' +
      'removedirs symlink_to hardlink_to chmod chown touch truncate save savez savetxt to_pickle memmap',
  },
  {
    category: 'network-access',
    reason: 'fetches data from the network',
    names:
      'urlopen urlretrieve from_pretrained hf_hub_download snapshot_download load_state_dict_from_url download_url_to_file create_connection',
  },
  {
    category: 'attribute-access',
    reason: 'fetches or changes attributes of arbitrary objects',
    names:
      'getattr setattr delattr globals locals vars attrgetter itemgetter methodcaller get_objects get_referrers get_referents _getframe currentframe',
  },
  {
    category: 'memory-access',
    reason: 'loads a native library or calls through a raw pointer',
    names: 'CDLL PyDLL WinDLL OleDLL LoadLibrary dlopen load_library cdll windll oledll pydll pythonapi',
  },
  {
    category: 'interpreter-tampering',
    reason: 'installs an interpreter-wide hook',
    names: 'settrace setprofile addaudithook add_safe_globals register_package',
  },
];
