import type { PackageReader } from './package-reader';
import { encodeText, type TextEncoding, type TextPart } from './part-text';
import type { Relationships } from './pptx-types';
import { slideMasterParts } from './presentation-parts';
import { parseRelationships, relatedPart, relsPartFor } from './relationships';
import { contentChildren } from './xml-markup-compatibility';
import { DML, DML_STRICT, DML_TRANSITIONAL, OFFICE_RELATIONSHIPS, PML, isStrictNamespace } from './xml-namespaces';
import { paragraphText } from './paragraph-text';
import { escapeAttributeValue, escapeElementText } from './xml-escape';
import { attribute, attributeIn, child, descendants, namespacesInScope, parseXml, XmlParseError, type XmlElement } from './xml-tree';

/**
 * Long descriptions of complex pictures (charts, diagrams) in the slides' speaker notes
 * (`long_descriptions: notes`); the short alt text stays in `descr`. A pure planner: it reads
 * parts through `NotesPackage` (a `PackageReader` is one) and returns the parts to replace
 * and to add, for `rewritePackage`.
 *
 * Our block in the notes body, one paragraph each:
 *
 *     Image descriptions (AltGen)          ← LONG_DESCRIPTIONS_HEADING, bold
 *     Picture 3: A bar chart of …          ← one per picture: `<label>: <text>`
 *     — end of image descriptions —        ← LONG_DESCRIPTIONS_END
 *
 * It is recognised on a re-run by those two paragraph texts alone (whitespace collapsed, runs
 * and formatting ignored): paragraph text is what an editor keeps when it saves the notes
 * again, and DrawingML has no place for a private marker that editors are bound to keep. The
 * end line is visible, but it also tells a reader where the generated text stops.
 *
 * Guarantees:
 * - Idempotent: a re-run replaces our block in place (and drops any further copy of it); a
 *   slide given no descriptions loses its block; the same descriptions again plan nothing.
 *   Every character outside our block stays as it was, in every part touched: edits are
 *   splices at offsets from the parsed text, never a re-serialisation.
 * - A heading without its end line (or an end line without a heading) means someone edited
 *   the block: that slide is left alone with a warning rather than guessing what is ours.
 * - A slide without notes gets a notes page (`notesSlideN.xml`, the lowest free N) with its
 *   relationships both ways and a content-type override. A deck without a notes master
 *   gets one (`notesMasterN.xml`) with its own theme part, a copy of the first slide
 *   master's theme (each master has its own theme in PowerPoint's files), listed in
 *   `p:notesMasterIdLst` right after `p:sldMasterIdLst` (schema order).
 * - New parts use the flavour (transitional or ISO Strict) of the parts around them and are
 *   UTF-8; an edited part keeps its encoding and byte order mark; a copied theme keeps its.
 * - The block goes into the notes page's body placeholder (the first, if there are several);
 *   a notes page without one gets one.
 * - A slide whose notes cannot be written (damaged XML, a notes relationship to a missing
 *   part, no theme to copy) is left out with a warning, and nothing of it is half-planned.
 *
 * - `docProps/app.xml`'s count of notes pages grows by the pages created (only the number).
 *
 * Not done: a notes page the plan creates stays when a later run removes the block from it.
 */

export const LONG_DESCRIPTIONS_HEADING = 'Image descriptions (AltGen)';
export const LONG_DESCRIPTIONS_END = '— end of image descriptions —';

export interface LongDescription {
  /** Names the picture to a reader of the notes: its shape name (`Picture 3`) or a caption. */
  readonly label: string;
  /** Plain text; line breaks are kept. Blank descriptions are left out. */
  readonly text: string;
}

export interface SlideLongDescriptions {
  /** `ppt/slides/slide3.xml`. */
  readonly slidePart: string;
  /** For warnings ("Slide 3: …"); the part name is used without it. */
  readonly slideNumber?: number;
  /** In order. Empty removes an earlier block from the slide's notes. */
  readonly descriptions: readonly LongDescription[];
}

/** What the planner reads: a `PackageReader` fits. */
export type NotesPackage = Pick<PackageReader, 'has' | 'readTextPart'>;

export interface NotesPlanOptions {
  /** `lang` of the new runs (e.g. `deckLanguage(...)`); none when absent. */
  readonly language?: string | null;
}

export interface NotesPlan {
  /** Existing parts with new content, encoded as they were: `RewritePlan.replacements`. */
  readonly replacements: ReadonlyMap<string, Buffer>;
  /** New parts: `RewritePlan.additions`. */
  readonly additions: ReadonlyMap<string, Buffer>;
  /** One sentence per slide left alone. */
  readonly warnings: readonly string[];
}

/**
 * Plans the notes of every slide in `slides`; slides not listed are not looked at. Pass every
 * slide of the deck (with no descriptions where there are none) so that blocks a previous run
 * wrote for pictures that no longer need one are removed.
 */
