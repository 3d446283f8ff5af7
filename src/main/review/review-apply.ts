import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { reportPathsFor } from '../../shared/alt-text-report';
import type { LimitsConfig } from '../../shared/config-schema';
import type { ReviewApplied, ReviewSummary } from '../../shared/review-types';
import { localIsoTimestamp } from '../../shared/time-format';
import { lockBatch } from '../batch/batch-lock';
import { tempPathFor } from '../batch/output-paths';
import type { PictureDecision } from '../processor/apply-edits';
import { applyDecisions, readReport } from '../processor/apply-edits';
import { writeReports } from '../processor/report';
import type { AuditFinding, DeckAudit } from '../../shared/accessibility-audit';
import { withCounts } from '../audit/audit-deck';
import type { BatchReview, ReviewDeck } from './batch-review';
import { ReviewError } from './review-error';
import { decisionOf, pictureId } from './review-state';
import type { UndoRecord } from './review-undo';
import { dropUndo, readUndo, startUndo, writeUndo } from './review-undo';
import { planSlideFixes } from './slide-fixes';
import type { SlideState } from './slide-items';
import { decisionsFor, isSlideItemCheck, reportFindings, slideItemKey } from './slide-items';

/**
 * Apply and Undo for a whole batch's review, in one action each.
 *
 * Apply writes the reviewed decisions of every deck into its accessible copy (the processor's
 * applyDecisions: raw copy, only the changed attributes and notes), and rewrites its reports.
 * Each copy is written under a temporary name and renamed over the old one, so a copy is always
 * whole; the old copy and reports are kept first (review-undo.ts) until the next apply. The
 * batch's lock is held throughout: no run of the batch can write its copies meanwhile, and a
 * running batch makes apply wait for it to end (EBATCH_LOCKED).
 *
 * Not guaranteed: that a crash mid-apply leaves all decks or none applied; it leaves each deck
 * old or new, and Undo takes back exactly those that were written.
 */

export async function applyReview(review: BatchReview, limits: LimitsConfig): Promise<ReviewApplied> {
  const release = await lockBatch(review.manifestPath, { waitMs: 0, purpose: 'apply the review' });
  let decks = 0;
  let changed = 0;
  try {
    const loaded = await review.load();
    const states = await review.stateMap();
    const slideStates = await review.slideStateMap();
    const work = loaded.decks.flatMap((deck) => {
      const decisions = deck.report.pictures
        .map((picture) => decisionOf(picture, states.get(pictureId(deck.item.path, picture.key))))
        .filter((decision): decision is PictureDecision => decision !== null);
      const slides = acceptedSlideFindings(deck, slideStates);
      return decisions.length > 0 || slides.length > 0 ? [{ deck, decisions, slides }] : [];
    });
    if (work.length === 0) return { decks: 0, changed: 0, summary: await review.summary() };
    const undoDir = await startUndo(review.manifestPath);
    const record: UndoRecord = { applied_at: localIsoTimestamp(), decks: [] };
    for (const [n, { deck, decisions, slides }] of work.entries()) {
      const output = deck.target.outputPath;
      const report = await readReport(deck.target.reportPath);
      const temp = tempPathFor(output, `review-${randomBytes(4).toString('hex')}`);
      try {
        const applied = await applyDecisions(output, report, decisions, temp, limits, (opened) => planSlideFixes(opened, slides, deck.name));
        const kept = path.join(undoDir, String(n));
        await fs.mkdir(kept, { recursive: true });
        const files: UndoRecord['decks'][number]['files'] = [];
        const reports = reportPathsFor(output);
        for (const original of [output, reports.json, reports.html]) {
          const copy = path.join(kept, path.basename(original));
          if (await fs.copyFile(original, copy).then(() => true, (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : Promise.reject(error)))) {
            files.push({ original, kept: copy });
          }
        }
        record.decks.push({ output, files });
        await writeUndo(review.manifestPath, record);
        await fs.rename(temp, output);
        const accessibility = report.accessibility && slides.length > 0 ? withFixedSlides(report.accessibility, slides) : report.accessibility;
        await writeReports(output, { ...applied.report, ...(accessibility ? { accessibility } : {}), deck: typeof report.deck === 'string' ? report.deck : deck.item.path, output });
        decks += 1;
        changed += applied.changed;
      } finally {
        await fs.rm(temp, { force: true }).catch(() => undefined);
      }
    }
  } finally {
    review.forgetCopies();
    await release();
  }
  return { decks, changed, summary: await review.summary() };
}

/** The accepted slide items of a deck whose fix is not in its copy yet. */
function acceptedSlideFindings(deck: ReviewDeck, states: ReadonlyMap<string, SlideState>): AuditFinding[] {
  return (reportFindings(deck.report) ?? []).filter((finding) => {
    const key = slideItemKey(finding);
    if (key === null || finding.fixed || !isSlideItemCheck(finding.check)) return false;
    return states.get(pictureId(deck.item.path, key))?.decision === 'accept' && decisionsFor(finding.check, finding.suggestion !== null).includes('accept');
  });
}

/** The audit of the new copy: the accepted slide items are fixed in it. */
function withFixedSlides(audit: DeckAudit, slides: readonly AuditFinding[]): DeckAudit {
  const keys = new Set(slides.map((finding) => slideItemKey(finding)));
  return withCounts(audit.findings.map((finding) => (keys.has(slideItemKey(finding)) && slideItemKey(finding) !== null ? { ...finding, fixed: true } : finding)));
}

/** Puts back the copies and reports the last apply replaced; the review's decisions stay. */
export async function undoReviewApply(review: BatchReview): Promise<{ readonly decks: number; readonly summary: ReviewSummary }> {
  const release = await lockBatch(review.manifestPath, { waitMs: 0, purpose: 'undo the review apply' });
  let decks = 0;
  try {
    const record = await readUndo(review.manifestPath);
    if (!record) throw new ReviewError('EREVIEW_REFUSED', 'Nothing to undo: the review has not been applied since the last undo.');
    for (const deck of [...record.decks].reverse()) {
      for (const file of deck.files) {
        const temp = tempPathFor(file.original, `undo-${randomBytes(4).toString('hex')}`);
        try {
          await fs.copyFile(file.kept, temp);
          await fs.rename(temp, file.original);
        } finally {
          await fs.rm(temp, { force: true }).catch(() => undefined);
        }
      }
      decks += 1;
    }
    await dropUndo(review.manifestPath);
  } finally {
    review.forgetCopies();
    await release();
  }
  return { decks, summary: await review.summary() };
}
