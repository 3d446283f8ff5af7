import type PptxGenJS from 'pptxgenjs';
import { describe, expect, it } from 'vitest';
import {
  chartAltText,
  chartLongDescription,
  hasChartContent,
  MAX_POINTS,
  readChartFacts,
  type ChartFacts,
  type ChartSeries,
} from './chart-summary';
import { part, pptxgenjsParts } from './slide-test-xml';
import { XmlParseError } from './xml-tree';

const LIMIT = { charLimit: 125 };
const AGES = ['0–19', '20–39', '40–59', '60–79', '80+'];

const NS = {
  transitional: {
    c: 'http://schemas.openxmlformats.org/drawingml/2006/chart',
    a: 'http://schemas.openxmlformats.org/drawingml/2006/main',
    r: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  },
  strict: {
    c: 'http://purl.oclc.org/ooxml/drawingml/chart',
    a: 'http://purl.oclc.org/ooxml/drawingml/main',
    r: 'http://purl.oclc.org/ooxml/officeDocument/relationships',
  },
} as const;

/** A chart part around `chart` (the children of `c:chart`). */
function chartXml(chart: string, options: { strict?: boolean; date1904?: boolean } = {}): string {
  const ns = options.strict ? NS.strict : NS.transitional;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<c:chartSpace xmlns:c="${ns.c}" xmlns:a="${ns.a}" xmlns:r="${ns.r}"><c:date1904 val="${options.date1904 ? 1 : 0}"/><c:lang val="en-US"/>` +
    '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="c14" xmlns:c14="http://schemas.microsoft.com/office/drawing/2007/8/2/chart"><c14:style val="102"/></mc:Choice><mc:Fallback><c:style val="2"/></mc:Fallback></mc:AlternateContent>' +
    `<c:chart>${chart}<c:plotVisOnly val="1"/></c:chart><c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>`
  );
}

function strCache(ref: string, values: readonly string[]): string {
  const points = values.map((v, i) => `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>`).join('');
  return `<c:strRef><c:f>${ref}</c:f><c:strCache><c:ptCount val="${values.length}"/>${points}</c:strCache></c:strRef>`;
}

function numCache(ref: string, values: readonly (number | null)[], formatCode = 'General'): string {
  const points = values.map((v, i) => (v === null ? '' : `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>`)).join('');
  return `<c:numRef><c:f>${ref}</c:f><c:numCache><c:formatCode>${formatCode}</c:formatCode><c:ptCount val="${values.length}"/>${points}</c:numCache></c:numRef>`;
}

function ser(index: number, name: string | null, categories: string, values: string): string {
  const tx = name === null ? '' : `<c:tx>${strCache(`Sheet1!$${String.fromCharCode(66 + index)}$1`, [name])}</c:tx>`;
  return `<c:ser><c:idx val="${index}"/><c:order val="${index}"/>${tx}<c:cat>${categories}</c:cat><c:val>${values}</c:val></c:ser>`;
}

function richTitle(text: string): string {
  return `<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr/></a:pPr><a:r><a:rPr lang="en-US"/><a:t>${text}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>`;
}

const AXES =
  '<c:catAx><c:axId val="111"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/><c:crossAx val="222"/></c:catAx>' +
  '<c:valAx><c:axId val="222"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:crossAx val="111"/></c:valAx>';

function columnPlot(series: string): string {
  return `<c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>${series}<c:axId val="111"/><c:axId val="222"/></c:barChart>${AXES}</c:plotArea>`;
}

function chartParts(build: Parameters<typeof pptxgenjsParts>[0]): Promise<ChartFacts[]> {
  return pptxgenjsParts(build).then((parts) =>
    [...parts.keys()]
      .filter((name) => /^ppt\/charts\/chart\d+\.xml$/.test(name))
      .sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]))
      .map((name) => readChartFacts(part(parts, name), name)),
  );
}

describe('charts written by pptxgenjs', () => {
  it('describes a bar chart with its title, axis titles and the trend over its ordered categories', async () => {
    const [facts] = (await chartParts((pptx) => {
      pptx.addSlide().addChart(pptx.ChartType.bar, [{ name: 'Deaths', labels: AGES, values: [1, 3, 9, 22, 31] }], {
        barDir: 'bar',
        showTitle: true,
        title: 'Mortality by age group',
        showCatAxisTitle: true,
        catAxisTitle: 'Age group',
        showValAxisTitle: true,
        valAxisTitle: 'Deaths (%)',
      });
    })) as [ChartFacts];
    expect(facts).toEqual({
      plots: [{ kind: 'bar', grouping: 'standard' }],
      title: 'Mortality by age group',
      axes: [
        { role: 'category', position: 'left', title: 'Age group' },
        { role: 'value', position: 'bottom', title: 'Deaths (%)' },
      ],
      series: [{ name: 'Deaths', kind: 'bar', categories: AGES, values: [1, 3, 9, 22, 31], percent: false }],
    });
    expect(chartAltText(facts, LIMIT)).toBe(
      'Bar chart: Mortality by age group. Age group 0–19 to 80+; Deaths (%) rising from 0–19 (1) to 80+ (31).',
    );
    expect(chartLongDescription(facts)).toBe(
      'Bar chart: Mortality by age group.\n' +
        'Vertical axis: Age group. Horizontal axis: Deaths (%).\n' +
        'Series "Deaths": 0–19: 1; 20–39: 3; 40–59: 9; 60–79: 22; 80+: 31.',
    );
  });

  it('describes an untitled two-series line chart, as much as fits', async () => {
    const minutes = ['0 min', '5 min', '10 min', '15 min'];
    const [facts] = (await chartParts((pptx) => {
      pptx.addSlide().addChart(
        pptx.ChartType.line,
        [
          { name: 'Heart rate', labels: minutes, values: [72, 95, 120, 80] },
          { name: 'Systolic pressure', labels: minutes, values: [118, 135, 150, 125] },
        ],
        {},
      );
    })) as [ChartFacts];
    expect(facts.title).toBeNull();
    expect(chartAltText(facts, LIMIT)).toBe(
      'Line chart. 2 series: Heart rate and Systolic pressure. Categories 0 min to 15 min; Heart rate highest at 10 min (120).',
    );
    expect(chartAltText(facts, { charLimit: 200 })).toBe(
      'Line chart. 2 series: Heart rate and Systolic pressure. Categories 0 min to 15 min; Heart rate highest at 10 min (120); ' +
        'Systolic pressure highest at 10 min (150).',
    );
    expect(chartLongDescription(facts)).toBe(
      'Line chart.\n' +
        'Series "Heart rate": 0 min: 72; 5 min: 95; 10 min: 120; 15 min: 80.\n' +
        'Series "Systolic pressure": 0 min: 118; 5 min: 135; 10 min: 150; 15 min: 125.',
    );
  });

  it('gives a pie chart its shares, largest first, and a doughnut without a title too', async () => {
    const [pie, doughnut] = (await chartParts((pptx) => {
      pptx
        .addSlide()
        .addChart(pptx.ChartType.pie, [{ name: 'Causes', labels: ['Cardiovascular', 'Cancer', 'Respiratory', 'Other'], values: [32, 27, 9, 32] }], {
          showTitle: true,
          title: 'Causes of death',
        });
      pptx.addSlide().addChart(pptx.ChartType.doughnut, [{ name: 'Blood type', labels: ['O', 'A', 'B', 'AB'], values: [45, 40, 11, 4] }], {});
    })) as [ChartFacts, ChartFacts];
    expect(chartAltText(pie, LIMIT)).toBe('Pie chart: Causes of death. Cardiovascular 32%, Other 32%, Cancer 27%, Respiratory 9%.');
    expect(chartLongDescription(pie)).toBe(
      'Pie chart: Causes of death.\nSeries "Causes": Cardiovascular: 32 (32%); Cancer: 27 (27%); Respiratory: 9 (9%); Other: 32 (32%).',
    );
    expect(chartAltText(doughnut, LIMIT)).toBe('Doughnut chart. O 45%, A 40%, B 11%, AB 4%.');
  });

  it('names stacking and combinations, and a secondary axis by its side', async () => {
    const [stacked, combination] = (await chartParts((pptx) => {
      const years = ['2019', '2020', '2021'];
      pptx.addSlide().addChart(
        pptx.ChartType.bar,
        [
          { name: 'Men', labels: years, values: [10, 12, 11] },
          { name: 'Women', labels: years, values: [8, 9, 13] },
        ],
        { barDir: 'col', barGrouping: 'stacked' },
      );
      const months = ['Jan', 'Feb', 'Mar'];
      const comboOptions: PptxGenJS.IChartOpts = {
        valAxes: [
          { showValAxisTitle: true, valAxisTitle: 'Admissions' },
          { showValAxisTitle: true, valAxisTitle: 'Mortality', valGridLine: { style: 'none' } },
        ],
        catAxes: [{ catAxisTitle: 'Month' }, { catAxisHidden: true }],
      };
      pptx.addSlide().addChart(
        [
          { type: pptx.ChartType.bar, data: [{ name: 'Admissions', labels: months, values: [120, 140, 90] }], options: { barDir: 'col' } },
          {
            type: pptx.ChartType.line,
            data: [{ name: 'Mortality', labels: months, values: [0.05, 0.04, 0.06] }],
            options: { secondaryValAxis: true, secondaryCatAxis: true },
          },
        ],
        // For a combination, pptxgenjs takes the options in place of the data (its types disagree).
        comboOptions as unknown as unknown[],
      );
    })) as [ChartFacts, ChartFacts];
    expect(chartAltText(stacked, LIMIT)).toBe('Stacked column chart. 2 series: Men and Women. Categories 2019, 2020 and 2021; Men highest at 2020 (12).');
    expect(chartAltText(stacked, { charLimit: 150 })).toBe(
      'Stacked column chart. 2 series: Men and Women. Categories 2019, 2020 and 2021; Men highest at 2020 (12); Women rising from 2019 (8) to 2021 (13).',
    );
    expect(combination.plots.map((p) => p.kind)).toEqual(['column', 'line']);
    expect(chartAltText(combination, LIMIT)).toBe(
      'Column and line chart. 2 series: Admissions and Mortality. Categories Jan, Feb and Mar; Admissions highest at Feb (140).',
    );
    expect(chartLongDescription(combination)).toBe(
      'Column and line chart.\n' +
        'Vertical axis: Admissions. Right axis: Mortality.\n' +
        'Series "Admissions" (column): Jan: 120; Feb: 140; Mar: 90.\n' +
        'Series "Mortality" (line): Jan: 0.05; Feb: 0.04; Mar: 0.06.',
    );
  });

  it('describes a scatter chart by the ranges of its axes', async () => {
    const [facts] = (await chartParts((pptx) => {
      pptx.addSlide().addChart(
        pptx.ChartType.scatter,
        [
          { name: 'X', values: [1, 2, 3, 4] },
          { name: 'Response', values: [10, 25, 38, 41] },
        ],
        { showTitle: true, title: 'Dose response', showCatAxisTitle: true, catAxisTitle: 'Dose (mg)', showValAxisTitle: true, valAxisTitle: 'Response (%)' },
      );
    })) as [ChartFacts];
    expect(chartAltText(facts, LIMIT)).toBe('Scatter chart: Dose response. Dose (mg) 1 to 4, Response (%) 10 to 41.');
    expect(chartLongDescription(facts)).toBe(
      'Scatter chart: Dose response.\nHorizontal axis: Dose (mg). Vertical axis: Response (%).\nSeries "Response": (1, 10); (2, 25); (3, 38); (4, 41).',
    );
  });
});

describe('readChartFacts on hand-written charts', () => {
  it('reads ISO-Strict charts like transitional ones, with date categories as ISO dates', () => {
    const dates = numCache('Sheet1!$A$2:$A$4', [37261, 37262, 37263], 'm/d/yyyy');
    const chart = (strict: boolean) =>
      chartXml(
        `${richTitle('Admissions')}<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/><c:areaChart><c:grouping val="standard"/>` +
          `${ser(0, 'Ward A', dates, numCache('Sheet1!$B$2:$B$4', [32, 28, 12]))}<c:axId val="111"/><c:axId val="222"/></c:areaChart>` +
          AXES +
          '</c:plotArea>',
        { strict },
      );
    const strict = readChartFacts(chart(true));
    expect(strict).toEqual(readChartFacts(chart(false)));
    expect(strict.series[0]?.categories).toEqual(['2002-01-05', '2002-01-06', '2002-01-07']);
    expect(chartAltText(strict, LIMIT)).toBe('Area chart: Admissions. Categories 2002-01-05, 2002-01-06 and 2002-01-07; falling from 2002-01-05 (32) to 2002-01-07 (12).');
    expect(chartLongDescription(strict)).toBe('Area chart: Admissions.\nSeries "Ward A": 2002-01-05: 32; 2002-01-06: 28; 2002-01-07: 12.');
    const dates1904 = chartXml(columnPlot(ser(0, 'A', numCache('x', [0, 1], 'yyyy-mm-dd'), numCache('y', [1, 2]))), { date1904: true });
    expect(readChartFacts(dates1904).series[0]?.categories).toEqual(['1904-01-01', '1904-01-02']);
  });

  it('titles a single-series chart by its series unless the auto title is deleted', () => {
    const one = ser(0, 'Deaths', strCache('c', ['A', 'B']), numCache('v', [1, 2]));
    const two = one + ser(1, 'Births', strCache('c', ['A', 'B']), numCache('w', [3, 4]));
    expect(readChartFacts(chartXml(columnPlot(one))).title).toBe('Deaths');
    expect(readChartFacts(chartXml(`<c:autoTitleDeleted val="0"/>${columnPlot(one)}`)).title).toBe('Deaths');
    expect(readChartFacts(chartXml(`<c:title><c:overlay val="0"/></c:title>${columnPlot(one)}`)).title).toBe('Deaths');
    expect(readChartFacts(chartXml(`<c:autoTitleDeleted val="1"/>${columnPlot(one)}`)).title).toBeNull();
    expect(readChartFacts(chartXml(`<c:autoTitleDeleted/>${columnPlot(one)}`)).title).toBeNull();
    expect(readChartFacts(chartXml(columnPlot(two))).title).toBeNull();
    const cellTitle = `<c:title><c:tx>${strCache('Sheet1!$A$1', ['From a cell'])}</c:tx></c:title>`;
    expect(readChartFacts(chartXml(cellTitle + columnPlot(two))).title).toBe('From a cell');
  });

  it('has nothing to say about an empty chart or one whose caches are missing', () => {
    const empty = readChartFacts(chartXml('<c:autoTitleDeleted val="1"/><c:plotArea><c:layout/></c:plotArea>'));
    expect(empty).toEqual({ plots: [], title: null, axes: [], series: [] });
    expect(hasChartContent(empty)).toBe(false);

    const uncached =
      '<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:strRef><c:f>Sheet1!$B$1</c:f></c:strRef></c:tx>' +
      '<c:cat><c:strRef><c:f>Sheet1!$A$2:$A$5</c:f></c:strRef></c:cat><c:val><c:numRef><c:f>Sheet1!$B$2:$B$5</c:f></c:numRef></c:val></c:ser>';
    const noCaches = readChartFacts(chartXml(columnPlot(uncached)));
    expect(noCaches.series).toEqual([{ name: null, kind: 'column', categories: [], values: [], percent: false }]);
    expect(hasChartContent(noCaches)).toBe(false);

    const titled = readChartFacts(chartXml(richTitle('Heart failure admissions') + columnPlot(uncached)));
    expect(hasChartContent(titled)).toBe(true);
    expect(chartAltText(titled, LIMIT)).toBe('Column chart: Heart failure admissions.');
    expect(chartLongDescription(titled)).toBe('Column chart: Heart failure admissions.\nSeries 1: no data.');
  });

  it('reads literals, percentage formats and sparse caches, and caps what ptCount claims', () => {
    const literals =
      '<c:strLit><c:ptCount val="3"/><c:pt idx="0"><c:v>Approve</c:v></c:pt><c:pt idx="2"><c:v>Neutral</c:v></c:pt></c:strLit>';
    const values = '<c:numLit><c:formatCode>0%</c:formatCode><c:ptCount val="3"/><c:pt idx="0"><c:v>0.37000000000000016</c:v></c:pt><c:pt idx="1"><c:v>0.59</c:v></c:pt></c:numLit>';
    const facts = readChartFacts(chartXml(columnPlot(ser(0, 'Poll', literals, values))));
    expect(facts.series[0]).toEqual({
      name: 'Poll',
      kind: 'column',
      categories: ['Approve', null, 'Neutral'],
      values: [0.37000000000000016, 0.59, null],
      percent: true,
    });
    expect(chartLongDescription(facts)).toBe('Column chart: Poll.\nSeries "Poll": Approve: 37%; point 2: 59%; Neutral: no value.');

    const huge = `<c:numRef><c:f>x</c:f><c:numCache><c:ptCount val="999999999"/><c:pt idx="5"><c:v>1</c:v></c:pt><c:pt idx="999999998"><c:v>2</c:v></c:pt></c:numCache></c:numRef>`;
    const capped = readChartFacts(chartXml(columnPlot(ser(0, 'Big', '', huge)))).series[0] as ChartSeries;
    expect(capped.values).toHaveLength(MAX_POINTS);
    expect(capped.values.filter((v) => v !== null)).toEqual([1]);
  });

  it('reads unknown names as unknown, and dates only from date formats', () => {
    const hostileAxes = AXES.replace('<c:axPos val="b"/>', '<c:axPos val="constructor"/><c:title><c:tx><c:rich><a:p><a:r><a:t>Year</a:t></a:r></a:p></c:rich></c:tx></c:title>');
    const categories = (formatCode: string) => numCache('Sheet1!$A$2:$A$3', [2019, 2020], formatCode);
    const plot = (formatCode: string) =>
      `<c:plotArea><c:barChart><c:barDir val="col"/>${ser(0, 'Cases', categories(formatCode), numCache('v', [3, 4]))}<c:axId val="111"/><c:axId val="222"/></c:barChart>${hostileAxes}</c:plotArea>`;
    const accounting = readChartFacts(chartXml(plot('_(* #,##0_);_(* \\(#,##0\\);_(* "-"_);_(@_)')));
    expect(accounting.axes).toEqual([{ role: 'category', position: null, title: 'Year' }]);
    expect(accounting.series[0]?.categories).toEqual(['2019', '2020']);
    expect(chartLongDescription(accounting)).toBe('Column chart: Cases.\nCategory axis: Year.\nSeries "Cases": 2019: 3; 2020: 4.');
    expect(readChartFacts(chartXml(plot('"day "0'))).series[0]?.categories).toEqual(['2019', '2020']);
    expect(readChartFacts(chartXml(plot('d-mmm-yy'))).series[0]?.categories).toEqual(['1905-07-11', '1905-07-12']);

    const chartex = (layoutId: string) =>
      '<cx:chartSpace xmlns:cx="http://schemas.microsoft.com/office/drawing/2014/chartex"><cx:chartData><cx:data id="0"><cx:numDim type="val"><cx:lvl ptCount="1"><cx:pt idx="0">5</cx:pt></cx:lvl></cx:numDim></cx:data></cx:chartData>' +
      `<cx:chart><cx:plotArea><cx:plotAreaRegion><cx:series layoutId="${layoutId}"><cx:dataId val="0"/></cx:series></cx:plotAreaRegion></cx:plotArea></cx:chart></cx:chartSpace>`;
    const unknown = readChartFacts(chartex('constructor'));
    expect(unknown.plots).toEqual([{ kind: 'other', grouping: 'standard' }]);
    expect(chartAltText(unknown, LIMIT)).toBe('Chart. At point 1 (5).');
  });

  it('reads Office 2016 charts (chartex) from their data section', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cx:chartSpace xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:cx="http://schemas.microsoft.com/office/drawing/2014/chartex">' +
      '<cx:chartData><cx:externalData r:id="rId1" cx:autoUpdate="0"/><cx:data id="0">' +
      '<cx:strDim type="cat"><cx:f>Sheet1!$A$2:$A$5</cx:f><cx:lvl ptCount="4"><cx:pt idx="0">Start</cx:pt><cx:pt idx="1">Admitted</cx:pt><cx:pt idx="2">Discharged</cx:pt><cx:pt idx="3">End</cx:pt></cx:lvl></cx:strDim>' +
      '<cx:numDim type="val"><cx:f>Sheet1!$B$2:$B$5</cx:f><cx:lvl ptCount="4" formatCode="General"><cx:pt idx="0">40</cx:pt><cx:pt idx="1">25</cx:pt><cx:pt idx="2">-30</cx:pt><cx:pt idx="3">35</cx:pt></cx:lvl></cx:numDim>' +
      '</cx:data></cx:chartData><cx:chart><cx:title pos="t" align="ctr" overlay="0"><cx:tx><cx:txData><cx:v>Bed occupancy</cx:v></cx:txData></cx:tx></cx:title>' +
      '<cx:plotArea><cx:plotAreaRegion><cx:series layoutId="waterfall" uniqueId="{2DE94AEB-3550-4FEB-BBD2-32C1BBD5E9D8}"><cx:tx><cx:txData><cx:f>Sheet1!$B$1</cx:f><cx:v>Beds</cx:v></cx:txData></cx:tx>' +
      '<cx:dataId val="0"/><cx:layoutPr><cx:subtotals><cx:idx val="0"/><cx:idx val="3"/></cx:subtotals></cx:layoutPr></cx:series></cx:plotAreaRegion>' +
      '<cx:axis id="0"><cx:catScaling gapWidth="0.5"/><cx:tickLabels/></cx:axis><cx:axis id="1"><cx:valScaling/><cx:title><cx:tx><cx:txData><cx:v>Beds</cx:v></cx:txData></cx:tx></cx:title><cx:tickLabels/></cx:axis>' +
      '</cx:plotArea></cx:chart></cx:chartSpace>';
    const facts = readChartFacts(xml);
    expect(facts).toEqual({
      plots: [{ kind: 'waterfall', grouping: 'standard' }],
      title: 'Bed occupancy',
      axes: [{ role: 'value', position: null, title: 'Beds' }],
      series: [{ name: 'Beds', kind: 'waterfall', categories: ['Start', 'Admitted', 'Discharged', 'End'], values: [40, 25, -30, 35], percent: false }],
    });
    expect(chartAltText(facts, LIMIT)).toBe(
      'Waterfall chart: Bed occupancy. Categories Start to End; Beds highest at Start (40); lowest at Discharged (-30).',
    );
    expect(chartLongDescription(facts)).toBe(
      'Waterfall chart: Bed occupancy.\nValue axis: Beds.\nSeries "Beds": Start: 40; Admitted: 25; Discharged: -30; End: 35.',
    );
  });

  it('gives no facts for a part that is not a chart, and refuses a DOCTYPE', () => {
    expect(readChartFacts('<c:userShapes xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"/>')).toEqual({
      plots: [],
      title: null,
      axes: [],
      series: [],
    });
    expect(() => readChartFacts('<c:chartSpace xmlns:c="u"><c:chart>')).toThrow(XmlParseError);
    try {
      readChartFacts('<!DOCTYPE c:chartSpace [<!ENTITY e "x">]><c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"/>');
      expect.unreachable();
    } catch (error) {
      expect((error as XmlParseError).code).toBe('EUNSAFE_XML');
    }
  });
});

describe('chartAltText', () => {
  const series = (name: string | null, values: (number | null)[], categories: (string | null)[] = values.map((_, i) => `C${i + 1}`)): ChartSeries => ({
    name,
    kind: 'column',
    categories,
    values,
    percent: false,
  });
  const column = (title: string | null, all: ChartSeries[]): ChartFacts => ({
    plots: [{ kind: 'column', grouping: 'standard' }],
    title,
    axes: [],
    series: all,
  });

  it('cuts a long title at a word boundary, never inside a word', () => {
    const title = 'Incidence of community-acquired pneumonia in adults over sixty-five across twelve regional hospitals between 2015 and 2023';
    const text = chartAltText(column(title, [series('Cases', [1, 2])]), LIMIT);
    expect(text).toBe('Column chart: Incidence of community-acquired pneumonia in adults over sixty-five across twelve regional hospitals between…');
    expect(text.length).toBeLessThanOrEqual(125);
    expect(chartAltText(column(title, []), { charLimit: 40 })).toBe('Column chart: Incidence of…');
  });

  it('leaves out a sentence that does not fit and keeps the next one', () => {
    const names = ['Community-acquired pneumonia', 'Hospital-acquired pneumonia', 'Ventilator-associated pneumonia'];
    const facts = column('Cases', names.map((name, i) => series(name, [i + 1, i + 5])));
    expect(chartAltText(facts, { charLimit: 100 })).toBe(
      'Column chart: Cases. Categories C1 and C2; Community-acquired pneumonia highest at C2 (5).',
    );
  });

  it('summarises values only for small charts, and names ties and flat series', () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Jan 2'];
    expect(chartAltText(column('Admissions', [series('A', months.map((_, i) => i), months)]), LIMIT)).toBe(
      'Column chart: Admissions. Categories Jan to Jan 2.',
    );
    expect(chartAltText(column('Ties', [series('A', [5, 1, 5, 1])]), LIMIT)).toBe(
      'Column chart: Ties. Categories C1 to C4; highest at C1 and C3 (5); lowest at C2 and C4 (1).',
    );
    expect(chartAltText(column('Flat', [series('A', [7, 7, 7])]), LIMIT)).toBe('Column chart: Flat. Categories C1, C2 and C3; all 7.');
    expect(chartAltText(column(null, [series('Dose', [12_500, 3])]), LIMIT)).toBe(
      'Column chart. Categories C1 and C2; Dose highest at C1 (12,500); lowest at C2 (3).',
    );
    expect(chartAltText(column(null, [series(null, [2, 1], [null, null])]), LIMIT)).toBe(
      'Column chart. Highest at point 1 (2); lowest at point 2 (1).',
    );
  });
});

describe('chartAltText, the trend of a series over ordered categories', () => {
  const YEARS = Array.from({ length: 16 }, (_, i) => 1995 + i);
  /** A line chart as PowerPoint writes one over years kept as numbers, its title deleted. */
  function lineChart(series: readonly { name: string; values: readonly number[] }[], kind: 'lineChart' | 'barChart' = 'lineChart'): ChartFacts {
    const years = numCache('Sheet1!$A$2:$A$17', YEARS);
    const plot =
      `<c:plotArea><c:layout/><c:${kind}>${kind === 'barChart' ? '<c:barDir val="col"/>' : ''}<c:grouping val="standard"/><c:varyColors val="0"/>` +
      series.map((s, i) => ser(i, s.name, years, numCache(`Sheet1!$${String.fromCharCode(66 + i)}$2:$${String.fromCharCode(66 + i)}$17`, s.values))).join('') +
      `<c:axId val="111"/><c:axId val="222"/></c:${kind}>${AXES}</c:plotArea>`;
    return readChartFacts(chartXml(`<c:autoTitleDeleted val="1"/>${plot}`));
  }
  const rising = [3.1, 3.3, 3.4, 3.8, 4, 4.1, 4.5, 4.9, 5.2, 5.6, 6, 6.3, 6.6, 6.9, 7, 7.2];
  const mixed = [3.1, 2.9, 3.4, 3.8, 4, 4.1, 4.5, 4.9, 5.2, 5.6, 6, 6.3, 9.8, 8.1, 7.5, 7.2];

  it('gives a single-series line chart of any length its trend from first to last point', () => {
    expect(chartAltText(lineChart([{ name: 'Incidence', values: rising }]), LIMIT)).toBe(
      'Line chart. Categories 1995 to 2010; Incidence rising from 1995 (3.1) to 2010 (7.2).',
    );
    expect(chartAltText(lineChart([{ name: 'Incidence', values: [...rising].reverse() }]), LIMIT)).toBe(
      'Line chart. Categories 1995 to 2010; Incidence falling from 1995 (7.2) to 2010 (3.1).',
    );
    expect(chartAltText(lineChart([{ name: 'Incidence', values: YEARS.map(() => 5) }]), LIMIT)).toBe('Line chart. Categories 1995 to 2010; Incidence all 5.');
  });

  it('names where a series that goes up and down is highest and lowest, unless that is one of its ends', () => {
    expect(chartAltText(lineChart([{ name: 'Incidence', values: mixed }]), { charLimit: 200 })).toBe(
      'Line chart. Categories 1995 to 2010; Incidence up and down from 1995 (3.1) to 2010 (7.2); highest at 2007 (9.8); lowest at 1996 (2.9).',
    );
    // The lowest point is the first one: the ends already say it.
    expect(chartAltText(lineChart([{ name: 'Incidence', values: [2, 9, 4, 5] }]), LIMIT)).toBe(
      'Line chart. Categories 1995 to 1998; Incidence up and down from 1995 (2) to 1998 (5); highest at 1996 (9).',
    );
    // What does not fit is left out, most telling first.
    expect(chartAltText(lineChart([{ name: 'Incidence', values: mixed }]), { charLimit: 100 })).toBe(
      'Line chart. Categories 1995 to 2010; Incidence up and down from 1995 (3.1) to 2010 (7.2).',
    );
  });

  it('gives each series of a line or column chart over years its trend, as far as it fits', () => {
    const two = [
      { name: 'Men', values: rising },
      { name: 'Women', values: mixed },
    ];
    expect(chartAltText(lineChart(two), LIMIT)).toBe('Line chart. 2 series: Men and Women. Categories 1995 to 2010; Men rising from 1995 (3.1) to 2010 (7.2).');
    expect(chartAltText(lineChart(two), { charLimit: 150 })).toBe(
      'Line chart. 2 series: Men and Women. Categories 1995 to 2010; Men rising from 1995 (3.1) to 2010 (7.2); Women highest at 2007 (9.8).',
    );
    expect(chartAltText(lineChart(two, 'barChart'), { charLimit: 250 })).toBe(
      'Column chart. 2 series: Men and Women. Categories 1995 to 2010; Men rising from 1995 (3.1) to 2010 (7.2); ' +
        'Women up and down from 1995 (3.1) to 2010 (7.2), highest at 2007 (9.8), lowest at 1996 (2.9).',
    );
    expect(chartAltText(lineChart(two), { charLimit: 90 })).toBe('Line chart. 2 series: Men and Women. Categories 1995 to 2010.');
  });

  it('keeps to the extremes where the categories have no order of their own', () => {
    const wards = ['Cardiology', 'Oncology', 'Surgery'];
    const facts: ChartFacts = {
      plots: [{ kind: 'column', grouping: 'standard' }],
      title: 'Admissions',
      axes: [],
      series: [{ name: 'Admissions', kind: 'column', categories: wards, values: [12, 30, 18], percent: false }],
    };
    expect(chartAltText(facts, LIMIT)).toBe('Column chart: Admissions. Categories Cardiology, Oncology and Surgery; highest at Oncology (30); lowest at Cardiology (12).');
  });
});
