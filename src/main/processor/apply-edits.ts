import { promises as fs } from 'node:fs';
import type { AltTextReport, ReportPicture } from '../../shared/alt-text-report';
import type { LimitsConfig } from '../../shared/config-schema';
import { localIsoTimestamp } from '../../shared/time-format';
import { openDeck, type Deck } from '../pptx/deck';
import type { AltTextEdit } from '../pptx/pptx-types';
import type { TextPatch } from '../pptx/text-patches';
import type { LongDescriptionFor } from './outcomes';
import { countDecisions } from './report';
import { writeDeck } from './write-deck';

/**
 * `altgen apply <deck> <edited .alt-text.json> --output <file>`: the review loop. A faculty
 * member edits `after` in the JSON (or in the app's review screen); this writes those texts
 * into a copy of the deck. Pictures are matched by their key (`<part>#<shape id>`); only
 * pictures whose text differs from the deck's are changed, decorative ones never.
 *
 * `applyReport` takes the edited report and gives back the report of the copy, touching no
 * JSON file: the CLI reads and writes the files (cli/apply-command.ts), the app's review holds
 * the report as an object (app-service/review-applier.ts).
 */
export class ApplyError extends Error {
  constructor(
    readonly code: 'EBAD_REPORT' | 'EUNKNOWN_PICTURE',
    message: string,
  ) {
    super(message);
  }
}

export interface AppliedReport {
  readonly output: string;
  readonly changed: number;
  /** The edited report with the applied pictures marked `edited`, for the copy. */
  readonly report: AltTextReport;
}

export async function readReport(file: string): Promise<AltTextReport> {
  let value: unknown;
  try {
    value = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new ApplyError('EBAD_REPORT', `${file} is not a readable alt-text report: ${(error as Error).message}`);
  }
  return asReport(value, file);
}

/** The value as an alt-text report, once it has what applying needs: a list of pictures with keys. */
export function asReport(value: unknown, source: string): AltTextReport {
  const report = (typeof value === 'object' && value !== null ? value : {}) as Partial<AltTextReport>;
  if (!Array.isArray(report.pictures) || report.pictures.some((p) => typeof p?.key !== 'string')) {
    throw new ApplyError('EBAD_REPORT', `${source} is not an alt-text report: it has no "pictures" list with keys.`);
  }
  return report as AltTextReport;
}

/** Writes the texts of `report` into a copy of `deck` at `output`; returns the report of that copy. */
export async function applyReport(deck: string, report: AltTextReport, output: string, limits: LimitsConfig): Promise<AppliedReport> {
  const opened = await openDeck(deck, limits);
  const changedKeys = new Set<string>();
  try {
    const byKey = new Map([...opened.pictures, ...opened.graphics].map((shape) => [shape.key, shape.ref]));
    const unknown = report.pictures.filter((p) => !byKey.has(p.key)).map((p) => p.key);
    if (unknown.length > 0) {
      throw new ApplyError('EUNKNOWN_PICTURE', `The report does not match this deck: no picture ${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ` (and ${unknown.length - 3} more)` : ''}.`);
    }
    const edits = new Map<string, AltTextEdit[]>();
    for (const picture of report.pictures) {
      const ref = byKey.get(picture.key);
      const text = picture.after?.replace(/\s+/g, ' ').trim();
      if (!ref || ref.decorative || !text || text === ref.descr) continue;
      const list = edits.get(ref.part) ?? [];
      list.push({ span: ref.cNvPr, descr: text });
      edits.set(ref.part, list);
      changedKeys.add(picture.key);
    }
    await writeDeck(opened, { edits, longDescriptions: null, language: opened.language }, output);
  } finally {
    await opened.close();
  }
  const at = localIsoTimestamp();
  const pictures: ReportPicture[] = report.pictures.map((p) =>
    changedKeys.has(p.key) ? { ...p, decision: 'edited', reason: 'Edited by a person and applied.', needs_review: false, draft: false, time: at } : p,
  );
  return { output, changed: changedKeys.size, report: { ...report, deck, output, generated_at: at, pictures } };
}

/**
 * What a reviewer decided for one picture. Absent fields leave the deck as it is; the values
 * are what the copy should hold, not changes, so applying them twice changes nothing more.
 */
export interface PictureDecision {
  readonly key: string;
  /** The alt text to write; '' empties it. Ignored for a picture that stays decorative. */
  readonly descr?: string;
  /** Office's decorative flag; true also empties `descr`, as PowerPoint's "Mark as decorative" does. */
  readonly decorative?: boolean;
  /** The long description in the slide's speaker notes ('' takes it out). */
  readonly longDescription?: string;
  /** When a person reviewed it: the report no longer says it needs review. */
  readonly reviewedAt?: string;
}

export interface AppliedDecisions extends AppliedReport {
  /** The keys of the pictures whose alt text or decorative flag changed. */
  readonly changedKeys: readonly string[];
}

/**
 * The review's apply for one deck: writes `decisions` into a copy of `deck` (the accessible
 * copy, whose report `report` is) at `output`, through the same raw-copy writer as the run
 * (write-deck.ts): only the changed `p:cNvPr` tags differ, and the notes only when a long
 * description changed (then the AltGen block of every slide is written again from the report,
 * the rest of the notes untouched). Returns the report of the new copy: changed pictures say
 * `edited` or `marked-decorative`, keep what AltGen had written in `generated`, and reviewed
 * ones no longer need review.
 */
