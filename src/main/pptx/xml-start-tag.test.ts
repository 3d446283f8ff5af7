import { describe, expect, it } from 'vitest';
import { parseStartTag, setAttribute } from './xml-start-tag';

describe('parseStartTag', () => {
  it('reads names, values, quotes and self-closing, whatever the spacing', () => {
    const tag = `<p:cNvPr id = "2"\n\tname='a>b/c' descr="x &amp; 'y'" />`;
    const parsed = parseStartTag(tag);
    expect(parsed.name).toBe('p:cNvPr');
    expect(parsed.selfClosing).toBe(true);
    expect(parsed.attributes.map((a) => [a.name, a.quote, tag.slice(a.valueStart, a.valueEnd)])).toEqual([
      ['id', '"', '2'],
      ['name', "'", 'a>b/c'],
      ['descr', '"', "x &amp; 'y'"],
    ]);
    expect(parseStartTag('<p:cNvPr>').selfClosing).toBe(false);
  });

  it('refuses text that is not a start tag', () => {
    expect(() => parseStartTag('p:cNvPr id="2"/>')).toThrow(/Not a start tag/);
    expect(() => parseStartTag('<p:cNvPr id=2/>')).toThrow(/Unquoted/);
  });
});

describe('setAttribute', () => {
  it('replaces a value in place and leaves the rest of the tag alone', () => {
    expect(setAttribute(`<a:x  b = 'old'\n c="1"/>`, 'b', `it's`)).toBe(`<a:x  b = 'it&apos;s'\n c="1"/>`);
  });

  it('adds a missing attribute after the anchor, or after the last one, or after the name', () => {
    expect(setAttribute(`<x id="1" name='n' title="t">`, 'descr', 'd', { after: 'name' })).toBe(`<x id="1" name='n' descr='d' title="t">`);
    expect(setAttribute('<x id="1" title="t">', 'descr', 'd', { after: 'name' })).toBe('<x id="1" title="t" descr="d">');
    expect(setAttribute('<x/>', 'val', '1')).toBe('<x val="1"/>');
  });
});
