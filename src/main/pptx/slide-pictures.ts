import { carriesMedia } from './picture-media';
import type { GraphicContent, ImageSource, PictureKind, PictureRef, Relationships } from './pptx-types';
import { isDecorative } from './xml-decorative';
import { contentChildren } from './xml-markup-compatibility';
import { CHART, CHARTEX, DIAGRAM, DML, OFFICE_RELATIONSHIPS, PML, SVG_BLIP, TABLE_GRAPHIC, type NamespaceSet } from './xml-namespaces';
import { attribute, attributeIn, child, parseXml, type XmlElement } from './xml-tree';

/**
 * The pictures of one slide (or layout, master or notes page) and where their alt text lives.
 *
 * Guarantees:
 * - Every `p:pic` of the shape tree is found, inside `p:grpSp` at any depth too, in document
 *   (z-)order; a `p:pic` in a placeholder (`p:nvPr/p:ph`) is a 'placeholder-picture'.
 * - `p:graphicFrame` (chart, SmartArt, table, OLE object, 3D model) is returned as a
 *   'graphic-frame' with image 'none'; the pictures an OLE object keeps as its rendering
 *   inside the frame are not pictures of the slide. Its `graphic` says what it shows (chart,
 *   Office 2016 chart, SmartArt, table, other) and names the chart or SmartArt data parts.
 * - Of each `mc:AlternateContent` only the branch PowerPoint reads counts
 *   (xml-markup-compatibility.ts); a shape is never reported twice.
 * - Elements are matched by namespace URI, so ISO-Strict parts read like transitional ones.
 * - `cNvPr` is the exact span of the shape's `p:cNvPr` start tag in `slideXml`, in UTF-16
 *   code units of the string given: edit that string (decoded from the part's bytes, a BOM
 *   kept) and encode it again.
 *
 * - A `p:sp` filled with a picture (`a:blipFill` in its `p:spPr`, as PDF converters write every
 *   image and authors fill rectangles with photos) is a 'shape-fill': its alt text is the
 *   shape's own `p:nvSpPr/p:cNvPr`. A fill whose `a:blip` names no image shows no picture and
 *   is not reported.
 *
 * Not found: backgrounds, picture fills of groups, table cells and text, and pictures in
 * other parts (charts, SmartArt drawings); empty picture placeholders hold no picture. A
 * shape without `p:cNvPr` has nowhere to put alt text and is skipped.
 */

export interface PictureScope {
  /** The part `slideXml` was read from. */
  readonly part: string;
  /** 1-based slide number; 0 for layouts and masters. */
  readonly slideNumber: number;
}

interface Placement {
  readonly inGroup: boolean;
  /** Child-to-slide scale of the enclosing groups. */
  readonly scaleX: number;
  readonly scaleY: number;
  /** Where the child coordinate 0 lands on the slide: slide x = originX + x × scaleX. */
  readonly originX: number;
  readonly originY: number;
}

const TOP_LEVEL: Placement = { inGroup: false, scaleX: 1, scaleY: 1, originX: 0, originY: 0 };

/** `parsed`: the part already parsed from `slideXml` (spans are offsets into that string). */
export function findPictures(slideXml: string, rels: Relationships, scope: PictureScope, parsed?: XmlElement): PictureRef[] {
  const root = parsed ?? parseXml(slideXml, scope.part);
  const shapeTree = child(child(root, PML, 'cSld'), PML, 'spTree');
  const pictures: PictureRef[] = [];
  if (shapeTree) collect(shapeTree, TOP_LEVEL, rels, scope, pictures);
  return pictures;
}

function collect(
  container: XmlElement,
  placement: Placement,
  rels: Relationships,
  scope: PictureScope,
  pictures: PictureRef[],
): void {
  for (const shape of contentChildren(container)) {
    if (!PML.has(shape.uri)) continue;
    let picture: PictureRef | null = null;
    switch (shape.local) {
      case 'pic':
        picture = pictureRef(shape, placement, rels, scope);
        break;
      case 'sp':
        picture = shapeFillRef(shape, placement, rels, scope);
        break;
      case 'graphicFrame':
        picture = graphicFrameRef(shape, placement, rels, scope);
        break;
      case 'grpSp':
        collect(shape, nested(placement, shape), rels, scope, pictures);
        break;
      default:
        break;
    }
    if (picture) pictures.push(picture);
  }
}

