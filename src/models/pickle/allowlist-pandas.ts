import type { LibraryAllowlist } from './allowlist.js';

/**
 * pandas DataFrame, Series and Index internals as pandas 1.x and 2.x pickle them: block managers and
 * blocks, index constructors, extension arrays and dtypes, and the Cython time types.
 */
export const PANDAS_ALLOWLIST: LibraryAllowlist = {
  library: 'pandas',
  modules: {
    'pandas.core.frame': ['DataFrame'],
    'pandas.core.series': ['Series'],
    'pandas.core.flags': ['Flags'],
    'pandas.core.internals.managers': ['BlockManager SingleBlockManager'],
    'pandas.core.internals.array_manager': ['ArrayManager SingleArrayManager'],
    'pandas.core.internals.blocks': [
      'Block NumpyBlock ObjectBlock ExtensionBlock DatetimeTZBlock DatetimeLikeBlock CategoricalBlock new_block ' +
        'FloatBlock IntBlock BoolBlock ComplexBlock DatetimeBlock TimeDeltaBlock',
    ],
    'pandas._libs.internals': ['_unpickle_block BlockPlacement'],
    'pandas.core.indexes.base': ['Index _new_Index'],
    'pandas.core.indexes.range': ['RangeIndex'],
    'pandas.core.indexes.multi': ['MultiIndex'],
    'pandas.core.indexes.datetimes': ['DatetimeIndex _new_DatetimeIndex'],
    'pandas.core.indexes.timedeltas': ['TimedeltaIndex'],
    'pandas.core.indexes.period': ['PeriodIndex _new_PeriodIndex'],
    'pandas.core.indexes.interval': ['IntervalIndex _new_IntervalIndex'],
    'pandas.core.indexes.category': ['CategoricalIndex'],
    'pandas.core.indexes.numeric': ['NumericIndex Int64Index UInt64Index Float64Index'],
    'pandas.core.arrays.categorical': ['Categorical'],
    'pandas.core.arrays.datetimes': ['DatetimeArray'],
    'pandas.core.arrays.timedeltas': ['TimedeltaArray'],
    'pandas.core.arrays.period': ['PeriodArray'],
    'pandas.core.arrays.interval': ['IntervalArray'],
    'pandas.core.arrays.integer': [
      'IntegerArray Int8Dtype Int16Dtype Int32Dtype Int64Dtype UInt8Dtype UInt16Dtype UInt32Dtype UInt64Dtype',
    ],
    'pandas.core.arrays.floating': ['FloatingArray Float32Dtype Float64Dtype'],
    'pandas.core.arrays.boolean': ['BooleanArray BooleanDtype'],
    'pandas.core.arrays.string_': ['StringArray StringDtype'],
    'pandas.core.arrays.string_arrow': ['ArrowStringArray'],
    'pandas.core.arrays.numpy_': ['NumpyExtensionArray PandasArray'],
    'pandas.core.arrays.sparse.array': ['SparseArray'],
    'pandas.core.arrays.sparse.dtype': ['SparseDtype'],
    'pandas.core.arrays.arrow.array': ['ArrowExtensionArray'],
    'pandas.core.dtypes.dtypes': [
      'CategoricalDtype DatetimeTZDtype PeriodDtype IntervalDtype SparseDtype ArrowDtype NumpyEADtype',
    ],
    'pandas._libs.tslibs.timestamps': ['Timestamp _unpickle_timestamp'],
    'pandas._libs.tslibs.timedeltas': ['Timedelta _timedelta_unpickle'],
    'pandas._libs.tslibs.nattype': ['__nat_unpickle'],
    'pandas._libs.tslibs.period': ['Period'],
    'pandas._libs.tslibs.offsets': [
      'DateOffset Day Hour Minute Second Milli Micro Nano Week BusinessDay MonthEnd MonthBegin ' +
        'BusinessMonthEnd BusinessMonthBegin QuarterEnd QuarterBegin YearEnd YearBegin Easter',
    ],
    'pandas._libs.interval': ['Interval'],
    'pandas._libs.sparse': ['IntIndex BlockIndex'],
    'pandas._libs.missing': ['NA'],
  },
};
