import type { AltTextConfig, LimitsConfig } from '../../shared/config-schema';
import { DescriptionCache } from '../describe/description-cache';
import type { ModelProvider } from '../describe/model-provider';
import type { TextReader } from '../describe/ocr';
import { createTextReader } from '../describe/ocr';
import { openDeck } from '../pptx/deck';
import { MAX_IMAGE_BYTES } from '../pptx/deck-images';
import { promptContextFor, thumbnailOf, THUMBNAIL_PX } from './describe-step';
import type { PictureResult } from './picture-describer';
import { PictureDescriber } from './picture-describer';

/**
 * The review's "Regenerate": one picture of a processed deck described again, through the same
 * code a run uses (describe-step's prompt context, PictureDescriber with its image preparation,
 * text reading and provider), optionally with the reviewer's hint in the prompt. Nothing is
 * written: the caller keeps the answer as a proposal until the review is applied.
 *
 * The description cache is neither read nor written: a cached answer is what the reviewer
 * wants replaced, and an answer shaped by one reviewer's hint is not the answer for that
 * picture everywhere else.
 */

export class RegenerateError extends Error {
  constructor(
    readonly code: 'EUNKNOWN_PICTURE' | 'EREVIEW_REFUSED',
    message: string,
  ) {
    super(message);
  }
}

export interface RegenerateOptions {
  /** The deck holding the picture (the accessible copy). */
  readonly deck: string;
  /** `<part>#<shape id>`, as in the report. */
  readonly key: string;
  readonly hint: string | null;
  readonly settings: AltTextConfig;
  readonly limits: LimitsConfig;
  /** null: `provider: offline`, which drafts again from the text in the picture and the slide. */
  readonly provider: ModelProvider | null;
  /** Reads text in pictures; default: one started when needed and closed at the end. */
  readonly textReader?: TextReader;
  readonly signal?: AbortSignal;
}

export async function regeneratePicture(options: RegenerateOptions): Promise<PictureResult> {
  const deck = await openDeck(options.deck, options.limits);
  const { settings } = options;
  const textReader = settings.read_text_in_images ? (options.textReader ?? createTextReader()) : null;
  try {
    const picture = deck.pictures.find((candidate) => candidate.key === options.key);
    if (!picture) {
      const graphic = deck.graphics.some((candidate) => candidate.key === options.key);
      throw graphic
        ? new RegenerateError('EREVIEW_REFUSED', 'Charts, SmartArt graphics and tables are described from their own data, not by the model: edit the text instead.')
        : new RegenerateError('EUNKNOWN_PICTURE', `The deck ${deck.path} has no picture ${options.key}; open the review again.`);
    }
    const image = picture.image;
    if (!image || image.problem) {
      const why = image?.problem ?? (picture.ref.image.kind === 'linked' ? 'it is linked, not inside the deck' : 'the shape has no picture data');
      throw new RegenerateError('EREVIEW_REFUSED', `This picture cannot be described by the model: ${why}.`);
    }
    const language = settings.language === 'auto' ? deck.language : settings.language;
    const describer = new PictureDescriber({
      readImage: (part) => deck.package.readBuffer(part, MAX_IMAGE_BYTES),
      provider: options.provider,
      cache: new DescriptionCache({ dir: '', enabled: false }),
      askAgain: true,
      settings,
      textReader,
      thumbnailPx: THUMBNAIL_PX,
      thumbnail: thumbnailOf,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const job = { imagePart: image.part, context: { ...promptContextFor(deck, picture.slide, settings, language), hint: options.hint } };
    return await describer.finish(job, await describer.prepare(job));
  } finally {
    if (!options.textReader) await textReader?.close();
    await deck.close();
  }
}
