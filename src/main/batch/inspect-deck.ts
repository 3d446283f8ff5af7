import { posix } from 'node:path';
import type { DeckInspection } from '../../shared/batch-types';
import type { LimitsConfig } from '../../shared/config-schema';
import type { ItemErrorCode } from '../../shared/error-codes';
import { openPackage, PackageError, PRESENTATION_PART, type PackageEntry, type PackageReader } from '../pptx/package-reader';

export { LEGACY_PPT_ADVICE } from '../pptx/package-reader';

/**
 * The dry-run check of one deck, without processing it.
 *
 * Guarantees:
 * - The input is only read. Every file descriptor it opens is closed before it resolves,
 *   whatever the outcome.
 * - Reading goes through the shared package reader (`pptx/package-reader.ts`), so it is bounded
 *   by `LimitsConfig` and refuses what the processor refuses, with the same codes and messages.
 * - It reads the head of every XML part (`.xml`, `.rels`, `.vml`) to refuse DOCTYPE/ENTITY
 *   declarations, and all of `ppt/presentation.xml`, its relationships and every slide part.
 * - Every problem becomes one outcome with a stable code and a one-line message.
 *
 * Not guaranteed: the counts come from a tag scan, not a validating parse. Well-formedness,
 * schema validity and pictures in parts other than slides (layouts, masters, notes) are not
 * checked; the processor finds what the scan cannot.
 *
 * Status mapping: the file is `skipped` for ELEGACY_FORMAT (nothing is wrong with it, it just
 * needs File › Save As .pptx first); every other problem is `failed`, since the user must
 * fix or replace the file (ENOT_FOUND, EUNREADABLE, EEMPTY, ENOT_ZIP, EENCRYPTED,
 * ECORRUPT, EZIP_LIMITS, ENOT_PRESENTATION, EUNSAFE_XML).
 */

export type InspectionOutcome =
  | { readonly ok: true; readonly inspection: DeckInspection }
  | {
      readonly ok: false;
      readonly status: 'failed' | 'skipped';
      readonly code: ItemErrorCode;
      readonly message: string;
    };

export interface InspectOptions {
  /**
   * Whether a picture with this `descr` still needs alt text. The default counts only an
   * absent or blank `descr`; pass the alt-text classifier to count weak text as missing too.
   */
  readonly needsAltText?: (descr: string) => boolean;
}

export async function inspectDeck(
  path: string,
  limits: LimitsConfig,
  options: InspectOptions = {},
): Promise<InspectionOutcome> {
  try {
    const reader = await openPackage(path, limits);
    try {
      const inspection = await inspectPackage(reader, options.needsAltText ?? isBlank);
      return { ok: true, inspection };
    } finally {
      await reader.close();
    }
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    return {
      ok: false,
      status: error.code === 'ELEGACY_FORMAT' ? 'skipped' : 'failed',
      code: error.code,
      message: error.message.replace(/\s+/g, ' ').trim(),
    };
  }
}

function isBlank(descr: string): boolean {
  return descr.trim() === '';
}

// ── the package ───────────────────────────────────────────────────────────────────────────

const XML_PART = /\.(xml|rels|vml)$/i;

async function inspectPackage(reader: PackageReader, needsAltText: (descr: string) => boolean): Promise<DeckInspection> {
  const presentation = reader.entry(PRESENTATION_PART);
  if (!presentation) throw new Error(`openPackage let through a package without ${PRESENTATION_PART}`);
  const slideIds = new SlideIdCollector();
  await scanPart(reader, presentation, slideIds);
  const slideParts = await resolveSlideParts(reader, slideIds.relationshipIds);
  const pictures = new PictureCounter(needsAltText);
  for (const slide of slideParts) await scanPart(reader, slide, pictures);

  const scanned = new Set<PackageEntry>([presentation, ...slideParts]);
  let uncompressedBytes = 0;
  for (const entry of reader.entries.values()) {
    if (XML_PART.test(entry.name) && !scanned.has(entry)) await scanPart(reader, entry, null);
    uncompressedBytes += entry.uncompressedSize;
  }
  return {
    slides: slideIds.count,
    pictures: pictures.pictures,
    pictures_missing_alt: pictures.missingAlt,
    entries: reader.entries.size,
    uncompressed_bytes: uncompressedBytes,
  };
}

