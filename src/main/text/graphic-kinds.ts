/**
 * The kinds of graphics AltGen puts into words: what the chart and SmartArt readers in pptx/
 * find, and what the phrase tables name. Plain vocabulary, so that text/ needs nothing of pptx/.
 */

export type ChartKind =
  | 'bar'
  | 'column'
  | 'line'
  | 'pie'
  | 'doughnut'
  | 'area'
  | 'scatter'
  | 'bubble'
  | 'radar'
  | 'stock'
  | 'surface'
  | 'waterfall'
  | 'funnel'
  | 'treemap'
  | 'sunburst'
  | 'box-whisker'
  | 'histogram'
  | 'pareto'
  | 'map'
  | 'other';

export type ChartGrouping = 'standard' | 'stacked' | 'percent-stacked';

export type SmartArtLayout = 'list' | 'process' | 'cycle' | 'hierarchy' | 'relationship' | 'matrix' | 'pyramid' | 'other';
