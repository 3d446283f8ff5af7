import type { AltTextReport, ReportPicture } from '../../shared/alt-text-report';
import { storedAuditCounts } from '../../shared/accessibility-audit';
import type { AltgenConfig } from '../../shared/config-schema';
import type { ProcessorPictureEvent, ProcessorProgressEvent, ProcessorResultEvent } from '../../shared/processor-protocol';
import type { DescriptionCache } from '../describe/description-cache';
import type { ModelFailures } from '../describe/model-failures';
import type { ModelRequests } from '../describe/model-provider';
import type { TextReader } from '../describe/ocr';
import { PROMPT_VERSION } from '../describe/prompts';
import { openDeck } from '../pptx/deck';
import { decodesFromEnvironment } from './decodes';
import { describePictures } from './describe-step';
import { settleDeck } from './outcomes';
import { OFFLINE_MODEL_ID } from './picture-describer';
import type { PlannedPicture } from './plan-deck';
import { planDeck } from './plan-deck';
import { accessibilityStep } from './accessibility-step';
import { buildReport, writeReports } from './report';
import { writeDeck } from './write-deck';

/** The app's review applier (app-service/review-applier.ts) loads the report writer from here. */

/**
 * Processes one deck, in four steps over one opened deck (pptx/deck.ts): plan (plan-deck.ts:
 * what every picture, chart, SmartArt graphic and table needs, the same plan a dry run
 * shows), describe (describe-step.ts: the model, through the cache, pipelined), write
 * (write-deck.ts: the copy, in which only the changed attributes and notes differ), report
 * (report.ts: the JSON and HTML reports beside the copy).
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
  /** The model: one server (a ModelProvider), or the scheduler of every configured one. */
  readonly provider: ModelRequests | null;
  readonly cache: DescriptionCache;
  /** Reads text in pictures; default: one started on first use and closed at the end. */
  readonly textReader?: TextReader;
  readonly onProgress?: (event: ProcessorProgressEvent) => void;
  /** Once the copy and its reports are written: each picture as it was settled, for the deck's log. */
  readonly onPicture?: (event: ProcessorPictureEvent) => void;
  readonly signal?: AbortSignal;
  /**
   * Pictures decoded at once (default: one per core, at most 4). Decoding (JPEG's entropy
   * decoding above all) is the processor's main cost and uses one core per picture; a batch
   * runner shares the cores out over its processors (decodes.ts).
   */
  readonly decodesAtOnce?: number;
  /** Pictures the model failed on earlier in this batch: not asked again (see model-failures.ts). */
  readonly modelFailures?: ModelFailures;
}

export interface ProcessDeckResult {
  readonly result: ProcessorResultEvent;
  readonly report: AltTextReport;
}

const SIGNED_WARNING =
  'This deck was digitally signed; the signature does not apply to the accessible copy. Sign the copy again if your school requires it.';

export async function processDeck(options: ProcessDeckOptions): Promise<ProcessDeckResult> {
  const { config } = options;
  const settings = config.alt_text;
  const deck = await openDeck(options.input, config.limits);
  try {
    const plan = planDeck(deck, settings);
    const warnings: string[] = deck.signed ? [SIGNED_WARNING] : [];
    const accessibility = await accessibilityStep(deck, config);
    warnings.push(...accessibility.warnings);
    const found = plan.pictures.length;
    // What the model will be asked about: the batch's ETA counts these, not the pictures kept.
    const toDescribe = plan.counts.to_describe;
    let done = 0;
    /** How long the model took per picture it was asked about, by the picture's key. */
    const modelMs = new Map<string, number>();
    const pictureDone = (picture?: PlannedPicture, ms?: number) => {
      if (picture && ms !== undefined) modelMs.set(picture.item.key, Math.round(ms));
      done += 1;
      options.onProgress?.({ type: 'progress', pictures_found: found, pictures_done: done, pictures_to_describe: toDescribe });
    };
    options.onProgress?.({ type: 'progress', pictures_found: found, pictures_done: 0, pictures_to_describe: toDescribe });

    const described = await describePictures(deck, plan, {
      settings,
      provider: options.provider,
      cache: options.cache,
      ...(options.textReader ? { textReader: options.textReader } : {}),
      decodesAtOnce: options.decodesAtOnce ?? decodesFromEnvironment({}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.modelFailures ? { modelFailures: options.modelFailures } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      onPictureDone: pictureDone,
      onWarning: (message) => warnings.push(message),
    });
    for (const picture of plan.pictures) if (!described.results.has(picture)) pictureDone();

    const outcome = settleDeck(plan, described, settings);
    const longDescriptions = settings.long_descriptions === 'notes' ? outcome.longDescriptions : null;
    warnings.push(...(await writeDeck(deck, { edits: outcome.edits, longDescriptions, language: plan.language, fixes: accessibility.fixes }, options.output)));
    const audit = accessibility.settle(outcome.pictures);

    const report = buildReport({
      deck: options.input,
      output: options.finalOutput ?? options.output,
      model: options.provider?.id ?? OFFLINE_MODEL_ID,
      promptVersion: PROMPT_VERSION,
      policy: settings.policy,
      warnings,
      pictures: outcome.pictures,
      modelCalls: outcome.modelCalls,
      cacheHits: outcome.cacheHits,
      accessibility: audit,
    });
    const reports = await writeReports(options.output, report);
    if (options.onPicture) {
      const calls = new Map([...described.results].map(([picture, result]) => [picture.item.key, result.modelCalls]));
      for (const picture of report.pictures) options.onPicture(pictureEvent(picture, modelMs.get(picture.key) ?? null, calls.get(picture.key) ?? 0));
    }
    const result: ProcessorResultEvent = {
      type: 'result',
      ...report.counts,
      model_failed: outcome.modelFailed,
      skipped_reasons: plan.counts.skipped,
      audit: storedAuditCounts(audit.counts),
      audit_fixed: storedAuditCounts(audit.fixed),
      output: options.output,
      reports,
      warnings,
    };
    return { report, result };
  } finally {
    await deck.close();
  }
}

function pictureEvent(picture: ReportPicture, modelMs: number | null, modelCalls: number): ProcessorPictureEvent {
  return {
    type: 'picture',
    slide: picture.slide,
    shape: picture.shape_name,
    kind: picture.kind,
    decision: picture.decision,
    reason: picture.reason,
    model_ms: modelMs,
    model_calls: modelCalls,
    cached: picture.cached,
  };
}
