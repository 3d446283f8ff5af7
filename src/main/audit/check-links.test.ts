import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pptxgenjsDeck, writeDeck } from '../fixtures/graphic-decks';
import { auditEntries, auditFile, findingsOf, handDeckEntries, paragraph, REL, run, shape, slide } from './testing/audit-decks';

/** Hyperlinks whose text is a web address or "click here". */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'altgen-links-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const link = (text: string, id = 'rId3') => run(text, 'lang="en-US"', `<a:hlinkClick r:id="${id}"/>`);

describe('the hyperlink check', () => {
  it('finds link text that is a web address or says "click here", across runs, and passes descriptive text', async () => {
    const body = shape({
      id: 2,
      name: 'References',
      box: { x: 838_200, y: 1_825_625, cx: 8_000_000, cy: 3_000_000 },
      paragraphs: [
        paragraph(run('Guidelines: '), link('https://www.escardio.org/Guidelines')),
        paragraph(run('For the quiz, '), link('click'), link(' here'), run('.')),
        paragraph(link('ESC heart failure guidelines 2023')),
        paragraph(link('escardio.org/guidelines', 'rId4')),
      ],
    });
    const audit = await auditEntries(
      dir,
      handDeckEntries([
        {
          xml: slide(body),
          rels: [
            { id: 'rId3', type: `${REL}/hyperlink`, target: 'https://www.escardio.org/Guidelines', external: true },
            { id: 'rId4', type: `${REL}/hyperlink`, target: 'https://escardio.org/guidelines', external: true },
          ],
        },
      ]),
    );
    expect(findingsOf(audit, 'unclear-link')).toEqual([
      [1, 'References', "The link text 'https://www.escardio.org/Guidelines' is a web address, which a screen reader spells out."],
      [1, 'References', "The link text 'click here' does not say where the link leads."],
      [1, 'References', "The link text 'escardio.org/guidelines' is a web address, which a screen reader spells out."],
    ]);
  });

  it('finds the bare address pptxgenjs links, and passes a named link', async () => {
    const file = path.join(dir, 'pptxgenjs.pptx');
    await writeDeck(
      file,
      await pptxgenjsDeck((pptx) => {
        const one = pptx.addSlide();
        one.addText([{ text: 'https://pubmed.ncbi.nlm.nih.gov/', options: { hyperlink: { url: 'https://pubmed.ncbi.nlm.nih.gov/' } } }], { x: 0.5, y: 0.5, w: 8, h: 1 });
        one.addText([{ text: 'PubMed search', options: { hyperlink: { url: 'https://pubmed.ncbi.nlm.nih.gov/' } } }], { x: 0.5, y: 2, w: 8, h: 1 });
      }),
    );
    expect(findingsOf(await auditFile(file), 'unclear-link')).toEqual([[1, 'Text 0', "The link text 'https://pubmed.ncbi.nlm.nih.gov/' is a web address, which a screen reader spells out."]]);
  });
});