export async function planLongDescriptions(
  pkg: NotesPackage,
  slides: readonly SlideLongDescriptions[],
  options: NotesPlanOptions = {},
): Promise<NotesPlan> {
  const draft = new PackageDraft(pkg);
  const masters = new NotesMasters(draft);
  const warnings: string[] = [];
  for (const slide of slides) {
    const rollback = draft.checkpoint();
    const mastersBefore = masters.checkpoint();
    try {
      await writeSlideNotes(draft, masters, slide, options.language ?? null);
    } catch (error) {
      if (!(error instanceof NotesSkipped || error instanceof XmlParseError)) throw error;
      rollback();
      mastersBefore();
      const where = slide.slideNumber === undefined ? slide.slidePart : `Slide ${slide.slideNumber}`;
      warnings.push(`${where}: the long image descriptions were not written to the speaker notes (${error.message}).`);
    }
  }
  await recountNotesPages(draft);
  return { ...draft.plan(), warnings };
}

const APP_PROPERTIES = 'docProps/app.xml';
const NOTES_SLIDE_PART = /^ppt\/notesSlides\/notesSlide\d+\.xml$/i;

/**
 * `docProps/app.xml` counts the notes pages (`<Notes>n</Notes>`); pages the plan creates are
 * added to it, so that the copy's properties agree with its parts. Only the number changes.
 * A deck without the part or the count is left as it is.
 */
async function recountNotesPages(draft: PackageDraft): Promise<void> {
  const created = draft.addedNames().filter((name) => NOTES_SLIDE_PART.test(name)).length;
  if (created === 0 || !draft.has(APP_PROPERTIES)) return;
  const xml = await draft.read(APP_PROPERTIES).catch(() => null);
  const count = xml === null ? null : /<((?:[\w.-]+:)?Notes)>\s*(\d+)\s*<\/\1>/.exec(xml);
  if (!xml || !count || count[2] === undefined) return;
  const at = count.index + count[0].indexOf(count[2], count[1]?.length ?? 0);
  draft.write(APP_PROPERTIES, `${xml.slice(0, at)}${Number(count[2]) + created}${xml.slice(at + count[2].length)}`);
}

/**
 * `notesXml` (a notes slide) with our block for `descriptions`: replaced where it is, appended
 * to the notes body otherwise, removed when `descriptions` is empty. Throws `NotesSkipped` for
 * a block someone has cut apart, `XmlParseError` for a damaged part.
 */
export function writeLongDescriptions(
  notesXml: string,
  descriptions: readonly LongDescription[],
  options: NotesPlanOptions & { readonly part?: string } = {},
): string {
  const root = parseXml(notesXml, options.part ?? 'notes slide');
  const lines = descriptionLines(descriptions);
  const language = options.language ?? null;
  const drawingMl = isStrictNamespace(root.uri) ? DML_STRICT : DML_TRANSITIONAL;
  const spTree = child(child(root, PML, 'cSld'), PML, 'spTree');
  if (!spTree) throw new NotesSkipped('its notes page has no shape tree');
  const body = bodyPlaceholder(spTree);
  if (!body) {
    if (lines.length === 0) return notesXml;
    const at = insertionBeforeExtLst(spTree);
    return splice(notesXml, [{ start: at, end: at, text: bodyShapeXml(root, spTree, drawingMl, lines, language) }]);
  }
  const txBody = child(body, PML, 'txBody');
  if (!txBody) {
    if (lines.length === 0) return notesXml;
    const names = prefixFor(body, drawingMl, 'a');
    const after = child(body, PML, 'style') ?? child(body, PML, 'spPr') ?? child(body, PML, 'nvSpPr');
    const at = after ? after.end : body.startTagEnd;
    const text = txBodyXml(qualifier(body.prefix), names, blockXml(lines, { qualify: names.qualify, declaration: '' }, language));
    return splice(notesXml, [{ start: at, end: at, text }]);
  }
  const names = prefixFor(txBody, drawingMl, 'a');
  const paragraphs = txBody.children.filter((element) => DML.has(element.uri) && element.local === 'p');
  const blocks = ourBlocks(paragraphs);
  const block = lines.length === 0 ? '' : blockXml(lines, names, language);
  if (blocks.length === 0) {
    return block === '' ? notesXml : splice(notesXml, [appendTo(notesXml, txBody, block, names)]);
  }
  const covered = blocks.reduce((count, range) => count + range.paragraphs, 0);
  // A text body needs a paragraph: an empty one stands in when ours were all it had.
  const replacement = block !== '' || covered < paragraphs.length ? block : `<${names.qualify}p${names.declaration}/>`;
  return splice(
    notesXml,
    blocks.map((range, index) => ({ start: range.start, end: range.end, text: index === 0 ? replacement : '' })),
  );
}

