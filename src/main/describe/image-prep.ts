import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { assertNever } from '../../shared/assert-never';
import { decodeBmp, isBmp } from './bmp-decoder';

/**
 * Turns a picture from a deck into what a vision model is sent: PNG or JPEG, longest side at
 * most `maxDimension` (never enlarged), transparency flattened onto white, EXIF orientation
 * applied and metadata (EXIF, which may hold patient or device data) dropped.
 *
 * Reads PNG, JPEG, GIF (first frame), TIFF (first page), WebP, AVIF, SVG (rendered) and BMP
 * (own decoder: see bmp-decoder.ts). EMF/WMF are converted by LibreOffice when it is installed.
 * Pictures it cannot read come back as `{ skip: reason }`; it does not throw for bad input.
 *
 * Decompression bombs: the pixel count in the header is checked before decoding and sharp's
 * `limitInputPixels` enforces it again while decoding; SVGs are rendered at a density that
 * fits maxDimension instead of at their declared size.
 */

export type PreparedMime = 'image/png' | 'image/jpeg';

export interface PreparedImage {
  readonly image: Buffer;
  readonly mime: PreparedMime;
  readonly width: number;
  readonly height: number;
  readonly originalWidth: number;
  readonly originalHeight: number;
  /** A smaller copy from the same decode, when `thumbnailDimension` was asked for. */
  readonly thumbnail?: { readonly image: Buffer; readonly mime: PreparedMime };
}

export type ImagePrepResult = PreparedImage | { readonly skip: string };

export interface ImagePrepOptions {
  readonly maxDimension: number;
  /** Most pixels a picture may decode to (default 64 megapixels, e.g. 8000×8000). */
  readonly maxInputPixels?: number;
  /** LibreOffice's `soffice` for EMF/WMF: a path, `null` for none, default: looked up on PATH. */
  readonly soffice?: string | null;
  /** How long one LibreOffice conversion may take (default 60 s). */
  readonly conversionTimeoutMs?: number;
  /** Also make a thumbnail this size from the same decoded pixels (decoding is the cost). */
  readonly thumbnailDimension?: number;
}

export type PictureFormat = 'png' | 'jpeg' | 'gif' | 'tiff' | 'webp' | 'heif' | 'svg' | 'bmp' | 'emf' | 'wmf' | 'unknown';

export const DEFAULT_MAX_INPUT_PIXELS = 64_000_000;
const DEFAULT_CONVERSION_TIMEOUT_MS = 60_000;
/** Colour count at or below which a picture is line art, a chart or a diagram: sent as PNG. */
const FEW_COLOURS = 256;
/** A grey picture is line art when this many levels cover LINE_ART_COVERAGE of its pixels. */
const DOMINANT_GREY_LEVELS = 16;
const LINE_ART_COVERAGE = 0.9;

export const LIBREOFFICE_MISSING = 'EMF/WMF pictures need LibreOffice to be described; install it and run again';

/** sha256 (hex) of the picture's original bytes: the cache key's image part. */
export function imageHash(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const EXTENSIONS: Readonly<Record<string, PictureFormat>> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jpe: 'jpeg',
  jfif: 'jpeg',
  gif: 'gif',
  tif: 'tiff',
  tiff: 'tiff',
  webp: 'webp',
  avif: 'heif',
  heic: 'heif',
  heif: 'heif',
  svg: 'svg',
  bmp: 'bmp',
  dib: 'bmp',
  emf: 'emf',
  wmf: 'wmf',
};

function formatFromName(nameOrContentType: string): PictureFormat {
  const value = nameOrContentType.trim().toLowerCase();
  const subtype = value.includes('/') && !value.includes('.') ? value.split('/')[1]?.split(';')[0] : undefined;
  if (subtype !== undefined) {
    const normalised = subtype.replace(/^x-/, '').replace(/\+xml$/, '').replace(/^ms-bmp$/, 'bmp');
    return EXTENSIONS[normalised] ?? 'unknown';
  }
  return EXTENSIONS[path.extname(value).slice(1)] ?? 'unknown';
}

