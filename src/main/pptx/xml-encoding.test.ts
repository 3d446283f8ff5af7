import { describe, expect, it } from 'vitest';
import { parseRelationships } from './relationships';
import { findPictures } from './slide-pictures';
import { pictureXml, relsXml, slideXml } from './slide-test-xml';
import { applyAltTextEdits } from './xml-attribute-editor';
import { decodeXmlPart, detectXmlEncoding, encodeXmlPart } from './xml-encoding';
import { XmlParseError } from './xml-tree';

const SLIDE = 'ppt/slides/slide1.xml';
const rels = parseRelationships(relsXml([{ id: 'rId2', target: '../media/image1.png' }]), SLIDE);
const xml = slideXml(pictureXml({ id: 2, attributes: ' descr="Größe"' }));

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

describe('decodeXmlPart / encodeXmlPart', () => {
  it.each([
    ['UTF-8', Buffer.from(xml, 'utf8'), 'utf-8'],
    ['UTF-8 with BOM', Buffer.from(`\uFEFF${xml}`, 'utf8'), 'utf-8'],
    ['UTF-16LE with BOM', Buffer.from(`\uFEFF${xml.replace('UTF-8', 'UTF-16')}`, 'utf16le'), 'utf-16le'],
    ['UTF-16LE without BOM', Buffer.from(xml.replace('UTF-8', 'UTF-16'), 'utf16le'), 'utf-16le'],
    ['UTF-16BE with BOM', utf16be(`\uFEFF${xml.replace('UTF-8', 'UTF-16')}`), 'utf-16be'],
  ] as const)('gives back the same bytes for %s', (_, bytes, encoding) => {
    expect(detectXmlEncoding(bytes)).toBe(encoding);
    const decoded = decodeXmlPart(bytes);
    expect(decoded.encoding).toBe(encoding);
    expect(encodeXmlPart(decoded.text, decoded.encoding).equals(bytes)).toBe(true);
    expect(findPictures(decoded.text, rels, { part: SLIDE, slideNumber: 1 })[0]?.descr).toBe('Größe');
  });

  it('refuses bytes that are not valid in their encoding', () => {
    expect(() => decodeXmlPart(Buffer.from([0x3c, 0x61, 0xff, 0x2f, 0x3e]), SLIDE)).toThrow(XmlParseError);
    expect(() => decodeXmlPart(Buffer.from([0xff, 0xfe, 0x3c]), SLIDE)).toThrow(/not valid UTF-16LE/);
  });

  it('edits a UTF-16 part and changes only the bytes of the edited tag', () => {
    const bytes = Buffer.from(`\uFEFF${xml.replace('UTF-8', 'UTF-16')}`, 'utf16le');
    const { text, encoding } = decodeXmlPart(bytes);
    const picture = findPictures(text, rels, { part: SLIDE, slideNumber: 1 })[0];
    if (!picture) throw new Error('no picture');
    const edited = encodeXmlPart(applyAltTextEdits(text, [{ span: picture.cNvPr, descr: 'Größenvergleich' }]), encoding);
    const head = picture.cNvPr.start * 2;
    const tail = bytes.length - picture.cNvPr.end * 2;
    expect(edited.subarray(0, head).equals(bytes.subarray(0, head))).toBe(true);
    expect(edited.subarray(edited.length - tail).equals(bytes.subarray(bytes.length - tail))).toBe(true);
    expect(edited.subarray(head, edited.length - tail).toString('utf16le')).toBe(
      '<p:cNvPr id="2" name="Picture 1" descr="Größenvergleich"/>',
    );
  });
});
