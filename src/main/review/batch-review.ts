import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { QueueItem } from '../../shared/batch-types';
import type { AltTextConfig, LimitsConfig } from '../../shared/config-schema';
import { assertNever } from '../../shared/assert-never';
import type {
  ReviewAction,
  ReviewChange,
  ReviewDeckSummary,
  ReviewItem,
  ReviewPictureDetail,
  ReviewProblem,
  ReviewSlideItem,
  ReviewSlideQueue,
  ReviewSummary,
  ReviewUndo,
  SlideDecision,
} from '../../shared/review-types';
import { localIsoTimestamp } from '../../shared/time-format';
import { ManifestStore } from '../batch/manifest-store';
import type { ModelProvider } from '../describe/model-provider';
import { regeneratePicture } from '../processor/regenerate-picture';
import { DeckContexts } from './deck-context';
import { ReviewError } from './review-error';
import type { JournalAction } from './review-journal';
import { appendToJournal, journalPathOf, readJournal, REVIEW_JOURNAL_VERSION } from './review-journal';
import type { PictureReviewState } from './review-state';
import { applyAction, foldJournal, generatedOf, pictureId, reviewItem, revertValues } from './review-state';
import type { ReviewReport, ReviewReportPicture, ReviewTarget } from './review-target';
import { isReviewable, readReviewReport, resolveReviewTarget } from './review-target';
import { readUndo } from './review-undo';
import type { SlideState } from './slide-items';
import { foldSlideJournal, reportFindings, slideItemsOf } from './slide-items';

/**
 * One batch's review: every picture of every complete deck (from the reports beside the copies)
 * with what its reviewers decided (the journal, review-journal.ts). Each action is on disk
 * before it is answered. Reading is cached by file: a report is read again only once it
 * changed, so moving from picture to picture reads nothing but what it shows.
 *
 * The batch may still be running: each `queue()` reads the manifest again, so decks that
 * finished meanwhile join the queue.
 */

export interface ReviewDeck {
  readonly index: number;
  readonly item: QueueItem;
  readonly name: string;
  readonly target: ReviewTarget;
  readonly report: ReviewReport;
}

export interface LoadedBatch {
  readonly batchId: string;
  readonly decks: readonly ReviewDeck[];
  readonly problems: readonly ReviewProblem[];
}

interface CachedReport {
  readonly stamp: string;
  readonly report: ReviewReport;
}

export class BatchReview {
  private readonly reports = new Map<string, CachedReport>();
  private states: Map<string, PictureReviewState> | null = null;
  private slideStates: Map<string, SlideState> | null = null;
  private loaded: LoadedBatch | null = null;
  private readonly contexts: DeckContexts;

  constructor(
    readonly manifestPath: string,
    limits: LimitsConfig,
  ) {
    this.contexts = new DeckContexts(limits);
  }

  /** The manifest and every complete deck's report, read again where changed. */
  async load(): Promise<LoadedBatch> {
    const document = (await ManifestStore.open(this.manifestPath)).snapshot();
    const decks: ReviewDeck[] = [];
    const problems: ReviewProblem[] = [];
    for (const [index, item] of document.queue.items.entries()) {
      if (!isReviewable(item)) continue;
      const name = document.input_root ? path.relative(document.input_root, item.path) : path.basename(item.path);
      try {
        const target = await resolveReviewTarget(document, index, this.manifestPath);
        decks.push({ index, item, name, target, report: await this.report(target.reportPath) });
      } catch (error) {
        if (!(error instanceof ReviewError)) throw error;
        problems.push({ deck: item.path, deck_name: name, message: error.message });
      }
    }
    this.loaded = { batchId: document.batch_id, decks, problems };
    return this.loaded;
  }

  /** The queue and its summary, in the batch's order of decks. */
  async queue(): Promise<{ readonly batchId: string; readonly items: ReviewItem[]; readonly summary: ReviewSummary; readonly problems: readonly ReviewProblem[] }> {
    const loaded = await this.load();
    const items = await this.itemsOf(loaded);
    return { batchId: loaded.batchId, items, summary: await this.summaryOf(items), problems: loaded.problems };
  }

  /** The summary of the decks as last read (an action changes one picture, not the batch). */
  async summary(): Promise<ReviewSummary> {
    return this.summaryOf(await this.itemsOf(this.loaded ?? (await this.load())));
  }

  private async itemsOf(loaded: LoadedBatch): Promise<ReviewItem[]> {
    const states = await this.stateMap();
    const items: ReviewItem[] = [];
    for (const deck of loaded.decks) {
      const report = await this.report(deck.target.reportPath);
      for (const picture of report.pictures) items.push(reviewItem({ deck: deck.item.path, deck_name: deck.name }, picture, states.get(pictureId(deck.item.path, picture.key))));
    }
    return items;
  }

