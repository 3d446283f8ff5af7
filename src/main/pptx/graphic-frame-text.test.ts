import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeDeckGraphics,
  describeGraphicFrame,
  pptxgenjsDeck,
  smartArtDataXml,
  smartArtLayoutXml,
  withEntry,
  withSmartArt,
  writeDeck,
  type FrameDescription,
} from '../fixtures/graphic-decks';
import { PackageError } from './package-error';
import type { PictureRef } from './pptx-types';
import { parseRelationships } from './relationships';
import { findPictures } from './slide-pictures';
import { PNG_DATA, relsXml, slideXml } from './slide-test-xml';
import { XmlParseError } from './xml-tree';

let root: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-graphics-'));
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function describeDeck(name: string, deck: Buffer, charLimit = 125): Promise<FrameDescription[]> {
  const file = path.join(root, name);
  await writeDeck(file, deck);
  return describeDeckGraphics(file, charLimit);
}

/** A lecture deck: bar, line and pie charts, a table and a picture, as pptxgenjs writes them. */
function lectureDeck(): Promise<Buffer> {
  return pptxgenjsDeck((pptx) => {
    const bar = pptx.addSlide();
    bar.addText('Mortality', { x: 0.5, y: 0.2, w: 9, h: 0.6 });
    bar.addChart(pptx.ChartType.bar, [{ name: 'Deaths', labels: ['0–19', '20–39', '40–59', '60–79', '80+'], values: [1, 3, 9, 22, 31] }], {
      x: 1, y: 1, w: 6, h: 4,
      barDir: 'bar',
      showTitle: true,
      title: 'Mortality by age group',
      showCatAxisTitle: true,
      catAxisTitle: 'Age group',
      showValAxisTitle: true,
      valAxisTitle: 'Deaths (%)',
    });
    const line = pptx.addSlide();
    line.addChart(
      pptx.ChartType.line,
      [
        { name: 'Heart rate', labels: ['0 min', '5 min', '10 min', '15 min'], values: [72, 95, 120, 80] },
        { name: 'Systolic pressure', labels: ['0 min', '5 min', '10 min', '15 min'], values: [118, 135, 150, 125] },
      ],
      { x: 1, y: 1, w: 6, h: 4 },
    );
    line.addImage({ data: PNG_DATA, x: 7, y: 1, w: 1, h: 1 });
    const pie = pptx.addSlide();
    pie.addChart(pptx.ChartType.pie, [{ name: 'Blood type', labels: ['O', 'A', 'B', 'AB'], values: [45, 40, 11, 4] }], {
      x: 1, y: 1, w: 5, h: 4,
      showTitle: true,
      title: 'Blood types in the UK',
    });
    pie.addTable(
      [
        [{ text: 'Drug' }, { text: 'Dose' }, { text: 'Route' }],
        [{ text: 'Aspirin' }, { text: '75 mg' }, { text: 'oral' }],
        [{ text: 'Heparin' }, { text: '5000 units' }, { text: 'subcutaneous' }],
      ],
      { x: 6, y: 1, w: 3.5 },
    );
  });
}

