import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { deckEntries, writeZip, type ZipEntries } from '../fixtures/deck-builder';
import { openDeck } from './deck';
import { PackageError } from './package-error';
import { encodeText } from './part-text';
import { applyAltTextEdits } from './xml-attribute-editor';

/**
 * The one codec of part text, as every reader of a deck uses it: decks written with a slide in
 * each encoding OPC allows, opened with `openDeck`, the slide's text encoded back.
 */

const SLIDE = 'ppt/slides/slide1.xml';
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'part-text-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function deckWithSlide(encode: (xml: string) => Buffer): Promise<{ file: string; bytes: Buffer; xml: string }> {
  const entries: ZipEntries = deckEntries({ slides: [{ pictures: [{ descr: 'Größe', imageSize: 64 }] }] });
  const xml = String(entries.get(SLIDE)).replace('encoding="UTF-8"', 'encoding="UTF-16"');
  const bytes = encode(xml);
  entries.set(SLIDE, bytes);
  const file = path.join(dir, `deck-${Math.random().toString(36).slice(2)}.pptx`);
  await writeZip(file, entries);
  return { file, bytes, xml };
}

const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();

describe('part text through the deck reader', () => {
  it.each([
    ['UTF-8', (xml: string) => Buffer.from(xml.replace('UTF-16', 'UTF-8'), 'utf8'), { charset: 'utf-8', bom: false }],
    ['UTF-8 with a BOM', (xml: string) => Buffer.from(`\uFEFF${xml.replace('UTF-16', 'UTF-8')}`, 'utf8'), { charset: 'utf-8', bom: true }],
    ['UTF-16LE with a BOM', (xml: string) => Buffer.from(`\uFEFF${xml}`, 'utf16le'), { charset: 'utf-16le', bom: true }],
    ['UTF-16LE without a BOM', (xml: string) => Buffer.from(xml, 'utf16le'), { charset: 'utf-16le', bom: false }],
    ['UTF-16BE with a BOM', (xml: string) => utf16be(`\uFEFF${xml}`), { charset: 'utf-16be', bom: true }],
    ['UTF-16BE without a BOM', (xml: string) => utf16be(xml), { charset: 'utf-16be', bom: false }],
  ] as const)('reads a %s slide, finds its picture, and encodes it back to the same bytes', async (_name, encode, encoding) => {
    const { file, bytes } = await deckWithSlide(encode);
    const deck = await openDeck(file, DEFAULT_CONFIG.limits);
    try {
      const part = deck.parts.get(SLIDE);
      expect(part?.encoding).toEqual(encoding);
      expect(part && encodeText(part.text, part.encoding).equals(bytes)).toBe(true);
      expect(deck.pictures.map((picture) => picture.ref.descr)).toEqual(['Größe']);
    } finally {
      await deck.close();
    }
  });

  it('refuses a slide whose bytes are not valid in their encoding, naming the part', async () => {
    for (const [bytes, charset] of [
      [Buffer.from([0x3c, 0x61, 0xff, 0x2f, 0x3e]), 'UTF-8'],
      [Buffer.from([0xff, 0xfe, 0x3c]), 'UTF-16LE'],
    ] as const) {
      const entries = deckEntries({ slides: [{}] });
      entries.set(SLIDE, bytes);
      const file = path.join(dir, `bad-${charset}.pptx`);
      await writeZip(file, entries);
      const error = await openDeck(file, DEFAULT_CONFIG.limits).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(PackageError);
      expect(error).toMatchObject({ code: 'ECORRUPT', message: `Damaged file: the part ${SLIDE} is not valid ${charset} text.` });
    }
  });

  it('edits a UTF-16 slide and changes only the bytes of the edited tag', async () => {
    const { file, bytes } = await deckWithSlide((xml) => Buffer.from(`\uFEFF${xml}`, 'utf16le'));
    const deck = await openDeck(file, DEFAULT_CONFIG.limits);
    try {
      const part = deck.parts.get(SLIDE);
      const picture = deck.pictures[0];
      if (!part || !picture) throw new Error('no slide or picture');
      const edited = encodeText(applyAltTextEdits(part.text, [{ span: picture.ref.cNvPr, descr: 'Größenvergleich' }]), part.encoding);
      // Two bytes per code unit, after the two of the byte order mark.
      const head = 2 + picture.ref.cNvPr.start * 2;
      const tail = bytes.length - (2 + picture.ref.cNvPr.end * 2);
      expect(edited.subarray(0, head).equals(bytes.subarray(0, head))).toBe(true);
      expect(edited.subarray(edited.length - tail).equals(bytes.subarray(bytes.length - tail))).toBe(true);
      expect(edited.subarray(head, edited.length - tail).toString('utf16le')).toMatch(/^<p:cNvPr id="\d+" name="Picture \d+" descr="Größenvergleich"\/?>$/);
    } finally {
      await deck.close();
    }
  });
});
