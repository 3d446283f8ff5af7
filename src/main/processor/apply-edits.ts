import { promises as fs } from 'node:fs';
import type { AltTextReport, ReportPicture } from '../../shared/alt-text-report';
import type { LimitsConfig } from '../../shared/config-schema';
import { localIsoTimestamp } from '../../shared/time-format';
import { openDeck } from '../pptx/deck';
import type { AltTextEdit } from '../pptx/pptx-types';
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
