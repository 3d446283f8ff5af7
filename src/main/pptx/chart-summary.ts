import { assertNever } from '../../shared/assert-never';
import { isTrue } from './xml-decorative';
import { contentChildren } from './xml-markup-compatibility';
import { CHART, CHARTEX, type NamespaceSet } from './xml-namespaces';
import { attribute, child, parseXml, type XmlElement } from './xml-tree';
import {
  altTextLanguage,
  type AltTextLanguage,
  type AltTextLanguageOption,
  type AltTextPhrases,
  type AxisPlace,
  type NamedChartKind,
  type StackableChartKind,
} from '../text/alt-text-phrases';
import type { ChartGrouping, ChartKind } from '../text/graphic-kinds';
import { capitalize, collapseWhitespace, truncateAtWord } from '../text/plain-text';
import { paragraphTexts } from './paragraph-text';

/**
 * What a chart shows, read from its own part, and the alt text made from that in the deck's
 * language (`alt-text-phrases.ts`).
 *
 * Reading (`readChartFacts`) guarantees:
 * - Classic charts (`c:chartSpace`, transitional or ISO-Strict, matched by namespace URI) and
 *   Office 2016 charts (`cx:chartSpace`: waterfall, funnel, treemap, histogram, …) are read.
 * - Values and labels come only from the caches and literals in the chart part (`c:strCache`,
 *   `c:numCache`, `c:multiLvlStrCache` (its first level), `c:strLit`, `c:numLit`, `cx:lvl`);
 *   the embedded workbook is never opened. A series whose caches are missing has no values.
 * - The title is the chart's own text; without one, a single-series chart whose auto title is
 *   not deleted is titled by its series' name, as PowerPoint shows it.
 * - A part that is not a chart gives facts with no plots and no series; a part that is not
 *   well-formed or has a DOCTYPE throws `XmlParseError`.
 * - At most `MAX_POINTS` points per series are read, whatever `ptCount` claims.
 * - Labels from numeric caches are written in one notation whatever the language: dates as
 *   ISO dates, numbers ungrouped with a decimal point (2019, 0.5, 31%). The text writes the
 *   values, the scatter x values and the shares as the language does (0,5; 31 %).
 *
 * Text (`chartAltText`, `chartLongDescription`) is pure: no I/O; English unless `language` says.
 * Not described: trendlines, error bars, data labels' own text, formatting and colours.
 */


export interface ChartPlot {
  readonly kind: ChartKind;
  readonly grouping: ChartGrouping;
}

export interface ChartSeries {
  readonly name: string | null;
  readonly kind: ChartKind;
  /** One label per point (the x values of scatter and bubble series); null where none is cached. */
  readonly categories: readonly (string | null)[];
  readonly values: readonly (number | null)[];
  /** The cached number format shows percentages (`0%`): 0.31 reads "31%". */
  readonly percent: boolean;
}

export interface ChartAxisTitle {
  /** The axis the categories (or scatter x values) are on, or the one the values are on. */
  readonly role: 'category' | 'value';
  /** Where it is drawn (`c:axPos`); null for Office 2016 charts, which do not say. */
  readonly position: 'bottom' | 'top' | 'left' | 'right' | null;
  readonly title: string;
}

export interface ChartFacts {
  /** One per chart type in the plot area, in order; two or more make a combination chart. */
  readonly plots: readonly ChartPlot[];
  readonly title: string | null;
  /** Titled, visible axes only. */
  readonly axes: readonly ChartAxisTitle[];
  readonly series: readonly ChartSeries[];
}

export interface ChartTextOptions extends AltTextLanguageOption {
  /** Target length of the alt text; it is cut at a word boundary, never inside a word. */
  readonly charLimit: number;
}

export const MAX_POINTS = 10_000;
/** Labels read from numeric caches are facts, not text: written the same whatever the language. */
const NEUTRAL = altTextLanguage();
/** Charts up to this size get a summary of their values in the alt text. */
export const SMALL_CHART = { series: 6, points: 12 } as const;

// ---------------------------------------------------------------------------------------------
// Reading