describe('describeGraphicFrame on real decks', () => {
  it('describes the charts and the table of a pptxgenjs deck, and nothing else', async () => {
    const found = await describeDeck('lecture.pptx', await lectureDeck());
    expect(found.map(({ ref, text }) => [ref.slideNumber, ref.shapeName, ref.graphic?.kind, text?.kind])).toEqual([
      [1, 'Chart 0', 'chart', 'chart'],
      [2, 'Chart 0', 'chart', 'chart'],
      [3, 'Chart 0', 'chart', 'chart'],
      [3, 'Table 0', 'table', 'table'],
    ]);
    expect(found.map(({ text }) => text?.altText)).toEqual([
      'Bar chart: Mortality by age group. Age group 0–19 to 80+; Deaths (%) rising from 0–19 (1) to 80+ (31).',
      'Line chart. 2 series: Heart rate and Systolic pressure. Categories 0 min to 15 min; Heart rate highest at 10 min (120).',
      'Pie chart: Blood types in the UK. O 45%, A 40%, B 11%, AB 4%.',
      'Table: 3 columns × 3 rows; first row: Drug, Dose, Route.',
    ]);
    expect(found[0]?.text?.longDescription).toBe(
      'Bar chart: Mortality by age group.\nVertical axis: Age group. Horizontal axis: Deaths (%).\n' +
        'Series "Deaths": 0–19: 1; 20–39: 3; 40–59: 9; 60–79: 22; 80+: 31.',
    );
    expect(found[3]?.text?.longDescription).toBe(
      'Table, 3 columns × 3 rows.\nRow 1: Drug | Dose | Route\nRow 2: Aspirin | 75 mg | oral\nRow 3: Heparin | 5000 units | subcutaneous',
    );
    expect(found.every(({ text }) => (text?.altText.length ?? 0) <= 125)).toBe(true);
  });

  it('describes SmartArt added to a deck as PowerPoint stores it, with and without its layout part', async () => {
    const base = await pptxgenjsDeck((pptx) => {
      pptx.addSlide().addText('The cardiac cycle', { x: 0.5, y: 0.2, w: 9, h: 0.6 });
      pptx.addSlide().addText('Anatomy', { x: 0.5, y: 0.2, w: 9, h: 0.6 });
    });
    const cycle = [{ text: 'Atrial systole' }, { text: 'Ventricular systole' }, { text: 'Diastole' }];
    const heart = [
      {
        text: 'Heart',
        children: [
          { text: 'Left side', children: [{ text: 'Left atrium' }, { text: 'Left ventricle' }] },
          { text: 'Right side', children: [{ text: 'Right atrium' }, { text: 'Right ventricle' }] },
        ],
      },
    ];
    let deck = await withSmartArt(base, {
      slide: 1,
      shapeId: 20,
      name: 'Diagram 19',
      dataXml: smartArtDataXml(cycle, { layout: 'cycle2', category: 'cycle' }),
      layoutXml: smartArtLayoutXml('cycle2', [['cycle', 1000]]),
    });
    deck = await withSmartArt(deck, {
      slide: 2,
      shapeId: 21,
      name: 'Diagram 20',
      dataXml: smartArtDataXml(heart, { layout: 'hierarchy1', category: 'hierarchy' }),
      layoutXml: null,
    });
    const found = await describeDeck('smartart.pptx', deck);
    expect(found.map(({ ref }) => ref.graphic)).toEqual([
      { kind: 'smartart', diagramDataPart: 'ppt/diagrams/data20.xml', diagramLayoutPart: 'ppt/diagrams/layout20.xml' },
      { kind: 'smartart', diagramDataPart: 'ppt/diagrams/data21.xml', diagramLayoutPart: 'ppt/diagrams/layout21.xml' },
    ]);
    expect(found.map(({ text }) => text?.altText)).toEqual([
      'Cycle: Atrial systole → Ventricular systole → Diastole',
      'Hierarchy: Heart — Left side (Left atrium, Left ventricle); Right side (Right atrium, Right ventricle)',
    ]);
    expect(found[0]?.text).toMatchObject({
      kind: 'smartart',
      longDescription: 'Cycle, in order; the last step leads back to the first:\n1. Atrial systole\n2. Ventricular systole\n3. Diastole',
    });
  });

  it('returns null for a chart part that is missing, damaged or without data, and propagates a DOCTYPE', async () => {
    const deck = await pptxgenjsDeck((pptx) => {
      pptx.addSlide().addChart(pptx.ChartType.bar, [{ name: 'A', labels: ['x'], values: [1] }], { x: 1, y: 1, w: 4, h: 3 });
    });
    const [original] = await describeDeck('original.pptx', deck);
    expect(original?.text?.altText).toBe('Column chart. Categories x; A at x (1).');
    // pptxgenjs numbers chart parts across decks, so ask the frame which part is its chart.
    const chart = original?.ref.graphic?.kind === 'chart' ? original.ref.graphic.chartPart : null;
    if (chart === null || chart === undefined) throw new Error('the chart frame names no chart part');
    const zeroData =
      '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart><c:autoTitleDeleted val="1"/>' +
      '<c:plotArea><c:barChart><c:barDir val="col"/><c:ser><c:idx val="0"/><c:order val="0"/><c:val><c:numRef><c:f>Sheet1!$B$2</c:f></c:numRef></c:val></c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>';
    const damaged = await describeDeck('damaged.pptx', await withEntry(deck, chart, '<c:chartSpace xmlns:c="x"><c:chart>'));
    const empty = await describeDeck('empty.pptx', await withEntry(deck, chart, zeroData));
    expect(damaged.map((f) => f.text)).toEqual([null]);
    expect(empty.map((f) => f.text)).toEqual([null]);

    const doctype = path.join(root, 'doctype.pptx');
    await writeDeck(doctype, await withEntry(deck, chart, '<!DOCTYPE c:chartSpace [<!ENTITY e "x">]><c:chartSpace xmlns:c="u"/>'));
    await expect(describeDeckGraphics(doctype)).rejects.toMatchObject({ name: 'PackageError', code: 'EUNSAFE_XML' });
  });
});

