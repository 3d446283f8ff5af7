import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

/**
 * Draws the app icon (assets/icon.png, 512×512): a slide with a picture (mountain and sun)
 * and an "alt text" caption bar beneath it, on a deep-blue rounded square. electron-builder
 * derives the .ico and .icns from it. Drawn in code so it can be regenerated exactly.
 */
const SIZE = 512;
const pixels = Buffer.alloc(SIZE * SIZE * 4);

type Rgba = readonly [number, number, number, number];
const BLUE: Rgba = [22, 62, 138, 255];
const WHITE: Rgba = [250, 250, 252, 255];
const SKY: Rgba = [200, 225, 250, 255];
const SUN: Rgba = [255, 196, 61, 255];
const HILL: Rgba = [46, 139, 87, 255];
const TEXT: Rgba = [22, 62, 138, 255];

function set(x: number, y: number, [r, g, b, a]: Rgba): void {
  const i = (y * SIZE + x) * 4;
  pixels[i] = r;
  pixels[i + 1] = g;
  pixels[i + 2] = b;
  pixels[i + 3] = a;
}

function fill(inside: (x: number, y: number) => boolean, color: Rgba): void {
  for (let y = 0; y < SIZE; y += 1) for (let x = 0; x < SIZE; x += 1) if (inside(x, y)) set(x, y, color);
}

function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number) {
  return (x: number, y: number) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
}

fill(roundedRect(16, 16, 495, 495, 96), BLUE);
fill(roundedRect(84, 96, 427, 330, 18), WHITE);
fill(roundedRect(108, 118, 403, 306, 8), SKY);
fill((x, y) => (x - 330) ** 2 + (y - 170) ** 2 <= 26 ** 2, SUN);
fill((x, y) => y <= 306 && y >= 118 && y >= 306 - (120 - Math.abs(x - 210)) && x >= 108 && x <= 403, HILL);
fill((x, y) => y <= 306 && y >= 118 && y >= 306 - (80 - Math.abs(x - 330)) && x >= 108 && x <= 403, HILL);
fill(roundedRect(84, 360, 427, 416, 28), WHITE);
for (const [x0, x1] of [[112, 190], [206, 300], [316, 398]] as const) fill(roundedRect(x0, 378, x1, 398, 10), TEXT);

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8);
const rows = Buffer.alloc((SIZE * 4 + 1) * SIZE);
for (let y = 0; y < SIZE; y += 1) pixels.copy(rows, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(rows, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../assets/icon.png', import.meta.url), png);
