import { createHash } from 'node:crypto';
import { imageSize } from 'image-size';
import type { PackageReader } from './package-reader';
import { PackageError } from './package-error';

/**
 * What planning needs of each embedded image, known before anything is decoded: its pixel size
 * from its header and an identity that is the same for images with the same bytes. Enough for
 * the decorative hints (tiny images, the same logo on most slides); an image's bytes are read
 * whole only to be described or shown, later.
 *
 * Guarantees: only the head of an image is inflated (256 KB: PNG, GIF, WebP, most JPEGs and
 * TIFFs have their size there), unless its header is not in it (an SVG, a TIFF with its
 * directory at the end) or another image has the same CRC-32 and size, when it is read whole
 * (bounded by `MAX_IMAGE_BYTES`) and hashed. An image that cannot be read at all has a
 * `problem`, never an exception.
 */

export interface DeckImage {
  readonly part: string;
  /** The same for images with the same bytes: their sha256, or CRC-32 and size where that is unique. */
  readonly identity: string;
  /** The sha256 (hex), when the whole image had to be read to know the facts. */
  readonly hash: string | null;
  readonly widthPx: number | null;
  readonly heightPx: number | null;
  /** Why the image cannot be read at all, if it cannot. */
  readonly problem: string | null;
}

/** The largest image part read whole. */
export const MAX_IMAGE_BYTES = 256 * 1024 * 1024;
/** Enough of an image to hold its header: PNG, GIF, WebP and most JPEGs (EXIF comes first) and TIFFs. */
const IMAGE_HEAD_BYTES = 256 * 1024;

/** The sha256 of an image's bytes, hex: the same digest as the description cache's key (describe/image-prep.ts). */
function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Facts of every image part in `parts`, in order, with identities made exact where CRC-32 and size collide. */
export async function readImageFacts(reader: PackageReader, parts: readonly string[]): Promise<Map<string, DeckImage>> {
  const facts: DeckImage[] = [];
  for (const part of parts) facts.push(await imageFacts(reader, part));
  const images = new Map<string, DeckImage>();
  for (const image of await exactIdentities(reader, facts)) images.set(image.part, image);
  return images;
}

/**
 * Pixel size from the image's header and an identity from its ZIP record: nothing is decoded,
 * and only the head is inflated. Pictures whose header is not in the head are read whole.
 */
async function imageFacts(reader: PackageReader, part: string): Promise<DeckImage> {
  const entry = reader.entry(part);
  if (!entry) return { part, identity: part, hash: null, widthPx: null, heightPx: null, problem: `The image ${part} is missing from the deck.` };
  const identity = `crc32:${entry.crc32.toString(16)}:${entry.uncompressedSize}`;
  try {
    const head = await reader.readHead(part, IMAGE_HEAD_BYTES);
    const fromHead = pixelSize(head);
    if (fromHead || head.length >= entry.uncompressedSize) return { part, identity, hash: null, widthPx: fromHead?.widthPx ?? null, heightPx: fromHead?.heightPx ?? null, problem: null };
    const bytes = await reader.readBuffer(part, MAX_IMAGE_BYTES);
    const hash = sha256(bytes);
    return { part, identity: hash, hash, widthPx: null, heightPx: null, ...(pixelSize(bytes) ?? {}), problem: null };
  } catch (error) {
    return { part, identity: part, hash: null, widthPx: null, heightPx: null, problem: `The image ${part} could not be read (${(error as Error).message}).` };
  }
}

/**
 * The pixel size in an image's header, read by image-size: plain JavaScript over the bytes
 * given (no decoding, no native code), so that planning a deck, in the dry run's threads too,
 * runs nothing a hostile header could crash outside the JavaScript heap, and costs a few
 * microseconds instead of a trip through libvips. Formats it does not know (EMF, WMF) have no
 * size, as before.
 */
function pixelSize(bytes: Buffer): { widthPx: number | null; heightPx: number | null } | null {
  try {
    const size = imageSize(bytes);
    return { widthPx: size.width ?? null, heightPx: size.height ?? null };
  } catch {
    return null;
  }
}

/**
 * Image parts whose CRC-32 and size match another part's are read whole and hashed, so that
 * "the same image" is exact. PowerPoint keeps one part per image, so this is rare.
 */
async function exactIdentities(reader: PackageReader, all: readonly DeckImage[]): Promise<DeckImage[]> {
  const count = new Map<string, number>();
  for (const facts of all) count.set(facts.identity, (count.get(facts.identity) ?? 0) + 1);
  const exact: DeckImage[] = [];
  for (const facts of all) {
    if (facts.hash || facts.problem || (count.get(facts.identity) ?? 0) < 2) {
      exact.push(facts);
      continue;
    }
    const bytes = await readImage(reader, facts.part);
    exact.push(bytes ? { ...facts, hash: sha256(bytes), identity: sha256(bytes) } : facts);
  }
  return exact;
}

/** The whole image part, or null when it cannot be read (its pictures are then reported as skipped). */
export async function readImage(reader: PackageReader, part: string): Promise<Buffer | null> {
  try {
    return await reader.readBuffer(part, MAX_IMAGE_BYTES);
  } catch (error) {
    if (error instanceof PackageError) return null;
    throw error;
  }
}