function pictureRef(pic: XmlElement, placement: Placement, rels: Relationships, scope: PictureScope): PictureRef | null {
  const nonVisual = child(pic, PML, 'nvPicPr');
  const nvPr = child(nonVisual, PML, 'nvPr');
  const isPlaceholder = child(nvPr, PML, 'ph') !== undefined;
  const blip = child(child(pic, PML, 'blipFill'), DML, 'blip');
  const transform = child(child(pic, PML, 'spPr'), DML, 'xfrm');
  return shapeRef(
    child(nonVisual, PML, 'cNvPr'),
    isPlaceholder ? 'placeholder-picture' : 'picture',
    imageSource(blip, rels),
    transform,
    placement,
    scope,
    null,
    carriesMedia(nvPr, rels),
  );
}

/** A shape whose fill is a picture; null for every other shape (text boxes, lines, colour fills). */
function shapeFillRef(shape: XmlElement, placement: Placement, rels: Relationships, scope: PictureScope): PictureRef | null {
  const properties = child(shape, PML, 'spPr');
  const blip = child(child(properties, DML, 'blipFill'), DML, 'blip');
  const named = attributeIn(blip, OFFICE_RELATIONSHIPS, 'embed') ?? attributeIn(blip, OFFICE_RELATIONSHIPS, 'link');
  if (!named) return null;
  const transform = child(properties, DML, 'xfrm');
  return shapeRef(child(child(shape, PML, 'nvSpPr'), PML, 'cNvPr'), 'shape-fill', imageSource(blip, rels), transform, placement, scope, null);
}

function graphicFrameRef(frame: XmlElement, placement: Placement, rels: Relationships, scope: PictureScope): PictureRef | null {
  const transform = child(frame, PML, 'xfrm');
  const cNvPr = child(child(frame, PML, 'nvGraphicFramePr'), PML, 'cNvPr');
  const graphicData = child(child(frame, DML, 'graphic'), DML, 'graphicData');
  return shapeRef(cNvPr, 'graphic-frame', { kind: 'none' }, transform, placement, scope, graphicContent(graphicData, rels));
}

/** The frame's content by `a:graphicData/@uri`; its data parts by the `r:` ids of its one child. */
function graphicContent(graphicData: XmlElement | undefined, rels: Relationships): GraphicContent {
  const uri = attribute(graphicData, 'uri') ?? '';
  const content = graphicData ? [...contentChildren(graphicData)] : [];
  const inner = (ns: NamespaceSet, local: string) => content.find((element) => ns.has(element.uri) && element.local === local);
  const part = (element: XmlElement | undefined, local: string): string | null => {
    const relationship = rels.get(attributeIn(element, OFFICE_RELATIONSHIPS, local) ?? '');
    return relationship && !relationship.external ? relationship.target : null;
  };
  if (CHART.has(uri)) return { kind: 'chart', chartPart: part(inner(CHART, 'chart'), 'id') };
  if (CHARTEX.has(uri)) return { kind: 'chartex', chartPart: part(inner(CHARTEX, 'chart'), 'id') };
  if (DIAGRAM.has(uri)) {
    const relIds = inner(DIAGRAM, 'relIds');
    return { kind: 'smartart', diagramDataPart: part(relIds, 'dm'), diagramLayoutPart: part(relIds, 'lo') };
  }
  if (TABLE_GRAPHIC.has(uri)) return { kind: 'table' };
  return { kind: 'other', uri };
}

