import type { AltTextQuality, AltTextWeakness } from '../../shared/alt-text-quality';
import { altTextVerdict } from '../../shared/alt-text-quality';
import { assertNever } from '../../shared/assert-never';
import type { AltTextConfig } from '../../shared/config-schema';

/**
 * What to do with each picture, decided from values only: its existing alt text, the policy,
 * and whether it looks decorative. No I/O, so every rule is a table test.
 */

export type Decision =
  | 'describe' // ask the model
  | 'preserve' // keep the existing (human) alt text
  | 'decorative' // already marked decorative: never described, never changed
  | 'mark-decorative' // decorative: apply — write the decorative flag, no description
  | 'skip'; // cannot be described (linked picture, unsupported image): reported with the reason

export interface PictureFacts {
  readonly descr: string | null;
  readonly decorative: boolean;
  /** Why the picture cannot be described at all, if it cannot (e.g. a linked picture). */
  readonly unavailable: string | null;
  /** Why it looks decorative, if it does (see decorativeSuggestions). */
  readonly suggestedDecorative: string | null;
}

export interface PictureDecision {
  readonly decision: Decision;
  readonly reason: string;
  readonly quality: AltTextQuality;
}

export function decidePicture(
  facts: PictureFacts,
  config: Pick<AltTextConfig, 'policy' | 'decorative' | 'min_meaningful_alt_chars' | 'weak_patterns'>,
): PictureDecision {
  const { quality, weakness } = altTextVerdict(facts.descr, config);
  if (facts.decorative) return { decision: 'decorative', quality, reason: 'Marked decorative in the deck: left as it is.' };
  if (facts.unavailable) return { decision: 'skip', quality, reason: facts.unavailable };
  if (facts.suggestedDecorative && config.decorative === 'apply' && quality !== 'human') {
    return { decision: 'mark-decorative', quality, reason: `Looks decorative (${facts.suggestedDecorative}): marked decorative.` };
  }
  const policy = config.policy;
  switch (policy) {
    case 'overwrite':
      return { decision: 'describe', quality, reason: quality === 'human' ? 'Policy overwrite: replacing the existing alt text.' : describeReason(weakness, config) };
    case 'missing-only':
      return quality === 'missing'
        ? { decision: 'describe', quality, reason: describeReason(weakness, config) }
        : { decision: 'preserve', quality, reason: `Policy missing-only: keeping the existing ${quality} alt text.` };
    case 'preserve':
      return quality === 'human'
        ? { decision: 'preserve', quality, reason: 'Has real alt text: kept.' }
        : { decision: 'describe', quality, reason: describeReason(weakness, config) };
    default:
      return assertNever(policy, 'alt-text policy');
  }
}

function describeReason(weakness: AltTextWeakness | null, config: Pick<AltTextConfig, 'min_meaningful_alt_chars'>): string {
  return weakness === null ? 'No alt text.' : `Weak alt text (${weaknessWords(weakness, config)}).`;
}

function weaknessWords(weakness: AltTextWeakness, config: Pick<AltTextConfig, 'min_meaningful_alt_chars'>): string {
  switch (weakness) {
    case 'file-name':
      return 'a file name, path or web address';
    case 'shape-name':
      return "PowerPoint's default shape name";
    case 'auto-caption':
      return "Office's automatic description";
    case 'configured':
      return 'matches one of alt_text.weak_patterns';
    case 'too-short':
      return `shorter than ${config.min_meaningful_alt_chars} characters`;
    default:
      return assertNever(weakness, 'alt-text weakness');
  }
}

export interface DecorativeCandidate {
  readonly key: string;
  readonly slideNumber: number;
  readonly imageHash: string | null;
  readonly widthPx: number | null;
  readonly heightPx: number | null;
  /** The icon or poster frame of a sound or video: the media object needs a name, so it is never decorative. */
  readonly media: boolean;
  /** The share of the slide's area the picture covers (0–1), null when its size is not known. */
  readonly slideShare: number | null;
}

/** "Repeated" means on at least this many distinct slides (and on the configured share of them). */
const MIN_REPEATED_SLIDES = 3;
/**
 * A repeated image is "like a logo" only when shown small: logos, watermarks in a corner,
 * bullets and icons take a few percent of a slide, while a photo or diagram people are meant
 * to look at takes a good part of it (the only content photo of a short deck, shown on every
 * slide, is still content). A picture whose size is unknown is not called a logo: with
 * `decorative: apply` that would hide it from screen readers, worse than describing a logo.
 */
export const LOGO_MAX_SLIDE_SHARE = 0.1;

/**
 * Pictures that are probably decorative: tiny images, and the same image on most slides
 * (logos, watermarks, bullets). Returns the reason per picture key.
 *
 * Media objects are never suggested: a 32 px speaker icon or a video's poster frame is the
 * media's only handle, and a screen reader needs its name. Repeated means the same image on
 * at least MIN_REPEATED_SLIDES distinct slides that make up the configured share of the deck,
 * shown small (LOGO_MAX_SLIDE_SHARE): copies on one slide are not repetition, nor is one
 * picture in a short deck, and a large picture on every slide is content, not a logo.
 */
export function decorativeSuggestions(
  candidates: readonly DecorativeCandidate[],
  slideCount: number,
  config: Pick<AltTextConfig, 'tiny_image_max_px' | 'repeated_image_min_share'>,
): Map<string, string> {
  const suggestions = new Map<string, string>();
  const max = config.tiny_image_max_px;
  const tiny = (c: DecorativeCandidate): boolean => max > 0 && c.widthPx !== null && c.heightPx !== null && c.widthPx <= max && c.heightPx <= max;
  /** Distinct slides per image; layouts (slide 0) repeat by design and do not count. */
  const slidesByHash = new Map<string, Set<number>>();
  for (const c of candidates) {
    if (c.imageHash && c.slideNumber > 0 && !c.media) {
      const slides = slidesByHash.get(c.imageHash) ?? new Set<number>();
      slides.add(c.slideNumber);
      slidesByHash.set(c.imageHash, slides);
    }
  }
  for (const c of candidates) {
    if (c.media) continue;
    if (tiny(c)) {
      suggestions.set(c.key, `a tiny image, ${c.widthPx}×${c.heightPx} px`);
      continue;
    }
    const slides = c.imageHash ? slidesByHash.get(c.imageHash) : undefined;
    const small = c.slideShare !== null && c.slideShare <= LOGO_MAX_SLIDE_SHARE;
    if (small && slides && slides.size >= MIN_REPEATED_SLIDES && slideCount > 0 && slides.size / slideCount >= config.repeated_image_min_share) {
      suggestions.set(c.key, `the same small image is on ${slides.size} of ${slideCount} slides, like a logo`);
    }
  }
  return suggestions;
}
