/**
 * A small BMP decoder, because sharp's prebuilt libvips has no BMP loader (libvips reads BMP
 * only through ImageMagick, which sharp does not bundle), and old decks do contain BMPs.
 *
 * It reads what Windows and Office write: uncompressed 1/4/8-bit palette, 24-bit and 32-bit
 * pictures (BI_RGB, or BI_BITFIELDS/BI_ALPHABITFIELDS with 32-bit masks), bottom-up or
 * top-down, with the core, info and V4/V5 headers. Everything else (RLE, 16-bit, embedded
 * JPEG/PNG, OS/2 2.x headers) is refused with a reason. Bounds: every offset is checked against
 * the buffer before it is read, and the pixel count is capped by the caller before allocating.
 */
export type DecodedBmp =
  | { readonly ok: true; readonly width: number; readonly height: number; readonly channels: 3 | 4; readonly data: Buffer }
  | { readonly ok: false; readonly reason: string };

const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;
const BI_JPEG = 4;
const BI_PNG = 5;
const BI_ALPHABITFIELDS = 6;

interface Channel {
  readonly mask: number;
  readonly shift: number;
  readonly max: number;
}

function channelOf(mask: number): Channel | null {
  if (mask === 0) return { mask: 0, shift: 0, max: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  const max = mask >>> shift;
  // Only contiguous masks of at most 16 bits: (max + 1) must be a power of two.
  if ((max & (max + 1)) !== 0 || max > 0xffff) return null;
  return { mask, shift, max };
}

function readChannel(pixel: number, channel: Channel): number {
  return channel.max === 0 ? 0 : Math.round((((pixel & channel.mask) >>> channel.shift) * 255) / channel.max);
}

export function isBmp(bytes: Buffer): boolean {
  return bytes.length >= 26 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

export function decodeBmp(bytes: Buffer, maxPixels: number): DecodedBmp {
  if (!isBmp(bytes)) return { ok: false, reason: 'not a BMP file' };
  const pixelOffset = bytes.readUInt32LE(10);
  const headerSize = bytes.readUInt32LE(14);
  const core = headerSize === 12;
  if (!core && ![40, 52, 56, 108, 124].includes(headerSize)) return { ok: false, reason: `BMP header of ${headerSize} bytes is not supported` };
  if (bytes.length < 14 + headerSize) return { ok: false, reason: 'the BMP file is truncated' };

  const width = core ? bytes.readUInt16LE(18) : bytes.readInt32LE(18);
  const rawHeight = core ? bytes.readUInt16LE(20) : bytes.readInt32LE(22);
  const bitCount = core ? bytes.readUInt16LE(24) : bytes.readUInt16LE(28);
  const compression = core ? BI_RGB : bytes.readUInt32LE(30);
  const colorsUsed = core ? 0 : bytes.readUInt32LE(46);
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);

  if (compression === BI_RLE8 || compression === BI_RLE4) return { ok: false, reason: 'RLE-compressed BMP pictures are not supported' };
  if (compression === BI_JPEG || compression === BI_PNG) return { ok: false, reason: 'BMP files that wrap JPEG or PNG data are not supported' };
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) {
    return { ok: false, reason: `BMP compression type ${compression} is not supported` };
  }
  if (width <= 0 || height === 0 || width > 65_535 || height > 65_535) return { ok: false, reason: `the BMP size ${width}×${rawHeight} is invalid` };
  if (width * height > maxPixels) return { ok: false, reason: `the picture is too large to decode safely (${width}×${height} pixels)` };

  const palette = bitCount === 1 || bitCount === 4 || bitCount === 8;
  if (palette && compression !== BI_RGB) return { ok: false, reason: 'palette BMP pictures with bit fields are not supported' };
  if (bitCount === 24 && compression !== BI_RGB) return { ok: false, reason: '24-bit BMP pictures with bit fields are not supported' };
  if (!palette && bitCount !== 24 && bitCount !== 32) return { ok: false, reason: `${bitCount}-bit BMP pictures are not supported` };

  let red: Channel | null = { mask: 0x00ff0000, shift: 16, max: 255 };
  let green: Channel | null = { mask: 0x0000ff00, shift: 8, max: 255 };
  let blue: Channel | null = { mask: 0x000000ff, shift: 0, max: 255 };
  let alpha: Channel | null = { mask: 0xff000000, shift: 24, max: 255 };
  let tableEnd = 14 + headerSize;
  if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
    const maskCount = compression === BI_ALPHABITFIELDS ? 4 : 3;
    // The info header (40 bytes) is followed by the masks; V2+ headers contain them.
    const maskStart = 14 + 40;
    if (headerSize === 40) tableEnd += maskCount * 4;
    if (bytes.length < maskStart + maskCount * 4) return { ok: false, reason: 'the BMP file is truncated' };
    red = channelOf(bytes.readUInt32LE(maskStart));
    green = channelOf(bytes.readUInt32LE(maskStart + 4));
    blue = channelOf(bytes.readUInt32LE(maskStart + 8));
    const hasAlphaMask = maskCount === 4 || headerSize >= 56;
    alpha = channelOf(hasAlphaMask && bytes.length >= maskStart + 16 ? bytes.readUInt32LE(maskStart + 12) : 0);
    if (!red || !green || !blue || !alpha) return { ok: false, reason: 'the BMP colour masks are not supported' };
  }

  let colours: Buffer | null = null;
  if (palette) {
    const entrySize = core ? 3 : 4;
    const count = Math.min(colorsUsed === 0 ? 2 ** bitCount : colorsUsed, 2 ** bitCount);
    if (tableEnd + count * entrySize > bytes.length) return { ok: false, reason: 'the BMP colour table is truncated' };
    colours = Buffer.alloc(count * 3);
    for (let i = 0; i < count; i++) {
      const at = tableEnd + i * entrySize;
      colours[i * 3] = bytes[at + 2] ?? 0;
      colours[i * 3 + 1] = bytes[at + 1] ?? 0;
      colours[i * 3 + 2] = bytes[at] ?? 0;
    }
  }

  const stride = Math.ceil((bitCount * width) / 32) * 4;
  if (pixelOffset < 14 + headerSize || pixelOffset + stride * height > bytes.length) return { ok: false, reason: 'the BMP pixel data is truncated' };

  // BI_RGB 32-bit pictures usually leave the fourth byte at zero; only non-zero bytes mean alpha.
  let useAlpha = bitCount === 32 && alpha.max > 0;
  if (bitCount === 32 && compression === BI_RGB) {
    useAlpha = false;
    for (let y = 0; y < height && !useAlpha; y++) {
      const row = pixelOffset + y * stride;
      for (let x = 0; x < width; x++) {
        if (bytes[row + x * 4 + 3] !== 0) {
          useAlpha = true;
          break;
        }
      }
    }
  }

  const channels = useAlpha ? 4 : 3;
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    const row = pixelOffset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const out = (y * width + x) * channels;
      if (colours) {
        const bit = x * bitCount;
        const byte = bytes[row + (bit >> 3)] ?? 0;
        const index = bitCount === 8 ? byte : (byte >> (8 - bitCount - (bit & 7))) & ((1 << bitCount) - 1);
        const at = index * 3 < colours.length ? index * 3 : -1;
        data[out] = at < 0 ? 0 : (colours[at] ?? 0);
        data[out + 1] = at < 0 ? 0 : (colours[at + 1] ?? 0);
        data[out + 2] = at < 0 ? 0 : (colours[at + 2] ?? 0);
      } else if (bitCount === 24) {
        const at = row + x * 3;
        data[out] = bytes[at + 2] ?? 0;
        data[out + 1] = bytes[at + 1] ?? 0;
        data[out + 2] = bytes[at] ?? 0;
      } else {
        const pixel = bytes.readUInt32LE(row + x * 4);
        data[out] = readChannel(pixel, red);
        data[out + 1] = readChannel(pixel, green);
        data[out + 2] = readChannel(pixel, blue);
        if (useAlpha) data[out + 3] = readChannel(pixel, alpha);
      }
    }
  }
  return { ok: true, width, height, channels, data };
}
