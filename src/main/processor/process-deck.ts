import type { AltTextReport } from '../../shared/alt-text-report';
import type { AltgenConfig } from '../../shared/config-schema';
import type { ProcessorProgressEvent, ProcessorResultEvent } from '../../shared/processor-protocol';
import type { DescriptionCache } from '../describe/description-cache';
import type { ModelFailures } from '../describe/model-failures';
import type { ModelProvider } from '../describe/model-provider';
import type { TextReader } from '../describe/ocr';
import { PROMPT_VERSION } from '../describe/prompts';
import { openDeck } from '../pptx/deck';
import { decodesFromEnvironment } from './decodes';
import { describePictures } from './describe-step';
import { settleDeck } from './outcomes';
import { OFFLINE_MODEL_ID } from './picture-describer';
import { planDeck } from './plan-deck';
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
  readonly provider: ModelProvider | null;
  readonly cache: DescriptionCache;
  /** Reads text in pictures; default: one started on first use and closed at the end. */
  readonly textReader?: TextReader;
  readonly onProgress?: (event: ProcessorProgressEvent) => void;
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
    const found = plan.pictures.length;
    let done = 0;
    const pictureDone = () => {
      done += 1;
      options.onProgress?.({ type: 'progress', pictures_found: found, pictures_done: done });
    };
    options.onProgress?.({ type: 'progress', pictures_found: found, pictures_done: 0 });

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
    warnings.push(...(await writeDeck(deck, { edits: outcome.edits, longDescriptions, language: plan.language }, options.output)));

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
    });
    const reports = await writeReports(options.output, report);
    return { report, result: { type: 'result', ...report.counts, model_failed: outcome.modelFailed, output: options.output, reports, warnings } };
  } finally {
    await deck.close();
  }
}
