import type { LibraryAllowlist } from './allowlist.js';

const SCALAR_TYPES =
  'bool_ bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 intc uintc intp uintp int_ uint longlong ' +
  'ulonglong short ushort byte ubyte float16 float32 float64 half single double longdouble float_ complex64 ' +
  'complex128 complex_ csingle cdouble clongdouble object_ str_ bytes_ unicode_ string_ void datetime64 timedelta64';

const RECONSTRUCT = ['_reconstruct scalar'];

/**
 * NumPy arrays, scalars and random states as pickled by NumPy 1.x (`numpy.core`) and 2.x (`numpy._core`);
 * scalar types appear wherever an estimator stores `dtype=np.float64`.
 */
export const NUMPY_ALLOWLIST: LibraryAllowlist = {
  library: 'numpy',
  modules: {
    numpy: ['ndarray dtype matrix record recarray', SCALAR_TYPES],
    'numpy.core.multiarray': RECONSTRUCT,
    'numpy._core.multiarray': RECONSTRUCT,
    'numpy.core._multiarray_umath': RECONSTRUCT,
    'numpy._core._multiarray_umath': RECONSTRUCT,
    'numpy.core.numeric': ['_frombuffer'],
    'numpy._core.numeric': ['_frombuffer'],
    'numpy.core.records': ['record recarray'],
    'numpy._core.records': ['record recarray'],
    'numpy.ma.core': ['_mareconstruct MaskedArray MaskedConstant'],
    'numpy.matrixlib.defmatrix': ['matrix'],
    'numpy.dtypes': [
      'BoolDType Int8DType UInt8DType Int16DType UInt16DType Int32DType UInt32DType Int64DType UInt64DType ' +
        'ByteDType UByteDType ShortDType UShortDType IntDType UIntDType LongDType ULongDType LongLongDType ' +
        'ULongLongDType Float16DType Float32DType Float64DType LongDoubleDType Complex64DType Complex128DType ' +
        'CLongDoubleDType ObjectDType BytesDType StrDType VoidDType DateTime64DType TimeDelta64DType StringDType',
    ],
    'numpy.random._pickle': ['__randomstate_ctor __generator_ctor __bit_generator_ctor'],
    'numpy.random.mtrand': ['RandomState'],
    'numpy.random._generator': ['Generator'],
    'numpy.random._mt19937': ['MT19937'],
    'numpy.random._pcg64': ['PCG64 PCG64DXSM'],
    'numpy.random._philox': ['Philox'],
    'numpy.random._sfc64': ['SFC64'],
    'numpy.random.bit_generator': ['SeedSequence'],
    'numpy.polynomial.polynomial': ['Polynomial'],
    'numpy.polynomial.chebyshev': ['Chebyshev'],
    'numpy.polynomial.legendre': ['Legendre'],
    'numpy.polynomial.hermite': ['Hermite'],
    'numpy.polynomial.hermite_e': ['HermiteE'],
    'numpy.polynomial.laguerre': ['Laguerre'],
  },
};

/**
 * SciPy sparse matrices and arrays (TF-IDF features, one-hot encodings). Distribution objects from
 * `scipy.stats` are left out on purpose: their `__setstate__` runs `exec` on a template string taken
 * from the pickled state.
 */
export const SCIPY_ALLOWLIST: LibraryAllowlist = {
  library: 'scipy',
  modules: {
    'scipy.sparse._csr': ['csr_matrix csr_array'],
    'scipy.sparse._csc': ['csc_matrix csc_array'],
    'scipy.sparse._coo': ['coo_matrix coo_array'],
    'scipy.sparse._lil': ['lil_matrix lil_array'],
    'scipy.sparse._dok': ['dok_matrix dok_array'],
    'scipy.sparse._dia': ['dia_matrix dia_array'],
    'scipy.sparse._bsr': ['bsr_matrix bsr_array'],
    'scipy.sparse.csr': ['csr_matrix'],
    'scipy.sparse.csc': ['csc_matrix'],
    'scipy.sparse.coo': ['coo_matrix'],
    'scipy.sparse.lil': ['lil_matrix'],
    'scipy.sparse.dok': ['dok_matrix'],
    'scipy.sparse.dia': ['dia_matrix'],
    'scipy.sparse.bsr': ['bsr_matrix'],
  },
};
