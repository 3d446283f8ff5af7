import type { AltTextConfig } from '../../shared/config-schema';
import type { DescriptionCache } from '../describe/description-cache';
import type { DescribeOutcome, PictureForModel } from '../describe/describe-picture';
import { askModel, preparePictureForModel } from '../describe/describe-picture';
import type { PreparedImage } from '../describe/image-prep';
import { imageHash, prepareImage } from '../describe/image-prep';
import type { ModelRequests } from '../describe/model-provider';
import { ModelRequestError, ModelUnusableError } from '../describe/model-provider';
import { snippet } from '../describe/model-http';
import { ModelFailures } from '../describe/model-failures';
import type { ModelAnswer } from '../describe/unusable-answers';
import { UnusableAnswers } from '../describe/unusable-answers';
import { offlineDraft } from '../describe/offline-draft';
import { PackageError } from '../pptx/package-error';
import { altTextLanguage } from '../text/alt-text-phrases';
import type { RecognisedText, TextReader } from '../describe/ocr';
import { TextReaderError } from '../describe/ocr';
import { ocrPromptContext } from '../describe/ocr-context';
import type { DescribeCategory, PromptContext } from '../describe/prompts';
import { LONG_DESCRIPTION_CHARS, chooseCategory } from '../describe/prompts';

/**
 * One picture to describe, from its image part to alt text (and, for complex pictures, a long
 * description for the speaker notes). Split in two for runOrderedPipeline: `prepare` is the
 * CPU work (decoding, resizing, thumbnail, reading the text in the picture) and may run ahead;
 * `finish` asks the model, or with `provider: offline` builds a draft; many pictures may be
 * waiting for their answer at once (the model requests' scheduler decides how many go out).
 *
 * A model failure on one picture makes it "needs review"; the server being unreachable or the
 * model missing is thrown, since it concerns every picture. Drafts are never cached and never
 * pass as model output: they come back as `draft` and always need review.
 *
 * A picture the model failed on is remembered (`failures`, shared by the batch's processors)
 * and not asked again in the same run. When the model's fresh answers are unusable
 * UNUSABLE_ANSWERS_IN_A_ROW times in a row, the model itself is broken: a ModelUnusableError
 * stops the deck (the batch stops, and a resume once the model is fixed does the deck again).
 */

export interface DescribeJob {
  readonly imagePart: string;
  /** The sha256 of the image part, when the caller has already read it. */
  readonly imageHash?: string;
  /** The lecture context; the text read in the picture is added to it here. */
  readonly context: PromptContext;
}

export type PictureResult =
  | {
      readonly kind: 'described' | 'draft';
      readonly text: string;
      readonly fromCache: boolean;
      /** Model calls this picture cost (0 from the cache, 2 with a long description). */
      readonly modelCalls: number;
      readonly model: string;
      readonly longDescription: string | null;
      readonly textInImage: string | null;
      readonly thumbnail: string | null;
      /** sha256 of the image part; null when it could not be read. */
      readonly imageHash: string | null;
    }
  | {
      readonly kind: 'needs-review' | 'skipped';
      readonly reason: string;
      /** The model answered (now or earlier in the batch) but its answer could not be used. */
      readonly modelFailed: boolean;
      readonly modelCalls: number;
      readonly model: string;
      readonly textInImage: string | null;
      readonly thumbnail: string | null;
      readonly imageHash: string | null;
    };

interface Prepared {
  readonly forModel: PictureForModel | null;
  readonly image: PreparedImage | { readonly skip: string } | null;
  /** null when the image part could not be read. */
  readonly imageHash: string | null;
  readonly thumbnail: string | null;
  readonly text: RecognisedText | null;
}

export interface PictureDescriberOptions {
  /** Reads an image part of the deck (bounded); read again per picture so memory stays flat. */
  readonly readImage: (part: string) => Promise<Buffer>;
  /** null: `provider: offline`. */
  readonly provider: ModelRequests | null;
  readonly cache: DescriptionCache;
  readonly settings: AltTextConfig;
  /** Started on first use; the caller closes it. null: no text reading. */
  readonly textReader: TextReader | null;
  /** Longest side of the review thumbnails, made from the same decode as the model's copy. */
  readonly thumbnailPx: number;
  /** A thumbnail from the original, for pictures the model's copy was not made of (cache hits). */
  readonly thumbnail: (image: Buffer, name: string) => Promise<string | null>;
  readonly signal?: AbortSignal;
  /** Called once when reading the text in pictures fails (the deck goes on without it). */
  readonly onTextReaderFailure?: (message: string) => void;
  /** Pictures the model failed on earlier in this run (default: remembered for this deck only). */
  readonly failures?: ModelFailures;
  /** Called with every fresh answer of the model (not cache hits, not remembered failures). */
  readonly onModelAnswer?: (answer: ModelAnswer) => void;
  /** Every picture is a new call, never another request's answer (the review's Regenerate). */
  readonly askAgain?: boolean;
}

