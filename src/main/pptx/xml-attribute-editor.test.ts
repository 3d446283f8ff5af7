import { describe, expect, it } from 'vitest';
import type { AltTextEdit, PictureRef } from './pptx-types';
import { parseRelationships } from './relationships';
import { findPictures } from './slide-pictures';
import { part, pictureXml, PNG_DATA, pptxgenjsParts, relsXml, slideXml, SVG_DATA } from './slide-test-xml';
import { AltTextEditError, applyAltTextEdits } from './xml-attribute-editor';
import { escapeAttributeValue } from './xml-escape';
import { XmlParseError } from './xml-tree';

const SLIDE = 'ppt/slides/slide1.xml';
const rels = parseRelationships(relsXml([{ id: 'rId2', target: '../media/image1.png' }]), SLIDE);
const ADEC = 'http://schemas.microsoft.com/office/drawing/2017/decorative';
const GUID = '{C183D7F6-B498-43B3-948B-1728B52AA6E4}';
const FLAG = `<adec:decorative xmlns:adec="${ADEC}" val="1"/>`;
const CREATION_ID =
  '<a:ext uri="{FF2B5EF4-FFF2-40B4-BE49-F238E27FC236}"><a16:creationId xmlns:a16="http://schemas.microsoft.com/office/drawing/2014/main" id="{5C1E5A9B-0000-4000-8000-000000000001}"/></a:ext>';

function pictures(xml: string): PictureRef[] {
  return findPictures(xml, rels, { part: SLIDE, slideNumber: 1 });
}

/** The span of the `p:cNvPr` start tag that begins with `head`. */
function spanOf(xml: string, head: string): { start: number; end: number } {
  const start = xml.indexOf(head);
  expect(start).toBeGreaterThanOrEqual(0);
  return { start, end: xml.indexOf('>', start) + 1 };
}

/** `xml` with one exact piece of text replaced, which must occur once. */
function replacedOnce(xml: string, before: string, after: string): string {
  expect(xml.split(before)).toHaveLength(2);
  return xml.replace(before, () => after);
}

describe('applyAltTextEdits: descr', () => {
  it('adds descr right after name in a self-closing tag', () => {
    const xml = slideXml(pictureXml({ id: 2 }));
    const edited = applyAltTextEdits(xml, [{ span: spanOf(xml, '<p:cNvPr id="2"'), descr: 'ECG & <lead II> "sinus"' }]);
    expect(edited).toBe(
      replacedOnce(
        xml,
        '<p:cNvPr id="2" name="Picture 1"/>',
        '<p:cNvPr id="2" name="Picture 1" descr="ECG &amp; &lt;lead II&gt; &quot;sinus&quot;"/>',
      ),
    );
  });

  it('adds descr after name, not at the end, when more attributes follow', () => {
    const xml = slideXml(pictureXml({ id: 2, attributes: ' title="Fig 1" hidden="1"' }));
    const edited = applyAltTextEdits(xml, [{ span: spanOf(xml, '<p:cNvPr id="2"'), descr: 'Aorta' }]);
    expect(edited).toBe(
      replacedOnce(xml, 'name="Picture 1" title="Fig 1" hidden="1"/>', 'name="Picture 1" descr="Aorta" title="Fig 1" hidden="1"/>'),
    );
  });

  it('replaces an existing descr in place, keeping its quotes, the attribute order and the whitespace', () => {
    const xml = slideXml(
      '<p:pic><p:nvPicPr><p:cNvPr\n    id="3" descr=\'old &amp; weak\'   name="Picture 2" title="t">\n</p:cNvPr><p:cNvPicPr/><p:nvPr/></p:nvPicPr>' +
        '<p:blipFill><a:blip r:embed="rId2"/></p:blipFill><p:spPr/></p:pic>',
    );
    const edited = applyAltTextEdits(xml, [{ span: spanOf(xml, '<p:cNvPr\n    id="3"'), descr: 'It\'s the "left" atrium' }]);
    expect(edited).toBe(
      replacedOnce(xml, "descr='old &amp; weak'", "descr='It&apos;s the &quot;left&quot; atrium'"),
    );
    expect(pictures(edited)[0]?.descr).toBe('It\'s the "left" atrium');
  });

  it('keeps line breaks and tabs as character references and drops characters XML cannot hold', () => {
    const xml = slideXml(pictureXml({ id: 2, attributes: ' descr=""' }));
    const descr = 'Line one\nline\ttwo\r\u0001\u0085 é 😀 \uD800end';
    const edited = applyAltTextEdits(xml, [{ span: spanOf(xml, '<p:cNvPr id="2"'), descr }]);
    expect(edited).toBe(replacedOnce(xml, 'descr=""', 'descr="Line one&#xA;line&#x9;two&#xD;&#x85; é 😀 end"'));
    expect(pictures(edited)[0]?.descr).toBe('Line one\nline\ttwo\r\u0085 é 😀 end');
  });

  it("writes right-to-left text as given, bidi marks and all, on a filled shape's p:cNvPr", () => {
    const shape =
      '<p:sp><p:nvSpPr><p:cNvPr id="4" name="object 4"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>' +
      '<p:spPr><a:blipFill><a:blip r:embed="rId2"/></a:blipFill></p:spPr></p:sp>';
    const xml = slideXml(shape);
    const [filled] = pictures(xml);
    const descr = 'مخطط خطي: نسبة الإصابة\u200f "الحادة" & المزمنة (Type 2)؛ עלייה מ־1995 (3.1)\u200e';
    const edited = applyAltTextEdits(xml, [{ span: filled?.cNvPr ?? { start: 0, end: 0 }, descr }]);
    expect(edited).toBe(replacedOnce(xml, 'name="object 4"/>', `name="object 4" descr="${escapeAttributeValue(descr)}"/>`));
    expect(pictures(edited)[0]).toMatchObject({ kind: 'shape-fill', descr });
  });

  it('writes an empty description when asked to', () => {
    const xml = slideXml(pictureXml({ id: 2, attributes: ' descr="Picture 1"' }));
    const edited = applyAltTextEdits(xml, [{ span: spanOf(xml, '<p:cNvPr id="2"'), descr: '' }]);
    expect(edited).toBe(replacedOnce(xml, 'descr="Picture 1"', 'descr=""'));
  });
});

