import { promises as fs } from 'node:fs';
import sharp from 'sharp';
import path from 'node:path';
import type { AltTextReport, ReportCounts, ReportDecision, ReportGraphicKind, ReportPicture, ReportShapeKind } from '../../shared/alt-text-report';
import { ALT_TEXT_REPORT_VERSION, reportPathsFor } from '../../shared/alt-text-report';
import type { AltgenConfig } from '../../shared/config-schema';
import type { ProcessorProgressEvent, ProcessorResultEvent } from '../../shared/processor-protocol';
import { localIsoTimestamp } from '../../shared/time-format';
import type { DescriptionCache } from '../describe/description-cache';
import { imageHash, prepareImage } from '../describe/image-prep';
import type { ModelProvider } from '../describe/model-provider';
import type { ModelFailures } from '../describe/model-failures';
import type { TextReader } from '../describe/ocr';
import { createTextReader } from '../describe/ocr';
import type { PromptContext } from '../describe/prompts';
import { PROMPT_VERSION } from '../describe/prompts';
import type { PackageReader } from '../pptx/package-reader';
import { PackageError, encodeText, isSigned, openPackage, refuseDeclarations, sniffContainer } from '../pptx/package-reader';
import { XmlParseError, parseXml } from '../pptx/xml-tree';
import type { AltTextEdit, PictureRef, SlideInfo } from '../pptx/pptx-types';
import type { MasterSource } from '../pptx/presentation-parts';
import { layoutAndMasterParts, slideMasterParts, slideParts, slideSize } from '../pptx/presentation-parts';
import { parseRelationships, relsPartFor } from '../pptx/relationships';
import { findPictures } from '../pptx/slide-pictures';
import { slideInfo } from '../pptx/slide-text';
import { applyAltTextEdits } from '../pptx/xml-attribute-editor';
import { deckLanguage } from '../pptx/deck-language';
import { describeGraphicFrame } from '../pptx/graphic-frame-text';
import { LONG_DESCRIPTIONS_END, LONG_DESCRIPTIONS_HEADING, planLongDescriptions } from '../pptx/notes-writer';
import { runOrderedPipeline } from './ordered-pipeline';
import type { DescribeJob, PictureResult } from './picture-describer';
import { OFFLINE_MODEL_ID, PictureDescriber } from './picture-describer';
import { rewritePackage } from '../pptx/zip-rewriter';
import type { Decision } from './alt-text-decision';
import { decidePicture, decorativeSuggestions } from './alt-text-decision';
import { renderReviewHtml } from './review-html';
import { writeFileAtomic } from '../files/write-file-atomic';
import { decodesFromEnvironment } from '../batch/processor-env';

/**
 * Processes one deck: finds every picture, decides what each needs, asks the model for the
 * ones to describe (through the cache), writes the accessible copy (only the changed
 * attributes differ; every other entry is copied raw) and the two review reports.
 *
 * A model failure never writes filler text: the picture becomes "needs review". The model
 * server being unreachable or the model missing stops the deck without any output, so the
 * batch can pause instead of failing file after file.
 */

export interface ProcessDeckOptions {
  readonly input: string;
  /** Where to write the copy (the runner's temp name). */
  readonly output: string;
  /** The path the copy will have once the runner renames it; recorded in the report. */
  readonly finalOutput?: string;
  readonly config: AltgenConfig;
  /** null: `provider: offline`, drafts from the text in the picture and the slide. */
  readonly provider: ModelProvider | null;
  readonly cache: DescriptionCache;
  /** Reads text in pictures; default: one started on first use and closed at the end. */
  readonly textReader?: TextReader;
  readonly onProgress?: (event: ProcessorProgressEvent) => void;
  readonly signal?: AbortSignal;
  /**
   * Pictures decoded at once (default: one per core, at most 4). Decoding (JPEG's entropy
   * decoding above all) is the processor's main cost and uses one core per picture; a batch
   * runner shares the cores out over its processors (processor-env.ts).
   */
  readonly decodesAtOnce?: number;
  /** Pictures the model failed on earlier in this batch: not asked again (see model-failures.ts). */
  readonly modelFailures?: ModelFailures;
}

