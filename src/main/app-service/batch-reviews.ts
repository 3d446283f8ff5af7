import path from 'node:path';
import type { RequestOf, ResponseOf } from '../../shared/ipc-contract';
import { createProvider } from '../describe/create-provider';
import { ModelMissingError } from '../describe/model-provider';
import { BatchReview } from '../review/batch-review';
import { applyReview, undoReviewApply } from '../review/review-apply';
import { exportReview } from '../review/review-export';
import type { AppConfig } from './app-config';
import { BridgeFailure } from './bridge-failure';

/**
 * The app's side of the batch review (`review:*` channels but the one-deck `review:get` and
 * `review:apply`): one BatchReview per batch, kept while the app runs so that moving from
 * picture to picture reads only what changed. Changes to one batch's review (actions, apply,
 * undo) run one at a time, in the order they arrive.
 */
export class BatchReviews {
  private readonly reviews = new Map<string, BatchReview>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly config: AppConfig,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  async queue(request: RequestOf<'review:get-queue'>): Promise<ResponseOf<'review:get-queue'>> {
    const review = await this.reviewOf(request.manifest_path);
    const [queue, { config }] = await Promise.all([review.queue(), this.config.load()]);
    return { manifest_path: review.manifestPath, batch_id: queue.batchId, items: queue.items, summary: queue.summary, problems: queue.problems, char_limit: config.alt_text.char_limit };
  }

  async summary(request: RequestOf<'review:get-summary'>): Promise<ResponseOf<'review:get-summary'>> {
    return (await (await this.reviewOf(request.manifest_path)).queue()).summary;
  }

  async picture(request: RequestOf<'review:get-picture'>): Promise<ResponseOf<'review:get-picture'>> {
    return (await this.reviewOf(request.manifest_path)).detail(request.deck, request.key);
  }

  async image(request: RequestOf<'review:get-image'>): Promise<ResponseOf<'review:get-image'>> {
    return (await this.reviewOf(request.manifest_path)).image(request.deck, request.key);
  }

  async act(request: RequestOf<'review:act'>): Promise<ResponseOf<'review:act'>> {
    const review = await this.reviewOf(request.manifest_path);
    return this.inTurn(review, () => review.act(request.deck, request.key, request.action));
  }

  async regenerate(request: RequestOf<'review:regenerate'>): Promise<ResponseOf<'review:regenerate'>> {
    const review = await this.reviewOf(request.manifest_path);
    const { config } = await this.config.load();
    const hint = request.hint?.replace(/\s+/g, ' ').trim() || null;
    try {
      return await review.regenerate(request.deck, request.key, hint, config.alt_text, config.limits, createProvider(config.model, this.env));
    } catch (error) {
      if (error instanceof ModelMissingError) throw new BridgeFailure('ENOT_AVAILABLE', error.message);
      throw error;
    }
  }

  async applyAll(request: RequestOf<'review:apply-all'>): Promise<ResponseOf<'review:apply-all'>> {
    const review = await this.reviewOf(request.manifest_path);
    const { config } = await this.config.load();
    return this.inTurn(review, () => applyReview(review, config.limits));
  }

  async undo(request: RequestOf<'review:undo-apply'>): Promise<ResponseOf<'review:undo-apply'>> {
    const review = await this.reviewOf(request.manifest_path);
    return this.inTurn(review, () => undoReviewApply(review));
  }

  async export(request: RequestOf<'review:export'>): Promise<ResponseOf<'review:export'>> {
    const review = await this.reviewOf(request.manifest_path);
    return { path: await exportReview(review, request.format) };
  }

  async slides(request: RequestOf<'review:get-slides'>): Promise<ResponseOf<'review:get-slides'>> {
    return (await this.reviewOf(request.manifest_path)).slideQueue();
  }

  async decideSlide(request: RequestOf<'review:decide-slide'>): Promise<ResponseOf<'review:decide-slide'>> {
    const review = await this.reviewOf(request.manifest_path);
    return this.inTurn(review, () => review.decideSlide(request.deck, request.key, request.decision));
  }

  /** For quitting: closes the copies the reviews keep open for their images. */
  close(): void {
    for (const review of this.reviews.values()) review.close();
  }

  private async reviewOf(manifestPath: string): Promise<BatchReview> {
    const resolved = path.resolve(manifestPath);
    let review = this.reviews.get(resolved);
    if (!review) {
      review = new BatchReview(resolved, (await this.config.load()).config.limits);
      this.reviews.set(resolved, review);
    }
    return review;
  }

  private inTurn<T>(review: BatchReview, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(review.manifestPath) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.queues.set(
      review.manifestPath,
      next.catch(() => undefined),
    );
    return next;
  }
}