describe('applyAltTextEdits: decorative', () => {
  it('opens a self-closing p:cNvPr to add the Office decorative extension', () => {
    const xml = slideXml(pictureXml({ id: 2 }));
    const edited = applyAltTextEdits(xml, [{ span: spanOf(xml, '<p:cNvPr id="2"'), decorative: true }]);
    expect(edited).toBe(
      replacedOnce(
        xml,
        '<p:cNvPr id="2" name="Picture 1"/>',
        `<p:cNvPr id="2" name="Picture 1"><a:extLst><a:ext uri="${GUID}">${FLAG}</a:ext></a:extLst></p:cNvPr>`,
      ),
    );
    expect(pictures(edited)[0]).toMatchObject({ decorative: true, descr: null });
  });

  it('marks decorative as PowerPoint does: the flag, and the description emptied', () => {
    const selfClosing = slideXml(pictureXml({ id: 2, attributes: ' descr="Test figure 1a2b"' }));
    const opened = applyAltTextEdits(selfClosing, [{ span: spanOf(selfClosing, '<p:cNvPr id="2"'), decorative: true, descr: '' }]);
    expect(opened).toBe(
      replacedOnce(
        selfClosing,
        '<p:cNvPr id="2" name="Picture 1" descr="Test figure 1a2b"/>',
        `<p:cNvPr id="2" name="Picture 1" descr=""><a:extLst><a:ext uri="${GUID}">${FLAG}</a:ext></a:extLst></p:cNvPr>`,
      ),
    );
    expect(pictures(opened)[0]).toMatchObject({ decorative: true, descr: '' });

    const withList = slideXml(pictureXml({ id: 2, attributes: ' descr="Logo"', cNvPrChildren: `<a:extLst>${CREATION_ID}</a:extLst>` }));
    const listed = applyAltTextEdits(withList, [{ span: spanOf(withList, '<p:cNvPr id="2"'), decorative: true, descr: '' }]);
    expect(listed).toBe(
      replacedOnce(
        replacedOnce(withList, 'descr="Logo"', 'descr=""'),
        `${CREATION_ID}</a:extLst>`,
        `${CREATION_ID}<a:ext uri="${GUID}">${FLAG}</a:ext></a:extLst>`,
      ),
    );

    // No description to empty: none is added.
    const bare = slideXml(pictureXml({ id: 2 }));
    expect(applyAltTextEdits(bare, [{ span: spanOf(bare, '<p:cNvPr id="2"'), decorative: true, descr: '' }])).toBe(
      applyAltTextEdits(bare, [{ span: spanOf(bare, '<p:cNvPr id="2"'), decorative: true }]),
    );
  });

  it('adds the extension to an existing a:extLst, after what is there', () => {
    const xml = slideXml(pictureXml({ id: 2, attributes: ' descr="Logo"', cNvPrChildren: `<a:extLst>${CREATION_ID}</a:extLst>` }));
    const edited = applyAltTextEdits(xml, [{ span: spanOf(xml, '<p:cNvPr id="2"'), decorative: true }]);
    expect(edited).toBe(replacedOnce(xml, `${CREATION_ID}</a:extLst>`, `${CREATION_ID}<a:ext uri="${GUID}">${FLAG}</a:ext></a:extLst>`));
    expect(pictures(edited)[0]).toMatchObject({ decorative: true, descr: 'Logo' });
  });

  it('fills a self-closing a:extLst', () => {
    const xml = slideXml(pictureXml({ id: 2, cNvPrChildren: '<a:extLst />' }));
    const edited = applyAltTextEdits(xml, [{ span: spanOf(xml, '<p:cNvPr id="2"'), decorative: true }]);
    expect(edited).toBe(replacedOnce(xml, '<a:extLst />', `<a:extLst ><a:ext uri="${GUID}">${FLAG}</a:ext></a:extLst>`));
  });

  it('adds a:extLst as the last child of a p:cNvPr that has other children', () => {
    const hyperlink = '<a:hlinkClick r:id="" action="ppaction://hlinkshowjump?jump=nextslide"/>';
    const xml = slideXml(pictureXml({ id: 2, cNvPrChildren: `\n  ${hyperlink}\n` }));
    const edited = applyAltTextEdits(xml, [{ span: spanOf(xml, '<p:cNvPr id="2"'), decorative: true }]);
    expect(edited).toBe(
      replacedOnce(xml, `${hyperlink}\n</p:cNvPr>`, `${hyperlink}\n<a:extLst><a:ext uri="${GUID}">${FLAG}</a:ext></a:extLst></p:cNvPr>`),
    );
  });

  it('switches val="0" to val="1" and leaves val="1" alone', () => {
    const ext = (val: string) => `<a:extLst><a:ext uri="${GUID}"><adec:decorative xmlns:adec="${ADEC}" val="${val}"/></a:ext></a:extLst>`;
    const xml = slideXml(pictureXml({ id: 2, cNvPrChildren: ext('0') }) + pictureXml({ id: 3, cNvPrChildren: ext('1') }));
    const edited = applyAltTextEdits(xml, [
      { span: spanOf(xml, '<p:cNvPr id="2"'), decorative: true },
      { span: spanOf(xml, '<p:cNvPr id="3"'), decorative: true },
    ]);
    expect(edited).toBe(replacedOnce(xml, `xmlns:adec="${ADEC}" val="0"`, `xmlns:adec="${ADEC}" val="1"`));
    expect(pictures(edited).map((p) => p.decorative)).toEqual([true, true]);
  });

  it('completes a decorative ext that has no flag', () => {
    const xml = slideXml(pictureXml({ id: 2, cNvPrChildren: `<a:extLst><a:ext uri="${GUID}"/></a:extLst>` }));
    const edited = applyAltTextEdits(xml, [{ span: spanOf(xml, '<p:cNvPr id="2"'), decorative: true }]);
    expect(edited).toBe(replacedOnce(xml, `<a:ext uri="${GUID}"/>`, `<a:ext uri="${GUID}">${FLAG}</a:ext>`));
  });

  it('clears the flag with decorative: false and otherwise adds nothing', () => {
    const ext = `<a:extLst><a:ext uri="${GUID}"><adec:decorative xmlns:adec="${ADEC}" val="1"/></a:ext></a:extLst>`;
    const xml = slideXml(pictureXml({ id: 2, cNvPrChildren: ext }) + pictureXml({ id: 3 }));
    const edited = applyAltTextEdits(xml, [
      { span: spanOf(xml, '<p:cNvPr id="2"'), decorative: false, descr: 'Now described' },
      { span: spanOf(xml, '<p:cNvPr id="3"'), decorative: false },
    ]);
    expect(edited).toBe(
      replacedOnce(
        replacedOnce(xml, '<p:cNvPr id="2" name="Picture 1">', '<p:cNvPr id="2" name="Picture 1" descr="Now described">'),
        `xmlns:adec="${ADEC}" val="1"`,
        `xmlns:adec="${ADEC}" val="0"`,
      ),
    );
    expect(pictures(edited).map((p) => [p.decorative, p.descr])).toEqual([
      [false, 'Now described'],
      [false, null],
    ]);
  });

  it('uses the prefix the document binds to DrawingML, whatever it is', () => {
    const xml =
      '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:dml="http://schemas.openxmlformats.org/drawingml/2006/main"' +
      ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:cSld><p:spTree>' +
      '<p:pic><p:nvPicPr><p:cNvPr id="2" name="P"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill><dml:blip r:embed="rId2"/></p:blipFill><p:spPr/></p:pic>' +
      '</p:spTree></p:cSld></p:sld>';
    const edited = applyAltTextEdits(xml, [{ span: spanOf(xml, '<p:cNvPr id="2"'), decorative: true }]);
    expect(edited).toBe(
      replacedOnce(
        xml,
        '<p:cNvPr id="2" name="P"/>',
        `<p:cNvPr id="2" name="P"><dml:extLst><dml:ext uri="${GUID}">${FLAG}</dml:ext></dml:extLst></p:cNvPr>`,
      ),
    );
    expect(pictures(edited)[0]?.decorative).toBe(true);
  });

  it('uses the Strict DrawingML namespace in Strict parts', () => {
    const xml = slideXml(pictureXml({ id: 2 }), { strict: true });
    const edited = applyAltTextEdits(xml, [{ span: spanOf(xml, '<p:cNvPr id="2"'), decorative: true }]);
    expect(edited).toBe(
      replacedOnce(xml, '<p:cNvPr id="2" name="Picture 1"/>', `<p:cNvPr id="2" name="Picture 1"><a:extLst><a:ext uri="${GUID}">${FLAG}</a:ext></a:extLst></p:cNvPr>`),
    );
    const strictRels = parseRelationships(relsXml([{ id: 'rId2', target: '../media/image1.png' }]), SLIDE);
    expect(findPictures(edited, strictRels, { part: SLIDE, slideNumber: 1 })[0]?.decorative).toBe(true);
  });

  it('declares DrawingML on the new extLst when no prefix is bound to it in scope', () => {
    const pic =
      '<p:pic><p:nvPicPr><p:cNvPr id="2" name="P"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>' +
      '<p:blipFill><x:blip xmlns:x="http://purl.oclc.org/ooxml/drawingml/main" r:embed="rId2"/></p:blipFill><p:spPr/></p:pic>';
    const xml =
      '<p:sld xmlns:p="http://purl.oclc.org/ooxml/presentationml/main" xmlns:a="urn:something-else"' +
      ` xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships"><p:cSld><p:spTree>${pic}</p:spTree></p:cSld></p:sld>`;
    const edited = applyAltTextEdits(xml, [{ span: spanOf(xml, '<p:cNvPr id="2"'), decorative: true }]);
    expect(edited).toBe(
      replacedOnce(
        xml,
        '<p:cNvPr id="2" name="P"/>',
        `<p:cNvPr id="2" name="P"><a:extLst xmlns:a="http://purl.oclc.org/ooxml/drawingml/main"><a:ext uri="${GUID}">${FLAG}</a:ext></a:extLst></p:cNvPr>`,
      ),
    );
    expect(pictures(edited)[0]?.decorative).toBe(true);
  });
});

