import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeBmp } from './bmp-decoder';
import { detectFormat, findSoffice, imageHash, LIBREOFFICE_MISSING, prepareImage, type ImagePrepResult, type PreparedImage } from './image-prep';

const soffice = await findSoffice();

function prepared(result: ImagePrepResult): PreparedImage {
  if ('skip' in result) throw new Error(`unexpected skip: ${result.skip}`);
  return result;
}

async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + 3)];
}

/** A photo-like picture: random noise has far more than 256 colours. */
async function noise(width: number, height: number): Promise<Sharp> {
  const data = Buffer.alloc(width * height * 3);
  let seed = 42;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    data[i] = seed >> 16;
  }
  return sharp(data, { raw: { width, height, channels: 3 } });
}

function solid(width: number, height: number, background: string, channels: 3 | 4 = 3): Sharp {
  return sharp({ create: { width, height, channels, background } });
}

/** Writes a BMP by hand: file header, BITMAPINFOHEADER (or V4 for bit fields), palette, rows. */
function bmp(options: {
  width: number;
  height: number;
  bitCount: number;
  rows: number[][];
  palette?: number[][];
  compression?: number;
  masks?: number[];
  topDown?: boolean;
}): Buffer {
  const { width, height, bitCount, rows, palette = [], compression = 0, masks } = options;
  const headerSize = masks ? 108 : 40;
  const stride = Math.ceil((bitCount * width) / 32) * 4;
  const paletteBytes = palette.length * 4;
  const offset = 14 + headerSize + paletteBytes;
  const file = Buffer.alloc(offset + stride * height);
  file.write('BM', 0, 'latin1');
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(offset, 10);
  file.writeUInt32LE(headerSize, 14);
  file.writeInt32LE(width, 18);
  file.writeInt32LE(options.topDown ? -height : height, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(bitCount, 28);
  file.writeUInt32LE(compression, 30);
  file.writeUInt32LE(stride * height, 34);
  file.writeUInt32LE(palette.length, 46);
  masks?.forEach((mask, i) => file.writeUInt32LE(mask >>> 0, 54 + i * 4));
  palette.forEach(([r, g, b], i) => file.set([b ?? 0, g ?? 0, r ?? 0, 0], 14 + headerSize + i * 4));
  rows.forEach((row, y) => {
    const fileRow = options.topDown ? y : height - 1 - y;
    file.set(row, offset + fileRow * stride);
  });
  return file;
}

/** A placeable WMF with one red rectangle. */
function wmf(): Buffer {
  const words: number[] = [];
  const u32 = (value: number): void => {
    words.push(value & 0xffff, (value >>> 16) & 0xffff);
  };
  const record = (fn: number, params: number[]): void => {
    u32(3 + params.length);
    words.push(fn, ...params);
  };
  words.push(1, 9, 0x0300);
  const sizeAt = words.length;
  u32(0);
  words.push(1);
  u32(7);
  words.push(0);
  record(0x020b, [0, 0]);
  record(0x020c, [500, 1000]);
  record(0x02fc, [0, 0x00ff, 0x0000, 0]);
  record(0x012d, [0]);
  record(0x041b, [400, 900, 100, 100]);
  record(0x0000, []);
  words[sizeAt] = words.length & 0xffff;
  words[sizeAt + 1] = words.length >>> 16;
  const placeable = [0xcdd7, 0x9ac6, 0, 0, 0, 1000, 500, 1000, 0, 0];
  const checksum = placeable.reduce((a, b) => a ^ b, 0);
  const all = [...placeable, checksum, ...words];
  const buffer = Buffer.alloc(all.length * 2);
  all.forEach((word, i) => buffer.writeUInt16LE(word & 0xffff, i * 2));
  return buffer;
}

/** An EMF with one red rectangle. */
function emf(): Buffer {
  const records: Buffer[] = [];
  const record = (type: number, values: number[]): void => {
    const buffer = Buffer.alloc(8 + values.length * 4);
    buffer.writeUInt32LE(type, 0);
    buffer.writeUInt32LE(buffer.length, 4);
    values.forEach((value, i) => buffer.writeInt32LE(value | 0, 8 + i * 4));
    records.push(buffer);
  };
  record(39, [1, 0, 0x000000ff, 0]);
  record(37, [1]);
  record(43, [20, 20, 180, 80]);
  record(14, [0, 16, 20]);
  const header = Buffer.alloc(88);
  const total = 88 + records.reduce((sum, r) => sum + r.length, 0);
  [1, 88, 0, 0, 200, 100, 0, 0, 6250, 3125, 0x464d4520, 0x10000, total, records.length + 1].forEach((value, i) => header.writeInt32LE(value | 0, i * 4));
  header.writeUInt16LE(2, 56);
  [1024, 768, 320, 240].forEach((value, i) => header.writeInt32LE(value, 72 + i * 4));
  return Buffer.concat([header, ...records]);
}

describe('prepareImage', () => {
  it('sends an opaque photo as JPEG and keeps its size when it fits', async () => {
    const photo = await (await noise(300, 200)).jpeg({ quality: 95 }).toBuffer();
    const result = prepared(await prepareImage(photo, 'ppt/media/image1.jpeg', { maxDimension: 1024 }));
    expect(result).toMatchObject({ mime: 'image/jpeg', width: 300, height: 200, originalWidth: 300, originalHeight: 200 });
    expect(detectFormat(result.image)).toBe('jpeg');
  });

  it('chooses PNG or JPEG by content, not by the input format', async () => {
    const diagram = await solid(400, 300, '#ffffff')
      .composite([{ input: await solid(100, 100, '#ff0000').png().toBuffer(), left: 50, top: 50 }])
      .png()
      .toBuffer();
    const photoAsPng = await (await noise(400, 300)).png().toBuffer();
    const diagramResult = prepared(await prepareImage(diagram, 'image2.png', { maxDimension: 1024 }));
    expect(diagramResult.mime).toBe('image/png');
    expect(await pixel(diagramResult.image, 100, 100)).toEqual([255, 0, 0]);
    expect(prepared(await prepareImage(photoAsPng, 'image3.png', { maxDimension: 1024 })).mime).toBe('image/jpeg');
  });

  it('flattens transparency onto white and sends it as PNG', async () => {
    const image = await (await noise(200, 100))
      .ensureAlpha()
      .composite([{ input: await solid(100, 100, '#00000000', 4).png().toBuffer(), left: 0, top: 0, blend: 'dest-in' }])
      .png()
      .toBuffer();
    expect((await sharp(image).stats()).isOpaque).toBe(false);
    const result = prepared(await prepareImage(image, 'logo.png', { maxDimension: 1024 }));
    expect(result.mime).toBe('image/png');
    expect((await sharp(result.image).metadata()).hasAlpha).toBe(false);
    expect(await pixel(result.image, 10, 10)).toEqual([255, 255, 255]);
  });

  it.each([
    [3000, 1000, 1024, 1024, 341],
    [1000, 3000, 1024, 341, 1024],
    [2048, 2048, 512, 512, 512],
    [100, 50, 1024, 100, 50],
  ])('fits %i×%i into %i px as %i×%i, never enlarging', async (width, height, maxDimension, outWidth, outHeight) => {
    const image = await solid(width, height, '#204080').png().toBuffer();
    expect(prepared(await prepareImage(image, 'a.png', { maxDimension }))).toMatchObject({
      width: outWidth,
      height: outHeight,
      originalWidth: width,
      originalHeight: height,
    });
  });

  it.each([
    ['GIF', 'gif'],
    ['TIFF', 'tiff'],
    ['WebP', 'webp'],
    ['AVIF', 'avif'],
  ] as const)('reads %s', async (_label, format) => {
    const image = await solid(120, 80, '#00aa00').toFormat(format).toBuffer();
    const result = prepared(await prepareImage(image, `picture.${format}`, { maxDimension: 64 }));
    expect(result).toMatchObject({ width: 64, height: 43, originalWidth: 120, originalHeight: 80 });
    const [r, g, b] = await pixel(result.image, 30, 20);
    expect(g).toBeGreaterThan(150);
    expect((r ?? 0) + (b ?? 0)).toBeLessThan(40);
  });

  it('sends a grey X-ray as a photo (JPEG) and a grey diagram as line art (PNG)', async () => {
    // Continuous tone over the whole grey range, like a radiograph.
    const xray = await (await noise(600, 400)).toColourspace('b-w').png().toBuffer();
    // Black ink on white with anti-aliased edges: well under 256 levels but far from 16.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400"><rect width="600" height="400" fill="#fff"/>${Array.from(
      { length: 40 },
      (_, i) => `<circle cx="${15 + i * 14}" cy="${60 + (i % 7) * 40}" r="${5 + (i % 5)}" fill="none" stroke="#000" stroke-width="1.5"/>`,
    ).join('')}<text x="20" y="380" font-size="28">Left ventricle</text></svg>`;
    const diagram = await sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).toColourspace('b-w').png().toBuffer();
    expect((await sharp(diagram).stats()).channels.length).toBe(1);
    expect(prepared(await prepareImage(xray, 'xray.png', { maxDimension: 1024 })).mime).toBe('image/jpeg');
    expect(prepared(await prepareImage(diagram, 'diagram.png', { maxDimension: 1024 })).mime).toBe('image/png');
  });

  it('makes a thumbnail from the same decode, in the same format, never enlarged', async () => {
    const photo = await (await noise(1600, 1200)).jpeg({ quality: 90 }).toBuffer();
    const result = prepared(await prepareImage(photo, 'photo.jpg', { maxDimension: 1024, thumbnailDimension: 160 }));
    expect(result).toMatchObject({ mime: 'image/jpeg', width: 1024, height: 768 });
    expect(result.thumbnail?.mime).toBe('image/jpeg');
    expect(await sharp(result.thumbnail?.image).metadata()).toMatchObject({ format: 'jpeg', width: 160, height: 120 });

    // A transparent logo: PNG, flattened onto white, like the model's copy.
    const logo = await solid(400, 200, '#ff000080', 4).png().toBuffer();
    const small = prepared(await prepareImage(logo, 'logo.png', { maxDimension: 1024, thumbnailDimension: 160 }));
    expect(small.mime).toBe('image/png');
    expect(small.thumbnail?.mime).toBe('image/png');
    const thumb = small.thumbnail?.image as Buffer;
    expect(await sharp(thumb).metadata()).toMatchObject({ format: 'png', width: 160, height: 80, hasAlpha: false });
    expect(await pixel(thumb, 80, 40)).toEqual(await pixel(small.image, 200, 100));

    const icon = await solid(40, 30, '#0000ff').png().toBuffer();
    const tiny = prepared(await prepareImage(icon, 'icon.png', { maxDimension: 1024, thumbnailDimension: 160 }));
    expect(await sharp(tiny.thumbnail?.image).metadata()).toMatchObject({ width: 40, height: 30 });
    expect(prepared(await prepareImage(icon, 'icon.png', { maxDimension: 1024 })).thumbnail).toBeUndefined();
  });

  it('reads grey and CMYK pictures into sRGB', async () => {
    const grey = await (await noise(300, 200)).toColourspace('b-w').jpeg().toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    const cmyk = await (await noise(300, 200)).toColourspace('cmyk').jpeg().toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    for (const picture of [grey, cmyk]) {
      const result = prepared(await prepareImage(picture, 'scan.jpg', { maxDimension: 1024, thumbnailDimension: 160 }));
      expect(await sharp(result.image).metadata()).toMatchObject({ format: 'jpeg', space: 'srgb', channels: 3 });
    }
  });

  it('describes the first frame of an animated GIF', async () => {
    const frame = (r: number, g: number, b: number): Buffer => Buffer.alloc(40 * 30 * 3, Buffer.from([r, g, b]));
    const gif = await sharp(Buffer.concat([frame(255, 0, 0), frame(0, 0, 255)]), { raw: { width: 40, height: 60, channels: 3, pageHeight: 30 } })
      .gif({ delay: [100, 100] })
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const result = prepared(await prepareImage(gif, 'anim.gif', { maxDimension: 1024 }));
    expect(result).toMatchObject({ width: 40, height: 30 });
    expect(await pixel(result.image, 5, 5)).toEqual([255, 0, 0]);
  });

  it('renders SVG, at a size that fits instead of its declared size', async () => {
    const small = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="#ff0000"/></svg>');
    const huge = Buffer.from(
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="40000" height="20000" viewBox="0 0 4 2"><rect width="4" height="2" fill="#0000ff"/></svg>',
    );
    const smallResult = prepared(await prepareImage(small, 'image.svg', { maxDimension: 1024 }));
    expect(smallResult).toMatchObject({ mime: 'image/png', width: 200, height: 100 });
    expect(await pixel(smallResult.image, 100, 50)).toEqual([255, 0, 0]);
    const hugeResult = prepared(await prepareImage(huge, 'image/svg+xml', { maxDimension: 512, maxInputPixels: 1_000_000 }));
    expect(hugeResult).toMatchObject({ width: 512, height: 256, originalWidth: 40000, originalHeight: 20000 });
  });

  it('applies EXIF orientation', async () => {
    const rotated = await (await noise(60, 40)).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect(prepared(await prepareImage(rotated, 'phone.jpg', { maxDimension: 1024 }))).toMatchObject({
      width: 40,
      height: 60,
      originalWidth: 40,
      originalHeight: 60,
    });
  });

  it('refuses a picture whose pixel count is beyond the limit, before decoding it', async () => {
    const big = await solid(2000, 1500, '#ffffff').png().toBuffer();
    expect(await prepareImage(big, 'big.png', { maxDimension: 1024, maxInputPixels: 1_000_000 })).toEqual({
      skip: 'the picture is too large to decode safely (2000×1500 pixels)',
    });
  });

  it('skips what it cannot read, with a reason', async () => {
    expect(await prepareImage(Buffer.alloc(0), 'x.png', { maxDimension: 1024 })).toEqual({ skip: 'the picture file is empty' });
    expect(await prepareImage(Buffer.from('II\u00bc\u0001garbage'), 'ppt/media/hdphoto1.wdp', { maxDimension: 1024 })).toEqual({
      skip: 'the picture format (wdp) cannot be read',
    });
    const truncated = (await (await noise(200, 200)).png().toBuffer()).subarray(0, 300);
    expect(await prepareImage(truncated, 'cut.png', { maxDimension: 1024 })).toMatchObject({ skip: expect.stringMatching(/^the picture could not be decoded/) });
  });

  describe('BMP', () => {
    const red = [255, 0, 0];
    const green = [0, 255, 0];
    const blue = [0, 0, 255];
    const white = [255, 255, 255];

    it('reads 24-bit bottom-up rows with padding', async () => {
      // 3 pixels × 3 bytes = 9 bytes per row, padded to 12.
      const file = bmp({ width: 3, height: 2, bitCount: 24, rows: [[0, 0, 255, 0, 255, 0, 255, 0, 0], [255, 255, 255, 0, 0, 0, 255, 255, 255]] });
      const result = prepared(await prepareImage(file, 'old.bmp', { maxDimension: 1024 }));
      expect(result).toMatchObject({ mime: 'image/png', width: 3, height: 2, originalWidth: 3, originalHeight: 2 });
      expect([await pixel(result.image, 0, 0), await pixel(result.image, 1, 0), await pixel(result.image, 2, 0)]).toEqual([red, green, blue]);
      expect([await pixel(result.image, 0, 1), await pixel(result.image, 1, 1)]).toEqual([white, [0, 0, 0]]);
    });

    it('reads 8-bit and 4-bit palettes, top-down', async () => {
      const palette = [red, green, blue, white];
      const eight = bmp({ width: 2, height: 2, bitCount: 8, palette, topDown: true, rows: [[0, 1], [2, 3]] });
      const four = bmp({ width: 2, height: 2, bitCount: 4, palette, topDown: true, rows: [[0x01], [0x23]] });
      for (const file of [eight, four]) {
        const result = prepared(await prepareImage(file, 'palette.bmp', { maxDimension: 1024 }));
        expect([await pixel(result.image, 0, 0), await pixel(result.image, 1, 0), await pixel(result.image, 0, 1), await pixel(result.image, 1, 1)]).toEqual([
          red,
          green,
          blue,
          white,
        ]);
      }
    });

    it('reads 32-bit pictures with an alpha mask and flattens them onto white', async () => {
      const masks = [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000];
      const file = bmp({ width: 2, height: 1, bitCount: 32, compression: 3, masks, rows: [[0, 0, 255, 255, 0, 0, 255, 0]] });
      const decoded = decodeBmp(file, 100);
      expect(decoded).toMatchObject({ ok: true, channels: 4, width: 2, height: 1 });
      const result = prepared(await prepareImage(file, 'alpha.bmp', { maxDimension: 1024 }));
      expect([await pixel(result.image, 0, 0), await pixel(result.image, 1, 0)]).toEqual([red, white]);
    });

    it('treats the unused fourth byte of 32-bit BI_RGB pictures as opaque', async () => {
      const file = bmp({ width: 1, height: 1, bitCount: 32, rows: [[255, 0, 0, 0]] });
      expect(decodeBmp(file, 100)).toMatchObject({ ok: true, channels: 3, data: Buffer.from(blue) });
    });

    it.each([
      ['RLE', { width: 2, height: 2, bitCount: 8, compression: 1, palette: [[0, 0, 0]], rows: [] }, 'RLE-compressed BMP pictures are not supported'],
      ['16-bit', { width: 2, height: 2, bitCount: 16, rows: [] }, '16-bit BMP pictures are not supported'],
      ['huge', { width: 60_000, height: 60_000, bitCount: 24, rows: [] }, 'the picture is too large to decode safely (60000×60000 pixels)'],
    ])('refuses %s BMPs', async (_label, spec: { width: number; height: number; bitCount: number; compression?: number; palette?: number[][] }, reason) => {
      const file = bmp({ ...spec, width: Math.min(spec.width, 4), height: Math.min(spec.height, 4), rows: [] });
      if (spec.width > 1000) {
        file.writeInt32LE(spec.width, 18);
        file.writeInt32LE(spec.height, 22);
      }
      expect(await prepareImage(file, 'x.bmp', { maxDimension: 1024 })).toEqual({ skip: reason });
    });

    it('refuses a BMP whose pixel data is cut off', async () => {
      const file = bmp({ width: 4, height: 4, bitCount: 24, rows: [] }).subarray(0, 80);
      expect(await prepareImage(file, 'x.bmp', { maxDimension: 1024 })).toEqual({ skip: 'the BMP pixel data is truncated' });
    });
  });

  describe('EMF and WMF', () => {
    it('recognises them by their magic bytes', () => {
      expect(detectFormat(wmf(), 'image1.bin')).toBe('wmf');
      expect(detectFormat(emf(), 'image2.bin')).toBe('emf');
    });

    it('skips them with a reason that names LibreOffice when it is not installed', async () => {
      expect(await prepareImage(emf(), 'ppt/media/image1.emf', { maxDimension: 1024, soffice: null })).toEqual({ skip: LIBREOFFICE_MISSING });
      expect(await prepareImage(wmf(), 'ppt/media/image2.wmf', { maxDimension: 1024, soffice: null })).toEqual({ skip: LIBREOFFICE_MISSING });
    });

    it('reports a conversion that fails', async () => {
      expect(await prepareImage(emf(), 'image1.emf', { maxDimension: 1024, soffice: process.execPath })).toEqual({
        skip: 'LibreOffice could not convert the EMF picture',
      });
    });

    it.skipIf(process.platform === 'win32')('gives up on a conversion that hangs', async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'altgen-hanging-soffice-'));
      try {
        const hanging = path.join(dir, 'soffice');
        await writeFile(hanging, '#!/bin/sh\nsleep 30\n', { mode: 0o755 });
        const started = Date.now();
        expect(await prepareImage(wmf(), 'image1.wmf', { maxDimension: 1024, soffice: hanging, conversionTimeoutMs: 1_000 })).toEqual({
          skip: 'LibreOffice did not convert the WMF picture within 1 s',
        });
        // Not the 30 s the stand-in sleeps (a generous bound: CI's cores may be busy).
        expect(Date.now() - started).toBeLessThan(20_000);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it.skipIf(soffice === null)('converts them with LibreOffice and trims the page around them', async () => {
      for (const file of [emf(), wmf()]) {
        const result = prepared(await prepareImage(file, 'clipart', { maxDimension: 1024, soffice }));
        expect(result.mime).toBe('image/png');
        expect(result.width).toBeGreaterThan(result.height);
        const [r, g, b] = await pixel(result.image, Math.floor(result.width / 2), Math.floor(result.height / 2));
        expect(r).toBeGreaterThan(200);
        expect((g ?? 0) + (b ?? 0)).toBeLessThan(60);
      }
    });
  });
});

describe('imageHash', () => {
  it('is the sha256 of the original bytes', () => {
    const bytes = Buffer.from('picture bytes');
    expect(imageHash(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(imageHash(bytes)).toMatch(/^[0-9a-f]{64}$/);
  });
});
