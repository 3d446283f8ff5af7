import type { PromptCategory } from '../../shared/config-schema';
import type { ChartGrouping, ChartKind, SmartArtLayout } from './graphic-kinds';
import { capitalize } from './plain-text';

/**
 * The fixed words of the alt text AltGen writes itself (charts, SmartArt, tables, offline
 * drafts), one table per language, and the language's way of writing numbers and lists.
 *
 * Guarantees:
 * - Every language has every phrase: `AltTextPhrases` has one member per phrase or phrase
 *   builder, so a table that lacks one does not compile.
 * - `altTextLanguage(tag)` picks the table by the tag's primary subtag (`de-CH` → German,
 *   `iw` → Hebrew) from `LANGUAGES`; any other language, a malformed tag or none at all gives
 *   English. English without a tag, `en` and `en-US` give the same text.
 * - Numbers follow the whole tag through `Intl` (`de-DE` 12.500,5, `de-CH` 12'500.5), in the
 *   digits a table asks for (Arabic: Latin digits); a language without a table has its numbers
 *   written as `en-US` writes them, like its words.
 * - Lists are joined by `Intl.ListFormat` in the table's language; English lists have no
 *   serial comma ("A, B and C"), as AltGen has always written them.
 *
 * Not guaranteed: text taken from the deck (titles, labels, cells) is never translated, and
 * phrases avoid grammatical agreement with it rather than inflecting for it.
 */

/** A chart type that has a name (`other` is just "Chart"). */
export type NamedChartKind = Exclude<ChartKind, 'other'>;
export type StackableChartKind = 'bar' | 'column' | 'line' | 'area';
export type StackedGrouping = Exclude<ChartGrouping, 'standard'>;
/** Where a titled axis is: primary axes by direction, secondary ones by side, else by role. */
export type AxisPlace = 'bottom' | 'left' | 'right' | 'top' | 'category' | 'value';
/** What an offline draft calls the picture. */
export type PictureNounKind = Exclude<PromptCategory, 'auto'>;

export interface AltTextPhrases {
  /** Heads the text read in a picture, in an offline long description: "Text in the picture". */
  readonly textInPicture: string;
  // Punctuation (French sets a non-breaking space before ':' and ';').
  /** Introduces what follows: "Table: …". */
  readonly colon: string;
  /** Separates the parts of a sentence and the items of a list that may hold commas. */
  readonly semicolon: string;
  /** Separates short items: "A 30%, B 70%" (Arabic writes '،'). */
  readonly comma: string;

  // Charts
  /** A chart whose type has no name. */
  readonly chart: string;
  /** "Column chart". */
  readonly chartTypes: Readonly<Record<NamedChartKind, string>>;
  /** "Stacked column chart", "100% stacked column chart". */
  readonly stackedChartTypes: Readonly<Record<StackableChartKind, Readonly<Record<StackedGrouping, string>>>>;
  /** A chart type as a series' kind in a combination chart: "column" in `Series "A" (column)`. */
  readonly seriesTypes: Readonly<Record<NamedChartKind, string>>;
  /** A combination chart, from its series types already joined as a list: "Column and line chart". */
  readonly combinedChartType: (types: string) => string;
  /** "2 series: Men and Women" (`names` already joined; `count` is at least 2). */
  readonly seriesList: (count: number, names: string) => string;
  /** What categories are called when the category axis has no title. */
  readonly categories: string;
  readonly xValues: string;
  readonly yValues: string;
  /** "Age group 0–19 to 80+". */
  readonly span: (label: string, from: string, to: string) => string;
  /** "12 values from 1 to 9" (histograms, box plots, Pareto charts). */
  readonly valueCount: (count: number, from: string, to: string) => string;
  /** A pie's largest slice: "largest Cancer (27%)". */
  readonly largestShare: (label: string, share: string) => string;
  /** What a phrase is about, before it: "Deaths highest at 80+ (31)". */
  readonly measured: (measure: string, phrase: string) => string;
  /** A series with one value: "at 80+ (31)". */
  readonly onlyAt: (at: string) => string;
  /** Every value the same: "all 7". */
  readonly allEqual: (value: string) => string;
  readonly highestAt: (at: string) => string;
  readonly lowestAt: (at: string) => string;
  /**
   * The trend of a series over ordered categories, from its first point to its last (each
   * "1995 (3.1)"): never falling ("rising from 1995 (3.1) to 2010 (7.2)"), never rising, or
   * both ("up and down from …").
   */
  readonly trendRising: (from: string, to: string) => string;
  readonly trendFalling: (from: string, to: string) => string;
  readonly trendMixed: (from: string, to: string) => string;
  /** More than three categories tied for highest or lowest (`count` is at least 4). */
  readonly tiedCategories: (count: number) => string;
  /** A point without a category: "point 3". */
  readonly point: (number: number) => string;
  /** A series without a name: "Series 2". */
  readonly seriesNumber: (number: number) => string;
  /** `Series "Deaths"`. */
  readonly namedSeries: (name: string) => string;
  readonly axes: Readonly<Record<AxisPlace, string>>;
  readonly noData: string;
  readonly noValue: string;
  /** A scatter point: "(1, 10)"; languages with a decimal comma separate with ';'. */
  readonly xyPoint: (x: string, y: string) => string;
  /** After the points listed: "and 12 more". */
  readonly morePoints: (count: number) => string;
  /** After the series listed: "And 3 more series". */
  readonly moreSeries: (count: number) => string;

  // SmartArt
  readonly smartArtLayouts: Readonly<Record<SmartArtLayout, string>>;
  /** The long description's heading for numbered steps. */
  readonly smartArtSteps: Readonly<Record<'process' | 'cycle', string>>;

  // Tables
  readonly table: string;
  /** "3 columns × 1 row". */
  readonly tableSize: (columns: number, rows: number) => string;
  /** The first row when it is styled as a header row. */
  readonly headers: string;
  readonly firstRow: string;
  readonly row: (number: number) => string;
  readonly emptyCell: string;
  /** After the rows listed: "And 3 more rows". */
  readonly moreRows: (count: number) => string;

  // Offline drafts
  readonly pictureNouns: Readonly<Record<PictureNounKind, string>>;
  /** Before short labels: "Image labelled: ". */
  readonly labelled: (noun: string) => string;
  /** Before longer text: "Image with the text: ". */
  readonly withText: (noun: string) => string;
  /** After the labels: " (slide: Cardiac anatomy)". */
  readonly slideSuffix: (heading: string) => string;
  /** `Image on the slide "Cardiac anatomy"`. */
  readonly onSlide: (noun: string, heading: string) => string;
}

function stacking(
  names: Readonly<Record<StackableChartKind, string>>,
  forms: Readonly<Record<StackedGrouping, (name: string) => string>>,
): Record<StackableChartKind, Record<StackedGrouping, string>> {
  const entry = (name: string) => ({ stacked: forms.stacked(name), 'percent-stacked': forms['percent-stacked'](name) });
  return { bar: entry(names.bar), column: entry(names.column), line: entry(names.line), area: entry(names.area) };
}

