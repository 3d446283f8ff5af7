import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DeckAudit } from '../../../shared/accessibility-audit';
import { DEFAULT_CONFIG } from '../../../shared/config-schema';
import { deckEntries, writeZip, type ZipEntries } from '../../fixtures/deck-builder';
import { openDeck } from '../../pptx/deck';
import { auditDeck, type AuditOptions } from '../audit-deck';

/**
 * Decks for the audit's tests: the fixture builder's deck (a master with a title and a body
 * placeholder, their text styles 44/28/18 pt in `tx1`, a white `bg1` background from the
 * theme's background fill style, one layout that inherits all of it) with hand-written slides,
 * and helpers that write the shapes PowerPoint writes. Used by tests only.
 */

export const A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
export const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
export const P = 'http://schemas.openxmlformats.org/presentationml/2006/main';
export const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const GROUP_ROOT =
  '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>' +
  '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>';

/** A slide part around `shapes`; `extra` goes after `p:cSld` (a `p:clrMapOvr` of its own), `background` inside it. */
export function slide(shapes: string, options: { readonly background?: string; readonly clrMapOvr?: string } = {}): string {
  return (
    `${XML_HEADER}<p:sld xmlns:a="${A}" xmlns:r="${R}" xmlns:p="${P}"><p:cSld>${options.background ?? ''}<p:spTree>${GROUP_ROOT}${shapes}</p:spTree></p:cSld>` +
    `${options.clrMapOvr ?? '<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>'}</p:sld>`
  );
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly cx: number;
  readonly cy: number;
}

export function xfrm(box: Box): string {
  return `<a:xfrm><a:off x="${box.x}" y="${box.y}"/><a:ext cx="${box.cx}" cy="${box.cy}"/></a:xfrm>`;
}

/** A run: `properties` are the attributes of its `a:rPr` (`sz="1200" lang="en-US"`), `fill` what goes inside it. */
export function run(text: string, properties = 'lang="en-US"', fill = ''): string {
  return fill === '' ? `<a:r><a:rPr ${properties}/><a:t>${text}</a:t></a:r>` : `<a:r><a:rPr ${properties}>${fill}</a:rPr><a:t>${text}</a:t></a:r>`;
}

export function paragraph(...runs: string[]): string {
  return `<a:p>${runs.join('')}</a:p>`;
}

export function solid(hex: string): string {
  return `<a:solidFill><a:srgbClr val="${hex}"/></a:solidFill>`;
}

export interface ShapeOptions {
  readonly id: number;
  readonly name: string;
  readonly box?: Box;
  /** `p:ph` attributes (`type="title"`, `idx="1"`): a placeholder. */
  readonly placeholder?: string;
  /** The rest of `p:spPr` after the transform: a fill. */
  readonly fill?: string;
  readonly paragraphs?: readonly string[];
  /** `a:lstStyle` content. */
  readonly listStyle?: string;
  /** Children of `a:bodyPr` (`<a:normAutofit fontScale="75000"/>`). */
  readonly bodyContent?: string;
  /** `p:style`, PowerPoint's for a shape it draws: fill from the theme, white text. */
  readonly style?: string;
  /** Attributes of `p:cNvPr` after `name`. */
  readonly attributes?: string;
}

/** A `p:sp`: a text box, a filled rectangle or a placeholder. */
export function shape(options: ShapeOptions): string {
  const ph = options.placeholder === undefined ? '<p:nvPr/>' : `<p:nvPr><p:ph ${options.placeholder}/></p:nvPr>`;
  const spPr = `${options.box ? xfrm(options.box) + '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>' : ''}${options.fill ?? ''}`;
  const body =
    options.paragraphs === undefined
      ? ''
      : `<p:txBody><a:bodyPr>${options.bodyContent ?? ''}</a:bodyPr><a:lstStyle>${options.listStyle ?? ''}</a:lstStyle>${options.paragraphs.join('') || '<a:p/>'}</p:txBody>`;
  return (
    `<p:sp><p:nvSpPr><p:cNvPr id="${options.id}" name="${options.name}"${options.attributes ?? ''}/><p:cNvSpPr/>${ph}</p:nvSpPr>` +
    `<p:spPr>${spPr}</p:spPr>${options.style ?? ''}${body}</p:sp>`
  );
}

/** A picture showing the image of relationship `rId2` (which every hand-made slide has). */
export function picture(id: number, name: string, box: Box, attributes = ''): string {
  return (
    `<p:pic><p:nvPicPr><p:cNvPr id="${id}" name="${name}"${attributes}/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>` +
    `<p:blipFill><a:blip r:embed="rId2"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>` +
    `<p:spPr>${xfrm(box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>`
  );
}

