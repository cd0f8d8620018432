/**
 * Decoding of the text arguments of protocol 0 opcodes and of string payloads, following what CPython's
 * C unpickler accepts (strtol / int(x, 0) for INT, the 'L' suffix of LONG, quoted escapes for STRING,
 * raw-unicode-escape for UNICODE). Every function returns undefined for input CPython would reject.
 */

const utf8 = new TextDecoder('utf-8');

/** Latin-1 text of bytes (one char per byte), as the machine reads Python 2 strings and names. */
export function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 8192)));
  }
  return out;
}

/** UTF-8 text of bytes, with a fast path for short ASCII; malformed sequences become U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  if (bytes.length <= 32) {
    let out = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] ?? 0;
      if (b >= 0x80) return utf8.decode(bytes);
      out += String.fromCharCode(b);
    }
    return out;
  }
  return utf8.decode(bytes);
}

// Python int literals as int(x, 0) reads them, plus C strtol's octal (017) which INT tries first.
const INT_LITERAL =
  /^\s*([-+]?)(0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0[0-7]*|[1-9](?:_?\d)*)\s*$/;
const DECIMAL_LITERAL = /^\s*([-+]?)(\d(?:_?\d)*)\s*$/;
const FLOAT_LITERAL = /^\s*[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|inf|infinity|nan)\s*$/i;

/** An integer that fits a double exactly stays a number; larger ones are bigints. */
export function narrowInt(value: bigint): number | bigint {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

function parseLiteral(text: string): bigint | undefined {
  const match = INT_LITERAL.exec(text);
  if (match === null) return undefined;
  const sign = match[1] === '-' ? -1n : 1n;
  let digits = (match[2] ?? '').replace(/_/g, '');
  if (/^0[0-7]+$/.test(digits)) digits = `0o${digits.slice(1)}`;
  return sign * BigInt(digits);
}

/**
 * The argument of INT: an integer literal, except that a two-character argument worth 0 or 1 (`00`,
 * `01`, the way protocol 0 writes booleans) is a bool, as in CPython's C unpickler.
 */
export function parseIntLine(text: string): boolean | number | bigint | undefined {
  const value = parseLiteral(text);
  if (value === undefined) return undefined;
  if (text.length === 2 && (value === 0n || value === 1n)) return value === 1n;
  return narrowInt(value);
}

/** The argument of LONG: an integer literal with an optional trailing `L`. */
export function parseLongLine(text: string): number | bigint | undefined {
  const value = parseLiteral(text.endsWith('L') ? text.slice(0, -1) : text);
  return value === undefined ? undefined : narrowInt(value);
}

/** The argument of FLOAT. */
export function parseFloatLine(text: string): number | undefined {
  if (!FLOAT_LITERAL.test(text)) return undefined;
  const trimmed = text.trim().toLowerCase().replace(/^\+/, '');
  if (/^-?inf(inity)?$/.test(trimmed)) return trimmed.startsWith('-') ? -Infinity : Infinity;
  if (/^-?nan$/.test(trimmed)) return NaN;
  return Number(trimmed);
}

/** The decimal index of GET and PUT (negative values are returned; callers decide). */
export function parseDecimalLine(text: string): number | undefined {
  const match = DECIMAL_LITERAL.exec(text);
  if (match === null) return undefined;
  const value = Number((match[2] ?? '').replace(/_/g, ''));
  return match[1] === '-' ? -value : value;
}

/** The little-endian two's complement integer of LONG1/LONG4. */
export function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] ?? 0);
  if (((bytes[bytes.length - 1] ?? 0) & 0x80) !== 0) value -= 1n << BigInt(bytes.length * 8);
  return narrowInt(value);
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  '\\': 0x5c,
  "'": 0x27,
  '"': 0x22,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
};

/**
 * The bytes of a STRING argument: a quoted Python 2 repr with backslash escapes. Undefined when it is
 * not quoted, ends in a lone backslash or has a bad `\x` escape (CPython raises for each).
 */
export function decodeQuotedString(line: Uint8Array): Uint8Array | undefined {
  const first = line[0];
  if (line.length < 2 || first !== line[line.length - 1] || (first !== 0x27 && first !== 0x22)) {
    return undefined;
  }
  const body = line.subarray(1, line.length - 1);
  const out = new Uint8Array(body.length);
  let n = 0;
  for (let i = 0; i < body.length; i++) {
    const b = body[i] ?? 0;
    if (b !== 0x5c) {
      out[n++] = b;
      continue;
    }
    if (++i >= body.length) return undefined;
    const c = String.fromCharCode(body[i] ?? 0);
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) out[n++] = simple;
    else if (c >= '0' && c <= '7') {
      let value = 0;
      let digits = 0;
      while (digits < 3 && i < body.length && (body[i] ?? 0) >= 0x30 && (body[i] ?? 0) <= 0x37) {
        value = value * 8 + (body[i++] ?? 0) - 0x30;
        digits++;
      }
      i--;
      out[n++] = value & 0xff;
    } else if (c === 'x') {
      const hex = String.fromCharCode(body[i + 1] ?? 0, body[i + 2] ?? 0);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      out[n++] = parseInt(hex, 16);
      i += 2;
    } else {
      out[n++] = 0x5c;
      out[n++] = body[i] ?? 0;
    }
  }
  return out.subarray(0, n);
}

/**
 * Decodes raw-unicode-escape (the UNICODE argument): bytes are latin-1 except `\uXXXX` and
 * `\UXXXXXXXX` after an odd number of backslashes. Undefined for a malformed escape, unless `lenient`
 * (a kept prefix of a longer line may end inside an escape).
 */
export function decodeRawUnicodeEscape(bytes: Uint8Array, lenient = false): string | undefined {
  const units = new Uint16Array(bytes.length);
  let n = 0;
  let run = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    const oddRun = run % 2 === 1;
    run = b === 0x5c ? run + 1 : 0;
    if (!oddRun || (b !== 0x75 && b !== 0x55)) {
      units[n++] = b;
      continue;
    }
    const width = b === 0x75 ? 4 : 8;
    const hex = String.fromCharCode(...bytes.subarray(i + 1, i + 1 + width));
    const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === width ? parseInt(hex, 16) : -1;
    if (code < 0 || code > 0x10ffff) {
      if (!lenient) return undefined;
      n--;
      break;
    }
    n--; // the backslash that opened the escape
    if (code > 0xffff) {
      units[n++] = 0xd800 + ((code - 0x10000) >> 10);
      units[n++] = 0xdc00 + ((code - 0x10000) & 0x3ff);
    } else units[n++] = code;
    i += width;
  }
  let out = '';
  for (let i = 0; i < n; i += 8192) out += String.fromCharCode(...units.subarray(i, Math.min(n, i + 8192)));
  return out;
}
