import type { ReportGraphicKind, ReportShapeKind } from '../../shared/alt-text-report';
import type { DeckPlanCounts, PlanSkipReason } from '../../shared/batch-types';
import { PLAN_SKIP_REASONS } from '../../shared/batch-types';
import type { AltTextConfig } from '../../shared/config-schema';
import type { Deck, DeckGraphic, DeckPicture } from '../pptx/deck';
import type { GraphicFrameText } from '../pptx/graphic-frame-text';
import { graphicFrameText } from '../pptx/graphic-frame-text';
import type { PictureRef } from '../pptx/pptx-types';
import type { Decision } from './alt-text-decision';
import { decidePicture, decorativeSuggestions } from './alt-text-decision';

/**
 * The first step of processing a deck, and the whole of a dry run: what the run will do to
 * every picture, chart, SmartArt graphic and table, decided from the opened deck and the
 * settings alone. Pure: no I/O, so the dry run (batch/inspect-deck.ts) and the run
 * (process-deck.ts) act on the same plan by construction, under every policy and setting.
 *
 * A picture planned for `describe` is given to the model (or drafted offline); what comes back
 * may still make it "needs review" (an unusable answer) or "skipped" (an image that turns out
 * not to decode): those are the model's and the decoder's answers, known only by asking.
 * Everything else the plan says is what the run does.
 */

export interface PlannedPicture {
  readonly item: DeckPicture;
  /** What it is in the report: a picture, a shape filled with a picture, or a video's or sound's picture. */
  readonly kind: Extract<ReportShapeKind, 'picture' | 'shape' | 'media'>;
  readonly decision: Decision;
  readonly reason: string;
  /** Set when the decision is `skip`. */
  readonly skip: PlanSkipReason | null;
  /** Why it looks decorative, if it does. */
  readonly suggestedDecorative: string | null;
}

export interface PlannedGraphic {
  readonly item: DeckGraphic;
  readonly kind: ReportGraphicKind;
  /** `describe` only with `text`; never `mark-decorative`. */
  readonly decision: Decision;
  readonly reason: string;
  readonly skip: PlanSkipReason | null;
  /** The alt text (and long description) its own data gives, when it is to be described. */
  readonly text: GraphicFrameText | null;
}

export interface DeckPlan {
  readonly pictures: readonly PlannedPicture[];
  /** Empty unless `describe_graphics`. */
  readonly graphics: readonly PlannedGraphic[];
  /** The language of the words AltGen writes and asks in: `alt_text.language`, or the deck's. */
  readonly language: string;
  readonly counts: DeckPlanCounts;
}

const GRAPHIC_WORDS: Readonly<Record<ReportGraphicKind, string>> = {
  chart: 'chart',
  smartart: 'SmartArt graphic',
  table: 'table',
};

/** Why a chart, SmartArt graphic or table gets no alt text from its data: it holds none. */
const NOTHING_TO_DESCRIBE: Readonly<Record<ReportGraphicKind, string>> = {
  chart: 'Nothing to describe: the chart has no title, axis titles or data AltGen can read.',
  smartart: 'Nothing to describe: the SmartArt graphic has no text.',
  table: 'Nothing to describe: every cell of the table is empty.',
};

const NO_IMAGE = 'The picture has no image the model can see.';

export function planDeck(deck: Deck, settings: AltTextConfig): DeckPlan {
  const language = settings.language === 'auto' ? deck.language : settings.language;
  const slideArea = deck.slideSize ? deck.slideSize.cx * deck.slideSize.cy : null;
  const suggestions = decorativeSuggestions(
    deck.pictures.map(({ key, ref, image }) => ({
      key,
      slideNumber: ref.slideNumber,
      imageHash: image?.identity ?? null,
      widthPx: image?.widthPx ?? null,
      heightPx: image?.heightPx ?? null,
      media: ref.media,
      slideShare: slideArea && ref.extentEmu ? (ref.extentEmu.cx * ref.extentEmu.cy) / slideArea : null,
    })),
    deck.slides.length,
    settings,
  );
  const pictures = deck.pictures.map((item) => planPicture(item, suggestions.get(item.key) ?? null, settings));
  const graphics = settings.describe_graphics ? deck.graphics.map((item) => planGraphic(item, settings, language)) : [];
  return { pictures, graphics, language, counts: countPlan(pictures, graphics) };
}

