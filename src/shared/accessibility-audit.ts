/**
 * The accessibility audit of a deck (src/main/audit): what PowerPoint's Accessibility Checker
 * would find, computed from the deck's own XML, with the slide, the shape and what to do. The
 * dry run, the run's reports, `altgen audit` and the app's Accessibility view all carry these
 * types, so their field names are a contract (additive changes only).
 */

/** One kind of problem. The order is the order findings are listed and counted in. */
export type AuditCheck =
  | 'missing-alt-text' // a picture, chart, SmartArt graphic, table, media object or group without alt text
  | 'missing-slide-title' // a slide without a title
  | 'duplicate-slide-title' // a slide whose title an earlier slide already has
  | 'reading-order' // a slide read by a screen reader in another order than it is seen
  | 'low-contrast' // text runs below 4.5:1 (3:1 for large text) against what is behind them
  | 'contrast-unknown' // text runs over a picture: the contrast cannot be decided from the XML
  | 'table-no-header' // a table without a header row
  | 'table-merged-cells' // a table with merged cells
  | 'table-blank-cells' // a table with a blank row or column, as tables used for layout have
  | 'unclear-link' // a hyperlink whose text is a raw web address or "click here"
  | 'media-no-captions' // a video or sound without a caption track
  | 'small-text' // text runs smaller than 18 pt on a slide
  | 'language-not-set' // text runs with no language
  | 'language-mismatch'; // a slide whose text is written in another language than it is marked with

export const AUDIT_CHECKS: readonly AuditCheck[] = [
  'missing-alt-text',
  'missing-slide-title',
  'duplicate-slide-title',
  'reading-order',
  'low-contrast',
  'contrast-unknown',
  'table-no-header',
  'table-merged-cells',
  'table-blank-cells',
  'unclear-link',
  'media-no-captions',
  'small-text',
  'language-not-set',
  'language-mismatch',
];

/** As PowerPoint's Accessibility Checker sorts its results (where it has the rule). */
export type AuditSeverity = 'error' | 'warning' | 'tip';

export const AUDIT_SEVERITY: Readonly<Record<AuditCheck, AuditSeverity>> = {
  'missing-alt-text': 'error',
  'missing-slide-title': 'error',
  'duplicate-slide-title': 'warning',
  'reading-order': 'warning',
  'low-contrast': 'warning',
  'contrast-unknown': 'tip',
  'table-no-header': 'error',
  'table-merged-cells': 'warning',
  'table-blank-cells': 'warning',
  'unclear-link': 'warning',
  'media-no-captions': 'warning',
  'small-text': 'tip',
  'language-not-set': 'warning',
  'language-mismatch': 'warning',
};

/** The fixes AltGen makes in the copy: alt text (the run), and the opt-in `accessibility` settings. */
export type AuditFix = 'alt-text' | 'language' | 'table-header';

/** What a person is asked to decide, for the checks that have a suggestion (a title, an order). */
export interface AuditSuggestion {
  /** One sentence, e.g. "The first text box reads 'Cardiac cycle': use it as the title?". */
  readonly text: string;
  /** The value proposed: the title, the shape names in reading order, … */
  readonly value: string | readonly string[];
}

export interface AuditFinding {
  readonly check: AuditCheck;
  readonly severity: AuditSeverity;
  /** 1-based slide number; null for the deck as a whole. */
  readonly slide: number | null;
  readonly part: string | null;
  /** `p:cNvPr/@id` and `@name` of the shape; null for a slide or the deck. */
  readonly shape_id: string | null;
  readonly shape_name: string | null;
  /** How many it counts (text runs for contrast and size, 1 for a slide, table, link or object). */
  readonly count: number;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** What to do about it, in one sentence. */
  readonly advice: string;
  /** The fix AltGen can make in the copy, if any. */
  readonly fix: AuditFix | null;
  /** In a run's report: the fix was made in the copy. Always false in a dry run and `altgen audit`. */
  readonly fixed: boolean;
  readonly suggestion: AuditSuggestion | null;
}

export type AuditCounts = Readonly<Record<AuditCheck, number>>;

