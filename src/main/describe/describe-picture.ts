import { createHash } from 'node:crypto';
import { assertNever } from '../../shared/assert-never';
import { cleanAnswer } from './clean-answer';
import type { DescriptionCache } from './description-cache';
import type { PreparedImage } from './image-prep';
import { imageHash, prepareImage } from './image-prep';
import type { ModelRequests } from './model-provider';
import { buildPrompt, PROMPT_VERSION, type DescribeCategory, type PromptContext } from './prompts';

/**
 * One picture from bytes to alt text: cache lookup, image preparation, prompt, model call,
 * cleaning, cache store. Model errors (ModelUnavailableError, ModelMissingError,
 * ModelRequestError) are thrown for the processor to map to its exit codes; everything about
 * the picture itself ends in an outcome.
 *
 * The cache key holds the configured category (`auto` stays `auto`), not the one chosen from
 * the slide: the slide context is deliberately not part of the key, so a logo on forty slides
 * is described once even when their titles would pick different categories.
 */
export type DescribeOutcome =
  | {
      readonly kind: 'described';
      readonly text: string;
      readonly imageHash: string;
      readonly model: string;
      readonly fromCache: boolean;
      /** The category of the prompt; null when the text came from the cache. */
      readonly category: DescribeCategory | null;
      /** The image as the model saw it (absent for cache hits), for a thumbnail. */
      readonly prepared?: PreparedImage;
      /** Another deck's request for this picture was out already: its answer, no call of its own. */
      readonly shared?: boolean;
    }
  | {
      readonly kind: 'needs-review';
      readonly reason: string;
      readonly rawAnswer: string;
      readonly imageHash: string;
      readonly model: string;
      readonly category: DescribeCategory;
      readonly prepared?: PreparedImage;
      readonly shared?: boolean;
    }
  | { readonly kind: 'skipped'; readonly reason: string; readonly imageHash: string };

export interface DescribeDependencies {
  /** The model's requests: one server (a ModelProvider), or every configured one through their scheduler. */
  readonly provider: ModelRequests;
  readonly cache: DescriptionCache;
  readonly maxDimension: number;
  /** Passed to prepareImage: `soffice` path for EMF/WMF, null for none, default PATH lookup. */
  readonly soffice?: string | null;
  readonly maxInputPixels?: number;
  /** Passed to prepareImage: a thumbnail from the same decode. */
  readonly thumbnailDimension?: number;
}

function templateKey(context: PromptContext): string {
  const detail = context.detail === 'long' ? '+long' : '';
  const templates = Object.entries(context.templates ?? {}).filter(([, text]) => text?.trim());
  if (templates.length === 0) return `${context.category}${detail}`;
  return `${context.category}${detail}+${createHash('sha256').update(JSON.stringify(templates.sort())).digest('hex').slice(0, 16)}`;
}

/**
 * The first, CPU-bound half of a description: the cache lookup and the image as the model
 * will see it. The processor runs it for the next pictures while the model is busy with the
 * current one; it never talks to the model.
 */
export type PictureForModel =
  | { readonly kind: 'cached'; readonly text: string; readonly model: string; readonly imageHash: string }
  | { readonly kind: 'skipped'; readonly reason: string; readonly imageHash: string }
  | { readonly kind: 'ready'; readonly imageHash: string; readonly cacheKey: string; readonly prepared: PreparedImage };

export async function preparePictureForModel(
  /** `imageHash`: the sha256 of `bytes` when the caller already has it. */
  picture: { readonly bytes: Buffer; readonly name: string; readonly context: PromptContext; readonly imageHash?: string },
  deps: DescribeDependencies,
): Promise<PictureForModel> {
  const hash = picture.imageHash ?? imageHash(picture.bytes);
  const { context } = picture;
  const cacheKey = deps.cache.keyFor({
    imageHash: hash,
    providerId: deps.provider.id,
    promptVersion: PROMPT_VERSION,
    // Own templates change the answers: they are part of the key, so changing one re-describes.
    category: templateKey(context),
    language: context.language,
    charLimit: context.charLimit,
  });
  const cached = await deps.cache.get(cacheKey);
  if (cached) return { kind: 'cached', text: cached.text, model: cached.model, imageHash: hash };

  const prepared = await prepareImage(picture.bytes, picture.name, {
    maxDimension: deps.maxDimension,
    ...(deps.soffice !== undefined ? { soffice: deps.soffice } : {}),
    ...(deps.maxInputPixels !== undefined ? { maxInputPixels: deps.maxInputPixels } : {}),
    ...(deps.thumbnailDimension !== undefined ? { thumbnailDimension: deps.thumbnailDimension } : {}),
  });
  if ('skip' in prepared) return { kind: 'skipped', reason: prepared.skip, imageHash: hash };
  return { kind: 'ready', imageHash: hash, cacheKey, prepared };
}

/**
 * The second half: the prompt (now with any text read in the picture), one model call,
 * cleaning, and the cache. Model errors are thrown as in describePicture.
 */
export async function askModel(
  picture: PictureForModel,
  context: PromptContext,
  deps: Pick<DescribeDependencies, 'provider' | 'cache'> & {
    /** A new call whatever else asks or was just answered for this picture (the review's Regenerate). */
    readonly askAgain?: boolean;
  },
  signal?: AbortSignal,
): Promise<DescribeOutcome> {
  switch (picture.kind) {
    case 'cached':
      return { kind: 'described', text: picture.text, imageHash: picture.imageHash, model: picture.model, fromCache: true, category: null };
    case 'skipped':
      return picture;
    case 'ready':
      break;
    default:
      return assertNever(picture, 'picture for the model');
  }
  const { prepared, imageHash: hash } = picture;
  // Prepared ahead of its turn: another shape with the same image may have been answered since.
  const answered = await deps.cache.get(picture.cacheKey);
  if (answered) return { kind: 'described', text: answered.text, imageHash: hash, model: answered.model, fromCache: true, category: null };
  const prompt = buildPrompt(context);
  // Keyed by the cache key: decks asking for this picture at the same time share one call. A
  // request to ask again has no key: it shares nothing and is answered by the model itself.
  const reply = await deps.provider.ask(
    { image: prepared.image, mime: prepared.mime, prompt: prompt.prompt, system: prompt.system, ...(deps.askAgain ? {} : { key: picture.cacheKey }) },
    signal,
  );
  const raw = reply.text;
  const shared = reply.shared ? { shared: true } : {};
  const cleaned = cleanAnswer(raw, context.charLimit, { prompt: prompt.prompt });
  if ('needsReview' in cleaned) {
    return { kind: 'needs-review', reason: cleaned.needsReview, rawAnswer: raw, imageHash: hash, model: reply.model, category: prompt.category, prepared, ...shared };
  }
  await deps.cache.set(picture.cacheKey, { text: cleaned.text, model: reply.model, created_at: new Date().toISOString() });
  return { kind: 'described', text: cleaned.text, imageHash: hash, model: reply.model, fromCache: false, category: prompt.category, prepared, ...shared };
}

export async function describePicture(
  picture: { readonly bytes: Buffer; readonly name: string; readonly context: PromptContext },
  deps: DescribeDependencies,
  signal?: AbortSignal,
): Promise<DescribeOutcome> {
  return askModel(await preparePictureForModel(picture, deps), picture.context, deps, signal);
}