describe('applyAltTextEdits: what stays the same', () => {
  it('changes a pptxgenjs deck only inside the edited tags, whatever order the edits come in', async () => {
    const parts = await pptxgenjsParts((pptx) => {
      const slide = pptx.addSlide();
      slide.addText('Größe des Herzens – 心臓', { x: 1, y: 2, w: 4, h: 1 });
      slide.addImage({ data: PNG_DATA, x: 1, y: 1, w: 1, h: 1, altText: 'Human text' });
      slide.addImage({ data: PNG_DATA, x: 2, y: 1, w: 1, h: 1 });
      slide.addImage({ data: SVG_DATA, x: 3, y: 1, w: 1, h: 1 });
    });
    const xml = part(parts, SLIDE);
    const slideRels = parseRelationships(part(parts, 'ppt/slides/_rels/slide1.xml.rels'), SLIDE);
    const [, weak, svg] = findPictures(xml, slideRels, { part: SLIDE, slideNumber: 1 }) as [PictureRef, PictureRef, PictureRef];
    const edits: AltTextEdit[] = [
      { span: svg.cNvPr, decorative: true },
      { span: weak.cNvPr, descr: 'Chest X-ray, frontal view' },
    ];
    const edited = applyAltTextEdits(xml, edits);

    const expected = replacedOnce(
      replacedOnce(xml, 'name="Image 1" descr="preencoded.png"', 'name="Image 1" descr="Chest X-ray, frontal view"'),
      '<p:cNvPr id="5" name="Image 2" descr="preencoded.png">    </p:cNvPr>',
      `<p:cNvPr id="5" name="Image 2" descr="preencoded.png">    <a:extLst><a:ext uri="${GUID}">${FLAG}</a:ext></a:extLst></p:cNvPr>`,
    );
    expect(edited).toBe(expected);
    expect(applyAltTextEdits(xml, [...edits].reverse())).toBe(expected);

    // In bytes too: the caller decodes UTF-8, edits the string, encodes again.
    const before = Buffer.from(xml, 'utf8');
    const after = Buffer.from(edited, 'utf8');
    const firstByte = Buffer.byteLength(xml.slice(0, weak.cNvPr.start));
    expect(after.subarray(0, firstByte).equals(before.subarray(0, firstByte))).toBe(true);
    const tail = Buffer.byteLength(xml.slice(xml.indexOf('</p:cNvPr>', svg.cNvPr.end)));
    expect(after.subarray(after.length - tail).equals(before.subarray(before.length - tail))).toBe(true);

    const reread = findPictures(edited, slideRels, { part: SLIDE, slideNumber: 1 });
    expect(reread.map((p) => [p.descr, p.decorative])).toEqual([
      ['Human text', false],
      ['Chest X-ray, frontal view', false],
      ['preencoded.png', true],
    ]);
  });

  it('keeps a byte order mark and returns the very string when there is nothing to do', () => {
    const xml = `\uFEFF${slideXml(pictureXml({ id: 2 }))}`;
    const span = pictures(xml)[0]?.cNvPr ?? { start: 0, end: 0 };
    expect(applyAltTextEdits(xml, [])).toBe(xml);
    expect(applyAltTextEdits(xml, [{ span }])).toBe(xml);
    const edited = applyAltTextEdits(xml, [{ span, descr: 'x' }]);
    expect(edited).toBe(replacedOnce(xml, 'name="Picture 1"/>', 'name="Picture 1" descr="x"/>'));
    expect(edited.charCodeAt(0)).toBe(0xfeff);
  });
});

