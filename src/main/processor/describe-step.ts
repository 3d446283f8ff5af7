import type { ProcessorProgressEvent } from '../../shared/processor-protocol';
import type { DescriptionCache } from '../describe/description-cache';
import { imageHash, prepareImage } from '../describe/image-prep';
import type { ModelFailures } from '../describe/model-failures';
import type { ModelRequests } from '../describe/model-provider';
import type { TextReader } from '../describe/ocr';
import { createTextReader } from '../describe/ocr';
import type { PromptContext } from '../describe/prompts';
import { LONG_DESCRIPTIONS_END, LONG_DESCRIPTIONS_HEADING } from '../pptx/notes-writer';
import type { Deck, DeckSlide } from '../pptx/deck';
import { MAX_IMAGE_BYTES, readImage } from '../pptx/deck-images';
import type { AltTextConfig } from '../../shared/config-schema';
import type { DeckPlan, PlannedPicture } from './plan-deck';
import { runOrderedPipeline } from './ordered-pipeline';
import { runPicturePipeline } from './picture-pipeline';
import type { DescribeJob, PictureResult } from './picture-describer';
import { PictureDescriber } from './picture-describer';

/**
 * The second step: the pictures the plan describes go to the model (or become offline drafts),
 * pipelined: pictures decode one per core, and each goes to the model as soon as it is ready,
 * many waiting for their answers at once (the model's scheduler keeps its servers' slots
 * busy, request-scheduler.ts); a few more are prepared than it can take, never the whole
 * deck. Once all are prepared, a `waiting_for_model` progress event says the deck now only
 * waits for answers (a batch may then start its next deck, batch-runner.ts). The
 * pictures the model does not see (kept, skipped, cached) get their review thumbnails here too,
 * and every readable image its sha256 for the report.
 *
 * A model failure on one picture makes it "needs review"; the server being unreachable, the
 * model missing or broken is thrown (picture-describer.ts), and the deck stops without output.
 */

export interface DescribeStepOptions {
  readonly settings: AltTextConfig;
  /** null: `provider: offline`. */
  readonly provider: ModelRequests | null;
  readonly cache: DescriptionCache;
  /** Reads text in pictures; default: one started on first use and closed at the end. */
  readonly textReader?: TextReader;
  /** Pictures decoded at once (at least 1). */
  readonly decodesAtOnce: number;
  readonly signal?: AbortSignal;
  readonly modelFailures?: ModelFailures;
  readonly onProgress?: (event: ProcessorProgressEvent) => void;
  /**
   * Called once per picture the model was asked about (or drafted), as it is finished, with how
   * long finishing it took (the model's answer, or the cache's): the deck's log shows it.
   */
  readonly onPictureDone: (picture: PlannedPicture, modelMs: number) => void;
  readonly onWarning: (message: string) => void;
}

export interface DescribedPictures {
  /** What the model (or the offline drafter) made of each picture planned for `describe`. */
  readonly results: ReadonlyMap<PlannedPicture, PictureResult>;
  /** Review thumbnails of the images the model did not see, by image part (null: none could be made). */
  readonly thumbnails: ReadonlyMap<string, string | null>;
  /** The sha256 of every image part that could be read. */
  readonly hashes: ReadonlyMap<string, string>;
}

/** Longest side of the review thumbnails. */
export const THUMBNAIL_PX = 160;

