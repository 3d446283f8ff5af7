import { describe, expect, it } from 'vitest';
import { part, pptxgenjsParts, slideXml } from './slide-test-xml';
import { MAX_CONTEXT_CHARS, slideInfo } from './slide-text';

const SLIDE = 'ppt/slides/slide1.xml';

function shape(id: number, placeholder: string | null, paragraphs: string): string {
  const ph = placeholder === null ? '' : placeholder;
  return (
    `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="Shape ${id}"/><p:cNvSpPr/><p:nvPr>${ph}</p:nvPr></p:nvSpPr><p:spPr/>` +
    `<p:txBody><a:bodyPr/><a:lstStyle/>${paragraphs}</p:txBody></p:sp>`
  );
}

const p = (...runs: string[]) => `<a:p>${runs.map((run) => `<a:r><a:rPr lang="en-US"/><a:t>${run}</a:t></a:r>`).join('')}</a:p>`;

describe('slideInfo', () => {
  it('reads title, text (tables too) and notes of a pptxgenjs deck, without slide numbers', async () => {
    const parts = await pptxgenjsParts((pptx) => {
      pptx.defineSlideMaster({
        title: 'MAIN',
        objects: [{ placeholder: { options: { name: 'title', type: 'title', x: 0.5, y: 0.2, w: 9, h: 1 }, text: '' } }],
        slideNumber: { x: 9, y: 5 },
      });
      const slide = pptx.addSlide({ masterName: 'MAIN' });
      slide.addText('Cardiac   cycle', { placeholder: 'title' });
      slide.addText([{ text: 'Systole', options: { breakLine: true } }, { text: 'Diastole', options: { bullet: true } }], { x: 1, y: 2, w: 4, h: 1 });
      slide.addTable([[{ text: 'Phase' }, { text: 'Duration' }], [{ text: 'Systole' }, { text: '0.3 s' }]], { x: 1, y: 3, w: 4 });
      slide.addNotes('Mention the   dicrotic notch.\nThen ask a question.');
    });
    const info = slideInfo(part(parts, SLIDE), {
      number: 1,
      part: SLIDE,
      notesXml: part(parts, 'ppt/notesSlides/notesSlide1.xml'),
      notesPart: 'ppt/notesSlides/notesSlide1.xml',
    });
    expect(info).toEqual({
      number: 1,
      part: SLIDE,
      title: 'Cardiac cycle',
      text: 'Systole\nDiastole\nPhase\nDuration\nSystole\n0.3 s',
      notes: 'Mention the dicrotic notch. Then ask a question.',
      notesPart: 'ppt/notesSlides/notesSlide1.xml',
    });
  });

  it('takes a centred title, joins its paragraphs, and reads groups, fields and line breaks', () => {
    const xml = slideXml(
      shape(2, '<p:ph type="ctrTitle"/>', p('Renal') + p('physiology')) +
        shape(3, '<p:ph type="subTitle" idx="1"/>', p('Lecture ', '3')) +
        `<p:grpSp><p:nvGrpSpPr><p:cNvPr id="4" name="Group"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${shape(
          5,
          null,
          '<a:p><a:r><a:t>Na</a:t></a:r><a:r><a:rPr baseline="30000"/><a:t>+</a:t></a:r><a:br/><a:r><a:t>K</a:t></a:r>' +
            '<a:fld id="{1}" type="datetime"><a:t>today</a:t></a:fld></a:p><a:p><a:endParaRPr/></a:p>',
        )}</p:grpSp>` +
        shape(6, '<p:ph type="dt" idx="10"/>', p('1/1/2024')) +
        shape(7, '<p:ph type="ftr" idx="11"/>', p('Course footer')) +
        shape(8, '<p:ph type="sldNum" idx="12"/>', p('7')),
    );
    expect(slideInfo(xml, { number: 7, part: SLIDE })).toEqual({
      number: 7,
      part: SLIDE,
      title: 'Renal physiology',
      text: 'Lecture 3\nNa+ Ktoday',
      notes: null,
      notesPart: null,
    });
  });

  it('reads only the AlternateContent branch that is shown, and Strict parts', () => {
    const alternate =
      '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"' +
      ' xmlns:a14="http://schemas.microsoft.com/office/drawing/2010/main">' +
      `<mc:Choice Requires="a14">${shape(3, null, p('Shown once'))}</mc:Choice>` +
      `<mc:Fallback>${shape(3, null, p('Shown once'))}</mc:Fallback></mc:AlternateContent>`;
    const xml = slideXml(shape(2, '<p:ph type="title"/>', p('Strict title')) + alternate, { strict: true });
    expect(slideInfo(xml, { number: 1, part: SLIDE })).toMatchObject({ title: 'Strict title', text: 'Shown once' });
  });

  it('has no title when the title placeholder is empty or missing', () => {
    const xml = slideXml(shape(2, '<p:ph type="title"/>', '<a:p><a:endParaRPr/></a:p>') + shape(3, null, p('Body')));
    expect(slideInfo(xml, { number: 1, part: SLIDE })).toMatchObject({ title: null, text: 'Body' });
    expect(slideInfo(slideXml(''), { number: 1, part: SLIDE })).toMatchObject({ title: null, text: '' });
  });

  it('reads the notes body only, and has no notes when it is empty', () => {
    const notes = (body: string) =>
      slideXml(
        shape(2, '<p:ph type="sldImg"/>', '') + shape(3, '<p:ph type="body" idx="1"/>', body) + shape(4, '<p:ph type="sldNum" idx="5"/>', p('12')),
      ).replace(/p:sld\b/g, 'p:notes');
    expect(slideInfo(slideXml(''), { number: 1, part: SLIDE, notesXml: notes(p('Point one') + p('Point  two')) }).notes).toBe(
      'Point one\nPoint two',
    );
    expect(slideInfo(slideXml(''), { number: 1, part: SLIDE, notesXml: notes('<a:p/>') }).notes).toBeNull();
  });

  it('bounds each text at a word boundary', () => {
    const long = Array.from({ length: 600 }, (_, i) => `word${i}`).join(' ');
    const info = slideInfo(slideXml(shape(2, '<p:ph type="title"/>', p(long)) + shape(3, null, p(long))), { number: 1, part: SLIDE });
    for (const text of [info.title ?? '', info.text]) {
      expect(text.length).toBeLessThanOrEqual(MAX_CONTEXT_CHARS);
      expect(text).toMatch(/ word\d+…$/);
      expect(long.startsWith(text.slice(0, -1))).toBe(true);
    }
  });
});
