import { describe, expect, it } from 'vitest';
import { offlineDraft } from '../describe/offline-draft';
import type { RecognisedText } from '../describe/ocr';
import { smartArtDataXml } from '../fixtures/graphic-decks';
import { ALT_TEXT_PHRASES, altTextLanguage, type AltTextPhrases } from '../text/alt-text-phrases';
import { describeGraphicFrame } from '../fixtures/graphic-decks';
import type { GraphicFrameText } from './graphic-frame-text';
import { parseRelationships, relsPartFor } from './relationships';
import { findPictures } from './slide-pictures';
import { part, pptxgenjsParts } from './slide-test-xml';
import { readSmartArtFacts, smartArtAltText, smartArtLongDescription } from './smartart-summary';
import { chartAltText, readChartFacts } from './chart-summary';

/** French sets these before ':' and ';'. */
const NBSP = '\u00a0';
const NNBSP = '\u202f';

interface LectureText {
  readonly title: string;
  readonly ageGroup: string;
  readonly deaths: string;
  readonly causesTitle: string;
  readonly causes: readonly string[];
  readonly table: readonly (readonly string[])[];
}

/** A bar chart on slide 1; a pie chart and a table on slide 2, as pptxgenjs writes them. */
async function describeLecture(text: LectureText, language: string, charLimit = 200): Promise<GraphicFrameText[]> {
  const parts = await pptxgenjsParts((pptx) => {
    pptx.addSlide().addChart(pptx.ChartType.bar, [{ name: text.deaths, labels: ['0–19', '20–39', '40–59', '60–79', '80+'], values: [1.5, 3, 9, 22, 31] }], {
      barDir: 'bar',
      showTitle: true,
      title: text.title,
      showCatAxisTitle: true,
      catAxisTitle: text.ageGroup,
      showValAxisTitle: true,
      valAxisTitle: `${text.deaths} (%)`,
    });
    const second = pptx.addSlide();
    second.addChart(pptx.ChartType.pie, [{ name: text.causesTitle, labels: [...text.causes], values: [32, 27, 9, 32] }], {
      x: 0.5, y: 1, w: 4, h: 3,
      showTitle: true,
      title: text.causesTitle,
    });
    second.addTable(text.table.map((row) => row.map((cell) => ({ text: cell }))), { x: 5, y: 1, w: 4.5 });
  });
  const described: GraphicFrameText[] = [];
  for (const [index, slide] of ['ppt/slides/slide1.xml', 'ppt/slides/slide2.xml'].entries()) {
    const rels = parseRelationships(part(parts, relsPartFor(slide)), slide);
    for (const ref of findPictures(part(parts, slide), rels, { part: slide, slideNumber: index + 1 })) {
      const text = await describeGraphicFrame(ref, async (name) => parts.get(name) ?? null, { charLimit, language });
      if (text) described.push(text);
    }
  }
  return described;
}

const GERMAN_LECTURE: LectureText = {
  title: 'Mortalität nach Altersgruppe',
  ageGroup: 'Altersgruppe',
  deaths: 'Todesfälle',
  causesTitle: 'Todesursachen',
  causes: ['Herz-Kreislauf', 'Krebs', 'Atemwege', 'Sonstige'],
  table: [
    ['Wirkstoff', 'Dosis', 'Applikation'],
    ['Acetylsalicylsäure', '75 mg', 'oral'],
    ['Heparin', '5000 I.E.', 'subkutan'],
  ],
};

const FRENCH_LECTURE: LectureText = {
  title: 'Mortalité par tranche d’âge',
  ageGroup: 'Tranche d’âge',
  deaths: 'Décès',
  causesTitle: 'Causes de décès',
  causes: ['Cardiovasculaires', 'Cancers', 'Respiratoires', 'Autres'],
  table: [
    ['Molécule', 'Dose', 'Voie'],
    ['Aspirine', '75 mg', 'orale'],
    ['Héparine', '5000 UI', 'sous-cutanée'],
  ],
};