  /** The slide items of every complete deck (slide-items.ts), read again where changed. */
  async slideQueue(): Promise<ReviewSlideQueue> {
    const items = await this.slideItemsOf(await this.load());
    return { items, reviewed: items.filter((item) => item.decision !== null).length, pending: items.filter((item) => item.pending).length };
  }

  private async slideItemsOf(loaded: LoadedBatch): Promise<ReviewSlideItem[]> {
    const states = await this.slideStateMap();
    const items: ReviewSlideItem[] = [];
    for (const deck of loaded.decks) {
      const findings = reportFindings(await this.report(deck.target.reportPath)) ?? [];
      items.push(...slideItemsOf({ deck: deck.item.path, deck_name: deck.name }, findings, states));
    }
    return items;
  }

  /** Records a person's decision on one slide item; answers with the item as it now is. */
  async decideSlide(deckPath: string, key: string, decision: SlideDecision): Promise<ReviewSlideItem> {
    const found = async () => (await this.slideItemsOf(this.loaded ?? (await this.load()))).find((item) => item.deck === deckPath && item.key === key);
    const item = await found();
    if (!item) throw new ReviewError('EUNKNOWN_PICTURE', `${path.basename(deckPath)} has no slide item ${key}; open the review again.`);
    if (!item.decisions.includes(decision)) {
      throw new ReviewError('EREVIEW_REFUSED', `Slide ${item.slide} cannot be marked '${decision}' for this finding: choose one of ${item.decisions.join(', ')}.`);
    }
    const at = localIsoTimestamp();
    await appendToJournal(journalPathOf(this.manifestPath), { v: REVIEW_JOURNAL_VERSION, at, deck: deckPath, key, action: { type: 'slide', decision } });
    (await this.slideStateMap()).set(pictureId(deckPath, key), { decision, at });
    const now = await found();
    if (!now) throw new ReviewError('EUNKNOWN_PICTURE', `${path.basename(deckPath)} has no slide item ${key}; open the review again.`);
    return now;
  }

  async slideStateMap(): Promise<Map<string, SlideState>> {
    this.slideStates ??= foldSlideJournal(await readJournal(journalPathOf(this.manifestPath)));
    return this.slideStates;
  }

  /** One picture with its slide, its texts and its state. */
  async detail(deckPath: string, key: string): Promise<ReviewPictureDetail> {
    const { deck, picture } = await this.find(deckPath, key);
    const state = (await this.stateMap()).get(pictureId(deckPath, key));
    const item = reviewItem({ deck: deck.item.path, deck_name: deck.name }, picture, state);
    const context = await this.contexts.picture(deck.target.outputPath, key).catch(() => null);
    return {
      item,
      before: picture.before,
      generated: generatedOf(picture, state),
      written: picture.after,
      reason: picture.reason,
      long_description: state?.long_description ?? picture.long_description,
      text_in_image: picture.text_in_image ?? null,
      thumbnail: picture.thumbnail && THUMBNAIL.test(picture.thumbnail) ? picture.thumbnail : null,
      model: state?.regenerated?.model ?? picture.model ?? null,
      hint: state?.hint ?? null,
      slide: context?.slide ?? null,
      position: context?.position ?? null,
      size_px: picture.size_px ?? null,
      human_alt: picture.decision === 'preserved' && Boolean(picture.before?.trim()),
    };
  }

  async image(deckPath: string, key: string) {
    const { deck } = await this.find(deckPath, key);
    return this.contexts.image(deck.target.outputPath, key);
  }

  /** Records one action of a reviewer; answers with the picture and the summary as they now are. */
  async act(deckPath: string, key: string, action: ReviewAction): Promise<ReviewChange> {
    const { picture } = await this.find(deckPath, key);
    const state = (await this.stateMap()).get(pictureId(deckPath, key));
    return this.record(deckPath, key, this.journalActionFor(picture, state, action));
  }

  /**
   * Asks the model again about one picture (with the reviewer's hint), as the run would, and
   * keeps the answer as the picture's proposed text. An answer that cannot be used changes
   * nothing and says why.
   */
  async regenerate(deckPath: string, key: string, hint: string | null, settings: AltTextConfig, limits: LimitsConfig, provider: ModelProvider | null): Promise<ReviewChange> {
    const { deck } = await this.find(deckPath, key);
    const result = await regeneratePicture({ deck: deck.target.outputPath, key, hint, settings, limits, provider });
    if (!('text' in result)) {
      throw new ReviewError('EREVIEW_REFUSED', `The model's new answer could not be used (${result.reason}); the text is unchanged.`);
    }
    const action: JournalAction = { type: 'regenerated', alt: result.text, hint, model: result.model, long_description: result.longDescription };
    return this.record(deckPath, key, action);
  }

