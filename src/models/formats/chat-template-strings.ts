/** A constant value inside a template expression. */
export type Constant = string | number;

/** Python slicing `chars[start:stop:step]` joined back into a string; undefined for a zero step. */
export function pySlice(
  chars: readonly string[],
  start?: number,
  stop?: number,
  step = 1,
): string | undefined {
  if (!Number.isInteger(step) || step === 0) return undefined;
  const n = chars.length;
  const clamp = (value: number | undefined, fallback: number, low: number, high: number): number => {
    if (value === undefined) return fallback;
    const v = value < 0 ? value + n : value;
    return Math.min(Math.max(v, low), high);
  };
  let out = '';
  if (step > 0) {
    for (let k = clamp(start, 0, 0, n); k < clamp(stop, n, 0, n); k += step) out += chars[k] ?? '';
  } else {
    for (let k = clamp(start, n - 1, -1, n - 1); k > clamp(stop, -1, -1, n - 1); k += step)
      out += chars[k] ?? '';
  }
  return out;
}

/** Applies a Jinja filter to a constant string, or undefined when it is not one folding models. */
export function applyFilter(name: string, value: string, args: readonly Constant[]): string | undefined {
  switch (name) {
    case 'reverse':
      return [...value].reverse().join('');
    case 'lower':
      return value.toLowerCase();
    case 'upper':
      return value.toUpperCase();
    case 'trim':
      return value.trim();
    case 'string':
    case 'safe':
      return value;
    case 'capitalize':
      return value.charAt(0).toUpperCase() + value.slice(1).toLowerCase();
    case 'title':
      return value.replace(/\w+/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());
    case 'format':
      return percentFormat(value, args);
    case 'replace':
      return typeof args[0] === 'string' && typeof args[1] === 'string'
        ? value.split(args[0]).join(args[1])
        : undefined;
    case 'join':
      return [...value].join(String(args[0] ?? ''));
    case 'first':
      return [...value][0] ?? '';
    case 'last':
      return [...value].at(-1) ?? '';
    default:
      return undefined;
  }
}

/** Applies a Python `str` method to a constant string, or undefined when it is not one folding models. */
export function applyMethod(
  name: string,
  value: string,
  args: readonly Constant[],
  keywords: ReadonlyMap<string, Constant>,
): string | undefined {
  switch (name) {
    case 'format':
      return braceFormat(value, args, keywords);
    case 'replace':
      return typeof args[0] === 'string' && typeof args[1] === 'string'
        ? value.split(args[0]).join(args[1])
        : undefined;
    case 'lower':
    case 'casefold':
      return value.toLowerCase();
    case 'upper':
      return value.toUpperCase();
    case 'swapcase':
      return [...value].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
    case 'strip':
    case 'lstrip':
    case 'rstrip':
      return stripChars(value, name, typeof args[0] === 'string' ? args[0] : undefined);
    case 'title':
    case 'capitalize':
      return applyFilter(name, value, []);
    default:
      return undefined;
  }
}

function stripChars(value: string, how: 'strip' | 'lstrip' | 'rstrip', chars?: string): string {
  const set = new Set(chars === undefined ? [' ', '\t', '\n', '\r', '\v', '\f'] : [...chars]);
  const list = [...value];
  let start = 0;
  let end = list.length;
  if (how !== 'rstrip') while (start < end && set.has(list[start] ?? '')) start++;
  if (how !== 'lstrip') while (end > start && set.has(list[end - 1] ?? '')) end--;
  return list.slice(start, end).join('');
}

/** Python `%` formatting of constants (`%s`, `%r`, `%c`, `%d`, `%%`); undefined when arguments run out. */
export function percentFormat(format: string, args: readonly Constant[]): string | undefined {
  let next = 0;
  let isValid = true;
  const result = format.replace(
    /%(?:\([^)]*\))?[#0 +-]*(?:\d+|\*)?(?:\.\d+)?([diouxXeEfFgGcrsa%])/g,
    (_m, type: string) => {
      if (type === '%') return '%';
      const arg = args[next++];
      if (arg === undefined) {
        isValid = false;
        return '';
      }
      if (type === 'c')
        return typeof arg === 'number' && arg >= 0 && arg <= 0x10ffff
          ? String.fromCodePoint(arg)
          : String(arg);
      if (type === 'r' || type === 'a') return typeof arg === 'string' ? `'${arg}'` : String(arg);
      if ('diu'.includes(type)) return typeof arg === 'number' ? String(Math.trunc(arg)) : String(arg);
      return String(arg);
    },
  );
  return isValid ? result : undefined;
}

/** Python `str.format` with positional and keyword constants; format specs are ignored. */
function braceFormat(
  format: string,
  args: readonly Constant[],
  keywords: ReadonlyMap<string, Constant>,
): string | undefined {
  let auto = 0;
  let isValid = true;
  const result = format.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (match, field: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const key = (field ?? '').split(/[!:]/)[0] ?? '';
    const value = key === '' ? args[auto++] : /^\d+$/.test(key) ? args[Number(key)] : keywords.get(key);
    if (value === undefined) isValid = false;
    return String(value ?? '');
  });
  return isValid ? result : undefined;
}