/** A slide whose notes are left alone; the message says why, for the warning. */
export class NotesSkipped extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotesSkipped';
  }
}

// ── one slide ─────────────────────────────────────────────────────────────────────────────

const PRESENTATION = 'ppt/presentation.xml';
const CONTENT_TYPES = '[Content_Types].xml';
const PACKAGE_RELATIONSHIPS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CT = 'application/vnd.openxmlformats-officedocument';
const NOTES_SLIDE_TYPE = `${CT}.presentationml.notesSlide+xml`;
const NOTES_MASTER_TYPE = `${CT}.presentationml.notesMaster+xml`;
const THEME_TYPE = `${CT}.theme+xml`;

interface Flavour {
  readonly pml: string;
  readonly dml: string;
  readonly relationships: string;
  /** Root of relationship types: `${relationshipTypes}notesSlide`. */
  readonly relationshipTypes: string;
}

const TRANSITIONAL: Flavour = {
  pml: 'http://schemas.openxmlformats.org/presentationml/2006/main',
  dml: DML_TRANSITIONAL,
  relationships: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  relationshipTypes: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/',
};

const STRICT: Flavour = {
  pml: 'http://purl.oclc.org/ooxml/presentationml/main',
  dml: DML_STRICT,
  relationships: 'http://purl.oclc.org/ooxml/officeDocument/relationships',
  relationshipTypes: 'http://purl.oclc.org/ooxml/officeDocument/relationships/',
};

async function writeSlideNotes(
  draft: PackageDraft,
  masters: NotesMasters,
  slide: SlideLongDescriptions,
  language: string | null,
): Promise<void> {
  if (!draft.has(slide.slidePart)) throw new NotesSkipped(`the slide ${slide.slidePart} is missing from the file`);
  const relsName = relsPartFor(slide.slidePart);
  const relsXml = await draft.read(relsName);
  const rels: Relationships = relsXml === null ? new Map() : parseRelationships(relsXml, slide.slidePart);
  const notesPart = relatedPart(rels, 'notesSlide');
  if (notesPart !== null) {
    const notesXml = await draft.read(notesPart);
    if (notesXml === null) throw new NotesSkipped(`its notes page ${notesPart} is missing from the file`);
    draft.write(notesPart, writeLongDescriptions(notesXml, slide.descriptions, { language, part: notesPart }));
    return;
  }
  const lines = descriptionLines(slide.descriptions);
  if (lines.length === 0) return;

  const master = await masters.resolve();
  const flavour = flavourOf(rels);
  const notesName = await freePartName(draft, 'ppt/notesSlides/notesSlide');
  draft.add(notesName, notesSlideXml(flavour, lines, language));
  draft.add(
    relsPartFor(notesName),
    relsXmlOf([
      { id: 'rId1', type: `${flavour.relationshipTypes}notesMaster`, target: relativeTarget(notesName, master) },
      { id: 'rId2', type: `${flavour.relationshipTypes}slide`, target: relativeTarget(notesName, slide.slidePart) },
    ]),
  );
  const toNotes = { type: `${flavour.relationshipTypes}notesSlide`, target: relativeTarget(slide.slidePart, notesName) };
  if (relsXml === null) draft.add(relsName, relsXmlOf([{ id: 'rId1', ...toNotes }]));
  else draft.write(relsName, addRelationship(relsXml, relsName, toNotes).xml);
  await addOverride(draft, notesName, NOTES_SLIDE_TYPE);
}

/** Strict when the slide's relationships are (its layout relationship always is there). */
function flavourOf(rels: Relationships): Flavour {
  return [...rels.values()].some((rel) => rel.type.startsWith(STRICT.relationshipTypes)) ? STRICT : TRANSITIONAL;
}

// ── the notes master ──────────────────────────────────────────────────────────────────────

/** The deck's notes master, found or created once per plan (on first need). */
class NotesMasters {
  private master: Promise<string> | undefined;

  constructor(private readonly draft: PackageDraft) {}

  /** The notes master part; a failure is remembered and thrown to every slide that needs it. */
  resolve(): Promise<string> {
    this.master ??= this.findOrCreate();
    return this.master;
  }

  /** Forgets a master created after this point, when the draft is rolled back past it. */
  checkpoint(): () => void {
    const saved = this.master;
    return () => {
      this.master = saved;
    };
  }

  private async findOrCreate(): Promise<string> {
    const rollback = this.draft.checkpoint();
    try {
      return await this.findOrCreateUnguarded();
    } catch (error) {
      rollback();
      throw error;
    }
  }

