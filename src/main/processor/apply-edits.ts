import { promises as fs } from 'node:fs';
import type { AltTextReport, ReportPicture } from '../../shared/alt-text-report';
import { reportPathsFor } from '../../shared/alt-text-report';
import type { LimitsConfig } from '../../shared/config-schema';
import { localIsoTimestamp } from '../../shared/time-format';
import { encodeText, openPackage, sniffContainer, type TextPart } from '../pptx/package-reader';
import type { AltTextEdit, PictureRef } from '../pptx/pptx-types';
import { slideParts } from '../pptx/presentation-parts';
import { findPictures } from '../pptx/slide-pictures';
import { applyAltTextEdits } from '../pptx/xml-attribute-editor';
import { rewritePackage } from '../pptx/zip-rewriter';
import { layoutAndMasterPartsOf, relationshipsOf, writeReports } from './process-deck';

/**
 * `altgen apply <deck> <edited .alt-text.json> --output <file>`: the review loop. A faculty
 * member edits `after` in the JSON (or in the app's review screen); this writes those texts
 * into a copy of the deck. Pictures are matched by their key (`<part>#<shape id>`); only
 * pictures whose text differs from the deck's are changed, decorative ones never.
 */
export class ApplyError extends Error {
  constructor(
    readonly code: 'EBAD_REPORT' | 'EUNKNOWN_PICTURE',
    message: string,
  ) {
    super(message);
  }
}

export interface ApplyResult {
  readonly output: string;
  readonly changed: number;
  readonly reports: readonly string[];
}

export async function readReport(file: string): Promise<AltTextReport> {
  let value: unknown;
  try {
    value = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new ApplyError('EBAD_REPORT', `${file} is not a readable alt-text report: ${(error as Error).message}`);
  }
  const report = value as Partial<AltTextReport>;
  if (!Array.isArray(report.pictures) || report.pictures.some((p) => typeof p?.key !== 'string')) {
    throw new ApplyError('EBAD_REPORT', `${file} is not an alt-text report: it has no "pictures" list with keys.`);
  }
  return report as AltTextReport;
}

export async function applyEdits(deck: string, reportFile: string, output: string, limits: LimitsConfig): Promise<ApplyResult> {
  const report = await readReport(reportFile);
  await sniffContainer(deck);
  const reader = await openPackage(deck, limits);
  const edits = new Map<string, AltTextEdit[]>();
  const texts = new Map<string, TextPart>();
  const changedKeys = new Set<string>();
  try {
    const presentationXml = (await reader.readText('ppt/presentation.xml')) ?? '';
    const relsOf = (part: string) => relationshipsOf(reader, part);
    const presentationRels = await relsOf('ppt/presentation.xml');
    const slidesInOrder = slideParts(presentationXml, presentationRels);
    const candidates = [...slidesInOrder, ...(await layoutAndMasterPartsOf(reader, presentationXml, presentationRels))];
    const byKey = new Map<string, PictureRef>();
    for (const part of candidates) {
      if (!reader.has(part)) continue;
      const textPart = await reader.readTextPart(part);
      const xml = textPart.text;
      texts.set(part, textPart);
      const slideNumber = slidesInOrder.indexOf(part) + 1;
      for (const ref of findPictures(xml, await relsOf(part), { part, slideNumber })) byKey.set(`${ref.part}#${ref.shapeId}`, ref);
    }
    const unknown = report.pictures.filter((p) => !byKey.has(p.key)).map((p) => p.key);
    if (unknown.length > 0) {
      throw new ApplyError('EUNKNOWN_PICTURE', `The report does not match this deck: no picture ${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ` (and ${unknown.length - 3} more)` : ''}.`);
    }
    for (const picture of report.pictures) {
      const ref = byKey.get(picture.key);
      const text = picture.after?.replace(/\s+/g, ' ').trim();
      if (!ref || ref.decorative || !text || text === ref.descr) continue;
      const list = edits.get(ref.part) ?? [];
      list.push({ span: ref.cNvPr, descr: text });
      edits.set(ref.part, list);
      changedKeys.add(picture.key);
    }
  } finally {
    await reader.close();
  }
  const replacements = new Map<string, Buffer>();
  for (const [part, list] of edits) {
    const { text, encoding } = texts.get(part) as TextPart;
    // Written back in the part's own encoding (UTF-16 parts stay UTF-16).
    replacements.set(part, encodeText(applyAltTextEdits(text, list), encoding));
  }
  await rewritePackage(deck, output, { replacements }, { limits });
  const at = localIsoTimestamp();
  const pictures: ReportPicture[] = report.pictures.map((p) =>
    changedKeys.has(p.key) ? { ...p, decision: 'edited', reason: 'Edited by a person and applied.', needs_review: false, draft: false, time: at } : p,
  );
  const reports = await writeReports(output, { ...report, deck, output, generated_at: at, pictures });
  return { output, changed: changedKeys.size, reports: reports.length ? reports : Object.values(reportPathsFor(output)) };
}
