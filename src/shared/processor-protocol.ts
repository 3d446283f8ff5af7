import type { ProcessorCounts } from './batch-types';
import type { PictureLog } from './deck-log';

/**
 * The processor protocol (DESIGN.md): the runner starts
 * `processor process <input> --output <file> [--config <file>]` and reads newline-delimited
 * JSON from its stdout. Lines that are not JSON objects of a known type are ignored, so
 * an external command that prints plain text still works (exit code 0 = success).
 */

export const PROCESSOR_EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** The input is the problem (corrupt, encrypted, legacy): not retryable. */
  inputProblem: 65,
  /** The model server could not be reached: the batch pauses instead of failing every file. */
  modelUnavailable: 69,
  /**
   * The copy or its reports cannot be written (disk full, read-only, no permission; sysexits'
   * EX_CANTCREAT): the output folder is the problem, not the deck. The runner checks the deck's
   * output folder and stops the batch, the deck back in the queue, when it can take no more.
   */
  outputProblem: 73,
  /**
   * The model answers, but its last answers were all unusable (refusals, not JSON, HTTP 500;
   * sysexits' EX_PROTOCOL): the model is broken, so the batch stops, the deck back in the queue.
   */
  modelUnusable: 76,
  /** The configured model is not on the server (`ollama pull <model>`): stops the batch. */
  modelMissing: 78,
} as const;

export type ProcessorExitCode = (typeof PROCESSOR_EXIT)[keyof typeof PROCESSOR_EXIT];

export interface ProcessorProgressEvent {
  readonly type: 'progress';
  readonly pictures_found?: number;
  readonly pictures_done?: number;
  /** Of `pictures_found`: those the model will be asked about (the rest are kept, skipped, or written from their data). */
  readonly pictures_to_describe?: number;
  readonly message?: string;
  /**
   * One fresh answer of the model, as it comes: usable, or not (`model_problem` says what it
   * answered). The runner stops the batch when too many in a row, over all decks, are unusable.
   */
  readonly model_answer?: 'usable' | 'unusable';
  readonly model_problem?: string;
  /**
   * Every picture of the deck is prepared and what is left is waiting for the model's answers:
   * a runner whose model servers could take more may start its next deck meanwhile.
   */
  readonly waiting_for_model?: boolean;
}

export interface ProcessorResultEvent extends ProcessorCounts {
  readonly type: 'result';
  readonly output?: string;
  readonly reports?: readonly string[];
  readonly warnings?: readonly string[];
}

/**
 * One picture (or chart, SmartArt graphic, table) settled, for the deck's log: what was decided,
 * how long the model took and how many requests it cost. Optional: an external processor that
 * prints none still works; the batch then logs the deck's runs only.
 */
export interface ProcessorPictureEvent extends PictureLog {
  readonly type: 'picture';
}

export interface ProcessorErrorEvent {
  readonly type: 'error';
  readonly code?: string;
  readonly message: string;
}

export type ProcessorEvent = ProcessorProgressEvent | ProcessorResultEvent | ProcessorErrorEvent | ProcessorPictureEvent;

/** Parses one stdout line; returns null for anything that is not a protocol event. */
export function parseProcessorLine(line: string): ProcessorEvent | null {
  const text = line.trim();
  if (!text.startsWith('{')) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const event = value as { type?: unknown; message?: unknown };
  switch (event.type) {
    case 'progress':
      return value as ProcessorProgressEvent;
    case 'result':
      return value as ProcessorResultEvent;
    case 'error':
      return typeof event.message === 'string' ? (value as ProcessorErrorEvent) : null;
    case 'picture':
      return isPictureLog(value) ? (value as ProcessorPictureEvent) : null;
    default:
      return null;
  }
}

/** The fields a picture event must carry to be logged; anything else about it is dropped. */
function isPictureLog(value: object): boolean {
  const event = value as Partial<Record<keyof PictureLog, unknown>>;
  return (
    typeof event.slide === 'number' &&
    typeof event.shape === 'string' &&
    typeof event.kind === 'string' &&
    typeof event.decision === 'string' &&
    typeof event.reason === 'string' &&
    (event.model_ms === null || typeof event.model_ms === 'number') &&
    typeof event.model_calls === 'number' &&
    typeof event.cached === 'boolean'
  );
}