/** Categories whose pictures usually carry labels worth reading, and a long description. */
const TEXT_BEARING: ReadonlySet<DescribeCategory> = new Set(['chart', 'diagram', 'anatomical']);
const COMPLEX: ReadonlySet<DescribeCategory> = new Set(['chart', 'diagram']);
/** Pictures with at least this many lines of text are complex enough for a long description. */
const DENSE_TEXT_LINES = 4;
/** Pictures whose longest side is shorter than this are not read for text. */
export const MIN_TEXT_PICTURE_PX = 100;
export const OFFLINE_MODEL_ID = 'offline';

/** What asking about one picture came to, and whether the model was asked at all. */
interface Asked {
  readonly outcome: DescribeOutcome;
  /** The model was asked now (not the cache, not a failure remembered from earlier in the run). */
  readonly fresh: boolean;
  /** For an unusable answer: what the model answered, on one line. */
  readonly problem: string | null;
}

export class PictureDescriber {
  private readonly prepared = new Map<string, Promise<Prepared>>();
  private textReaderFailed = false;
  private readonly failures: ModelFailures;
  private readonly unusable = new UnusableAnswers();
  /** Pictures asked about whose answers are not yet noted. */
  private out = 0;
  private readonly roomWaiters = new Set<() => void>();
  /** By cache key: the ask the next shape showing that picture waits for. */
  private readonly turns = new Map<string, Promise<void>>();

  constructor(private readonly options: PictureDescriberOptions) {
    this.failures = options.failures ?? new ModelFailures(null);
  }

  /** The CPU half; the same image part is prepared once however many shapes show it. */
  prepare(job: DescribeJob): Promise<Prepared> {
    let prepared = this.prepared.get(job.imagePart);
    if (!prepared) {
      prepared = this.prepareOnce(job);
      this.prepared.set(job.imagePart, prepared);
    }
    return prepared;
  }

  /** Forget a prepared image once every shape showing it is finished. */
  release(imagePart: string): void {
    this.prepared.delete(imagePart);
  }

  /** `signal`: stops its model requests (default: the describer's). */
  async finish(job: DescribeJob, prepared: Prepared, signal: AbortSignal | undefined = this.options.signal): Promise<PictureResult> {
    const { provider, settings } = this.options;
    const textInImage = prepared.text && prepared.text.lines.length > 0 ? prepared.text.text : null;
    const context: PromptContext = { ...job.context, ocrText: prepared.text ? ocrPromptContext(prepared.text) : null };
    const base = { textInImage, thumbnail: prepared.thumbnail, imageHash: prepared.imageHash };
    if (!provider) return this.draft(job, prepared, context, base);

    await this.roomToAsk(provider, signal);
    let asked: Asked;
    try {
      asked = await this.ask(prepared.forModel as PictureForModel, context, provider, prepared.imageHash ?? '', signal);
      if (asked.fresh) this.noteAnswer(asked, provider);
    } finally {
      // Counted out until its answer is noted, so that the next one sees the run it is in.
      this.out -= 1;
      for (const wake of this.roomWaiters) wake();
    }
    const { outcome } = asked;
    switch (outcome.kind) {
      case 'skipped':
        return { kind: 'skipped', reason: outcome.reason, modelFailed: false, modelCalls: 0, model: provider.id, ...base };
      case 'needs-review':
        return {
          kind: 'needs-review',
          reason:
            asked.fresh || outcome.shared
              ? `The model's answer could not be used (${asked.problem ?? outcome.reason}); nothing was written.`
              : `The model's answer for this picture could not be used earlier in this batch (${outcome.reason}); it was not asked again, and nothing was written.`,
          modelFailed: true,
          modelCalls: asked.fresh ? 1 : 0,
          model: provider.id,
          ...base,
        };
      case 'described': {
        const long = settings.long_descriptions === 'notes' && this.isComplex(context, prepared.text) ? await this.askLong(job, context, provider, signal) : null;
        return {
          kind: 'described',
          text: outcome.text,
          fromCache: outcome.fromCache,
          modelCalls: (outcome.fromCache || outcome.shared ? 0 : 1) + (long?.modelCall ? 1 : 0),
          model: outcome.model,
          longDescription: long?.text ?? null,
          ...base,
        };
      }
    }
  }