export function readChartFacts(xml: string, source = 'chart part'): ChartFacts {
  const root = parseXml(xml, source);
  if (root.local === 'chartSpace' && CHARTEX.has(root.uri)) return readChartEx(root);
  if (root.local !== 'chartSpace' || !CHART.has(root.uri)) return { plots: [], title: null, axes: [], series: [] };
  const date1904 = flag(child(root, CHART, 'date1904'));
  const chart = child(root, CHART, 'chart');
  const plotArea = child(chart, CHART, 'plotArea');
  const plots: ChartPlot[] = [];
  const series: ChartSeries[] = [];
  const axisRoles = new Map<string, ChartAxisTitle['role']>();
  const axisElements: XmlElement[] = [];
  for (const element of plotArea ? contentChildren(plotArea) : []) {
    if (!CHART.has(element.uri)) continue;
    if (AXES.has(element.local)) axisElements.push(element);
    const kind = plotKind(element);
    if (!kind) continue;
    plots.push({ kind, grouping: plotGrouping(element) });
    for (const ser of contentChildren(element)) {
      if (CHART.has(ser.uri) && ser.local === 'ser') series.push(readSeries(ser, kind, date1904));
    }
    // A plot names its axes in order: categories (or x) first, values (or y) second.
    const [categoryAxis, valueAxis] = childrenNamed(element, CHART, 'axId').map((axId) => attribute(axId, 'val') ?? '');
    if (categoryAxis !== undefined && !axisRoles.has(categoryAxis)) axisRoles.set(categoryAxis, 'category');
    if (valueAxis !== undefined && !axisRoles.has(valueAxis)) axisRoles.set(valueAxis, 'value');
  }
  const axes: ChartAxisTitle[] = [];
  for (const axis of axisElements) {
    const title = titleText(child(axis, CHART, 'title'), CHART);
    if (axis.local === 'serAx' || title === null || flag(child(axis, CHART, 'delete'))) continue;
    const id = attribute(child(axis, CHART, 'axId'), 'val') ?? '';
    const role = axisRoles.get(id) ?? (axis.local === 'valAx' ? 'value' : 'category');
    axes.push({ role, position: POSITIONS.get(attribute(child(axis, CHART, 'axPos'), 'val') ?? '') ?? null, title });
  }
  return { plots, title: chartTitle(chart, series), axes, series };
}

const AXES = new Set(['catAx', 'dateAx', 'valAx', 'serAx']);

function plotKind(plot: XmlElement): ChartKind | null {
  switch (plot.local) {
    case 'barChart':
    case 'bar3DChart':
      return attribute(child(plot, CHART, 'barDir'), 'val') === 'bar' ? 'bar' : 'column';
    case 'lineChart':
    case 'line3DChart':
      return 'line';
    case 'pieChart':
    case 'pie3DChart':
    case 'ofPieChart':
      return 'pie';
    case 'doughnutChart':
      return 'doughnut';
    case 'areaChart':
    case 'area3DChart':
      return 'area';
    case 'scatterChart':
      return 'scatter';
    case 'bubbleChart':
      return 'bubble';
    case 'radarChart':
      return 'radar';
    case 'stockChart':
      return 'stock';
    case 'surfaceChart':
    case 'surface3DChart':
      return 'surface';
    default:
      return null;
  }
}

function plotGrouping(plot: XmlElement): ChartGrouping {
  const grouping = attribute(child(plot, CHART, 'grouping'), 'val');
  if (grouping === 'stacked') return 'stacked';
  if (grouping === 'percentStacked') return 'percent-stacked';
  return 'standard';
}

function readSeries(ser: XmlElement, kind: ChartKind, date1904: boolean): ChartSeries {
  const xy = kind === 'scatter' || kind === 'bubble';
  const values = cachedPoints(child(ser, CHART, xy ? 'yVal' : 'val'));
  const categories = cachedPoints(child(ser, CHART, xy ? 'xVal' : 'cat'));
  return {
    name: seriesName(child(ser, CHART, 'tx')),
    kind,
    categories: categories.points.map((point) => (point === null ? null : categoryLabel(point, categories, date1904))),
    values: values.points.map(toNumber),
    percent: isPercentFormat(values.formatCode),
  };
}

function seriesName(tx: XmlElement | undefined): string | null {
  const literal = child(tx, CHART, 'v');
  const text = literal ? literal.text : cachedPoints(tx).points.filter((point) => point !== null).join(' ');
  return collapseWhitespace(text) || null;
}

interface CachedPoints {
  readonly points: readonly (string | null)[];
  readonly formatCode: string | null;
  readonly numeric: boolean;
}

/**
 * The cached points of a data source (`c:cat`, `c:val`, `c:xVal`, `c:yVal`, `c:tx`): the
 * cache of its reference, or its literal.
 */
function cachedPoints(source: XmlElement | undefined): CachedPoints {
  for (const reference of source ? contentChildren(source) : []) {
    if (!CHART.has(reference.uri)) continue;
    switch (reference.local) {
      case 'strRef':
        return pointsOf(child(reference, CHART, 'strCache'), false);
      case 'numRef':
        return pointsOf(child(reference, CHART, 'numCache'), true);
      case 'multiLvlStrRef': {
        const cache = child(reference, CHART, 'multiLvlStrCache');
        return pointsOf(child(cache, CHART, 'lvl'), false, attribute(child(cache, CHART, 'ptCount'), 'val'));
      }
      case 'strLit':
        return pointsOf(reference, false);
      case 'numLit':
        return pointsOf(reference, true);
      default:
        break;
    }
  }
  return { points: [], formatCode: null, numeric: false };
}