export interface ProcessDeckResult {
  readonly result: ProcessorResultEvent;
  readonly report: AltTextReport;
}

const THUMBNAIL_PX = 160;
const MAX_IMAGE_BYTES = 256 * 1024 * 1024;

interface FoundFrame {
  readonly ref: PictureRef;
  readonly kind: ReportGraphicKind;
}

interface LongDescription {
  readonly slidePart: string;
  readonly shapeName: string;
  readonly text: string;
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

/** A shape filled with a picture and a video's poster frame are described like pictures, and reported as what they are. */
function pictureKind(ref: PictureRef): ReportShapeKind {
  if (ref.kind === 'shape-fill') return 'shape';
  return ref.media ? 'media' : 'picture';
}

/** Graphic frames AltGen can describe from their data; OLE objects and 3D models are not. */
function graphicKind(ref: PictureRef): FoundFrame['kind'] | null {
  switch (ref.graphic?.kind) {
    case 'chart':
    case 'chartex':
      return 'chart';
    case 'smartart':
      return 'smartart';
    case 'table':
      return 'table';
    default:
      return null;
  }
}

interface FoundPicture {
  readonly ref: PictureRef;
  readonly slide: SlideInfo | null;
  readonly key: string;
  /** Pictures in layouts and masters, left alone unless include_layouts. */
  readonly layout: boolean;
}

/**
 * What is known of an image before deciding, from its header and its ZIP record: enough for
 * decorative hints. Its bytes are read whole only once, later, to be described or shown.
 */
interface ImageFacts {
  readonly part: string;
  /** The same for images with the same bytes: their sha256, or CRC-32 and size where that is unique. */
  readonly identity: string;
  /** The sha256, when the whole image had to be read to know the facts. */
  readonly hash: string | null;
  readonly widthPx: number | null;
  readonly heightPx: number | null;
  /** Why the image cannot be read at all, if it cannot. */
  readonly problem: string | null;
}

function pictureKey(ref: PictureRef): string {
  return `${ref.part}#${ref.shapeId}`;
}

async function readXml(reader: PackageReader, part: string): Promise<string | null> {
  return reader.has(part) ? reader.readText(part) : null;
}

/** Slide masters and their layouts, read so that their pictures can be reported. */
export async function layoutAndMasterPartsOf(
  reader: PackageReader,
  presentationXml: string,
  presentationRels: Awaited<ReturnType<typeof relationshipsOf>>,
): Promise<string[]> {
  const masters = new Map<string, MasterSource>();
  for (const master of slideMasterParts(presentationXml, presentationRels)) {
    const xml = await readXml(reader, master);
    if (xml !== null) masters.set(master, { xml, rels: await relationshipsOf(reader, master) });
  }
  return layoutAndMasterParts(presentationXml, presentationRels, masters);
}

export async function relationshipsOf(reader: PackageReader, part: string) {
  const xml = await readXml(reader, relsPartFor(part));
  return parseRelationships(xml ?? '<Relationships/>', part);
}

async function deckTitle(reader: PackageReader, slides: readonly SlideInfo[], input: string): Promise<string> {
  const core = await readXml(reader, 'docProps/core.xml');
  const title = core ? /<(?:\w+:)?title[^>]*>([^<]+)<\/(?:\w+:)?title>/.exec(core)?.[1]?.trim() : undefined;
  return title || slides.find((s) => s.title)?.title || path.basename(input, path.extname(input));
}

export async function processDeck(options: ProcessDeckOptions): Promise<ProcessDeckResult> {
  try {
    return await processPackage(options);
  } catch (error) {
    // A damaged or unsafe part is a problem with the input, like a damaged zip.
    if (error instanceof XmlParseError) throw new PackageError(error.code, `The deck is damaged: ${error.message}`);
    throw error;
  }
}

async function processPackage(options: ProcessDeckOptions): Promise<ProcessDeckResult> {
  const { input, config } = options;
  const decodes = Math.max(1, options.decodesAtOnce ?? decodesFromEnvironment({}));
  // While the model answers for one picture, the next ones decode, one per core.
  const prepareAhead = Math.max(1, decodes - 1);
  const settings = config.alt_text;
  await sniffContainer(input);
  const reader = await openPackage(input, config.limits);
  try {
    // Every configuration refuses the same decks, and before any model call: some parts are
    // read only with some settings, the rest are copied raw into the accessible copy.
    await refuseDeclarations(reader);
    const warnings: string[] = [];
    if (await isSigned(reader)) {
      warnings.push('This deck was digitally signed; the signature does not apply to the accessible copy. Sign the copy again if your school requires it.');
    }
    const presentationXml = (await readXml(reader, 'ppt/presentation.xml')) ?? '';
    const presentationRels = await relationshipsOf(reader, 'ppt/presentation.xml');
    const slidePartNames = slideParts(presentationXml, presentationRels);

    // 1. Read every slide: its context and its pictures.
    const parts = new Map<string, string>();
    const slides: SlideInfo[] = [];
    const found: FoundPicture[] = [];
    const frames: FoundFrame[] = [];
    for (const [i, part] of slidePartNames.entries()) {
      const xml = await readXml(reader, part);
      if (xml === null) continue;
      parts.set(part, xml);
      const rels = await relationshipsOf(reader, part);
      const notesRel = [...rels.values()].find((r) => r.type.endsWith('/notesSlide') && !r.external);
      const notesXml = notesRel ? await readXml(reader, notesRel.target) : null;
      const parsed = parseXml(xml, part);
      const info = slideInfo(xml, { number: i + 1, part, notesXml: notesXml ?? undefined }, parsed);
      slides.push(info);
      for (const ref of findPictures(xml, rels, { part, slideNumber: i + 1 }, parsed)) {
        if (ref.kind === 'graphic-frame') {
          const kind = graphicKind(ref);
          if (kind) frames.push({ ref, kind });
          continue;
        }
        found.push({ ref, slide: info, key: pictureKey(ref), layout: false });
      }
    }
    for (const part of await layoutAndMasterPartsOf(reader, presentationXml, presentationRels)) {
      const xml = await readXml(reader, part);
      if (xml === null) continue;
      parts.set(part, xml);
      const rels = await relationshipsOf(reader, part);
      for (const ref of findPictures(xml, rels, { part, slideNumber: 0 })) {
        if (ref.kind === 'graphic-frame') continue;
        found.push({ ref, slide: null, key: pictureKey(ref), layout: true });
      }
    }
    options.onProgress?.({ type: 'progress', pictures_found: found.length, pictures_done: 0 });

    // 2. Look at each embedded image once (hash, size); only small results are kept.
    const images = new Map<string, Promise<ImageFacts>>();
    const prepare = (part: string): Promise<ImageFacts> => {
      let facts = images.get(part);
      if (!facts) {
        facts = imageFacts(reader, part);
        images.set(part, facts);
      }
      return facts;
    };
    const imageOf = async (ref: PictureRef): Promise<ImageFacts | null> => {
      if (ref.image.kind !== 'embedded') return null;
      // SVG pictures: describe the PNG fallback when there is one, else the rendered SVG.
      const part = reader.has(ref.image.part) ? ref.image.part : ref.image.svgPart;
      return part ? prepare(part) : null;
    };

    const prepared = new Map<string, ImageFacts | null>();
    for (const picture of found) prepared.set(picture.key, await imageOf(picture.ref));
    // sha256 of every image part read whole so far (and later: described, or shown as a thumbnail).
    const hashes = new Map<string, string>();
    for (const facts of await exactIdentities(reader, [...images.values()])) if (facts.hash) hashes.set(facts.part, facts.hash);
    const identityOf = (image: ImageFacts | null | undefined): string | null => (image ? (hashes.get(image.part) ?? image.identity) : null);
    const slide = presentationXml ? slideSize(presentationXml) : null;
    const slideArea = slide ? slide.cx * slide.cy : null;
    const suggestions = decorativeSuggestions(
      found.map((p) => {
        const image = prepared.get(p.key);
        const extent = p.ref.extentEmu;
        const slideShare = slideArea && extent ? (extent.cx * extent.cy) / slideArea : null;
        return { key: p.key, slideNumber: p.ref.slideNumber, imageHash: identityOf(image), widthPx: image?.widthPx ?? null, heightPx: image?.heightPx ?? null, media: p.ref.media, slideShare };
      }),
      slides.length,
      settings,
    );

    // 3. Decide, then describe: the next pictures are prepared while the model works.
    const title = await deckTitle(reader, slides, input);
    const language = deckLanguage(settings.language, slides.map((s) => parts.get(s.part) ?? ''), presentationXml);
    const contextFor = (slide: SlideInfo | null): PromptContext => ({
      deckTitle: title,
      slideTitle: slide?.title ?? null,
      slideText: slide?.text ?? '',
      notes: settings.include_notes_in_prompt ? withoutOwnNotes(slide?.notes ?? null) : null,
      course: settings.course,
      language,
      charLimit: settings.char_limit,
      category: settings.prompt_category,
      templates: settings.prompt_templates,
    });
    const verdicts = found.map((picture) => {
      const image = prepared.get(picture.key) ?? null;
      return decidePicture(
        {
          descr: picture.ref.descr,
          decorative: picture.ref.decorative,
          unavailable: unavailableReason(picture, image, settings.include_layouts),
          suggestedDecorative: suggestions.get(picture.key) ?? null,
        },
        settings,
      );
    });
    const jobs: Array<DescribeJob & { readonly index: number }> = [];
    for (const [index, picture] of found.entries()) {
      const image = prepared.get(picture.key);
      if (verdicts[index]?.decision === 'describe' && image && !image.problem) {
        const hash = hashes.get(image.part);
        jobs.push({ index, imagePart: image.part, ...(hash ? { imageHash: hash } : {}), context: contextFor(picture.slide) });
      }
    }
    const usesLeft = new Map<string, number>();
    for (const job of jobs) usesLeft.set(job.imagePart, (usesLeft.get(job.imagePart) ?? 0) + 1);
    const textReader = settings.read_text_in_images ? (options.textReader ?? createTextReader()) : null;
    const describer = new PictureDescriber({
      readImage: (part) => reader.readBuffer(part, MAX_IMAGE_BYTES),
      provider: options.provider,
      cache: options.cache,
      settings,
      textReader,
      thumbnailPx: THUMBNAIL_PX,
      thumbnail: thumbnailOf,
      signal: options.signal,
      onTextReaderFailure: (message) => warnings.push(message),
      ...(options.modelFailures ? { failures: options.modelFailures } : {}),
      // Each fresh answer goes out at once, so the batch sees a broken model across decks.
      onModelAnswer: (answer) =>
        options.onProgress?.({ type: 'progress', model_answer: answer.usable ? 'usable' : 'unusable', ...(answer.usable ? {} : { model_problem: answer.problem }) }),
    });
    const described = new Map<number, PictureResult>();
    let done = 0;
    const reportDone = () => {
      done += 1;
      options.onProgress?.({ type: 'progress', pictures_found: found.length, pictures_done: done });
    };
    try {
      await runOrderedPipeline(
        jobs,
        (job) => describer.prepare(job),
        async (job, ready) => {
          const result = await describer.finish(job, ready);
          described.set(job.index, result);
          if (result.imageHash) hashes.set(job.imagePart, result.imageHash);
          const left = (usesLeft.get(job.imagePart) ?? 1) - 1;
          usesLeft.set(job.imagePart, left);
          if (left === 0) describer.release(job.imagePart);
          reportDone();
        },
        { lookahead: prepareAhead, signal: options.signal },
      );
    } finally {
      if (!options.textReader) await textReader?.close();
    }

    // Thumbnails of the pictures the model did not see (kept, skipped, cached), decoded in parallel.
    const thumbnails = new Map<string, string | null>();
    const toThumbnail = [
      ...new Set(
        found.flatMap((picture, index) => {
          const image = prepared.get(picture.key);
          const result = described.get(index);
          // Pictures already marked decorative are not shown; ones AltGen marks are, for review.
          const decorative = !result && verdicts[index]?.decision === 'decorative';
          return image && !image.problem && !result?.thumbnail && !decorative ? [image.part] : [];
        }),
      ),
    ];
    await runOrderedPipeline(
      toThumbnail,
      async (part) => {
        const bytes = await readWhole(reader, part);
        if (!bytes) return null;
        hashes.set(part, imageHash(bytes));
        return thumbnailOf(bytes, part);
      },
      async (part, thumbnail) => void thumbnails.set(part, thumbnail),
      { lookahead: decodes - 1, signal: options.signal },
    );
    // Images neither described nor shown (decorative ones) are read once more, for their hash alone.
    for (const image of images.values()) {
      const facts = await image;
      if (facts.problem || hashes.has(facts.part)) continue;
      const bytes = await readWhole(reader, facts.part);
      if (bytes) hashes.set(facts.part, imageHash(bytes));
    }

    const edits = new Map<string, AltTextEdit[]>();
    const pictures: ReportPicture[] = [];
    const longDescriptions: LongDescription[] = [];
    for (const [index, picture] of found.entries()) {
      const { ref } = picture;
      const verdict = verdicts[index] as NonNullable<(typeof verdicts)[number]>;
      const image = prepared.get(picture.key) ?? null;
      const result = described.get(index);
      let decision: ReportDecision = decisionLabel(verdict.decision);
      let reason = verdict.reason;
      let after: string | null = ref.descr;
      if (result) {
        if (result.kind === 'described' || result.kind === 'draft') {
          after = result.text;
          decision = result.kind === 'draft' ? 'drafted' : 'described';
          if (result.kind === 'draft') reason = `A draft from ${result.textInImage ? 'the text in the picture and ' : ''}the slide, written without a model (provider: offline): check it.`;
          addEdit(edits, ref, { span: ref.cNvPr, descr: result.text });
          if (result.longDescription) longDescriptions.push({ slidePart: ref.part, shapeName: ref.shapeName, text: result.longDescription });
        } else if (result.kind === 'needs-review' || result.kind === 'skipped') {
          decision = result.kind;
          reason = result.reason;
        }
      } else if (verdict.decision === 'describe') {
        decision = 'skipped';
        reason = image?.problem ?? 'The picture has no image the model can see.';
      } else if (verdict.decision === 'mark-decorative') {
        addEdit(edits, ref, { span: ref.cNvPr, decorative: true });
      }
      const thumbnail = result?.thumbnail ?? (image && decision !== 'decorative' ? (thumbnails.get(image.part) ?? null) : null);
      if (!result) reportDone();
      pictures.push({
        key: picture.key,
        kind: pictureKind(ref),
        slide: ref.slideNumber,
        part: ref.part,
        shape_id: ref.shapeId,
        shape_name: ref.shapeName,
        in_group: ref.inGroup,
        image_part: ref.image.kind === 'embedded' ? ref.image.part : null,
        image_hash: image ? (hashes.get(image.part) ?? null) : null,
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
        suggested_decorative: suggestions.get(picture.key) ?? null,
        model: result ? result.model : null,
        cached: result?.kind === 'described' && result.fromCache,
        time: localIsoTimestamp(),
        thumbnail,
      });
    }
    const modelCalls = [...described.values()].reduce((sum, r) => sum + r.modelCalls, 0);
    const cacheHits = [...described.values()].filter((r) => r.kind === 'described' && r.fromCache).length;
    const modelFailed = [...described.values()].filter((r) => r.kind === 'needs-review' && r.modelFailed).length;

    // 4. Charts, SmartArt and tables: alt text from their own data, no model.
    if (settings.describe_graphics) {
      for (const frame of frames) {
        const verdict = decidePicture({ descr: frame.ref.descr, decorative: frame.ref.decorative, unavailable: null, suggestedDecorative: null }, settings);
        const text = verdict.decision === 'describe' ? await describeGraphicFrame(frame.ref, (part) => readXml(reader, part), { charLimit: settings.char_limit, language }) : null;
        if (text) {
          addEdit(edits, frame.ref, { span: frame.ref.cNvPr, descr: text.altText });
          if (text.longDescription && settings.long_descriptions === 'notes') {
            longDescriptions.push({ slidePart: frame.ref.part, shapeName: frame.ref.shapeName, text: text.longDescription });
          }
        } else if (verdict.decision === 'mark-decorative') {
          addEdit(edits, frame.ref, { span: frame.ref.cNvPr, decorative: true });
        }
        // An empty chart, diagram or table is listed too, so that the counts add up to what the deck holds.
        const empty = verdict.decision === 'describe' && !text;
        const decision: ReportDecision = text ? 'described' : empty ? 'skipped' : decisionLabel(verdict.decision);
        pictures.push({
          key: pictureKey(frame.ref),
          kind: text?.kind ?? frame.kind,
          slide: frame.ref.slideNumber,
          part: frame.ref.part,
          shape_id: frame.ref.shapeId,
          shape_name: frame.ref.shapeName,
          in_group: frame.ref.inGroup,
          image_part: null,
          image_hash: null,
          size_px: null,
          size_emu: frame.ref.extentEmu,
          title: frame.ref.title,
          before: frame.ref.descr,
          after: text ? text.altText : decision === 'marked-decorative' ? null : frame.ref.descr,
          decision,
          reason: text ? `Written from the ${GRAPHIC_WORDS[text.kind]}'s own data (no model).` : empty ? NOTHING_TO_DESCRIBE[frame.kind] : verdict.reason,
          needs_review: false,
          draft: false,
          long_description: text && settings.long_descriptions === 'notes' ? text.longDescription : null,
          text_in_image: null,
          suggested_decorative: null,
          model: null,
          cached: false,
          time: localIsoTimestamp(),
          thumbnail: null,
        });
      }
    }

    // 5. Write the copy: only the edited parts change (and the notes, for long descriptions).
    const replacements = new Map<string, Buffer>();
    const additions = new Map<string, Buffer>();
    for (const [part, partEdits] of edits) {
      const original = parts.get(part);
      if (original === undefined) continue;
      const { encoding } = await reader.readTextPart(part);
      replacements.set(part, encodeText(applyAltTextEdits(original, partEdits), encoding));
    }
    if (settings.long_descriptions === 'notes') {
      // Every slide is passed, so a block from an earlier run is removed where none is due now.
      const notes = await planLongDescriptions(
        reader,
        slidePartNames.map((slidePart, i) => ({
          slidePart,
          slideNumber: i + 1,
          descriptions: longDescriptions.filter((d) => d.slidePart === slidePart).map((d) => ({ label: d.shapeName, text: d.text })),
        })),
        { language },
      );
      warnings.push(...notes.warnings);
      for (const [part, bytes] of notes.replacements) replacements.set(part, bytes);
      for (const [part, bytes] of notes.additions) additions.set(part, bytes);
    }
    await reader.close();
    await rewritePackage(input, options.output, { replacements, additions }, { limits: config.limits });

    const counts = countDecisions(pictures, modelCalls, cacheHits);
    const report: AltTextReport = {
      version: ALT_TEXT_REPORT_VERSION,
      deck: input,
      output: options.finalOutput ?? options.output,
      generated_at: localIsoTimestamp(),
      model: options.provider?.id ?? OFFLINE_MODEL_ID,
      prompt_version: PROMPT_VERSION,
      policy: settings.policy,
      counts,
      warnings,
      pictures,
    };
    const reports = await writeReports(options.output, report);
    return {
      report,
      result: { type: 'result', ...counts, model_failed: modelFailed, output: options.output, reports, warnings },
    };
  } finally {
    await reader.close().catch(() => undefined);
  }
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
  }
}

