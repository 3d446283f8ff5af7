import { describe, expect, it } from 'vitest';
import { classifyAltText } from '../../shared/alt-text-quality';
import type { PictureRef, Relationships } from './pptx-types';
import { parseRelationships } from './relationships';
import { findPictures } from './slide-pictures';
import {
  groupXml,
  part,
  pictureXml,
  PNG_DATA,
  pptxgenjsParts,
  relsXml,
  slideXml,
  SVG_DATA,
} from './slide-test-xml';
import { XmlParseError } from './xml-tree';

const SLIDE = 'ppt/slides/slide1.xml';
const scope = { part: SLIDE, slideNumber: 1 };
const rels = parseRelationships(
  relsXml([
    { id: 'rId2', target: '../media/image1.png' },
    { id: 'rId3', target: '../media/image2.svg' },
    { id: 'rId4', target: 'https://example.org/heart.png', external: true },
    { id: 'rId5', target: '/ppt/media/image3.jpeg' },
  ]),
  SLIDE,
);
const DECORATIVE_EXT = (val: string) =>
  '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">' +
  `<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="${val}"/></a:ext></a:extLst>`;

function pictures(xml: string, relationships: Relationships = rels): PictureRef[] {
  return findPictures(xml, relationships, scope);
}

function only(xml: string): PictureRef {
  const found = pictures(xml);
  expect(found).toHaveLength(1);
  return found[0] as PictureRef;
}

function startTag(xml: string, picture: PictureRef): string {
  return xml.slice(picture.cNvPr.start, picture.cNvPr.end);
}

describe('findPictures on decks written by pptxgenjs', () => {
  it('finds every picture with its alt text, image part, SVG original, size and tag', async () => {
    const parts = await pptxgenjsParts((pptx) => {
      const slide = pptx.addSlide();
      slide.addText('Heart', { x: 1, y: 2, w: 4, h: 1 });
      slide.addImage({ data: PNG_DATA, x: 1, y: 1, w: 1, h: 1, altText: 'A & B "quoted"' });
      slide.addImage({ data: PNG_DATA, x: 2, y: 1, w: 2, h: 1 });
      slide.addImage({ data: SVG_DATA, x: 3, y: 1, w: 1, h: 1 });
    });
    const xml = part(parts, 'ppt/slides/slide1.xml');
    const slideRels = parseRelationships(part(parts, 'ppt/slides/_rels/slide1.xml.rels'), SLIDE);
    const found = findPictures(xml, slideRels, scope);

    expect(found.map((p) => [p.kind, p.shapeId, p.shapeName, p.descr])).toEqual([
      ['picture', '3', 'Image 0', 'A & B "quoted"'],
      ['picture', '4', 'Image 1', 'preencoded.png'],
      ['picture', '5', 'Image 2', 'preencoded.png'],
    ]);
    expect(found.map((p) => p.image)).toEqual([
      { kind: 'embedded', part: 'ppt/media/image-1-1.png', svgPart: null },
      { kind: 'embedded', part: 'ppt/media/image-1-2.png', svgPart: null },
      { kind: 'embedded', part: 'ppt/media/image-1-3.png', svgPart: 'ppt/media/image-1-4.svg' },
    ]);
    expect(found.map((p) => p.extentEmu)).toEqual([
      { cx: 914_400, cy: 914_400 },
      { cx: 1_828_800, cy: 914_400 },
      { cx: 914_400, cy: 914_400 },
    ]);
    expect(found.every((p) => p.slideNumber === 1 && p.part === SLIDE && !p.inGroup && !p.decorative && p.title === null)).toBe(true);
    expect(startTag(xml, found[0] as PictureRef)).toBe('<p:cNvPr id="3" name="Image 0" descr="A &amp; B &quot;quoted&quot;">');
    expect(classifyAltText(found[0]?.descr)).toBe('human');
    expect(classifyAltText(found[1]?.descr)).toBe('weak');
  });

  it('reports a picture in a placeholder as a placeholder picture', async () => {
    const parts = await pptxgenjsParts((pptx) => {
      pptx.defineSlideMaster({
        title: 'PHOTO',
        objects: [
          { placeholder: { options: { name: 'title', type: 'title', x: 0.5, y: 0.2, w: 9, h: 1 }, text: '' } },
          { placeholder: { options: { name: 'photo', type: 'pic', x: 1, y: 2, w: 4, h: 3 }, text: '' } },
        ],
      });
      const slide = pptx.addSlide({ masterName: 'PHOTO' });
      slide.addText('Cardiac cycle', { placeholder: 'title' });
      slide.addImage({ data: PNG_DATA, placeholder: 'photo', altText: 'ECG trace' });
    });
    const xml = part(parts, 'ppt/slides/slide1.xml');
    const found = findPictures(xml, parseRelationships(part(parts, 'ppt/slides/_rels/slide1.xml.rels'), SLIDE), scope);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'placeholder-picture', descr: 'ECG trace', image: { kind: 'embedded' } });
  });
});