describe('applyAltTextEdits: refusals', () => {
  const xml = slideXml(pictureXml({ id: 2 }) + pictureXml({ id: 3 }));
  const first = spanOf(xml, '<p:cNvPr id="2"');
  const second = spanOf(xml, '<p:cNvPr id="3"');

  it('refuses spans that are not exactly a cNvPr start tag', () => {
    expect(() => applyAltTextEdits(xml, [{ span: { start: first.start + 1, end: first.end }, descr: 'x' }])).toThrow(AltTextEditError);
    expect(() => applyAltTextEdits(xml, [{ span: { start: first.start, end: first.end - 1 }, descr: 'x' }])).toThrow(
      /not the start tag of a cNvPr/,
    );
    const picStart = xml.indexOf('<p:pic>');
    expect(() => applyAltTextEdits(xml, [{ span: { start: picStart, end: picStart + 7 }, descr: 'x' }])).toThrow(AltTextEditError);
    expect(() => applyAltTextEdits(xml, [{ span: { start: -5, end: 3 }, descr: 'x' }])).toThrow(AltTextEditError);
  });

  it('refuses overlapping and repeated spans', () => {
    expect(() => applyAltTextEdits(xml, [{ span: first, descr: 'a' }, { span: first, descr: 'b' }])).toThrow(/overlap/);
    expect(() =>
      applyAltTextEdits(xml, [{ span: second, descr: 'a' }, { span: { start: first.start, end: second.start + 1 }, descr: 'b' }]),
    ).toThrow(/overlap/);
  });

  it('refuses a description for a picture it marks decorative', () => {
    expect(() => applyAltTextEdits(xml, [{ span: first, descr: 'x', decorative: true }])).toThrow(/decorative picture gets no description/);
  });

  it('refuses XML that is not well-formed', () => {
    expect(() => applyAltTextEdits(`${xml}<`, [{ span: first, descr: 'x' }])).toThrow(XmlParseError);
  });
});

describe('escapeAttributeValue', () => {
  it('escapes markup, the quote in use and whitespace controls', () => {
    expect(escapeAttributeValue(`a&b<c>d"e'f\tg`)).toBe('a&amp;b&lt;c&gt;d&quot;e\'f&#x9;g');
    expect(escapeAttributeValue(`'"`, "'")).toBe('&apos;&quot;');
    expect(escapeAttributeValue('\u0000\u0008\u000B\u000C\u001F\uFFFE\uFFFF\uDC00ok')).toBe('ok');
  });
});