function unavailableReason(picture: FoundPicture, image: ImageFacts | null, includeLayouts: boolean): string | null {
  if (picture.layout && !includeLayouts) return 'In a slide layout or master: left alone (set alt_text.include_layouts to describe these).';
  const source = picture.ref.image;
  if (source.kind === 'linked') return `Linked picture (${source.url}): the image is not inside the deck, so it cannot be described.`;
  if (source.kind === 'none') return 'The shape has no picture data.';
  if (image?.problem) return image.problem;
  return null;
}

function addEdit(edits: Map<string, AltTextEdit[]>, ref: PictureRef, edit: AltTextEdit): void {
  const list = edits.get(ref.part) ?? [];
  list.push(edit);
  edits.set(ref.part, list);
}

/** Enough of an image to hold its header: PNG, GIF, WebP and most JPEGs (EXIF comes first) and TIFFs. */
const IMAGE_HEAD_BYTES = 256 * 1024;

/**
 * Pixel size from the image's header and an identity from its ZIP record: nothing is decoded,
 * and only the head is inflated. Pictures whose header is not in the head (an SVG, a TIFF with
 * its directory at the end) are read whole.
 */
async function imageFacts(reader: PackageReader, part: string): Promise<ImageFacts> {
  const entry = reader.entry(part);
  if (!entry) return { part, identity: part, hash: null, widthPx: null, heightPx: null, problem: `The image ${part} is missing from the deck.` };
  const identity = `crc32:${entry.crc32.toString(16)}:${entry.uncompressedSize}`;
  const sizeOf = (bytes: Buffer) =>
    sharp(bytes, { limitInputPixels: false })
      .metadata()
      .then((meta) => ({ widthPx: meta.width ?? null, heightPx: meta.height ?? null }))
      .catch(() => null);
  try {
    const head = await reader.readHead(part, IMAGE_HEAD_BYTES);
    const fromHead = await sizeOf(head);
    if (fromHead || head.length >= entry.uncompressedSize) return { part, identity, hash: null, widthPx: fromHead?.widthPx ?? null, heightPx: fromHead?.heightPx ?? null, problem: null };
    const bytes = await reader.readBuffer(part, MAX_IMAGE_BYTES);
    const hash = imageHash(bytes);
    return { part, identity: hash, hash, widthPx: null, heightPx: null, ...((await sizeOf(bytes)) ?? {}), problem: null };
  } catch (error) {
    return { part, identity: part, hash: null, widthPx: null, heightPx: null, problem: `The image ${part} could not be read (${(error as Error).message}).` };
  }
}