  private async prepareOnce(job: DescribeJob): Promise<Prepared> {
    const { provider, settings, cache, thumbnailPx } = this.options;
    let bytes: Buffer;
    try {
      bytes = await this.options.readImage(job.imagePart);
    } catch (error) {
      // A damaged image part costs its own pictures, not the deck: they are skipped with the reason.
      if (!(error instanceof PackageError)) throw error;
      const skip = `The image ${job.imagePart} could not be read (${error.message}).`;
      return { forModel: provider ? { kind: 'skipped', reason: skip, imageHash: '' } : null, image: { skip }, imageHash: null, thumbnail: null, text: null };
    }
    let forModel: PictureForModel | null = null;
    let image: Prepared['image'] = null;
    if (provider) {
      forModel = await preparePictureForModel(
        { bytes, name: job.imagePart, context: job.context, ...(job.imageHash !== undefined ? { imageHash: job.imageHash } : {}) },
        { provider, cache, maxDimension: settings.max_image_dimension, thumbnailDimension: thumbnailPx },
      );
      if (forModel.kind === 'ready') image = forModel.prepared;
    } else {
      image = await prepareImage(bytes, job.imagePart, { maxDimension: settings.max_image_dimension, thumbnailDimension: thumbnailPx });
    }
    const usable = image && !('skip' in image) ? image : null;
    // Decoding is the cost: the thumbnail comes from the model's decode unless there was none.
    const thumbnail = usable?.thumbnail
      ? `data:${usable.thumbnail.mime};base64,${usable.thumbnail.image.toString('base64')}`
      : await this.options.thumbnail(bytes, job.imagePart);
    const text = usable && this.shouldReadText(job.context, usable) ? await this.readText(usable.image) : null;
    return { forModel, image, imageHash: forModel?.imageHash ?? job.imageHash ?? imageHash(bytes), thumbnail, text };
  }

  /**
   * Reading text costs about a second a picture on a laptop: it runs where labels are likely
   * (line art, charts, diagrams, anatomy) and always for offline drafts, which are made of it.
   */
  private shouldReadText(context: PromptContext, image: PreparedImage): boolean {
    if (!this.options.settings.read_text_in_images || !this.options.textReader || this.textReaderFailed) return false;
    // Icons, bullets and small logos hold no labels worth the engine's start (~0.6 s, ~70 MB).
    if (Math.max(image.originalWidth, image.originalHeight) < MIN_TEXT_PICTURE_PX) return false;
    if (!this.options.provider) return true;
    return image.mime === 'image/png' || TEXT_BEARING.has(this.categoryOf(context));
  }

  private async readText(image: Buffer): Promise<RecognisedText | null> {
    try {
      return await (this.options.textReader as TextReader).read(image);
    } catch (error) {
      // One unreadable picture costs only its own text; an engine that cannot start, every picture's.
      if (error instanceof TextReaderError && error.code !== 'EOCR_UNAVAILABLE') return null;
      if (!this.textReaderFailed) {
        this.textReaderFailed = true;
        this.options.onTextReaderFailure?.(`Text in pictures could not be read (${(error as Error).message}); pictures were described without it.`);
      }
      return null;
    }
  }

  private categoryOf(context: PromptContext): DescribeCategory {
    return context.category === 'auto' ? chooseCategory(context) : context.category;
  }

  private isComplex(context: PromptContext, text: RecognisedText | null): boolean {
    return COMPLEX.has(this.categoryOf(context)) || (text?.lines.length ?? 0) >= DENSE_TEXT_LINES;
  }

  /**
   * Asks the model unless the picture is cached or the model already failed on it in this run.
   * An unusable answer is remembered, with what the model answered.
   */
  private ask(forModel: PictureForModel, context: PromptContext, provider: ModelRequests, hash: string, signal: AbortSignal | undefined): Promise<Asked> {
    const key = forModel.kind === 'ready' ? forModel.cacheKey : null;
    if (key === null) return this.askNow(forModel, context, provider, hash, signal, null);
    // Shapes showing the same picture ask in turn: the first one's answer (or failure) is then
    // in the cache (or remembered) for the others, which cost no call and say so.
    const before = this.turns.get(key) ?? Promise.resolve();
    const mine = before.then(() => this.askNow(forModel, context, provider, hash, signal, key));
    const done = mine.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(key, done);
    void done.then(() => {
      if (this.turns.get(key) === done) this.turns.delete(key);
    });
    return mine;
  }