/** Targets of the presentation's slide relationships, in slide order. */
async function resolveSlideParts(reader: PackageReader, slideRelIds: readonly string[]): Promise<PackageEntry[]> {
  if (slideRelIds.length === 0) return [];
  const relsName = 'ppt/_rels/presentation.xml.rels';
  const rels = reader.entry(relsName);
  if (!rels) throw new PackageError('ECORRUPT', `Damaged package: ${relsName} is missing, so its slides cannot be found.`);
  const targets = new RelationshipCollector();
  await scanPart(reader, rels, targets);
  return slideRelIds.map((id, index) => {
    const target = targets.byId.get(id);
    const entry = target === undefined ? undefined : reader.entry(resolvePartName('ppt', target));
    if (!entry) {
      throw new PackageError(
        'ECORRUPT',
        `Damaged package: slide ${index + 1} is listed in the presentation but its part ${target ?? `(relationship ${id})`} is missing.`,
      );
    }
    return entry;
  });
}

function resolvePartName(sourceFolder: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // a target with a stray % is used as written
  }
  return decoded.startsWith('/') ? decoded.slice(1) : posix.normalize(posix.join(sourceFolder, decoded));
}

// ── XML scanning ──────────────────────────────────────────────────────────────────────────

interface TagHandler {
  open(localName: string, attributes: string): void;
  /** Also called right after `open` for a self-closing element. */
  close(localName: string): void;
}