function shapeRef(
  cNvPr: XmlElement | undefined,
  kind: PictureKind,
  image: ImageSource,
  transform: XmlElement | undefined,
  placement: Placement,
  scope: PictureScope,
  graphic: GraphicContent | null,
  media = false,
): PictureRef | null {
  if (!cNvPr) return null;
  const extent = child(transform, DML, 'ext');
  const offset = child(transform, DML, 'off');
  const cx = emu(attribute(extent, 'cx'));
  const cy = emu(attribute(extent, 'cy'));
  const x = coordinate(attribute(offset, 'x'));
  const y = coordinate(attribute(offset, 'y'));
  return {
    slideNumber: scope.slideNumber,
    part: scope.part,
    kind,
    shapeId: attribute(cNvPr, 'id') ?? '',
    shapeName: attribute(cNvPr, 'name') ?? '',
    descr: attribute(cNvPr, 'descr'),
    title: attribute(cNvPr, 'title'),
    decorative: isDecorative(cNvPr),
    image,
    extentEmu:
      cx === null || cy === null
        ? null
        : { cx: Math.round(cx * placement.scaleX), cy: Math.round(cy * placement.scaleY) },
    offsetEmu:
      x === null || y === null
        ? null
        : { x: Math.round(placement.originX + x * placement.scaleX), y: Math.round(placement.originY + y * placement.scaleY) },
    inGroup: placement.inGroup,
    cNvPr: { start: cNvPr.start, end: cNvPr.startTagEnd },
    graphic,
    media,
  };
}

/**
 * Embedded when `r:embed` names an internal part (an SVG picture's `a:blip` is its PNG
 * fallback, the SVG its `asvg:svgBlip`); linked when only `r:link` is given or the target is
 * external; 'none' when the relationship is missing.
 */
function imageSource(blip: XmlElement | undefined, rels: Relationships): ImageSource {
  const embedded = rels.get(attributeIn(blip, OFFICE_RELATIONSHIPS, 'embed') ?? '');
  if (embedded && !embedded.external) {
    return { kind: 'embedded', part: embedded.target, svgPart: svgPart(blip, rels) };
  }
  const linked = embedded ?? rels.get(attributeIn(blip, OFFICE_RELATIONSHIPS, 'link') ?? '');
  return linked ? { kind: 'linked', url: linked.target } : { kind: 'none' };
}

function svgPart(blip: XmlElement | undefined, rels: Relationships): string | null {
  for (const ext of child(blip, DML, 'extLst')?.children ?? []) {
    const svgBlip = ext.children.find((candidate) => candidate.uri === SVG_BLIP && candidate.local === 'svgBlip');
    const relationship = rels.get(attributeIn(svgBlip, OFFICE_RELATIONSHIPS, 'embed') ?? '');
    if (relationship && !relationship.external) return relationship.target;
  }
  return null;
}

/**
 * A group draws its children scaled by `ext / chExt` of its own transform, the child point
 * `chOff` at its own `off`.
 */
function nested(placement: Placement, group: XmlElement): Placement {
  const transform = child(child(group, PML, 'grpSpPr'), DML, 'xfrm');
  const extent = child(transform, DML, 'ext');
  const childExtent = child(transform, DML, 'chExt');
  const scaleX = ratio(attribute(extent, 'cx'), attribute(childExtent, 'cx'));
  const scaleY = ratio(attribute(extent, 'cy'), attribute(childExtent, 'cy'));
  const offset = child(transform, DML, 'off');
  const childOffset = child(transform, DML, 'chOff');
  const shiftX = (coordinate(attribute(offset, 'x')) ?? 0) - (coordinate(attribute(childOffset, 'x')) ?? 0) * scaleX;
  const shiftY = (coordinate(attribute(offset, 'y')) ?? 0) - (coordinate(attribute(childOffset, 'y')) ?? 0) * scaleY;
  return {
    inGroup: true,
    scaleX: placement.scaleX * scaleX,
    scaleY: placement.scaleY * scaleY,
    originX: placement.originX + shiftX * placement.scaleX,
    originY: placement.originY + shiftY * placement.scaleY,
  };
}

function ratio(outer: string | null, inner: string | null): number {
  const numerator = emu(outer);
  const denominator = emu(inner);
  return numerator !== null && denominator !== null && denominator > 0 ? numerator / denominator : 1;
}

/** A position may be negative (a shape hanging off the slide's left or top edge). */
function coordinate(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

function emu(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : null;
}