export async function applyDecisions(
  deck: string,
  report: AltTextReport,
  decisions: readonly PictureDecision[],
  output: string,
  limits: LimitsConfig,
  /** Other byte-minimal patches of the copy's parts (the review's accepted slide fixes), planned on the opened deck. */
  planPatches?: (deck: Deck) => ReadonlyMap<string, readonly TextPatch[]>,
): Promise<AppliedDecisions> {
  const opened = await openDeck(deck, limits);
  const byDecision = new Map(decisions.map((decision) => [decision.key, decision]));
  const changed = new Set<string>();
  const longChanged = report.pictures.some((p) => {
    const text = byDecision.get(p.key)?.longDescription;
    return text !== undefined && oneLine(text) !== (p.long_description ?? '');
  });
  try {
    const byKey = new Map([...opened.pictures, ...opened.graphics].map((shape) => [shape.key, shape.ref]));
    const unknown = decisions.filter((d) => !byKey.has(d.key)).map((d) => d.key);
    if (unknown.length > 0) {
      throw new ApplyError('EUNKNOWN_PICTURE', `The review does not match ${deck}: it has no picture ${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ` (and ${unknown.length - 3} more)` : ''}.`);
    }
    const edits = new Map<string, AltTextEdit[]>();
    for (const decision of decisions) {
      const ref = byKey.get(decision.key);
      if (!ref) continue;
      const edit = editFor(ref.decorative, ref.descr, decision);
      if (!edit) continue;
      const list = edits.get(ref.part) ?? [];
      list.push({ span: ref.cNvPr, ...edit });
      edits.set(ref.part, list);
      changed.add(decision.key);
    }
    const longDescriptions = longChanged ? notesFor(report, byDecision) : null;
    const fixes = planPatches?.(opened);
    await writeDeck(opened, { edits, longDescriptions, language: opened.language, ...(fixes ? { fixes } : {}) }, output);
  } finally {
    await opened.close();
  }
  const at = localIsoTimestamp();
  const pictures = report.pictures.map((p): ReportPicture => {
    const decision = byDecision.get(p.key);
    if (!decision) return p;
    let next: ReportPicture = p;
    if (changed.has(p.key)) {
      const decorative = decision.decorative ?? isDecorativeDecision(p.decision);
      next = {
        ...next,
        generated: generatedText(p),
        after: decorative ? null : oneLine(decision.descr ?? p.after ?? ''),
        decision: decorative ? 'marked-decorative' : 'edited',
        reason: decorative ? 'Marked decorative by a person and applied.' : 'Edited by a person and applied.',
        needs_review: false,
        draft: false,
        time: at,
      };
    }
    if (decision.longDescription !== undefined && longChanged) {
      next = { ...next, long_description: oneLine(decision.longDescription) || null };
    }
    if (decision.reviewedAt !== undefined) next = { ...next, needs_review: false, reviewed_at: decision.reviewedAt };
    return next;
  });
  const counts = countDecisions(pictures, report.counts?.model_calls ?? 0, report.counts?.cache_hits ?? 0);
  return { output, changed: changed.size, changedKeys: [...changed], report: { ...report, deck, output, generated_at: at, counts, pictures } };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function isDecorativeDecision(decision: ReportPicture['decision']): boolean {
  return decision === 'decorative' || decision === 'marked-decorative';
}

/** What AltGen wrote for the picture, kept through every later apply. */
function generatedText(picture: ReportPicture): string | null {
  if (picture.generated !== undefined) return picture.generated;
  return picture.decision === 'described' || picture.decision === 'drafted' ? picture.after : null;
}

/** The `p:cNvPr` change a decision asks of a shape as the deck has it now; null when it has it already. */
function editFor(decorativeNow: boolean, descrNow: string | null, decision: PictureDecision): Omit<AltTextEdit, 'span'> | null {
  const decorative = decision.decorative ?? decorativeNow;
  if (decorative) {
    // PowerPoint's "Mark as decorative" also empties the description.
    return decorativeNow && !descrNow ? null : { decorative: true, descr: '' };
  }
  const descr = decision.descr === undefined ? undefined : oneLine(decision.descr);
  const textChanges = descr !== undefined && descr !== (descrNow ?? '');
  if (!decorativeNow && !textChanges) return null;
  return { ...(decorativeNow ? { decorative: false } : {}), ...(textChanges ? { descr } : {}) };
}

/** Every slide picture's long description, edited ones as decided: the notes are written from these. */
function notesFor(report: AltTextReport, decisions: ReadonlyMap<string, PictureDecision>): LongDescriptionFor[] {
  const notes: LongDescriptionFor[] = [];
  for (const picture of report.pictures) {
    if (picture.slide < 1) continue;
    const decided = decisions.get(picture.key)?.longDescription;
    const text = oneLine(decided ?? picture.long_description ?? '');
    if (text !== '') notes.push({ slidePart: picture.part, shapeName: picture.shape_name, text });
  }
  return notes;
}