const ARABIC_LECTURE: LectureText = {
  title: 'معدل الوفيات حسب الفئة العمرية',
  ageGroup: 'الفئة العمرية',
  deaths: 'الوفيات',
  causesTitle: 'أسباب الوفاة',
  causes: ['أمراض القلب', 'السرطان', 'أمراض الجهاز التنفسي', 'أخرى'],
  table: [
    ['الدواء', 'الجرعة', 'طريقة الإعطاء'],
    ['أسبرين', '75 ملغ', 'فموي'],
    ['هيبارين', '5000 وحدة', 'تحت الجلد'],
  ],
};

const HEBREW_LECTURE: LectureText = {
  title: 'תמותה לפי קבוצת גיל',
  ageGroup: 'קבוצת גיל',
  deaths: 'פטירות',
  causesTitle: 'סיבות מוות',
  causes: ['מחלות לב', 'סרטן', 'מחלות נשימה', 'אחר'],
  table: [
    ['תרופה', 'מינון', 'דרך מתן'],
    ['אספירין', '75 מ"ג', 'פומי'],
    ['הפרין', '5000 יחידות', 'תת-עורי'],
  ],
};

const CYCLE = { layout: 'cycle2', category: 'cycle' } as const;

function recognised(lines: string[]): RecognisedText {
  return { lines, words: [], text: lines.join(' · '), confidence: 90, incomplete: null };
}

describe('altTextLanguage', () => {
  it('picks the phrases by the primary subtag, and English for any other language', () => {
    expect(altTextLanguage('de-CH').code).toBe('de');
    expect(altTextLanguage('pt-BR').code).toBe('pt');
    expect(altTextLanguage('pt-BR').phrases).toBe(ALT_TEXT_PHRASES.pt);
    expect(altTextLanguage('FR_ca').code).toBe('fr');
    expect(altTextLanguage('zh').code).toBe('en');
    expect(altTextLanguage('zh-Hant-TW').phrases).toBe(ALT_TEXT_PHRASES.en);
    expect(altTextLanguage('auto').code).toBe('en');
    expect(altTextLanguage(undefined).code).toBe('en');
  });

  it('writes numbers as the whole tag does, and lists in the language', () => {
    expect(altTextLanguage('de-DE').number(12_500.5)).toBe('12.500,5');
    expect(altTextLanguage('de').number(2019, { grouping: false })).toBe('2019');
    expect(altTextLanguage('fr').number(0.000412)).toBe('0,000412');
    expect(altTextLanguage('de-CH').number(12_500.5)).toBe(new Intl.NumberFormat('de-CH', { maximumFractionDigits: 2 }).format(12_500.5));
    expect(altTextLanguage('de-CH').number(12_500.5)).not.toBe('12.500,5');
    expect(altTextLanguage('de').percent(37)).toBe(`37${NBSP}%`);
    expect(altTextLanguage('nl').percent(0.5)).toBe('0,5%');
    // Numbers of a language without a table are English, like its words.
    expect(altTextLanguage('ar-EG').number(12_500.5)).toBe('12,500.5');

    expect(altTextLanguage('de').list(['A', 'B', 'C'])).toBe('A, B und C');
    expect(altTextLanguage('es').list(['Hígado', 'Intestino'])).toBe('Hígado e Intestino');
    expect(altTextLanguage('en-US').list(['A', 'B', 'C'])).toBe('A, B and C');
    expect(altTextLanguage('fr').list(['A'])).toBe('A');
  });

  it('has every phrase in every language, none of them empty, and no builder drops what it is given', () => {
    type BuilderKey = { [K in keyof AltTextPhrases]: AltTextPhrases[K] extends (...args: never[]) => string ? K : never }[keyof AltTextPhrases];
    const samples: { readonly [K in BuilderKey]: Parameters<AltTextPhrases[K]> } = {
      combinedChartType: ['column and line'],
      seriesList: [3, 'A, B and C'],
      span: ['Age group', 'avril', 'juin'],
      valueCount: [12, '1', '9'],
      largestShare: ['Cancer', '27%'],
      measured: ['Deaths', 'highest at 80+ (31)'],
      onlyAt: ['80+ (31)'],
      allEqual: ['7'],
      highestAt: ['80+ (31)'],
      lowestAt: ['0–19 (1)'],
      trendRising: ['1995 (3.1)', '2010 (7.2)'],
      trendFalling: ['1995 (7.2)', '2010 (3.1)'],
      trendMixed: ['1995 (3.1)', '2010 (7.2)'],
      tiedCategories: [4],
      point: [3],
      seriesNumber: [2],
      namedSeries: ['Deaths'],
      xyPoint: ['1,5', '2,5'],
      morePoints: [12],
      moreSeries: [3],
      tableSize: [4, 6],
      row: [2],
      moreRows: [50],
      labelled: ['Image'],
      withText: ['Image'],
      slideSuffix: ['Cardiac anatomy'],
      onSlide: ['Image', 'Cardiac anatomy'],
    };
    const builders = new Set<string>(Object.keys(samples));
    const emptyStrings = (value: unknown): string[] =>
      typeof value === 'string' ? (value.trim() === '' ? [value] : []) : Object.values(value as object).flatMap(emptyStrings);

    for (const [code, phrases] of Object.entries(ALT_TEXT_PHRASES)) {
      expect(Object.keys(phrases).sort(), code).toEqual(Object.keys(ALT_TEXT_PHRASES.en).sort());
      for (const [key, phrase] of Object.entries(phrases)) {
        if (typeof phrase !== 'function') {
          expect(builders.has(key), `${code}.${key}`).toBe(false);
          expect(emptyStrings(phrase), `${code}.${key}`).toEqual([]);
          continue;
        }
        const args = samples[key as BuilderKey] as readonly (string | number)[];
        const text = (phrase as (...args: readonly (string | number)[]) => string)(...args);
        expect(text.trim(), `${code}.${key}`).not.toBe('');
        for (const arg of args) expect(text.toLowerCase(), `${code}.${key}`).toContain(String(arg).toLowerCase());
      }
    }
  });
});

