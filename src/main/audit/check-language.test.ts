import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pptxgenjsDeck, writeDeck } from '../fixtures/graphic-decks';
import { auditEntries, auditFile, findingsOf, handDeckEntries, paragraph, run, shape, slide } from './testing/audit-decks';

/** The language text is marked with: missing, or not the language the text is written in. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'altgen-language-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BOX = { x: 838_200, y: 1_825_625, cx: 8_000_000, cy: 3_000_000 };
const GERMAN = 'Die Herzinsuffizienz ist eine Erkrankung, bei der das Herz nicht mehr genug Blut durch den Körper pumpen kann und die Organe nicht ausreichend versorgt werden.';
const ENGLISH = 'Heart failure is a condition in which the heart can no longer pump enough blood through the body, and the organs are not supplied with what they need.';

function textSlide(text: string, properties: string): string {
  return slide(shape({ id: 2, name: 'TextBox 1', box: BOX, paragraphs: [paragraph(run(text, properties))] }));
}

describe('the language check', () => {
  it('passes text marked with the language it is written in, and terse text it cannot judge', async () => {
    const audit = await auditEntries(dir, handDeckEntries([{ xml: textSlide(ENGLISH, 'lang="en-US"') }, { xml: textSlide(GERMAN, 'lang="de-DE"') }, { xml: textSlide('EKG, BNP, Echo', 'lang="fr-FR"') }]));
    expect([...findingsOf(audit, 'language-mismatch'), ...findingsOf(audit, 'language-not-set')]).toEqual([]);
  });

  it('finds German text marked as English, and Arabic text marked as English', async () => {
    const arabic = slide(shape({ id: 2, name: 'Quote', box: BOX, paragraphs: [paragraph(run(ENGLISH, 'lang="en-US"')), paragraph(run('قصور القلب الاحتقاني', 'lang="en-US"'))] }));
    const audit = await auditEntries(dir, handDeckEntries([{ xml: textSlide(GERMAN, 'lang="en-US"') }, { xml: arabic }]));
    expect(audit.findings.filter((f) => f.check === 'language-mismatch').map((f) => [f.slide, f.message, f.fix, f.suggestion?.value])).toEqual([
      [1, 'Text on slide 1 is written in German but marked as English (en-US), so a screen reader reads it with the wrong pronunciation.', 'language', 'de'],
      [2, 'Text on slide 2 is written in Arabic but marked as English (en-US), so a screen reader reads it with the wrong pronunciation.', 'language', 'ar'],
    ]);
  });

  it('finds text with no language anywhere along its inheritance, and passes text that inherits one', async () => {
    const unmarked = slide(shape({ id: 2, name: 'TextBox 1', box: BOX, paragraphs: [paragraph(run('Preload', 'sz="2400"'), run(' and afterload', 'lang="x-none" sz="2400"'))] }));
    const inherited = slide(shape({ id: 2, name: 'TextBox 1', box: BOX, listStyle: '<a:lvl1pPr><a:defRPr lang="en-GB"/></a:lvl1pPr>', paragraphs: [paragraph(run('Contractility', 'sz="2400"'))] }));
    const audit = await auditEntries(dir, handDeckEntries([{ xml: unmarked }, { xml: inherited }]));
    expect(audit.findings.filter((f) => f.check === 'language-not-set').map((f) => [f.slide, f.count, f.message, f.fix])).toEqual([
      [null, 2, '2 text runs have no language, so a screen reader reads them in whatever language it is set to.', 'language'],
    ]);
  });

  it('reads the language pptxgenjs marks its text with', async () => {
    const file = path.join(dir, 'pptxgenjs.pptx');
    await writeDeck(
      file,
      await pptxgenjsDeck((pptx) => {
        pptx.addSlide().addText(GERMAN, { x: 0.5, y: 0.5, w: 8, h: 3, lang: 'en-US' });
        pptx.addSlide().addText(GERMAN, { x: 0.5, y: 0.5, w: 8, h: 3, lang: 'de-DE' });
      }),
    );
    expect(findingsOf(await auditFile(file), 'language-mismatch')).toEqual([
      [1, null, 'Text on slide 1 is written in German but marked as English (en-US), so a screen reader reads it with the wrong pronunciation.'],
    ]);
  });
});