describe('describeGraphicFrame on hand-written slides', () => {
  const SLIDE = 'ppt/slides/slide1.xml';
  const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const frame = (id: number, graphicData: string) =>
    `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="${id}" name="Frame ${id}"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>` +
    `<p:xfrm><a:off x="0" y="0"/><a:ext cx="3000000" cy="2000000"/></p:xfrm><a:graphic>${graphicData}</a:graphic></p:graphicFrame>`;
  const chartFrame = (id: number, rId: string) =>
    frame(id, `<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="${rId}"/></a:graphicData>`);
  const ole = frame(
    5,
    '<a:graphicData uri="http://schemas.openxmlformats.org/presentationml/2006/ole"><p:oleObj r:id="rId9" progId="Excel.Sheet.12"><p:embed/></p:oleObj></a:graphicData>',
  );
  const table = (id: number, rows: string) =>
    frame(
      id,
      '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblPr firstRow="1" bandRow="1"/>' +
        `<a:tblGrid><a:gridCol w="1000000"/><a:gridCol w="1000000"/></a:tblGrid>${rows}</a:tbl></a:graphicData>`,
    );
  const cell = (text: string, attributes = '') =>
    `<a:tc${attributes}><a:txBody><a:bodyPr/><a:lstStyle/><a:p>${text === '' ? '' : `<a:r><a:rPr lang="en-US"/><a:t>${text}</a:t></a:r>`}</a:p></a:txBody><a:tcPr/></a:tc>`;
  const row = (...cells: string[]) => `<a:tr h="370840">${cells.join('')}</a:tr>`;
  const CHART_XML =
    '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><c:chart>' +
    '<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>Incidence</a:t></a:r></a:p></c:rich></c:tx></c:title><c:autoTitleDeleted val="0"/><c:plotArea>' +
    '<c:lineChart><c:grouping val="standard"/><c:ser><c:idx val="0"/><c:order val="0"/><c:cat><c:strLit><c:ptCount val="2"/><c:pt idx="0"><c:v>2010</c:v></c:pt><c:pt idx="1"><c:v>2020</c:v></c:pt></c:strLit></c:cat>' +
    '<c:val><c:numLit><c:ptCount val="2"/><c:pt idx="0"><c:v>4</c:v></c:pt><c:pt idx="1"><c:v>6</c:v></c:pt></c:numLit></c:val></c:ser></c:lineChart></c:plotArea></c:chart></c:chartSpace>';

  const rels = parseRelationships(
    relsXml([
      { id: 'rId2', type: `${REL}/chart`, target: '../charts/chart1.xml' },
      { id: 'rId3', type: `${REL}/chart`, target: '../charts/chart2.xml' },
    ]),
    SLIDE,
  );

  async function describeAll(xml: string, parts: Record<string, string>): Promise<(string | null)[]> {
    const readPart = async (name: string) => (name === SLIDE ? xml : (parts[name] ?? null));
    const refs = findPictures(xml, rels, { part: SLIDE, slideNumber: 1 });
    const texts = await Promise.all(refs.map((ref) => describeGraphicFrame(ref, readPart, { charLimit: 125 })));
    return texts.map((text) => text?.altText ?? null);
  }

  it('has nothing to say about OLE objects, missing parts and empty tables, and finds a table inside a group', async () => {
    const emptyTable = table(6, row(cell(''), cell('')) + row(cell(''), cell('')));
    const grouped =
      '<p:grpSp><p:nvGrpSpPr><p:cNvPr id="7" name="Group 6"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>' +
      table(8, row(cell('Sign'), cell('Meaning')) + row(cell('Q wave'), cell('Old infarct')) + row(cell('ST elevation', ' gridSpan="2"'), cell('', ' hMerge="1"'))) +
      '</p:grpSp>';
    const xml = slideXml(ole + chartFrame(3, 'rId3') + emptyTable + grouped + chartFrame(4, 'rId2'));
    expect(await describeAll(xml, { 'ppt/charts/chart1.xml': CHART_XML })).toEqual([
      null,
      null,
      null,
      'Table: 2 columns × 3 rows; headers: Sign, Meaning.',
      'Line chart: Incidence. Categories 2010 and 2020; rising from 2010 (4) to 2020 (6).',
    ]);
  });

  it('cuts a long table header list at a word boundary', async () => {
    const long = table(9, row(cell('Pharmacological intervention'), cell('Contraindications in pregnancy, breastfeeding and renal failure')));
    const [text] = await describeAll(slideXml(long), {});
    expect(text).toBe('Table: 2 columns × 1 row; headers: Pharmacological intervention, Contraindications in pregnancy, breastfeeding and renal…');
    expect(text?.length).toBeLessThanOrEqual(125);
  });

  it('returns null for pictures and lets a DOCTYPE in a part through', async () => {
    const picture: PictureRef = {
      ...(findPictures(slideXml(chartFrame(4, 'rId2')), rels, { part: SLIDE, slideNumber: 1 })[0] as PictureRef),
      kind: 'picture',
      graphic: null,
    };
    expect(await describeGraphicFrame(picture, async () => CHART_XML, { charLimit: 125 })).toBeNull();

    const [chart] = findPictures(slideXml(chartFrame(4, 'rId2')), rels, { part: SLIDE, slideNumber: 1 }) as [PictureRef];
    const doctype = async () => '<!DOCTYPE c:chartSpace [<!ENTITY e "x">]><c:chartSpace xmlns:c="u"/>';
    await expect(describeGraphicFrame(chart, doctype, { charLimit: 125 })).rejects.toBeInstanceOf(XmlParseError);
    const undecodable = async (): Promise<string> => {
      throw new PackageError('ECORRUPT', 'ppt/charts/chart1.xml is not valid UTF-8 text.');
    };
    expect(await describeGraphicFrame(chart, undecodable, { charLimit: 125 })).toBeNull();
    const limits = async (): Promise<string> => {
      throw new PackageError('EZIP_LIMITS', 'ppt/charts/chart1.xml inflates beyond its declared size.');
    };
    await expect(describeGraphicFrame(chart, limits, { charLimit: 125 })).rejects.toMatchObject({ code: 'EZIP_LIMITS' });
  });
});
