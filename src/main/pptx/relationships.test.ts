import { describe, expect, it } from 'vitest';
import { hasRelationshipType, parseRelationships, relatedPart, relsPartFor, resolvePartName } from './relationships';
import { relsXml } from './slide-test-xml';
import { XmlParseError } from './xml-tree';

describe('relsPartFor', () => {
  it('names the relationships part of a part', () => {
    expect(relsPartFor('ppt/slides/slide1.xml')).toBe('ppt/slides/_rels/slide1.xml.rels');
    expect(relsPartFor('/ppt/presentation.xml')).toBe('ppt/_rels/presentation.xml.rels');
    expect(relsPartFor('')).toBe('_rels/.rels');
  });
});

describe('resolvePartName', () => {
  it('resolves relative targets against the source part folder', () => {
    expect(resolvePartName('ppt/slides/slide1.xml', '../media/image1.png')).toBe('ppt/media/image1.png');
    expect(resolvePartName('ppt/presentation.xml', 'slides/slide1.xml')).toBe('ppt/slides/slide1.xml');
    expect(resolvePartName('ppt/slides/slide1.xml', './../media/./x.png')).toBe('ppt/media/x.png');
    expect(resolvePartName('', 'ppt/presentation.xml')).toBe('ppt/presentation.xml');
  });

  it('takes absolute package paths from the root', () => {
    expect(resolvePartName('ppt/slides/slide1.xml', '/ppt/media/x.png')).toBe('ppt/media/x.png');
  });

  it('stops at the package root, reads backslashes as slashes and drops a fragment', () => {
    expect(resolvePartName('ppt/slides/slide1.xml', '../../../media/x.png')).toBe('media/x.png');
    expect(resolvePartName('ppt/slides/slide1.xml', '..\\media\\x.png')).toBe('ppt/media/x.png');
    expect(resolvePartName('ppt/slides/slide1.xml', 'slide2.xml#frag')).toBe('ppt/slides/slide2.xml');
  });

  it('keeps the spelling of the target (no percent-decoding)', () => {
    expect(resolvePartName('ppt/slides/slide1.xml', '../media/image%201.png')).toBe('ppt/media/image%201.png');
  });
});

describe('parseRelationships', () => {
  const xml = relsXml([
    { id: 'rId1', target: '../media/image1.png' },
    { id: 'rId2', target: '/ppt/media/image2.jpeg' },
    { id: 'rId3', target: 'file:///C:/Pictures/heart.png', external: true },
    { id: 'rId4', type: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide', target: '../notesSlides/notesSlide1.xml' },
    { id: 'rId1', target: '../media/duplicate.png' },
  ]);

  it('resolves internal targets to part names and keeps external ones as written', () => {
    const rels = parseRelationships(xml, 'ppt/slides/slide1.xml');
    expect([...rels.keys()]).toEqual(['rId1', 'rId2', 'rId3', 'rId4']);
    expect(rels.get('rId1')).toEqual({
      id: 'rId1',
      type: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image',
      target: 'ppt/media/image1.png',
      external: false,
    });
    expect(rels.get('rId2')?.target).toBe('ppt/media/image2.jpeg');
    expect(rels.get('rId3')).toMatchObject({ target: 'file:///C:/Pictures/heart.png', external: true });
  });

  it('finds related parts by type, transitional or Strict', () => {
    const rels = parseRelationships(xml, 'ppt/slides/slide1.xml');
    expect(relatedPart(rels, 'notesSlide')).toBe('ppt/notesSlides/notesSlide1.xml');
    expect(relatedPart(rels, 'slideLayout')).toBeNull();
    const strict = { id: 'x', type: 'http://purl.oclc.org/ooxml/officeDocument/relationships/slide', target: 'a', external: false };
    expect(hasRelationshipType(strict, 'slide')).toBe(true);
    expect(hasRelationshipType(strict, 'slideLayout')).toBe(false);
  });

  it('reads an empty relationships part and refuses a broken one', () => {
    expect(parseRelationships('<Relationships/>', 'ppt/slides/slide1.xml').size).toBe(0);
    expect(() => parseRelationships('<Relationships><Relationship', 'ppt/slides/slide1.xml')).toThrow(XmlParseError);
    expect(() => parseRelationships('<Relationships><Relationship', 'ppt/slides/slide1.xml')).toThrow(
      /ppt\/slides\/_rels\/slide1\.xml\.rels is not well-formed/,
    );
  });
});