  /** Forgets what was read of the copies and reports: apply and undo wrote them again. */
  forgetCopies(): void {
    this.reports.clear();
    for (const deck of this.loaded?.decks ?? []) this.contexts.forget(deck.target.outputPath);
  }

  /** Closes the copies it keeps open for their images; reading again opens them again. */
  close(): void {
    this.contexts.close();
  }

  async stateMap(): Promise<Map<string, PictureReviewState>> {
    this.states ??= foldJournal(await readJournal(journalPathOf(this.manifestPath)));
    return this.states;
  }

  private async record(deckPath: string, key: string, action: JournalAction): Promise<ReviewChange> {
    const at = localIsoTimestamp();
    await appendToJournal(journalPathOf(this.manifestPath), { v: REVIEW_JOURNAL_VERSION, at, deck: deckPath, key, action });
    const states = await this.stateMap();
    const id = pictureId(deckPath, key);
    states.set(id, applyAction(states.get(id), action, at));
    const { deck, picture } = await this.find(deckPath, key);
    return { item: reviewItem({ deck: deck.item.path, deck_name: deck.name }, picture, states.get(id)), summary: await this.summary() };
  }

  private journalActionFor(picture: ReviewReportPicture, state: PictureReviewState | undefined, action: ReviewAction): JournalAction {
    const decorative = state?.decorative ?? (picture.decision === 'decorative' || picture.decision === 'marked-decorative');
    switch (action.type) {
      case 'accept':
        return action;
      case 'edit':
        if (decorative) throw new ReviewError('EREVIEW_REFUSED', 'This picture is marked decorative, so it gets no alt text: mark it as not decorative first.');
        return { type: 'edit', alt: action.alt.replace(/\s+/g, ' ').trim() };
      case 'edit-long':
        return { type: 'edit-long', text: action.text.replace(/\s+/g, ' ').trim() };
      case 'decorative':
        return action;
      case 'revert': {
        const values = revertValues(picture, state, action.to);
        if (!values) throw new ReviewError('EREVIEW_REFUSED', 'AltGen wrote no text for this picture, so there is no generated text to go back to.');
        return { type: 'revert', to: action.to, ...values };
      }
      default:
        return assertNever(action, 'review action');
    }
  }

  async find(deckPath: string, key: string): Promise<{ deck: ReviewDeck; picture: ReviewReportPicture }> {
    const loaded = this.loaded ?? (await this.load());
    let deck = loaded.decks.find((candidate) => candidate.item.path === deckPath);
    // A deck that completed since the queue was read.
    if (!deck) deck = (await this.load()).decks.find((candidate) => candidate.item.path === deckPath);
    if (!deck) throw new ReviewError('EREVIEW_REFUSED', `${path.basename(deckPath)} is not a complete deck of this batch; open the review again.`);
    const report = await this.report(deck.target.reportPath);
    const picture = report.pictures.find((candidate) => candidate.key === key);
    if (!picture) throw new ReviewError('EUNKNOWN_PICTURE', `${deck.name} has no picture ${key}; open the review again.`);
    return { deck: report === deck.report ? deck : { ...deck, report }, picture };
  }

  private async report(reportPath: string): Promise<ReviewReport> {
    const info = await fs.stat(reportPath).catch(() => null);
    const stamp = info ? `${info.size}:${info.mtimeMs}` : '';
    const cached = this.reports.get(reportPath);
    if (cached && cached.stamp === stamp && stamp !== '') return cached.report;
    const report = await readReviewReport(reportPath);
    this.reports.set(reportPath, { stamp, report });
    return report;
  }

  private async summaryOf(items: readonly ReviewItem[]): Promise<ReviewSummary> {
    const decks = new Map<string, { deck_name: string; pictures: number; reviewed: number; needs_review: number; pending: number }>();
    for (const item of items) {
      const deck = decks.get(item.deck) ?? { deck_name: item.deck_name, pictures: 0, reviewed: 0, needs_review: 0, pending: 0 };
      deck.pictures += 1;
      if (item.reviewed_at !== null) deck.reviewed += 1;
      if (item.needs_review) deck.needs_review += 1;
      if (item.pending) deck.pending += 1;
      decks.set(item.deck, deck);
    }
    const perDeck: ReviewDeckSummary[] = [...decks].map(([deck, counts]) => ({ deck, ...counts }));
    const undo: ReviewUndo | null = await readUndo(this.manifestPath).then((record) => (record ? { applied_at: record.applied_at, decks: record.decks.length } : null));
    return {
      pictures: items.length,
      reviewed: perDeck.reduce((sum, deck) => sum + deck.reviewed, 0),
      needs_review: perDeck.reduce((sum, deck) => sum + deck.needs_review, 0),
      pending: perDeck.reduce((sum, deck) => sum + deck.pending, 0),
      decks: perDeck,
      undo,
    };
  }
}

/** Only raster data: URLs reach the page as thumbnails. */
const THUMBNAIL = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/;
