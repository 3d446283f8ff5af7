import { describe, expect, it } from 'vitest';
import { lookupNamespace, namespacesInScope, parseXml, XmlParseError } from './xml-tree';

/** The element tree's own promises; the readers built on it are tested with real decks elsewhere. */
describe('parseXml', () => {
  const xml = '<p:sld xmlns:p="urn:p" xmlns:r="urn:r"><p:pic r:embed="rId2" descr="a &amp; b" xmlns:x="urn:x"><x:t/></p:pic><p:sp name="n"/></p:sld>';

  it('keeps each attribute with exactly its name, prefix, local name, namespace and decoded value, without the declarations', () => {
    const root = parseXml(xml);
    const pic = root.children[0];
    expect(pic?.attributes).toEqual([
      { name: 'r:embed', prefix: 'r', local: 'embed', uri: 'urn:r', value: 'rId2' },
      { name: 'descr', prefix: '', local: 'descr', uri: '', value: 'a & b' },
    ]);
    expect(root.attributes).toEqual([]);
  });

  it('keeps the declarations made on each element, and none on those that make none', () => {
    const root = parseXml(xml);
    const [pic, sp] = root.children;
    expect([...root.declarations]).toEqual([
      ['p', 'urn:p'],
      ['r', 'urn:r'],
    ]);
    expect([...(pic?.declarations ?? [])]).toEqual([['x', 'urn:x']]);
    expect(sp?.declarations.size).toBe(0);
    const t = pic?.children[0];
    if (!t) throw new Error('no x:t');
    expect(lookupNamespace(t, 'r')).toBe('urn:r');
    expect(namespacesInScope(t)).toEqual(new Map([['x', 'urn:x'], ['p', 'urn:p'], ['r', 'urn:r']]));
  });

  it('gives each element the offsets of its tags', () => {
    const root = parseXml(xml);
    const pic = root.children[0];
    if (!pic) throw new Error('no p:pic');
    expect(xml.slice(pic.start, pic.startTagEnd)).toBe('<p:pic r:embed="rId2" descr="a &amp; b" xmlns:x="urn:x">');
    expect(xml.slice(pic.endTagStart, pic.end)).toBe('</p:pic>');
  });

  it('refuses a prefix bound to no namespace and a DOCTYPE', () => {
    expect(() => parseXml('<a r:id="1"/>', 'part.xml')).toThrow(XmlParseError);
    expect(() => parseXml('<!DOCTYPE a><a/>', 'part.xml')).toThrow(/part\.xml has a DOCTYPE/);
  });
});
