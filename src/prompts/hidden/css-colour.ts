import { CSS_NAMED_COLOURS } from './css-colour-names.js';

/** An sRGB colour: channels 0–255, alpha 0–1. */
export interface Rgba {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

/** Opaque white: the canvas a page is drawn on unless it says otherwise. */
export const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };
/** Opaque black: the initial text colour. */
export const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 1 };

/**
 * Two colours closer than this on every channel (after blending) look the same to a reader: #f0f0f0
 * text on white is hidden, #eeeeee is barely legible and is not.
 */
export const NEAR_COLOUR_DISTANCE = 16;

const HEX = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const FUNCTION = /^(rgba?|hsla?)\(\s*([^()]*)\)$/i;

/**
 * Parses a CSS colour: a name (CSS Color 4), `transparent`, `#rgb`, `#rgba`, `#rrggbb`,
 * `#rrggbbaa`, `rgb()`/`rgba()` and `hsl()`/`hsla()` in comma or space syntax. Anything else
 * (`currentcolor`, `lab()`, `var(--x)`) is `undefined`: the caller treats it as unknown.
 */
export function parseCssColour(value: string): Rgba | undefined {
  const text = value.trim().toLowerCase();
  if (text === 'transparent') return { r: 0, g: 0, b: 0, a: 0 };
  if (text === 'canvas') return WHITE;
  if (text === 'canvastext') return BLACK;
  const named = CSS_NAMED_COLOURS.get(text);
  if (named !== undefined) return { r: named >> 16, g: (named >> 8) & 0xff, b: named & 0xff, a: 1 };
  const hex = HEX.exec(text)?.[1];
  if (hex !== undefined) return parseHex(hex);
  const call = FUNCTION.exec(text);
  if (call === null) return undefined;
  const args = splitArguments(call[2] ?? '');
  if (args === undefined) return undefined;
  return call[1]?.startsWith('rgb') ? parseRgb(args) : parseHsl(args);
}

/** The opaque colour seen when `top` (possibly translucent) is drawn over opaque `bottom`. */
export function blendColours(top: Rgba, bottom: Rgba): Rgba {
  const mix = (t: number, b: number): number => t * top.a + b * (1 - top.a);
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a: 1 };
}

/** Whether text of colour `text` is unreadable on opaque `background` (equal, near-equal, transparent). */
export function isColourHidden(text: Rgba, background: Rgba): boolean {
  const seen = blendColours(text, background);
  return (
    Math.abs(seen.r - background.r) <= NEAR_COLOUR_DISTANCE &&
    Math.abs(seen.g - background.g) <= NEAR_COLOUR_DISTANCE &&
    Math.abs(seen.b - background.b) <= NEAR_COLOUR_DISTANCE
  );
}

/** A colour as `#rrggbb` (with `aa` when translucent), for evidence. */
export function formatColour(colour: Rgba): string {
  const hex = (n: number): string =>
    Math.round(Math.min(255, Math.max(0, n)))
      .toString(16)
      .padStart(2, '0');
  const alpha = colour.a < 1 ? hex(colour.a * 255) : '';
  return `#${hex(colour.r)}${hex(colour.g)}${hex(colour.b)}${alpha}`;
}

function parseHex(hex: string): Rgba {
  const digits = hex.length <= 4 ? [...hex].map((d) => d + d) : (hex.match(/../g) ?? []);
  const [r = 0, g = 0, b = 0, a = 255] = digits.map((d) => parseInt(d, 16));
  return { r, g, b, a: a / 255 };
}

/** `1, 2, 3` or `1 2 3 / 0.5` into `['1', '2', '3', '0.5']`; `undefined` when malformed. */
function splitArguments(inner: string): string[] | undefined {
  const trimmed = inner.trim();
  if (trimmed.includes(',')) {
    const parts = trimmed.split(',').map((p) => p.trim());
    return parts.length === 3 || parts.length === 4 ? parts : undefined;
  }
  const [main = '', alpha, ...rest] = trimmed.split('/').map((p) => p.trim());
  if (rest.length > 0) return undefined;
  const parts = main.split(/\s+/u).filter((p) => p !== '');
  if (parts.length !== 3) return undefined;
  return alpha === undefined ? parts : [...parts, alpha];
}

function parseRgb(args: readonly string[]): Rgba | undefined {
  const channel = (arg: string): number | undefined =>
    arg.endsWith('%') ? scaled(number(arg.slice(0, -1)), 255, 100) : number(arg);
  const [r, g, b] = args.slice(0, 3).map(channel);
  const a = args[3] === undefined ? 1 : alphaValue(args[3]);
  if (r === undefined || g === undefined || b === undefined || a === undefined) return undefined;
  return { r: clamp(r, 255), g: clamp(g, 255), b: clamp(b, 255), a };
}

function parseHsl(args: readonly string[]): Rgba | undefined {
  const hue = angle(args[0] ?? '');
  const percent = (arg: string): number | undefined => number(arg.replace(/%$/u, ''));
  const s = percent(args[1] ?? '');
  const l = percent(args[2] ?? '');
  const a = args[3] === undefined ? 1 : alphaValue(args[3]);
  if (hue === undefined || s === undefined || l === undefined || a === undefined) return undefined;
  // CSS Color 4 §7.1 hslToRgb.
  const sat = clamp(s, 100) / 100;
  const light = clamp(l, 100) / 100;
  const h = ((hue % 360) + 360) % 360;
  const f = (n: number): number => {
    const k = (n + h / 30) % 12;
    return 255 * (light - sat * Math.min(light, 1 - light) * Math.max(-1, Math.min(k - 3, 9 - k, 1)));
  };
  return { r: f(0), g: f(8), b: f(4), a };
}

function angle(arg: string): number | undefined {
  const match = /^(-?[\d.]+(?:e-?\d+)?)(deg|grad|rad|turn)?$/u.exec(arg);
  const value = match ? number(match[1] ?? '') : undefined;
  if (value === undefined) return arg === 'none' ? 0 : undefined;
  const unit = match?.[2];
  if (unit === 'grad') return value * 0.9;
  if (unit === 'rad') return (value * 180) / Math.PI;
  if (unit === 'turn') return value * 360;
  return value;
}

function alphaValue(arg: string): number | undefined {
  const value = arg.endsWith('%') ? scaled(number(arg.slice(0, -1)), 1, 100) : number(arg);
  return value === undefined ? undefined : clamp(value, 1);
}

function number(text: string): number | undefined {
  if (text === 'none') return 0;
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/u.test(text)) return undefined;
  return Number(text);
}

function scaled(value: number | undefined, times: number, over: number): number | undefined {
  return value === undefined ? undefined : (value * times) / over;
}

function clamp(value: number, max: number): number {
  return Math.min(max, Math.max(0, value));
}