  private async findOrCreateUnguarded(): Promise<string> {
    const { draft } = this;
    const presentationXml = await draft.read(PRESENTATION);
    const presentationRelsName = relsPartFor(PRESENTATION);
    const presentationRelsXml = await draft.read(presentationRelsName);
    if (presentationXml === null || presentationRelsXml === null) {
      throw new NotesSkipped('the presentation part or its relationships are missing');
    }
    const presentationRels = parseRelationships(presentationRelsXml, PRESENTATION);
    const root = parseXml(presentationXml, PRESENTATION);
    const listed = child(root, PML, 'notesMasterIdLst');
    if (listed) {
      const id = attributeIn(child(listed, PML, 'notesMasterId'), OFFICE_RELATIONSHIPS, 'id');
      const relationship = id === null ? undefined : presentationRels.get(id);
      if (relationship && !relationship.external && draft.has(relationship.target)) return relationship.target;
      throw new NotesSkipped('the deck names a notes master that is missing from the file');
    }
    const flavour = isStrictNamespace(root.uri) ? STRICT : TRANSITIONAL;
    const unlisted = [...presentationRels.values()].find(
      (rel) => !rel.external && rel.type === `${flavour.relationshipTypes}notesMaster` && draft.has(rel.target),
    );
    if (unlisted) {
      draft.write(PRESENTATION, listNotesMaster(presentationXml, root, flavour, unlisted.id));
      return unlisted.target;
    }

    const theme = await themeToCopy(draft, presentationXml, presentationRels);
    const themeName = await freePartName(draft, 'ppt/theme/theme');
    draft.add(themeName, theme.part.text, theme.part.encoding);
    const themeRels = await draft.readPart(relsPartFor(theme.name));
    if (themeRels) draft.add(relsPartFor(themeName), themeRels.text, themeRels.encoding);
    await addOverride(draft, themeName, THEME_TYPE);

    const masterName = await freePartName(draft, 'ppt/notesMasters/notesMaster');
    draft.add(masterName, notesMasterXml(flavour, pageGeometry(root)));
    draft.add(
      relsPartFor(masterName),
      relsXmlOf([{ id: 'rId1', type: `${flavour.relationshipTypes}theme`, target: relativeTarget(masterName, themeName) }]),
    );
    await addOverride(draft, masterName, NOTES_MASTER_TYPE);

    const { xml, id } = addRelationship(presentationRelsXml, presentationRelsName, {
      type: `${flavour.relationshipTypes}notesMaster`,
      target: relativeTarget(PRESENTATION, masterName),
    });
    draft.write(presentationRelsName, xml);
    draft.write(PRESENTATION, listNotesMaster(presentationXml, root, flavour, id));
    return masterName;
  }
}

/** The first slide master's theme, else the presentation's. */
async function themeToCopy(
  draft: PackageDraft,
  presentationXml: string,
  presentationRels: Relationships,
): Promise<{ readonly name: string; readonly part: TextPart }> {
  const candidates: string[] = [];
  const [firstMaster] = slideMasterParts(presentationXml, presentationRels);
  if (firstMaster !== undefined) {
    const masterRels = await draft.read(relsPartFor(firstMaster));
    const theme = masterRels === null ? null : relatedPart(parseRelationships(masterRels, firstMaster), 'theme');
    if (theme !== null) candidates.push(theme);
  }
  const presentationTheme = relatedPart(presentationRels, 'theme');
  if (presentationTheme !== null) candidates.push(presentationTheme);
  for (const name of candidates) {
    const part = await draft.readPart(name);
    if (part) return { name, part };
  }
  throw new NotesSkipped('the deck has no notes master and no theme to base one on');
}

/** `presentationXml` with `p:notesMasterIdLst` right after `p:sldMasterIdLst`. */
function listNotesMaster(presentationXml: string, root: XmlElement, flavour: Flavour, relationshipId: string): string {
  const p = qualifier(root.prefix);
  const r = prefixFor(root, flavour.relationships, 'r', { forAttribute: true });
  const list =
    `<${p}notesMasterIdLst><${p}notesMasterId${r.declaration} ${r.qualify}id="${escapeAttributeValue(relationshipId)}"/>` +
    `</${p}notesMasterIdLst>`;
  const at = child(root, PML, 'sldMasterIdLst')?.end ?? root.startTagEnd;
  return splice(presentationXml, [{ start: at, end: at, text: list }]);
}

interface PageGeometry {
  readonly slide: { readonly cx: number; readonly cy: number };
  readonly notes: { readonly cx: number; readonly cy: number };
}

function pageGeometry(presentation: XmlElement): PageGeometry {
  const size = (name: string, fallback: { cx: number; cy: number }) => {
    const element = child(presentation, PML, name);
    const cx = Number(attribute(element, 'cx'));
    const cy = Number(attribute(element, 'cy'));
    return cx > 0 && cy > 0 ? { cx, cy } : fallback;
  };
  return { slide: size('sldSz', { cx: 12_192_000, cy: 6_858_000 }), notes: size('notesSz', { cx: 6_858_000, cy: 9_144_000 }) };
}

