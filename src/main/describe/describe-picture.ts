import { createHash } from 'node:crypto';
import { cleanAnswer } from './clean-answer';
import type { DescriptionCache } from './description-cache';
import type { PreparedImage } from './image-prep';
import { imageHash, prepareImage } from './image-prep';
import type { ModelProvider } from './model-provider';
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
    }
  | {
      readonly kind: 'needs-review';
      readonly reason: string;
      readonly rawAnswer: string;
      readonly imageHash: string;
      readonly model: string;
      readonly category: DescribeCategory;
      readonly prepared?: PreparedImage;
    }
  | { readonly kind: 'skipped'; readonly reason: string; readonly imageHash: string };

export interface DescribeDependencies {
  readonly provider: ModelProvider;
  readonly cache: DescriptionCache;
  readonly maxDimension: number;
  /** Passed to prepareImage: `soffice` path for EMF/WMF, null for none, default PATH lookup. */
  readonly soffice?: string | null;
  readonly maxInputPixels?: number;
}

function templateKey(context: PromptContext): string {
  const templates = Object.entries(context.templates ?? {}).filter(([, text]) => text?.trim());
  if (templates.length === 0) return context.category;
  return `${context.category}+${createHash('sha256').update(JSON.stringify(templates.sort())).digest('hex').slice(0, 16)}`;
}

export async function describePicture(
  picture: { readonly bytes: Buffer; readonly name: string; readonly context: PromptContext },
  deps: DescribeDependencies,
  signal?: AbortSignal,
): Promise<DescribeOutcome> {
  const hash = imageHash(picture.bytes);
  const { context } = picture;
  const key = deps.cache.keyFor({
    imageHash: hash,
    providerId: deps.provider.id,
    promptVersion: PROMPT_VERSION,
    // Own templates change the answers: they are part of the key, so changing one re-describes.
    category: templateKey(context),
    language: context.language,
    charLimit: context.charLimit,
  });
  const cached = await deps.cache.get(key);
  if (cached) return { kind: 'described', text: cached.text, imageHash: hash, model: cached.model, fromCache: true, category: null };

  const prepared = await prepareImage(picture.bytes, picture.name, {
    maxDimension: deps.maxDimension,
    ...(deps.soffice !== undefined ? { soffice: deps.soffice } : {}),
    ...(deps.maxInputPixels !== undefined ? { maxInputPixels: deps.maxInputPixels } : {}),
  });
  if ('skip' in prepared) return { kind: 'skipped', reason: prepared.skip, imageHash: hash };

  const prompt = buildPrompt(context);
  const raw = await deps.provider.describe({ image: prepared.image, mime: prepared.mime, prompt: prompt.prompt, system: prompt.system }, signal);
  const cleaned = cleanAnswer(raw, context.charLimit, { prompt: prompt.prompt });
  if ('needsReview' in cleaned) {
    return { kind: 'needs-review', reason: cleaned.needsReview, rawAnswer: raw, imageHash: hash, model: deps.provider.id, category: prompt.category, prepared };
  }
  await deps.cache.set(key, { text: cleaned.text, model: deps.provider.id, created_at: new Date().toISOString() });
  return { kind: 'described', text: cleaned.text, imageHash: hash, model: deps.provider.id, fromCache: false, category: prompt.category, prepared };
}
