import type { ReportDecision, ReportPicture } from '../../shared/alt-text-report';
import { assertNever } from '../../shared/assert-never';
import type { AltTextConfig } from '../../shared/config-schema';
import { localIsoTimestamp } from '../../shared/time-format';
import type { AltTextEdit, PictureRef } from '../pptx/pptx-types';
import type { Decision } from './alt-text-decision';
import type { DescribedPictures } from './describe-step';
import type { DeckPlan, PlannedGraphic, PlannedPicture } from './plan-deck';

/**
 * The plan and the model's answers brought together (pure): for every picture, chart,
 * SmartArt graphic and table, the report row, and the edits the copy gets. A picture is
 * written only what the model or the offline drafter gave; a model failure writes nothing.
 */

export interface LongDescriptionFor {
  readonly slidePart: string;
  readonly shapeName: string;
  readonly text: string;
}

export interface DeckOutcome {
  /** In the plan's order: pictures, then graphics. */
  readonly pictures: readonly ReportPicture[];
  /** By part: the `p:cNvPr` changes to make. */
  readonly edits: ReadonlyMap<string, readonly AltTextEdit[]>;
  /** For the speaker notes (`long_descriptions: notes`). */
  readonly longDescriptions: readonly LongDescriptionFor[];
  readonly modelCalls: number;
  readonly cacheHits: number;
  /** Pictures whose model answer could not be used. */
  readonly modelFailed: number;
}

export function settleDeck(plan: DeckPlan, described: DescribedPictures, settings: Pick<AltTextConfig, 'long_descriptions'>): DeckOutcome {
  const edits = new Map<string, AltTextEdit[]>();
  const longDescriptions: LongDescriptionFor[] = [];
  const addEdit = (ref: PictureRef, edit: AltTextEdit): void => {
    const list = edits.get(ref.part) ?? [];
    list.push(edit);
    edits.set(ref.part, list);
  };
  const pictures: ReportPicture[] = [];
  for (const picture of plan.pictures) pictures.push(settlePicture(picture, described, addEdit, longDescriptions));
  for (const graphic of plan.graphics) pictures.push(settleGraphic(graphic, settings, addEdit, longDescriptions));
  const results = [...described.results.values()];
  return {
    pictures,
    edits,
    longDescriptions,
    modelCalls: results.reduce((sum, r) => sum + r.modelCalls, 0),
    cacheHits: results.filter((r) => r.kind === 'described' && r.fromCache).length,
    modelFailed: results.filter((r) => r.kind === 'needs-review' && r.modelFailed).length,
  };
}

function settlePicture(
  picture: PlannedPicture,
  described: DescribedPictures,
  addEdit: (ref: PictureRef, edit: AltTextEdit) => void,
  longDescriptions: LongDescriptionFor[],
): ReportPicture {
  const { ref, image } = picture.item;
  const result = described.results.get(picture);
  let decision: ReportDecision = decisionLabel(picture.decision);
  let reason = picture.reason;
  let after: string | null = ref.descr;
  if (result) {
    if (result.kind === 'described' || result.kind === 'draft') {
      after = result.text;
      decision = result.kind === 'draft' ? 'drafted' : 'described';
      if (result.kind === 'draft') reason = `A draft from ${result.textInImage ? 'the text in the picture and ' : ''}the slide, written without a model (provider: offline): check it.`;
      addEdit(ref, { span: ref.cNvPr, descr: result.text });
      if (result.longDescription) longDescriptions.push({ slidePart: ref.part, shapeName: ref.shapeName, text: result.longDescription });
    } else if (result.kind === 'needs-review' || result.kind === 'skipped') {
      decision = result.kind;
      reason = result.reason;
    }
  } else if (picture.decision === 'describe') {
    throw new Error(`${picture.item.key} was planned for the model but not described`);
  } else if (picture.decision === 'mark-decorative') {
    addEdit(ref, { span: ref.cNvPr, decorative: true });
  }
  const thumbnail = result?.thumbnail ?? (image && decision !== 'decorative' ? (described.thumbnails.get(image.part) ?? null) : null);
  return {
    key: picture.item.key,
    kind: picture.kind,
    slide: ref.slideNumber,
    part: ref.part,
    shape_id: ref.shapeId,
    shape_name: ref.shapeName,
    in_group: ref.inGroup,
    image_part: ref.image.kind === 'embedded' ? ref.image.part : null,
    image_hash: image ? (described.hashes.get(image.part) ?? null) : null,
    size_px: image?.widthPx && image.heightPx ? { width: image.widthPx, height: image.heightPx } : null,
    size_emu: ref.extentEmu,
    title: ref.title,
    before: ref.descr,
    after: decision === 'described' || decision === 'drafted' || decision === 'preserved' ? after : decision === 'marked-decorative' ? null : ref.descr,
    decision,
    reason,
    needs_review: decision === 'needs-review' || decision === 'drafted',
    draft: decision === 'drafted',
    long_description: result && 'longDescription' in result ? result.longDescription : null,
    text_in_image: result?.textInImage ?? null,
    suggested_decorative: picture.suggestedDecorative,
    model: result ? result.model : null,
    cached: result?.kind === 'described' && result.fromCache,
    time: localIsoTimestamp(),
    thumbnail,
  };
}

function settleGraphic(
  graphic: PlannedGraphic,
  settings: Pick<AltTextConfig, 'long_descriptions'>,
  addEdit: (ref: PictureRef, edit: AltTextEdit) => void,
  longDescriptions: LongDescriptionFor[],
): ReportPicture {
  const { ref } = graphic.item;
  const { text } = graphic;
  if (text) {
    addEdit(ref, { span: ref.cNvPr, descr: text.altText });
    if (text.longDescription && settings.long_descriptions === 'notes') longDescriptions.push({ slidePart: ref.part, shapeName: ref.shapeName, text: text.longDescription });
  }
  const decision = decisionLabel(graphic.decision);
  return {
    key: graphic.item.key,
    kind: graphic.kind,
    slide: ref.slideNumber,
    part: ref.part,
    shape_id: ref.shapeId,
    shape_name: ref.shapeName,
    in_group: ref.inGroup,
    image_part: null,
    image_hash: null,
    size_px: null,
    size_emu: ref.extentEmu,
    title: ref.title,
    before: ref.descr,
    after: text ? text.altText : decision === 'marked-decorative' ? null : ref.descr,
    decision,
    reason: graphic.reason,
    needs_review: false,
    draft: false,
    long_description: text && settings.long_descriptions === 'notes' ? text.longDescription : null,
    text_in_image: null,
    suggested_decorative: null,
    model: null,
    cached: false,
    time: localIsoTimestamp(),
    thumbnail: null,
  };
}

function decisionLabel(decision: Decision): ReportDecision {
  switch (decision) {
    case 'describe':
      return 'described';
    case 'preserve':
      return 'preserved';
    case 'decorative':
      return 'decorative';
    case 'mark-decorative':
      return 'marked-decorative';
    case 'skip':
      return 'skipped';
    default:
      return assertNever(decision, 'picture decision');
  }
}