// ── new parts ─────────────────────────────────────────────────────────────────────────────

const XML_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const GROUP_PROPERTIES =
  '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>' +
  '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>';
const PREFIXED: Names = { qualify: 'a:', declaration: '' };

function rootNamespaces(flavour: Flavour): string {
  return `xmlns:a="${flavour.dml}" xmlns:r="${flavour.relationships}" xmlns:p="${flavour.pml}"`;
}

/** Notes placeholders carry no geometry: they inherit it from the notes master, as PowerPoint writes them. */
function notesSlideXml(flavour: Flavour, lines: readonly DescriptionLines[], language: string | null): string {
  return (
    `${XML_HEADER}<p:notes ${rootNamespaces(flavour)}><p:cSld><p:spTree>${GROUP_PROPERTIES}` +
    '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr><a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr>' +
    '<p:nvPr><p:ph type="sldImg"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>' +
    '<p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>' +
    '<p:nvPr><p:ph type="body" idx="1"/></p:nvPr></p:nvSpPr><p:spPr/>' +
    `${txBodyXml('p:', PREFIXED, blockXml(lines, PREFIXED, language))}</p:sp>` +
    '</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>'
  );
}

const RECT = '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>';
const INSETS = 'lIns="91440" tIns="45720" rIns="91440" bIns="45720"';

function xfrm(x: number, y: number, cx: number, cy: number): string {
  const round = Math.round;
  return `<a:xfrm><a:off x="${round(x)}" y="${round(y)}"/><a:ext cx="${round(cx)}" cy="${round(cy)}"/></a:xfrm>`;
}

/**
 * A notes master like PowerPoint's default, reduced to what notes pages inherit: the slide
 * image and the notes body, laid out on the deck's notes page size.
 */
function notesMasterXml(flavour: Flavour, geometry: PageGeometry): string {
  const { notes, slide } = geometry;
  let imageWidth = notes.cx * 0.8;
  let imageHeight = (imageWidth * slide.cy) / slide.cx;
  if (imageHeight > notes.cy * 0.34) {
    imageHeight = notes.cy * 0.34;
    imageWidth = (imageHeight * slide.cx) / slide.cy;
  }
  const image = xfrm((notes.cx - imageWidth) / 2, notes.cy * 0.125, imageWidth, imageHeight);
  const body = xfrm(notes.cx * 0.1, notes.cy * 0.48125, notes.cx * 0.8, notes.cy * 0.39375);
  const level = (n: number) =>
    `<a:lvl${n}pPr marL="${(n - 1) * 457_200}" algn="l" defTabSz="914400" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1">` +
    '<a:defRPr sz="1200" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill>' +
    `<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl${n}pPr>`;
  return (
    `${XML_HEADER}<p:notesMaster ${rootNamespaces(flavour)}><p:cSld>` +
    '<p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg>' +
    `<p:spTree>${GROUP_PROPERTIES}` +
    '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr><a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr>' +
    `<p:nvPr><p:ph type="sldImg" idx="2"/></p:nvPr></p:nvSpPr><p:spPr>${image}${RECT}<a:noFill/>` +
    '<a:ln w="12700"><a:solidFill><a:prstClr val="black"/></a:solidFill></a:ln></p:spPr>' +
    `<p:txBody><a:bodyPr vert="horz" ${INSETS} rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:endParaRPr/></a:p></p:txBody></p:sp>` +
    '<p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>' +
    `<p:nvPr><p:ph type="body" sz="quarter" idx="3"/></p:nvPr></p:nvSpPr><p:spPr>${body}${RECT}</p:spPr>` +
    `<p:txBody><a:bodyPr vert="horz" ${INSETS} rtlCol="0"/><a:lstStyle/>` +
    '<a:p><a:pPr lvl="0"/><a:r><a:rPr/><a:t>Click to edit Master text styles</a:t></a:r></a:p></p:txBody></p:sp>' +
    '</p:spTree></p:cSld>' +
    '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3"' +
    ' accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>' +
    `<p:notesStyle>${[1, 2, 3, 4, 5].map(level).join('')}</p:notesStyle></p:notesMaster>`
  );
}

interface NewRelationship {
  readonly id: string;
  readonly type: string;
  readonly target: string;
}

function relsXmlOf(relationships: readonly NewRelationship[]): string {
  return `${XML_HEADER}<Relationships xmlns="${PACKAGE_RELATIONSHIPS}">${relationships.map((rel) => relationshipXml('', rel)).join('')}</Relationships>`;
}

function relationshipXml(qualify: string, rel: NewRelationship): string {
  const value = (text: string) => escapeAttributeValue(text);
  return `<${qualify}Relationship Id="${value(rel.id)}" Type="${value(rel.type)}" Target="${value(rel.target)}"/>`;
}

