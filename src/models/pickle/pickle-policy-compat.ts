/**
 * Python 2 names as CPython's Unpickler maps them (Lib/_compat_pickle.py, applied by `find_class` when
 * the protocol is below 3 and `fix_imports` is on, the default of pickle, torch.load and numpy.load).
 * Written out as data so that the scan judges the global Python 3 will actually import.
 */

/** `IMPORT_MAPPING`: renamed modules (after the non-mutual updates at the end of `_compat_pickle`). */
const IMPORT_MAPPING: ReadonlyMap<string, string> = new Map([
  ['__builtin__', 'builtins'],
  ['copy_reg', 'copyreg'],
  ['Queue', 'queue'],
  ['SocketServer', 'socketserver'],
  ['ConfigParser', 'configparser'],
  ['repr', 'reprlib'],
  ['tkFileDialog', 'tkinter.filedialog'],
  ['tkSimpleDialog', 'tkinter.simpledialog'],
  ['tkColorChooser', 'tkinter.colorchooser'],
  ['tkCommonDialog', 'tkinter.commondialog'],
  ['Dialog', 'tkinter.dialog'],
  ['Tkdnd', 'tkinter.dnd'],
  ['tkFont', 'tkinter.font'],
  ['tkMessageBox', 'tkinter.messagebox'],
  ['ScrolledText', 'tkinter.scrolledtext'],
  ['Tkconstants', 'tkinter.constants'],
  ['Tix', 'tkinter.tix'],
  ['ttk', 'tkinter.ttk'],
  ['Tkinter', 'tkinter'],
  ['markupbase', '_markupbase'],
  ['_winreg', 'winreg'],
  ['thread', '_thread'],
  ['dummy_thread', '_dummy_thread'],
  ['dbhash', 'dbm.bsd'],
  ['dumbdbm', 'dbm.dumb'],
  ['dbm', 'dbm.ndbm'],
  ['gdbm', 'dbm.gnu'],
  ['xmlrpclib', 'xmlrpc.client'],
  ['SimpleXMLRPCServer', 'xmlrpc.server'],
  ['httplib', 'http.client'],
  ['htmlentitydefs', 'html.entities'],
  ['HTMLParser', 'html.parser'],
  ['Cookie', 'http.cookies'],
  ['cookielib', 'http.cookiejar'],
  ['BaseHTTPServer', 'http.server'],
  ['test.test_support', 'test.support'],
  ['commands', 'subprocess'],
  ['urlparse', 'urllib.parse'],
  ['robotparser', 'urllib.robotparser'],
  ['urllib2', 'urllib.request'],
  ['anydbm', 'dbm'],
  ['_abcoll', 'collections.abc'],
  ['cPickle', 'pickle'],
  ['_elementtree', 'xml.etree.ElementTree'],
  ['FileDialog', 'tkinter.filedialog'],
  ['SimpleDialog', 'tkinter.simpledialog'],
  ['DocXMLRPCServer', 'xmlrpc.server'],
  ['SimpleHTTPServer', 'http.server'],
  ['CGIHTTPServer', 'http.server'],
  ['UserDict', 'collections'],
  ['UserList', 'collections'],
  ['UserString', 'collections'],
  ['whichdb', 'dbm'],
  ['StringIO', 'io'],
  ['cStringIO', 'io'],
]);

/** Python 2 exception names that `_compat_pickle` maps from `exceptions` to `builtins`. */
const PYTHON2_EXCEPTIONS =
  'ArithmeticError AssertionError AttributeError BaseException BufferError BytesWarning DeprecationWarning ' +
  'EOFError EnvironmentError Exception FloatingPointError FutureWarning GeneratorExit IOError ImportError ' +
  'ImportWarning IndentationError IndexError KeyError KeyboardInterrupt LookupError MemoryError NameError ' +
  'NotImplementedError OSError OverflowError PendingDeprecationWarning ReferenceError RuntimeError ' +
  'RuntimeWarning StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TargetScopeError ' +
  'TypeError UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError ' +
  'UnicodeWarning UserWarning ValueError Warning ZeroDivisionError WindowsError';

