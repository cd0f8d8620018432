/**
 * What makes a pickle global dangerous, as data. The policy is allowlist-first: this list never decides
 * that something is safe, it only explains why a global is worse than "not reviewed". Entries were
 * checked against CPython's standard library and the deny lists of picklescan, modelscan, fickling and
 * ModelAudit, plus gadgets those lists miss (torch.fx source replay, scipy.stats state, numexpr,
 * logging.config).
 */

/** Why a global is dangerous; shown with every critical pickle finding. */
export const DANGER_CATEGORIES = [
  'code-execution',
  'file-access',
  'network-access',
  'process-control',
  'import-machinery',
  'nested-unpickling',
  'attribute-access',
  'memory-access',
  'interpreter-tampering',
] as const;

/** One of {@link DANGER_CATEGORIES}. */
export type DangerCategory = (typeof DANGER_CATEGORIES)[number];

/**
 * A reason and the dotted paths (space-separated) it applies to. A path covers everything below it:
 * `os` covers `os.system`, `builtins.eval` covers `builtins.eval.__call__`. The reason completes the
 * sentence "`<path>` …" and has no final period.
 */
export type DenyEntry = readonly [reason: string, paths: string];

/** Dangerous modules and callables by category, matched on dotted-path boundaries. */
export const DENY_LIST: Readonly<Record<DangerCategory, readonly DenyEntry[]>> = {
  'code-execution': [
    ['evaluates a string as Python code', 'builtins.eval builtins.exec builtins.execfile'],
    ['compiles Python source into a code object that a later call can run', 'builtins.compile'],
    [
      'runs a function body to build a class, the primitive behind the class statement',
      'builtins.__build_class__',
    ],
    [
      'drops into a debugger, or whatever PYTHONBREAKPOINT names, which can run any code',
      'builtins.breakpoint',
    ],
    ['provides interpreters that compile and run Python source strings', 'code codeop'],
    ['runs a module or a file as a script', 'runpy'],
    [
      'runs strings of Python source under a debugger, profiler or timer',
      'pdb bdb cProfile profile timeit trace',
    ],
    [
      'runs source embedded in docstrings or test helpers, or compiles and imports C extensions',
      'doctest test.support test.libregrtest numpy.testing._private',
    ],
    [
      'builds a function from a code object and a dictionary of globals',
      'types.FunctionType types.LambdaType',
    ],
    ['creates a code object from raw bytecode', 'types.CodeType'],
    ['turns bytes into code objects that can be run', 'marshal'],
    [
      'installs packages or builds environments and extensions, running their setup code',
      'pip ensurepip setuptools distutils numpy.distutils venv',
    ],
    [
      'compiles generated or native code and runs it in the loading process',
      'torch.compile torch._dynamo torch._inductor torch.utils.cpp_extension Cython pyximport ' +
        'numpy.f2py',
    ],
    [
      'runs Python source carried in the pickle',
      'torch.fx.graph_module.reduce_graph_module torch.fx.graph_module.reduce_package_graph_module ' +
        'torch.fx.graph_module.reduce_deploy_graph_module torch.fx.graph_module._exec_with_source ' +
        'torch.fx.graph_module._forward_from_src torch.jit.unsupported_tensor_ops ' +
        'torch.jit.annotations.parse_type_line ' +
        'torch.fx.experimental.symbolic_shapes.ShapeEnv.evaluate_guards_expression ' +
        'torch.utils.bottleneck',
    ],
    [
      'loads TorchScript or packaged Python code, which runs when the model is used',
      'torch.jit.load torch.jit._serialization.load torch.package torch._C.import_ir_module ' +
        'torch._C.import_ir_module_from_buffer torch._C._load_for_lite_interpreter ' +
        'torch._C._load_for_lite_interpreter_from_buffer',
    ],
    [
      'runs code through an interactive shell, completer or grammar helper',
      'IPython rlcompleter _pyrepl idlelib lib2to3',
    ],
    [
      'evaluates expression strings',
      'pandas.eval pandas.core.computation numexpr.evaluate numexpr.re_evaluate',
    ],
    [
      'compiles template source into Python code, and an unsandboxed template runs any expression when rendered',
      'jinja2',
    ],
    [
      'constructs arbitrary Python objects from YAML tags, calling any function on the way',
      'yaml.load yaml.load_all yaml.unsafe_load yaml.unsafe_load_all yaml.full_load ' + 'yaml.full_load_all',
    ],
    ['imports any object by name and pipes text through a shell pager', 'pydoc'],
    [
      'restores distribution objects by running exec on a template string taken from the pickled state',
      'scipy.stats._distn_infrastructure scipy.stats._continuous_distns ' +
        'scipy.stats._discrete_distns scipy.stats._levy_stable scipy.stats.distributions ' +
        'scipy.stats.rv_continuous scipy.stats.rv_discrete scipy.stats.rv_histogram',
    ],
    [
      'evaluates expressions from configuration files and can listen on a socket for new configuration',
      'logging.config',
    ],
    [
      'downloads and runs dataset scripts or remote model code',
      'datasets.load_dataset transformers.dynamic_module_utils',
    ],
  ],
  'nested-unpickling': [
    [
      'deserializes another pickle stream, which runs whatever that stream names',
      'pickle _pickle cPickle dill cloudpickle jsonpickle shelve torch.load ' +
        'torch.serialization.load torch.serialization._load torch.serialization._legacy_load ' +
        'numpy.load numpy.lib.npyio.load numpy.lib._npyio_impl.load numpy.lib.format.read_array ' +
        'joblib.load joblib.numpy_pickle.load joblib.numpy_pickle._unpickle ' +
        'joblib.numpy_pickle.load_compatibility joblib.numpy_pickle_compat.load_compatibility ' +
        'joblib.externals sklearn.externals.joblib.load sklearn.externals.joblib.numpy_pickle.load ' +
        'pandas.read_pickle pandas.io.pickle torch.utils._config_module.ConfigModule.load_config ' +
        'torch.utils.data.datapipes.utils.decoder.basichandlers torch.utils.model_zoo',
    ],
    [
      'loads a saved model whose layers can carry code',
      'keras.models.load_model keras.saving.load_model keras.src.saving.saving_api.load_model ' +
        'tensorflow.keras.models.load_model',
    ],
  ],
  'file-access': [
    [
      'opens a file by path for reading or writing',
      'builtins.open builtins.file io.open io.open_code io.FileIO _io.open _io.open_code _io.FileIO ' +
        'codecs.open fileinput linecache',
    ],
    ['copies, moves or deletes files and whole directory trees', 'shutil'],
    ['creates files and directories in the temporary directory', 'tempfile'],
    ['lists or compares files, revealing the file system', 'glob filecmp'],
    ["reads credentials from the user's .netrc file", 'netrc'],
    ['opens databases or archives that it can write or extract', 'sqlite3 _sqlite3 dbm tarfile zipfile'],
    ['writes compiled bytecode files', 'compileall py_compile'],
    ['writes log records to a file', 'logging.FileHandler logging.basicConfig'],
    ['reads and writes the Windows registry', 'winreg _winreg'],
    ['caches function results in files on disk', 'joblib.memory joblib.Memory'],
    [
      'reads or writes model and data files named in the pickle',
      'scipy.io h5py onnx.load onnx.load_model onnx.load_tensor onnx.save onnx.save_model onnx.save_tensor ' +
        'safetensors.torch.load_file safetensors.torch.save_file safetensors.torch.load_model ' +
        'safetensors.torch.save_model safetensors.numpy.load_file safetensors.numpy.save_file ' +
        'safetensors.safe_open torch.utils.data.datapipes.iter.fileopener',
    ],
    [
      'reads or writes array data in files named by the pickle',
      'numpy.fromfile numpy.core.multiarray.fromfile numpy._core.multiarray.fromfile numpy.memmap ' +
        'numpy.core.memmap numpy._core.memmap numpy.save numpy.savez numpy.savez_compressed ' +
        'numpy.savetxt numpy.loadtxt numpy.genfromtxt numpy.fromregex numpy.lib.format.open_memmap ' +
        'numpy.lib.npyio numpy.lib._npyio_impl torch.from_file torch.save torch.serialization.save ' +
        'torch.serialization._save torch.serialization._legacy_save ' +
        'torch.serialization._open_file_like torch.serialization._open_file ' +
        'torch.serialization._open_zipfile_reader torch.serialization._open_zipfile_writer ' +
        'joblib.dump joblib.numpy_pickle.dump',
    ],
    [
      'reads a file or URL named in the pickle',
      'pandas.read_csv pandas.read_table pandas.read_fwf pandas.read_json pandas.read_html ' +
        'pandas.read_xml pandas.read_excel pandas.read_parquet pandas.read_feather pandas.read_orc ' +
        'pandas.read_hdf pandas.read_sql pandas.read_sql_table pandas.read_sql_query ' +
        'pandas.read_stata pandas.read_sas pandas.read_spss pandas.read_clipboard pandas.io ' +
        'tensorflow.io.gfile tensorflow.io.read_file tensorflow.io.write_file',
    ],
  ],
  'network-access': [
    ['opens network sockets', 'socket _socket ssl _ssl socketserver'],
    [
      'makes HTTP, FTP, mail or RPC connections',
      'http.client http.server urllib.request ftplib smtplib smtpd poplib imaplib nntplib telnetlib ' +
        'xmlrpc requests httpx urllib3 aiohttp websocket websockets paramiko',
    ],
    ['opens connections and servers through the event loop', 'asyncio'],
    ['opens a URL in a web browser', 'webbrowser'],
    ['downloads data sets from the network or reads data files by path', 'sklearn.datasets'],
    [
      'downloads files or models, and can run the code they contain',
      'torch.hub huggingface_hub transformers.pipeline torchvision.datasets.utils numpy.DataSource ' +
        'numpy.lib._datasource',
    ],
    ['sends log records over sockets, SMTP or HTTP, or writes them to files', 'logging.handlers'],
    [
      'connects to a distributed process group or calls functions on remote workers',
      'torch.distributed.rpc torch.distributed.init_process_group ' +
        'torch.distributed.distributed_c10d.init_process_group',
    ],
  ],
  'process-control': [
    ['runs shell commands, starts processes and reads or writes files', 'os posix nt'],
    [
      'runs external programs',
      'subprocess _posixsubprocess _winapi pty pexpect asyncio.subprocess ' +
        'asyncio.create_subprocess_exec asyncio.create_subprocess_shell _osx_support _aix_support ' +
        'platform.popen platform._syscmd_ver platform._syscmd_file platform._syscmd_uname ' +
        'uuid._get_command_stdout uuid._popen uuid._find_mac uuid._find_mac_near_keyword ' +
        'uuid._find_mac_under_heading uuid._ifconfig_getnode uuid._ip_getnode uuid._arp_getnode ' +
        'uuid._lanscan_getnode uuid._netstat_getnode uuid._ipconfig_getnode uuid._netbios_getnode ' +
        'torch.utils.collect_env',
    ],
    [
      'starts processes, threads or worker pools that run functions',
      'multiprocessing concurrent.futures.process concurrent.futures.ProcessPoolExecutor ' +
        'concurrent.futures.ThreadPoolExecutor threading _thread torch.multiprocessing ' +
        'torch.distributed.elastic torch.distributed.run torch.distributed.launch ' +
        'torch.distributed.launcher joblib.parallel joblib.Parallel joblib.pool joblib.executor ' +
        'joblib._parallel_backends',
    ],
    ['sends signals or replaces the signal handlers of the loading process', 'signal _signal'],
    ['registers functions that run when the interpreter exits', 'atexit'],
    ['exits the loading process', 'builtins.exit builtins.quit'],
    ['blocks the loading process waiting for terminal input', 'builtins.input builtins.raw_input'],
    ['starts the interactive help system, which pages text through an external program', 'builtins.help'],
    ['changes the resource limits of the loading process', 'resource'],
  ],
  'import-machinery': [
    [
      'imports modules by name or from arbitrary files',
      'builtins.__import__ builtins.reload importlib imp _imp zipimport pkgutil _frozen_importlib ' +
        '_frozen_importlib_external importlib_metadata pkg_resources',
    ],
    ['processes .pth files and site directories, which can run code', 'site'],
    ['creates module objects that can stand in for real modules', 'types.ModuleType'],
  ],
  'attribute-access': [
    [
      'reads, writes or deletes any attribute of any object, the first step of most gadget chains',
      'builtins.getattr builtins.setattr builtins.delattr',
    ],
    [
      'exposes a namespace dictionary full of modules and functions',
      'builtins.globals builtins.locals builtins.vars',
    ],
    [
      'builds callables that fetch attributes, items or methods of whatever they are given',
      'operator.attrgetter operator.itemgetter operator.methodcaller _operator.attrgetter ' +
        '_operator.itemgetter _operator.methodcaller',
    ],
    ['binds any function to any object as a method', 'types.MethodType'],
    ['hands out every live object of the interpreter, modules included', 'gc'],
    ['reaches stack frames, their globals and the internals of any object', 'inspect'],
  ],
  'memory-access': [
    [
      'loads native libraries, calls native functions and reads or writes raw memory',
      'ctypes _ctypes cffi numpy.ctypeslib _testcapi _testinternalcapi',
    ],
    ['maps files or anonymous memory into the loading process', 'mmap'],
  ],
  'interpreter-tampering': [
    ['reaches sys.modules, the import path, tracing hooks and interpreter exit', 'sys'],
    [
      'changes how every later pickle is loaded by registering reducers or extension codes',
      'copyreg.pickle copyreg.add_extension copyreg.remove_extension copyreg.clear_extension_cache ' +
        'copyreg.constructor',
    ],
    [
      "widens what PyTorch's weights-only loader accepts or how it restores storages",
      'torch.serialization.add_safe_globals torch.serialization.safe_globals ' +
        'torch.serialization.clear_safe_globals torch.serialization.register_package',
    ],
    [
      'installs a hook that runs on every forward or backward pass of every module',
      'torch.nn.modules.module.register_module_forward_hook ' +
        'torch.nn.modules.module.register_module_forward_pre_hook ' +
        'torch.nn.modules.module.register_module_full_backward_hook ' +
        'torch.nn.modules.module.register_module_full_backward_pre_hook ' +
        'torch.nn.modules.module.register_module_backward_hook ' +
        'torch.nn.modules.module.register_module_buffer_registration_hook ' +
        'torch.nn.modules.module.register_module_parameter_registration_hook ' +
        'torch.nn.modules.module.register_module_module_registration_hook',
    ],
  ],
};

/**
 * Harmless children of a dangerous path: `os.path` is `posixpath`/`ntpath`, whose functions only build
 * and inspect path strings.
 */
export const DENY_EXCEPTIONS: Readonly<Record<string, readonly string[]>> = { os: ['path'] };