export async function describePictures(deck: Deck, plan: DeckPlan, options: DescribeStepOptions): Promise<DescribedPictures> {
  const { settings } = options;
  const decodes = Math.max(1, options.decodesAtOnce);
  const hashes = new Map<string, string>();
  for (const image of imagesOf(plan)) if (image.hash) hashes.set(image.part, image.hash);

  const contextFor = (slide: DeckSlide | null): PromptContext => promptContextFor(deck, slide, settings, plan.language);
  const jobs: Array<DescribeJob & { readonly picture: PlannedPicture }> = [];
  for (const picture of plan.pictures) {
    const image = picture.item.image;
    if (picture.decision !== 'describe' || !image || image.problem) continue;
    const hash = hashes.get(image.part);
    jobs.push({ picture, imagePart: image.part, ...(hash ? { imageHash: hash } : {}), context: contextFor(picture.item.slide) });
  }
  const usesLeft = new Map<string, number>();
  for (const job of jobs) usesLeft.set(job.imagePart, (usesLeft.get(job.imagePart) ?? 0) + 1);
  const textReader = settings.read_text_in_images ? (options.textReader ?? createTextReader()) : null;
  const describer = new PictureDescriber({
    readImage: (part) => deck.package.readBuffer(part, MAX_IMAGE_BYTES),
    provider: options.provider,
    cache: options.cache,
    settings,
    textReader,
    thumbnailPx: THUMBNAIL_PX,
    thumbnail: thumbnailOf,
    signal: options.signal,
    onTextReaderFailure: options.onWarning,
    ...(options.modelFailures ? { failures: options.modelFailures } : {}),
    // Each fresh answer goes out at once, so the batch sees a broken model across decks.
    onModelAnswer: (answer) =>
      options.onProgress?.({ type: 'progress', model_answer: answer.usable ? 'usable' : 'unusable', ...(answer.usable ? {} : { model_problem: answer.problem }) }),
  });
  const results = new Map<PlannedPicture, PictureResult>();
  const { provider } = options;
  try {
    await runPicturePipeline(
      jobs,
      (job) => describer.prepare(job),
      async (job, ready, signal) => {
        const began = performance.now();
        const result = await describer.finish(job, ready, signal);
        const modelMs = performance.now() - began;
        results.set(job.picture, result);
        if (result.imageHash) hashes.set(job.imagePart, result.imageHash);
        const left = (usesLeft.get(job.imagePart) ?? 1) - 1;
        usesLeft.set(job.imagePart, left);
        if (left === 0) describer.release(job.imagePart);
        options.onPictureDone(job.picture, modelMs);
      },
      {
        prepareAtOnce: decodes,
        // A few more than the model can take, so that it never waits for a decode.
        ahead: () => (provider ? provider.capacity() + decodes : decodes),
        ...(options.signal ? { signal: options.signal } : {}),
        onAllPrepared: () => {
          if (provider) options.onProgress?.({ type: 'progress', waiting_for_model: true });
        },
      },
    );
  } finally {
    if (!options.textReader) await textReader?.close();
  }

  // Thumbnails of the pictures the model did not see (kept, skipped, cached), decoded in parallel.
  const thumbnails = new Map<string, string | null>();
  const toThumbnail = [
    ...new Set(
      plan.pictures.flatMap((picture) => {
        const image = picture.item.image;
        const result = results.get(picture);
        // Pictures already marked decorative are not shown; ones AltGen marks are, for review.
        const decorative = !result && picture.decision === 'decorative';
        return image && !image.problem && !result?.thumbnail && !decorative ? [image.part] : [];
      }),
    ),
  ];
  await runOrderedPipeline(
    toThumbnail,
    async (part) => {
      const bytes = await readImage(deck.package, part);
      if (!bytes) return null;
      hashes.set(part, imageHash(bytes));
      return thumbnailOf(bytes, part);
    },
    async (part, thumbnail) => void thumbnails.set(part, thumbnail),
    { lookahead: decodes - 1, signal: options.signal },
  );
  // Images neither described nor shown (decorative ones) are read once more, for their hash alone.
  for (const image of imagesOf(plan)) {
    if (image.problem || hashes.has(image.part)) continue;
    const bytes = await readImage(deck.package, image.part);
    if (bytes) hashes.set(image.part, imageHash(bytes));
  }
  return { results, thumbnails, hashes };
}

/** The images the plan's pictures show, each once. */
function imagesOf(plan: DeckPlan) {
  return new Set(plan.pictures.flatMap((picture) => picture.item.image ?? []));
}

/** A small preview for the review page and screen. */
export async function thumbnailOf(bytes: Buffer, part: string): Promise<string | null> {
  const thumb = await prepareImage(bytes, part, { maxDimension: THUMBNAIL_PX }).catch(() => null);
  return thumb && !('skip' in thumb) ? `data:${thumb.mime};base64,${thumb.image.toString('base64')}` : null;
}

/** What the model is told about a picture's lecture and slide; regenerating one picture tells it the same. */
export function promptContextFor(deck: Pick<Deck, 'title'>, slide: DeckSlide | null, settings: AltTextConfig, language: string): PromptContext {
  return {
    deckTitle: deck.title,
    slideTitle: slide?.info.title ?? null,
    slideText: slide?.info.text ?? '',
    notes: settings.include_notes_in_prompt ? withoutOwnNotes(slide?.info.notes ?? null) : null,
    course: settings.course,
    language,
    charLimit: settings.char_limit,
    category: settings.prompt_category,
    templates: settings.prompt_templates,
  };
}

/** The notes without the block an earlier run wrote: the model should not read its own words. */
export function withoutOwnNotes(notes: string | null): string | null {
  if (!notes) return notes;
  const start = notes.indexOf(LONG_DESCRIPTIONS_HEADING);
  if (start < 0) return notes;
  const end = notes.indexOf(LONG_DESCRIPTIONS_END, start);
  const rest = `${notes.slice(0, start)} ${end < 0 ? '' : notes.slice(end + LONG_DESCRIPTIONS_END.length)}`.replace(/\s+/g, ' ').trim();
  return rest === '' ? null : rest;
}