function pointsOf(cache: XmlElement | undefined, numeric: boolean, declaredCount?: string | null): CachedPoints {
  const formatCode = child(cache, CHART, 'formatCode')?.text.trim() || null;
  const points = cache ? childrenNamed(cache, CHART, 'pt') : [];
  const count = declaredCount ?? attribute(child(cache, CHART, 'ptCount'), 'val');
  return { points: densePoints(points, count, (pt) => child(pt, CHART, 'v')?.text ?? ''), formatCode, numeric };
}

/**
 * Points by their `idx`, as an array as long as `ptCount` says or the highest index needs
 * (at most `MAX_POINTS`), null where no point is given.
 */
function densePoints(points: readonly XmlElement[], ptCount: string | null, valueOf: (pt: XmlElement) => string): (string | null)[] {
  const byIndex = new Map<number, string>();
  let length = Number(ptCount);
  if (!Number.isInteger(length) || length < 0) length = 0;
  for (const pt of points) {
    const index = Number(attribute(pt, 'idx'));
    if (!Number.isInteger(index) || index < 0 || index >= MAX_POINTS) continue;
    byIndex.set(index, valueOf(pt));
    length = Math.max(length, index + 1);
  }
  return Array.from({ length: Math.min(length, MAX_POINTS) }, (_, i) => byIndex.get(i) ?? null);
}

function toNumber(text: string | null): number | null {
  if (text === null || text.trim() === '') return null;
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}

function categoryLabel(text: string, cache: CachedPoints, date1904: boolean): string | null {
  if (!cache.numeric) return collapseWhitespace(text) || null;
  const number = toNumber(text);
  if (number === null) return collapseWhitespace(text) || null;
  const neutral = (value: number) => NEUTRAL.number(value, { grouping: false });
  if (isDateFormat(cache.formatCode)) return serialDate(number, date1904) ?? neutral(number);
  return isPercentFormat(cache.formatCode) ? `${neutral(number * 100)}%` : neutral(number);
}

/** A number format's codes outside quoted text, escapes, spacers, fills, `[…]` sections and the word General. */
function formatCodes(formatCode: string | null): string {
  return (formatCode ?? '').replace(/"[^"]*"|[\\_*].|\[[^\]]*\]|general|standard/gi, '');
}

function isPercentFormat(formatCode: string | null): boolean {
  return formatCodes(formatCode).includes('%');
}

function isDateFormat(formatCode: string | null): boolean {
  return /[dy]/i.test(formatCodes(formatCode));
}

/** A spreadsheet date serial as an ISO date (1900 system with its leap-year bug, or 1904). */
function serialDate(serial: number, date1904: boolean): string | null {
  if (serial < 0 || serial > 2_958_465) return null;
  const days = Math.floor(serial);
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : days < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  return new Date(epoch + days * 86_400_000).toISOString().slice(0, 10);
}

function chartTitle(chart: XmlElement | undefined, series: readonly ChartSeries[]): string | null {
  const title = child(chart, CHART, 'title');
  if (title && child(title, CHART, 'tx')) return titleText(title, CHART);
  const autoTitleDeleted = flag(child(chart, CHART, 'autoTitleDeleted'));
  return !autoTitleDeleted && series.length === 1 ? (series[0]?.name ?? null) : null;
}

/** A `c:title` or `cx:title`: rich text, a cached cell reference, or a `cx:txData` value. */
function titleText(title: XmlElement | undefined, ns: NamespaceSet): string | null {
  const tx = child(title, ns, 'tx');
  const rich = child(tx, ns, 'rich');
  if (rich) return paragraphTexts(rich).join(' ') || null;
  const txData = child(tx, ns, 'txData');
  if (txData) return collapseWhitespace(child(txData, ns, 'v')?.text ?? '') || null;
  return seriesName(tx);
}

const POSITIONS: ReadonlyMap<string, ChartAxisTitle['position']> = new Map([
  ['b', 'bottom'],
  ['t', 'top'],
  ['l', 'left'],
  ['r', 'right'],
]);

/** `CT_Boolean`: present without `val` means true. */
function flag(element: XmlElement | undefined): boolean {
  if (!element) return false;
  const value = attribute(element, 'val');
  return value === null || isTrue(value);
}

function childrenNamed(element: XmlElement, ns: NamespaceSet, local: string): XmlElement[] {
  return [...contentChildren(element)].filter((candidate) => ns.has(candidate.uri) && candidate.local === local);
}