describe('findPictures on hand-written slides', () => {
  it('finds pictures in groups nested three deep, with their size on the slide', () => {
    const xml = slideXml(
      pictureXml({ id: 2 }) +
        groupXml(3, pictureXml({ id: 4 }) + groupXml(5, groupXml(6, pictureXml({ id: 7, extent: { cx: 800_000, cy: 400_000 } })), 0.5), 0.5),
    );
    const found = pictures(xml);
    expect(found.map((p) => [p.shapeId, p.inGroup, p.extentEmu])).toEqual([
      ['2', false, { cx: 1_000_000, cy: 500_000 }],
      ['4', true, { cx: 500_000, cy: 250_000 }],
      ['7', true, { cx: 200_000, cy: 100_000 }],
    ]);
  });

  it('places pictures on the slide through the offsets and scales of their groups', () => {
    const at = (id: number, x: number, y: number) => pictureXml({ id }).replace('<a:off x="0" y="0"/>', `<a:off x="${x}" y="${y}"/>`);
    // The group shows child point (1,000,000; 2,000,000) at slide point (3,000,000; 1,000,000), at half size.
    const group =
      '<p:grpSp><p:nvGrpSpPr><p:cNvPr id="3" name="Group 2"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>' +
      '<p:grpSpPr><a:xfrm><a:off x="3000000" y="1000000"/><a:ext cx="2000000" cy="2000000"/><a:chOff x="1000000" y="2000000"/><a:chExt cx="4000000" cy="4000000"/></a:xfrm></p:grpSpPr>' +
      `${at(4, 3_000_000, 2_000_000)}</p:grpSp>`;
    const found = pictures(slideXml(at(2, 500_000, 250_000) + group));
    expect(found.map((p) => [p.shapeId, p.offsetEmu])).toEqual([
      ['2', { x: 500_000, y: 250_000 }],
      ['4', { x: 4_000_000, y: 1_000_000 }],
    ]);
  });

  it('finds filled picture placeholders of any type and ignores empty ones', () => {
    const emptyPlaceholder =
      '<p:sp><p:nvSpPr><p:cNvPr id="9" name="Picture Placeholder 8"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>' +
      '<p:nvPr><p:ph type="pic" idx="14"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>';
    const xml = slideXml(
      pictureXml({ id: 2, nvPr: '<p:ph type="pic" idx="13"/>' }) +
        pictureXml({ id: 3, nvPr: '<p:ph idx="1"/>' }) +
        emptyPlaceholder +
        pictureXml({ id: 4 }),
    );
    expect(pictures(xml).map((p) => [p.shapeId, p.kind])).toEqual([
      ['2', 'placeholder-picture'],
      ['3', 'placeholder-picture'],
      ['4', 'picture'],
    ]);
  });

  it('reads an SVG picture as its PNG fallback plus the SVG part', () => {
    const blip =
      '<a:blip r:embed="rId2"><a:extLst><a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}">' +
      '<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" r:embed="rId3"/></a:ext></a:extLst></a:blip>';
    expect(only(slideXml(pictureXml({ id: 2, blip }))).image).toEqual({
      kind: 'embedded',
      part: 'ppt/media/image1.png',
      svgPart: 'ppt/media/image2.svg',
    });
  });

  it('reads ISO-Strict slides like transitional ones', () => {
    const xml = slideXml(
      groupXml(3, pictureXml({ id: 4, attributes: ' descr="Strict heart"', cNvPrChildren: DECORATIVE_EXT('1') })) +
        pictureXml({ id: 5, nvPr: '<p:ph type="pic" idx="1"/>', embed: 'rId5' }),
      { strict: true },
    );
    const strictRels = parseRelationships(
      relsXml([
        { id: 'rId2', type: 'http://purl.oclc.org/ooxml/officeDocument/relationships/image', target: '../media/image1.png' },
        { id: 'rId5', type: 'http://purl.oclc.org/ooxml/officeDocument/relationships/image', target: '../media/image5.png' },
      ]),
      SLIDE,
    );
    const found = pictures(xml, strictRels);
    expect(found.map((p) => [p.shapeId, p.kind, p.inGroup, p.descr, p.decorative, p.image])).toEqual([
      ['4', 'picture', true, 'Strict heart', true, { kind: 'embedded', part: 'ppt/media/image1.png', svgPart: null }],
      ['5', 'placeholder-picture', false, null, false, { kind: 'embedded', part: 'ppt/media/image5.png', svgPart: null }],
    ]);
  });

  it('matches by namespace, not by prefix', () => {
    const xml =
      '<pml:sld xmlns:pml="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:d="http://schemas.openxmlformats.org/drawingml/2006/main"' +
      ' xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><pml:cSld><pml:spTree>' +
      '<pml:pic><pml:nvPicPr><pml:cNvPr id="2" name="P" descr="x"/><pml:cNvPicPr/><pml:nvPr/></pml:nvPicPr>' +
      '<pml:blipFill><d:blip rel:embed="rId2"/></pml:blipFill><pml:spPr/></pml:pic>' +
      '<a:pic xmlns:a="urn:not-presentationml"><a:nvPicPr><a:cNvPr id="3" name="Q"/></a:nvPicPr></a:pic>' +
      '</pml:spTree></pml:cSld></pml:sld>';
    expect(pictures(xml).map((p) => [p.shapeId, p.image.kind, p.extentEmu])).toEqual([['2', 'embedded', null]]);
  });

  describe('mc:AlternateContent', () => {
    const MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"';
    const alternate = (requires: string) =>
      `<mc:AlternateContent ${MC}><mc:Choice Requires="${requires}">${pictureXml({ id: 5, name: 'Choice' })}</mc:Choice>` +
      `<mc:Fallback>${pictureXml({ id: 6, name: 'Fallback' })}</mc:Fallback></mc:AlternateContent>`;

    it('takes the Choice whose namespaces are understood, and only that', () => {
      const xml = slideXml(alternate('a14'), { namespaces: 'xmlns:a14="http://schemas.microsoft.com/office/drawing/2010/main"' });
      expect(pictures(xml).map((p) => p.shapeName)).toEqual(['Choice']);
    });

    it('takes the Fallback when a Choice needs a namespace we do not understand', () => {
      const unknown = slideXml(alternate('x a14'), {
        namespaces: 'xmlns:x="urn:example:future" xmlns:a14="http://schemas.microsoft.com/office/drawing/2010/main"',
      });
      expect(pictures(unknown).map((p) => p.shapeName)).toEqual(['Fallback']);
      const beta = slideXml(alternate('a14'), { namespaces: 'xmlns:a14="http://schemas.microsoft.com/office/drawing/2007/7/7/main"' });
      expect(pictures(beta).map((p) => p.shapeName)).toEqual(['Fallback']);
    });

    it('takes the first understood of several Choices, inside groups too', () => {
      const xml = slideXml(
        groupXml(
          3,
          `<mc:AlternateContent ${MC}><mc:Choice Requires="x">${pictureXml({ id: 4, name: 'Future' })}</mc:Choice>` +
            `<mc:Choice Requires="p14">${pictureXml({ id: 5, name: 'P14' })}</mc:Choice>` +
            `<mc:Choice Requires="a14">${pictureXml({ id: 6, name: 'A14' })}</mc:Choice>` +
            `<mc:Fallback>${pictureXml({ id: 7, name: 'Fallback' })}</mc:Fallback></mc:AlternateContent>`,
        ),
        {
          namespaces:
            'xmlns:x="urn:example:future" xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main" xmlns:a14="http://schemas.microsoft.com/office/drawing/2010/main"',
        },
      );
      expect(pictures(xml).map((p) => [p.shapeName, p.inGroup])).toEqual([['P14', true]]);
    });
  });

  it('reads the decorative flag, also when it is switched off', () => {
    const xml = slideXml(
      pictureXml({ id: 2, cNvPrChildren: DECORATIVE_EXT('1') }) +
        pictureXml({ id: 3, cNvPrChildren: DECORATIVE_EXT('0') }) +
        pictureXml({ id: 4, cNvPrChildren: DECORATIVE_EXT('true') }) +
        pictureXml({
          id: 5,
          cNvPrChildren: '<a:extLst><a:ext uri="{FF2B5EF4-FFF2-40B4-BE49-F238E27FC236}"><a16:creationId xmlns:a16="http://schemas.microsoft.com/office/drawing/2014/main" id="{1}"/></a:ext></a:extLst>',
        }),
    );
    expect(pictures(xml).map((p) => [p.shapeId, p.decorative])).toEqual([
      ['2', true],
      ['3', false],
      ['4', true],
      ['5', false],
    ]);
  });

  it('reads human, weak and missing alt text, entity-decoded, and the title', () => {
    const xml = slideXml(
      pictureXml({ id: 2, attributes: ' descr="Left ventricle &amp; aorta&#x2019;s root, 3&lt;4" title="Fig. &quot;1&quot;"' }) +
        pictureXml({ id: 3, attributes: ' descr="Picture 2"' }) +
        pictureXml({ id: 4, attributes: " descr='A close up of a heart&#10;&#10;Description automatically generated'" }) +
        pictureXml({ id: 5, attributes: ' descr="  "' }) +
        pictureXml({ id: 6 }),
    );
    const found = pictures(xml);
    expect(found.map((p) => p.descr)).toEqual([
      'Left ventricle & aorta\u2019s root, 3<4',
      'Picture 2',
      'A close up of a heart\n\nDescription automatically generated',
      '  ',
      null,
    ]);
    expect(found[0]?.title).toBe('Fig. "1"');
    expect(found.map((p) => classifyAltText(p.descr))).toEqual(['human', 'weak', 'weak', 'missing', 'missing']);
  });

  it('tells linked pictures from embedded ones', () => {
    const linkOnly = `<a:blip r:link="rId4"/>`;
    const embedExternal = `<a:blip r:embed="rId4"/>`;
    const linkedAndEmbedded = `<a:blip r:embed="rId5" r:link="rId4"/>`;
    const missing = `<a:blip r:embed="rId99"/>`;
    const xml = slideXml(
      pictureXml({ id: 2, blip: linkOnly }) +
        pictureXml({ id: 3, blip: embedExternal }) +
        pictureXml({ id: 4, blip: linkedAndEmbedded }) +
        pictureXml({ id: 5, blip: missing }),
    );
    expect(pictures(xml).map((p) => p.image)).toEqual([
      { kind: 'linked', url: 'https://example.org/heart.png' },
      { kind: 'linked', url: 'https://example.org/heart.png' },
      { kind: 'embedded', part: 'ppt/media/image3.jpeg', svgPart: null },
      { kind: 'none' },
    ]);
  });

  it("finds shapes filled with a picture, with the shape's own p:cNvPr, and no other shapes", () => {
    const filled = (id: number, fill: string, extra = '') =>
      `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="object ${id}"${extra}/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>` +
      `<p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2000000" cy="1000000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>${fill}</p:spPr>` +
      '<p:txBody><a:bodyPr/><a:lstStyle/><a:p/></p:txBody></p:sp>';
    const blipFill = (blip: string) => `<a:blipFill>${blip}<a:stretch><a:fillRect/></a:stretch></a:blipFill>`;
    const xml = slideXml(
      filled(2, blipFill('<a:blip r:embed="rId2" cstate="print"/>'), ' descr="Stained section"') +
        filled(3, '<a:solidFill><a:srgbClr val="FF0000"/></a:solidFill>') +
        filled(4, blipFill('<a:blip/>')) +
        filled(5, '') +
        groupXml(6, filled(7, blipFill('<a:blip r:link="rId4"/>')), 0.5) +
        filled(8, blipFill('<a:blip r:embed="rId99"/>')),
    );
    const found = pictures(xml);
    expect(found.map((p) => [p.kind, p.shapeId, p.descr, p.image, p.extentEmu, p.inGroup])).toEqual([
      ['shape-fill', '2', 'Stained section', { kind: 'embedded', part: 'ppt/media/image1.png', svgPart: null }, { cx: 2_000_000, cy: 1_000_000 }, false],
      ['shape-fill', '7', null, { kind: 'linked', url: 'https://example.org/heart.png' }, { cx: 1_000_000, cy: 500_000 }, true],
      // A relationship that is missing: listed, so that the report can say so.
      ['shape-fill', '8', null, { kind: 'none' }, { cx: 2_000_000, cy: 1_000_000 }, false],
    ]);
    expect(startTag(xml, found[0] as PictureRef)).toBe('<p:cNvPr id="2" name="object 2" descr="Stained section"/>');
    expect(found.every((p) => p.graphic === null && !p.media)).toBe(true);
  });

  it('reads shape fills of ISO-Strict slides and inside mc:AlternateContent once', () => {
    const shape = '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Photo"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:blipFill><a:blip r:embed="rId2"/></a:blipFill></p:spPr></p:sp>';
    const strictRels = parseRelationships(
      relsXml([{ id: 'rId2', type: 'http://purl.oclc.org/ooxml/officeDocument/relationships/image', target: '../media/image1.png' }]),
      SLIDE,
    );
    expect(findPictures(slideXml(shape, { strict: true }), strictRels, scope).map((p) => [p.kind, p.image.kind])).toEqual([['shape-fill', 'embedded']]);
    const alternate =
      '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice xmlns:a14="http://schemas.microsoft.com/office/drawing/2010/main" Requires="a14">' +
      shape +
      `</mc:Choice><mc:Fallback>${shape.replace('id="2"', 'id="3"')}</mc:Fallback></mc:AlternateContent>`;
    expect(pictures(slideXml(alternate)).map((p) => p.shapeId)).toEqual(['2']);
  });

  it('returns graphic frames without looking for pictures inside them', () => {
    const frame =
      '<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="8" name="Object 7" descr="Embedded workbook"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>' +
      '<p:xfrm><a:off x="0" y="0"/><a:ext cx="3000000" cy="2000000"/></p:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/presentationml/2006/ole">' +
      `<p:oleObj r:id="rId9" progId="Excel.Sheet.12"><p:embed/>${pictureXml({ id: 0, name: '' })}</p:oleObj></a:graphicData></a:graphic></p:graphicFrame>`;
    const picture = only(slideXml(frame));
    expect(picture).toMatchObject({
      kind: 'graphic-frame',
      shapeId: '8',
      descr: 'Embedded workbook',
      image: { kind: 'none' },
      extentEmu: { cx: 3_000_000, cy: 2_000_000 },
      graphic: { kind: 'other', uri: 'http://schemas.openxmlformats.org/presentationml/2006/ole' },
    });
  });

  it('says what each graphic frame shows and which parts hold its data', () => {
    const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const frame = (id: number, graphicData: string) =>
      `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="${id}" name="Frame ${id}"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>` +
      `<p:xfrm><a:off x="0" y="0"/><a:ext cx="1" cy="1"/></p:xfrm><a:graphic>${graphicData}</a:graphic></p:graphicFrame>`;
    const chart = (rId: string) =>
      `<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="${rId}"/></a:graphicData>`;
    const chartex =
      '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice xmlns:cx1="http://schemas.microsoft.com/office/drawing/2015/9/8/chartex" Requires="cx1">' +
      frame(
        4,
        '<a:graphicData uri="http://schemas.microsoft.com/office/drawing/2014/chartex"><cx:chart xmlns:cx="http://schemas.microsoft.com/office/drawing/2014/chartex" r:id="rId21"/></a:graphicData>',
      ) +
      `</mc:Choice><mc:Fallback>${pictureXml({ id: 4, name: 'Chart 3 fallback' })}</mc:Fallback></mc:AlternateContent>`;
    const smartArt =
      '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/diagram"><dgm:relIds xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" ' +
      'r:dm="rId22" r:lo="rId23" r:qs="rId24" r:cs="rId25"/></a:graphicData>';
    const table = '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblGrid/></a:tbl></a:graphicData>';
    const model3d = '<a:graphicData uri="http://schemas.microsoft.com/office/drawing/2017/model3d"/>';
    const xml = slideXml(
      frame(2, chart('rId20')) + frame(3, chart('rId99')) + chartex + frame(5, smartArt) + groupXml(6, frame(7, table)) + frame(8, model3d) + frame(9, chart('rId26')),
    );
    const graphicRels = parseRelationships(
      relsXml([
        { id: 'rId20', type: `${REL}/chart`, target: '../charts/chart1.xml' },
        { id: 'rId21', type: 'http://schemas.microsoft.com/office/2014/relationships/chartEx', target: '../charts/chartEx1.xml' },
        { id: 'rId22', type: `${REL}/diagramData`, target: '../diagrams/data1.xml' },
        { id: 'rId23', type: `${REL}/diagramLayout`, target: '/ppt/diagrams/layout1.xml' },
        { id: 'rId26', type: `${REL}/chart`, target: 'https://example.org/chart.xml', external: true },
      ]),
      SLIDE,
    );
    expect(pictures(xml, graphicRels).map((p) => [p.shapeId, p.kind, p.inGroup, p.graphic])).toEqual([
      ['2', 'graphic-frame', false, { kind: 'chart', chartPart: 'ppt/charts/chart1.xml' }],
      ['3', 'graphic-frame', false, { kind: 'chart', chartPart: null }],
      ['4', 'graphic-frame', false, { kind: 'chartex', chartPart: 'ppt/charts/chartEx1.xml' }],
      ['5', 'graphic-frame', false, { kind: 'smartart', diagramDataPart: 'ppt/diagrams/data1.xml', diagramLayoutPart: 'ppt/diagrams/layout1.xml' }],
      ['7', 'graphic-frame', true, { kind: 'table' }],
      ['8', 'graphic-frame', false, { kind: 'other', uri: 'http://schemas.microsoft.com/office/drawing/2017/model3d' }],
      ['9', 'graphic-frame', false, { kind: 'chart', chartPart: null }],
    ]);
    expect(pictures(slideXml(pictureXml({ id: 2 })))[0]?.graphic).toBeNull();
  });

  it('reads ISO-Strict graphic frames like transitional ones', () => {
    const strictFrame =
      '<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="4" name="Chart 3"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>' +
      '<p:xfrm><a:off x="1524000" y="1397000"/><a:ext cx="6096000" cy="4064000"/></p:xfrm><a:graphic><a:graphicData uri="http://purl.oclc.org/ooxml/drawingml/chart">' +
      '<c:chart xmlns:c="http://purl.oclc.org/ooxml/drawingml/chart" r:id="rId2"/></a:graphicData></a:graphic></p:graphicFrame>';
    const strictRels = parseRelationships(
      relsXml([{ id: 'rId2', type: 'http://purl.oclc.org/ooxml/officeDocument/relationships/chart', target: '../charts/chart1.xml' }]),
      SLIDE,
    );
    expect(pictures(slideXml(strictFrame, { strict: true }), strictRels)[0]?.graphic).toEqual({ kind: 'chart', chartPart: 'ppt/charts/chart1.xml' });
  });

  it('points at the exact start tag, self-closing or not, as string offsets after multi-byte text', () => {
    const title =
      '<p:sp><p:nvSpPr><p:cNvPr id="9" name="Title 8"/><p:cNvSpPr/><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr><p:spPr/>' +
      '<p:txBody><a:bodyPr/><a:p><a:r><a:t>Größe – 心臓 😀 “Herz”</a:t></a:r></a:p></p:txBody></p:sp>';
    const xml = slideXml(
      title +
        pictureXml({ id: 2, attributes: ' descr="ä"' }) +
        pictureXml({ id: 3, attributes: '\n   descr=\'x\'  ', cNvPrChildren: DECORATIVE_EXT('0') }),
    );
    const [first, second] = pictures(xml) as [PictureRef, PictureRef];
    expect(first.cNvPr.start).toBe(xml.indexOf('<p:cNvPr id="2"'));
    expect(startTag(xml, first)).toBe('<p:cNvPr id="2" name="Picture 1" descr="ä"/>');
    expect(startTag(xml, second)).toBe('<p:cNvPr id="3" name="Picture 2"\n   descr=\'x\'  >');
    // Offsets count UTF-16 code units, not UTF-8 bytes: the caller edits the decoded string.
    expect(Buffer.byteLength(xml.slice(0, first.cNvPr.start))).toBeGreaterThan(first.cNvPr.start);
  });

  it('counts a leading byte order mark as one character', () => {
    const xml = `\uFEFF${slideXml(pictureXml({ id: 2 }))}`;
    const picture = only(xml);
    expect(startTag(xml, picture)).toBe('<p:cNvPr id="2" name="Picture 1"/>');
  });

  it('reads layouts as slide number 0 and tolerates a slide with no shape tree', () => {
    const layout = slideXml(pictureXml({ id: 2 })).replace(/p:sld\b/g, 'p:sldLayout');
    expect(findPictures(layout, rels, { part: 'ppt/slideLayouts/slideLayout1.xml', slideNumber: 0 })[0]).toMatchObject({
      slideNumber: 0,
      part: 'ppt/slideLayouts/slideLayout1.xml',
    });
    expect(pictures('<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>')).toEqual([]);
  });

  it('refuses XML that is not well-formed or has a DOCTYPE', () => {
    expect(() => pictures(slideXml(pictureXml({ id: 2 })).replace('</p:pic>', ''))).toThrow(XmlParseError);
    expect(() => pictures('<p:sld xmlns:p="u"><x:y/></p:sld>')).toThrow(/not well-formed/);
    try {
      pictures('<!DOCTYPE p:sld [<!ENTITY e "x">]><p:sld xmlns:p="u"/>');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(XmlParseError);
      expect((error as XmlParseError).code).toBe('EUNSAFE_XML');
    }
  });
});