/** `NAME_MAPPING`: renamed or moved globals, as `[module, name, new module, new name]`. */
const NAME_RENAMES: readonly (readonly [string, string, string, string])[] = [
  ['__builtin__', 'xrange', 'builtins', 'range'],
  ['__builtin__', 'reduce', 'functools', 'reduce'],
  ['__builtin__', 'intern', 'sys', 'intern'],
  ['__builtin__', 'unichr', 'builtins', 'chr'],
  ['__builtin__', 'unicode', 'builtins', 'str'],
  ['__builtin__', 'long', 'builtins', 'int'],
  ['__builtin__', 'basestring', 'builtins', 'str'],
  ['itertools', 'izip', 'builtins', 'zip'],
  ['itertools', 'imap', 'builtins', 'map'],
  ['itertools', 'ifilter', 'builtins', 'filter'],
  ['itertools', 'ifilterfalse', 'itertools', 'filterfalse'],
  ['itertools', 'izip_longest', 'itertools', 'zip_longest'],
  ['UserDict', 'IterableUserDict', 'collections', 'UserDict'],
  ['UserDict', 'UserDict', 'collections', 'UserDict'],
  ['UserList', 'UserList', 'collections', 'UserList'],
  ['UserString', 'UserString', 'collections', 'UserString'],
  ['whichdb', 'whichdb', 'dbm', 'whichdb'],
  ['_socket', 'fromfd', 'socket', 'fromfd'],
  ['socket', '_socketobject', 'socket', 'SocketType'],
  ['_multiprocessing', 'Connection', 'multiprocessing.connection', 'Connection'],
  ['multiprocessing.process', 'Process', 'multiprocessing.context', 'Process'],
  ['multiprocessing.forking', 'Popen', 'multiprocessing.popen_fork', 'Popen'],
  ['multiprocessing', 'AuthenticationError', 'multiprocessing.context', 'AuthenticationError'],
  ['multiprocessing', 'BufferTooShort', 'multiprocessing.context', 'BufferTooShort'],
  ['multiprocessing', 'ProcessError', 'multiprocessing.context', 'ProcessError'],
  ['multiprocessing', 'TimeoutError', 'multiprocessing.context', 'TimeoutError'],
  ['urllib', 'ContentTooShortError', 'urllib.error', 'ContentTooShortError'],
  ['urllib', 'getproxies', 'urllib.request', 'getproxies'],
  ['urllib', 'pathname2url', 'urllib.request', 'pathname2url'],
  ['urllib', 'quote_plus', 'urllib.parse', 'quote_plus'],
  ['urllib', 'quote', 'urllib.parse', 'quote'],
  ['urllib', 'unquote_plus', 'urllib.parse', 'unquote_plus'],
  ['urllib', 'unquote', 'urllib.parse', 'unquote'],
  ['urllib', 'url2pathname', 'urllib.request', 'url2pathname'],
  ['urllib', 'urlcleanup', 'urllib.request', 'urlcleanup'],
  ['urllib', 'urlencode', 'urllib.parse', 'urlencode'],
  ['urllib', 'urlopen', 'urllib.request', 'urlopen'],
  ['urllib', 'urlretrieve', 'urllib.request', 'urlretrieve'],
  ['urllib2', 'HTTPError', 'urllib.error', 'HTTPError'],
  ['urllib2', 'URLError', 'urllib.error', 'URLError'],
  ['exceptions', 'StandardError', 'builtins', 'Exception'],
];

const NAME_MAPPING: ReadonlyMap<string, { module: string; name: string }> = new Map([
  ...NAME_RENAMES.map(([m, n, module, name]) => [`${m}\n${n}`, { module, name }] as const),
  ...PYTHON2_EXCEPTIONS.split(' ').map((n) => [`exceptions\n${n}`, { module: 'builtins', name: n }] as const),
]);

/**
 * The global CPython imports for `module`/`name` as written in a pickle of `protocol`: below protocol 3
 * Python 2 names are mapped (`__builtin__.eval` → `builtins.eval`, `commands` → `subprocess`), from
 * protocol 3 on they are used as written. Mirrors `Unpickler.find_class`: a renamed global first, else
 * a renamed module.
 */
export function resolveCompatName(
  module: string,
  name: string,
  protocol: number,
): { module: string; name: string } {
  if (protocol >= 3) return { module, name };
  const renamed = NAME_MAPPING.get(`${module}\n${name}`);
  if (renamed !== undefined) return renamed;
  return { module: IMPORT_MAPPING.get(module) ?? module, name };
}