// Office 2016 charts: the data sit in `cx:chartData/cx:data`, the series point at them by id.

/** By `cx:series/@layoutId`. */
const CHARTEX_KINDS: ReadonlyMap<string, ChartKind> = new Map([
  ['waterfall', 'waterfall'],
  ['funnel', 'funnel'],
  ['treemap', 'treemap'],
  ['sunburst', 'sunburst'],
  ['boxWhisker', 'box-whisker'],
  ['clusteredColumn', 'histogram'],
  ['paretoLine', 'pareto'],
  ['regionMap', 'map'],
]);

function readChartEx(root: XmlElement): ChartFacts {
  const data = new Map<string, XmlElement>();
  for (const element of childrenNamed(child(root, CHARTEX, 'chartData') ?? root, CHARTEX, 'data')) {
    data.set(attribute(element, 'id') ?? '', element);
  }
  const chart = child(root, CHARTEX, 'chart');
  const plotArea = child(chart, CHARTEX, 'plotArea');
  const region = child(plotArea, CHARTEX, 'plotAreaRegion');
  const all = region ? childrenNamed(region, CHARTEX, 'series').filter((s) => !booleanAttribute(s, 'hidden')) : [];
  const pareto = all.some((s) => attribute(s, 'layoutId') === 'paretoLine');
  const series: ChartSeries[] = [];
  for (const element of all) {
    const layoutId = attribute(element, 'layoutId') ?? '';
    if (layoutId === 'paretoLine') continue;
    const kind = pareto ? 'pareto' : (CHARTEX_KINDS.get(layoutId) ?? 'other');
    const dimensions = data.get(attribute(child(element, CHARTEX, 'dataId'), 'val') ?? '');
    const values = dimension(dimensions, 'numDim', ['val', 'size', 'y']);
    const categories = dimension(dimensions, 'strDim', ['cat', 'colorStr']);
    series.push({
      name: titleText(element, CHARTEX),
      kind,
      categories: categories.points.map((point) => (point === null ? null : collapseWhitespace(point) || null)),
      values: values.points.map(toNumber),
      percent: isPercentFormat(values.formatCode),
    });
  }
  const kinds = [...new Set(series.map((s) => s.kind))];
  const axes: ChartAxisTitle[] = [];
  for (const axis of plotArea ? childrenNamed(plotArea, CHARTEX, 'axis') : []) {
    const title = titleText(child(axis, CHARTEX, 'title'), CHARTEX);
    if (title === null || booleanAttribute(axis, 'hidden')) continue;
    axes.push({ role: child(axis, CHARTEX, 'valScaling') ? 'value' : 'category', position: null, title });
  }
  return {
    plots: kinds.map((kind) => ({ kind, grouping: 'standard' })),
    title: titleText(child(chart, CHARTEX, 'title'), CHARTEX),
    axes,
    series,
  };
}

/** The first level of the data's `cx:numDim`/`cx:strDim` of one of `types`. */
function dimension(data: XmlElement | undefined, local: string, types: readonly string[]): CachedPoints {
  const dims = data ? childrenNamed(data, CHARTEX, local) : [];
  const dim = types.map((type) => dims.find((d) => attribute(d, 'type') === type)).find((d) => d !== undefined);
  const level = dim ? childrenNamed(dim, CHARTEX, 'lvl')[0] : undefined;
  return {
    points: densePoints(level ? childrenNamed(level, CHARTEX, 'pt') : [], attribute(level, 'ptCount'), (pt) => pt.text),
    formatCode: attribute(level, 'formatCode'),
    numeric: local === 'numDim',
  };
}

/** An `xsd:boolean` attribute; absent is false. */
function booleanAttribute(element: XmlElement, name: string): boolean {
  return isTrue(attribute(element, name));
}

// ---------------------------------------------------------------------------------------------
// Text

/** Whether the facts say anything beyond the chart type. */
export function hasChartContent(facts: ChartFacts): boolean {
  return (
    facts.title !== null ||
    facts.axes.length > 0 ||
    facts.series.some((s) => s.name !== null || s.values.some((v) => v !== null) || s.categories.some((c) => c !== null))
  );
}

/** "Column chart", "100% stacked bar chart", "Column and line chart", "Chart". */
export function chartTypeLabel(facts: ChartFacts, options: AltTextLanguageOption = {}): string {
  return typeLabel(facts, altTextLanguage(options.language));
}

