import { promises as fs } from 'node:fs';
import sharp from 'sharp';
import type { LimitsConfig } from '../../shared/config-schema';
import type { ReviewImage, ReviewPosition, ReviewSlide } from '../../shared/review-types';
import { openDeck } from '../pptx/deck';
import { MAX_IMAGE_BYTES } from '../pptx/deck-images';
import { openPackage, type PackageReader } from '../pptx/package-reader';

/**
 * What the review shows around a picture, read from the accessible copy through the deck model
 * (pptx/deck.ts): its slide (number, title, text, notes: what the model was given), where it
 * sits on the slide, and its image at full resolution. A deck's context is read once and kept
 * while the copy is unchanged (its size and modification time), for a handful of decks, with the
 * copy's reader open for its images, so that moving through a deck's pictures reads it once.
 */

export interface PictureContext {
  readonly slide: ReviewSlide | null;
  readonly position: ReviewPosition | null;
  /** The image part it shows, when the picture has one in the deck. */
  readonly imagePart: string | null;
}

interface DeckContext {
  readonly stamp: string;
  readonly pictures: ReadonlyMap<string, PictureContext>;
  /** The copy's reader for its images, opened on the first image and closed when the deck is forgotten. */
  reader: Promise<PackageReader> | null;
}

/** Decks whose context is kept; a reviewer moves through one deck at a time. */
const KEPT_DECKS = 4;
/** Images larger than this, or in a format a page cannot show, are sent as a PNG of at most MAX_SIDE_PX. */
const MAX_SENT_BYTES = 12 * 1024 * 1024;
const MAX_SIDE_PX = 4096;
const SHOWN_AS_IS: ReadonlySet<string> = new Set(['png', 'jpeg', 'gif', 'webp']);

export class DeckContexts {
  private readonly decks = new Map<string, DeckContext>();

  constructor(private readonly limits: LimitsConfig) {}

  async picture(copy: string, key: string): Promise<PictureContext | null> {
    return (await this.deck(copy)).pictures.get(key) ?? null;
  }

  /** The picture's image at its full resolution; null when it has none the page can be shown. */
  async image(copy: string, key: string): Promise<ReviewImage | null> {
    const deck = await this.deck(copy);
    const context = deck.pictures.get(key);
    if (!context?.imagePart) return null;
    deck.reader ??= openPackage(copy, this.limits);
    let bytes: Buffer;
    try {
      bytes = await (await deck.reader).readBuffer(context.imagePart, MAX_IMAGE_BYTES);
    } finally {
      // Forgotten while the image was read (the copy was written again): nothing else closes its reader.
      if (this.decks.get(copy) !== deck) close(deck);
    }
    try {
      const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
      const width = meta.width ?? 0;
      const height = meta.height ?? 0;
      if (meta.format && SHOWN_AS_IS.has(meta.format) && bytes.length <= MAX_SENT_BYTES) {
        return { data_url: `data:image/${meta.format};base64,${bytes.toString('base64')}`, width, height };
      }
      // EMF, TIFF, SVG, BMP and huge photos: a PNG the page can show (an SVG never runs as a document).
      const png = await sharp(bytes, { limitInputPixels: false }).resize({ width: MAX_SIDE_PX, height: MAX_SIDE_PX, fit: 'inside', withoutEnlargement: true }).png().toBuffer({ resolveWithObject: true });
      return { data_url: `data:image/png;base64,${png.data.toString('base64')}`, width: png.info.width, height: png.info.height };
    } catch {
      return null;
    }
  }

  /** Closes every copy's reader: the review is no longer shown. */
  close(): void {
    for (const copy of [...this.decks.keys()]) this.forget(copy);
  }

  /** Forgets a deck whose copy was just written again. */
  forget(copy: string): void {
    const known = this.decks.get(copy);
    this.decks.delete(copy);
    if (known) close(known);
  }

  private async deck(copy: string): Promise<DeckContext> {
    const info = await fs.stat(copy);
    const stamp = `${info.size}:${info.mtimeMs}`;
    const known = this.decks.get(copy);
    if (known?.stamp === stamp) {
      // Most recently used last.
      this.decks.delete(copy);
      this.decks.set(copy, known);
      return known;
    }
    if (known) close(known);
    const read = await readContext(copy, this.limits, stamp);
    this.decks.set(copy, read);
    while (this.decks.size > KEPT_DECKS) this.forget(this.decks.keys().next().value as string);
    return read;
  }
}

function close(deck: DeckContext): void {
  void deck.reader?.then((reader) => reader.close()).catch(() => undefined);
  deck.reader = null;
}

async function readContext(copy: string, limits: LimitsConfig, stamp: string): Promise<DeckContext> {
  const deck = await openDeck(copy, limits);
  try {
    const slideSize = deck.slideSize;
    const slides = new Map(
      deck.slides.map((slide): [number, ReviewSlide] => [slide.number, { number: slide.number, title: slide.info.title, text: slide.info.text, notes: slide.info.notes }]),
    );
    const pictures = new Map<string, PictureContext>();
    for (const shape of [...deck.pictures, ...deck.graphics]) {
      const { ref } = shape;
      const position: ReviewPosition | null =
        slideSize && ref.offsetEmu && ref.extentEmu && ref.slideNumber > 0
          ? { x: ref.offsetEmu.x, y: ref.offsetEmu.y, cx: ref.extentEmu.cx, cy: ref.extentEmu.cy, slide_cx: slideSize.cx, slide_cy: slideSize.cy }
          : null;
      const imagePart = 'image' in shape && shape.image && !shape.image.problem ? shape.image.part : null;
      pictures.set(shape.key, { slide: slides.get(ref.slideNumber) ?? null, position, imagePart });
    }
    return { stamp, pictures, reader: null };
  } finally {
    await deck.close();
  }
}
