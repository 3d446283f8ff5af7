import JSZip from 'jszip';
import PptxGenJS from 'pptxgenjs';

/**
 * Test material for the slide layer: hand-written slide XML for the hard cases, and the
 * XML parts of real decks written by pptxgenjs. Used by tests only.
 */

export const TRANSITIONAL = {
  p: 'http://schemas.openxmlformats.org/presentationml/2006/main',
  a: 'http://schemas.openxmlformats.org/drawingml/2006/main',
  r: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
} as const;

export const STRICT = {
  p: 'http://purl.oclc.org/ooxml/presentationml/main',
  a: 'http://purl.oclc.org/ooxml/drawingml/main',
  r: 'http://purl.oclc.org/ooxml/officeDocument/relationships',
} as const;

export const IMAGE_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image';
export const XML_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const GROUP_ROOT =
  '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>' +
  '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>';

/** A `p:sld` part around `shapes`; `namespaces` adds declarations to the root. */
export function slideXml(shapes: string, options: { strict?: boolean; namespaces?: string } = {}): string {
  const ns = options.strict ? STRICT : TRANSITIONAL;
  const extra = options.namespaces ? ` ${options.namespaces}` : '';
  return (
    `${XML_HEADER}<p:sld xmlns:a="${ns.a}" xmlns:r="${ns.r}" xmlns:p="${ns.p}"${extra}>` +
    `<p:cSld><p:spTree>${GROUP_ROOT}${shapes}</p:spTree></p:cSld>` +
    '<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>'
  );
}

export interface PictureXmlOptions {
  readonly id: number;
  readonly name?: string;
  /** Raw attribute text after `name`, e.g. ` descr="A &amp; B"`. */
  readonly attributes?: string;
  /** Children of `p:cNvPr`; when absent the tag is self-closing. */
  readonly cNvPrChildren?: string;
  readonly embed?: string;
  /** Raw `a:blip` replacement. */
  readonly blip?: string;
  readonly nvPr?: string;
  readonly extent?: { readonly cx: number; readonly cy: number };
}

export function pictureXml(options: PictureXmlOptions): string {
  const name = options.name ?? `Picture ${options.id - 1}`;
  const head = `<p:cNvPr id="${options.id}" name="${name}"${options.attributes ?? ''}`;
  const cNvPr = options.cNvPrChildren === undefined ? `${head}/>` : `${head}>${options.cNvPrChildren}</p:cNvPr>`;
  const blip = options.blip ?? `<a:blip r:embed="${options.embed ?? 'rId2'}"/>`;
  const extent = options.extent ?? { cx: 1_000_000, cy: 500_000 };
  return (
    `<p:pic><p:nvPicPr>${cNvPr}<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr>${options.nvPr ?? ''}</p:nvPr></p:nvPicPr>` +
    `<p:blipFill>${blip}<a:stretch><a:fillRect/></a:stretch></p:blipFill>` +
    `<p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${extent.cx}" cy="${extent.cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>`
  );
}

/** A group whose children are drawn at `scale` times their size. */
export function groupXml(id: number, children: string, scale = 1): string {
  const chExt = 4_000_000;
  const ext = Math.round(chExt * scale);
  return (
    `<p:grpSp><p:nvGrpSpPr><p:cNvPr id="${id}" name="Group ${id - 1}"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>` +
    `<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${ext}" cy="${ext}"/><a:chOff x="0" y="0"/><a:chExt cx="${chExt}" cy="${chExt}"/></a:xfrm></p:grpSpPr>` +
    `${children}</p:grpSp>`
  );
}

export function relsXml(relationships: readonly { id: string; type?: string; target: string; external?: boolean }[]): string {
  const items = relationships
    .map(
      (rel) =>
        `<Relationship Id="${rel.id}" Type="${rel.type ?? IMAGE_REL}" Target="${rel.target}"${rel.external ? ' TargetMode="External"' : ''}/>`,
    )
    .join('');
  return `${XML_HEADER}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${items}</Relationships>`;
}

/** A 1×1 PNG as pptxgenjs wants image data. */
export const PNG_DATA =
  'image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

export const SVG_DATA = `image/svg+xml;base64,${Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
).toString('base64')}`;

/** Every XML and .rels part of the deck `build` makes, as written by pptxgenjs. */
export async function pptxgenjsParts(build: (pptx: PptxGenJS) => void): Promise<Map<string, string>> {
  const pptx = new PptxGenJS();
  build(pptx);
  const zip = await JSZip.loadAsync((await pptx.write({ outputType: 'nodebuffer' })) as Buffer);
  const parts = new Map<string, string>();
  for (const entry of Object.values(zip.files)) {
    if (!entry.dir && /\.(xml|rels)$/.test(entry.name)) parts.set(entry.name, await entry.async('string'));
  }
  return parts;
}

/** `parts.get(name)`, failing the test when the part is missing. */
export function part(parts: ReadonlyMap<string, string>, name: string): string {
  const text = parts.get(name);
  if (text === undefined) throw new Error(`The deck has no part ${name}`);
  return text;
}