/** A table frame; `rows` of cell XML (`cell('text')`); `tblPr` the table's properties element, if any. */
export function table(id: number, name: string, box: Box, rows: readonly (readonly string[])[], tblPr = '<a:tblPr firstRow="1" bandRow="1"/>'): string {
  const columns = Math.max(...rows.map((r) => r.length));
  const grid = Array.from({ length: columns }, () => '<a:gridCol w="1000000"/>').join('');
  return (
    `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="${id}" name="${name}"/><p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>` +
    `<p:xfrm><a:off x="${box.x}" y="${box.y}"/><a:ext cx="${box.cx}" cy="${box.cy}"/></p:xfrm>` +
    `<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl>${tblPr}<a:tblGrid>${grid}</a:tblGrid>` +
    rows.map((r) => `<a:tr h="370840">${r.join('')}</a:tr>`).join('') +
    '</a:tbl></a:graphicData></a:graphic></p:graphicFrame>'
  );
}

/** A table cell: its text, its `a:tc` attributes (`gridSpan="2"`, `hMerge="1"`), its `a:tcPr` content (a fill), its run's properties and fill. */
export function cell(text: string, attributes = '', properties = '', runProperties = 'lang="en-US"', runFill = ''): string {
  const body = text === '' ? '<a:p><a:endParaRPr lang="en-US"/></a:p>' : `<a:p>${run(text, runProperties, runFill)}</a:p>`;
  return `<a:tc${attributes ? ` ${attributes}` : ''}><a:txBody><a:bodyPr/><a:lstStyle/>${body}</a:txBody><a:tcPr>${properties}</a:tcPr></a:tc>`;
}

export interface HandSlide {
  readonly xml: string;
  /** Relationships beyond the layout (`rId1`) and one picture (`rId2`). */
  readonly rels?: readonly { readonly id: string; readonly type: string; readonly target: string; readonly external?: boolean }[];
}

/**
 * The fixture builder's deck with these slides. `edit` may change any part first (the
 * master, the layout, the theme, presentation.xml) by replacing its text.
 */
export function handDeckEntries(slides: readonly HandSlide[], edit?: (entries: ZipEntries) => void): ZipEntries {
  const entries = deckEntries({ slides: slides.map(() => ({ pictures: [{}] })) });
  slides.forEach((hand, i) => {
    const rels = [
      { id: 'rId1', type: `${REL}/slideLayout`, target: '../slideLayouts/slideLayout1.xml' },
      { id: 'rId2', type: `${REL}/image`, target: `../media/image${i + 1}.png` },
      ...(hand.rels ?? []),
    ];
    entries.set(`ppt/slides/slide${i + 1}.xml`, hand.xml);
    entries.set(
      `ppt/slides/_rels/slide${i + 1}.xml.rels`,
      `${XML_HEADER}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        rels.map((r) => `<Relationship Id="${r.id}" Type="${r.type}" Target="${r.target}"${r.external ? ' TargetMode="External"' : ''}/>`).join('') +
        '</Relationships>',
    );
  });
  edit?.(entries);
  return entries;
}

/** Replaces `from` with `to` in the text part `name` (which must contain it). */
export function replaceIn(entries: ZipEntries, name: string, from: string | RegExp, to: string): void {
  const text = entries.get(name);
  if (typeof text !== 'string') throw new Error(`No text part ${name}`);
  const replaced = text.replace(from, to);
  if (replaced === text) throw new Error(`${String(from)} is not in ${name}`);
  entries.set(name, replaced);
}

/** A temporary folder for one test file's decks. */
export async function withTempDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'altgen-audit-'));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

let written = 0;

/** Writes the entries as a deck in `dir` and audits it as the dry run does. */
export async function auditEntries(dir: string, entries: ZipEntries, options: AuditOptions = {}): Promise<DeckAudit> {
  written += 1;
  const file = path.join(dir, `deck-${written}.pptx`);
  await writeZip(file, entries);
  return auditFile(file, options);
}

export async function auditFile(file: string, options: AuditOptions = {}): Promise<DeckAudit> {
  const deck = await openDeck(file, DEFAULT_CONFIG.limits);
  try {
    return auditDeck(deck, options).audit;
  } finally {
    await deck.close();
  }
}

/** The findings of one check, as `[slide, shape name, message]` (and the count when it is not 1). */
export function findingsOf(audit: DeckAudit, check: string): (readonly [number | null, string | null, string] | readonly [number | null, string | null, string, number])[] {
  return audit.findings
    .filter((f) => f.check === check)
    .map((f) => (f.count === 1 ? ([f.slide, f.shape_name, f.message] as const) : ([f.slide, f.shape_name, f.message, f.count] as const)));
}