/** A body placeholder for a notes page that has none, with our block. */
function bodyShapeXml(
  root: XmlElement,
  spTree: XmlElement,
  drawingMl: string,
  lines: readonly DescriptionLines[],
  language: string | null,
): string {
  const p = qualifier(spTree.prefix);
  const a = prefixFor(spTree, drawingMl, 'a');
  const inner: Names = { qualify: a.qualify, declaration: '' };
  let id = 1;
  const indexes = new Set<string>();
  for (const element of descendants(root)) {
    if (element.local === 'cNvPr') id = Math.max(id, Number.parseInt(attribute(element, 'id') ?? '', 10) || 0);
    if (element.local === 'ph' && PML.has(element.uri)) indexes.add(attribute(element, 'idx') ?? '0');
  }
  let idx = 1;
  while (indexes.has(String(idx))) idx += 1;
  return (
    `<${p}sp${a.declaration}><${p}nvSpPr><${p}cNvPr id="${id + 1}" name="Notes Placeholder ${id}"/>` +
    `<${p}cNvSpPr><${a.qualify}spLocks noGrp="1"/></${p}cNvSpPr><${p}nvPr><${p}ph type="body" idx="${idx}"/></${p}nvPr></${p}nvSpPr>` +
    `<${p}spPr/>${txBodyXml(p, inner, blockXml(lines, inner, language))}</${p}sp>`
  );
}

function txBodyXml(p: string, a: Names, paragraphs: string): string {
  return `<${p}txBody${a.declaration}><${a.qualify}bodyPr/><${a.qualify}lstStyle/>${paragraphs}</${p}txBody>`;
}

// ── our block ─────────────────────────────────────────────────────────────────────────────

interface DescriptionLines {
  readonly label: string;
  /** Non-empty lines, whitespace within each collapsed. */
  readonly lines: readonly string[];
}

function descriptionLines(descriptions: readonly LongDescription[]): DescriptionLines[] {
  const collapse = (text: string) => text.replace(/[^\S\r\n]+/g, ' ').trim();
  return descriptions
    .map((description) => ({
      label: collapse(description.label.replace(/[\r\n]+/g, ' ')),
      lines: description.text.split(/\r\n|\r|\n/).map(collapse).filter((line) => line !== ''),
    }))
    .filter((description) => description.lines.length > 0);
}

/** How to name a DrawingML element at an insertion point: `a:`, and a declaration when nothing binds it there. */
interface Names {
  readonly qualify: string;
  readonly declaration: string;
}

/** Languages written right to left (primary subtags; `iw` is Hebrew's old code). */
const RIGHT_TO_LEFT = new Set(['ar', 'he', 'iw', 'fa', 'ur', 'yi', 'ps', 'sd', 'ug', 'dv', 'ckb']);

function isRightToLeft(language: string | null): boolean {
  return language !== null && RIGHT_TO_LEFT.has(language.toLowerCase().split(/[-_]/)[0] ?? '');
}

function blockXml(descriptions: readonly DescriptionLines[], names: Names, language: string | null): string {
  const a = names.qualify;
  const properties = (bold: boolean) =>
    `<${a}rPr${language ? ` lang="${escapeAttributeValue(language)}"` : ''}${bold ? ' b="1"' : ''}/>`;
  const run = (text: string, bold = false) => `<${a}r>${properties(bold)}<${a}t>${escapeElementText(text)}</${a}t></${a}r>`;
  const paragraph = (runs: string, direction = '') => `<${a}p${names.declaration}>${direction}${runs}</${a}p>`;
  // Descriptions in Arabic, Hebrew and the like read right to left, as PowerPoint marks such
  // paragraphs; the heading and end marker stay as they are, since a re-run finds the block by them.
  const descriptionDirection = isRightToLeft(language) ? `<${a}pPr algn="r" rtl="1"/>` : '';
  const described = descriptions.map(({ label, lines }) => {
    const [first = '', ...rest] = lines;
    const head = label === '' ? run(first) : run(`${label}:`, true) + run(` ${first}`);
    return paragraph(head + rest.map((line) => `<${a}br>${properties(false)}</${a}br>${run(line)}`).join(''), descriptionDirection);
  });
  return paragraph(run(LONG_DESCRIPTIONS_HEADING, true)) + described.join('') + paragraph(run(LONG_DESCRIPTIONS_END));
}

interface BlockRange {
  readonly start: number;
  readonly end: number;
  readonly paragraphs: number;
}

/** Our blocks among a text body's paragraphs, in order; a block cut apart is refused. */
function ourBlocks(paragraphs: readonly XmlElement[]): BlockRange[] {
  const blocks: BlockRange[] = [];
  let open: { readonly paragraph: XmlElement; readonly index: number } | null = null;
  for (const [index, paragraph] of paragraphs.entries()) {
    const text = paragraphText(paragraph);
    if (text === LONG_DESCRIPTIONS_HEADING) {
      if (open !== null) throw cutApart();
      open = { paragraph, index };
    } else if (text === LONG_DESCRIPTIONS_END) {
      if (open === null) throw cutApart();
      blocks.push({ start: open.paragraph.start, end: paragraph.end, paragraphs: index - open.index + 1 });
      open = null;
    }
  }
  if (open !== null) throw cutApart();
  return blocks;
}

