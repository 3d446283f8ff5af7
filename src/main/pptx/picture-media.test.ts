import { describe, expect, it } from 'vitest';
import type { PictureRef } from './pptx-types';
import { parseRelationships } from './relationships';
import { findPictures } from './slide-pictures';
import { pictureXml, relsXml, slideXml } from './slide-test-xml';

const SLIDE = 'ppt/slides/slide1.xml';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const P14 = 'xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main"';
const rels = parseRelationships(
  relsXml([
    { id: 'rId2', target: '../media/image1.png' },
    { id: 'rId3', type: `${REL}/audio`, target: '../media/audio1.wav' },
    { id: 'rId4', type: 'http://schemas.microsoft.com/office/2007/relationships/media', target: '../media/media1.mp4' },
    { id: 'rId5', type: `${REL}/video`, target: 'https://example.org/heart-echo.mp4', external: true },
    { id: 'rId6', type: `${REL}/tags`, target: '../tags/tag1.xml' },
  ]),
  SLIDE,
);

function only(nvPr: string, options: { strict?: boolean; namespaces?: string } = {}): PictureRef {
  const found = findPictures(slideXml(pictureXml({ id: 4, nvPr }), options), rels, { part: SLIDE, slideNumber: 1 });
  expect(found).toHaveLength(1);
  return found[0] as PictureRef;
}

describe('findPictures › media', () => {
  it.each([
    ['a WAV sound, as PowerPoint 2007 embeds it', '<a:wavAudioFile r:embed="rId3" name="J0214098.WAV"/>'],
    ['a linked sound with its embedded copy', `<a:audioFile r:link="rId3"/><p:extLst><p:ext uri="{DAA4B4D4-6D71-4841-9C94-3DE7FCFB9230}"><p14:media ${P14} r:embed="rId4"/></p:ext></p:extLst>`],
    ['a video linked from the web', '<a:videoFile r:link="rId5"/>'],
    ['only the PowerPoint 2010 media extension', `<p:extLst><p:ext uri="{DAA4B4D4-6D71-4841-9C94-3DE7FCFB9230}"><p14:media ${P14} r:embed="rId4"/></p:ext></p:extLst>`],
    ['only a relationship of a media type', '<p:custDataLst><p:tags r:id="rId4"/></p:custDataLst>'],
  ])('marks the picture of %s as media', (_case, nvPr) => {
    expect(only(nvPr).media).toBe(true);
  });

  it('marks a video in an ISO-Strict deck as media', () => {
    expect(only('<a:videoFile r:link="rId5"/>', { strict: true }).media).toBe(true);
  });

  it('does not mark an ordinary picture, a placeholder or a picture with tags as media', () => {
    expect(only('').media).toBe(false);
    expect(only('<p:ph type="pic" idx="1"/>').media).toBe(false);
    expect(only('<p:custDataLst><p:tags r:id="rId6"/></p:custDataLst>').media).toBe(false);
  });
});