function planPicture(item: DeckPicture, suggestedDecorative: string | null, settings: AltTextConfig): PlannedPicture {
  const unavailable = unavailableReason(item, settings.include_layouts);
  const verdict = decidePicture({ descr: item.ref.descr, decorative: item.ref.decorative, unavailable: unavailable?.reason ?? null, suggestedDecorative }, settings);
  const kind = pictureKind(item.ref);
  if (verdict.decision === 'describe' && item.image === null) {
    return { item, kind, decision: 'skip', reason: NO_IMAGE, skip: 'no-image', suggestedDecorative };
  }
  const skip = verdict.decision === 'skip' ? (unavailable?.skip ?? null) : null;
  return { item, kind, decision: verdict.decision, reason: verdict.reason, skip, suggestedDecorative };
}

function planGraphic(item: DeckGraphic, settings: AltTextConfig, language: string): PlannedGraphic {
  const verdict = decidePicture({ descr: item.ref.descr, decorative: item.ref.decorative, unavailable: null, suggestedDecorative: null }, settings);
  if (verdict.decision !== 'describe') return { item, kind: item.kind, decision: verdict.decision, reason: verdict.reason, skip: null, text: null };
  const text = item.data ? graphicFrameText(item.data, { charLimit: settings.char_limit, language }) : null;
  if (!text) return { item, kind: item.kind, decision: 'skip', reason: NOTHING_TO_DESCRIBE[item.kind], skip: 'nothing-to-describe', text: null };
  return { item, kind: text.kind, decision: 'describe', reason: `Written from the ${GRAPHIC_WORDS[text.kind]}'s own data (no model).`, skip: null, text };
}

/** A shape filled with a picture and a video's poster frame are described like pictures, and reported as what they are. */
function pictureKind(ref: PictureRef): PlannedPicture['kind'] {
  if (ref.kind === 'shape-fill') return 'shape';
  return ref.media ? 'media' : 'picture';
}

function unavailableReason(item: DeckPicture, includeLayouts: boolean): { readonly reason: string; readonly skip: PlanSkipReason } | null {
  if (item.slide === null && !includeLayouts) {
    return { reason: 'In a slide layout or master: left alone (set alt_text.include_layouts to describe these).', skip: 'in-layout' };
  }
  const source = item.ref.image;
  if (source.kind === 'linked') return { reason: `Linked picture (${source.url}): the image is not inside the deck, so it cannot be described.`, skip: 'linked' };
  if (source.kind === 'none') return { reason: 'The shape has no picture data.', skip: 'no-image' };
  if (item.image?.problem) return { reason: item.image.problem, skip: 'unreadable-image' };
  return null;
}

function countPlan(pictures: readonly PlannedPicture[], graphics: readonly PlannedGraphic[]): DeckPlanCounts {
  const all = [...pictures, ...graphics];
  const count = (decision: Decision, among: readonly { readonly decision: Decision }[] = all) => among.filter((p) => p.decision === decision).length;
  const skipped = Object.fromEntries(PLAN_SKIP_REASONS.map((reason) => [reason, all.filter((p) => p.skip === reason).length])) as Record<PlanSkipReason, number>;
  return {
    pictures: all.length,
    to_describe: count('describe', pictures),
    graphics_to_describe: count('describe', graphics),
    to_keep: count('preserve'),
    decorative: count('decorative'),
    to_mark_decorative: count('mark-decorative'),
    skipped,
  };
}