/** The format by magic bytes; the name or content type only decides for text (SVG). */
export function detectFormat(bytes: Buffer, nameOrContentType = ''): PictureFormat {
  const at = (offset: number, ...values: number[]): boolean => values.every((value, i) => bytes[offset + i] === value);
  if (at(0, 0x89, 0x50, 0x4e, 0x47)) return 'png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return 'gif';
  if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
  if (at(4, 0x66, 0x74, 0x79, 0x70)) return 'heif';
  if (at(0, 0x01, 0x00, 0x00, 0x00) && at(40, 0x20, 0x45, 0x4d, 0x46)) return 'emf';
  if (at(0, 0xd7, 0xcd, 0xc6, 0x9a)) return 'wmf';
  if ((at(0, 0x01, 0x00) || at(0, 0x02, 0x00)) && at(2, 0x09, 0x00) && (at(4, 0x00, 0x03) || at(4, 0x00, 0x01))) return 'wmf';
  if (isBmp(bytes)) return 'bmp';
  const head = bytes.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '');
  if (/^\s*</.test(head) && /<svg[\s>]/i.test(head)) return 'svg';
  return formatFromName(nameOrContentType);
}

/** Where `soffice` is: on PATH, or in LibreOffice's usual macOS and Windows folders. */
export async function findSoffice(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const names = process.platform === 'win32' ? ['soffice.exe', 'soffice.com'] : ['soffice', 'libreoffice'];
  const dirs = (env['PATH'] ?? env['Path'] ?? '').split(path.delimiter).filter((dir) => dir !== '');
  const candidates = dirs.flatMap((dir) => names.map((name) => path.join(dir, name)));
  if (process.platform === 'darwin') candidates.push('/Applications/LibreOffice.app/Contents/MacOS/soffice');
  if (process.platform === 'win32') candidates.push(path.join(env['ProgramFiles'] ?? 'C:\\Program Files', 'LibreOffice', 'program', 'soffice.exe'));
  for (const candidate of candidates) {
    try {
      await access(candidate, process.platform === 'win32' ? fsConstants.F_OK : fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Runs a command; resolves 'timeout' after killing it when it runs too long. */
function run(command: string, args: readonly string[], timeoutMs: number): Promise<'exited' | 'timeout'> {
  return new Promise((resolve) => {
    const detached = process.platform !== 'win32';
    const child = spawn(command, args, { stdio: 'ignore', detached, windowsHide: true });
    const timer = setTimeout(() => {
      try {
        // soffice is a launcher script with a child; kill the whole group.
        if (detached && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
      resolve('timeout');
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      resolve('exited');
    };
    child.once('error', done);
    child.once('exit', done);
  });
}

/**
 * EMF/WMF → PNG with `soffice --headless --convert-to png`, in a temp folder with its own
 * LibreOffice profile (so parallel processors and a LibreOffice the user has open do not
 * collide). LibreOffice places the picture on a page, so the white margin is trimmed off.
 */
async function convertWithLibreOffice(bytes: Buffer, format: 'emf' | 'wmf', soffice: string, timeoutMs: number): Promise<Buffer | { skip: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'altgen-soffice-'));
  try {
    const input = path.join(dir, `picture.${format}`);
    const outDir = path.join(dir, 'out');
    await writeFile(input, bytes);
    await mkdir(outDir);
    const args = [
      `-env:UserInstallation=${pathToFileURL(path.join(dir, 'profile')).href}`,
      '--headless',
      '--norestore',
      '--nolockcheck',
      '--nologo',
      '--convert-to',
      'png',
      '--outdir',
      outDir,
      input,
    ];
    const label = format.toUpperCase();
    // LibreOffice's exit code says little (0 even when nothing was converted): the output file decides.
    if ((await run(soffice, args, timeoutMs)) === 'timeout') return { skip: `LibreOffice did not convert the ${label} picture within ${Math.round(timeoutMs / 1000)} s` };
    let png: Buffer;
    try {
      png = await readFile(path.join(outDir, 'picture.png'));
    } catch {
      return { skip: `LibreOffice could not convert the ${label} picture` };
    }
    try {
      return await sharp(png).flatten({ background: '#ffffff' }).trim({ background: '#ffffff', threshold: 10 }).png().toBuffer();
    } catch {
      return png;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Source =
  | { readonly kind: 'encoded'; readonly bytes: Buffer; readonly density?: number }
  | { readonly kind: 'raw'; readonly data: Buffer; readonly width: number; readonly height: number; readonly channels: 3 | 4 };

function open(source: Source, maxInputPixels: number): Sharp {
  if (source.kind === 'raw') {
    return sharp(source.data, { raw: { width: source.width, height: source.height, channels: source.channels }, limitInputPixels: maxInputPixels });
  }
  return sharp(source.bytes, {
    limitInputPixels: maxInputPixels,
    failOn: 'error',
    // Decoded top to bottom as the resize needs it, not held whole: one photo at a time stays small.
    sequentialRead: true,
    ...(source.density !== undefined ? { density: source.density } : {}),
  }).autoOrient();
}

/**
 * Does the picture have visible transparency, and is it line art (once on white)? Line art
 * has few colours (≤ 256). A grey picture always has ≤ 256, so there a few levels must cover
 * nearly every pixel instead: an X-ray or CT slice spreads over the whole range and is a photo;
 * a grey diagram is mostly its background and ink, whatever its anti-aliased edges add.
 * Tight loops that stop as soon as they know: this runs on every picture a deck holds, and
 * without an alpha channel (photos) the transparency loop has nothing to do.
 */
function analyse(data: Buffer, channels: number): { transparent: boolean; fewColours: boolean } {
  const hasAlpha = channels === 4;
  let transparent = false;
  for (let i = 3; hasAlpha && i < data.length; i += channels) {
    if ((data[i] ?? 255) < 255) {
      transparent = true;
      break;
    }
  }
  const colours = new Set<number>();
  const greyLevels = new Uint32Array(256);
  let grey = true;
  let pixels = 0;
  for (let i = 0; i + 2 < data.length && colours.size <= FEW_COLOURS; i += channels) {
    const a = hasAlpha ? (data[i + 3] ?? 255) : 255;
    const onWhite = (value: number): number => (a === 255 ? value : Math.round((value * a + 255 * (255 - a)) / 255));
    const r = onWhite(data[i] ?? 0);
    const g = onWhite(data[i + 1] ?? 0);
    const b = onWhite(data[i + 2] ?? 0);
    colours.add((r << 16) | (g << 8) | b);
    if (grey && (r !== g || g !== b)) grey = false;
    greyLevels[r] = (greyLevels[r] ?? 0) + 1;
    pixels += 1;
  }
  if (colours.size > FEW_COLOURS) return { transparent, fewColours: false };
  if (!grey) return { transparent, fewColours: true };
  const dominant = [...greyLevels].sort((x, y) => y - x).slice(0, DOMINANT_GREY_LEVELS);
  return { transparent, fewColours: dominant.reduce((sum, n) => sum + n, 0) >= LINE_ART_COVERAGE * pixels };
}

type Encoded = Omit<PreparedImage, 'originalWidth' | 'originalHeight'>;

/**
 * One decode: the picture is resized (with shrink-on-load where the format allows) to raw
 * sRGB pixels (RGBA only when it has an alpha channel), analysed there, and the model's copy
 * and the thumbnail are both encoded from those pixels.
 */
async function encode(source: Source, maxDimension: number, maxInputPixels: number, thumbnailDimension: number | undefined): Promise<Encoded> {
  const { data, info } = await open(source, maxInputPixels)
    .resize({ width: maxDimension, height: maxDimension, fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 && info.channels !== 4) throw new Error(`unexpected ${info.channels}-channel pixels after conversion to sRGB`);
  const { transparent, fewColours } = analyse(data, info.channels);
  const usePng = transparent || fewColours;
  const mime: PreparedMime = usePng ? 'image/png' : 'image/jpeg';
  const pixels = (): Sharp => {
    const raw = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels as 3 | 4 } });
    return info.channels === 4 ? raw.flatten({ background: '#ffffff' }) : raw;
  };
  const encodeAs = (image: Sharp): Promise<Buffer> =>
    // Huffman optimisation would cost ~12 ms a photo to save a few per cent on a loopback request.
    (usePng ? image.png({ palette: fewColours, compressionLevel: 9 }) : image.jpeg({ quality: 85, optimiseCoding: false })).toBuffer();
  const [image, thumbnail] = await Promise.all([
    encodeAs(pixels()),
    thumbnailDimension === undefined ? undefined : encodeAs(pixels().resize({ width: thumbnailDimension, height: thumbnailDimension, fit: 'inside', withoutEnlargement: true })),
  ]);
  return { image, mime, width: info.width, height: info.height, ...(thumbnail ? { thumbnail: { image: thumbnail, mime } } : {}) };
}

function tooLarge(width: number, height: number): { skip: string } {
  return { skip: `the picture is too large to decode safely (${width}×${height} pixels)` };
}

function describeError(error: unknown): string {
  return (error as Error).message.split('\n')[0]?.slice(0, 160) ?? 'unknown error';
}

export async function prepareImage(bytes: Buffer, nameOrContentType: string, options: ImagePrepOptions): Promise<ImagePrepResult> {
  const maxInputPixels = options.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS;
  const format = detectFormat(bytes, nameOrContentType);
  if (bytes.length === 0) return { skip: 'the picture file is empty' };

  let source: Source;
  let originalWidth: number;
  let originalHeight: number;
  switch (format) {
    case 'bmp': {
      const decoded = decodeBmp(bytes, maxInputPixels);
      if (!decoded.ok) return { skip: decoded.reason };
      source = { kind: 'raw', data: decoded.data, width: decoded.width, height: decoded.height, channels: decoded.channels };
      originalWidth = decoded.width;
      originalHeight = decoded.height;
      break;
    }
    case 'emf':
    case 'wmf': {
      const soffice = options.soffice === undefined ? await findSoffice() : options.soffice;
      if (soffice === null) return { skip: LIBREOFFICE_MISSING };
      const converted = await convertWithLibreOffice(bytes, format, soffice, options.conversionTimeoutMs ?? DEFAULT_CONVERSION_TIMEOUT_MS);
      if (!Buffer.isBuffer(converted)) return converted;
      const meta = await sharp(converted).metadata();
      source = { kind: 'encoded', bytes: converted };
      originalWidth = meta.width;
      originalHeight = meta.height;
      break;
    }
    case 'svg': {
      let meta: Metadata;
      try {
        meta = await sharp(bytes, { limitInputPixels: false }).metadata();
      } catch (error) {
        return { skip: `the SVG picture could not be read (${describeError(error)})` };
      }
      const longest = Math.max(meta.width, meta.height);
      const density = longest > options.maxDimension ? Math.max(1, (72 * options.maxDimension) / longest) : 72;
      source = { kind: 'encoded', bytes, density };
      originalWidth = meta.width;
      originalHeight = meta.height;
      break;
    }
    case 'png':
    case 'jpeg':
    case 'gif':
    case 'tiff':
    case 'webp':
    case 'heif':
    case 'unknown': {
      let meta: Metadata;
      try {
        meta = await sharp(bytes, { limitInputPixels: false }).metadata();
      } catch {
        const shown = format === 'unknown' ? path.extname(nameOrContentType).slice(1) || nameOrContentType || 'unknown' : format.toUpperCase();
        return { skip: `the picture format (${shown}) cannot be read` };
      }
      if (meta.width * meta.height > maxInputPixels) return tooLarge(meta.width, meta.height);
      source = { kind: 'encoded', bytes };
      originalWidth = meta.autoOrient.width;
      originalHeight = meta.autoOrient.height;
      break;
    }
    default:
      return assertNever(format, 'picture format');
  }

  try {
    return { ...(await encode(source, options.maxDimension, maxInputPixels, options.thumbnailDimension)), originalWidth, originalHeight };
  } catch (error) {
    const message = describeError(error);
    if (/pixel limit/i.test(message)) return tooLarge(originalWidth, originalHeight);
    return { skip: `the picture could not be decoded (${message})` };
  }
}