describe('alt text in German', () => {
  it('describes a bar chart, a pie chart and a table in German words and German numbers', async () => {
    const [bar, pie, table] = await describeLecture(GERMAN_LECTURE, 'de-DE');
    expect(bar?.altText).toBe(
      'Balkendiagramm: Mortalität nach Altersgruppe. Altersgruppe von 0–19 bis 80+; Todesfälle (%) steigend von 0–19 (1,5) bis 80+ (31).',
    );
    expect(bar?.longDescription).toBe(
      'Balkendiagramm: Mortalität nach Altersgruppe.\n' +
        'Vertikale Achse: Altersgruppe. Horizontale Achse: Todesfälle (%).\n' +
        'Datenreihe „Todesfälle“: 0–19: 1,5; 20–39: 3; 40–59: 9; 60–79: 22; 80+: 31.',
    );
    expect(pie?.altText).toBe(`Kreisdiagramm: Todesursachen. Herz-Kreislauf 32${NBSP}%, Sonstige 32${NBSP}%, Krebs 27${NBSP}%, Atemwege 9${NBSP}%.`);
    expect(pie?.longDescription).toBe(
      'Kreisdiagramm: Todesursachen.\n' +
        `Datenreihe „Todesursachen“: Herz-Kreislauf: 32 (32${NBSP}%); Krebs: 27 (27${NBSP}%); Atemwege: 9 (9${NBSP}%); Sonstige: 32 (32${NBSP}%).`,
    );
    expect(table).toEqual({
      kind: 'table',
      altText: 'Tabelle: 3 Spalten × 3 Zeilen; erste Zeile: Wirkstoff, Dosis, Applikation.',
      longDescription:
        'Tabelle, 3 Spalten × 3 Zeilen.\nZeile 1: Wirkstoff | Dosis | Applikation\nZeile 2: Acetylsalicylsäure | 75 mg | oral\nZeile 3: Heparin | 5000 I.E. | subkutan',
    });
  });

  it('tells a SmartArt cycle in German', () => {
    const cycle = readSmartArtFacts(smartArtDataXml([{ text: 'Vorhofsystole' }, { text: 'Ventrikelsystole' }, { text: 'Diastole' }], CYCLE), null);
    expect(smartArtAltText(cycle, { charLimit: 125, language: 'de' })).toBe('Zyklus: Vorhofsystole → Ventrikelsystole → Diastole');
    expect(smartArtLongDescription(cycle, { language: 'de' })).toBe(
      'Zyklus, Schritt für Schritt; auf den letzten Schritt folgt wieder der erste:\n1. Vorhofsystole\n2. Ventrikelsystole\n3. Diastole',
    );
  });

  it('drafts offline alt text in German', () => {
    const draft = (overrides: Partial<Parameters<typeof offlineDraft>[0]>) =>
      offlineDraft({ recognisedText: null, slideTitle: null, slideText: '', deckTitle: '', charLimit: 125, language: 'de-AT', ...overrides });
    expect(draft({ recognisedText: recognised(['Linker Ventrikel', 'Aortenklappe']), slideTitle: 'Herzanatomie' })).toEqual({
      text: 'Bild mit Beschriftung: Linker Ventrikel, Aortenklappe (Folie: Herzanatomie)',
      basis: 'text-in-image',
    });
    expect(draft({ slideTitle: 'Dermatologie', category: 'clinical_photo' })?.text).toBe('Klinisches Foto auf der Folie „Dermatologie“');
  });

  it('keeps to charLimit with longer German words, cutting only between words', async () => {
    for (const charLimit of [40, 60, 80, 100, 125]) {
      const texts = await describeLecture(GERMAN_LECTURE, 'de', charLimit);
      for (const { altText } of texts) {
        expect(altText.length, altText).toBeLessThanOrEqual(charLimit);
        expect(altText, altText).toMatch(/^(Balkendiagramm|Kreisdiagramm|Tabelle)/);
      }
    }
    const [bar] = await describeLecture(GERMAN_LECTURE, 'de', 100);
    expect(bar?.altText).toBe('Balkendiagramm: Mortalität nach Altersgruppe. Altersgruppe von 0–19 bis 80+.');
    const [tight] = await describeLecture(GERMAN_LECTURE, 'de', 40);
    expect(tight?.altText).toBe('Balkendiagramm: Mortalität nach…');

    const labels = ['Linker Vorhof', 'Rechter Vorhof', 'Linker Ventrikel', 'Rechter Ventrikel', 'Pulmonalklappe'];
    const fewer = offlineDraft({ recognisedText: recognised(labels), slideTitle: null, slideText: '', deckTitle: '', charLimit: 75, language: 'de' });
    expect(fewer?.text).toBe('Bild mit Beschriftung: Linker Vorhof, Rechter Vorhof, Linker Ventrikel, …');
    expect(fewer?.text.length).toBeLessThanOrEqual(75);
  });
});