function typeLabel(facts: ChartFacts, language: AltTextLanguage): string {
  const phrases = language.phrases;
  const kinds = [...new Set(facts.plots.map((plot) => plot.kind))].filter(isNamed);
  const [kind] = kinds;
  if (kind === undefined) return phrases.chart;
  if (kinds.length > 1) return phrases.combinedChartType(language.list(kinds.map((k) => phrases.seriesTypes[k])));
  const only = facts.plots.length === 1 ? facts.plots[0] : undefined;
  if (only && only.grouping !== 'standard' && isStackable(only.kind)) return phrases.stackedChartTypes[only.kind][only.grouping];
  return phrases.chartTypes[kind];
}

function isNamed(kind: ChartKind): kind is NamedChartKind {
  return kind !== 'other';
}

function isStackable(kind: ChartKind): kind is StackableChartKind {
  return kind === 'bar' || kind === 'column' || kind === 'line' || kind === 'area';
}

/**
 * The short alt text: type and title, then as much as fits of the series names, the
 * categories, and the values: over ordered categories (`isOrdered`) each series' trend from
 * its first point to its last, whatever its length; else, for small charts, the extremes or
 * a pie's shares.
 */
export function chartAltText(facts: ChartFacts, options: ChartTextOptions): string {
  const limit = options.charLimit;
  const language = altTextLanguage(options.language);
  const phrases = language.phrases;
  const head = headline(facts, language);
  if (head.length > limit) return truncateAtWord(head, limit);
  const sentences: Sentence[] = [];
  const series = shownSeries(facts);
  if (series.length > 1) {
    const names = language.list(series.map((s, i) => seriesLabel(s, i, phrases)));
    sentences.push({ parts: [phrases.seriesList(series.length, names)], separator: phrases.semicolon });
  }
  sentences.push(dataSentence(facts, language));
  return assemble(head, sentences, limit);
}

/** "Bar chart: Mortality by age group." or "Bar chart." */
function headline(facts: ChartFacts, language: AltTextLanguage): string {
  const type = typeLabel(facts, language);
  return facts.title === null ? `${type}.` : withPeriod(`${type}${language.phrases.colon}${facts.title}`);
}

/** A part of a sentence, or its forms from the fullest to the shortest. */
type Part = string | readonly [string, ...string[]];

interface Sentence {
  /** Kept in order while one of their forms fits; the first that does not fit ends the sentence. */
  readonly parts: readonly Part[];
  readonly separator: string;
}

/**
 * Each sentence keeps the longest run of its parts that fits in their shortest forms (so more
 * series are named), then gives each part, in order, the fullest form that still fits.
 */
function assemble(head: string, sentences: readonly Sentence[], limit: number): string {
  let text = head;
  for (const sentence of sentences) {
    const forms = sentence.parts.map((part) => (typeof part === 'string' ? [part] : part));
    const bodyOf = (chosen: readonly string[]) => capitalize(chosen.join(sentence.separator));
    const fits = (chosen: readonly string[]) => `${text} ${withPeriod(bodyOf(chosen))}`.length <= limit;
    const chosen: string[] = [];
    for (const options of forms) {
      const shortest = options[options.length - 1] as string;
      if (!fits([...chosen, shortest])) break;
      chosen.push(shortest);
    }
    chosen.forEach((_, i) => {
      const fuller = forms[i]?.find((form) => fits(chosen.map((kept, j) => (j === i ? form : kept))));
      if (fuller !== undefined) chosen[i] = fuller;
    });
    if (chosen.length > 0) text = `${text} ${withPeriod(bodyOf(chosen))}`;
  }
  return text;
}

/** A pie draws only its first series. */
function shownSeries(facts: ChartFacts): readonly ChartSeries[] {
  const first = facts.series[0];
  return first?.kind === 'pie' ? [first] : facts.series;
}

