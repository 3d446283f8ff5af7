import type { AltTextQuality } from '../../shared/alt-text-quality';
import { classifyAltText } from '../../shared/alt-text-quality';
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

export function altTextQuality(descr: string | null, config: Pick<AltTextConfig, 'min_meaningful_alt_chars' | 'weak_patterns'>): AltTextQuality {
  const quality = classifyAltText(descr, config.min_meaningful_alt_chars);
  if (quality !== 'human' || !descr) return quality;
  const weak = config.weak_patterns.some((pattern) => {
    try {
      return new RegExp(pattern, 'i').test(descr.trim());
    } catch {
      return false;
    }
  });
  return weak ? 'weak' : 'human';
}

export function decidePicture(
  facts: PictureFacts,
  config: Pick<AltTextConfig, 'policy' | 'decorative' | 'min_meaningful_alt_chars' | 'weak_patterns'>,
): PictureDecision {
  const quality = altTextQuality(facts.descr, config);
  if (facts.decorative) return { decision: 'decorative', quality, reason: 'Marked decorative in the deck: left as it is.' };
  if (facts.unavailable) return { decision: 'skip', quality, reason: facts.unavailable };
  if (facts.suggestedDecorative && config.decorative === 'apply' && quality !== 'human') {
    return { decision: 'mark-decorative', quality, reason: `Looks decorative (${facts.suggestedDecorative}): marked decorative.` };
  }
  const policy = config.policy;
  switch (policy) {
    case 'overwrite':
      return { decision: 'describe', quality, reason: quality === 'human' ? 'Policy overwrite: replacing the existing alt text.' : describeReason(quality) };
    case 'missing-only':
      return quality === 'missing'
        ? { decision: 'describe', quality, reason: describeReason(quality) }
        : { decision: 'preserve', quality, reason: `Policy missing-only: keeping the existing ${quality} alt text.` };
    case 'preserve':
      return quality === 'human'
        ? { decision: 'preserve', quality, reason: 'Has real alt text: kept.' }
        : { decision: 'describe', quality, reason: describeReason(quality) };
    default:
      return assertNever(policy, 'alt-text policy');
  }
}

function describeReason(quality: AltTextQuality): string {
  return quality === 'missing' ? 'No alt text.' : 'Weak alt text (a file name, a default shape name or too short).';
}

export interface DecorativeCandidate {
  readonly key: string;
  readonly slideNumber: number;
  readonly imageHash: string | null;
  readonly widthPx: number | null;
  readonly heightPx: number | null;
}

/**
 * Pictures that are probably decorative: tiny images, and the same image on most slides
 * (logos, watermarks, bullets). Returns the reason per picture key.
 */
export function decorativeSuggestions(
  candidates: readonly DecorativeCandidate[],
  slideCount: number,
  config: Pick<AltTextConfig, 'tiny_image_max_px' | 'repeated_image_min_share'>,
): Map<string, string> {
  const suggestions = new Map<string, string>();
  const slidesByHash = new Map<string, Set<number>>();
  for (const c of candidates) {
    if (c.imageHash && c.slideNumber > 0) {
      const slides = slidesByHash.get(c.imageHash) ?? new Set<number>();
      slides.add(c.slideNumber);
      slidesByHash.set(c.imageHash, slides);
    }
  }
  for (const c of candidates) {
    const max = config.tiny_image_max_px;
    if (max > 0 && c.widthPx !== null && c.heightPx !== null && c.widthPx <= max && c.heightPx <= max) {
      suggestions.set(c.key, `a tiny image, ${c.widthPx}×${c.heightPx} px`);
      continue;
    }
    const slides = c.imageHash ? slidesByHash.get(c.imageHash) : undefined;
    if (slides && slides.size >= 3 && slideCount > 0 && slides.size / slideCount >= config.repeated_image_min_share) {
      suggestions.set(c.key, `the same image is on ${slides.size} of ${slideCount} slides, like a logo`);
    }
  }
  return suggestions;
}