/** A construct (tag, comment) longer than this is refused rather than buffered. */
const MAX_MARKUP_CHARS = 8 * 1024 * 1024;
const TAG = /<(\/?)([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;

/**
 * Streams one part through a tag scanner. With a handler the whole part is read; without,
 * reading stops at the root element, which is past where a DOCTYPE could be.
 */
async function scanPart(reader: PackageReader, entry: PackageEntry, handler: TagHandler | null): Promise<void> {
  const scanner = new XmlTagScanner(entry.name, handler);
  for await (const text of reader.streamText(entry.name)) {
    if (scanner.push(text)) return;
  }
  scanner.end();
}

class XmlTagScanner {
  private pending = '';
  private done = false;

  constructor(
    private readonly part: string,
    private readonly handler: TagHandler | null,
  ) {}

  /** Feeds decoded text; returns true once no more text is needed. */
  push(text: string): boolean {
    if (this.done) return true;
    const buffer = this.pending + text;
    let at = 0;
    for (;;) {
      const start = buffer.indexOf('<', at);
      if (start < 0) {
        this.pending = '';
        return false;
      }
      const end = this.consume(buffer, start);
      if (end < 0) {
        this.pending = buffer.slice(start);
        if (this.pending.length > MAX_MARKUP_CHARS) throw this.malformed('a single tag or comment is too long');
        return false;
      }
      if (this.done) return true;
      at = end;
    }
  }

  end(): void {
    if (!this.done && this.pending.includes('<')) throw this.malformed('it ends inside a tag');
  }

  /** Handles the markup at `start`; returns the index after it, or -1 if it is incomplete. */
  private consume(buffer: string, start: number): number {
    const closeOf = (opener: string, closer: string) => {
      if (!buffer.startsWith(opener, start)) return null;
      const close = buffer.indexOf(closer, start + opener.length);
      return close < 0 ? -1 : close + closer.length;
    };
    const skipped = closeOf('<!--', '-->') ?? closeOf('<![CDATA[', ']]>') ?? closeOf('<?', '?>');
    if (skipped !== null) return skipped;
    if (buffer.startsWith('<!', start)) {
      // DOCTYPE and ENTITY never get here: the package reader refuses them as it decodes.
      if (buffer.length - start < 9) return -1;
      throw this.malformed('it has an unknown <! declaration');
    }
    TAG.lastIndex = start;
    const match = TAG.exec(buffer);
    if (!match) return -1;
    const [whole, slash, name = '', attributes = '', selfClosing] = match;
    const localName = name.slice(name.indexOf(':') + 1);
    if (!this.handler) {
      this.done = true;
    } else if (slash) {
      this.handler.close(localName);
    } else {
      this.handler.open(localName, attributes);
      if (selfClosing === '/') this.handler.close(localName);
    }
    return start + whole.length;
  }

  private malformed(why: string): PackageError {
    return new PackageError('ECORRUPT', `Damaged file: the part ${this.part} is not valid XML (${why}).`);
  }
}

/** The value of the attribute with this local name (any prefix, or the one with `prefix`). */
function attribute(attributes: string, localName: string, prefixed = false): string | null {
  const prefix = prefixed ? '[^\\s=/>:]+:' : '';
  const match = new RegExp(`(?:^|\\s)${prefix}${localName}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attributes);
  if (!match) return null;
  return decodeEntities(match[1] ?? match[2] ?? '');
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (entity: string, body: string) => {
    if (body[0] !== '#') return named[body.toLowerCase()] ?? entity;
    const codePoint = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
  });
}

/**
 * Counts `sldId` in the presentation's `sldIdLst`. Extension lists are skipped: PowerPoint's
 * sections (`p14:sectionLst`) repeat every slide as `p14:sldId`.
 */
class SlideIdCollector implements TagHandler {
  count = 0;
  readonly relationshipIds: string[] = [];
  private extensionDepth = 0;

  open(name: string, attributes: string): void {
    if (name === 'extLst' || this.extensionDepth > 0) {
      this.extensionDepth += 1;
      return;
    }
    if (name !== 'sldId') return;
    this.count += 1;
    const id = attribute(attributes, 'id', true);
    if (id !== null) this.relationshipIds.push(id);
  }

  close(): void {
    if (this.extensionDepth > 0) this.extensionDepth -= 1;
  }
}

class RelationshipCollector implements TagHandler {
  readonly byId = new Map<string, string>();

  open(name: string, attributes: string): void {
    if (name !== 'Relationship' || attribute(attributes, 'TargetMode') === 'External') return;
    const id = attribute(attributes, 'Id');
    const target = attribute(attributes, 'Target');
    if (id !== null && target !== null) this.byId.set(id, target);
  }

  close(): void {}
}

interface OpenShape {
  /** `pic`, or `sp` (counted only when filled with a picture). */
  readonly root: 'pic' | 'sp';
  /** Local names from the shape down to the element open now. */
  readonly path: string[];
  descr: string;
  decorative: boolean;
  inNonVisualProps: boolean;
  nonVisualPropsSeen: boolean;
  /** An `sp` whose `spPr` fill is a picture naming an image (`r:embed` or `r:link`). */
  filled: boolean;
}

const SHAPE_FILL_BLIP = ['sp', 'spPr', 'blipFill', 'blip'];

/**
 * Counts `pic` elements and shapes filled with a picture (`sp` with `spPr/blipFill/blip`), as
 * the processor lists them (also inside groups and `mc:Choice`), and those that still need alt
 * text: no non-blank `descr` on their `cNvPr`, and not marked `adec:decorative val="1"`.
 * `mc:Fallback` content is skipped, since it repeats what `mc:Choice` holds.
 */
class PictureCounter implements TagHandler {
  pictures = 0;
  missingAlt = 0;
  private fallbackDepth = 0;
  private shape: OpenShape | null = null;

  constructor(private readonly needsAltText: (descr: string) => boolean) {}

  open(name: string, attributes: string): void {
    if (this.fallbackDepth > 0 || name === 'Fallback') {
      this.fallbackDepth += 1;
      return;
    }
    const shape = this.shape;
    if (!shape) {
      if (name === 'pic' || name === 'sp') {
        this.shape = { root: name, path: [name], descr: '', decorative: false, inNonVisualProps: false, nonVisualPropsSeen: false, filled: false };
      }
      return;
    }
    shape.path.push(name);
    if (name === 'cNvPr' && !shape.nonVisualPropsSeen) {
      shape.descr = attribute(attributes, 'descr') ?? '';
      shape.inNonVisualProps = true;
      shape.nonVisualPropsSeen = true;
    } else if (shape.inNonVisualProps && name === 'decorative') {
      const value = attribute(attributes, 'val');
      if (value === '1' || value === 'true') shape.decorative = true;
    } else if (name === 'blip' && shape.path.join('/') === SHAPE_FILL_BLIP.join('/')) {
      shape.filled = (attribute(attributes, 'embed', true) ?? attribute(attributes, 'link', true)) !== null;
    }
  }

  close(name: string): void {
    if (this.fallbackDepth > 0) {
      this.fallbackDepth -= 1;
      return;
    }
    const shape = this.shape;
    if (!shape) return;
    if (name === 'cNvPr') shape.inNonVisualProps = false;
    shape.path.pop();
    if (shape.path.length > 0) return;
    this.shape = null;
    if (shape.root === 'sp' && !shape.filled) return;
    this.pictures += 1;
    if (!shape.decorative && this.needsAltText(shape.descr)) this.missingAlt += 1;
  }
}
