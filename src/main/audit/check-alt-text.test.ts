import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildDeck } from '../fixtures/deck-builder';
import { pptxgenjsDeck, writeDeck } from '../fixtures/graphic-decks';
import { PNG_DATA } from '../pptx/slide-test-xml';
import { auditEntries, auditFile, findingsOf, handDeckEntries, picture, shape, slide } from './testing/audit-decks';

/** Objects without alt text: pictures, picture fills, charts, SmartArt, media, groups; decorative ones pass. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'altgen-alt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the alt text check', () => {
  it('finds pictures without alt text or with weak alt text, in groups too, and passes described and decorative ones', async () => {
    const file = path.join(dir, 'pictures.pptx');
    await buildDeck(file, {
      slides: [
        {
          title: 'Heart',
          pictures: [
            { name: 'Picture 2' },
            { name: 'Scan', descr: 'IMG_2041.jpg' },
            { name: 'Echo', descr: 'Four-chamber view of the heart in diastole' },
            { name: 'Logo', decorative: true },
            { name: 'Grouped', inGroup: true },
            { name: 'Video', media: 'video', descr: 'Echocardiogram loop of the left ventricle' },
            { name: 'Filled', shape: 'filled-shape' },
          ],
        },
      ],
    });
    const audit = await auditFile(file);
    expect(audit.findings.filter((f) => f.check === 'missing-alt-text').map((f) => [f.slide, f.shape_name, f.message, f.fix, f.severity])).toEqual([
      [1, 'Picture 2', "The picture 'Picture 2' has no alt text.", 'alt-text', 'error'],
      [1, 'Scan', "The picture 'Scan' has alt text that is only a file name or web address ('IMG_2041.jpg').", 'alt-text', 'error'],
      [1, 'Filled', "The shape filled with a picture 'Filled' has no alt text.", 'alt-text', 'error'],
      [1, 'Group 2', "The group 'Group 2' has no alt text.", null, 'error'],
      [1, 'Grouped', "The picture 'Grouped' has no alt text.", 'alt-text', 'error'],
    ]);
  });

  it('judges weak alt text by alt_text.min_meaningful_alt_chars and weak_patterns', async () => {
    const shapes = picture(2, 'Short', { x: 0, y: 0, cx: 100, cy: 100 }, ' descr="Heart"') + picture(3, 'Pattern', { x: 0, y: 200, cx: 100, cy: 100 }, ' descr="Slide 4 figure"');
    const audit = await auditEntries(dir, handDeckEntries([{ xml: slide(shapes) }]), { altText: { min_meaningful_alt_chars: 3, weak_patterns: ['^slide \\d+ figure$'] } });
    expect(findingsOf(audit, 'missing-alt-text')).toEqual([[1, 'Pattern', "The picture 'Pattern' has alt text that matches one of alt_text.weak_patterns ('Slide 4 figure')."]]);
  });

  it('finds charts, SmartArt, embedded objects and videos without alt text, and leaves tables, hidden shapes and text boxes out', async () => {
    const frame = (id: number, name: string, uri: string, inner = '') =>
      `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="${id}" name="${name}"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>` +
      `<p:xfrm><a:off x="0" y="${id * 100000}"/><a:ext cx="100000" cy="100000"/></p:xfrm><a:graphic><a:graphicData uri="${uri}">${inner}</a:graphicData></a:graphic></p:graphicFrame>`;
    const shapes =
      frame(2, 'Chart 1', 'http://schemas.openxmlformats.org/drawingml/2006/chart', '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId9"/>') +
      frame(3, 'Diagram 2', 'http://schemas.openxmlformats.org/drawingml/2006/diagram') +
      frame(4, 'Object 3', 'http://schemas.openxmlformats.org/presentationml/2006/ole') +
      frame(5, 'Table 4', 'http://schemas.openxmlformats.org/drawingml/2006/table', '<a:tbl><a:tblGrid/></a:tbl>') +
      picture(6, 'Hidden picture', { x: 0, y: 0, cx: 100, cy: 100 }, ' hidden="1"') +
      shape({ id: 7, name: 'TextBox 6', box: { x: 0, y: 0, cx: 100, cy: 100 }, paragraphs: [] });
    expect(findingsOf(await auditEntries(dir, handDeckEntries([{ xml: slide(shapes) }])), 'missing-alt-text')).toEqual([
      [1, 'Chart 1', "The chart 'Chart 1' has no alt text."],
      [1, 'Diagram 2', "The SmartArt graphic 'Diagram 2' has no alt text."],
      [1, 'Object 3', "The embedded object 'Object 3' has no alt text."],
    ]);
  });

  it('finds the picture pptxgenjs adds with its file name as alt text, and passes the one given altText', async () => {
    const file = path.join(dir, 'pptxgenjs.pptx');
    await writeDeck(
      file,
      await pptxgenjsDeck((pptx) => {
        const one = pptx.addSlide();
        one.addImage({ data: PNG_DATA, x: 1, y: 1, w: 2, h: 2 });
        one.addImage({ data: PNG_DATA, x: 4, y: 1, w: 2, h: 2, altText: 'Kidney cross-section with cortex and medulla' });
      }),
    );
    expect(findingsOf(await auditFile(file), 'missing-alt-text')).toEqual([[1, 'Image 0', "The picture 'Image 0' has alt text that is only a file name or web address ('preencoded.png')."]]);
  });
});