  private async askNow(
    forModel: PictureForModel,
    context: PromptContext,
    provider: ModelRequests,
    hash: string,
    signal: AbortSignal | undefined,
    key: string | null,
  ): Promise<Asked> {
    const remembered = key === null ? null : await this.failures.get(key);
    if (remembered !== null) {
      const outcome: DescribeOutcome = { kind: 'needs-review', reason: remembered, rawAnswer: '', imageHash: hash, model: provider.id, category: 'default' };
      return { outcome, fresh: false, problem: null };
    }
    let outcome: DescribeOutcome;
    let problem: string | null = null;
    let sharedFailure = false;
    try {
      outcome = await askModel(forModel, context, { provider, cache: this.options.cache, askAgain: this.options.askAgain === true }, signal);
      if (outcome.kind === 'needs-review') problem = outcome.rawAnswer.trim() ? `${outcome.reason}: "${snippet(outcome.rawAnswer, 60)}"` : outcome.reason;
    } catch (error) {
      if (!(error instanceof ModelRequestError)) throw error;
      outcome = { kind: 'needs-review', reason: error.message, rawAnswer: '', imageHash: hash, model: provider.id, category: 'default' };
      problem = error.message;
      sharedFailure = error.shared;
    }
    if (key !== null && problem !== null) await this.failures.set(key, problem);
    // Not fresh: the cache's, or another deck's answer to the same picture (one call, counted there).
    const fresh = forModel.kind === 'ready' && !sharedFailure && !(outcome.kind === 'described' && outcome.fromCache) && !(outcome.kind !== 'skipped' && outcome.shared);
    return { outcome, fresh, problem };
  }

  /** Waits until one more picture may be asked about (UnusableAnswers.roomFor), and counts it out. */
  private async roomToAsk(provider: ModelRequests, signal: AbortSignal | undefined): Promise<void> {
    while (!this.unusable.roomFor(this.out)) {
      if (this.unusable.reached) throw new ModelUnusableError(this.unusable.message(provider.id.replace(/^[a-z]+:/, '')));
      if (signal?.aborted) throw signal.reason;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.roomWaiters.delete(wake);
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        this.roomWaiters.add(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
    this.out += 1;
  }

  /** Counts a fresh answer; enough unusable ones in a row stop the deck: the model is broken. */
  private noteAnswer(asked: Asked, provider: ModelRequests): void {
    const answer: ModelAnswer = asked.problem === null ? { usable: true } : { usable: false, problem: asked.problem };
    this.options.onModelAnswer?.(answer);
    if (this.unusable.record(answer)) throw new ModelUnusableError(this.unusable.message(provider.id.replace(/^[a-z]+:/, '')));
  }

  /** A second request for the notes; its failure costs the long description, never the alt text. */
  private async askLong(job: DescribeJob, context: PromptContext, provider: ModelRequests, signal: AbortSignal | undefined): Promise<{ text: string; modelCall: boolean } | null> {
    const longContext: PromptContext = { ...context, detail: 'long', charLimit: LONG_DESCRIPTION_CHARS };
    const bytes = await this.options.readImage(job.imagePart);
    const forModel = await preparePictureForModel(
      { bytes, name: job.imagePart, context: longContext },
      { provider, cache: this.options.cache, maxDimension: this.options.settings.max_image_dimension },
    );
    const { outcome } = await this.ask(forModel, longContext, provider, forModel.imageHash, signal);
    if (outcome.kind === 'described') return { text: outcome.text, modelCall: !outcome.fromCache && !outcome.shared };
    return null;
  }

  private draft(job: DescribeJob, prepared: Prepared, context: PromptContext, base: Pick<PictureResult, 'textInImage' | 'thumbnail' | 'imageHash'>): PictureResult {
    if (prepared.image && 'skip' in prepared.image) {
      return { kind: 'skipped', reason: prepared.image.skip, modelFailed: false, modelCalls: 0, model: OFFLINE_MODEL_ID, ...base };
    }
    const draft = offlineDraft({
      recognisedText: prepared.text,
      slideTitle: job.context.slideTitle ?? null,
      slideText: job.context.slideText ?? '',
      deckTitle: job.context.deckTitle ?? '',
      charLimit: job.context.charLimit,
      language: job.context.language,
    });
    if (!draft) {
      return {
        kind: 'needs-review',
        reason: 'No model is used (provider: offline) and neither the picture nor its slide has text to draft from; write this one by hand.',
        modelFailed: false,
        modelCalls: 0,
        model: OFFLINE_MODEL_ID,
        ...base,
      };
    }
    const { phrases } = altTextLanguage(job.context.language);
    const long =
      this.options.settings.long_descriptions === 'notes' && prepared.text && this.isComplex(context, prepared.text)
        ? `${phrases.textInPicture}${phrases.colon}${prepared.text.lines.join(phrases.semicolon)}`
        : null;
    return { kind: 'draft', text: draft.text, fromCache: false, modelCalls: 0, model: OFFLINE_MODEL_ID, longDescription: long, ...base };
  }
}
