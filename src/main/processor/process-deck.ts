import { promises as fs } from 'node:fs';
import sharp from 'sharp';
import path from 'node:path';
import type { AltTextReport, ReportCounts, ReportDecision, ReportPicture } from '../../shared/alt-text-report';
import { ALT_TEXT_REPORT_VERSION, reportPathsFor } from '../../shared/alt-text-report';
import type { AltgenConfig } from '../../shared/config-schema';
import type { ProcessorProgressEvent, ProcessorResultEvent } from '../../shared/processor-protocol';
import { localIsoTimestamp } from '../../shared/time-format';
import type { DescriptionCache } from '../describe/description-cache';
import type { DescribeOutcome } from '../describe/describe-picture';
import { describePicture } from '../describe/describe-picture';
import { imageHash, prepareImage } from '../describe/image-prep';
import type { ModelProvider } from '../describe/model-provider';
import { ModelRequestError } from '../describe/model-provider';
import type { PromptContext } from '../describe/prompts';
import { PROMPT_VERSION } from '../describe/prompts';
import type { PackageReader } from '../pptx/package-reader';
import { PackageError, encodeText, isSigned, openPackage, sniffContainer } from '../pptx/package-reader';
import { XmlParseError } from '../pptx/xml-tree';
import type { AltTextEdit, PictureRef, SlideInfo } from '../pptx/pptx-types';
import type { MasterSource } from '../pptx/presentation-parts';
import { layoutAndMasterParts, slideMasterParts, slideParts } from '../pptx/presentation-parts';
import { parseRelationships, relsPartFor } from '../pptx/relationships';
import { findPictures } from '../pptx/slide-pictures';
import { slideInfo } from '../pptx/slide-text';
import { applyAltTextEdits } from '../pptx/xml-attribute-editor';
import { rewritePackage } from '../pptx/zip-rewriter';
import type { Decision } from './alt-text-decision';
import { decidePicture, decorativeSuggestions } from './alt-text-decision';
import { renderReviewHtml } from './review-html';
import { writeFileAtomic } from '../files/write-file-atomic';

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
  readonly provider: ModelProvider;
  readonly cache: DescriptionCache;
  readonly onProgress?: (event: ProcessorProgressEvent) => void;
  readonly signal?: AbortSignal;
}

export interface ProcessDeckResult {
  readonly result: ProcessorResultEvent;
  readonly report: AltTextReport;
}

const THUMBNAIL_PX = 160;
const MAX_IMAGE_BYTES = 256 * 1024 * 1024;

interface FoundPicture {
  readonly ref: PictureRef;
  readonly slide: SlideInfo | null;
  readonly key: string;
  /** Pictures in layouts and masters, left alone unless include_layouts. */
  readonly layout: boolean;
}