/**
 * Image parts whose CRC-32 and size match another part's are read whole and hashed, so that
 * "the same image" is exact. PowerPoint keeps one part per image, so this is rare.
 */
async function exactIdentities(reader: PackageReader, images: ReadonlyArray<Promise<ImageFacts>>): Promise<ImageFacts[]> {
  const all = await Promise.all(images);
  const count = new Map<string, number>();
  for (const facts of all) count.set(facts.identity, (count.get(facts.identity) ?? 0) + 1);
  const exact: ImageFacts[] = [];
  for (const facts of all) {
    if (facts.hash || facts.problem || (count.get(facts.identity) ?? 0) < 2) {
      exact.push(facts);
      continue;
    }
    const bytes = await readWhole(reader, facts.part);
    exact.push(bytes ? { ...facts, hash: imageHash(bytes), identity: imageHash(bytes) } : facts);
  }
  return exact;
}

/** The whole image part, or null when it cannot be read (the picture is then reported as skipped). */
async function readWhole(reader: PackageReader, part: string): Promise<Buffer | null> {
  try {
    return await reader.readBuffer(part, MAX_IMAGE_BYTES);
  } catch (error) {
    if (error instanceof PackageError) return null;
    throw error;
  }
}

/** A small preview for the review page and screen. */
async function thumbnailOf(bytes: Buffer, part: string): Promise<string | null> {
  const thumb = await prepareImage(bytes, part, { maxDimension: THUMBNAIL_PX }).catch(() => null);
  return thumb && !('skip' in thumb) ? `data:${thumb.mime};base64,${thumb.image.toString('base64')}` : null;
}

function countDecisions(pictures: readonly ReportPicture[], modelCalls: number, cacheHits: number): ReportCounts {
  const count = (...decisions: ReportDecision[]) => pictures.filter((p) => decisions.includes(p.decision)).length;
  return {
    pictures: pictures.length,
    described: count('described'),
    drafted: count('drafted'),
    preserved: count('preserved'),
    decorative: count('decorative', 'marked-decorative'),
    skipped: count('skipped'),
    needs_review: count('needs-review'),
    model_calls: modelCalls,
    cache_hits: cacheHits,
  };
}

/** Writes the JSON and HTML reports beside `output`; returns their paths. */
export async function writeReports(output: string, report: AltTextReport): Promise<string[]> {
  const paths = reportPathsFor(output);
  await fs.mkdir(path.dirname(output), { recursive: true });
  await writeFileAtomic(paths.json, JSON.stringify(report, null, 2));
  await writeFileAtomic(paths.html, renderReviewHtml(report));
  return [paths.json, paths.html];
}