function dataSentence(facts: ChartFacts, language: AltTextLanguage): Sentence {
  const phrases = language.phrases;
  const none: Sentence = { parts: [], separator: phrases.semicolon };
  const series = shownSeries(facts);
  const first = series[0];
  if (!first) return none;
  const small = series.length <= SMALL_CHART.series && series.every((s) => s.values.length <= SMALL_CHART.points);
  const categoryTitle = facts.axes.find((axis) => axis.role === 'category')?.title ?? null;
  const valueTitle = facts.axes.find((axis) => axis.role === 'value')?.title ?? null;

  if (first.kind === 'scatter' || first.kind === 'bubble') {
    if (!small) return none;
    const ranges = series.map((s, i) => {
      const x = range(s.categories.map(toNumber));
      const y = range(s.values);
      const xText = x ? phrases.span(categoryTitle ?? phrases.xValues, language.number(x.min), language.number(x.max)) : null;
      const yText = y ? phrases.span(valueTitle ?? phrases.yValues, formatValue(y.min, s, language), formatValue(y.max, s, language)) : null;
      const text = [xText, yText].filter((t) => t !== null).join(phrases.comma);
      return text === '' ? '' : series.length > 1 ? phrases.measured(seriesLabel(s, i, phrases), text) : text;
    });
    return { ...none, parts: ranges.filter((r) => r !== '') };
  }

  if (first.kind === 'histogram' || first.kind === 'box-whisker' || first.kind === 'pareto') {
    const values = range(first.values);
    const count = first.values.filter((v) => v !== null).length;
    return { ...none, parts: values ? [phrases.valueCount(count, formatValue(values.min, first, language), formatValue(values.max, first, language))] : [] };
  }

  const labels = pointLabels(first, phrases);
  const named = labels.filter((label, i) => first.categories[i] !== undefined && first.categories[i] !== null && label !== '');
  const categoryLabel = categoryTitle ?? phrases.categories;
  const lastNamed = named[named.length - 1];
  const categoryPart =
    named[0] === undefined || lastNamed === undefined
      ? null
      : named.length <= 3
        ? `${categoryLabel} ${language.list(named)}`
        : phrases.span(categoryLabel, named[0], lastNamed);

  if (first.kind === 'pie' || first.kind === 'doughnut') {
    const shares = pieShares(first, phrases).sort((a, b) => b.share - a.share);
    if (small && shares.length > 0) return { parts: shares.map((s) => `${s.label} ${formatShare(s.share, language)}`), separator: phrases.comma };
    const largest = shares[0];
    return {
      ...none,
      parts: [categoryPart, largest ? phrases.largestShare(largest.label, formatShare(largest.share, language)) : null].filter((p) => p !== null),
    };
  }

  const parts: Part[] = categoryPart === null ? [] : [categoryPart];
  if (isOrdered(facts) && series.length <= SMALL_CHART.series && series.every((s) => TREND_KINDS.has(s.kind))) {
    // Over ordered categories (years, ages, times) the shape of each series is what a reader sees.
    if (series.length === 1) {
      const measure = valueTitle ?? (facts.title === null ? first.name : null);
      const [phrase, ...more] = trendPhrases(first, language);
      if (phrase !== undefined) parts.push(measure ? phrases.measured(measure, phrase) : phrase, ...more);
    } else {
      series.forEach((s, i) => {
        const [phrase, ...more] = trendPhrases(s, language);
        const label = seriesLabel(s, i, phrases);
        if (phrase === undefined) return;
        // Fullest first; a series that goes up and down is told by its peak when nothing else fits.
        const forms = [...new Set([[phrase, ...more].join(phrases.comma), [phrase, ...more.slice(0, 1)].join(phrases.comma), ...more.slice(0, 1)])];
        parts.push(forms.map((form) => phrases.measured(label, form)) as [string, ...string[]]);
      });
    }
  } else if (small && series.length > 1) {
    series.forEach((s, i) => {
      const extremes = extremesOf(s, language);
      if (extremes) parts.push(phrases.measured(seriesLabel(s, i, phrases), extremesPhrases(extremes, phrases)[0]));
    });
  } else if (small) {
    // One series: what its values measure is the value axis title, else (untitled) its name.
    const measure = valueTitle ?? (facts.title === null ? first.name : null);
    const extremes = extremesOf(first, language);
    const [phrase, ...more] = extremes ? extremesPhrases(extremes, phrases) : [];
    if (phrase !== undefined) parts.push(measure ? phrases.measured(measure, phrase) : phrase, ...more);
  }
  return { ...none, parts };
}

/** Series drawn over the categories in their order, whose rise and fall can be told. */
const TREND_KINDS: ReadonlySet<ChartKind> = new Set(['line', 'area', 'column', 'bar']);

/**
 * Whether the categories have an order of their own: a line or area is drawn through them in
 * order, and labels that all start with a number are years, dates, ages, times or doses. Other
 * labels (causes, wards, drugs) are in whatever order the author typed them.
 */
function isOrdered(facts: ChartFacts): boolean {
  if (facts.plots.some((plot) => plot.kind === 'line' || plot.kind === 'area')) return true;
  const labels = facts.series[0]?.categories.filter((label): label is string => label !== null) ?? [];
  return labels.length > 1 && labels.every((label) => /^[-+−–]?\d/u.test(label));
}

type Trend = 'rising' | 'falling' | 'mixed';

interface Shape {
  readonly trend: Trend;
  /** Indexes of the first and last points with values, and of the extremes. */
  readonly first: number;
  readonly last: number;
  readonly min: number;
  readonly max: number;
  readonly highest: readonly number[];
  readonly lowest: readonly number[];
}