describe('alt text in French', () => {
  it('describes a bar chart, a pie chart and a table with French words, numbers and spacing', async () => {
    const [bar, pie, table] = await describeLecture(FRENCH_LECTURE, 'fr-FR');
    expect(bar?.altText).toBe(
      `Diagramme à barres${NBSP}: Mortalité par tranche d’âge. Tranche d’âge de 0–19 à 80+${NNBSP}; ` +
        `Décès (%)${NBSP}: en hausse de 0–19 (1,5) à 80+ (31).`,
    );
    expect(bar?.longDescription).toBe(
      `Diagramme à barres${NBSP}: Mortalité par tranche d’âge.\n` +
        `Axe vertical${NBSP}: Tranche d’âge. Axe horizontal${NBSP}: Décès (%).\n` +
        `Série «${NBSP}Décès${NBSP}»${NBSP}: 0–19${NBSP}: 1,5${NNBSP}; 20–39${NBSP}: 3${NNBSP}; 40–59${NBSP}: 9${NNBSP}; 60–79${NBSP}: 22${NNBSP}; 80+${NBSP}: 31.`,
    );
    expect(pie?.altText).toBe(
      `Graphique en secteurs${NBSP}: Causes de décès. Cardiovasculaires 32${NBSP}%, Autres 32${NBSP}%, Cancers 27${NBSP}%, Respiratoires 9${NBSP}%.`,
    );
    expect(table?.altText).toBe(`Tableau${NBSP}: 3 colonnes × 3 lignes${NNBSP}; première ligne${NBSP}: Molécule, Dose, Voie.`);
    expect(table?.longDescription).toBe(
      `Tableau, 3 colonnes × 3 lignes.\nLigne 1${NBSP}: Molécule | Dose | Voie\nLigne 2${NBSP}: Aspirine | 75 mg | orale\nLigne 3${NBSP}: Héparine | 5000 UI | sous-cutanée`,
    );
  });

  it('tells a SmartArt cycle in French', () => {
    const cycle = readSmartArtFacts(smartArtDataXml([{ text: 'Systole auriculaire' }, { text: 'Systole ventriculaire' }, { text: 'Diastole' }], CYCLE), null);
    expect(smartArtAltText(cycle, { charLimit: 125, language: 'fr' })).toBe(`Cycle${NBSP}: Systole auriculaire → Systole ventriculaire → Diastole`);
    expect(smartArtLongDescription(cycle, { language: 'fr' })).toBe(
      `Cycle, dans l’ordre${NNBSP}; la dernière étape ramène à la première${NBSP}:\n1. Systole auriculaire\n2. Systole ventriculaire\n3. Diastole`,
    );
  });

  it('drafts offline alt text in French', () => {
    const draft = offlineDraft({
      recognisedText: recognised(['Ventricule gauche', 'Valve aortique']),
      slideTitle: 'Anatomie cardiaque',
      slideText: '',
      deckTitle: '',
      charLimit: 125,
      category: 'anatomical',
      language: 'fr',
    });
    expect(draft?.text).toBe(`Illustration anatomique avec légendes${NBSP}: Ventricule gauche, Valve aortique (diapositive${NBSP}: Anatomie cardiaque)`);
    const onSlide = offlineDraft({ recognisedText: null, slideTitle: 'Anatomie cardiaque', slideText: '', deckTitle: '', charLimit: 125, language: 'fr-CA' });
    expect(onSlide?.text).toBe(`Image sur la diapositive «${NBSP}Anatomie cardiaque${NBSP}»`);
  });
});