function cutApart(): NotesSkipped {
  return new NotesSkipped(
    `its notes hold the line "${LONG_DESCRIPTIONS_HEADING}" or "${LONG_DESCRIPTIONS_END}" without the other; ` +
      'delete what is left of the old descriptions in PowerPoint and run it again',
  );
}

// ── finding places in a notes page ────────────────────────────────────────────────────────

/** The first shape whose placeholder is `type="body"`, through groups and the read branch of `mc:AlternateContent`. */
function bodyPlaceholder(container: XmlElement): XmlElement | null {
  for (const shape of contentChildren(container)) {
    if (!PML.has(shape.uri)) continue;
    if (shape.local === 'grpSp') {
      const found = bodyPlaceholder(shape);
      if (found) return found;
    } else if (shape.local === 'sp') {
      const placeholder = child(child(child(shape, PML, 'nvSpPr'), PML, 'nvPr'), PML, 'ph');
      if (attribute(placeholder, 'type') === 'body') return shape;
    }
  }
  return null;
}

/** Where a new shape goes in a shape tree: last, but before its `p:extLst`. */
function insertionBeforeExtLst(spTree: XmlElement): number {
  const extLst = child(spTree, PML, 'extLst');
  if (extLst) return extLst.start;
  if (spTree.selfClosing) throw new NotesSkipped('its notes page has an empty shape tree');
  return spTree.endTagStart;
}

function appendTo(xml: string, txBody: XmlElement, block: string, names: Names): Patch {
  if (!txBody.selfClosing) return { start: txBody.endTagStart, end: txBody.endTagStart, text: block };
  // A self-closing text body breaks the schema already; give it what it lacks.
  const closeAt = txBody.startTagEnd - 2;
  if (xml.slice(closeAt, txBody.startTagEnd) !== '/>') throw new NotesSkipped(`its notes page has an unreadable <${txBody.name}>`);
  const a = names.qualify;
  return { start: closeAt, end: txBody.startTagEnd, text: `><${a}bodyPr${names.declaration}/><${a}lstStyle${names.declaration}/>${block}</${txBody.name}>` };
}

function qualifier(prefix: string): string {
  return prefix === '' ? '' : `${prefix}:`;
}

/**
 * How to name something of `namespace` inside `element`: a prefix bound there (`preferred`
 * first), the default namespace (not for attributes), or `preferred` with a declaration to
 * put on the new element.
 */
function prefixFor(element: XmlElement, namespace: string, preferred: string, options: { forAttribute?: boolean } = {}): Names {
  const scope = namespacesInScope(element);
  const bound = [...scope].filter(([prefix, uri]) => prefix !== '' && uri === namespace).map(([prefix]) => prefix);
  const prefix = bound.includes(preferred) ? preferred : bound[0];
  if (prefix !== undefined) return { qualify: `${prefix}:`, declaration: '' };
  if (!options.forAttribute && scope.get('') === namespace) return { qualify: '', declaration: '' };
  return { qualify: `${preferred}:`, declaration: ` xmlns:${preferred}="${namespace}"` };
}

// ── package-level edits ───────────────────────────────────────────────────────────────────

