import type { LibraryAllowlist } from './allowlist.js';

const PATH_CLASSES = ['Path PurePath PosixPath WindowsPath PurePosixPath PureWindowsPath'];

/**
 * Standard-library types that checkpoints and training state legitimately hold: containers, the
 * reconstructors CPython itself writes, dates, paths, numbers and `typing` forms (OmegaConf metadata).
 * `functools.partial` is here on purpose: it only wraps a callable that the pickle must name as its own
 * global, which is classified on its own; `getattr`, `type` and `operator.getitem` are not.
 */
export const PYTHON_ALLOWLIST: LibraryAllowlist = {
  library: 'python',
  modules: {
    builtins: [
      'set frozenset bytearray bytes slice range complex object int float str bool tuple list dict Ellipsis NotImplemented',
    ],
    collections: ['OrderedDict defaultdict deque Counter ChainMap UserDict UserList UserString'],
    copyreg: ['_reconstructor __newobj__ __newobj_ex__'],
    _codecs: ['encode'],
    datetime: ['date time datetime timedelta timezone'],
    decimal: ['Decimal'],
    fractions: ['Fraction'],
    uuid: ['UUID SafeUUID'],
    argparse: ['Namespace'],
    re: ['_compile RegexFlag'],
    pathlib: PATH_CLASSES,
    'pathlib._local': PATH_CLASSES,
    types: ['SimpleNamespace'],
    io: ['BytesIO'],
    _io: ['BytesIO'],
    array: ['array _array_reconstructor'],
    functools: ['partial'],
    logging: ['getLogger'],
    typing: ['Any Union Optional List Dict Tuple Set FrozenSet Sequence Mapping Callable'],
    zoneinfo: ['ZoneInfo ZoneInfo._unpickle'],
  },
};

/** pytz time zones, found in pandas and datetime data. */
export const PYTZ_ALLOWLIST: LibraryAllowlist = {
  library: 'pytz',
  modules: { pytz: ['_p _UTC'] },
};

/** dateutil's fixed and local time zones. */
export const DATEUTIL_ALLOWLIST: LibraryAllowlist = {
  library: 'dateutil',
  modules: { 'dateutil.tz.tz': ['tzutc tzoffset tzlocal'] },
};
