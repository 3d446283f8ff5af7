import { DML } from '../pptx/xml-namespaces';
import { attribute, type XmlElement } from '../pptx/xml-tree';
import { presetColor } from './preset-colors';

/**
 * DrawingML colours (ECMA-376 Part 1 §20.1.2.3) as the audit resolves them, and WCAG 2.1's
 * contrast ratio between two of them.
 *
 * - A colour element (`a:srgbClr`, `a:schemeClr`, `a:sysClr` by its `lastClr`, `a:prstClr`,
 *   `a:hslClr`, `a:scrgbClr`) is resolved with its transforms applied in document order:
 *   `lumMod`/`lumOff`/`lum`, `satMod`/`satOff`/`sat`, `hueMod`/`hueOff`/`hue` in HSL (how
 *   PowerPoint writes its theme variants, "Blue, Accent 1, Lighter 40%"); `tint` and `shade`
 *   in linear RGB, as the standard says ("a 40% tint is 40% of the colour and 60% white") and
 *   LibreOffice implements it; `alpha`/`alphaMod`/`alphaOff`; `inv`, `comp` and `gray`.
 *   Values are read in both spellings: thousandths of a percent (`50000`) and ISO-Strict's
 *   percentages (`50%`). `gamma`, `invGamma` and the per-channel transforms are not applied.
 * - A scheme colour is looked up through `SchemeColors` (the slide's colour map and theme,
 *   style-context.ts); `phClr` is the colour the style reference in use gives.
 */

/** sRGB channels and alpha, each 0–1. */
export interface Rgba {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

export interface SchemeColors {
  /** A `schemeClr/@val` (`tx1`, `bg2`, `accent3`, `dk1`, …) through the colour map; null when the theme has no such colour. */
  scheme(name: string): Rgba | null;
}

/** Resolves `phClr`: the colour of the `fontRef`/`fillRef` that refers to a theme style. */
export interface ColorContext extends SchemeColors {
  readonly placeholder?: Rgba | null;
}

const COLOR_ELEMENTS = new Set(['srgbClr', 'schemeClr', 'sysClr', 'prstClr', 'hslClr', 'scrgbClr']);

export const WHITE: Rgba = { r: 1, g: 1, b: 1, a: 1 };
export const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 1 };

/** The first colour element among `parent`'s children (as in `a:solidFill`, `a:gs`, `a:fontRef`). */
export function colorChild(parent: XmlElement | undefined): XmlElement | undefined {
  return parent?.children.find((element) => DML.has(element.uri) && COLOR_ELEMENTS.has(element.local));
}

/** The colour `element` (one of the colour elements) stands for; null when it cannot be known. */
export function resolveColor(element: XmlElement | undefined, context: ColorContext): Rgba | null {
  if (!element || !DML.has(element.uri)) return null;
  let color = baseColor(element, context);
  if (color === null) return null;
  for (const transform of element.children) {
    if (DML.has(transform.uri)) color = applyTransform(color, transform);
  }
  return color;
}

function baseColor(element: XmlElement, context: ColorContext): Rgba | null {
  switch (element.local) {
    case 'srgbClr':
      return hexColor(attribute(element, 'val'));
    case 'sysClr':
      return hexColor(attribute(element, 'lastClr')) ?? systemColor(attribute(element, 'val'));
    case 'schemeClr': {
      const name = attribute(element, 'val');
      if (name === null) return null;
      return name === 'phClr' ? (context.placeholder ?? null) : context.scheme(name);
    }
    case 'prstClr': {
      const value = presetColor(attribute(element, 'val') ?? '');
      return value === null ? null : fromInteger(value);
    }
    case 'hslClr': {
      const hue = angle(attribute(element, 'hue'));
      const saturation = fraction(attribute(element, 'sat'));
      const lightness = fraction(attribute(element, 'lum'));
      return hue === null || saturation === null || lightness === null ? null : { ...fromHsl(hue, saturation, lightness), a: 1 };
    }
    case 'scrgbClr': {
      const [r, g, b] = ['r', 'g', 'b'].map((channel) => fraction(attribute(element, channel)));
      return r == null || g == null || b == null ? null : { r: toSrgb(clamp(r)), g: toSrgb(clamp(g)), b: toSrgb(clamp(b)), a: 1 };
    }
    default:
      return null;
  }
}

/** The two system colours text and backgrounds use when `lastClr` is missing. */
function systemColor(name: string | null): Rgba | null {
  if (name === 'windowText' || name === 'menuText' || name === 'btnText' || name === 'captionText') return BLACK;
  if (name === 'window' || name === 'menu' || name === 'btnFace') return WHITE;
  return null;
}