interface Patch {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Splices non-overlapping patches in; every offset refers to the original text. */
function splice(xml: string, patches: readonly Patch[]): string {
  const ordered = [...patches].sort((a, b) => a.start - b.start);
  const pieces: string[] = [];
  let copied = 0;
  for (const patch of ordered) {
    pieces.push(xml.slice(copied, patch.start), patch.text);
    copied = patch.end;
  }
  pieces.push(xml.slice(copied));
  return pieces.join('');
}

/** `relsXml` with one more relationship, under a fresh `rIdN`. */
function addRelationship(
  relsXml: string,
  relsName: string,
  relationship: Omit<NewRelationship, 'id'>,
): { readonly xml: string; readonly id: string } {
  const root = parseXml(relsXml, relsName);
  const ids = new Set<string>();
  let highest = 0;
  for (const element of root.children) {
    const id = attribute(element, 'Id');
    if (id === null) continue;
    ids.add(id);
    const number = /^rId(\d+)$/.exec(id)?.[1];
    if (number !== undefined) highest = Math.max(highest, Number(number));
  }
  let next = highest + 1;
  while (ids.has(`rId${next}`)) next += 1;
  const id = `rId${next}`;
  return { xml: appendChild(relsXml, root, relationshipXml(qualifier(root.prefix), { id, ...relationship })), id };
}

/** Adds `<Override PartName="/name" …/>` to the content types, unless one is there. */
async function addOverride(draft: PackageDraft, name: string, contentType: string): Promise<void> {
  const xml = await draft.read(CONTENT_TYPES);
  if (xml === null) throw new NotesSkipped('the package has no [Content_Types].xml');
  const root = parseXml(xml, CONTENT_TYPES);
  if (overriddenParts(root).has(`/${name}`.toLowerCase())) return;
  const override = `<${qualifier(root.prefix)}Override PartName="${escapeAttributeValue(`/${name}`)}" ContentType="${contentType}"/>`;
  draft.write(CONTENT_TYPES, appendChild(xml, root, override));
}

function overriddenParts(contentTypes: XmlElement): Set<string> {
  const parts = new Set<string>();
  for (const element of contentTypes.children) {
    const name = element.local === 'Override' ? attribute(element, 'PartName') : null;
    if (name !== null) parts.add(name.toLowerCase());
  }
  return parts;
}

function appendChild(xml: string, parent: XmlElement, content: string): string {
  if (!parent.selfClosing) return splice(xml, [{ start: parent.endTagStart, end: parent.endTagStart, text: content }]);
  const closeAt = parent.startTagEnd - 2;
  return splice(xml, [{ start: closeAt, end: parent.startTagEnd, text: `>${content}</${parent.name}>` }]);
}

/**
 * `${stem}N.xml` for the lowest N that names no part and no content-type override (a stale
 * override would give the new part the wrong type).
 */
async function freePartName(draft: PackageDraft, stem: string): Promise<string> {
  const contentTypes = await draft.read(CONTENT_TYPES);
  const overridden = contentTypes === null ? new Set<string>() : overriddenParts(parseXml(contentTypes, CONTENT_TYPES));
  for (let n = 1; ; n += 1) {
    const name = `${stem}${n}.xml`;
    if (!draft.has(name) && !overridden.has(`/${name}`.toLowerCase())) return name;
  }
}

/** The relative reference from `sourcePart`'s folder to `targetPart` (`../notesSlides/notesSlide1.xml`). */
function relativeTarget(sourcePart: string, targetPart: string): string {
  const from = sourcePart.split('/').slice(0, -1);
  const to = targetPart.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common += 1;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}

// ── the draft ─────────────────────────────────────────────────────────────────────────────

interface DraftPart {
  readonly name: string;
  readonly encoding: TextEncoding;
  /** The text as read; null for a part this plan adds. */
  readonly original: string | null;
  readonly text: string;
}

const UTF8: TextEncoding = { charset: 'utf-8', bom: false };

/** The parts this plan has read, changed or added, over the package as it is. */
class PackageDraft {
  private parts = new Map<string, DraftPart>();

  constructor(private readonly pkg: NotesPackage) {}

  has(name: string): boolean {
    return this.parts.has(name.toLowerCase()) || this.pkg.has(name);
  }

  /** The part's current text and encoding, or null when there is no such part. */
  async readPart(name: string): Promise<TextPart | null> {
    const known = this.parts.get(name.toLowerCase());
    if (known) return { text: known.text, encoding: known.encoding };
    if (!this.pkg.has(name)) return null;
    const part = await this.pkg.readTextPart(name);
    this.parts.set(name.toLowerCase(), { name, encoding: part.encoding, original: part.text, text: part.text });
    return part;
  }

  async read(name: string): Promise<string | null> {
    return (await this.readPart(name))?.text ?? null;
  }

  /** Replaces the text of a part read before. */
  write(name: string, text: string): void {
    const known = this.parts.get(name.toLowerCase());
    if (!known) throw new Error(`notes-writer: ${name} is written before it is read`);
    this.parts.set(name.toLowerCase(), { ...known, text });
  }

  add(name: string, text: string, encoding: TextEncoding = UTF8): void {
    if (this.has(name)) throw new Error(`notes-writer: ${name} exists already`);
    this.parts.set(name.toLowerCase(), { name, encoding, original: null, text });
  }

  /** The parts the plan creates, by name. */
  addedNames(): string[] {
    return [...this.parts.values()].filter((part) => part.original === null).map((part) => part.name);
  }

  /** A function that puts the draft back as it is now. */
  checkpoint(): () => void {
    const saved = new Map(this.parts);
    return () => {
      this.parts = saved;
    };
  }

  plan(): { replacements: Map<string, Buffer>; additions: Map<string, Buffer> } {
    const replacements = new Map<string, Buffer>();
    const additions = new Map<string, Buffer>();
    for (const part of this.parts.values()) {
      if (part.original === null) additions.set(part.name, encodeText(part.text, part.encoding));
      else if (part.text !== part.original) replacements.set(part.name, encodeText(part.text, part.encoding));
    }
    return { replacements, additions };
  }
}