describe('alt text in Arabic and Hebrew', () => {
  it('describes a bar chart, a pie chart and a table in Arabic words, with Latin digits whatever the region', async () => {
    const [bar, pie, table] = await describeLecture(ARABIC_LECTURE, 'ar-SA');
    expect(bar?.altText).toBe('مخطط شريطي: معدل الوفيات حسب الفئة العمرية. الفئة العمرية من 0–19 إلى 80+؛ الوفيات (%): ارتفاع من 0–19 (1.5) إلى 80+ (31).');
    expect(bar?.longDescription).toBe(
      'مخطط شريطي: معدل الوفيات حسب الفئة العمرية.\n' +
        'المحور الرأسي: الفئة العمرية. المحور الأفقي: الوفيات (%).\n' +
        'السلسلة «الوفيات»: 0–19: 1.5؛ 20–39: 3؛ 40–59: 9؛ 60–79: 22؛ 80+: 31.',
    );
    expect(pie?.altText).toBe('مخطط دائري: أسباب الوفاة. أمراض القلب 32٪، أخرى 32٪، السرطان 27٪، أمراض الجهاز التنفسي 9٪.');
    expect(table?.altText).toBe('جدول: 3 أعمدة × 3 صفوف؛ الصف الأول: الدواء، الجرعة، طريقة الإعطاء.');
    expect(altTextLanguage('ar-EG').number(12_500.5)).toBe('12,500.5');
    // Counted nouns take the form Arabic gives each number.
    expect([1, 2, 3, 11, 100].map((n) => ALT_TEXT_PHRASES.ar.tableSize(n, 1))).toEqual([
      'عمود واحد × صف واحد',
      'عمودان × صف واحد',
      '3 أعمدة × صف واحد',
      '11 عمودًا × صف واحد',
      '100 عمود × صف واحد',
    ]);
  });

  it('keeps to charLimit in Arabic, never ending a cut on an Arabic comma or semicolon', async () => {
    for (const charLimit of [40, 50, 60, 70, 80, 100]) {
      for (const { altText } of await describeLecture(ARABIC_LECTURE, 'ar', charLimit)) {
        expect(altText.length, altText).toBeLessThanOrEqual(charLimit);
        expect(altText, altText).not.toMatch(/[،؛]\s*…$/u);
      }
    }
    const [, , table] = await describeLecture(ARABIC_LECTURE, 'ar', 50);
    expect(table?.altText).toBe('جدول: 3 أعمدة × 3 صفوف؛ الصف الأول: الدواء…');
  });

  it('describes them in Hebrew, and takes the old code iw for Hebrew', async () => {
    const [bar, pie, table] = await describeLecture(HEBREW_LECTURE, 'he-IL');
    expect(bar?.altText).toBe('תרשים פסים: תמותה לפי קבוצת גיל. קבוצת גיל מ־0–19 עד 80+; פטירות (%): עלייה מ־0–19 (1.5) עד 80+ (31).');
    expect(pie?.altText).toBe('תרשים עוגה: סיבות מוות. מחלות לב 32%, אחר 32%, סרטן 27%, מחלות נשימה 9%.');
    expect(table?.altText).toBe('טבלה: 3 עמודות × 3 שורות; שורה ראשונה: תרופה, מינון, דרך מתן.');
    expect(table?.longDescription).toContain('שורה 3: הפרין | 5000 יחידות | תת-עורי');
    expect(altTextLanguage('iw-IL').code).toBe('he');
    expect(altTextLanguage('iw').list(['א', 'ב', 'ג'])).toBe('א, ב וג');
  });

  it('keeps right-to-left text from the deck exactly as written, marks and all', async () => {
    // A right-to-left mark and an Arabic comma inside the title, Latin text inside Arabic.
    const title = 'نسبة الإصابة\u200f، مرض السكري (Type 2)';
    const [bar] = await describeLecture({ ...ARABIC_LECTURE, title }, 'ar');
    expect(bar?.altText.startsWith(`مخطط شريطي: ${title}.`)).toBe(true);
  });
});