/** What is known of an image before deciding: enough for decorative hints and thumbnails. */
interface ImageFacts {
  readonly part: string;
  readonly hash: string;
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
  const settings = config.alt_text;
  await sniffContainer(input);
  const reader = await openPackage(input, config.limits);
  try {
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
    for (const [i, part] of slidePartNames.entries()) {
      const xml = await readXml(reader, part);
      if (xml === null) continue;
      parts.set(part, xml);
      const rels = await relationshipsOf(reader, part);
      const notesRel = [...rels.values()].find((r) => r.type.endsWith('/notesSlide') && !r.external);
      const notesXml = notesRel ? await readXml(reader, notesRel.target) : null;
      const info = slideInfo(xml, { number: i + 1, part, notesXml: notesXml ?? undefined });
      slides.push(info);
      for (const ref of findPictures(xml, rels, { part, slideNumber: i + 1 })) {
        if (ref.kind === 'graphic-frame') continue;
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

    // 2. Look at each embedded image once (hash, size, thumbnail); only small results are kept.
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
    const suggestions = decorativeSuggestions(
      found.map((p) => {
        const image = prepared.get(p.key);
        return { key: p.key, slideNumber: p.ref.slideNumber, imageHash: image?.hash ?? null, widthPx: image?.widthPx ?? null, heightPx: image?.heightPx ?? null };
      }),
      slides.length,
      settings,
    );

    // 3. Decide and describe.
    const title = await deckTitle(reader, slides, input);
    const edits = new Map<string, AltTextEdit[]>();
    const pictures: ReportPicture[] = [];
    let modelCalls = 0;
    let cacheHits = 0;
    for (const [done, picture] of found.entries()) {
      options.signal?.throwIfAborted();
      const { ref } = picture;
      const image = prepared.get(picture.key) ?? null;
      const unavailable = unavailableReason(picture, image, settings.include_layouts);
      const verdict = decidePicture(
        { descr: ref.descr, decorative: ref.decorative, unavailable, suggestedDecorative: suggestions.get(picture.key) ?? null },
        settings,
      );
      let decision: ReportDecision = decisionLabel(verdict.decision);
      let reason = verdict.reason;
      let after: string | null = ref.descr;
      let cached = false;
      let model: string | null = null;
      let thumbnail: string | null = null;
      if (verdict.decision === 'describe' && image && !image.problem) {
        const { outcome: described, thumbnail: preview } = await describe(options, reader, image.part, {
          deckTitle: title,
          slideTitle: picture.slide?.title ?? null,
          slideText: picture.slide?.text ?? '',
          notes: settings.include_notes_in_prompt ? (picture.slide?.notes ?? null) : null,
          course: settings.course,
          language: 'en',
          charLimit: settings.char_limit,
          category: settings.prompt_category,
          templates: settings.prompt_templates,
        });
        model = options.provider.id;
        thumbnail = preview;
        if (described.kind === 'described') {
          if (described.fromCache) cacheHits += 1;
          else modelCalls += 1;
          cached = described.fromCache;
          after = described.text;
          decision = 'described';
          addEdit(edits, ref, { span: ref.cNvPr, descr: described.text });
        } else {
          if (described.kind === 'needs-review') modelCalls += 1;
          decision = described.kind === 'needs-review' ? 'needs-review' : 'skipped';
          reason =
            described.kind === 'needs-review'
              ? `The model's answer could not be used (${described.reason}); nothing was written.`
              : described.reason;
        }
      } else if (verdict.decision === 'describe') {
        decision = 'skipped';
        reason = image?.problem ?? 'The picture has no image the model can see.';
      } else if (verdict.decision === 'mark-decorative') {
        addEdit(edits, ref, { span: ref.cNvPr, decorative: true });
      }
      if (!thumbnail && image && !image.problem && decision !== 'decorative') {
        thumbnail = await thumbnailOf(await reader.readBuffer(image.part, MAX_IMAGE_BYTES), image.part);
      }
      pictures.push({
        key: picture.key,
        slide: ref.slideNumber,
        part: ref.part,
        shape_id: ref.shapeId,
        shape_name: ref.shapeName,
        in_group: ref.inGroup,
        image_part: ref.image.kind === 'embedded' ? ref.image.part : null,
        image_hash: image?.hash ?? null,
        size_px: image?.widthPx && image.heightPx ? { width: image.widthPx, height: image.heightPx } : null,
        size_emu: ref.extentEmu,
        title: ref.title,
        before: ref.descr,
        after: decision === 'described' || decision === 'preserved' ? after : decision === 'marked-decorative' ? null : ref.descr,
        decision,
        reason,
        needs_review: decision === 'needs-review',
        draft: false,
        suggested_decorative: suggestions.get(picture.key) ?? null,
        model,
        cached,
        time: localIsoTimestamp(),
        thumbnail,
      });
      options.onProgress?.({ type: 'progress', pictures_found: found.length, pictures_done: done + 1 });
    }

    // 4. Write the copy: only the edited parts change.
    const replacements = new Map<string, Buffer>();
    for (const [part, partEdits] of edits) {
        const original = parts.get(part);
      if (original === undefined) continue;
      const { encoding } = await reader.readTextPart(part);
      replacements.set(part, encodeText(applyAltTextEdits(original, partEdits), encoding));
    }
    await reader.close();
    await rewritePackage(input, options.output, { replacements });

    const counts = countDecisions(pictures, modelCalls, cacheHits);
    const report: AltTextReport = {
      version: ALT_TEXT_REPORT_VERSION,
      deck: input,
      output: options.finalOutput ?? options.output,
      generated_at: localIsoTimestamp(),
      model: options.provider.id,
      prompt_version: PROMPT_VERSION,
      policy: settings.policy,
      counts,
      warnings,
      pictures,
    };
    const reports = await writeReports(options.output, report);
    return {
      report,
      result: { type: 'result', ...counts, output: options.output, reports, warnings },
    };
  } finally {
    await reader.close().catch(() => undefined);
  }
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

/** Hash and pixel size from the image's header: nothing is decoded here. */
async function imageFacts(reader: PackageReader, part: string): Promise<ImageFacts> {
  let bytes: Buffer;
  try {
    bytes = await reader.readBuffer(part, MAX_IMAGE_BYTES);
  } catch (error) {
    return { part, hash: '', widthPx: null, heightPx: null, problem: `The image ${part} could not be read (${(error as Error).message}).` };
  }
  const size = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .then((meta) => ({ widthPx: meta.width ?? null, heightPx: meta.height ?? null }))
    .catch(() => ({ widthPx: null, heightPx: null }));
  return { part, hash: imageHash(bytes), ...size, problem: null };
}

/** A small preview for the review page and screen. */
async function thumbnailOf(bytes: Buffer, part: string): Promise<string | null> {
  const thumb = await prepareImage(bytes, part, { maxDimension: THUMBNAIL_PX }).catch(() => null);
  return thumb && !('skip' in thumb) ? `data:${thumb.mime};base64,${thumb.image.toString('base64')}` : null;
}

/**
 * Describes one picture (cache, image preparation, prompt, model, cleaning). The image is
 * read again here rather than kept from imageFacts, so memory stays flat however many large
 * pictures a deck holds. A failed request makes the picture "needs review"; the server being
 * unreachable or the model missing is thrown, since it concerns every picture.
 */
async function describe(
  options: ProcessDeckOptions,
  reader: PackageReader,
  part: string,
  context: PromptContext,
): Promise<{ readonly outcome: DescribeOutcome; readonly thumbnail: string | null }> {
  const bytes = await reader.readBuffer(part, MAX_IMAGE_BYTES);
  let outcome: DescribeOutcome;
  try {
    outcome = await describePicture(
      { bytes, name: part, context },
      { provider: options.provider, cache: options.cache, maxDimension: options.config.alt_text.max_image_dimension },
      options.signal,
    );
  } catch (error) {
    if (!(error instanceof ModelRequestError)) throw error;
    outcome = { kind: 'needs-review', reason: error.message, rawAnswer: '', imageHash: imageHash(bytes), model: options.provider.id, category: 'default' };
  }
  // The model's copy is already small: shrinking it again is far cheaper than the original.
  const source = outcome.kind !== 'skipped' && outcome.prepared ? outcome.prepared.image : bytes;
  return { outcome, thumbnail: await thumbnailOf(source, part) };
}

function countDecisions(pictures: readonly ReportPicture[], modelCalls: number, cacheHits: number): ReportCounts {
  const count = (...decisions: ReportDecision[]) => pictures.filter((p) => decisions.includes(p.decision)).length;
  return {
    pictures: pictures.length,
    described: count('described'),
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