function applyTransform(color: Rgba, transform: XmlElement): Rgba {
  const value = fraction(attribute(transform, 'val'));
  switch (transform.local) {
    case 'tint':
      return value === null ? color : mapLinear(color, (c) => 1 - (1 - c) * value);
    case 'shade':
      return value === null ? color : mapLinear(color, (c) => c * value);
    case 'lumMod':
      return value === null ? color : mapHsl(color, (hsl) => ({ ...hsl, l: hsl.l * value }));
    case 'lumOff':
      return value === null ? color : mapHsl(color, (hsl) => ({ ...hsl, l: hsl.l + value }));
    case 'lum':
      return value === null ? color : mapHsl(color, (hsl) => ({ ...hsl, l: value }));
    case 'satMod':
      return value === null ? color : mapHsl(color, (hsl) => ({ ...hsl, s: hsl.s * value }));
    case 'satOff':
      return value === null ? color : mapHsl(color, (hsl) => ({ ...hsl, s: hsl.s + value }));
    case 'sat':
      return value === null ? color : mapHsl(color, (hsl) => ({ ...hsl, s: value }));
    case 'hueMod':
      return value === null ? color : mapHsl(color, (hsl) => ({ ...hsl, h: hsl.h * value }));
    case 'hueOff': {
      const degrees = angle(attribute(transform, 'val'));
      return degrees === null ? color : mapHsl(color, (hsl) => ({ ...hsl, h: hsl.h + degrees }));
    }
    case 'hue': {
      const degrees = angle(attribute(transform, 'val'));
      return degrees === null ? color : mapHsl(color, (hsl) => ({ ...hsl, h: degrees }));
    }
    case 'alpha':
      return value === null ? color : { ...color, a: clamp(value) };
    case 'alphaMod':
      return value === null ? color : { ...color, a: clamp(color.a * value) };
    case 'alphaOff':
      return value === null ? color : { ...color, a: clamp(color.a + value) };
    case 'inv':
      return { r: 1 - color.r, g: 1 - color.g, b: 1 - color.b, a: color.a };
    case 'comp':
      return mapHsl(color, (hsl) => ({ ...hsl, h: hsl.h + 180 }));
    case 'gray': {
      const y = 0.2126 * color.r + 0.7152 * color.g + 0.0722 * color.b;
      return { r: y, g: y, b: y, a: color.a };
    }
    default:
      return color;
  }
}

/** `color` drawn over `below` (alpha compositing, as a screen shows it). */
export function over(color: Rgba, below: Rgba): Rgba {
  if (color.a >= 1) return color;
  const a = color.a;
  return { r: color.r * a + below.r * (1 - a), g: color.g * a + below.g * (1 - a), b: color.b * a + below.b * (1 - a), a: 1 };
}

/** WCAG 2.1 relative luminance. */
export function relativeLuminance(color: Rgba): number {
  return 0.2126 * toLinear(color.r) + 0.7152 * toLinear(color.g) + 0.0722 * toLinear(color.b);
}

/** WCAG 2.1 contrast ratio, 1 to 21. */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** `#RRGGBB`. */
export function hex(color: Rgba): string {
  const byte = (c: number) => Math.round(clamp(c) * 255).toString(16).padStart(2, '0').toUpperCase();
  return `#${byte(color.r)}${byte(color.g)}${byte(color.b)}`;
}

export function hexColor(value: string | null): Rgba | null {
  if (value === null || !/^[0-9a-fA-F]{6}$/.test(value)) return null;
  return fromInteger(Number.parseInt(value, 16));
}

function fromInteger(value: number): Rgba {
  return { r: ((value >> 16) & 0xff) / 255, g: ((value >> 8) & 0xff) / 255, b: (value & 0xff) / 255, a: 1 };
}

/** `50000` (thousandths of a percent) or `50%` (ISO Strict) as 0.5. */
function fraction(value: string | null): number | null {
  if (value === null) return null;
  const percent = value.trim().endsWith('%');
  const number = Number.parseFloat(value);
  if (!Number.isFinite(number)) return null;
  return percent ? number / 100 : number / 100_000;
}

/** An angle in 60,000ths of a degree (or ISO Strict's `90deg`... written as a plain number too) as degrees. */
function angle(value: string | null): number | null {
  if (value === null) return null;
  const number = Number.parseFloat(value);
  if (!Number.isFinite(number)) return null;
  return /deg$/.test(value.trim()) ? number : number / 60_000;
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function toLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function toSrgb(c: number): number {
  return c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055;
}

function mapLinear(color: Rgba, map: (linear: number) => number): Rgba {
  const channel = (c: number) => toSrgb(clamp(map(toLinear(c))));
  return { r: channel(color.r), g: channel(color.g), b: channel(color.b), a: color.a };
}

interface Hsl {
  readonly h: number;
  readonly s: number;
  readonly l: number;
}

function mapHsl(color: Rgba, map: (hsl: Hsl) => Hsl): Rgba {
  const mapped = map(toHsl(color));
  return { ...fromHsl(mapped.h, clamp(mapped.s), clamp(mapped.l)), a: color.a };
}

function toHsl({ r, g, b }: Rgba): Hsl {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  if (max === min) return { h: 0, s: 0, l };
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h = max === r ? (g - b) / d + (g < b ? 6 : 0) : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return { h: h * 60, s, l };
}

function fromHsl(hue: number, s: number, l: number): { r: number; g: number; b: number } {
  const h = (((hue % 360) + 360) % 360) / 360;
  if (s === 0) return { r: l, g: l, b: l };
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t0: number) => {
    const t = t0 < 0 ? t0 + 1 : t0 > 1 ? t0 - 1 : t0;
    if (t < 1 / 6) return p + (q - p) * 6 * t;
    if (t < 1 / 2) return q;
    if (t < 2 / 3) return p + (q - p) * (2 / 3 - t) * 6;
    return p;
  };
  return { r: channel(h + 1 / 3), g: channel(h), b: channel(h - 1 / 3) };
}