/** How a series goes from its first value to its last; null unless it has two different values. */
function shapeOf(values: readonly (number | null)[]): Shape | null {
  const present = values.flatMap((value, index) => (value === null ? [] : [{ value, index }]));
  const found = range(values);
  const start = present[0];
  const end = present[present.length - 1];
  if (!found || !start || !end || found.min === found.max) return null;
  let up = false;
  let down = false;
  present.forEach((point, i) => {
    const before = present[i - 1];
    if (before && point.value > before.value) up = true;
    if (before && point.value < before.value) down = true;
  });
  const at = (target: number) => present.filter((point) => point.value === target).map((point) => point.index);
  return {
    trend: up && down ? 'mixed' : up ? 'rising' : 'falling',
    first: start.index,
    last: end.index,
    min: found.min,
    max: found.max,
    highest: at(found.max),
    lowest: at(found.min),
  };
}

/**
 * "rising from 1995 (3.1) to 2010 (7.2)", and for a series that goes up and down its highest
 * and lowest points too, where they are not its ends. A flat or one-point series is told as
 * the extremes tell it.
 */
function trendPhrases(series: ChartSeries, language: AltTextLanguage): string[] {
  const phrases = language.phrases;
  const shape = shapeOf(series.values);
  if (!shape) {
    const extremes = extremesOf(series, language);
    return extremes ? extremesPhrases(extremes, phrases) : [];
  }
  const labels = pointLabels(series, phrases);
  const at = (index: number) => `${labels[index]} (${formatValue(series.values[index] as number, series, language)})`;
  const ends = [shape.first, shape.last];
  switch (shape.trend) {
    case 'rising':
      return [phrases.trendRising(at(shape.first), at(shape.last))];
    case 'falling':
      return [phrases.trendFalling(at(shape.first), at(shape.last))];
    case 'mixed': {
      // An extreme at either end is already told by the ends.
      const inside = (indexes: readonly number[]) => !indexes.some((index) => ends.includes(index));
      return [
        phrases.trendMixed(at(shape.first), at(shape.last)),
        ...(inside(shape.highest) ? [phrases.highestAt(valueAt(series, shape.max, language))] : []),
        ...(inside(shape.lowest) ? [phrases.lowestAt(valueAt(series, shape.min, language))] : []),
      ];
    }
    default:
      return assertNever(shape.trend, 'trend');
  }
}

type Extremes =
  /** One value, or all the same: "80+ (31)" or "7". */
  | { readonly kind: 'single'; readonly at: string }
  | { readonly kind: 'flat'; readonly value: string }
  | { readonly kind: 'range'; readonly highest: string; readonly lowest: string };

/** Where a series is highest and lowest, as "80+ (31)"; ties named together, more than three counted. */
function extremesOf(series: ChartSeries, language: AltTextLanguage): Extremes | null {
  const values = series.values;
  const found = range(values);
  if (!found) return null;
  const at = (target: number): string => valueAt(series, target, language);
  if (found.min !== found.max) return { kind: 'range', highest: at(found.max), lowest: at(found.min) };
  const count = values.filter((v) => v !== null).length;
  return count === 1 ? { kind: 'single', at: at(found.max) } : { kind: 'flat', value: formatValue(found.max, series, language) };
}

/** Where a series has `target`, as "80+ (31)"; ties named together, more than three counted. */
function valueAt(series: ChartSeries, target: number, language: AltTextLanguage): string {
  const labels = pointLabels(series, language.phrases);
  const names = labels.filter((_, i) => series.values[i] === target);
  const named = names.length <= 3 ? language.list(names) : language.phrases.tiedCategories(names.length);
  return `${named} (${formatValue(target, series, language)})`;
}

/** The phrases for the alt text, most important first. */
function extremesPhrases(extremes: Extremes, phrases: AltTextPhrases): [string, ...string[]] {
  switch (extremes.kind) {
    case 'single':
      return [phrases.onlyAt(extremes.at)];
    case 'flat':
      return [phrases.allEqual(extremes.value)];
    case 'range':
      return [phrases.highestAt(extremes.highest), phrases.lowestAt(extremes.lowest)];
    default:
      return assertNever(extremes, 'extremes');
  }
}

function range(values: readonly (number | null)[]): { min: number; max: number } | null {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return null;
  return { min: Math.min(...present), max: Math.max(...present) };
}

interface Share {
  readonly index: number;
  readonly label: string;
  /** Percent of the positive total. */
  readonly share: number;
}

/** Each point's share of a pie, in point order; none when nothing is positive. */
function pieShares(series: ChartSeries, phrases: AltTextPhrases): Share[] {
  const labels = pointLabels(series, phrases);
  const total = series.values.reduce<number>((sum, v) => sum + (v !== null && v > 0 ? v : 0), 0);
  if (total <= 0) return [];
  const shares: Share[] = [];
  series.values.forEach((value, index) => {
    if (value !== null) shares.push({ index, label: labels[index] ?? '', share: value > 0 ? (value / total) * 100 : 0 });
  });
  return shares;
}

