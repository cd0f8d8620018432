import {
  BLACK,
  WHITE,
  blendColours,
  formatColour,
  isColourHidden,
  parseCssColour,
  type Rgba,
} from './css-colour.js';
import { valueTokens } from './css-declarations.js';
import { computeFontSize, isFarNegative, lengthInPixels, parseLength } from './css-lengths.js';
import type { DeclaredStyle, DeclaredValue } from './css-stylesheet.js';
import type { HiddenTechnique } from './hidden-types.js';

/** What an element passes down to its children, as far as hiding text goes. */
export interface RenderState {
  /** The text colour, or `undefined` when it cannot be resolved (`var()`, `lab()`). */
  readonly color: Rgba | undefined;
  /** `-webkit-text-fill-color`, which paints over `color` when set. */
  readonly fill: Rgba | 'current' | 'unknown';
  /** The opaque colour behind the element, or `undefined` when an image or unknown value is there. */
  readonly background: Rgba | undefined;
  /** Whether no background was declared on the way down, so the white page is assumed. */
  readonly isBackgroundAssumed: boolean;
  readonly fontSize: number | undefined;
  readonly isVisibilityHidden: boolean;
  /** Opacity multiplied down from the root. */
  readonly opacity: number;
  /** Whether text directly inside is unreadable against its background. */
  readonly isColourHidden: boolean;
  readonly isFontTiny: boolean;
}

/** The state above the root element: black text on a white page at 16px. */
export const ROOT_RENDER_STATE: RenderState = {
  color: BLACK,
  fill: 'current',
  background: WHITE,
  isBackgroundAssumed: true,
  fontSize: 16,
  isVisibilityHidden: false,
  opacity: 1,
  isColourHidden: false,
  isFontTiny: false,
};

/** A technique that starts hiding text at an element, with the evidence. */
export interface HidingFinding {
  readonly technique: HiddenTechnique;
  readonly detail: string;
}

/** Presentational attributes that act as colours (`<font color>`, `bgcolor`), below any CSS. */
export interface PresentationalHints {
  readonly color?: string;
  readonly background?: string;
}

/** Font sizes at or below this many pixels cannot be read. */
export const TINY_FONT_PX = 2;
/** Opacity (multiplied down the tree) below this cannot be read. */
export const INVISIBLE_OPACITY = 0.1;

const POSITIONED = new Set(['absolute', 'fixed', 'relative', 'sticky']);
const OVERFLOW_CLIPS = new Set(['hidden', 'clip']);

/**
 * Applies an element's cascaded style to its parent's state and says which techniques start hiding
 * text at this element. Techniques children cannot undo (`display`, opacity, off-screen, clipping)
 * cover the whole subtree; visibility, font size and colour are re-checked at every text node.
 */
export function applyStyle(
  style: DeclaredStyle,
  hints: PresentationalHints,
  parent: RenderState,
): { state: RenderState; findings: HidingFinding[] } {
  const findings: HidingFinding[] = [];
  const found = (technique: HiddenTechnique, declared: DeclaredValue, property: string): void => {
    findings.push({ technique, detail: `${property}: ${declared.value} (${declared.source})` });
  };
  const display = style.get('display');
  if (display?.value === 'none') found('display-none', display, 'display');

  const visibility = style.get('visibility');
  const isVisibilityHidden = resolveVisibility(visibility?.value, parent.isVisibilityHidden);
  if (isVisibilityHidden && !parent.isVisibilityHidden && visibility !== undefined)
    found('visibility-hidden', visibility, 'visibility');

  const opacity = parent.opacity * ownOpacity(style);
  if (opacity < INVISIBLE_OPACITY && parent.opacity >= INVISIBLE_OPACITY) {
    const declared = style.get('opacity') ?? style.get('filter');
    if (declared !== undefined) found('opacity-zero', declared, style.has('opacity') ? 'opacity' : 'filter');
  }

  const fontDeclared = style.get('font-size');
  const fontSize = computeFontSize(fontDeclared?.value, parent.fontSize);
  const isFontTiny = fontSize !== undefined && fontSize <= TINY_FONT_PX;
  if (isFontTiny && !parent.isFontTiny && fontDeclared !== undefined)
    found('tiny-font', fontDeclared, 'font-size');

  const colours = resolveColours(style, hints, parent);
  const state: RenderState = { ...colours, fontSize, isVisibilityHidden, opacity, isFontTiny };
  if (state.isColourHidden && !parent.isColourHidden)
    findings.push({ technique: 'colour-matches-background', detail: describeColours(state, style, hints) });

  const offScreen = findOffScreen(style, fontSize);
  if (offScreen !== undefined) found('off-screen', offScreen.declared, offScreen.property);
  const clipped = findClipping(style, fontSize);
  if (clipped !== undefined) found('clipped', clipped.declared, clipped.property);
  return { state, findings };
}