describe('the trend of a line chart in every language', () => {
  it('is told in the words and numbers of each language', async () => {
    const parts = await pptxgenjsParts((pptx) => {
      pptx.addSlide().addChart(pptx.ChartType.line, [{ name: 'Incidence', labels: ['1995', '2000', '2005', '2010'], values: [3.5, 4.25, 6, 7.5] }], {});
    });
    // pptxgenjs numbers chart parts across decks: take the one this deck has.
    const chartPart = [...parts.keys()].find((name) => /^ppt\/charts\/chart\d+\.xml$/.test(name)) ?? '';
    const facts = readChartFacts(part(parts, chartPart));
    for (const [code, phrases] of Object.entries(ALT_TEXT_PHRASES)) {
      const language = altTextLanguage(code);
      const text = chartAltText(facts, { charLimit: 200, language: code });
      const expected = phrases.trendRising(`1995 (${language.number(3.5)})`, `2010 (${language.number(7.5)})`);
      expect(text, code).toContain(expected);
      expect(text.startsWith(phrases.chartTypes.line), code).toBe(true);
    }
    expect(chartAltText(facts, { charLimit: 200, language: 'de' })).toBe('Liniendiagramm. Kategorien von 1995 bis 2010; Incidence steigend von 1995 (3,5) bis 2010 (7,5).');
    expect(chartAltText(facts, { charLimit: 200, language: 'fr' })).toBe(
      `Graphique en courbes. Catégories de 1995 à 2010${NNBSP}; Incidence${NBSP}: en hausse de 1995 (3,5) à 2010 (7,5).`,
    );
    expect(chartAltText(facts, { charLimit: 200, language: 'ar' })).toBe('مخطط خطي. الفئات من 1995 إلى 2010؛ Incidence: ارتفاع من 1995 (3.5) إلى 2010 (7.5).');
  });
});