/** Counts as a manifest keeps them: only the checks that found something (read back with `auditCountsOf`). */
export type StoredAuditCounts = Readonly<Partial<Record<AuditCheck, number>>>;

export interface DeckAudit {
  /** Every finding, by slide (deck-wide ones first), then in the order of AUDIT_CHECKS. */
  readonly findings: readonly AuditFinding[];
  /** Found, summed by check (each finding's `count`). */
  readonly counts: AuditCounts;
  /** Of `counts`, what the run fixed in the copy (zero in a dry run). */
  readonly fixed: AuditCounts;
}

export function emptyAuditCounts(): Record<AuditCheck, number> {
  // A literal, not built from AUDIT_CHECKS: the dry run makes one per deck, and this is cheaper.
  return {
    'missing-alt-text': 0,
    'missing-slide-title': 0,
    'duplicate-slide-title': 0,
    'reading-order': 0,
    'low-contrast': 0,
    'contrast-unknown': 0,
    'table-no-header': 0,
    'table-merged-cells': 0,
    'table-blank-cells': 0,
    'unclear-link': 0,
    'media-no-captions': 0,
    'small-text': 0,
    'language-not-set': 0,
    'language-mismatch': 0,
  };
}

export function countFindings(findings: readonly AuditFinding[], which: (finding: AuditFinding) => boolean = () => true): AuditCounts {
  const counts = emptyAuditCounts();
  for (const finding of findings) if (which(finding)) counts[finding.check] += finding.count;
  return counts;
}

export function addAuditCounts(a: AuditCounts, b: AuditCounts): AuditCounts {
  const sum = emptyAuditCounts();
  for (const check of AUDIT_CHECKS) sum[check] = (a[check] ?? 0) + (b[check] ?? 0);
  return sum;
}

/** Counts read back from a manifest or report written by another version: missing checks are 0. */
export function auditCountsOf(value: Partial<Record<string, unknown>> | null | undefined): AuditCounts {
  const counts = emptyAuditCounts();
  for (const check of AUDIT_CHECKS) {
    const n = value?.[check];
    counts[check] = typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
  }
  return counts;
}

export function storedAuditCounts(counts: AuditCounts): StoredAuditCounts {
  return Object.fromEntries(AUDIT_CHECKS.filter((check) => counts[check] > 0).map((check) => [check, counts[check]]));
}

export function totalFindings(counts: AuditCounts): number {
  return AUDIT_CHECKS.reduce((sum, check) => sum + counts[check], 0);
}

/** What each check counts, in words: one and many. */
const COUNTED: Readonly<Record<AuditCheck, readonly [string, string]>> = {
  'missing-alt-text': ['object without alt text', 'objects without alt text'],
  'missing-slide-title': ['slide without a title', 'slides without a title'],
  'duplicate-slide-title': ['slide with a duplicate title', 'slides with a duplicate title'],
  'reading-order': ['slide with a reading order to check', 'slides with a reading order to check'],
  'low-contrast': ['text run below 4.5:1 (3:1 for large text)', 'text runs below 4.5:1 (3:1 for large text)'],
  'contrast-unknown': ['text run over a picture (contrast not decided)', 'text runs over a picture (contrast not decided)'],
  'table-no-header': ['table without a header row', 'tables without a header row'],
  'table-merged-cells': ['table with merged cells', 'tables with merged cells'],
  'table-blank-cells': ['table with a blank row or column', 'tables with a blank row or column'],
  'unclear-link': ['link whose text is a web address or "click here"', 'links whose text is a web address or "click here"'],
  'media-no-captions': ['video or sound without captions', 'videos or sounds without captions'],
  'small-text': ['text run smaller than 18 pt', 'text runs smaller than 18 pt'],
  'language-not-set': ['text run without a language', 'text runs without a language'],
  'language-mismatch': ['slide marked with another language than its text', 'slides marked with another language than their text'],
};

/** "12 slides without a title", one phrase per check found, in the order of AUDIT_CHECKS. */
export function auditCountPhrases(counts: AuditCounts): string[] {
  return AUDIT_CHECKS.filter((check) => counts[check] > 0).map((check) => {
    const [one, many] = COUNTED[check];
    return `${counts[check]} ${counts[check] === 1 ? one : many}`;
  });
}