function resolveVisibility(value: string | undefined, parent: boolean): boolean {
  if (value === 'hidden' || value === 'collapse') return true;
  if (value === 'visible' || value === 'initial' || value === 'revert') return false;
  return parent;
}

function ownOpacity(style: DeclaredStyle): number {
  let opacity = 1;
  const declared = style.get('opacity')?.value;
  if (declared !== undefined) opacity = fraction(declared) ?? 1;
  const filter = style.get('filter')?.value ?? '';
  for (const match of filter.matchAll(/opacity\(\s*([^()]*?)\s*\)/gu))
    opacity *= fraction(match[1] ?? '') ?? 1;
  return opacity;
}

function fraction(text: string): number | undefined {
  const length = parseLength(text);
  if (length === undefined || (length.unit !== '' && length.unit !== '%')) return undefined;
  const value = length.unit === '%' ? length.value / 100 : length.value;
  return Math.min(1, Math.max(0, value));
}

type Colours = Pick<RenderState, 'color' | 'fill' | 'background' | 'isBackgroundAssumed' | 'isColourHidden'>;

function resolveColours(style: DeclaredStyle, hints: PresentationalHints, parent: RenderState): Colours {
  const color = resolveColour(style.get('color')?.value ?? hints.color, parent.color);
  const fillValue = style.get('-webkit-text-fill-color')?.value;
  let fill = parent.fill;
  if (fillValue === 'currentcolor' || fillValue === 'initial' || fillValue === 'revert') fill = 'current';
  else if (fillValue !== undefined && fillValue !== 'inherit' && fillValue !== 'unset')
    fill = parseCssColour(fillValue) ?? 'unknown';
  const { background, isBackgroundAssumed } = resolveBackground(style, hints, parent);
  const text = fill === 'current' ? color : fill === 'unknown' ? undefined : fill;
  const isTransparent = text !== undefined && text.a <= INVISIBLE_OPACITY;
  const isSame = text !== undefined && background !== undefined && isColourHidden(text, background);
  return { color, fill, background, isBackgroundAssumed, isColourHidden: isTransparent || isSame };
}

function resolveColour(value: string | undefined, parent: Rgba | undefined): Rgba | undefined {
  if (value === undefined || value === 'inherit' || value === 'unset' || value === 'currentcolor')
    return parent;
  if (value === 'initial' || value === 'revert') return BLACK;
  return parseCssColour(value);
}

function resolveBackground(
  style: DeclaredStyle,
  hints: PresentationalHints,
  parent: RenderState,
): Pick<RenderState, 'background' | 'isBackgroundAssumed'> {
  const image = style.get('background-image')?.value;
  if (image !== undefined && !/^(?:none|initial|unset|revert|inherit)$/u.test(image))
    return { background: undefined, isBackgroundAssumed: false };
  const value = style.get('background-color')?.value ?? hints.background;
  const inherited = { background: parent.background, isBackgroundAssumed: parent.isBackgroundAssumed };
  if (value === undefined || /^(?:transparent|inherit|initial|unset|revert)$/u.test(value)) return inherited;
  const colour = parseCssColour(value);
  if (colour === undefined) return { background: undefined, isBackgroundAssumed: false };
  if (colour.a === 0) return inherited;
  if (colour.a >= 1) return { background: colour, isBackgroundAssumed: false };
  return {
    background: parent.background === undefined ? undefined : blendColours(colour, parent.background),
    isBackgroundAssumed: false,
  };
}

function describeColours(state: RenderState, style: DeclaredStyle, hints: PresentationalHints): string {
  const text = state.fill === 'current' || state.fill === 'unknown' ? state.color : state.fill;
  const source = style.get('-webkit-text-fill-color') ?? style.get('color') ?? style.get('background-color');
  const where =
    source?.source ??
    (hints.color !== undefined || hints.background !== undefined ? 'attributes' : 'inherited');
  const colour = text === undefined ? 'unknown' : formatColour(text);
  const background = state.background === undefined ? 'unknown' : formatColour(state.background);
  const assumed = state.isBackgroundAssumed ? '; no background declared, white page assumed' : '';
  return `text ${colour} on background ${background} (${where}${assumed})`;
}

