/**
 * What the PPTX layer finds in a deck. The processor decides and describes from these; the
 * writer edits exactly the spans they point at.
 */

/** A relationship of one part, with its target resolved to a package part name. */
export interface Relationship {
  readonly id: string;
  readonly type: string;
  /** Package part name without a leading slash (`ppt/media/image3.png`), or the URL if external. */
  readonly target: string;
  readonly external: boolean;
}

export type Relationships = ReadonlyMap<string, Relationship>;

/** Character offsets of a start tag (`<p:cNvPr …>` or `<p:cNvPr …/>`) in the part's text. */
export interface TagSpan {
  readonly start: number;
  readonly end: number;
}

export type PictureKind =
  | 'picture' // p:pic
  | 'placeholder-picture' // p:pic in a picture placeholder (p:nvPr/p:ph)
  | 'shape-fill' // p:sp filled with a picture (a:blipFill in its p:spPr)
  | 'graphic-frame'; // p:graphicFrame (charts, SmartArt, tables) — issue 6 describes these

export type ImageSource =
  | { readonly kind: 'embedded'; readonly part: string; readonly svgPart: string | null }
  | { readonly kind: 'linked'; readonly url: string }
  | { readonly kind: 'none' };

/**
 * What a `p:graphicFrame` shows, with the parts that hold its data, resolved through the
 * slide's relationships (null when the relationship is missing or external).
 */
export type GraphicContent =
  | { readonly kind: 'chart'; readonly chartPart: string | null }
  | { readonly kind: 'chartex'; readonly chartPart: string | null }
  | { readonly kind: 'smartart'; readonly diagramDataPart: string | null; readonly diagramLayoutPart: string | null }
  | { readonly kind: 'table' }
  /** OLE objects, 3D models, ink, anything else: `uri` is the frame's `a:graphicData/@uri`. */
  | { readonly kind: 'other'; readonly uri: string };

export interface PictureRef {
  /** 1-based slide number in presentation order (0 for layouts and masters). */
  readonly slideNumber: number;
  /** The part that holds the shape (`ppt/slides/slide3.xml`). */
  readonly part: string;
  readonly kind: PictureKind;
  /** `p:cNvPr/@id` and `@name`. */
  readonly shapeId: string;
  readonly shapeName: string;
  readonly descr: string | null;
  readonly title: string | null;
  readonly decorative: boolean;
  readonly image: ImageSource;
  /** Size on the slide in EMU (`a:ext` of the shape's `a:xfrm`), when present. */
  readonly extentEmu: { readonly cx: number; readonly cy: number } | null;
  /** Top-left corner on the slide in EMU (through the transforms of enclosing groups), when present. */
  readonly offsetEmu: { readonly x: number; readonly y: number } | null;
  /** Nesting: true inside a `p:grpSp` at any depth. */
  readonly inGroup: boolean;
  /** The `p:cNvPr` start tag to edit. */
  readonly cNvPr: TagSpan;
  /** What a 'graphic-frame' shows; null for pictures. */
  readonly graphic: GraphicContent | null;
  /** The picture is the icon or poster frame of a sound or video (picture-media.ts): never decorative. */
  readonly media: boolean;
}

export interface SlideInfo {
  readonly number: number;
  readonly part: string;
  readonly title: string | null;
  /** The slide's visible text, titles excluded, whitespace collapsed. */
  readonly text: string;
  readonly notes: string | null;
  /** Notes part name, when the slide has one. */
  readonly notesPart: string | null;
}

/** One change to one `p:cNvPr`: new alt text and/or the decorative flag. */
export interface AltTextEdit {
  readonly span: TagSpan;
  readonly descr?: string;
  readonly decorative?: boolean;
}
