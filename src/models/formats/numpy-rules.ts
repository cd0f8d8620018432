import { defineRule, type Rule } from '../../core/rules.js';

/** The .npy magic, version or header dictionary is broken. */
export const NPY_HEADER_MALFORMED = defineRule({
  id: 'BW-MODEL-030',
  name: 'npy-header-malformed',
  title: 'NumPy .npy header is malformed',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'A .npy file starts with `\\x93NUMPY`, a version (1.0, 2.0 or 3.0), a header length and a Python dict ' +
    "literal with exactly the keys 'descr', 'fortran_order' and 'shape'. This header has a wrong version, a " +
    'length past the end of the file, text that is not a plain literal, or keys and values of the wrong ' +
    'kind, so numpy refuses it. Bulwark parses the literal itself and never evaluates it.',
  remediation: 'Do not load the file; save the array again with numpy.save or obtain a fresh copy.',
});

/** The dtype description is not one numpy knows. */
export const NPY_UNKNOWN_DTYPE = defineRule({
  id: 'BW-MODEL-031',
  name: 'npy-unknown-dtype',
  title: 'NumPy .npy dtype is not recognised',
  defaultSeverity: 'medium',
  controls: ['R1'],
  description:
    "The 'descr' of the header is not a dtype numpy.save writes (a type string such as '<f4', or a list of " +
    'fields), so the size of the data cannot be checked and numpy may refuse the file or read it in an ' +
    'unexpected way. If the data looks like a pickle it is scanned as one anyway.',
  remediation: 'Save the array again with numpy.save, or find out which tool produced this dtype.',
});

/** The array holds Python objects, so its data is a pickle. */
export const NPY_OBJECT_ARRAY = defineRule({
  id: 'BW-MODEL-032',
  name: 'npy-object-array',
  title: 'NumPy .npy array holds Python objects (pickled data)',
  defaultSeverity: 'low',
  controls: ['R1'],
  description:
    'The dtype is `object` or has an object field, so numpy stores the data as a pickle and ' +
    '`np.load(..., allow_pickle=True)` runs it. The pickle is scanned and anything dangerous in it is reported ' +
    'separately; this finding records that loading the file needs allow_pickle, which turns any such file ' +
    'into code.',
  remediation:
    'Store numeric data with a numeric dtype; keep allow_pickle=False when loading files you did not create.',
});

/** The data after the header is shorter or longer than shape × itemsize. */
export const NPY_DATA_SIZE_MISMATCH = defineRule({
  id: 'BW-MODEL-033',
  name: 'npy-data-size-mismatch',
  title: 'NumPy .npy data size does not match the header',
  defaultSeverity: 'medium',
  controls: ['R1', 'D7'],
  description:
    'The bytes after the header must be exactly the number of elements of the shape times the item size. ' +
    'Fewer bytes mean a truncated file that numpy refuses; more bytes are ignored by numpy and invisible to ' +
    'anyone inspecting the array, a place to append a hidden payload.',
  remediation: 'Download or save the file again; find out what any extra bytes are.',
});

/** The header is larger than numpy accepts by default. */
export const NPY_HEADER_OVERSIZED = defineRule({
  id: 'BW-MODEL-034',
  name: 'npy-header-oversized',
  title: 'NumPy .npy header is larger than numpy accepts by default',
  defaultSeverity: 'low',
  controls: ['D7'],
  description:
    'numpy refuses headers longer than 10,000 bytes unless the caller raises `max_header_size` or passes ' +
    'allow_pickle=True, because parsing a huge literal is itself a denial-of-service risk. Larger headers come ' +
    'from very wide structured dtypes, or from files built to push loaders into the trusting path. Headers ' +
    'beyond the scan metadata limit are reported at medium severity and not parsed.',
  remediation: 'Check why the header is so large; split very wide structured arrays into several files.',
});

/** Rules reported by `scanNumpy`. */
export const NUMPY_RULES: readonly Rule[] = [
  NPY_HEADER_MALFORMED,
  NPY_UNKNOWN_DTYPE,
  NPY_OBJECT_ARRAY,
  NPY_DATA_SIZE_MISMATCH,
  NPY_HEADER_OVERSIZED,
];