interface Culprit {
  readonly declared: DeclaredValue;
  readonly property: string;
}

function findOffScreen(style: DeclaredStyle, fontSize: number | undefined): Culprit | undefined {
  const far = (property: string): Culprit | undefined => {
    const declared = style.get(property);
    return declared !== undefined && isFarNegative(declared.value, fontSize)
      ? { declared, property }
      : undefined;
  };
  const position = style.get('position')?.value;
  const offset = POSITIONED.has(position ?? '') ? (far('left') ?? far('top') ?? far('right')) : undefined;
  return (
    offset ?? far('text-indent') ?? far('margin-left') ?? far('margin-top') ?? farTranslate(style, fontSize)
  );
}

function farTranslate(style: DeclaredStyle, fontSize: number | undefined): Culprit | undefined {
  const transform = style.get('transform');
  for (const match of transform?.value.matchAll(/translate(x|y|3d)?\(([^()]*)\)/gu) ?? []) {
    const args = (match[2] ?? '').split(',').map((a) => a.trim());
    const axes = match[1] === 'x' ? [args[0]] : match[1] === 'y' ? [args[0]] : [args[0], args[1]];
    if (transform !== undefined && axes.some((a) => a !== undefined && isFarNegative(a, fontSize)))
      return { declared: transform, property: 'transform' };
  }
  const translate = style.get('translate');
  if (
    translate !== undefined &&
    valueTokens(translate.value)
      .slice(0, 2)
      .some((t) => isFarNegative(t, fontSize))
  )
    return { declared: translate, property: 'translate' };
  return undefined;
}

function findClipping(style: DeclaredStyle, fontSize: number | undefined): Culprit | undefined {
  const check = (property: string, test: (value: string) => boolean): Culprit | undefined => {
    const declared = style.get(property);
    return declared !== undefined && test(declared.value) ? { declared, property } : undefined;
  };
  const overflows = [style.get('overflow-x')?.value, style.get('overflow-y')?.value];
  const clipsOverflow = overflows.some((v) => OVERFLOW_CLIPS.has(v ?? ''));
  const isTiny = (value: string): boolean => {
    const pixels = lengthInPixels(value, fontSize);
    return clipsOverflow && pixels !== undefined && pixels <= 1;
  };
  return (
    check('clip', (v) => isEmptyRect(v, fontSize)) ??
    check('clip-path', isEmptyClipPath) ??
    check('transform', (v) => /scale(?:x|y|3d)?\(\s*(?:0|0?\.0+)(?:%)?\s*[,)]/u.test(v)) ??
    check('scale', (v) => valueTokens(v).some((t) => parseLength(t)?.value === 0)) ??
    check('width', isTiny) ??
    check('height', isTiny) ??
    check('max-width', isTiny) ??
    check('max-height', isTiny)
  );
}

function isEmptyRect(value: string, fontSize: number | undefined): boolean {
  const inner = /^rect\((.*)\)$/u.exec(value)?.[1];
  if (inner === undefined) return false;
  const [top, right, bottom, left] = inner.split(/\s*,\s*|\s+/u).map((t) => lengthInPixels(t, fontSize));
  const isFlat = top !== undefined && bottom !== undefined && bottom - top <= 1;
  const isThin = left !== undefined && right !== undefined && right - left <= 1;
  return isFlat || isThin;
}

function isEmptyClipPath(value: string): boolean {
  const match = /^(inset|circle|ellipse|polygon)\((.*)\)/u.exec(value);
  if (match === null) return false;
  const args = match[2] ?? '';
  if (match[1] === 'polygon') {
    const points = args
      .replace(/^\s*(?:nonzero|evenodd)\s*,/u, '')
      .split(',')
      .map((p) => p.trim().replace(/\s+/gu, ' '));
    return points.length < 3 || points.every((p) => p === points[0]);
  }
  const sizes = valueTokens(args.split(/\s(?:round|at)\s/u)[0] ?? '');
  if (match[1] !== 'inset')
    return sizes.slice(0, match[1] === 'circle' ? 1 : 2).some((t) => parseLength(t)?.value === 0);
  const percent = sizes.map((t) => {
    const length = parseLength(t);
    return length?.unit === '%' ? length.value : length?.value === 0 ? 0 : undefined;
  });
  const [top, right = top, bottom = top, left = right] = percent;
  const sum = (a: number | undefined, b: number | undefined): number => (a ?? 0) + (b ?? 0);
  return sum(top, bottom) >= 100 || sum(left, right) >= 100;
}