function mapKinds(words: Readonly<Record<NamedChartKind, string>>, name: (word: string) => string): Record<NamedChartKind, string> {
  const entries = Object.entries(words).map(([kind, word]) => [kind, name(word)] as const);
  return Object.fromEntries(entries) as Record<NamedChartKind, string>;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

// English ---------------------------------------------------------------------------------------

const ENGLISH_KINDS: Readonly<Record<NamedChartKind, string>> = {
  bar: 'bar',
  column: 'column',
  line: 'line',
  pie: 'pie',
  doughnut: 'doughnut',
  area: 'area',
  scatter: 'scatter',
  bubble: 'bubble',
  radar: 'radar',
  stock: 'stock',
  surface: 'surface',
  waterfall: 'waterfall',
  funnel: 'funnel',
  treemap: 'treemap',
  sunburst: 'sunburst',
  'box-whisker': 'box and whisker',
  histogram: 'histogram',
  pareto: 'Pareto',
  map: 'map',
};

const ENGLISH: AltTextPhrases = {
  textInPicture: 'Text in the picture',
  colon: ': ',
  semicolon: '; ',
  comma: ', ',
  chart: 'Chart',
  chartTypes: mapKinds(ENGLISH_KINDS, (word) => capitalize(`${word} chart`)),
  stackedChartTypes: stacking(ENGLISH_KINDS, {
    stacked: (kind) => `Stacked ${kind} chart`,
    'percent-stacked': (kind) => `100% stacked ${kind} chart`,
  }),
  seriesTypes: ENGLISH_KINDS,
  combinedChartType: (types) => capitalize(`${types} chart`),
  seriesList: (count, names) => `${count} series: ${names}`,
  categories: 'Categories',
  xValues: 'x values',
  yValues: 'y values',
  span: (label, from, to) => `${label} ${from} to ${to}`,
  valueCount: (count, from, to) => `${count} values from ${from} to ${to}`,
  largestShare: (label, share) => `largest ${label} (${share})`,
  measured: (measure, phrase) => `${measure} ${phrase}`,
  onlyAt: (at) => `at ${at}`,
  allEqual: (value) => `all ${value}`,
  highestAt: (at) => `highest at ${at}`,
  lowestAt: (at) => `lowest at ${at}`,
  trendRising: (from, to) => `rising from ${from} to ${to}`,
  trendFalling: (from, to) => `falling from ${from} to ${to}`,
  trendMixed: (from, to) => `up and down from ${from} to ${to}`,
  tiedCategories: (count) => `${count} categories`,
  point: (number) => `point ${number}`,
  seriesNumber: (number) => `Series ${number}`,
  namedSeries: (name) => `Series "${name}"`,
  axes: {
    bottom: 'Horizontal axis',
    left: 'Vertical axis',
    right: 'Right axis',
    top: 'Top axis',
    category: 'Category axis',
    value: 'Value axis',
  },
  noData: 'no data',
  noValue: 'no value',
  xyPoint: (x, y) => `(${x}, ${y})`,
  morePoints: (count) => `and ${count} more`,
  moreSeries: (count) => `And ${count} more series`,
  smartArtLayouts: {
    list: 'List',
    process: 'Process',
    cycle: 'Cycle',
    hierarchy: 'Hierarchy',
    relationship: 'Relationship',
    matrix: 'Matrix',
    pyramid: 'Pyramid',
    other: 'Diagram',
  },
  smartArtSteps: { process: 'Process, in order', cycle: 'Cycle, in order; the last step leads back to the first' },
  table: 'Table',
  tableSize: (columns, rows) => `${plural(columns, 'column', 'columns')} × ${plural(rows, 'row', 'rows')}`,
  headers: 'headers',
  firstRow: 'first row',
  row: (number) => `Row ${number}`,
  emptyCell: '(empty)',
  moreRows: (count) => `And ${count} more rows`,
  pictureNouns: {
    default: 'Image',
    anatomical: 'Anatomical illustration',
    diagnostic: 'Medical image',
    chart: 'Chart',
    diagram: 'Diagram',
    clinical_photo: 'Clinical photograph',
  },
  labelled: (noun) => `${noun} labelled: `,
  withText: (noun) => `${noun} with the text: `,
  slideSuffix: (heading) => ` (slide: ${heading})`,
  onSlide: (noun, heading) => `${noun} on the slide "${heading}"`,
};

// German ----------------------------------------------------------------------------------------

const GERMAN_TYPES: Readonly<Record<NamedChartKind, string>> = {
  bar: 'Balkendiagramm',
  column: 'Säulendiagramm',
  line: 'Liniendiagramm',
  pie: 'Kreisdiagramm',
  doughnut: 'Ringdiagramm',
  area: 'Flächendiagramm',
  scatter: 'Streudiagramm',
  bubble: 'Blasendiagramm',
  radar: 'Netzdiagramm',
  stock: 'Kursdiagramm',
  surface: 'Oberflächendiagramm',
  waterfall: 'Wasserfalldiagramm',
  funnel: 'Trichterdiagramm',
  treemap: 'Treemap-Diagramm',
  sunburst: 'Sunburst-Diagramm',
  'box-whisker': 'Kastengrafik',
  histogram: 'Histogramm',
  pareto: 'Pareto-Diagramm',
  map: 'Kartendiagramm',
};

const GERMAN: AltTextPhrases = {
  textInPicture: 'Text im Bild',
  colon: ': ',
  semicolon: '; ',
  comma: ', ',
  chart: 'Diagramm',
  chartTypes: GERMAN_TYPES,
  // All four are neuter nouns in "-diagramm", so one adjective ending fits.
  stackedChartTypes: stacking(GERMAN_TYPES, {
    stacked: (type) => `Gestapeltes ${type}`,
    'percent-stacked': (type) => `Gestapeltes ${type} (100\u00a0%)`,
  }),
  seriesTypes: {
    bar: 'Balken',
    column: 'Säulen',
    line: 'Linie',
    pie: 'Kreis',
    doughnut: 'Ring',
    area: 'Fläche',
    scatter: 'Punkte',
    bubble: 'Blasen',
    radar: 'Netz',
    stock: 'Kurs',
    surface: 'Oberfläche',
    waterfall: 'Wasserfall',
    funnel: 'Trichter',
    treemap: 'Treemap',
    sunburst: 'Sunburst',
    'box-whisker': 'Kastengrafik',
    histogram: 'Histogramm',
    pareto: 'Pareto',
    map: 'Karte',
  },
  combinedChartType: (types) => `Kombinationsdiagramm (${types})`,
  seriesList: (count, names) => `${count} Datenreihen: ${names}`,
  categories: 'Kategorien',
  xValues: 'x-Werte',
  yValues: 'y-Werte',
  span: (label, from, to) => `${label} von ${from} bis ${to}`,
  valueCount: (count, from, to) => (count === 1 ? `1 Wert: ${from}` : `${count} Werte von ${from} bis ${to}`),
  largestShare: (label, share) => `größter Anteil: ${label} (${share})`,
  measured: (measure, phrase) => `${measure} ${phrase}`,
  onlyAt: (at) => `bei ${at}`,
  allEqual: (value) => `durchgehend ${value}`,
  highestAt: (at) => `am höchsten bei ${at}`,
  lowestAt: (at) => `am niedrigsten bei ${at}`,
  trendRising: (from, to) => `steigend von ${from} bis ${to}`,
  trendFalling: (from, to) => `fallend von ${from} bis ${to}`,
  trendMixed: (from, to) => `schwankend von ${from} bis ${to}`,
  tiedCategories: (count) => `${count} Kategorien`,
  point: (number) => `Punkt ${number}`,
  seriesNumber: (number) => `Datenreihe ${number}`,
  namedSeries: (name) => `Datenreihe „${name}“`,
  axes: {
    bottom: 'Horizontale Achse',
    left: 'Vertikale Achse',
    right: 'Rechte Achse',
    top: 'Obere Achse',
    category: 'Kategorienachse',
    value: 'Werteachse',
  },
  noData: 'keine Daten',
  noValue: 'kein Wert',
  xyPoint: (x, y) => `(${x}; ${y})`,
  morePoints: (count) => `und ${count} weitere`,
  moreSeries: (count) => `Und ${count} weitere Datenreihen`,
  smartArtLayouts: {
    list: 'Liste',
    process: 'Prozess',
    cycle: 'Zyklus',
    hierarchy: 'Hierarchie',
    relationship: 'Beziehung',
    matrix: 'Matrix',
    pyramid: 'Pyramide',
    other: 'Diagramm',
  },
  smartArtSteps: {
    process: 'Prozess, Schritt für Schritt',
    cycle: 'Zyklus, Schritt für Schritt; auf den letzten Schritt folgt wieder der erste',
  },
  table: 'Tabelle',
  tableSize: (columns, rows) => `${plural(columns, 'Spalte', 'Spalten')} × ${plural(rows, 'Zeile', 'Zeilen')}`,
  headers: 'Spaltenüberschriften',
  firstRow: 'erste Zeile',
  row: (number) => `Zeile ${number}`,
  emptyCell: '(leer)',
  moreRows: (count) => `Und ${count} weitere Zeilen`,
  pictureNouns: {
    default: 'Bild',
    anatomical: 'Anatomische Abbildung',
    diagnostic: 'Medizinisches Bild',
    chart: 'Diagramm',
    diagram: 'Schaubild',
    clinical_photo: 'Klinisches Foto',
  },
  labelled: (noun) => `${noun} mit Beschriftung: `,
  withText: (noun) => `${noun} mit dem Text: `,
  slideSuffix: (heading) => ` (Folie: ${heading})`,
  onSlide: (noun, heading) => `${noun} auf der Folie „${heading}“`,
};

// French ----------------------------------------------------------------------------------------

/** French typography: a non-breaking space before ':', a narrow one before ';'. */
const FRENCH_COLON = '\u00a0: ';
const FRENCH_SEMICOLON = '\u202f; ';

/** "de" elided before a vowel: "de 0 à 5", "d’avril à juin". */
function frenchFrom(text: string): string {
  return /^[aeiouàâäéèêëîïôöùûü]/i.test(text) ? `d’${text}` : `de ${text}`;
}

const FRENCH: AltTextPhrases = {
  textInPicture: 'Texte dans l’image',
  colon: FRENCH_COLON,
  semicolon: FRENCH_SEMICOLON,
  comma: ', ',
  chart: 'Graphique',
  chartTypes: {
    bar: 'Diagramme à barres',
    column: 'Histogramme',
    line: 'Graphique en courbes',
    pie: 'Graphique en secteurs',
    doughnut: 'Graphique en anneau',
    area: 'Graphique en aires',
    scatter: 'Nuage de points',
    bubble: 'Graphique à bulles',
    radar: 'Graphique en radar',
    stock: 'Graphique boursier',
    surface: 'Graphique en surface',
    waterfall: 'Graphique en cascade',
    funnel: 'Graphique en entonnoir',
    treemap: 'Graphique en compartiments',
    sunburst: 'Graphique en rayons de soleil',
    'box-whisker': 'Boîte à moustaches',
    histogram: 'Histogramme de fréquences',
    pareto: 'Diagramme de Pareto',
    map: 'Graphique en carte',
  },
  stackedChartTypes: stacking(
    {
      bar: 'Diagramme à barres empilées',
      column: 'Histogramme empilé',
      line: 'Graphique en courbes empilées',
      area: 'Graphique en aires empilées',
    },
    { stacked: (type) => type, 'percent-stacked': (type) => `${type} 100\u00a0%` },
  ),
  seriesTypes: {
    bar: 'barres',
    column: 'histogramme',
    line: 'courbes',
    pie: 'secteurs',
    doughnut: 'anneau',
    area: 'aires',
    scatter: 'nuage de points',
    bubble: 'bulles',
    radar: 'radar',
    stock: 'boursier',
    surface: 'surface',
    waterfall: 'cascade',
    funnel: 'entonnoir',
    treemap: 'compartiments',
    sunburst: 'rayons de soleil',
    'box-whisker': 'boîte à moustaches',
    histogram: 'histogramme de fréquences',
    pareto: 'Pareto',
    map: 'carte',
  },
  combinedChartType: (types) => `Graphique combiné (${types})`,
  seriesList: (count, names) => `${count} séries${FRENCH_COLON}${names}`,
  categories: 'Catégories',
  xValues: 'valeurs x',
  yValues: 'valeurs y',
  span: (label, from, to) => `${label} ${frenchFrom(from)} à ${to}`,
  valueCount: (count, from, to) => (count === 1 ? `1 valeur${FRENCH_COLON}${from}` : `${count} valeurs ${frenchFrom(from)} à ${to}`),
  largestShare: (label, share) => `part la plus importante${FRENCH_COLON}${label} (${share})`,
  measured: (measure, phrase) => `${measure}${FRENCH_COLON}${phrase}`,
  onlyAt: (at) => `une seule valeur, ${at}`,
  allEqual: (value) => `toutes les valeurs égales à ${value}`,
  highestAt: (at) => `maximum pour ${at}`,
  lowestAt: (at) => `minimum pour ${at}`,
  trendRising: (from, to) => `en hausse ${frenchFrom(from)} à ${to}`,
  trendFalling: (from, to) => `en baisse ${frenchFrom(from)} à ${to}`,
  trendMixed: (from, to) => `en dents de scie ${frenchFrom(from)} à ${to}`,
  tiedCategories: (count) => `${count} catégories`,
  point: (number) => `point ${number}`,
  seriesNumber: (number) => `Série ${number}`,
  namedSeries: (name) => `Série «\u00a0${name}\u00a0»`,
  axes: {
    bottom: 'Axe horizontal',
    left: 'Axe vertical',
    right: 'Axe de droite',
    top: 'Axe du haut',
    category: 'Axe des catégories',
    value: 'Axe des valeurs',
  },
  noData: 'aucune donnée',
  noValue: 'aucune valeur',
  xyPoint: (x, y) => `(${x}${FRENCH_SEMICOLON}${y})`,
  morePoints: (count) => `et ${count} autres`,
  moreSeries: (count) => `Et ${count} autres séries`,
  smartArtLayouts: {
    list: 'Liste',
    process: 'Processus',
    cycle: 'Cycle',
    hierarchy: 'Hiérarchie',
    relationship: 'Relation',
    matrix: 'Matrice',
    pyramid: 'Pyramide',
    other: 'Diagramme',
  },
  smartArtSteps: {
    process: 'Processus, dans l’ordre',
    cycle: `Cycle, dans l’ordre${FRENCH_SEMICOLON}la dernière étape ramène à la première`,
  },
  table: 'Tableau',
  tableSize: (columns, rows) => `${plural(columns, 'colonne', 'colonnes')} × ${plural(rows, 'ligne', 'lignes')}`,
  headers: 'en-têtes',
  firstRow: 'première ligne',
  row: (number) => `Ligne ${number}`,
  emptyCell: '(vide)',
  moreRows: (count) => `Et ${count} autres lignes`,
  pictureNouns: {
    default: 'Image',
    anatomical: 'Illustration anatomique',
    diagnostic: 'Image médicale',
    chart: 'Graphique',
    diagram: 'Schéma',
    clinical_photo: 'Photographie clinique',
  },
  labelled: (noun) => `${noun} avec légendes${FRENCH_COLON}`,
  withText: (noun) => `${noun} avec le texte${FRENCH_COLON}`,
  slideSuffix: (heading) => ` (diapositive${FRENCH_COLON}${heading})`,
  onSlide: (noun, heading) => `${noun} sur la diapositive «\u00a0${heading}\u00a0»`,
};

// Spanish ---------------------------------------------------------------------------------------

const SPANISH: AltTextPhrases = {
  textInPicture: 'Texto en la imagen',
  colon: ': ',
  semicolon: '; ',
  comma: ', ',
  chart: 'Gráfico',
  chartTypes: {
    bar: 'Gráfico de barras',
    column: 'Gráfico de columnas',
    line: 'Gráfico de líneas',
    pie: 'Gráfico circular',
    doughnut: 'Gráfico de anillos',
    area: 'Gráfico de áreas',
    scatter: 'Gráfico de dispersión',
    bubble: 'Gráfico de burbujas',
    radar: 'Gráfico radial',
    stock: 'Gráfico de cotizaciones',
    surface: 'Gráfico de superficie',
    waterfall: 'Gráfico de cascada',
    funnel: 'Gráfico de embudo',
    treemap: 'Gráfico de rectángulos',
    sunburst: 'Gráfico de proyección solar',
    'box-whisker': 'Gráfico de cajas y bigotes',
    histogram: 'Histograma',
    pareto: 'Diagrama de Pareto',
    map: 'Gráfico de mapa',
  },
  stackedChartTypes: stacking(
    {
      bar: 'Gráfico de barras apiladas',
      column: 'Gráfico de columnas apiladas',
      line: 'Gráfico de líneas apiladas',
      area: 'Gráfico de áreas apiladas',
    },
    { stacked: (type) => type, 'percent-stacked': (type) => `${type} al 100\u00a0%` },
  ),
  seriesTypes: {
    bar: 'barras',
    column: 'columnas',
    line: 'líneas',
    pie: 'circular',
    doughnut: 'anillos',
    area: 'áreas',
    scatter: 'dispersión',
    bubble: 'burbujas',
    radar: 'radial',
    stock: 'cotizaciones',
    surface: 'superficie',
    waterfall: 'cascada',
    funnel: 'embudo',
    treemap: 'rectángulos',
    sunburst: 'proyección solar',
    'box-whisker': 'cajas y bigotes',
    histogram: 'histograma',
    pareto: 'Pareto',
    map: 'mapa',
  },
  combinedChartType: (types) => `Gráfico combinado (${types})`,
  seriesList: (count, names) => `${count} series: ${names}`,
  categories: 'Categorías',
  xValues: 'valores x',
  yValues: 'valores y',
  span: (label, from, to) => `${label} de ${from} a ${to}`,
  valueCount: (count, from, to) => (count === 1 ? `1 valor: ${from}` : `${count} valores de ${from} a ${to}`),
  largestShare: (label, share) => `mayor proporción: ${label} (${share})`,
  measured: (measure, phrase) => `${measure}: ${phrase}`,
  onlyAt: (at) => `un solo valor, ${at}`,
  allEqual: (value) => `todos los valores iguales a ${value}`,
  highestAt: (at) => `máximo en ${at}`,
  lowestAt: (at) => `mínimo en ${at}`,
  trendRising: (from, to) => `en aumento de ${from} a ${to}`,
  trendFalling: (from, to) => `en descenso de ${from} a ${to}`,
  trendMixed: (from, to) => `con altibajos de ${from} a ${to}`,
  tiedCategories: (count) => `${count} categorías`,
  point: (number) => `punto ${number}`,
  seriesNumber: (number) => `Serie ${number}`,
  namedSeries: (name) => `Serie «${name}»`,
  axes: {
    bottom: 'Eje horizontal',
    left: 'Eje vertical',
    right: 'Eje derecho',
    top: 'Eje superior',
    category: 'Eje de categorías',
    value: 'Eje de valores',
  },
  noData: 'sin datos',
  noValue: 'sin valor',
  xyPoint: (x, y) => `(${x}; ${y})`,
  morePoints: (count) => `y ${count} más`,
  moreSeries: (count) => `Y ${count} series más`,
  smartArtLayouts: {
    list: 'Lista',
    process: 'Proceso',
    cycle: 'Ciclo',
    hierarchy: 'Jerarquía',
    relationship: 'Relación',
    matrix: 'Matriz',
    pyramid: 'Pirámide',
    other: 'Diagrama',
  },
  smartArtSteps: { process: 'Proceso, en orden', cycle: 'Ciclo, en orden; el último paso lleva de nuevo al primero' },
  table: 'Tabla',
  tableSize: (columns, rows) => `${plural(columns, 'columna', 'columnas')} × ${plural(rows, 'fila', 'filas')}`,
  headers: 'encabezados',
  firstRow: 'primera fila',
  row: (number) => `Fila ${number}`,
  emptyCell: '(vacía)',
  moreRows: (count) => `Y ${count} filas más`,
  pictureNouns: {
    default: 'Imagen',
    anatomical: 'Ilustración anatómica',
    diagnostic: 'Imagen médica',
    chart: 'Gráfico',
    diagram: 'Diagrama',
    clinical_photo: 'Fotografía clínica',
  },
  labelled: (noun) => `${noun} con etiquetas: `,
  withText: (noun) => `${noun} con el texto: `,
  slideSuffix: (heading) => ` (diapositiva: ${heading})`,
  onSlide: (noun, heading) => `${noun} en la diapositiva «${heading}»`,
};

// Italian ---------------------------------------------------------------------------------------

const ITALIAN: AltTextPhrases = {
  textInPicture: 'Testo nell’immagine',
  colon: ': ',
  semicolon: '; ',
  comma: ', ',
  chart: 'Grafico',
  // "Istogramma" is kept for the statistical histogram, so column charts are "a colonne".
  chartTypes: {
    bar: 'Grafico a barre',
    column: 'Grafico a colonne',
    line: 'Grafico a linee',
    pie: 'Grafico a torta',
    doughnut: 'Grafico ad anello',
    area: 'Grafico ad area',
    scatter: 'Grafico a dispersione',
    bubble: 'Grafico a bolle',
    radar: 'Grafico radar',
    stock: 'Grafico azionario',
    surface: 'Grafico di superficie',
    waterfall: 'Grafico a cascata',
    funnel: 'Grafico a imbuto',
    treemap: 'Grafico treemap',
    sunburst: 'Grafico sunburst',
    'box-whisker': 'Diagramma a scatola e baffi',
    histogram: 'Istogramma',
    pareto: 'Diagramma di Pareto',
    map: 'Grafico a mappa',
  },
  stackedChartTypes: stacking(
    {
      bar: 'Grafico a barre in pila',
      column: 'Grafico a colonne in pila',
      line: 'Grafico a linee in pila',
      area: 'Grafico ad area in pila',
    },
    { stacked: (type) => type, 'percent-stacked': (type) => `${type} al 100%` },
  ),
  seriesTypes: {
    bar: 'barre',
    column: 'colonne',
    line: 'linee',
    pie: 'torta',
    doughnut: 'anello',
    area: 'area',
    scatter: 'dispersione',
    bubble: 'bolle',
    radar: 'radar',
    stock: 'azionario',
    surface: 'superficie',
    waterfall: 'cascata',
    funnel: 'imbuto',
    treemap: 'treemap',
    sunburst: 'sunburst',
    'box-whisker': 'scatola e baffi',
    histogram: 'istogramma',
    pareto: 'Pareto',
    map: 'mappa',
  },
  combinedChartType: (types) => `Grafico combinato (${types})`,
  seriesList: (count, names) => `${count} serie: ${names}`,
  categories: 'Categorie',
  xValues: 'valori x',
  yValues: 'valori y',
  span: (label, from, to) => `${label} da ${from} a ${to}`,
  valueCount: (count, from, to) => (count === 1 ? `1 valore: ${from}` : `${count} valori da ${from} a ${to}`),
  largestShare: (label, share) => `quota maggiore: ${label} (${share})`,
  measured: (measure, phrase) => `${measure}: ${phrase}`,
  onlyAt: (at) => `un solo valore, ${at}`,
  allEqual: (value) => `tutti i valori pari a ${value}`,
  highestAt: (at) => `massimo per ${at}`,
  lowestAt: (at) => `minimo per ${at}`,
  trendRising: (from, to) => `in aumento da ${from} a ${to}`,
  trendFalling: (from, to) => `in calo da ${from} a ${to}`,
  trendMixed: (from, to) => `con alti e bassi da ${from} a ${to}`,
  tiedCategories: (count) => `${count} categorie`,
  point: (number) => `punto ${number}`,
  seriesNumber: (number) => `Serie ${number}`,
  namedSeries: (name) => `Serie «${name}»`,
  axes: {
    bottom: 'Asse orizzontale',
    left: 'Asse verticale',
    right: 'Asse destro',
    top: 'Asse superiore',
    category: 'Asse delle categorie',
    value: 'Asse dei valori',
  },
  noData: 'nessun dato',
  noValue: 'nessun valore',
  xyPoint: (x, y) => `(${x}; ${y})`,
  morePoints: (count) => `e altri ${count}`,
  moreSeries: (count) => `E altre ${count} serie`,
  smartArtLayouts: {
    list: 'Elenco',
    process: 'Processo',
    cycle: 'Ciclo',
    hierarchy: 'Gerarchia',
    relationship: 'Relazione',
    matrix: 'Matrice',
    pyramid: 'Piramide',
    other: 'Diagramma',
  },
  smartArtSteps: { process: 'Processo, in ordine', cycle: 'Ciclo, in ordine; l’ultimo passaggio riporta al primo' },
  table: 'Tabella',
  tableSize: (columns, rows) => `${plural(columns, 'colonna', 'colonne')} × ${plural(rows, 'riga', 'righe')}`,
  headers: 'intestazioni',
  firstRow: 'prima riga',
  row: (number) => `Riga ${number}`,
  emptyCell: '(vuota)',
  moreRows: (count) => `E altre ${count} righe`,
  pictureNouns: {
    default: 'Immagine',
    anatomical: 'Illustrazione anatomica',
    diagnostic: 'Immagine medica',
    chart: 'Grafico',
    diagram: 'Diagramma',
    clinical_photo: 'Fotografia clinica',
  },
  labelled: (noun) => `${noun} con etichette: `,
  withText: (noun) => `${noun} con il testo: `,
  slideSuffix: (heading) => ` (diapositiva: ${heading})`,
  onSlide: (noun, heading) => `${noun} nella diapositiva «${heading}»`,
};

// Dutch -----------------------------------------------------------------------------------------

const DUTCH_TYPES: Readonly<Record<NamedChartKind, string>> = {
  bar: 'staafdiagram',
  column: 'kolomdiagram',
  line: 'lijndiagram',
  pie: 'cirkeldiagram',
  doughnut: 'ringdiagram',
  area: 'vlakdiagram',
  scatter: 'spreidingsdiagram',
  bubble: 'bellendiagram',
  radar: 'radardiagram',
  stock: 'koersdiagram',
  surface: 'oppervlaktediagram',
  waterfall: 'watervaldiagram',
  funnel: 'trechterdiagram',
  treemap: 'treemapdiagram',
  sunburst: 'zonnediagram',
  'box-whisker': 'boxplot',
  histogram: 'histogram',
  pareto: 'paretodiagram',
  map: 'kaartdiagram',
};

const DUTCH: AltTextPhrases = {
  textInPicture: 'Tekst in de afbeelding',
  colon: ': ',
  semicolon: '; ',
  comma: ', ',
  chart: 'Grafiek',
  chartTypes: mapKinds(DUTCH_TYPES, capitalize),
  // "Het diagram" is neuter: no -e after "een", so the adjective never changes.
  stackedChartTypes: stacking(DUTCH_TYPES, {
    stacked: (type) => `Gestapeld ${type}`,
    'percent-stacked': (type) => `100% gestapeld ${type}`,
  }),
  seriesTypes: {
    bar: 'staven',
    column: 'kolommen',
    line: 'lijn',
    pie: 'cirkel',
    doughnut: 'ring',
    area: 'vlak',
    scatter: 'spreiding',
    bubble: 'bellen',
    radar: 'radar',
    stock: 'koers',
    surface: 'oppervlak',
    waterfall: 'waterval',
    funnel: 'trechter',
    treemap: 'treemap',
    sunburst: 'zonnediagram',
    'box-whisker': 'boxplot',
    histogram: 'histogram',
    pareto: 'Pareto',
    map: 'kaart',
  },
  combinedChartType: (types) => `Combinatiegrafiek (${types})`,
  seriesList: (count, names) => `${count} reeksen: ${names}`,
  categories: 'Categorieën',
  xValues: 'x-waarden',
  yValues: 'y-waarden',
  span: (label, from, to) => `${label} van ${from} tot ${to}`,
  valueCount: (count, from, to) => (count === 1 ? `1 waarde: ${from}` : `${count} waarden van ${from} tot ${to}`),
  largestShare: (label, share) => `grootste aandeel: ${label} (${share})`,
  measured: (measure, phrase) => `${measure}: ${phrase}`,
  onlyAt: (at) => `één waarde, ${at}`,
  allEqual: (value) => `alle waarden gelijk aan ${value}`,
  highestAt: (at) => `hoogste waarde bij ${at}`,
  lowestAt: (at) => `laagste waarde bij ${at}`,
  trendRising: (from, to) => `stijgend van ${from} tot ${to}`,
  trendFalling: (from, to) => `dalend van ${from} tot ${to}`,
  trendMixed: (from, to) => `wisselend van ${from} tot ${to}`,
  tiedCategories: (count) => `${count} categorieën`,
  point: (number) => `punt ${number}`,
  seriesNumber: (number) => `Reeks ${number}`,
  namedSeries: (name) => `Reeks “${name}”`,
  axes: {
    bottom: 'Horizontale as',
    left: 'Verticale as',
    right: 'Rechteras',
    top: 'Bovenste as',
    category: 'As met categorieën',
    value: 'As met waarden',
  },
  noData: 'geen gegevens',
  noValue: 'geen waarde',
  xyPoint: (x, y) => `(${x}; ${y})`,
  morePoints: (count) => `en nog ${count}`,
  moreSeries: (count) => `En nog ${count} reeksen`,
  smartArtLayouts: {
    list: 'Lijst',
    process: 'Proces',
    cycle: 'Cyclus',
    hierarchy: 'Hiërarchie',
    relationship: 'Relatie',
    matrix: 'Matrix',
    pyramid: 'Piramide',
    other: 'Diagram',
  },
  smartArtSteps: { process: 'Proces, in volgorde', cycle: 'Cyclus, in volgorde; na de laatste stap volgt weer de eerste' },
  table: 'Tabel',
  tableSize: (columns, rows) => `${plural(columns, 'kolom', 'kolommen')} × ${plural(rows, 'rij', 'rijen')}`,
  headers: 'kolomkoppen',
  firstRow: 'eerste rij',
  row: (number) => `Rij ${number}`,
  emptyCell: '(leeg)',
  moreRows: (count) => `En nog ${count} rijen`,
  pictureNouns: {
    default: 'Afbeelding',
    anatomical: 'Anatomische illustratie',
    diagnostic: 'Medische afbeelding',
    chart: 'Grafiek',
    diagram: 'Schema',
    clinical_photo: 'Klinische foto',
  },
  labelled: (noun) => `${noun} met labels: `,
  withText: (noun) => `${noun} met de tekst: `,
  slideSuffix: (heading) => ` (dia: ${heading})`,
  onSlide: (noun, heading) => `${noun} op de dia “${heading}”`,
};

// Portuguese (words shared by Portugal and Brazil where they differ: "slide", "circular") --------

const PORTUGUESE: AltTextPhrases = {
  textInPicture: 'Texto na imagem',
  colon: ': ',
  semicolon: '; ',
  comma: ', ',
  chart: 'Gráfico',
  chartTypes: {
    bar: 'Gráfico de barras',
    column: 'Gráfico de colunas',
    line: 'Gráfico de linhas',
    pie: 'Gráfico circular',
    doughnut: 'Gráfico de anel',
    area: 'Gráfico de áreas',
    scatter: 'Gráfico de dispersão',
    bubble: 'Gráfico de bolhas',
    radar: 'Gráfico de radar',
    stock: 'Gráfico de cotações',
    surface: 'Gráfico de superfície',
    waterfall: 'Gráfico em cascata',
    funnel: 'Gráfico de funil',
    treemap: 'Gráfico treemap',
    sunburst: 'Gráfico sunburst',
    'box-whisker': 'Diagrama de caixa',
    histogram: 'Histograma',
    pareto: 'Diagrama de Pareto',
    map: 'Gráfico de mapa',
  },
  stackedChartTypes: stacking(
    {
      bar: 'Gráfico de barras empilhadas',
      column: 'Gráfico de colunas empilhadas',
      line: 'Gráfico de linhas empilhadas',
      area: 'Gráfico de áreas empilhadas',
    },
    { stacked: (type) => type, 'percent-stacked': (type) => `${type} (100%)` },
  ),
  seriesTypes: {
    bar: 'barras',
    column: 'colunas',
    line: 'linhas',
    pie: 'circular',
    doughnut: 'anel',
    area: 'áreas',
    scatter: 'dispersão',
    bubble: 'bolhas',
    radar: 'radar',
    stock: 'cotações',
    surface: 'superfície',
    waterfall: 'cascata',
    funnel: 'funil',
    treemap: 'treemap',
    sunburst: 'sunburst',
    'box-whisker': 'caixa',
    histogram: 'histograma',
    pareto: 'Pareto',
    map: 'mapa',
  },
  combinedChartType: (types) => `Gráfico combinado (${types})`,
  seriesList: (count, names) => `${count} séries: ${names}`,
  categories: 'Categorias',
  xValues: 'valores x',
  yValues: 'valores y',
  span: (label, from, to) => `${label} de ${from} a ${to}`,
  valueCount: (count, from, to) => (count === 1 ? `1 valor: ${from}` : `${count} valores de ${from} a ${to}`),
  largestShare: (label, share) => `maior parcela: ${label} (${share})`,
  measured: (measure, phrase) => `${measure}: ${phrase}`,
  onlyAt: (at) => `um único valor, ${at}`,
  allEqual: (value) => `todos os valores iguais a ${value}`,
  highestAt: (at) => `máximo em ${at}`,
  lowestAt: (at) => `mínimo em ${at}`,
  trendRising: (from, to) => `em alta de ${from} a ${to}`,
  trendFalling: (from, to) => `em queda de ${from} a ${to}`,
  trendMixed: (from, to) => `com altos e baixos de ${from} a ${to}`,
  tiedCategories: (count) => `${count} categorias`,
  point: (number) => `ponto ${number}`,
  seriesNumber: (number) => `Série ${number}`,
  namedSeries: (name) => `Série “${name}”`,
  axes: {
    bottom: 'Eixo horizontal',
    left: 'Eixo vertical',
    right: 'Eixo direito',
    top: 'Eixo superior',
    category: 'Eixo das categorias',
    value: 'Eixo dos valores',
  },
  noData: 'sem dados',
  noValue: 'sem valor',
  xyPoint: (x, y) => `(${x}; ${y})`,
  morePoints: (count) => `e mais ${count}`,
  moreSeries: (count) => `E mais ${count} séries`,
  smartArtLayouts: {
    list: 'Lista',
    process: 'Processo',
    cycle: 'Ciclo',
    hierarchy: 'Hierarquia',
    relationship: 'Relação',
    matrix: 'Matriz',
    pyramid: 'Pirâmide',
    other: 'Diagrama',
  },
  smartArtSteps: { process: 'Processo, passo a passo', cycle: 'Ciclo, passo a passo; o último passo leva de volta ao primeiro' },
  table: 'Tabela',
  tableSize: (columns, rows) => `${plural(columns, 'coluna', 'colunas')} × ${plural(rows, 'linha', 'linhas')}`,
  headers: 'cabeçalhos',
  firstRow: 'primeira linha',
  row: (number) => `Linha ${number}`,
  emptyCell: '(vazia)',
  moreRows: (count) => `E mais ${count} linhas`,
  pictureNouns: {
    default: 'Imagem',
    anatomical: 'Ilustração de anatomia',
    diagnostic: 'Imagem médica',
    chart: 'Gráfico',
    diagram: 'Diagrama',
    clinical_photo: 'Fotografia clínica',
  },
  labelled: (noun) => `${noun} com legendas: `,
  withText: (noun) => `${noun} com o texto: `,
  slideSuffix: (heading) => ` (slide: ${heading})`,
  onSlide: (noun, heading) => `${noun} no slide “${heading}”`,
};

// Arabic (Modern Standard Arabic) ----------------------------------------------------------------

const ARABIC_PLURALS = new Intl.PluralRules('ar');

/** An Arabic counted noun: one and two by the noun's own forms, 3–10 plural, 11–99 accusative singular, else singular. */
function arabicCount(count: number, forms: { readonly one: string; readonly two: string; readonly few: string; readonly many: string; readonly other: string }): string {
  switch (ARABIC_PLURALS.select(count)) {
    case 'one':
      return forms.one;
    case 'two':
      return forms.two;
    case 'few':
      return `${count} ${forms.few}`;
    case 'many':
      return `${count} ${forms.many}`;
    default:
      return `${count} ${forms.other}`;
  }
}

const ARABIC_COLUMNS = { one: 'عمود واحد', two: 'عمودان', few: 'أعمدة', many: 'عمودًا', other: 'عمود' } as const;
const ARABIC_ROWS = { one: 'صف واحد', two: 'صفان', few: 'صفوف', many: 'صفًا', other: 'صف' } as const;
const ARABIC_SERIES = { one: 'سلسلة واحدة', two: 'سلسلتان', few: 'سلاسل', many: 'سلسلة', other: 'سلسلة' } as const;

const ARABIC_TYPES: Readonly<Record<NamedChartKind, string>> = {
  bar: 'مخطط شريطي',
  column: 'مخطط عمودي',
  line: 'مخطط خطي',
  pie: 'مخطط دائري',
  doughnut: 'مخطط حلقي',
  area: 'مخطط مساحي',
  scatter: 'مخطط مبعثر',
  bubble: 'مخطط فقاعي',
  radar: 'مخطط نسيجي',
  stock: 'مخطط أسهم',
  surface: 'مخطط سطحي',
  waterfall: 'مخطط شلال',
  funnel: 'مخطط قمعي',
  treemap: 'مخطط خريطة شجرية',
  sunburst: 'مخطط أمواج شمسية',
  'box-whisker': 'مخطط الصندوق والطرفين',
  histogram: 'مدرج تكراري',
  pareto: 'مخطط باريتو',
  map: 'مخطط خريطة',
};

// Trends are nouns ("a rise from … to …"), which agree with nothing the deck names.
const ARABIC: AltTextPhrases = {
  textInPicture: 'النص في الصورة',
  colon: ': ',
  semicolon: '؛ ',
  comma: '، ',
  chart: 'مخطط',
  chartTypes: ARABIC_TYPES,
  // "مخطط" is masculine: the participle that follows it keeps one form.
  stackedChartTypes: stacking(ARABIC_TYPES, {
    stacked: (type) => `${type} مكدس`,
    'percent-stacked': (type) => `${type} مكدس بنسبة 100%`,
  }),
  seriesTypes: {
    bar: 'أشرطة',
    column: 'أعمدة',
    line: 'خطوط',
    pie: 'دائري',
    doughnut: 'حلقي',
    area: 'مساحي',
    scatter: 'مبعثر',
    bubble: 'فقاعات',
    radar: 'نسيجي',
    stock: 'أسهم',
    surface: 'سطحي',
    waterfall: 'شلال',
    funnel: 'قمعي',
    treemap: 'خريطة شجرية',
    sunburst: 'أمواج شمسية',
    'box-whisker': 'الصندوق والطرفين',
    histogram: 'مدرج تكراري',
    pareto: 'باريتو',
    map: 'خريطة',
  },
  combinedChartType: (types) => `مخطط مركب (${types})`,
  seriesList: (count, names) => `${arabicCount(count, ARABIC_SERIES)}: ${names}`,
  categories: 'الفئات',
  xValues: 'قيم x',
  yValues: 'قيم y',
  span: (label, from, to) => `${label} من ${from} إلى ${to}`,
  valueCount: (count, from, to) => (count === 1 ? `قيمة واحدة: ${from}` : `عدد القيم ${count}، من ${from} إلى ${to}`),
  largestShare: (label, share) => `الحصة الكبرى: ${label} (${share})`,
  measured: (measure, phrase) => `${measure}: ${phrase}`,
  onlyAt: (at) => `قيمة واحدة، ${at}`,
  allEqual: (value) => `جميع القيم تساوي ${value}`,
  highestAt: (at) => `الأعلى عند ${at}`,
  lowestAt: (at) => `الأدنى عند ${at}`,
  trendRising: (from, to) => `ارتفاع من ${from} إلى ${to}`,
  trendFalling: (from, to) => `انخفاض من ${from} إلى ${to}`,
  trendMixed: (from, to) => `تذبذب من ${from} إلى ${to}`,
  tiedCategories: (count) => `${count} من الفئات`,
  point: (number) => `النقطة ${number}`,
  seriesNumber: (number) => `السلسلة ${number}`,
  namedSeries: (name) => `السلسلة «${name}»`,
  axes: {
    bottom: 'المحور الأفقي',
    left: 'المحور الرأسي',
    right: 'المحور الأيمن',
    top: 'المحور العلوي',
    category: 'محور الفئات',
    value: 'محور القيم',
  },
  noData: 'لا توجد بيانات',
  noValue: 'لا توجد قيمة',
  xyPoint: (x, y) => `(${x}، ${y})`,
  morePoints: (count) => `و${count} أخرى`,
  moreSeries: (count) => `وسلاسل أخرى عددها ${count}`,
  smartArtLayouts: {
    list: 'قائمة',
    process: 'عملية',
    cycle: 'دورة',
    hierarchy: 'تسلسل هرمي',
    relationship: 'علاقة',
    matrix: 'مصفوفة',
    pyramid: 'هرم',
    other: 'رسم تخطيطي',
  },
  smartArtSteps: { process: 'عملية، بالترتيب', cycle: 'دورة، بالترتيب؛ تعود الخطوة الأخيرة إلى الأولى' },
  table: 'جدول',
  tableSize: (columns, rows) => `${arabicCount(columns, ARABIC_COLUMNS)} × ${arabicCount(rows, ARABIC_ROWS)}`,
  headers: 'العناوين',
  firstRow: 'الصف الأول',
  row: (number) => `الصف ${number}`,
  emptyCell: '(فارغة)',
  moreRows: (count) => `وصفوف أخرى عددها ${count}`,
  pictureNouns: {
    default: 'صورة',
    anatomical: 'رسم تشريحي',
    diagnostic: 'صورة طبية',
    chart: 'مخطط',
    diagram: 'رسم تخطيطي',
    clinical_photo: 'صورة سريرية',
  },
  labelled: (noun) => `${noun} مع التسميات: `,
  withText: (noun) => `${noun} مع النص: `,
  slideSuffix: (heading) => ` (الشريحة: ${heading})`,
  onSlide: (noun, heading) => `${noun} في الشريحة «${heading}»`,
};

// Hebrew -----------------------------------------------------------------------------------------

const HEBREW_TYPES: Readonly<Record<NamedChartKind, string>> = {
  bar: 'תרשים פסים',
  column: 'תרשים עמודות',
  line: 'תרשים קו',
  pie: 'תרשים עוגה',
  doughnut: 'תרשים טבעת',
  area: 'תרשים שטח',
  scatter: 'תרשים פיזור',
  bubble: 'תרשים בועות',
  radar: 'תרשים רדאר',
  stock: 'תרשים מניות',
  surface: 'תרשים משטח',
  waterfall: 'תרשים מפל',
  funnel: 'תרשים משפך',
  treemap: 'תרשים מפת עץ',
  sunburst: 'תרשים קרני שמש',
  'box-whisker': 'תרשים תיבה ושפם',
  histogram: 'היסטוגרמה',
  pareto: 'תרשים פארטו',
  map: 'תרשים מפה',
};

// "מ־" (from) is joined to what follows by a maqaf, so it reads before digits and Latin labels too.
const HEBREW: AltTextPhrases = {
  textInPicture: 'טקסט בתמונה',
  colon: ': ',
  semicolon: '; ',
  comma: ', ',
  chart: 'תרשים',
  chartTypes: HEBREW_TYPES,
  // "תרשים" is masculine: one form of "stacked" fits all four.
  stackedChartTypes: stacking(HEBREW_TYPES, {
    stacked: (type) => `${type} מוערם`,
    'percent-stacked': (type) => `${type} מוערם 100%`,
  }),
  seriesTypes: {
    bar: 'פסים',
    column: 'עמודות',
    line: 'קו',
    pie: 'עוגה',
    doughnut: 'טבעת',
    area: 'שטח',
    scatter: 'פיזור',
    bubble: 'בועות',
    radar: 'רדאר',
    stock: 'מניות',
    surface: 'משטח',
    waterfall: 'מפל',
    funnel: 'משפך',
    treemap: 'מפת עץ',
    sunburst: 'קרני שמש',
    'box-whisker': 'תיבה ושפם',
    histogram: 'היסטוגרמה',
    pareto: 'פארטו',
    map: 'מפה',
  },
  combinedChartType: (types) => `תרשים משולב (${types})`,
  seriesList: (count, names) => `${count} סדרות: ${names}`,
  categories: 'קטגוריות',
  xValues: 'ערכי x',
  yValues: 'ערכי y',
  span: (label, from, to) => `${label} מ־${from} עד ${to}`,
  valueCount: (count, from, to) => (count === 1 ? `ערך אחד: ${from}` : `${count} ערכים, מ־${from} עד ${to}`),
  largestShare: (label, share) => `החלק הגדול ביותר: ${label} (${share})`,
  measured: (measure, phrase) => `${measure}: ${phrase}`,
  onlyAt: (at) => `ערך יחיד, ${at}`,
  allEqual: (value) => `כל הערכים שווים ל־${value}`,
  highestAt: (at) => `הגבוה ביותר ב־${at}`,
  lowestAt: (at) => `הנמוך ביותר ב־${at}`,
  trendRising: (from, to) => `עלייה מ־${from} עד ${to}`,
  trendFalling: (from, to) => `ירידה מ־${from} עד ${to}`,
  trendMixed: (from, to) => `תנודות מ־${from} עד ${to}`,
  tiedCategories: (count) => `${count} קטגוריות`,
  point: (number) => `נקודה ${number}`,
  seriesNumber: (number) => `סדרה ${number}`,
  namedSeries: (name) => `סדרה "${name}"`,
  axes: {
    bottom: 'ציר אופקי',
    left: 'ציר אנכי',
    right: 'ציר ימני',
    top: 'ציר עליון',
    category: 'ציר הקטגוריות',
    value: 'ציר הערכים',
  },
  noData: 'אין נתונים',
  noValue: 'אין ערך',
  xyPoint: (x, y) => `(${x}, ${y})`,
  morePoints: (count) => `ועוד ${count}`,
  moreSeries: (count) => `ועוד ${count} סדרות`,
  smartArtLayouts: {
    list: 'רשימה',
    process: 'תהליך',
    cycle: 'מחזור',
    hierarchy: 'היררכיה',
    relationship: 'קשר',
    matrix: 'מטריצה',
    pyramid: 'פירמידה',
    other: 'דיאגרמה',
  },
  smartArtSteps: { process: 'תהליך, לפי הסדר', cycle: 'מחזור, לפי הסדר; אחרי השלב האחרון חוזרים לראשון' },
  table: 'טבלה',
  tableSize: (columns, rows) => `${plural(columns, 'עמודה', 'עמודות')} × ${plural(rows, 'שורה', 'שורות')}`,
  headers: 'כותרות',
  firstRow: 'שורה ראשונה',
  row: (number) => `שורה ${number}`,
  emptyCell: '(ריק)',
  moreRows: (count) => `ועוד ${count} שורות`,
  pictureNouns: {
    default: 'תמונה',
    anatomical: 'איור אנטומי',
    diagnostic: 'תמונה רפואית',
    chart: 'תרשים',
    diagram: 'דיאגרמה',
    clinical_photo: 'צילום קליני',
  },
  labelled: (noun) => `${noun} עם תוויות: `,
  withText: (noun) => `${noun} עם הטקסט: `,
  slideSuffix: (heading) => ` (שקופית: ${heading})`,
  onSlide: (noun, heading) => `${noun} בשקופית "${heading}"`,
};

// The languages -----------------------------------------------------------------------------------

interface LanguageEntry {
  readonly phrases: AltTextPhrases;
  /** The `Intl.ListFormat` locale (British English has no serial comma). */
  readonly list: string;
  /** The locale of numbers when the tag given is not one `Intl` accepts. */
  readonly number: string;
  /**
   * The digits numbers are written in, whatever the tag's region prefers. Arabic keeps Latin
   * digits: the labels and values the chart itself shows (years, cached numbers) are in Latin
   * digits, and one text should not mix two kinds.
   */
  readonly digits?: 'latn';
  /** Deprecated primary subtags that still turn up in decks (`iw` for Hebrew). */
  readonly aliases?: readonly string[];
}

/**
 * Every language AltGen writes its own words in, by primary subtag. Adding a language is one
 * phrase table above and one line here; `AltTextLanguageCode` and the checks follow from it.
 */
const LANGUAGES = {
  en: { phrases: ENGLISH, list: 'en-GB', number: 'en-US' },
  de: { phrases: GERMAN, list: 'de', number: 'de-DE' },
  fr: { phrases: FRENCH, list: 'fr', number: 'fr-FR' },
  es: { phrases: SPANISH, list: 'es', number: 'es-ES' },
  it: { phrases: ITALIAN, list: 'it', number: 'it-IT' },
  nl: { phrases: DUTCH, list: 'nl', number: 'nl-NL' },
  pt: { phrases: PORTUGUESE, list: 'pt', number: 'pt-BR' },
  ar: { phrases: ARABIC, list: 'ar', number: 'ar', digits: 'latn' },
  he: { phrases: HEBREW, list: 'he', number: 'he-IL', aliases: ['iw'] },
} as const satisfies Readonly<Record<string, LanguageEntry>>;

export type AltTextLanguageCode = keyof typeof LANGUAGES;

/** Every language's phrases, by its primary subtag. */
export const ALT_TEXT_PHRASES: Readonly<Record<AltTextLanguageCode, AltTextPhrases>> = Object.fromEntries(
  Object.entries(LANGUAGES).map(([code, entry]) => [code, entry.phrases]),
) as Record<AltTextLanguageCode, AltTextPhrases>;

/** The language option of the text functions; English when `language` is absent. */
export interface AltTextLanguageOption {
  /** A BCP 47 tag (`de-DE`, `fr`, `pt-BR`), as `alt_text.language` resolves to. */
  readonly language?: string;
}

export interface AltTextLanguage {
  readonly code: AltTextLanguageCode;
  readonly phrases: AltTextPhrases;
  /** "A, B and C", "A, B und C"; one item as it is, none as ''. */
  readonly list: (items: readonly string[]) => string;
  /**
   * 12,345.67 · 2003 · 0.37 (float noise gone) · 0.000412 in English: thousands grouped from
   * five digits on, never with `grouping: false` (labels like years).
   */
  readonly number: (value: number, options?: { readonly grouping?: boolean }) => string;
  /** `percent(37)` is "37%" in English, "37 %" in German; digits as `number`. */
  readonly percent: (value: number) => string;
}

export function altTextLanguage(tag?: string): AltTextLanguage {
  const primary = (tag ?? '').split(/[-_]/)[0]?.toLowerCase() ?? '';
  const code = languageCode(primary);
  const entry: LanguageEntry = LANGUAGES[code];
  const own = code === primary || entry.aliases?.includes(primary) === true;
  const locale = (own && tag !== undefined && canonicalLocale(tag)) || entry.number;
  const numberLocale = entry.digits ? withDigits(locale, entry.digits) : locale;
  const lists = new Intl.ListFormat(entry.list, { style: 'long', type: 'conjunction' });
  return {
    code,
    phrases: entry.phrases,
    list: (items) => lists.format(items),
    number: (value, options = {}) => new Intl.NumberFormat(numberLocale, digits(value, options.grouping ?? true)).format(value),
    percent: (value) => new Intl.NumberFormat(numberLocale, { style: 'percent', ...digits(value, true) }).format(value / 100),
  };
}

/** The language of a primary subtag (or one of its aliases); English for any other. */
function languageCode(primary: string): AltTextLanguageCode {
  if (Object.hasOwn(LANGUAGES, primary)) return primary as AltTextLanguageCode;
  const aliased = Object.entries(LANGUAGES).find(([, entry]: [string, LanguageEntry]) => entry.aliases?.includes(primary));
  return (aliased?.[0] as AltTextLanguageCode | undefined) ?? 'en';
}

function withDigits(locale: string, numberingSystem: string): string {
  return new Intl.Locale(locale, { numberingSystem }).toString();
}

function canonicalLocale(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag.replace(/_/g, '-'))[0] ?? null;
  } catch {
    return null;
  }
}

function digits(value: number, grouping: boolean): Intl.NumberFormatOptions {
  const small = value !== 0 && Math.abs(value) < 1;
  return {
    useGrouping: grouping && Math.abs(value) >= 10_000,
    ...(small ? { maximumSignificantDigits: 3 } : { maximumFractionDigits: 2 }),
  };
}
