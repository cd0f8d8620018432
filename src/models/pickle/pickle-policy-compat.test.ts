import { describe, expect, it } from 'vitest';
import { resolveCompatName } from './pickle-policy-compat.js';

describe('resolveCompatName', () => {
  it('maps Python 2 modules below protocol 3', () => {
    expect(resolveCompatName('__builtin__', 'eval', 2)).toEqual({ module: 'builtins', name: 'eval' });
    expect(resolveCompatName('copy_reg', '_reconstructor', 0)).toEqual({
      module: 'copyreg',
      name: '_reconstructor',
    });
    expect(resolveCompatName('commands', 'getoutput', 1)).toEqual({
      module: 'subprocess',
      name: 'getoutput',
    });
    expect(resolveCompatName('cPickle', 'loads', 2)).toEqual({ module: 'pickle', name: 'loads' });
    expect(resolveCompatName('urllib2', 'urlopen', 2)).toEqual({ module: 'urllib.request', name: 'urlopen' });
    expect(resolveCompatName('httplib', 'HTTPConnection', 2)).toEqual({
      module: 'http.client',
      name: 'HTTPConnection',
    });
  });

  it('maps renamed globals before renamed modules', () => {
    expect(resolveCompatName('__builtin__', 'xrange', 2)).toEqual({ module: 'builtins', name: 'range' });
    expect(resolveCompatName('__builtin__', 'reduce', 2)).toEqual({ module: 'functools', name: 'reduce' });
    expect(resolveCompatName('__builtin__', 'intern', 2)).toEqual({ module: 'sys', name: 'intern' });
    expect(resolveCompatName('urllib', 'urlretrieve', 2)).toEqual({
      module: 'urllib.request',
      name: 'urlretrieve',
    });
    expect(resolveCompatName('exceptions', 'ValueError', 2)).toEqual({
      module: 'builtins',
      name: 'ValueError',
    });
    expect(resolveCompatName('exceptions', 'StandardError', 2)).toEqual({
      module: 'builtins',
      name: 'Exception',
    });
    expect(resolveCompatName('UserDict', 'UserDict', 2)).toEqual({ module: 'collections', name: 'UserDict' });
    expect(resolveCompatName('multiprocessing.forking', 'Popen', 2)).toEqual({
      module: 'multiprocessing.popen_fork',
      name: 'Popen',
    });
  });

  it('leaves names as written from protocol 3 on, and unknown names alone', () => {
    expect(resolveCompatName('__builtin__', 'eval', 3)).toEqual({ module: '__builtin__', name: 'eval' });
    expect(resolveCompatName('commands', 'getoutput', 5)).toEqual({ module: 'commands', name: 'getoutput' });
    expect(resolveCompatName('torch._utils', '_rebuild_tensor_v2', 2)).toEqual({
      module: 'torch._utils',
      name: '_rebuild_tensor_v2',
    });
    expect(resolveCompatName('constructor', '__proto__', 0)).toEqual({
      module: 'constructor',
      name: '__proto__',
    });
  });
});