function formatShare(share: number, language: AltTextLanguage): string {
  if (share > 0 && share < 0.5) return `<${language.percent(1)}`;
  return language.percent(Math.round(share));
}

/** Each point's category, or "point 3" where the chart has none. */
function pointLabels(series: ChartSeries, phrases: AltTextPhrases): string[] {
  return series.values.map((_, i) => series.categories[i] ?? phrases.point(i + 1));
}

function seriesLabel(series: ChartSeries, index: number, phrases: AltTextPhrases): string {
  return series.name ?? phrases.seriesNumber(index + 1);
}

/** Up to `MAX_LISTED_POINTS` values per series and `MAX_LISTED_SERIES` series are listed. */
const MAX_LISTED_POINTS = 100;
const MAX_LISTED_SERIES = 25;

/**
 * The full text for speaker notes or a review: type and title, every titled axis, then each
 * series with its values (a pie's with shares, a scatter's as (x, y) pairs), one line each.
 */
export function chartLongDescription(facts: ChartFacts, options: AltTextLanguageOption = {}): string {
  const language = altTextLanguage(options.language);
  const phrases = language.phrases;
  const lines = [headline(facts, language)];
  if (facts.axes.length > 0) {
    lines.push(facts.axes.map((axis) => withPeriod(`${phrases.axes[axisPlace(axis)]}${phrases.colon}${axis.title}`)).join(' '));
  }
  const combination = facts.plots.length > 1;
  const series = shownSeries(facts);
  series.slice(0, MAX_LISTED_SERIES).forEach((s, i) => {
    const name = s.name === null ? phrases.seriesNumber(i + 1) : phrases.namedSeries(s.name);
    const kind = combination && isNamed(s.kind) ? ` (${phrases.seriesTypes[s.kind]})` : '';
    lines.push(`${name}${kind}${phrases.colon}${seriesValuesText(s, language)}`);
  });
  if (series.length > MAX_LISTED_SERIES) lines.push(`${phrases.moreSeries(series.length - MAX_LISTED_SERIES)}.`);
  return lines.join('\n');
}

/** Primary axes by direction; secondary ones (drawn right or top) by side. */
function axisPlace(axis: ChartAxisTitle): AxisPlace {
  switch (axis.position) {
    case 'bottom':
    case 'left':
    case 'right':
    case 'top':
      return axis.position;
    case null:
      return axis.role;
    default:
      return assertNever(axis.position, 'axis position');
  }
}

function seriesValuesText(series: ChartSeries, language: AltTextLanguage): string {
  const phrases = language.phrases;
  const noData = `${phrases.noData}.`;
  if (series.values.every((v) => v === null)) return noData;
  if (series.kind === 'histogram' || series.kind === 'box-whisker' || series.kind === 'pareto') {
    const values = range(series.values);
    const count = series.values.filter((v) => v !== null).length;
    return values ? `${phrases.valueCount(count, formatValue(values.min, series, language), formatValue(values.max, series, language))}.` : noData;
  }
  const labels = pointLabels(series, phrases);
  const pie = series.kind === 'pie' || series.kind === 'doughnut';
  const shares = pie && !series.percent ? new Map(pieShares(series, phrases).map((s) => [s.index, s.share])) : null;
  const items = series.values.slice(0, MAX_LISTED_POINTS).map((value, i) => {
    const shown = value === null ? phrases.noValue : formatValue(value, series, language);
    if (series.kind === 'scatter' || series.kind === 'bubble') return phrases.xyPoint(xValueText(series.categories[i], language), shown);
    const share = shares?.get(i);
    return `${labels[i]}${phrases.colon}${shown}${share !== undefined && value !== null ? ` (${formatShare(share, language)})` : ''}`;
  });
  const more = series.values.length - MAX_LISTED_POINTS;
  return `${items.join(phrases.semicolon)}${more > 0 ? `${phrases.semicolon}${phrases.morePoints(more)}` : ''}.`;
}

/** A scatter's x value as the language writes numbers; dates, text and other notations as read. */
function xValueText(label: string | null | undefined, language: AltTextLanguage): string {
  if (label === null || label === undefined) return '?';
  const number = toNumber(label);
  const neutral = number !== null && NEUTRAL.number(number, { grouping: false }) === label;
  return neutral ? language.number(number, { grouping: false }) : label;
}

function formatValue(value: number, series: ChartSeries, language: AltTextLanguage): string {
  return series.percent ? language.percent(value * 100) : language.number(value);
}

function withPeriod(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}
